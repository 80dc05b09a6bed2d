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

// --- embedding: the interpreter started and stopped from C ----------------

/// How the library configures the host interpreter (lib.rs registers it as
/// the library loads: the loader, above api/, supplies the import hook).
/// With it, what to do once the interpreter runs (the built-in modules of
/// `PyImport_AppendInittab`).
static INTERPRETER_BUILDER: OnceLock<(fn() -> rustpython::InterpreterBuilder, fn(&VirtualMachine))> = OnceLock::new();

pub fn set_interpreter_builder(builder: fn() -> rustpython::InterpreterBuilder, after_start: fn(&VirtualMachine)) {
    let _ = INTERPRETER_BUILDER.set((builder, after_start));
}

thread_local! {
    /// The call frame of the thread that started the interpreter: its
    /// borrowed references live until `Py_FinalizeEx`, as C's whole program
    /// is one call into the API (CPython's live while their container holds
    /// them).
    /// Not dropped with the thread: a program that exits without
    /// `Py_FinalizeEx` would release it after the layer's own thread state.
    static EMBEDDING_FRAME: std::cell::RefCell<Option<std::mem::ManuallyDrop<crate::borrow::CallFrame>>> = const { std::cell::RefCell::new(None) };
}

/// Set by `Py_FinalizeEx`, cleared by the next `Py_Initialize`.
static FINALIZED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Set when the `cpyext` binary's interpreter has finished and the process
/// is about to exit (C exit handlers and C++ static destructors run next),
/// and by `Py_Exit`.
static ENDED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Marks the interpreter ended (the binary's last step before `exit`).
pub(crate) fn mark_ended() {
    ENDED.store(true, std::sync::atomic::Ordering::Release);
}

/// Whether the interpreter has ended: the process is exiting, or an
/// embedding program called `Py_FinalizeEx`. Callable without the GIL.
pub(crate) fn interpreter_ended() -> bool {
    ENDED.load(std::sync::atomic::Ordering::Acquire) || FINALIZED.load(std::sync::atomic::Ordering::Acquire)
}

/// Whether an interpreter runs: the `cpyext` binary's, once the layer has
/// started (an extension can only ask from inside it), or one C started.
fn interpreter_running() -> bool {
    !crate::gil::MAIN_VM.load(std::sync::atomic::Ordering::Acquire).is_null()
        && !FINALIZED.load(std::sync::atomic::Ordering::Acquire)
}

/// The settings `Py_Initialize` gives the host, as CPython's defaults for
/// an embedded interpreter: `sys.argv == ['']`, `PYTHONPATH`,
/// `PYTHONUNBUFFERED` and `PYTHONDONTWRITEBYTECODE` honoured, the site
/// module imported.
fn embedded_settings() -> rustpython_vm::Settings {
    let mut settings = rustpython_vm::Settings::default();
    settings.argv = vec![String::new()];
    if let Some(path) = std::env::var_os("PYTHONPATH") {
        settings.path_list.extend(std::env::split_paths(&path).map(|p| p.to_string_lossy().into_owned()));
    }
    // The environment variables CPython's embedded start-up reads too.
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("PYTHONUNBUFFERED") {
        settings.buffered_stdio = false;
    }
    if set("PYTHONDONTWRITEBYTECODE") {
        settings.write_bytecode = false;
    }
    settings
}

/// `-u` and `PYTHONUNBUFFERED` make C's stdio unbuffered too, as in CPython:
/// an extension's printf then lands between the lines Python prints.
pub(crate) fn unbuffer_c_stdio() {
    unsafe extern "C" {
        static mut stdin: *mut libc::FILE;
        static mut stdout: *mut libc::FILE;
        static mut stderr: *mut libc::FILE;
    }
    // SAFETY: glibc's standard streams, read once; setvbuf before (or
    // between) uses of a stream only changes how it buffers.
    unsafe {
        for stream in [stdin, stdout, stderr] {
            libc::setvbuf(stream, std::ptr::null_mut(), libc::_IONBF, libc::BUFSIZ as usize);
        }
    }
}

/// The encoding and error handler of sys.stdin, stdout and stderr that
/// `Py_SetStandardStreamEncoding` asked for, for the next start-up.
static STREAM_ENCODING: Mutex<(Option<String>, Option<String>)> = Mutex::new((None, None));

/// Sets the standard streams' encoding and error handler (NULL keeps the
/// default) for an interpreter not started yet; -1 once it runs, as then
/// it has no effect.
/// # Safety
/// `encoding` and `errors` must be NULL or NUL-terminated.
#[cpython_api(no_gil)]
unsafe fn Py_SetStandardStreamEncoding(encoding: *const c_char, errors: *const c_char) -> c_int {
    if interpreter_running() {
        return -1;
    }
    let text = |p: *const c_char| {
        // SAFETY: the caller passes NULL or NUL-terminated strings.
        (!p.is_null()).then(|| unsafe { crate::methods::c_str(p) }.unwrap_or_default().to_owned())
    };
    *STREAM_ENCODING.lock().unwrap() = (text(encoding), text(errors));
    0
}

/// The settings start-up gives the host, with the stream encoding C set.
fn with_stream_encoding(mut settings: rustpython_vm::Settings) -> rustpython_vm::Settings {
    let (encoding, errors) = STREAM_ENCODING.lock().unwrap().clone();
    if encoding.is_some() {
        settings.stdio_encoding = encoding;
    }
    if errors.is_some() {
        settings.stdio_errors = errors;
    }
    settings
}

/// Starts the interpreter for a C program that embeds it, on the calling
/// thread, which then holds the GIL. Inside the `cpyext` binary, or once
/// started, there is nothing to do, as in CPython. After `Py_FinalizeEx` the
/// same interpreter carries on (see docs/differences.md).
#[cpython_api(no_gil)]
fn Py_InitializeEx(initsigs: c_int) {
    let mut settings = embedded_settings();
    settings.install_signal_handlers = initsigs != 0;
    start_interpreter(settings, |_| ());
}

/// As CPython's start-up does: LC_CTYPE becomes the user's preferred locale
/// (from LC_ALL, LC_CTYPE or LANG), so C sees the locale encoding it would
/// under CPython (`mbstowcs`, `wcwidth`, curses); the other categories stay
/// "C". The host sets no locale of its own.
pub(crate) fn set_ctype_locale_from_environment() {
    // SAFETY: a valid category and a NUL-terminated empty name; called as
    // the interpreter starts, before C code uses the locale.
    unsafe { libc::setlocale(libc::LC_CTYPE, c"".as_ptr()) };
}

/// Starts (or, after `Py_FinalizeEx`, resumes) the interpreter with
/// `settings`; `configure` runs once a new one runs, before `site` is
/// imported. False if one was running already.
fn start_interpreter(settings: rustpython_vm::Settings, configure: impl FnOnce(&VirtualMachine)) -> bool {
    if interpreter_running() {
        return false;
    }
    set_ctype_locale_from_environment();
    if !crate::gil::MAIN_VM.load(std::sync::atomic::Ordering::Acquire).is_null() {
        // Started before and finalized: attach this thread again.
        FINALIZED.store(false, std::sync::atomic::Ordering::Release);
        if !rustpython_vm::vm::thread::current_vm_is_set() {
            // SAFETY: MAIN_VM points at the leaked interpreter's VM.
            let main = unsafe { &*crate::gil::MAIN_VM.load(std::sync::atomic::Ordering::Acquire) };
            let _ = rustpython_vm::vm::thread::attach_current_thread(|| main.new_thread());
        }
        hold_gil_for_embedding();
        return true;
    }
    let Some((builder, after_start)) = INTERPRETER_BUILDER.get() else {
        crate::boundary::fatal("Py_Initialize: the interpreter cannot be built (libcpyext.so was not loaded normally)");
    };
    let settings = with_stream_encoding(settings);
    if !settings.buffered_stdio {
        unbuffer_c_stdio();
    }
    let import_site = settings.import_site;
    let interpreter: &'static rustpython_vm::Interpreter = Box::leak(Box::new(builder().settings(settings).interpreter()));
    let thread_vm = interpreter.enter(|vm| {
        crate::startup::init(vm);
        after_start(vm);
        configure(vm);
        // CPython's start-up imports site (sys.path gains site-packages).
        if import_site {
            if let Err(e) = crate::types::import_for_layer(vm, "site") {
                vm.print_exception(&e);
            }
        }
        vm.new_thread()
    });
    let _ = rustpython_vm::vm::thread::attach_current_thread(|| thread_vm);
    hold_gil_for_embedding();
    true
}

/// The thread that starts the interpreter holds the GIL, in a call frame
/// that lasts until `Py_FinalizeEx`.
fn hold_gil_for_embedding() {
    crate::gil::acquire(None);
    EMBEDDING_FRAME.with(|f| *f.borrow_mut() = Some(std::mem::ManuallyDrop::new(crate::borrow::CallFrame::enter())));
}

#[cpython_api(no_gil)]
fn Py_Initialize() {
    // SAFETY: an exported C-API function with no pointer arguments.
    unsafe { Py_InitializeEx(1) }
}

/// 0 once finalization has begun, as CPython 3.11 clears
/// `runtime->initialized` when it sets the finalizing flag (after the
/// atexit handlers, before the modules are torn down and the `Py_AtExit`
/// functions run). Extensions test it before taking the GIL in callbacks a
/// C library fires while it is shut down from an exit function (mpi4py).
#[cpython_api(no_gil)]
fn Py_IsInitialized() -> c_int {
    // SAFETY: an exported C-API function with no pointer arguments.
    (interpreter_running() && unsafe { _Py_IsFinalizing() } == 0) as c_int
}

/// Ends the embedded interpreter's work as CPython's does: waits for the
/// non-daemon threads (`threading._shutdown`), runs the atexit handlers and
/// flushes `sys.stdout` and `sys.stderr`; -1 if a flush failed. The host's
/// objects stay (the layer's type objects and proxies are the process's):
/// a later `Py_Initialize` resumes the same interpreter.
#[cpython_api]
fn Py_FinalizeEx(vm: &VirtualMachine) -> c_int {
    if !interpreter_running() {
        return 0;
    }
    if vm.sys_module.get_attr("modules", vm).ok().and_then(|m| m.get_item("threading", vm).ok()).is_some() {
        if let Ok(threading) = crate::types::import_for_layer(vm, "threading") {
            if let Err(e) = vm.call_method(&threading, "_shutdown", ()) {
                vm.run_unraisable(e, Some("Exception ignored on threading shutdown".to_owned()), threading);
            }
        }
    }
    let status = run_atexit_and_flush(vm);
    FINALIZED.store(true, std::sync::atomic::Ordering::Release);
    if let Some(frame) = EMBEDDING_FRAME.with(|f| f.borrow_mut().take()) {
        drop(std::mem::ManuallyDrop::into_inner(frame));
    }
    status
}

#[cpython_api]
fn Py_Finalize() {
    // SAFETY: an exported C-API function with no pointer arguments.
    let _ = unsafe { Py_FinalizeEx() };
}

/// The global state of the last interpreter the layer started, kept alive
/// (leaked) so that `_Py_IsFinalizing` can read it without the GIL and
/// after the interpreter is gone: C atexit handlers and thread-local
/// destructors ask (greenlet's).
static GLOBAL_STATE: std::sync::atomic::AtomicPtr<rustpython_vm::vm::PyGlobalState> =
    std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

/// Remembers `vm`'s global state for `_Py_IsFinalizing` (at layer start).
pub(crate) fn remember_global_state(vm: &VirtualMachine) {
    let current = rustpython_vm::common::rc::PyRc::as_ptr(&vm.state) as *mut _;
    if GLOBAL_STATE.load(std::sync::atomic::Ordering::Acquire) == current {
        return;
    }
    let state = rustpython_vm::common::rc::PyRc::into_raw(vm.state.clone()) as *mut _;
    GLOBAL_STATE.store(state, std::sync::atomic::Ordering::Release);
}

/// Callable without the GIL, as in CPython (a flag read).
#[cpython_api(no_gil)]
fn _Py_IsFinalizing() -> c_int {
    let state = GLOBAL_STATE.load(std::sync::atomic::Ordering::Acquire);
    // SAFETY: a leaked reference to a global state, never freed.
    unsafe { state.as_ref() }.is_some_and(|s| s.finalizing.load(std::sync::atomic::Ordering::Acquire)) as c_int
}

// --- C functions run at exit ---------------------------------------------

/// Functions registered with Py_AtExit, at most 32 as in CPython.
static EXIT_FUNCS: Mutex<Vec<extern "C" fn()>> = Mutex::new(Vec::new());
const MAX_EXIT_FUNCS: usize = 32;

/// Runs the registered functions, last registered first, once the process
/// exits (after the interpreter has run Python's atexit handlers).
extern "C" fn run_exit_funcs() {
    // CPython runs them from Py_FinalizeEx after the runtime is marked
    // uninitialized: Py_IsInitialized() is 0 there (also after Py_Exit,
    // where the host's own finalization has not run).
    FINALIZED.store(true, std::sync::atomic::Ordering::Release);
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

/// `os._exit` as CPython's: `_exit(2)`, which runs no C atexit handler and
/// no thread-local destructor. The host's runs them (it is Rust's
/// `process::exit`), so an extension's handler (HDF5's, greenlet's) ran in
/// a fork child that meant to leave at once, and called into Python there.
pub(crate) fn install_os_exit(vm: &VirtualMachine) {
    fn exit_now(status: c_int) {
        // SAFETY: ends the process; `_exit` has no preconditions.
        unsafe { libc::_exit(status) }
    }
    let exit_now = vm.new_function("_exit", exit_now);
    let modules = vm.sys_module.get_attr("modules", vm).ok();
    for name in ["posix", "os"] {
        if let Some(module) = modules.as_ref().and_then(|m| m.get_item(name, vm).ok()) {
            let _ = module.set_attr("_exit", exit_now.clone(), vm);
        }
    }
}

/// Runs Python's atexit handlers, flushes sys.stdout and sys.stderr, then
/// ends the process with `status` (the Py_AtExit functions run last).
#[cpython_api]
fn Py_Exit(vm: &VirtualMachine, status: c_int) {
    let _ = run_atexit_and_flush(vm);
    mark_ended();
    // SAFETY: ends the process, as CPython's Py_Exit does.
    unsafe { libc::exit(status) }
}

/// The end of the interpreter's work, shared by Py_Exit and Py_FinalizeEx:
/// Python's atexit handlers, then sys.stdout and sys.stderr flushed; -1 if
/// a flush failed.
fn run_atexit_and_flush(vm: &VirtualMachine) -> c_int {
    if let Ok(atexit) = crate::types::import_for_layer(vm, "atexit") {
        let _ = vm.call_method(&atexit, "_run_exitfuncs", ());
    }
    let mut status = 0;
    for stream in ["stdout", "stderr"] {
        if let Ok(file) = vm.sys_module.get_attr(stream, vm) {
            if !vm.is_none(&file) && vm.call_method(&file, "flush", ()).is_err() {
                status = -1;
            }
        }
    }
    status
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

/// Values C set with Py_SetProgramName, Py_SetPythonHome and Py_SetPath
/// (which also empties the prefixes), as CPython keeps them after start-up:
/// they change what the getters return, not sys. Slot value 0 is NULL.
static OVERRIDES: Mutex<[Option<usize>; 5]> = Mutex::new([None; 5]);
const PROGRAM_NAME: usize = 0;
const HOME: usize = 1;
const PATH: usize = 2;
const PREFIX: usize = 3;
const EXEC_PREFIX: usize = 4;

fn overridden(slot: usize) -> Option<*mut libc::wchar_t> {
    OVERRIDES.lock().unwrap()[slot].map(|p| p as *mut libc::wchar_t)
}

/// A copy (kept for ever: C may hold what a getter returned) of a wide
/// string, or 0 for NULL.
/// # Safety
/// `text` must be NULL or a NUL-terminated wide string.
unsafe fn keep_wide(text: *const libc::wchar_t) -> usize {
    if text.is_null() {
        return 0;
    }
    // SAFETY: the caller passes a NUL-terminated wide string.
    let units = unsafe { std::slice::from_raw_parts(text, libc::wcslen(text) + 1) };
    Box::leak(units.to_vec().into_boxed_slice()).as_mut_ptr() as usize
}

/// # Safety
/// `name` must be NULL or a NUL-terminated wide string.
#[cpython_api(no_gil)]
unsafe fn Py_SetProgramName(name: *const libc::wchar_t) {
    // SAFETY: forwarded under the caller's contract.
    let copy = unsafe { keep_wide(name) };
    OVERRIDES.lock().unwrap()[PROGRAM_NAME] = Some(copy);
}

/// # Safety
/// `home` must be NULL or a NUL-terminated wide string.
#[cpython_api(no_gil)]
unsafe fn Py_SetPythonHome(home: *const libc::wchar_t) {
    // SAFETY: forwarded under the caller's contract.
    let copy = unsafe { keep_wide(home) };
    OVERRIDES.lock().unwrap()[HOME] = Some(copy);
}

/// Sets the module search path Py_GetPath reports and empties the prefixes;
/// NULL forgets every value set this way.
/// # Safety
/// `path` must be NULL or a NUL-terminated wide string.
#[cpython_api(no_gil)]
unsafe fn Py_SetPath(path: *const libc::wchar_t) {
    let mut overrides = OVERRIDES.lock().unwrap();
    if path.is_null() {
        *overrides = [None; 5];
        return;
    }
    // SAFETY: forwarded under the caller's contract.
    overrides[PATH] = Some(unsafe { keep_wide(path) });
    let empty = leak_wide("") as usize;
    overrides[PREFIX] = Some(empty);
    overrides[EXEC_PREFIX] = Some(empty);
}

/// argv[0] of the process, as CPython's program name.
#[cpython_api]
fn Py_GetProgramName() -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    if let Some(set) = overridden(PROGRAM_NAME) {
        return set;
    }
    cached_wide(&TEXT, || Some(std::env::args_os().next().map_or_else(|| "python3".to_owned(), |a| a.to_string_lossy().into_owned())))
}

/// sys.executable, or what _Py_SetProgramFullPath set.
#[cpython_api]
fn Py_GetProgramFullPath(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    if let Some(set) = *FULL_PATH.lock().unwrap() {
        return set as *mut libc::wchar_t;
    }
    cached_wide(&TEXT, || Some(sys_str(vm, "executable").unwrap_or_default()))
}

#[cpython_api]
fn Py_GetPrefix(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    if let Some(set) = overridden(PREFIX) {
        return set;
    }
    cached_wide(&TEXT, || Some(sys_str(vm, "prefix").unwrap_or_default()))
}

#[cpython_api]
fn Py_GetExecPrefix(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    if let Some(set) = overridden(EXEC_PREFIX) {
        return set;
    }
    cached_wide(&TEXT, || Some(sys_str(vm, "exec_prefix").unwrap_or_default()))
}

/// The module search path the interpreter was configured with, ':'-joined.
#[cpython_api]
fn Py_GetPath(vm: &VirtualMachine) -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    if let Some(set) = overridden(PATH) {
        return set;
    }
    cached_wide(&TEXT, || Some(vm.state.config.paths.module_search_paths.join(":")))
}

/// $PYTHONHOME (unless the environment is ignored), else NULL.
#[cpython_api]
fn Py_GetPythonHome() -> *mut libc::wchar_t {
    static TEXT: OnceLock<usize> = OnceLock::new();
    if let Some(set) = overridden(HOME) {
        return set;
    }
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

/// What the configuration `Py_InitializeFromConfig` started with asks
/// `Py_RunMain` to run.
static MAIN_PROGRAM: Mutex<Option<MainProgram>> = Mutex::new(None);

#[derive(Clone, Default)]
struct MainProgram {
    command: Option<String>,
    module: Option<String>,
    filename: Option<String>,
    inspect: bool,
    safe_path: bool,
    skip_first_line: bool,
}

/// Reads `config` (a copy: the caller's is untouched), then starts the
/// interpreter with it: sys.argv, sys.path (`module_search_paths`),
/// sys.executable, the program name, sys.flags and the PYTHON* variables
/// as the configuration says.
/// # Safety
/// `config` must be a valid configuration.
#[cpython_api(no_gil)]
unsafe fn Py_InitializeFromConfig(config: *const ffi::PyConfig) -> ffi::PyStatus {
    use super::initconfig::{Config, Stop, status_exit};
    // SAFETY: the caller passes a valid configuration.
    let mut config = unsafe { Config::from_c(&*config) };
    if let Err(Stop::Exit(code)) = config.read() {
        return status_exit(code);
    }
    let texts = config.texts.clone();
    let paths_set = config.numbers.module_search_paths_set != 0;
    *MAIN_PROGRAM.lock().unwrap() = Some(MainProgram {
        command: texts.run_command.clone(),
        module: texts.run_module.clone(),
        filename: texts.run_filename.clone(),
        inspect: config.numbers.inspect > 0,
        safe_path: config.numbers.safe_path != 0,
        skip_first_line: config.numbers.skip_source_first_line != 0,
    });
    if let Some(name) = &texts.program_name {
        OVERRIDES.lock().unwrap()[PROGRAM_NAME] = Some(leak_wide(name) as usize);
    }
    if let Some(home) = &texts.home {
        OVERRIDES.lock().unwrap()[HOME] = Some(leak_wide(home) as usize);
    }
    let configure = |vm: &VirtualMachine| {
        let set = |name: &'static str, value: rustpython_vm::PyObjectRef| {
            if let Err(e) = vm.sys_module.set_attr(name, value, vm) {
                vm.print_exception(&e);
            }
        };
        if paths_set {
            let paths: Vec<_> = texts.module_search_paths.iter().map(|p| vm.ctx.new_str(p.as_str()).into()).collect();
            set("path", vm.ctx.new_list(paths).into());
        }
        if let Some(executable) = &texts.executable {
            set("executable", vm.ctx.new_str(executable.as_str()).into());
        }
    };
    start_interpreter(config.settings(), configure);
    super::initconfig::status_ok()
}

/// Runs what the configuration names (CPython's `-c`, `-m`, script,
/// standard input or interactive shell), then finalizes the interpreter.
/// Returns the exit status: 0, 1 after an uncaught exception (its
/// traceback printed), 120 if finalizing failed. SystemExit ends the
/// process with its code, as in CPython.
#[cpython_api]
fn Py_RunMain(vm: &VirtualMachine) -> c_int {
    let program = MAIN_PROGRAM.lock().unwrap().clone().unwrap_or_default();
    let status = match run_main_program(vm, &program) {
        Ok(()) => 0,
        // As in CPython, SystemExit ends the process here.
        Err(e) if rustpython_vm::AsObject::fast_isinstance(&*e, vm.ctx.exceptions.system_exit) => {
            let code = vm.handle_exit_exception(e) as c_int;
            // SAFETY: an exported C-API function; this thread holds the GIL.
            unsafe { Py_Exit(code) };
            code
        }
        Err(e) => vm.handle_exit_exception(e) as c_int,
    };
    // SAFETY: an exported C-API function with no pointer arguments.
    let finalized = unsafe { Py_FinalizeEx() };
    if finalized < 0 && status == 0 { 120 } else { status }
}

fn run_main_program(vm: &VirtualMachine, program: &MainProgram) -> rustpython_vm::PyResult<()> {
    use std::io::IsTerminal;
    let scope = vm.new_scope_with_main()?;
    // sys.path[0] as CPython computes it, unless -P.
    if !program.safe_path {
        let first = if program.module.is_some() {
            std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default()
        } else if let Some(file) = &program.filename {
            let real = std::fs::canonicalize(file).unwrap_or_else(|_| file.into());
            let dir = if real.is_dir() { real.as_path() } else { real.parent().unwrap_or(std::path::Path::new("")) };
            dir.to_string_lossy().into_owned()
        } else {
            String::new()
        };
        vm.insert_sys_path(vm.ctx.new_str(first).into())?;
    }
    let interactive_after = program.inspect;
    let result = if let Some(command) = &program.command {
        vm.run_string(scope.clone(), command, "<string>").map(drop)
    } else if let Some(module) = &program.module {
        vm.run_module(module)
    } else if let Some(file) = &program.filename {
        if let Err(error) = std::fs::metadata(file) {
            // SAFETY: reads the program name, which is ours.
            let name = unsafe { Py_GetProgramName() };
            // SAFETY: the program name is a NUL-terminated wide string.
            let name: String = unsafe { std::slice::from_raw_parts(name, libc::wcslen(name)) }.iter().filter_map(|&u| char::from_u32(u as u32)).collect();
            let errno = error.raw_os_error().unwrap_or(libc::ENOENT);
            // SAFETY: strerror returns a NUL-terminated message.
            let reason = unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) }.to_string_lossy();
            let shown = std::path::absolute(file).map_or_else(|_| file.clone(), |p| p.to_string_lossy().into_owned());
            eprintln!("{name}: can't open file '{shown}': [Errno {errno}] {reason}");
            return Err(vm.new_system_exit(vec![vm.ctx.new_int(2).into()].into()));
        }
        if program.skip_first_line {
            let source = std::fs::read_to_string(file).map_err(|e| vm.new_os_error(e.to_string()))?;
            let rest = source.split_once('\n').map_or("", |(_, rest)| rest);
            vm.run_string(scope.clone(), &format!("\n{rest}"), file).map(drop)
        } else {
            vm.run_any_file(scope.clone(), file)
        }
    } else if !std::io::stdin().is_terminal() {
        // A script on standard input.
        let code = "exec(compile(__import__('sys').stdin.read(), '<stdin>', 'exec'))";
        vm.run_string(scope.clone(), code, "<stdin>").map(drop)
    } else {
        return rustpython::run_shell(vm, scope);
    };
    if interactive_after && std::io::stdin().is_terminal() {
        if let Err(e) = &result {
            vm.print_exception(e);
        }
        return rustpython::run_shell(vm, scope);
    }
    result
}

