//! pystate.h: the interpreter state and the per-thread states.
//!
//! There is one interpreter. Every OS thread that runs extension code gets
//! one `PyThreadState` for its whole life, made on first use and unlisted
//! when the thread ends, but not freed: C may keep the pointer (cffi does),
//! and a thread that ends holds no GIL to free it under while another walks
//! the list. A state C makes with `PyThreadState_New` is freed when C
//! deletes it, as in CPython. The layer keeps the fields C reads up to date; see
//! `include/pystate.h`.
use crate::ffi::{self, PyObject, PyThreadState};
use crate::proxy;
use cpyext_macros::cpython_api;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::cell::Cell;
use std::ffi::c_int;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};

/// What a `PyInterpreterState *` points at. Opaque to C.
pub(crate) struct InterpreterState {
    /// Immortal proxy of the interpreter's dict, made on first request.
    dict: AtomicPtr<PyObject>,
}

static INTERPRETER: InterpreterState = InterpreterState { dict: AtomicPtr::new(std::ptr::null_mut()) };

/// The one interpreter, as C sees it.
pub(crate) fn interpreter() -> *mut ffi::PyInterpreterState {
    &INTERPRETER as *const InterpreterState as *mut ffi::PyInterpreterState
}

/// Ids of thread states, counted from 1 as CPython does.
static NEXT_THREAD_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static THIS_THREAD: Cell<*mut PyThreadState> = const { Cell::new(std::ptr::null_mut()) };
    /// Takes this thread's state out of the interpreter's list when the
    /// thread ends (the memory stays: see the module's documentation).
    static UNLINK_AT_EXIT: Unlink = const { Unlink(Cell::new(std::ptr::null_mut())) };
}

/// The interpreter's thread states, newest first, linked through their
/// `next` and `prev` fields as in CPython.
static THREADS_HEAD: AtomicPtr<PyThreadState> = AtomicPtr::new(std::ptr::null_mut());
static THREADS_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

struct Unlink(Cell<*mut PyThreadState>);

impl Drop for Unlink {
    fn drop(&mut self) {
        let state = self.0.replace(std::ptr::null_mut());
        if !state.is_null() {
            // The thread is ending, without the GIL: another thread may be
            // walking the list under the GIL and holding this state's
            // pointer (PyThreadState_Next), so it is unlinked, not freed.
            unlink_thread_state(state);
        }
    }
}

/// Takes `state` out of the interpreter and frees its memory. A thread
/// whose state it was has none afterwards (its next use makes a new one).
/// # Safety
/// `state` must come from `new_thread_state` and not be freed yet, and
/// nothing may use it afterwards: it is not current on any other thread.
unsafe fn free_thread_state(state: *mut PyThreadState) {
    unlink_thread_state(state);
    let _ = THIS_THREAD.try_with(|t| {
        if t.get() == state {
            t.set(std::ptr::null_mut());
        }
    });
    let _ = UNLINK_AT_EXIT.try_with(|u| {
        if u.0.get() == state {
            u.0.set(std::ptr::null_mut());
        }
    });
    // SAFETY: the caller passes a state from Box::into_raw in
    // new_thread_state, freed once.
    drop(unsafe { Box::from_raw(state) });
}

fn link_thread_state(state: *mut PyThreadState) {
    let _guard = THREADS_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let head = THREADS_HEAD.load(Ordering::Acquire);
    // SAFETY: `state` is new and live; `head` is listed, and a listed state is
    // freed only after it is unlinked under THREADS_LOCK, which we hold.
    unsafe {
        (*state).next = head;
        if !head.is_null() {
            (*head).prev = state;
        }
    }
    THREADS_HEAD.store(state, Ordering::Release);
}

/// The recursion limit a new thread state starts with.
fn host_recursion_limit() -> c_int {
    rustpython_vm::vm::thread::try_with_current_vm(|vm| vm.recursion_limit.get() as c_int).unwrap_or(1000)
}

