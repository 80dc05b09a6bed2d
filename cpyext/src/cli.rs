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
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
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
            for file in &args[2..] {
                match elf::inspect(std::path::Path::new(file)) {
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