/// CPython's `main`: the command line parsed as `python3` parses it, the
/// interpreter started, the program run and the interpreter finalized.
/// Returns the exit status.
/// # Safety
/// `argv` must hold `argc` NUL-terminated wide strings.
#[cpython_api(no_gil)]
unsafe fn Py_Main(argc: c_int, argv: *mut *mut libc::wchar_t) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { main_with(|config| super::initconfig::PyConfig_SetArgv(config, argc as ffi::Py_ssize_t, argv)) }
}

/// `Py_Main` on the locale-encoded arguments `main` receives.
/// # Safety
/// `argv` must hold `argc` NUL-terminated strings.
#[cpython_api(no_gil)]
unsafe fn Py_BytesMain(argc: c_int, argv: *mut *mut c_char) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { main_with(|config| super::initconfig::PyConfig_SetBytesArgv(config, argc as ffi::Py_ssize_t, argv as *const *const c_char)) }
}

/// The shared body of Py_Main and Py_BytesMain: `set_argv` fills a Python
/// configuration's argv.
/// # Safety
/// `set_argv` must leave the configuration valid.
unsafe fn main_with(set_argv: impl FnOnce(*mut ffi::PyConfig) -> ffi::PyStatus) -> c_int {
    use super::initconfig::{PyConfig_Clear, PyConfig_InitPythonConfig, PyStatus_Exception};
    let mut config = std::mem::MaybeUninit::<ffi::PyConfig>::uninit();
    // SAFETY: the configuration is initialised before use and cleared after.
    let status = unsafe {
        PyConfig_InitPythonConfig(config.as_mut_ptr());
        let mut status = set_argv(config.as_mut_ptr());
        if PyStatus_Exception(status) == 0 {
            status = Py_InitializeFromConfig(config.as_ptr());
        }
        PyConfig_Clear(config.as_mut_ptr());
        status
    };
    if status._type == ffi::PyStatus__PyStatus_TYPE_EXIT {
        return status.exitcode;
    }
    if status._type == ffi::PyStatus__PyStatus_TYPE_ERROR {
        // SAFETY: an error status from our own functions.
        unsafe { Py_ExitStatusException(status) };
    }
    // SAFETY: the interpreter runs and this thread holds the GIL.
    unsafe { Py_RunMain() }
}