/// A new thread state of the interpreter, listed in it, bound to no thread.
fn new_thread_state() -> *mut PyThreadState {
    // SAFETY: PyThreadState is a plain C struct for which all-zero is CPython's
    // own starting state (NULL pointers, zero counters).
    let mut state: Box<PyThreadState> = Box::new(unsafe { std::mem::zeroed() });
    let limit = host_recursion_limit();
    state.interp = interpreter();
    state._initialized = 1;
    state.recursion_limit = limit;
    state.recursion_remaining = limit;
    state.id = NEXT_THREAD_ID.fetch_add(1, Ordering::Relaxed);
    let state = Box::into_raw(state);
    // SAFETY: `state` is a live leaked allocation; the two fields point into it.
    unsafe {
        (*state).exc_info = &mut (*state).exc_state;
        (*state).cframe = &mut (*state).root_cframe;
    }
    note_running_thread(state);
    link_thread_state(state);
    state
}

/// Records the calling OS thread as the one running `state`.
fn note_running_thread(state: *mut PyThreadState) {
    // SAFETY: `state` is a live thread state; pthread_self and gettid have
    // no preconditions.
    unsafe {
        (*state).thread_id = libc::pthread_self() as std::ffi::c_ulong;
        (*state).native_thread_id = libc::gettid() as std::ffi::c_ulong;
    }
}

/// States made for Python threads that had run no extension code when C
/// walked the interpreter's list (`PyInterpreterState_ThreadHead`), with
/// the thread's ident: the thread takes its state from here when it first
/// needs one, and the state leaves the list if the thread ends first.
static UNCLAIMED: std::sync::Mutex<Vec<(u64, usize)>> = std::sync::Mutex::new(Vec::new());

/// Lists a thread state for every thread of the host that has none yet,
/// as CPython's list holds every Python thread, and takes out those made
/// so for threads that ended without claiming them.
fn list_host_threads() {
    let Some(idents) = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
        vm.state.thread_frames.lock().keys().copied().collect::<Vec<u64>>()
    }) else {
        return;
    };
    let mut unclaimed = UNCLAIMED.lock().unwrap_or_else(|e| e.into_inner());
    unclaimed.retain(|&(ident, state)| {
        let alive = idents.contains(&ident);
        if !alive {
            unlink_thread_state(state as *mut PyThreadState);
        }
        alive
    });
    let listed: Vec<u64> = {
        let _guard = THREADS_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let mut ids = Vec::new();
        let mut cursor = THREADS_HEAD.load(Ordering::Acquire);
        while !cursor.is_null() {
            // SAFETY: listed states are never freed; the list is read under THREADS_LOCK.
            unsafe {
                ids.push((*cursor).thread_id as u64);
                cursor = (*cursor).next;
            }
        }
        ids
    };
    for ident in idents {
        if listed.contains(&ident) {
            continue;
        }
        let state = new_thread_state();
        // SAFETY: `state` is new and live; its thread is `ident`, whose
        // native id is not known until it claims the state.
        unsafe {
            (*state).thread_id = ident as std::ffi::c_ulong;
            (*state).native_thread_id = 0;
        }
        unclaimed.push((ident, state as usize));
    }
}

/// The state listed for the calling thread before it had one, if any.
fn claim_listed_state() -> *mut PyThreadState {
    // SAFETY: pthread_self has no preconditions.
    let ident = unsafe { libc::pthread_self() } as u64;
    let mut unclaimed = UNCLAIMED.lock().unwrap_or_else(|e| e.into_inner());
    match unclaimed.iter().position(|&(id, _)| id == ident) {
        Some(at) => {
            let state = unclaimed.swap_remove(at).1 as *mut PyThreadState;
            note_running_thread(state);
            state
        }
        None => std::ptr::null_mut(),
    }
}

