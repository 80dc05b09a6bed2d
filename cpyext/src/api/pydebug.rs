//! cpython/pydebug.h: the legacy configuration flags.
//!
//! CPython fills them from its configuration. The layer fills them when the
//! process starts (before `main`), from the same command-line options and
//! environment variables, so that they say what CPython's would for the
//! same command line.
use crate::boundary::ApiData;
use cpyext_macros::cpython_api;
use std::ffi::{CStr, c_char, c_int};

macro_rules! flags {
    ($($name:ident),* $(,)?) => {
        $(
            #[unsafe(no_mangle)]
            pub static mut $name: c_int = 0;
            inventory::submit! { ApiData { name: stringify!($name) } }
        )*
    };
}

flags!(
    Py_DebugFlag,
    Py_VerboseFlag,
    Py_QuietFlag,
    Py_InteractiveFlag,
    Py_InspectFlag,
    Py_OptimizeFlag,
    Py_NoSiteFlag,
    Py_BytesWarningFlag,
    Py_FrozenFlag,
    Py_IgnoreEnvironmentFlag,
    Py_DontWriteBytecodeFlag,
    Py_NoUserSiteDirectory,
    Py_UnbufferedStdioFlag,
    Py_HashRandomizationFlag,
    Py_IsolatedFlag,
);

/// What the command line and the environment say.
#[derive(Default)]
struct Flags {
    debug: c_int,
    verbose: c_int,
    quiet: c_int,
    interactive: c_int,
    inspect: c_int,
    optimize: c_int,
    no_site: c_int,
    bytes_warning: c_int,
    ignore_environment: c_int,
    dont_write_bytecode: c_int,
    no_user_site: c_int,
    unbuffered: c_int,
    isolated: c_int,
}

/// The interpreter options before the script, "-c" or "-m".
fn parse_options(args: &[String], flags: &mut Flags) {
    let mut i = 1;
    while i < args.len() {
        let arg = &args[i];
        if arg == "--" || !arg.starts_with('-') || arg == "-" {
            return;
        }
        if arg.starts_with("--") {
            // --check-hash-based-pycs takes a value; the others end nothing.
            if arg == "--check-hash-based-pycs" {
                i += 1;
            }
            i += 1;
            continue;
        }
        let letters: Vec<char> = arg[1..].chars().collect();
        for (j, letter) in letters.iter().enumerate() {
            match letter {
                'c' | 'm' => return,
                'W' | 'X' => {
                    // The value is the rest of this argument, or the next one.
                    if j + 1 == letters.len() {
                        i += 1;
                    }
                    break;
                }
                'b' => flags.bytes_warning += 1,
                'B' => flags.dont_write_bytecode = 1,
                'd' => flags.debug += 1,
                'E' => flags.ignore_environment = 1,
                'i' => {
                    flags.inspect = 1;
                    flags.interactive = 1;
                }
                'I' => {
                    flags.isolated = 1;
                    flags.ignore_environment = 1;
                    flags.no_user_site = 1;
                }
                'O' => flags.optimize += 1,
                'q' => flags.quiet = 1,
                's' => flags.no_user_site = 1,
                'S' => flags.no_site = 1,
                'u' => flags.unbuffered = 1,
                'v' => flags.verbose += 1,
                _ => {}
            }
        }
        i += 1;
    }
}

/// An environment flag: a number, or 1 for any other non-empty value.
fn env_level(name: &str) -> c_int {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value.trim().parse::<c_int>().ok().filter(|v| *v >= 0).unwrap_or(1),
        _ => 0,
    }
}

fn compute(args: &[String]) -> (Flags, bool) {
    let mut flags = Flags::default();
    parse_options(args, &mut flags);
    let use_environment = flags.ignore_environment == 0;
    if use_environment {
        flags.debug = flags.debug.max(env_level("PYTHONDEBUG"));
        flags.verbose = flags.verbose.max(env_level("PYTHONVERBOSE"));
        flags.optimize = flags.optimize.max(env_level("PYTHONOPTIMIZE"));
        flags.inspect = flags.inspect.max(env_level("PYTHONINSPECT").min(1));
        flags.dont_write_bytecode = flags.dont_write_bytecode.max(env_level("PYTHONDONTWRITEBYTECODE").min(1));
        flags.no_user_site = flags.no_user_site.max(env_level("PYTHONNOUSERSITE").min(1));
        flags.unbuffered = flags.unbuffered.max(env_level("PYTHONUNBUFFERED").min(1));
    }
    // Hash randomisation is off only for PYTHONHASHSEED=0.
    let hash_randomization = !(use_environment && std::env::var("PYTHONHASHSEED").is_ok_and(|v| v.trim() == "0"));
    (flags, hash_randomization)
}

/// Runs before `main`: glibc calls .init_array functions with the command line.
extern "C" fn init_flags(argc: c_int, argv: *const *const c_char, _envp: *const *const c_char) {
    let mut args = Vec::new();
    for i in 0..argc.max(0) as usize {
        // SAFETY: glibc passes argc valid NUL-terminated strings.
        let arg = unsafe { *argv.add(i) };
        if arg.is_null() {
            break;
        }
        // SAFETY: as above.
        args.push(unsafe { CStr::from_ptr(arg) }.to_string_lossy().into_owned());
    }
    let (flags, hash_randomization) = compute(&args);
    // SAFETY: nothing else runs yet; these are plain ints.
    unsafe {
        Py_DebugFlag = flags.debug;
        Py_VerboseFlag = flags.verbose;
        Py_QuietFlag = flags.quiet;
        Py_InteractiveFlag = flags.interactive;
        Py_InspectFlag = flags.inspect;
        Py_OptimizeFlag = flags.optimize;
        Py_NoSiteFlag = flags.no_site;
        Py_BytesWarningFlag = flags.bytes_warning;
        Py_IgnoreEnvironmentFlag = flags.ignore_environment;
        Py_DontWriteBytecodeFlag = flags.dont_write_bytecode;
        Py_NoUserSiteDirectory = flags.no_user_site;
        Py_UnbufferedStdioFlag = flags.unbuffered;
        Py_HashRandomizationFlag = hash_randomization as c_int;
        Py_IsolatedFlag = flags.isolated;
    }
}

#[used]
#[unsafe(link_section = ".init_array")]
static INIT_FLAGS: extern "C" fn(c_int, *const *const c_char, *const *const c_char) = init_flags;

/// getenv(), or NULL when Py_IgnoreEnvironmentFlag is set.
/// # Safety
/// `name` must be a NUL-terminated string.
#[cpython_api(no_gil)]
unsafe fn Py_GETENV(name: *const c_char) -> *mut c_char {
    // SAFETY: reading an exported int; the caller passes a valid name.
    unsafe {
        if Py_IgnoreEnvironmentFlag != 0 {
            return std::ptr::null_mut();
        }
        libc::getenv(name)
    }
}