// --- private start-up helpers (cpython/pylifecycle.h) ------------------------------

/// Whether the core of the runtime is up: in this layer the interpreter
/// starts whole, so whether it runs.
#[cpython_api(no_gil)]
fn _Py_IsCoreInitialized() -> c_int {
    interpreter_running() as c_int
}

/// Completes a start-up that stopped after the core: the interpreter starts
/// whole here, so this starts it if it is not running; once it runs there is
/// nothing left to do, as in CPython.
#[cpython_api(no_gil)]
fn _Py_InitializeMain() -> ffi::PyStatus {
    if !interpreter_running() {
        start_interpreter(embedded_settings(), |_| ());
    }
    super::initconfig::status_ok()
}

/// Puts back the default action of the signals CPython's start-up ignores
/// (SIGPIPE, SIGXFSZ), for a child process about to exec.
#[cpython_api(no_gil)]
fn _Py_RestoreSignals() {
    for sig in [libc::SIGPIPE, libc::SIGXFSZ] {
        // SAFETY: an exported C-API function with no pointer arguments.
        unsafe { PyOS_setsig(sig, libc::SIG_DFL) };
    }
}

/// Sets what Py_GetProgramFullPath returns (a copy); NULL or "" forgets
/// the value set, so that it returns its default again.
/// # Safety
/// `path` must be NULL or a NUL-terminated wide string.
#[cpython_api(no_gil)]
unsafe fn _Py_SetProgramFullPath(path: *const libc::wchar_t) {
    // SAFETY: the caller passes NULL or a NUL-terminated wide string.
    let copy = if path.is_null() || unsafe { *path } == 0 {
        None
    } else {
        // SAFETY: forwarded under the caller's contract.
        Some(unsafe { keep_wide(path) })
    };
    *FULL_PATH.lock().unwrap() = copy;
}