/// This thread's state, made on first use.
pub(crate) fn this_thread_state() -> *mut PyThreadState {
    let existing = THIS_THREAD.with(|t| t.get());
    if !existing.is_null() {
        return existing;
    }
    let claimed = claim_listed_state();
    let state = if claimed.is_null() { new_thread_state() } else { claimed };
    // SAFETY: `state` is new and live.
    unsafe { (*state).gilstate_counter = 1 };
    THIS_THREAD.with(|t| t.set(state));
    // A thread that is ending (a pthread-key destructor calling C) may no
    // longer reach its thread-locals; then its state is not listed (no
    // thread runs it once this one is gone) and stays allocated, as C may
    // still use it until the thread's end.
    if UNLINK_AT_EXIT.try_with(|u| u.0.set(state)).is_err() {
        unlink_thread_state(state);
    }
    state
}

/// Makes `state` this thread's state (a state made with
/// `PyThreadState_New`, or NULL for none); returns the one it had.
pub(crate) fn set_this_thread_state(state: *mut PyThreadState) -> *mut PyThreadState {
    if !state.is_null() {
        note_running_thread(state);
    }
    SWAPPED_OUT.with(|s| s.set(false));
    THIS_THREAD.with(|t| t.replace(state))
}

/// Whether `state` is a live thread state of the interpreter.
pub(crate) fn is_listed(state: *mut PyThreadState) -> bool {
    let _guard = THREADS_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut cursor = THREADS_HEAD.load(Ordering::Acquire);
    while !cursor.is_null() {
        if cursor == state {
            return true;
        }
        // SAFETY: a listed state is freed only after it is unlinked under
        // THREADS_LOCK, which we hold.
        cursor = unsafe { (*cursor).next };
    }
    false
}

/// Takes `state` out of the interpreter and frees it, as C has deleted it
/// (`PyThreadState_Delete`, `PyThreadState_DeleteCurrent`); if it is the
/// calling thread's state, the thread no longer has one.
/// # Safety
/// `state` must be a state the layer handed out, not freed yet, that no
/// thread uses any more.
pub(crate) unsafe fn retire_thread_state(state: *mut PyThreadState) {
    // SAFETY: as the caller promises.
    unsafe { free_thread_state(state) };
}

/// A new thread state for the interpreter, for C that runs a thread of its
/// own (pybind11's `gil_scoped_acquire`). `PyEval_AcquireThread` or
/// `PyEval_RestoreThread` makes it current; on a thread that has no state
/// yet it also becomes the one `PyGILState_GetThisThreadState` returns.
#[cpython_api(no_gil)]
fn PyThreadState_New(interp: *mut ffi::PyInterpreterState) -> *mut PyThreadState {
    if interp != interpreter() {
        crate::boundary::fatal("PyThreadState_New: not the interpreter's state (there is one interpreter)");
    }
    let state = new_thread_state();
    let _ = THIS_THREAD.try_with(|t| {
        if t.get().is_null() {
            t.set(state);
        }
    });
    state
}

/// This thread's state if it has one, without making one.
pub(crate) fn existing_thread_state() -> *mut PyThreadState {
    THIS_THREAD.with(|t| t.get())
}

