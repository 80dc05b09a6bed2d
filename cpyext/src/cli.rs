//! Commands of the layer itself, answered before the Python command line:
//!
//!   cpyext --cpyext-implemented       every C-API name the layer exports
//!   cpyext --cpyext-check FILE...     the C-API symbols each extension
//!                                     needs that the layer lacks
use crate::boundary::{ApiData, ApiFunction, implemented_names};
use crate::elf;
use std::collections::BTreeSet;
use std::process::ExitCode;

pub fn run_layer_command() -> Option<ExitCode> {
    // Arguments need not be UTF-8 (a file name): `env::args()` would panic.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match args.get(1).and_then(|a| a.to_str()) {
        Some("--cpyext-implemented") => {
            let mut lines: Vec<String> = inventory::iter::<ApiFunction>
                .into_iter()
                .map(|f| format!("{}\tfunction\t{}", f.name, f.signature))
                .chain(
                    inventory::iter::<ApiData>
                        .into_iter()
                        .map(|d| format!("{}\tdata", d.name)),
                )
                .collect();
            lines.sort();
            let mut out = lines.join("\n");
            out.push('\n');
            Some(if emit(&out) { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Some("--cpyext-check") => {
            let implemented: BTreeSet<&str> = implemented_names().collect();
            let mut all_found = true;
            let mut out = String::new();
            for path in &args[2..] {
                let file = path.to_string_lossy();
                match elf::inspect(std::path::Path::new(path)) {
                    Ok(ext) => {
                        let missing: BTreeSet<&str> = ext
                            .undefined
                            .iter()
                            .map(String::as_str)
                            .filter(|s| elf::is_api_symbol(s) && !implemented.contains(s))
                            .collect();
                        let tag = if ext.abi_tags.is_empty() {
                            "no cpyext ABI tag"
                        } else {
                            "cpyext ABI tag present"
                        };
                        out += &format!("{file}: {tag}; {} C-API symbols missing\n", missing.len());
                        for name in &missing {
                            out += &format!("  {name}\n");
                        }
                        all_found &= missing.is_empty() && !ext.abi_tags.is_empty();
                    }
                    Err(e) => {
                        out += &format!("{file}: {e}\n");
                        all_found = false;
                    }
                }
            }
            let written = emit(&out);
            Some(if all_found && written {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        _ => None,
    }
}

/// Writes a report to standard output; false if that failed. A reader that
/// stopped early (`| head`) is not a failure: the rest is dropped, where
/// `println!` would panic.
fn emit(text: &str) -> bool {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => true,
        Err(e) => {
            eprintln!("cpyext: cannot write the report: {e}");
            false
        }
    }
}

/// What a Python command line runs, as CPython's option parser reads it.
#[derive(Debug, PartialEq)]
enum Target {
    /// A script file; the index of its argument.
    Script(usize),
    /// Standard input: `-` at that index, or no argument left (`None`).
    Stdin(Option<usize>),
    /// `-c`, `-m`, a help or version option, or an option we do not know:
    /// RustPython's command line answers these as it is.
    Other,
}

/// The options before what the command line runs, and what it runs.
struct CommandLine {
    /// The letters of the short flag options (`-u`, `-uE`...), without the
    /// values of `-W` and `-X`.
    flags: Vec<u8>,
    target: Target,
}

impl CommandLine {
    /// One reading of the options for all the rewrites below, so that they
    /// agree on where the options end: groups (`-uW ignore`), values in
    /// the same argument (`-Wignore`) or the next, and `--`.
    fn parse(args: &[std::ffi::OsString]) -> CommandLine {
        use std::os::unix::ffi::OsStrExt;
        let mut flags = Vec::new();
        let mut i = 1;
        while i < args.len() {
            let arg = args[i].as_bytes();
            if arg == b"--" {
                i += 1;
                break;
            }
            if arg == b"-" || !arg.starts_with(b"-") {
                break;
            }
            if arg.starts_with(b"--") {
                // The one long option with a value; the others (--help,
                // --version...) print and stop.
                if arg != b"--check-hash-based-pycs" {
                    return CommandLine { flags, target: Target::Other };
                }
                i += 2;
                continue;
            }
            let mut step = 1;
            for (k, &letter) in arg.iter().enumerate().skip(1) {
                match letter {
                    b'c' | b'm' | b'h' | b'V' | b'?' => return CommandLine { flags, target: Target::Other },
                    // The rest of the group, or the next argument, is the value.
                    b'W' | b'X' => {
                        if k + 1 == arg.len() {
                            step = 2;
                        }
                        break;
                    }
                    _ => flags.push(letter),
                }
            }
            i += step;
        }
        let target = match args.get(i) {
            None => Target::Stdin(None),
            Some(arg) if arg.as_bytes() == b"-" => Target::Stdin(Some(i)),
            Some(_) => Target::Script(i),
        };
        CommandLine { flags, target }
    }

    fn has_flag(&self, letter: u8) -> bool {
        self.flags.contains(&letter)
    }
}

/// The command line to run in place of this one, if it must change:
/// standard input run as a script (`stdin_script_command`), and
/// `PYTHONUNBUFFERED` honoured as `-u` (RustPython's command line reads
/// only the option), so that output printed before a crash is not lost.
pub fn rewritten_command() -> Option<Vec<std::ffi::OsString>> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let line = CommandLine::parse(&args);
    let (mut command, mut changed) = match stdin_script_command(&args, &line) {
        Some(command) => (command, true),
        None => (args, false),
    };
    let wants_unbuffered = std::env::var_os("PYTHONUNBUFFERED").is_some_and(|v| !v.is_empty());
    // -E and -I ignore the environment; -u is there already.
    if wants_unbuffered && !command.is_empty() && !line.has_flag(b'u') && !line.has_flag(b'E') && !line.has_flag(b'I') {
        command.insert(1, "-u".into());
        changed = true;
    }
    changed.then_some(command)
}

/// A script that cannot be opened ends the command line with CPython's
/// message and status 2. RustPython's message adds the Rust error's
/// " (os error N)", and suites that watch a child's stderr for "error"
/// (llfuse's) then fail. None when there is a script that opens, or none.
pub fn unopenable_script() -> Option<ExitCode> {
    use std::os::unix::ffi::OsStrExt;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let Target::Script(i) = CommandLine::parse(&args).target else {
        return None;
    };
    let script = &args[i];
    let error = std::fs::File::open(script).err()?;
    let errno = error.raw_os_error().unwrap_or(libc::ENOENT);
    if errno == libc::ENOTDIR {
        // A path inside a file: a zip archive's (`pip.whl/pip`), which
        // runs from its importer as in CPython.
        return None;
    }
    // SAFETY: strerror returns a NUL-terminated message.
    let reason = unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) }.to_string_lossy();
    let shown = std::path::absolute(script).map_or_else(|_| script.clone(), |p| p.into_os_string());
    let program = args.first().map(|a| String::from_utf8_lossy(a.as_bytes()).into_owned()).unwrap_or_default();
    eprintln!("{program}: can't open file {}: [Errno {errno}] {reason}", python_repr(shown.as_bytes()));
    Some(ExitCode::from(2))
}

/// What `repr()` of a str decoded from a file name (surrogateescape) shows.
fn python_repr(name: &[u8]) -> String {
    let text: Vec<Result<char, u8>> = name
        .utf8_chunks()
        .flat_map(|chunk| chunk.valid().chars().map(Ok).chain(chunk.invalid().iter().map(|&b| Err(b))))
        .collect();
    let quote = if text.contains(&Ok('\'')) && !text.contains(&Ok('"')) { '"' } else { '\'' };
    let mut out = String::from(quote);
    for item in text {
        match item {
            Err(byte) => out.push_str(&format!("\\udc{byte:02x}")),
            Ok(c) if c == quote || c == '\\' => {
                out.push('\\');
                out.push(c);
            }
            Ok('\n') => out.push_str("\\n"),
            Ok('\r') => out.push_str("\\r"),
            Ok('\t') => out.push_str("\\t"),
            Ok(c) if (c as u32) < 0x20 || (0x7f..0xa0).contains(&(c as u32)) => out.push_str(&format!("\\x{:02x}", c as u32)),
            Ok(c) => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `cpyext < script.py` and `cpyext - args...` run standard input as a
/// script, as CPython does when it is not a terminal; RustPython's command
/// line would start its interactive shell on it instead. Returns the
/// command line to run in its place: the same options, and `-c` with a
/// small program that runs standard input in `__main__` as `<stdin>`.
fn stdin_script_command(args: &[std::ffi::OsString], line: &CommandLine) -> Option<Vec<std::ffi::OsString>> {
    use std::io::IsTerminal;
    let Target::Stdin(dash) = line.target else {
        return None;
    };
    // -i asks for the interactive shell: RustPython's to give.
    if line.has_flag(b'i') || (dash.is_none() && std::io::stdin().is_terminal()) {
        return None;
    }
    let argv0 = if dash.is_some() { "-" } else { "" };
    let program = format!(
        "import sys; sys.argv[0] = {argv0:?}; del sys; \
         exec(compile(__import__('sys').stdin.read(), '<stdin>', 'exec'))"
    );
    let options_end = dash.unwrap_or(args.len());
    let mut command: Vec<std::ffi::OsString> = args[..options_end].to_vec();
    // After `--` RustPython would take `-c` as the script's name.
    if command.last().is_some_and(|a| a == "--") {
        command.pop();
    }
    command.push("-c".into());
    command.push(program.into());
    if let Some(dash) = dash {
        command.extend(args[dash + 1..].iter().cloned());
    }
    Some(command)
}

#[cfg(test)]
mod tests {
    use super::{CommandLine, Target};

    fn parse(line: &str) -> (String, Target) {
        let args: Vec<std::ffi::OsString> = line.split(' ').map(Into::into).collect();
        let parsed = CommandLine::parse(&args);
        (String::from_utf8(parsed.flags).unwrap(), parsed.target)
    }

    #[test]
    fn options_end_where_cpython_ends_them() {
        assert_eq!(parse("py script.py -u"), ("".into(), Target::Script(1)));
        assert_eq!(parse("py -uW ignore script.py"), ("u".into(), Target::Script(3)));
        assert_eq!(parse("py -Wdefault -Xdev -B s.py"), ("B".into(), Target::Script(4)));
        assert_eq!(parse("py -W u -X u -E s.py"), ("E".into(), Target::Script(6)));
        assert_eq!(parse("py -- -u"), ("".into(), Target::Script(2)));
        assert_eq!(parse("py --check-hash-based-pycs always s.py"), ("".into(), Target::Script(3)));
        assert_eq!(parse("py -u - a"), ("u".into(), Target::Stdin(Some(2))));
        assert_eq!(parse("py -ui"), ("ui".into(), Target::Stdin(None)));
        assert_eq!(parse("py -uc pass"), ("u".into(), Target::Other));
        assert_eq!(parse("py -m mod"), ("".into(), Target::Other));
        assert_eq!(parse("py --version"), ("".into(), Target::Other));
        assert_eq!(parse("py -bV"), ("b".into(), Target::Other));
    }
}