/// What _Py_SetProgramFullPath set, for Py_GetProgramFullPath.
static FULL_PATH: Mutex<Option<usize>> = Mutex::new(None);

/// One field of the host's sys._git (name, branch or tag, revision).
fn git_field(vm: &VirtualMachine, index: usize) -> String {
    vm.sys_module
        .get_attr("_git", vm)
        .and_then(|git| git.get_item(&index, vm))
        .and_then(|value| value.str(vm).map(|s| s.to_string()))
        .unwrap_or_default()
}

/// The branch or tag the interpreter was built from (sys._git[1]).
#[cpython_api]
fn _Py_gitidentifier(vm: &VirtualMachine) -> *const c_char {
    static TEXT: OnceLock<CString> = OnceLock::new();
    cached(&TEXT, || git_field(vm, 1))
}

/// The revision the interpreter was built from (sys._git[2]).
#[cpython_api]
fn _Py_gitversion(vm: &VirtualMachine) -> *const c_char {
    static TEXT: OnceLock<CString> = OnceLock::new();
    cached(&TEXT, || git_field(vm, 2))
}

/// Fills `buffer` with `size` random bytes from getrandom(2) (`flags`),
/// reading /dev/urandom when the call is not available or would block.
/// # Safety
/// `buffer` must be writable for `size` bytes.
unsafe fn urandom(vm: &VirtualMachine, buffer: *mut std::ffi::c_void, size: ffi::Py_ssize_t, flags: c_int) -> rustpython_vm::PyResult<c_int> {
    if size < 0 {
        return Err(vm.new_value_error("negative argument not allowed".to_owned()));
    }
    // SAFETY: the caller's contract.
    let out = unsafe { std::slice::from_raw_parts_mut(buffer as *mut u8, size as usize) };
    let mut filled = 0;
    while filled < out.len() {
        let rest = &mut out[filled..];
        // SAFETY: `rest` is writable for its length.
        let n = unsafe { libc::getrandom(rest.as_mut_ptr().cast(), rest.len(), flags as libc::c_uint) };
        if n >= 0 {
            filled += n as usize;
            continue;
        }
        match std::io::Error::last_os_error().raw_os_error() {
            Some(libc::EINTR) => rustpython_vm::signal::check_signals(vm)?,
            Some(libc::ENOSYS) | Some(libc::EAGAIN) | Some(libc::EPERM) => {
                use std::io::Read;
                let mut file = std::fs::File::open("/dev/urandom").map_err(|e| rustpython_vm::convert::ToPyException::to_pyexception(&e, vm))?;
                file.read_exact(rest).map_err(|e| rustpython_vm::convert::ToPyException::to_pyexception(&e, vm))?;
                filled = out.len();
            }
            _ => return Err(rustpython_vm::convert::ToPyException::to_pyexception(&std::io::Error::last_os_error(), vm)),
        }
    }
    Ok(0)
}

