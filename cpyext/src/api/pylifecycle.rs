//! pylifecycle.h: start-up and shut-down as seen from inside a running
//! interpreter, and the facts about it that C asks for.
use crate::boundary::ApiData;
use crate::ffi;
use cpyext_macros::cpython_api;
use rustpython_vm::VirtualMachine;
use std::ffi::{CString, c_char, c_int};
use std::sync::{Mutex, OnceLock};

/// PY_VERSION_HEX of our headers (include/patchlevel.h: 3.11.0 final).
#[unsafe(no_mangle)]
pub static Py_Version: std::ffi::c_ulong = 0x030B_00F0;
inventory::submit! { ApiData { name: "Py_Version" } }

/// An extension always runs in an initialised interpreter: nothing to do,
/// as in CPython.
#[cpython_api(no_gil)]
fn Py_Initialize() {}

#[cpython_api(no_gil)]
fn Py_InitializeEx(_initsigs: c_int) {}

#[cpython_api(no_gil)]
fn Py_IsInitialized() -> c_int {
    1
}

#[cpython_api]
fn _Py_IsFinalizing(vm: &VirtualMachine) -> c_int {
    vm.state.finalizing.load(std::sync::atomic::Ordering::Acquire) as c_int
}

// --- C functions run at exit ---------------------------------------------

/// Functions registered with Py_AtExit, at most 32 as in CPython.
static EXIT_FUNCS: Mutex<Vec<extern "C" fn()>> = Mutex::new(Vec::new());
const MAX_EXIT_FUNCS: usize = 32;

/// Runs the registered functions, last registered first, once the process
/// exits (after the interpreter has run Python's atexit handlers).
extern "C" fn run_exit_funcs() {
    loop {
        let Some(func) = EXIT_FUNCS.lock().unwrap().pop() else { return };
        func();
    }
}

#[cpython_api(no_gil)]
fn Py_AtExit(func: Option<extern "C" fn()>) -> c_int {
    let Some(func) = func else { return -1 };
    let mut funcs = EXIT_FUNCS.lock().unwrap();
    if funcs.len() >= MAX_EXIT_FUNCS {
        return -1;
    }
    if funcs.is_empty() {
        static REGISTERED: std::sync::Once = std::sync::Once::new();
        // SAFETY: registers a function with no preconditions to run at exit.
        REGISTERED.call_once(|| unsafe {
            libc::atexit(run_exit_funcs);
        });
    }
    funcs.push(func);
    0
}

/// Runs Python's atexit handlers, flushes sys.stdout and sys.stderr, then
/// ends the process with `status` (the Py_AtExit functions run last).
#[cpython_api]
fn Py_Exit(vm: &VirtualMachine, status: c_int) {
    if let Ok(atexit) = vm.import("atexit", 0) {
        let _ = vm.call_method(&atexit, "_run_exitfuncs", ());
    }
    for stream in ["stdout", "stderr"] {
        if let Ok(file) = vm.sys_module.get_attr(stream, vm) {
            let _ = vm.call_method(&file, "flush", ());
        }
    }
    // SAFETY: ends the process, as CPython's Py_Exit does.
    unsafe { libc::exit(status) }
}

// --- facts about the interpreter ------------------------------------------------

/// A text computed once and kept for ever, for functions that return
/// `const char *` C may keep.
fn cached(cell: &'static OnceLock<CString>, make: impl FnOnce() -> String) -> *const c_char {
    cell.get_or_init(|| CString::new(make().replace('\0', "")).unwrap_or_default()).as_ptr()
}

fn host_version(vm: &VirtualMachine) -> String {
    vm.sys_module.get_attr("version", vm).and_then(|v| v.str(vm).map(|s| s.to_string())).unwrap_or_default()
}

/// The "(...)" part of the host's sys.version.
fn build_info(vm: &VirtualMachine) -> String {
    let version = host_version(vm);
    match (version.find('('), version.find(')')) {
        (Some(open), Some(close)) if close > open => version[open + 1..close].to_owned(),
        _ => String::new(),
    }
}

/// The "[...]" part of the host's sys.version.
fn compiler(vm: &VirtualMachine) -> String {
    let version = host_version(vm);
    match version.find('[') {
        Some(open) => version[open..].trim().to_owned(),
        None => String::new(),
    }
}

#[cpython_api]
fn Py_GetBuildInfo(vm: &VirtualMachine) -> *const c_char {
    static TEXT: OnceLock<CString> = OnceLock::new();
    cached(&TEXT, || build_info(vm))
}

#[cpython_api]
fn Py_GetCompiler(vm: &VirtualMachine) -> *const c_char {
    static TEXT: OnceLock<CString> = OnceLock::new();
    cached(&TEXT, || compiler(vm))
}

/// "3.11.0 (build info) [compiler]": the C-API version the layer provides,
/// with the host's build information (see docs/differences.md).
#[cpython_api]
fn Py_GetVersion(vm: &VirtualMachine) -> *const c_char {
    static TEXT: OnceLock<CString> = OnceLock::new();
    cached(&TEXT, || format!("3.11.0 ({}) {}", build_info(vm), compiler(vm)))
}

#[cpython_api]
fn Py_GetPlatform(vm: &VirtualMachine) -> *const c_char {
    static TEXT: OnceLock<CString> = OnceLock::new();
    cached(&TEXT, || vm.sys_module.get_attr("platform", vm).and_then(|v| v.str(vm).map(|s| s.to_string())).unwrap_or_default())
}

