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

/// Options of the Python command line that take a value as the next argument.
const OPTIONS_WITH_VALUE: [&str; 3] = ["-W", "-X", "--check-hash-based-pycs"];

/// The command line to run in place of this one, if it must change:
/// standard input run as a script (`stdin_script_command`), and
/// `PYTHONUNBUFFERED` honoured as `-u` (RustPython's command line reads
/// only the option), so that output printed before a crash is not lost.
pub fn rewritten_command() -> Option<Vec<std::ffi::OsString>> {
    let (mut command, mut changed) = match stdin_script_command() {
        Some(command) => (command, true),
        None => (std::env::args_os().collect::<Vec<_>>(), false),
    };
    let wants_unbuffered = std::env::var_os("PYTHONUNBUFFERED").is_some_and(|v| !v.is_empty());
    if wants_unbuffered && !command.is_empty() {
        // Only the options before the script, command or module count.
        let options: Vec<&str> = command[1..]
            .iter()
            .map(|a| a.to_str().unwrap_or(""))
            .take_while(|a| a.starts_with('-') && *a != "-" && *a != "--" && !["-c", "-m"].iter().any(|o| a.starts_with(o)))
            .collect();
        // -E and -I ignore the environment; -u (alone or in a group) is there already.
        let has = |letter: char| options.iter().any(|a| !a.starts_with("--") && a[1..].contains(letter));
        if !has('u') && !has('E') && !has('I') {
            command.insert(1, "-u".into());
            changed = true;
        }
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
            // A long option with a value; any other (--help, --version) is RustPython's to answer.
            if !OPTIONS_WITH_VALUE.contains(&args[i].to_str()?) {
                return None;
            }
            i += 2;
            continue;
        }
        // A group of short options: -c and -m leave no script, -h and -V
        // print and stop, -W and -X take the rest of the group or the next
        // argument as their value.
        let mut step = 1;
        for (k, &letter) in arg.iter().enumerate().skip(1) {
            match letter {
                b'c' | b'm' | b'h' | b'V' | b'?' => return None,
                b'W' | b'X' => {
                    if k + 1 == arg.len() {
                        step = 2;
                    }
                    break;
                }
                _ => {}
            }
        }
        i += step;
    }
    let script = args.get(i).filter(|a| a.as_bytes() != b"-")?;
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
pub fn stdin_script_command() -> Option<Vec<std::ffi::OsString>> {
    use std::io::IsTerminal;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut i = 1;
    while i < args.len() {
        let arg = args[i].to_str()?;
        if arg == "-" {
            break;
        }
        // A script, a command or module (`-c CODE`, `-cCODE`...), or the
        // interactive shell asked for.
        if !arg.starts_with('-') || ["-c", "-m", "-i"].iter().any(|o| arg.starts_with(o)) || arg == "--" {
            return None;
        }
        i += if OPTIONS_WITH_VALUE.contains(&arg) { 2 } else { 1 };
    }
    let explicit_dash = i < args.len();
    if !explicit_dash && std::io::stdin().is_terminal() {
        return None;
    }
    let argv0 = if explicit_dash { "-" } else { "" };
    let program = format!(
        "import sys; sys.argv[0] = {argv0:?}; del sys; \
         exec(compile(__import__('sys').stdin.read(), '<stdin>', 'exec'))"
    );
    let mut command: Vec<std::ffi::OsString> = args[..i].to_vec();
    command.push("-c".into());
    command.push(program.into());
    if explicit_dash {
        command.extend(args[i + 1..].iter().cloned());
    }
    Some(command)
}