/// `size` bytes for cryptographic use, waiting for the system's entropy pool
/// if needed; 0, or -1 with an exception.
/// # Safety
/// `buffer` must be writable for `size` bytes.
#[cpython_api]
unsafe fn _PyOS_URandom(vm: &VirtualMachine, buffer: *mut std::ffi::c_void, size: ffi::Py_ssize_t) -> rustpython_vm::PyResult<c_int> {
    // SAFETY: forwarded under the caller's contract.
    unsafe { urandom(vm, buffer, size, 0) }
}

/// As `_PyOS_URandom`, but never waiting: /dev/urandom when the pool is not
/// ready.
/// # Safety
/// `buffer` must be writable for `size` bytes.
#[cpython_api]
unsafe fn _PyOS_URandomNonblock(vm: &VirtualMachine, buffer: *mut std::ffi::c_void, size: ffi::Py_ssize_t) -> rustpython_vm::PyResult<c_int> {
    // SAFETY: forwarded under the caller's contract.
    unsafe { urandom(vm, buffer, size, libc::GRND_NONBLOCK as c_int) }
}

// --- the legacy C locale (PEP 538) -----------------------------------------------

/// A non-empty environment variable.
fn env_set(name: &std::ffi::CStr) -> bool {
    // SAFETY: getenv with a NUL-terminated name; the value is read at once.
    let value = unsafe { libc::getenv(name.as_ptr()) };
    // SAFETY: getenv returns NULL or a NUL-terminated string.
    !value.is_null() && unsafe { *value } != 0
}