#[cpython_api]
fn Py_GetCopyright(vm: &VirtualMachine) -> *const c_char {
    static TEXT: OnceLock<CString> = OnceLock::new();
    cached(&TEXT, || vm.sys_module.get_attr("copyright", vm).and_then(|v| v.str(vm).map(|s| s.to_string())).unwrap_or_default())
}

// --- path configuration, as wide strings ---------------------------------------

/// A wide copy of `text` that lives for ever.
pub(crate) fn leak_wide(text: &str) -> *mut libc::wchar_t {
    let mut wide: Vec<libc::wchar_t> = text.chars().map(|c| c as libc::wchar_t).collect();
    wide.push(0);
    Box::leak(wide.into_boxed_slice()).as_mut_ptr()
}

/// A wide string computed once.
fn cached_wide(cell: &'static OnceLock<usize>, make: impl FnOnce() -> Option<String>) -> *mut libc::wchar_t {
    *cell.get_or_init(|| make().map_or(0, |text| leak_wide(&text) as usize)) as *mut libc::wchar_t
}

fn sys_str(vm: &VirtualMachine, name: &'static str) -> Option<String> {
    let value = vm.sys_module.get_attr(name, vm).ok()?;
    if vm.is_none(&value) {
        return None;
    }
    value.str(vm).ok().map(|s| s.to_string())
}

/// argv[0] of the process, as CPython's program name.
#[cpython_api]
fn Py_GetProgramName() -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    cached_wide(&TEXT, || Some(std::env::args().next().unwrap_or_else(|| "python3".to_owned())))
}

/// sys.executable.
#[cpython_api]
fn Py_GetProgramFullPath(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    cached_wide(&TEXT, || Some(sys_str(vm, "executable").unwrap_or_default()))
}

#[cpython_api]
fn Py_GetPrefix(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    cached_wide(&TEXT, || Some(sys_str(vm, "prefix").unwrap_or_default()))
}

#[cpython_api]
fn Py_GetExecPrefix(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    cached_wide(&TEXT, || Some(sys_str(vm, "exec_prefix").unwrap_or_default()))
}

/// The module search path the interpreter was configured with, ':'-joined.
#[cpython_api]
fn Py_GetPath(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    cached_wide(&TEXT, || Some(vm.state.config.paths.module_search_paths.join(":")))
}

/// $PYTHONHOME (unless the environment is ignored), else NULL.
#[cpython_api]
fn Py_GetPythonHome() -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    cached_wide(&TEXT, || {
        // SAFETY: reading an exported int.
        let ignore = unsafe { super::pydebug::Py_IgnoreEnvironmentFlag } != 0;
        if ignore { None } else { std::env::var("PYTHONHOME").ok().filter(|h| !h.is_empty()) }
    })
}

// --- signals --------------------------------------------------------------------

/// The handler installed for `sig` (SIG_ERR for a bad signal number).
#[cpython_api(no_gil)]
fn PyOS_getsig(sig: c_int) -> libc::sighandler_t {
    // SAFETY: a query with a local out-parameter.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        if libc::sigaction(sig, std::ptr::null(), &mut current) == -1 {
            return libc::SIG_ERR;
        }
        current.sa_sigaction
    }
}

/// Installs a handler with sigaction (SA_ONSTACK, as CPython); returns the
/// previous one, or SIG_ERR.
#[cpython_api(no_gil)]
fn PyOS_setsig(sig: c_int, handler: libc::sighandler_t) -> libc::sighandler_t {
    // SAFETY: sigaction with local structures; the handler is the caller's.
    unsafe {
        let mut new: libc::sigaction = std::mem::zeroed();
        let mut old: libc::sigaction = std::mem::zeroed();
        new.sa_sigaction = handler;
        libc::sigemptyset(&mut new.sa_mask);
        new.sa_flags = libc::SA_ONSTACK;
        if libc::sigaction(sig, &new, &mut old) == -1 {
            return libc::SIG_ERR;
        }
        old.sa_sigaction
    }
}

// --- configured start-up -----------------------------------------------------

/// The runtime was pre-initialised long ago: as in CPython, nothing to do.
#[cpython_api(no_gil)]
fn Py_PreInitialize(_config: *const ffi::PyPreConfig) -> ffi::PyStatus {
    super::initconfig::status_ok()
}

#[cpython_api(no_gil)]
fn Py_PreInitializeFromArgs(_config: *const ffi::PyPreConfig, _argc: ffi::Py_ssize_t, _argv: *mut *mut libc::wchar_t) -> ffi::PyStatus {
    super::initconfig::status_ok()
}

#[cpython_api(no_gil)]
fn Py_PreInitializeFromBytesArgs(_config: *const ffi::PyPreConfig, _argc: ffi::Py_ssize_t, _argv: *mut *mut c_char) -> ffi::PyStatus {
    super::initconfig::status_ok()
}

/// Exits with the status's code, or stops with a fatal error naming the
/// function and message of an error status.
#[cpython_api(no_gil)]
unsafe fn Py_ExitStatusException(status: ffi::PyStatus) {
    if status._type == ffi::PyStatus__PyStatus_TYPE_EXIT {
        // SAFETY: ends the process, as CPython does.
        unsafe { libc::exit(status.exitcode) }
    }
    let text = |p: *const c_char| if p.is_null() { None } else { crate::methods::c_str(p).map(str::to_owned) };
    if status._type == ffi::PyStatus__PyStatus_TYPE_ERROR {
        let message = text(status.err_msg).unwrap_or_default();
        match text(status.func) {
            Some(func) => crate::boundary::fatal(&format!("{func}: {message}")),
            None => crate::boundary::fatal(&message),
        }
    }
    crate::boundary::fatal("Py_ExitStatusException() must not be called on success")
}