/// Takes a thread state out of the interpreter's list (its memory stays).
fn unlink_thread_state(state: *mut PyThreadState) {
    let _guard = THREADS_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: `state` is live (the callers' promise); its neighbours are
    // listed, and so live while we hold THREADS_LOCK.
    unsafe {
        let (prev, next) = ((*state).prev, (*state).next);
        let listed = !prev.is_null() || THREADS_HEAD.load(Ordering::Acquire) == state;
        if !listed {
            return;
        }
        if prev.is_null() {
            THREADS_HEAD.store(next, Ordering::Release);
        } else {
            (*prev).next = next;
        }
        if !next.is_null() {
            (*next).prev = prev;
        }
        (*state).prev = std::ptr::null_mut();
        (*state).next = std::ptr::null_mut();
    }
}

/// Drops what a thread state holds: the contents of its dict, which it then
/// no longer has (a later PyThreadState_GetDict on that thread makes a new
/// one). The GIL must be held.
/// # Safety
/// `tstate` must be a thread state the layer handed out.
#[cpython_api]
unsafe fn PyThreadState_Clear(vm: &VirtualMachine, tstate: *mut PyThreadState) -> PyResult<()> {
    // SAFETY: the caller passes a live thread state.
    let dict = unsafe { std::mem::replace(&mut (*tstate).dict, std::ptr::null_mut()) };
    if !dict.is_null() {
        // The dict's proxy is immortal: empty it so that what it holds goes.
        let host = proxy::to_host(vm, dict)?;
        vm.call_method(&host, "clear", ())?;
    }
    Ok(())
}

/// Takes the state of a thread that has finished out of the interpreter and
/// frees it. Deleting the state that is current is a fatal error, as in
/// CPython. A state no longer listed (deleted already) is left alone.
/// # Safety
/// `tstate` must be a thread state the layer handed out, of a thread that
/// no longer uses it.
#[cpython_api(no_gil)]
unsafe fn PyThreadState_Delete(tstate: *mut PyThreadState) {
    if tstate.is_null() {
        crate::boundary::fatal("PyThreadState_Delete: NULL tstate");
    }
    // SAFETY: an API function with no arguments.
    if tstate == unsafe { _PyThreadState_UncheckedGet() } {
        crate::boundary::fatal("PyThreadState_Delete: tstate is still current");
    }
    if is_listed(tstate) {
        // SAFETY: a listed state was handed out and not freed; C no longer
        // uses it, as it deletes it.
        unsafe { retire_thread_state(tstate) };
    }
}

/// Ends the current thread state, which `PyEval_AcquireThread` or
/// `PyEval_RestoreThread` made current from `PyThreadState_New`, frees it,
/// and releases the GIL.
#[cpython_api]
fn PyThreadState_DeleteCurrent() {
    let ended = super::ceval::end_adopted_state();
    if is_listed(ended) {
        // SAFETY: the state just ended on this thread, which no longer has
        // it; C deletes it, so nothing uses it any more.
        unsafe { retire_thread_state(ended) };
    }
}

/// Suspends the C trace and profile functions on `tstate`'s thread until
/// the matching `PyThreadState_LeaveTracing` (a tracer that calls Python
/// code it does not want traced). Pairs nest.
/// # Safety
/// `tstate` must be a live thread state; the caller holds the GIL.
#[cpython_api]
unsafe fn PyThreadState_EnterTracing(tstate: *mut PyThreadState) {
    // SAFETY: the caller's contract; `cframe` points into the state.
    unsafe {
        (*tstate).tracing += 1;
        if !(*tstate).cframe.is_null() {
            (*(*tstate).cframe).use_tracing = 0;
        }
    }
}

/// Ends one `PyThreadState_EnterTracing`.
/// # Safety
/// As `PyThreadState_EnterTracing`.
#[cpython_api]
unsafe fn PyThreadState_LeaveTracing(tstate: *mut PyThreadState) {
    // SAFETY: the caller's contract; `cframe` points into the state.
    unsafe {
        (*tstate).tracing -= 1;
        if !(*tstate).cframe.is_null() {
            let tracer_set = (*tstate).c_tracefunc.is_some() || (*tstate).c_profilefunc.is_some();
            (*(*tstate).cframe).use_tracing = ((*tstate).tracing <= 0 && tracer_set) as u8;
        }
    }
}

/// Whether this thread's C tracers are suspended (`PyThreadState_EnterTracing`).
pub(crate) fn tracing_suspended() -> bool {
    let state = existing_thread_state();
    // SAFETY: this thread's own live state, read under the GIL.
    !state.is_null() && unsafe { (*state).tracing } > 0
}

/// The newest thread state of the interpreter, whose list holds every
/// live Python thread (those that ran no extension code get a state here).
#[cpython_api(no_gil)]
fn PyInterpreterState_ThreadHead(interp: *mut ffi::PyInterpreterState) -> *mut PyThreadState {
    if interp != interpreter() {
        return std::ptr::null_mut();
    }
    list_host_threads();
    THREADS_HEAD.load(Ordering::Acquire)
}

/// # Safety
/// `tstate` must be a thread state the layer handed out.
#[cpython_api(no_gil)]
unsafe fn PyThreadState_Next(tstate: *mut PyThreadState) -> *mut PyThreadState {
    // SAFETY: the caller passes a live thread state.
    unsafe { (*tstate).next }
}

/// The interpreter state argument, checked to be the one interpreter.
fn check_interpreter(vm: &VirtualMachine, interp: *mut ffi::PyInterpreterState) -> PyResult<()> {
    if interp == interpreter() {
        Ok(())
    } else {
        Err(super::bad_internal_call(vm))
    }
}

#[cpython_api]
fn PyInterpreterState_Get() -> *mut ffi::PyInterpreterState {
    interpreter()
}

#[cpython_api(no_gil)]
fn PyInterpreterState_Main() -> *mut ffi::PyInterpreterState {
    interpreter()
}

#[cpython_api(no_gil)]
fn PyInterpreterState_Head() -> *mut ffi::PyInterpreterState {
    interpreter()
}

/// There are no subinterpreters: the main one is the last.
#[cpython_api(no_gil)]
fn PyInterpreterState_Next(_interp: *mut ffi::PyInterpreterState) -> *mut ffi::PyInterpreterState {
    std::ptr::null_mut()
}

/// The main interpreter's id is 0.
#[cpython_api]
fn PyInterpreterState_GetID(vm: &VirtualMachine, interp: *mut ffi::PyInterpreterState) -> PyResult<i64> {
    if interp.is_null() {
        return Err(vm.new_runtime_error("no interpreter provided".to_owned()));
    }
    check_interpreter(vm, interp)?;
    Ok(0)
}

/// The running interpreter's configuration (`cpython/initconfig.h`'s
/// PyConfig): read-only, kept for the process, its values start-up's.
fn running_config(vm: &VirtualMachine) -> PyResult<*const ffi::PyConfig> {
    let config = super::initconfig::running_config(vm);
    if config.is_null() { Err(crate::error_indicator::no_memory(vm)) } else { Ok(config) }
}

#[cpython_api]
fn _Py_GetConfig(vm: &VirtualMachine) -> PyResult<*const ffi::PyConfig> {
    running_config(vm)
}

#[cpython_api]
fn _PyInterpreterState_GetConfig(vm: &VirtualMachine, interp: *mut ffi::PyInterpreterState) -> PyResult<*const ffi::PyConfig> {
    check_interpreter(vm, interp)?;
    running_config(vm)
}

/// Replaces `config`'s contents (freeing the old) with a copy of the running
/// interpreter's configuration, which the caller frees with `PyConfig_Clear`.
/// # Safety
/// `config` must be an initialised PyConfig (`PyConfig_InitPythonConfig`).
#[cpython_api]
unsafe fn _PyInterpreterState_GetConfigCopy(vm: &VirtualMachine, config: *mut ffi::PyConfig) -> PyResult<c_int> {
    if config.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a writable configuration.
    if unsafe { super::initconfig::copy_running_config(vm, config) } { Ok(0) } else { Err(crate::error_indicator::no_memory(vm)) }
}

/// Borrowed: a dict for per-interpreter data, made on first request.
#[cpython_api]
fn PyInterpreterState_GetDict(vm: &VirtualMachine, interp: *mut ffi::PyInterpreterState) -> PyResult<*mut PyObject> {
    check_interpreter(vm, interp)?;
    let existing = INTERPRETER.dict.load(Ordering::Acquire);
    if !existing.is_null() {
        return Ok(existing);
    }
    let dict = proxy::into_ref(vm, vm.ctx.new_dict().into());
    proxy::make_immortal(dict);
    // Under the GIL no other thread races this store.
    INTERPRETER.dict.store(dict, Ordering::Release);
    Ok(dict)
}

/// The state of the calling thread (which holds the GIL).
#[cpython_api]
fn PyThreadState_Get() -> *mut PyThreadState {
    this_thread_state()
}

thread_local! {
    /// Set while C has swapped this thread's state out (PyThreadState_Swap(NULL)).
    static SWAPPED_OUT: Cell<bool> = const { Cell::new(false) };
}

/// The calling thread's state, or NULL when it does not hold the GIL (or
/// swapped its state out).
#[cpython_api(no_gil)]
fn _PyThreadState_UncheckedGet() -> *mut PyThreadState {
    if crate::gil::held() && !SWAPPED_OUT.with(|s| s.get()) { this_thread_state() } else { std::ptr::null_mut() }
}

pub(crate) fn swapped_out() -> bool {
    SWAPPED_OUT.with(|s| s.get())
}

/// Makes `tstate` the current state and returns the previous one. NULL
/// takes the thread's state out (as around PyEval_ReleaseLock); any live
/// state of the interpreter, such as one from `PyThreadState_New`, can be
/// put in.
#[cpython_api(no_gil)]
fn PyThreadState_Swap(tstate: *mut PyThreadState) -> *mut PyThreadState {
    // SAFETY: an API function with no arguments.
    let previous = unsafe { _PyThreadState_UncheckedGet() };
    if tstate.is_null() {
        SWAPPED_OUT.with(|s| s.set(true));
    } else if tstate == existing_thread_state() {
        SWAPPED_OUT.with(|s| s.set(false));
    } else if is_listed(tstate) {
        set_this_thread_state(tstate);
    } else {
        crate::boundary::fatal("PyThreadState_Swap: not a live thread state of this interpreter");
    }
    previous
}

/// The state of this thread: NULL on a thread made in C that never entered
/// the interpreter.
#[cpython_api(no_gil)]
fn PyGILState_GetThisThreadState() -> *mut PyThreadState {
    let existing = existing_thread_state();
    if !existing.is_null() || !rustpython_vm::vm::thread::current_vm_is_set() {
        return existing;
    }
    this_thread_state()
}

/// Borrowed: the calling thread's dict, where extensions keep per-thread
/// data; it lives as long as the process.
#[cpython_api]
fn PyThreadState_GetDict(vm: &VirtualMachine) -> *mut PyObject {
    let state = this_thread_state();
    // SAFETY: `state` is this thread's live state; only this thread writes `dict`.
    unsafe {
        if (*state).dict.is_null() {
            let dict = proxy::into_ref(vm, vm.ctx.new_dict().into());
            proxy::make_immortal(dict);
            (*state).dict = dict;
        }
        (*state).dict
    }
}

/// # Safety
/// `tstate` must be a thread state the layer handed out.
#[cpython_api]
unsafe fn PyThreadState_GetInterpreter(tstate: *mut PyThreadState) -> *mut ffi::PyInterpreterState {
    // SAFETY: the caller passes a live thread state.
    unsafe { (*tstate).interp }
}

/// # Safety
/// `tstate` must be a thread state the layer handed out.
#[cpython_api]
unsafe fn PyThreadState_GetID(tstate: *mut PyThreadState) -> u64 {
    // SAFETY: the caller passes a live thread state.
    unsafe { (*tstate).id }
}

/// New reference: the frame the thread runs, or NULL (no error) if none.
/// # Safety
/// `tstate` must be a thread state the layer handed out.
#[cpython_api]
unsafe fn PyThreadState_GetFrame(vm: &VirtualMachine, tstate: *mut PyThreadState) -> PyResult<*mut PyObject> {
    let frame = if tstate == existing_thread_state() {
        vm.current_frame().map(PyObjectRef::from)
    } else {
        // SAFETY: the caller passes a live thread state.
        frame_of_thread(vm, unsafe { (*tstate).thread_id })?
    };
    Ok(frame.map_or(std::ptr::null_mut(), |f| proxy::into_ref(vm, f)))
}

/// The innermost frame of the thread `ident` (`threading.get_ident()`), as
/// `sys._current_frames()` sees it; None if no thread has that id.
fn frame_of_thread(vm: &VirtualMachine, ident: std::ffi::c_ulong) -> PyResult<Option<PyObjectRef>> {
    let frames = vm.sys_module.get_attr("_current_frames", vm)?.call((), vm)?;
    Ok(frames.get_item(&*PyObjectRef::from(vm.ctx.new_int(ident)), vm).ok())
}

/// Borrowed: the module single-phase init made from `def`, or NULL.
#[cpython_api]
fn PyState_FindModule(def: *mut ffi::PyModuleDef) -> *mut PyObject {
    super::moduleobject::module_of_def(def)
}

/// Registers `module` as the one `PyState_FindModule(def)` finds. Modules
/// with slots (multi-phase) cannot be registered, as in CPython.
///
/// # Safety
/// `def` points at a live `PyModuleDef`.
#[cpython_api]
unsafe fn PyState_AddModule(vm: &VirtualMachine, module: *mut PyObject, def: *mut ffi::PyModuleDef) -> PyResult<c_int> {
    if def.is_null() {
        return Err(vm.new_system_error("module definition is NULL".to_owned()));
    }
    let module = crate::proxy::to_host(vm, module)?;
    // SAFETY: the caller's contract on `def`.
    if !unsafe { (*def).m_slots }.is_null() {
        return Err(vm.new_system_error("PyState_AddModule called on module with slots".to_owned()));
    }
    super::moduleobject::register_for_find(&module, def);
    Ok(0)
}

/// Undoes `PyState_AddModule` (or single-phase init's own registration).
///
/// # Safety
/// `def` points at a live `PyModuleDef`.
#[cpython_api]
unsafe fn PyState_RemoveModule(vm: &VirtualMachine, def: *mut ffi::PyModuleDef) -> PyResult<c_int> {
    // SAFETY: the caller's contract on `def`.
    if !def.is_null() && !unsafe { (*def).m_slots }.is_null() {
        return Err(vm.new_system_error("PyState_RemoveModule called on module with slots".to_owned()));
    }
    if def.is_null() || !super::moduleobject::unregister_for_find(def) {
        // CPython stops the process here; a clear exception is enough.
        return Err(vm.new_system_error("PyState_RemoveModule: no module was added for this definition".to_owned()));
    }
    Ok(0)
}

// --- the private names of cpython/pystate.h -----------------------------------------

/// The interpreter, without any check (there is one, for the process's life).
#[cpython_api(no_gil)]
fn _PyGILState_GetInterpreterStateUnsafe() -> *mut ffi::PyInterpreterState {
    interpreter()
}

/// New reference: the interpreter's `__main__` module (`sys.modules`),
/// KeyError if it is gone.
#[cpython_api]
fn _PyInterpreterState_GetMainModule(vm: &VirtualMachine, interp: *mut ffi::PyInterpreterState) -> PyResult<*mut PyObject> {
    check_interpreter(vm, interp)?;
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let main = modules.get_item("__main__", vm)?;
    Ok(proxy::into_ref(vm, main))
}

/// The interpreter's "requires an id reference" flag (what
/// `_PyInterpreterState_RequireIDRef` last set; 0 at first). With one
/// interpreter that is never destroyed early, it is a flag only.
static REQUIRES_ID_REF: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

#[cpython_api]
fn _PyInterpreterState_RequiresIDRef(interp: *mut ffi::PyInterpreterState) -> c_int {
    if interp != interpreter() {
        return 0;
    }
    REQUIRES_ID_REF.load(Ordering::Relaxed)
}

#[cpython_api]
fn _PyInterpreterState_RequireIDRef(interp: *mut ffi::PyInterpreterState, required: c_int) {
    if interp == interpreter() {
        REQUIRES_ID_REF.store((required != 0) as c_int, Ordering::Relaxed);
    }
}

/// Borrowed: the dict of any thread state, made on first request (NULL,
/// without an exception, only if that fails).
/// # Safety
/// `tstate` must be a thread state the layer handed out.
#[cpython_api]
unsafe fn _PyThreadState_GetDict(vm: &VirtualMachine, tstate: *mut PyThreadState) -> *mut PyObject {
    if tstate.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: the caller passes a live thread state; its `dict` is written
    // only under the GIL, which this thread holds.
    unsafe {
        if (*tstate).dict.is_null() {
            let dict = proxy::into_ref(vm, vm.ctx.new_dict().into());
            proxy::make_immortal(dict);
            (*tstate).dict = dict;
        }
        (*tstate).dict
    }
}

/// A new thread state of the interpreter, listed in it but bound to no
/// thread and current nowhere (a thread later takes it with
/// `PyEval_AcquireThread`); NULL for another interpreter.
#[cpython_api]
fn _PyThreadState_Prealloc(interp: *mut ffi::PyInterpreterState) -> *mut PyThreadState {
    if interp != interpreter() {
        return std::ptr::null_mut();
    }
    let state = new_thread_state();
    // SAFETY: `state` is new and live; no thread runs it yet.
    unsafe {
        (*state).thread_id = 0;
        (*state).native_thread_id = 0;
    }
    state
}

/// New reference: `sys._current_frames()`, each running thread's id to
/// its innermost frame.
#[cpython_api]
fn _PyThread_CurrentFrames(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    let frames = vm.sys_module.get_attr("_current_frames", vm)?.call((), vm)?;
    Ok(proxy::into_ref(vm, frames))
}

/// New reference: each running thread's id to the exception it is
/// handling, as CPython 3.11's `sys._current_exceptions()` gives it: a
/// (type, value, traceback) tuple, three Nones for none.
#[cpython_api]
fn _PyThread_CurrentExceptions(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    let host = vm.sys_module.get_attr("_current_exceptions", vm)?.call((), vm)?;
    let result = vm.ctx.new_dict();
    let items = vm.call_method(&host, "items", ())?;
    for item in items.try_to_value::<Vec<PyObjectRef>>(vm)? {
        let ident = item.get_item(&*PyObjectRef::from(vm.ctx.new_int(0)), vm)?;
        let exc = item.get_item(&*PyObjectRef::from(vm.ctx.new_int(1)), vm)?;
        let info: Vec<PyObjectRef> = match exc.downcast::<rustpython_vm::builtins::PyBaseException>() {
            Ok(exc) => {
                let traceback = exc.__traceback__().map_or_else(|| vm.ctx.none(), Into::into);
                vec![rustpython_vm::AsObject::class(&exc).to_owned().into(), exc.into(), traceback]
            }
            Err(_) => vec![vm.ctx.none(), vm.ctx.none(), vm.ctx.none()],
        };
        result.set_item(&*ident, vm.ctx.new_tuple(info).into(), vm)?;
    }
    Ok(proxy::into_ref(vm, result.into()))
}

/// Asks thread `id` (`threading.get_ident()`) to raise `exc` (an exception
/// class, or NULL to withdraw the request). Returns how many threads it
/// reached: 1, or 0 when no thread has that id. The thread raises it when a
/// call into C next returns, not between two bytecodes as in CPython
/// (differences.md).
#[cpython_api]
fn PyThreadState_SetAsyncExc(vm: &VirtualMachine, id: std::ffi::c_ulong, exc: *mut PyObject) -> PyResult<c_int> {
    if frame_of_thread(vm, id)?.is_none() {
        return Ok(0);
    }
    let exc = if exc.is_null() { None } else { Some(proxy::to_host(vm, exc)?) };
    crate::error_indicator::set_async_exception(id as u64, exc);
    Ok(1)
}