/// Sets `category` from the environment: setlocale(category, "").
#[cpython_api(no_gil)]
fn _Py_SetLocaleFromEnv(category: c_int) -> *mut c_char {
    set_locale_from_env(category)
}

fn set_locale_from_env(category: c_int) -> *mut c_char {
    // SAFETY: setlocale with a valid empty locale name.
    unsafe { libc::setlocale(category, c"".as_ptr()) }
}

/// Whether LC_CTYPE is the legacy "C" locale; unless `warn`, a non-empty
/// LC_ALL means no (it overrides any coercion).
#[cpython_api(no_gil)]
fn _Py_LegacyLocaleDetected(warn: c_int) -> c_int {
    if warn == 0 && env_set(c"LC_ALL") {
        return 0;
    }
    // SAFETY: a query: setlocale with NULL returns the current name.
    let current = unsafe { libc::setlocale(libc::LC_CTYPE, std::ptr::null()) };
    // SAFETY: setlocale returns NULL or a NUL-terminated string.
    (!current.is_null() && unsafe { std::ffi::CStr::from_ptr(current) } == c"C") as c_int
}

/// Coerces LC_CTYPE to the first UTF-8 locale of C.UTF-8, C.utf8 and UTF-8
/// the system has (PEP 538), unless LC_ALL is set: sets the LC_CTYPE
/// environment variable to it, prints a warning to stderr if `warn`, and
/// sets every category from the environment. 1 if coerced, else 0 (the
/// locale unchanged).
#[cpython_api(no_gil)]
fn _Py_CoerceLegacyLocale(warn: c_int) -> c_int {
    // SAFETY: a query; the name is copied before the next setlocale.
    let old = unsafe { libc::setlocale(libc::LC_CTYPE, std::ptr::null()) };
    if old.is_null() {
        return 0;
    }
    // SAFETY: setlocale returned a NUL-terminated string.
    let old = unsafe { std::ffi::CStr::from_ptr(old) }.to_owned();
    if !env_set(c"LC_ALL") {
        for target in [c"C.UTF-8", c"C.utf8", c"UTF-8"] {
            // SAFETY: setlocale with a NUL-terminated locale name.
            if unsafe { libc::setlocale(libc::LC_CTYPE, target.as_ptr()) }.is_null() {
                continue;
            }
            // SAFETY: nl_langinfo returns NULL or a NUL-terminated string.
            let codeset = unsafe { libc::nl_langinfo(libc::CODESET) };
            // SAFETY: as above.
            if codeset.is_null() || unsafe { *codeset } == 0 {
                set_locale_from_env(libc::LC_CTYPE);
                continue;
            }
            // SAFETY: setenv with NUL-terminated name and value.
            if unsafe { libc::setenv(c"LC_CTYPE".as_ptr(), target.as_ptr(), 1) } != 0 {
                eprintln!("Error setting LC_CTYPE, skipping C locale coercion");
                return 0;
            }
            if warn != 0 {
                eprint!(
                    "Python detected LC_CTYPE=C: LC_CTYPE coerced to {} (set another locale or PYTHONCOERCECLOCALE=0 to disable this locale coercion behavior).\n",
                    target.to_string_lossy()
                );
            }
            set_locale_from_env(libc::LC_ALL);
            return 1;
        }
    }
    // SAFETY: restores the name saved above.
    unsafe { libc::setlocale(libc::LC_CTYPE, old.as_ptr()) };
    0
}

/// Whether a stream is a terminal or, with Py_InteractiveFlag (-i), stands
/// for standard input by its name (NULL, "<stdin>" or "???").
/// # Safety
/// `fp` must be an open FILE; `filename` NULL or a live object.
#[cpython_api]
unsafe fn _Py_FdIsInteractive(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *mut ffi::PyObject) -> rustpython_vm::PyResult<c_int> {
    // SAFETY: the caller passes an open stream.
    if unsafe { libc::isatty(libc::fileno(fp)) } != 0 {
        return Ok(1);
    }
    // SAFETY: reading an exported int.
    if unsafe { super::pydebug::Py_InteractiveFlag } == 0 {
        return Ok(0);
    }
    let Some(name) = crate::proxy::opt_to_host(vm, filename)? else {
        return Ok(1);
    };
    let is = |text: &str| name.downcast_ref::<rustpython_vm::builtins::PyStr>().is_some_and(|s| s.to_str() == Some(text));
    Ok((is("<stdin>") || is("???")) as c_int)
}
