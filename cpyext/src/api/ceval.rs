//! ceval.h: releasing and taking the GIL from C.
use crate::borrow::CallFrame;
use crate::gil;
use cpyext_macros::cpython_api;
use rustpython_vm::vm::thread::{self as host_thread, CurrentVmAttachState, SavedThreadState};
use std::cell::RefCell;
use crate::ffi::PyObject;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::sync::atomic::Ordering;
use rustpython_vm::AsObject;

/// What `PyEval_SaveThread` hands C as its `PyThreadState *`.
pub struct SavedState {
    gil_depth: u32,
    host: HostState,
}

enum HostState {
    /// The thread left the VM; this restores it.
    Detached(SavedThreadState),
    /// Lent to a `PyGILState_Ensure` on the same thread, still running.
    LentOut,
    /// Released inside a destructor: the thread kept its VM stack (see
    /// `gil::DestructorScope`) but is detached for stop-the-world when it
    /// was attached (`true`): a tp_dealloc that waits, GIL released, for a
    /// lock whose holder starts a collection must not hold that up.
    StayedOnStack(bool),
}

/// How a `PyGILState_Ensure` got this thread onto the VM.
enum Attachment {
    /// The thread was already running Python.
    AlreadyOn,
    /// A thread made in C, given a VM until the matching release.
    NewThread(CurrentVmAttachState),
    /// A thread that left the VM with `PyEval_SaveThread`, as pysqlite3's
    /// callbacks do from inside `Py_BEGIN_ALLOW_THREADS`: it goes back to
    /// its own saved state, as CPython reuses the thread's own tstate.
    Resumed(*mut SavedState),
    /// A destructor's `Py_BEGIN_ALLOW_THREADS` detached the thread in place
    /// (`HostState::StayedOnStack(true)`): attached again for the callback,
    /// detached again by the release.
    ReattachedInPlace(*mut SavedState),
}

thread_local! {
    /// This thread's outstanding `PyEval_SaveThread` states, innermost last.
    static SAVED: RefCell<Vec<*mut SavedState>> = const { RefCell::new(Vec::new()) };
    /// One record per outstanding PyGILState_Ensure on this thread.
    /// Borrowed references taken inside a nested pair must outlive it (their
    /// container still holds them), so only the outermost pair on a thread
    /// that is in no call from Python opens a frame.
    static ENSURED: RefCell<LeftAtThreadExit<Ensured>> = const { RefCell::new(LeftAtThreadExit(Vec::new())) };
    /// States from `PyThreadState_New` this thread made current with
    /// `PyEval_AcquireThread`/`RestoreThread`, innermost last; each is
    /// ended by `PyThreadState_DeleteCurrent`.
    static ADOPTED: RefCell<LeftAtThreadExit<Adoption>> = const { RefCell::new(LeftAtThreadExit(Vec::new())) };
}

/// A thread's records of Python states it still has when the thread ends
/// (a C thread that keeps its state from `PyThreadState_New` to the end, as
/// Berkeley DB's workers do): they are left as they are. Ending their call
/// frames would run the layer's cleanup without the GIL, from the thread's
/// destructors, where the layer's other thread-locals may be gone.
struct LeftAtThreadExit<T>(Vec<T>);

impl<T> std::ops::Deref for LeftAtThreadExit<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for LeftAtThreadExit<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> Drop for LeftAtThreadExit<T> {
    fn drop(&mut self) {
        std::mem::forget(std::mem::take(&mut self.0));
    }
}

/// One outstanding `PyGILState_Ensure`.
struct Ensured {
    frame: Option<CallFrame>,
    attachment: Attachment,
    /// The Ensure took the GIL (it returned `UNLOCKED`).
    took_gil: bool,
}

/// One hand-made thread state in use on this thread.
struct Adoption {
    state: *mut crate::ffi::PyThreadState,
    /// The thread's state before, put back when this one is deleted.
    previous: *mut crate::ffi::PyThreadState,
    frame: Option<CallFrame>,
    attachment: Attachment,
}

/// Leaves the GIL; returns this thread's state, which `PyEval_RestoreThread`
/// takes back. The layer's record of what to restore stays on this thread.
#[cpython_api]
fn PyEval_SaveThread() -> *mut crate::ffi::PyThreadState {
    save_thread();
    super::pystate::this_thread_state()
}

fn save_thread() {
    // Detach from the VM first, so that while C blocks the host's collector
    // need not wait for this thread.
    let host = if gil::in_destructor() {
        HostState::StayedOnStack(host_thread::detach_in_place())
    } else {
        HostState::Detached(host_thread::save_current_thread())
    };
    let gil_depth = gil::release_all();
    let state = Box::into_raw(Box::new(SavedState { gil_depth, host }));
    SAVED.with(|s| s.borrow_mut().push(state));
}

/// Takes the GIL back for this thread's innermost `PyEval_SaveThread`.
/// # Safety
/// `tstate` must be the state `PyEval_SaveThread` returned on this thread.
#[cpython_api(no_gil)]
unsafe fn PyEval_RestoreThread(tstate: *mut crate::ffi::PyThreadState) {
    restore_thread(tstate, "PyEval_RestoreThread")
}

fn restore_thread(tstate: *mut crate::ffi::PyThreadState, caller: &str) {
    if tstate.is_null() {
        crate::boundary::fatal(&format!("{caller}: NULL thread state"));
    }
    let own = tstate == super::pystate::existing_thread_state();
    if !own || SAVED.with(|s| s.borrow().is_empty()) {
        if !super::pystate::is_listed(tstate) {
            crate::boundary::fatal(&format!("{caller}: not a live thread state of this interpreter"));
        }
        if own && (gil::held() || ADOPTED.with(|a| a.borrow().iter().any(|a| a.state == tstate))) {
            crate::boundary::fatal(&format!("{caller}: this thread did not release the GIL with PyEval_SaveThread"));
        }
        return adopt(tstate);
    }
    let Some(state) = SAVED.with(|s| s.borrow_mut().pop()) else {
        crate::boundary::fatal(&format!("{caller}: this thread did not release the GIL with PyEval_SaveThread"));
    };
    // SAFETY: every pointer in SAVED came from Box::into_raw in save_thread and
    // is popped exactly once.
    let saved = unsafe { Box::from_raw(state) };
    match saved.host {
        HostState::LentOut => crate::boundary::fatal("PyEval_RestoreThread inside a PyGILState_Ensure that has not been released"),
        // Wait for the GIL while still detached, then re-attach.
        HostState::Detached(host) => {
            gil::restore(saved.gil_depth, None);
            host_thread::restore_current_thread(host);
        }
        // Detached in place: wait for the GIL so, then attach again. One
        // that was not attached waits detached all the same, so that a
        // stop-the-world never waits for this thread while it waits.
        HostState::StayedOnStack(detached) => {
            let restored = host_thread::try_with_current_vm(|vm| {
                if detached {
                    gil::restore(saved.gil_depth, None);
                    host_thread::reattach_in_place(vm, true);
                } else {
                    gil::restore(saved.gil_depth, Some(vm));
                }
            });
            if restored.is_none() {
                gil::restore(saved.gil_depth, None)
            }
        }
    }
}

/// Takes the GIL for a state from `PyThreadState_New` that is not yet in
/// use on this thread, and makes it the thread's state. A thread made in C
/// is given a VM until `PyThreadState_DeleteCurrent`.
fn adopt(tstate: *mut crate::ffi::PyThreadState) {
    let attachment = attach_this_thread("PyEval_AcquireThread");
    let frame = if crate::borrow::frame_active() { None } else { Some(CallFrame::enter()) };
    let previous = super::pystate::set_this_thread_state(tstate);
    ADOPTED.with(|a| a.borrow_mut().push(Adoption { state: tstate, previous, frame, attachment }));
}

/// Takes the GIL for this thread, giving it a VM if it is a thread made in
/// C that has none.
fn attach_this_thread(caller: &str) -> Attachment {
    if host_thread::current_vm_is_set() {
        rustpython_vm::vm::thread::with_current_vm(|vm| gil::acquire(Some(vm)));
        return Attachment::AlreadyOn;
    }
    let main = gil::MAIN_VM.load(Ordering::Acquire);
    if main.is_null() {
        crate::boundary::fatal(&format!("{caller} called before any extension was loaded"));
    }
    gil::acquire(None);
    // SAFETY: MAIN_VM points at the interpreter's VM, which outlives every thread.
    Attachment::NewThread(host_thread::attach_current_thread(|| unsafe { (*main).new_thread() }))
}

/// Ends the current hand-made thread state (`PyThreadState_DeleteCurrent`):
/// puts back the thread's earlier state, leaves the VM it was given, and
/// releases the GIL. Returns the state that ended.
pub(crate) fn end_adopted_state() -> *mut crate::ffi::PyThreadState {
    let current = super::pystate::existing_thread_state();
    let adoption = ADOPTED.with(|a| {
        let mut adopted = a.borrow_mut();
        if adopted.last().is_some_and(|a| a.state == current) { adopted.pop() } else { None }
    });
    let Some(adoption) = adoption else {
        crate::boundary::fatal("PyThreadState_DeleteCurrent: the current thread state was not made current with PyEval_AcquireThread or PyEval_RestoreThread");
    };
    drop(adoption.frame);
    let previous = if adoption.previous == adoption.state { std::ptr::null_mut() } else { adoption.previous };
    super::pystate::set_this_thread_state(previous);
    if let Attachment::NewThread(state) = adoption.attachment {
        host_thread::release_current_thread(state);
    }
    gil::release();
    adoption.state
}

/// Takes the GIL with the thread's own state (which must have released it).
/// # Safety
/// As for `PyEval_RestoreThread`.
#[cpython_api(no_gil)]
unsafe fn PyEval_AcquireThread(tstate: *mut crate::ffi::PyThreadState) {
    restore_thread(tstate, "PyEval_AcquireThread")
}

/// Releases the GIL held with the thread's own state.
#[cpython_api]
fn PyEval_ReleaseThread(tstate: *mut crate::ffi::PyThreadState) {
    if tstate.is_null() || tstate != super::pystate::existing_thread_state() {
        crate::boundary::fatal("PyEval_ReleaseThread: wrong thread state");
    }
    save_thread()
}

/// Releases the GIL without giving up the thread state (deprecated; paired
/// with PyEval_AcquireLock on the same thread).
#[cpython_api]
fn PyEval_ReleaseLock() {
    save_thread()
}

/// Takes the GIL back after PyEval_ReleaseLock on this thread; with the
/// thread state swapped out it stops the process, as CPython 3.11 does.
#[cpython_api(no_gil)]
fn PyEval_AcquireLock() {
    if super::pystate::swapped_out() {
        crate::boundary::fatal("PyEval_AcquireLock: the function must be called with the GIL held, but the GIL is released (the current Python thread state is NULL)");
    }
    let state = super::pystate::this_thread_state();
    restore_thread(state, "PyEval_AcquireLock")
}

/// Threads are always initialised (CPython 3.9 and later).
#[cpython_api(no_gil)]
fn PyEval_InitThreads() {}

#[cpython_api(no_gil)]
fn PyEval_ThreadsInitialized() -> c_int {
    1
}

/// Works on any thread: one the VM knows, one that left it with
/// `PyEval_SaveThread`, or one made in C (attached for the duration).
#[cpython_api(no_gil)]
unsafe fn PyGILState_Ensure() -> crate::ffi::PyGILState_STATE {
    let already_held = gil::held();
    if crate::proxy::thread_locals_gone() {
        // A pthread-key destructor of an ending thread (viztracer frees its
        // per-thread records so): its host state is gone, so only the GIL
        // is taken; C may release objects, which wait for a live thread.
        gil::acquire(None);
        return if already_held { crate::ffi::PyGILState_STATE_PyGILState_LOCKED } else { crate::ffi::PyGILState_STATE_PyGILState_UNLOCKED };
    }
    let attachment = if let (false, Some(state)) = (host_thread::current_vm_is_set(), SAVED.with(|s| s.borrow().last().copied())) {
        let HostState::Detached(host) = std::mem::replace(&mut (*state).host, HostState::LentOut) else {
            crate::boundary::fatal("PyGILState_Ensure: this thread's saved state is already in use");
        };
        gil::acquire(None);
        host_thread::restore_current_thread(host);
        Attachment::Resumed(state)
    } else if let Some(state) = SAVED.with(|s| s.borrow().last().copied()).filter(|&state| {
        // SAFETY: pointers in SAVED are this thread's live saved states.
        !already_held && matches!(unsafe { &(*state).host }, HostState::StayedOnStack(true))
    }) {
        // Python must not run on a thread stop-the-world counts as parked.
        gil::acquire(None);
        host_thread::with_current_vm(|vm| host_thread::reattach_in_place(vm, true));
        (*state).host = HostState::StayedOnStack(false);
        Attachment::ReattachedInPlace(state)
    } else {
        attach_this_thread("PyGILState_Ensure")
    };
    let frame = if crate::borrow::frame_active() { None } else { Some(CallFrame::enter()) };
    ENSURED.with(|e| e.borrow_mut().push(Ensured { frame, attachment, took_gil: !already_held }));
    // SAFETY: this thread's own live state.
    unsafe { (*super::pystate::this_thread_state()).gilstate_counter += 1 };
    if already_held { crate::ffi::PyGILState_STATE_PyGILState_LOCKED } else { crate::ffi::PyGILState_STATE_PyGILState_UNLOCKED }
}

/// Undoes the matching `PyGILState_Ensure`. Without one on this thread (the
/// GIL was taken with `PyEval_RestoreThread`, as cffi does), `UNLOCKED`
/// releases the GIL again as CPython does, and `LOCKED` keeps it.
///
/// `UNLOCKED` gives the GIL up even past inner Ensures left unpaired: cffi
/// makes one on purpose on a thread made in C, so that the thread keeps
/// its state between callbacks. That state then stays, detached, for the
/// thread's next Ensure, as CPython keeps a state whose count is not zero.
#[cpython_api]
fn PyGILState_Release(state: crate::ffi::PyGILState_STATE) {
    if crate::proxy::thread_locals_gone() {
        gil::release(); // the Ensure above took only the GIL
        return;
    }
    let tstate = super::pystate::this_thread_state();
    // SAFETY: this thread's own live state.
    unsafe { (*tstate).gilstate_counter -= 1 };
    let unlocked = state == crate::ffi::PyGILState_STATE_PyGILState_UNLOCKED;
    let (record, unpaired) = ENSURED.with(|e| {
        let mut e = e.borrow_mut();
        let unpaired = match e.iter().rposition(|r| r.took_gil) {
            Some(k) if unlocked => e.split_off(k + 1),
            _ => Vec::new(),
        };
        (e.pop(), unpaired)
    });
    let keep_state = !unpaired.is_empty();
    // Innermost first; each found the GIL held, so each is `AlreadyOn`.
    for inner in unpaired.into_iter().rev() {
        drop(inner.frame);
        gil::release();
    }
    let Some(Ensured { frame, attachment, .. }) = record else {
        if unlocked {
            save_thread();
        }
        return;
    };
    drop(frame);
    match attachment {
        Attachment::AlreadyOn => {}
        Attachment::NewThread(_) if keep_state => {
            // Detached with its VM kept; the next Ensure resumes it.
            save_thread();
            return;
        }
        Attachment::NewThread(state) => {
            // CPython deletes the state its Ensure made here, and with it an
            // error left pending (OpenMP workers that lost the race to hand
            // Cython their exception); the next Ensure starts clean.
            drop(crate::error_indicator::fetch());
            host_thread::release_current_thread(state)
        }
        // SAFETY: a Resumed pointer is this thread's saved state, still in SAVED.
        Attachment::Resumed(state) => unsafe { (*state).host = HostState::Detached(host_thread::save_current_thread()) },
        // SAFETY: as above.
        Attachment::ReattachedInPlace(state) => unsafe { (*state).host = HostState::StayedOnStack(host_thread::detach_in_place()) },
    }
    gil::release();
}

#[cpython_api(no_gil)]
fn PyGILState_Check() -> c_int {
    gil::held() as c_int
}

/// Borrowed: the builtins module's dict (it lives as long as the interpreter).
#[cpython_api]
fn PyEval_GetBuiltins(vm: &rustpython_vm::VirtualMachine) -> *mut crate::ffi::PyObject {
    let dict: rustpython_vm::PyObjectRef = vm.builtins.dict().into();
    let p = crate::borrow::borrowed(vm, &dict);
    crate::proxy::make_immortal(p);
    p
}

/// Borrowed: the globals of the Python frame that called into C, or NULL.
#[cpython_api]
fn PyEval_GetGlobals(vm: &rustpython_vm::VirtualMachine) -> *mut crate::ffi::PyObject {
    match vm.current_frame() {
        Some(frame) => match frame.as_object().get_attr("f_globals", vm) {
            Ok(globals) => crate::borrow::borrowed(vm, &globals),
            Err(_) => std::ptr::null_mut(),
        },
        None => std::ptr::null_mut(),
    }
}

// --- the recursion guard ----------------------------------------------------

thread_local! {
    /// How deep this thread is in Py_EnterRecursiveCall.
    static C_RECURSION_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Mirrors the depth into the thread state, for C that reads it there.
fn publish_depth(vm: &VirtualMachine, c_depth: usize) {
    let tstate = super::pystate::this_thread_state();
    let limit = vm.recursion_limit.get();
    let used = vm.current_recursion_depth() + c_depth;
    // SAFETY: this thread's own live state.
    unsafe {
        (*tstate).recursion_limit = limit.min(c_int::MAX as usize) as c_int;
        (*tstate).recursion_remaining = (limit as i64 - used as i64).clamp(c_int::MIN as i64, c_int::MAX as i64) as c_int;
    }
}

/// The recursion levels in use with `c_depth` levels of C recursion: the
/// Python frames, the C function running (CPython's call of it counted one;
/// the host's depth counts Python frames only), and C's own levels.
fn levels_in_use(vm: &VirtualMachine, c_depth: usize) -> usize {
    vm.current_recursion_depth() + 1 + c_depth
}

/// The check CPython 3.11 makes as C calls an object (`_PyObject_MakeTpCall`,
/// `_PyObject_Call`, and `PyImport_Import`, which calls `__import__`):
/// `_Py_EnterRecursiveCallTstate(tstate, " while calling a Python object")`.
/// The levels C entered with Py_EnterRecursiveCall count with the Python
/// frames below them, so C that recurses without checking
/// Py_EnterRecursiveCall's result (pikepdf's `StackGuard`) gets its
/// RecursionError from the next call it makes, as on CPython. The host
/// cannot see C's levels when it pushes a frame, so the check is made here.
pub(crate) fn check_call_depth(vm: &VirtualMachine) -> PyResult<()> {
    let c_depth = C_RECURSION_DEPTH.with(|d| d.get());
    // The levels in use, and the call's own.
    if c_depth > 0 && levels_in_use(vm, c_depth) + 1 > vm.recursion_limit.get() {
        return Err(vm.new_recursion_error("maximum recursion depth exceeded while calling a Python object".to_owned()));
    }
    Ok(())
}

/// Counts one level of C recursion against the limit sys.setrecursionlimit
/// sets, together with the Python frames running on this thread.
#[cpython_api]
unsafe fn Py_EnterRecursiveCall(vm: &VirtualMachine, location: *const c_char) -> PyResult<c_int> {
    let c_depth = C_RECURSION_DEPTH.with(|d| d.get()) + 1;
    if levels_in_use(vm, c_depth) > vm.recursion_limit.get() {
        let location = if location.is_null() { "" } else { crate::methods::c_str(location).unwrap_or("") };
        return Err(vm.new_recursion_error(format!("maximum recursion depth exceeded{location}")));
    }
    C_RECURSION_DEPTH.with(|d| d.set(c_depth));
    publish_depth(vm, c_depth);
    Ok(0)
}

#[cpython_api]
fn Py_LeaveRecursiveCall(vm: &VirtualMachine) {
    let c_depth = C_RECURSION_DEPTH.with(|d| {
        let depth = d.get().saturating_sub(1);
        d.set(depth);
        depth
    });
    publish_depth(vm, c_depth);
}

#[cpython_api]
fn Py_GetRecursionLimit(vm: &VirtualMachine) -> c_int {
    vm.recursion_limit.get().min(c_int::MAX as usize) as c_int
}

/// Sets the limit without the checks of sys.setrecursionlimit, as CPython.
#[cpython_api]
fn Py_SetRecursionLimit(vm: &VirtualMachine, limit: c_int) {
    vm.recursion_limit.set(limit.max(0) as usize);
}

// --- the running frame -------------------------------------------------------

/// Borrowed: the locals of the Python frame that called into C, or NULL.
#[cpython_api]
fn PyEval_GetLocals(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    let Some(frame) = vm.current_frame() else {
        return Err(vm.new_system_error("frame does not exist".to_owned()));
    };
    let mut locals = frame.as_object().get_attr("f_locals", vm)?;
    // A function's frame gives a write-through proxy (3.13's f_locals);
    // CPython 3.11 hands C a dict of the locals (C passes it to PyDict_*).
    if locals.downcast_ref::<rustpython_vm::builtins::PyDict>().is_none() {
        locals = vm.ctx.types.dict_type.as_object().call((locals,), vm)?;
    }
    Ok(crate::borrow::borrowed(vm, &locals))
}

/// Borrowed: the Python frame that called into C, or NULL (no error).
#[cpython_api]
fn PyEval_GetFrame(vm: &VirtualMachine) -> *mut PyObject {
    match vm.current_frame() {
        Some(frame) => crate::borrow::borrowed(vm, &frame.into()),
        None => std::ptr::null_mut(),
    }
}

/// C strings handed out as `const char *` that C may keep: one leaked copy
/// per distinct text.
fn interned_c_str(text: &str) -> *const c_char {
    static TEXTS: std::sync::Mutex<Vec<&'static CStr>> = std::sync::Mutex::new(Vec::new());
    let mut texts = TEXTS.lock().unwrap();
    if let Some(found) = texts.iter().find(|t| t.to_bytes() == text.as_bytes()) {
        return found.as_ptr();
    }
    let owned: &'static CStr = Box::leak(CString::new(text.replace('\0', "")).unwrap().into_boxed_c_str());
    texts.push(owned);
    owned.as_ptr()
}

/// What kind of callable `PyEval_GetFuncName` and `PyEval_GetFuncDesc` see.
enum Callable {
    Function(PyObjectRef),
    Other,
}

fn classify(vm: &VirtualMachine, func: &PyObjectRef) -> Callable {
    let types = &vm.ctx.types;
    if func.fast_isinstance(types.bound_method_type) {
        // A bound method is named after its function.
        return match func.get_attr("__func__", vm) {
            Ok(inner) => classify(vm, &inner),
            Err(_) => Callable::Other,
        };
    }
    let is_function = [types.function_type, types.builtin_function_or_method_type, types.builtin_method_type]
        .iter()
        .any(|t| func.fast_isinstance(t));
    // A class is not special-cased (CPython 3.11 reports its metatype).
    if is_function { Callable::Function(func.clone()) } else { Callable::Other }
}

/// The name of a function, or the C type name of anything else.
/// # Safety
/// `func` must be a live object.
#[cpython_api]
unsafe fn PyEval_GetFuncName(vm: &VirtualMachine, func: *mut PyObject) -> PyResult<*const c_char> {
    let host = crate::proxy::to_host(vm, func)?;
    Ok(match classify(vm, &host) {
        Callable::Function(f) => interned_c_str(&f.get_attr("__name__", vm)?.str(vm)?.to_string()),
        // SAFETY: every live proxy has a type object with a name.
        Callable::Other => unsafe { (*(*func).ob_type).tp_name },
    })
}

#[cpython_api]
fn PyEval_GetFuncDesc(vm: &VirtualMachine, func: *mut PyObject) -> PyResult<*const c_char> {
    let host = crate::proxy::to_host(vm, func)?;
    let desc: &'static CStr = match classify(vm, &host) {
        Callable::Function(_) => c"()",
        Callable::Other => c" object",
    };
    Ok(desc.as_ptr())
}

/// Adds the __future__ flags of the running Python code to `cf`; whether
/// any flag is set.
/// # Safety
/// `cf` must point to a PyCompilerFlags.
#[cpython_api]
unsafe fn PyEval_MergeCompilerFlags(vm: &VirtualMachine, cf: *mut crate::ffi::PyCompilerFlags) -> PyResult<c_int> {
    // SAFETY: the caller passes a valid PyCompilerFlags.
    let flags = unsafe { &mut *cf };
    let mut result = flags.cf_flags != 0;
    if let Some(frame) = vm.current_frame() {
        let code_flags: c_int = frame.as_object().get_attr("f_code", vm)?.get_attr("co_flags", vm)?.try_into_value(vm)?;
        let inherited = code_flags & PYCF_MASK;
        if inherited != 0 {
            result = true;
            flags.cf_flags |= inherited;
        }
    }
    Ok(result as c_int)
}

/// The CO_FUTURE_* bits (include/compile.h, PyCF_MASK).
pub(crate) const PYCF_MASK: c_int = 0x1FE0000;

// --- running code objects -----------------------------------------------------

/// eval(co, globals, locals): the value of an expression's code, else None.
#[cpython_api]
fn PyEval_EvalCode(vm: &VirtualMachine, co: *mut PyObject, globals: *mut PyObject, locals: *mut PyObject) -> PyResult<*mut PyObject> {
    let code = crate::proxy::to_host(vm, co)?;
    let globals = crate::proxy::to_host(vm, globals)?;
    let locals = crate::proxy::opt_to_host(vm, locals)?.unwrap_or_else(|| globals.clone());
    // eval() puts __builtins__ into globals that lack it; CPython's
    // PyEval_EvalCode does not, so it is taken out again.
    let had_builtins = globals.get_item("__builtins__", vm).is_ok();
    let result = vm.builtins.get_attr("eval", vm)?.call((code, globals.clone(), locals), vm);
    if !had_builtins {
        let _ = globals.del_item("__builtins__", vm);
    }
    Ok(crate::proxy::into_ref(vm, result?))
}

/// A code object called with arguments, defaults and a closure, as a
/// function made from it with those would be.
/// # Safety
/// Each array must hold as many valid objects as its count says (`kwds`
/// alternates names and values).
#[cpython_api]
#[allow(clippy::too_many_arguments)]
unsafe fn PyEval_EvalCodeEx(
    vm: &VirtualMachine,
    co: *mut PyObject,
    globals: *mut PyObject,
    locals: *mut PyObject,
    args: *const *mut PyObject,
    argc: c_int,
    kwds: *const *mut PyObject,
    kwdc: c_int,
    defs: *const *mut PyObject,
    defc: c_int,
    kwdefs: *mut PyObject,
    closure: *mut PyObject,
) -> PyResult<*mut PyObject> {
    let plain = argc == 0 && kwdc == 0 && defc == 0 && kwdefs.is_null() && closure.is_null();
    if plain {
        // SAFETY: the same arguments, under the caller's contract.
        return Ok(unsafe { PyEval_EvalCode(co, globals, locals) });
    }
    let objects = |p: *const *mut PyObject, n: c_int| -> PyResult<Vec<PyObjectRef>> {
        // SAFETY: the caller guarantees `n` valid objects at `p`.
        (0..n.max(0) as usize).map(|i| crate::proxy::to_host(vm, unsafe { *p.add(i) })).collect()
    };
    let code = crate::proxy::to_host(vm, co)?;
    let globals = crate::proxy::to_host(vm, globals)?;
    let defaults: PyObjectRef = if defc > 0 { vm.ctx.new_tuple(objects(defs, defc)?).into() } else { vm.ctx.none() };
    let closure = crate::proxy::opt_to_host(vm, closure)?.unwrap_or_else(|| vm.ctx.none());
    let function_type: PyObjectRef = vm.ctx.types.function_type.to_owned().into();
    // By keyword: the host's function type does not take None positionally.
    let mut options: Vec<(&str, PyObjectRef)> = Vec::new();
    if !vm.is_none(&defaults) {
        options.push(("argdefs", defaults));
    }
    if !vm.is_none(&closure) {
        options.push(("closure", closure));
    }
    let options: rustpython_vm::function::KwArgs = options.into_iter().collect();
    let function = function_type.call(rustpython_vm::function::FuncArgs::new(vec![code, globals], options), vm)?;
    if let Some(kwdefs) = crate::proxy::opt_to_host(vm, kwdefs)? {
        function.set_attr("__kwdefaults__", kwdefs, vm)?;
    }
    let keywords = objects(kwds, kwdc.max(0) * 2)?;
    let kwargs = vm.ctx.new_dict();
    for pair in keywords.chunks(2) {
        kwargs.set_item(&*pair[0], pair[1].clone(), vm)?;
    }
    let positional = vm.ctx.new_tuple(objects(args, argc)?);
    let result = function.call(rustpython_vm::function::FuncArgs::new(positional.as_slice().to_vec(), rustpython_vm::function::KwArgs::new(
        kwargs.into_iter().map(|(k, v)| (k.str(vm).map(|s| s.as_wtf8().to_owned()).unwrap_or_default(), v)).collect(),
    )), vm)?;
    Ok(crate::proxy::into_ref(vm, result))
}

/// The deprecated call with a tuple and a dict, checked as CPython does.
#[cpython_api]
fn PyEval_CallObjectWithKeywords(vm: &VirtualMachine, callable: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = crate::proxy::to_host(vm, callable)?;
    let args = match crate::proxy::opt_to_host(vm, args)? {
        None => Vec::new(),
        Some(a) => match a.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
            Some(t) => t.as_slice().to_vec(),
            None => return Err(vm.new_type_error("argument list must be a tuple".to_owned())),
        },
    };
    let mut keywords = rustpython_vm::function::KwArgs::default();
    if let Some(k) = crate::proxy::opt_to_host(vm, kwargs)? {
        let Some(dict) = k.downcast_ref::<rustpython_vm::builtins::PyDict>() else {
            return Err(vm.new_type_error("keyword list must be a dictionary".to_owned()));
        };
        keywords = rustpython_vm::function::KwArgs::new(
            dict.into_iter().map(|(k, v)| (k.str(vm).map(|s| s.as_wtf8().to_owned()).unwrap_or_default(), v)).collect(),
        );
    }
    let result = gil::without_gil(vm, || callable.call(rustpython_vm::function::FuncArgs::new(args, keywords), vm))?;
    Ok(crate::proxy::into_ref(vm, result))
}

// --- pending calls ------------------------------------------------------------

/// Calls queued by Py_AddPendingCall, at most 32 as in CPython.
static PENDING: std::sync::Mutex<std::collections::VecDeque<(PendingFn, usize)>> =
    std::sync::Mutex::new(std::collections::VecDeque::new());
type PendingFn = unsafe extern "C" fn(*mut c_void) -> c_int;
const MAX_PENDING_CALLS: usize = 32;

/// Queues func(arg) for the main thread; -1 when the queue is full. Any
/// thread may call it, with or without the GIL.
#[cpython_api(no_gil)]
fn Py_AddPendingCall(func: Option<PendingFn>, arg: *mut c_void) -> c_int {
    let Some(func) = func else { return -1 };
    let mut queue = PENDING.lock().unwrap();
    if queue.len() >= MAX_PENDING_CALLS {
        return -1;
    }
    queue.push_back((func, arg as usize));
    0
}

fn on_main_thread() -> bool {
    // SAFETY: getpid and gettid have no preconditions.
    unsafe { libc::getpid() == libc::gettid() }
}

/// On the main thread: runs the signal handlers, then the queued calls in
/// order; -1 as soon as one fails (the rest stay queued). Elsewhere 0.
#[cpython_api]
fn Py_MakePendingCalls(vm: &VirtualMachine) -> PyResult<c_int> {
    if !on_main_thread() {
        return Ok(0);
    }
    vm.check_signals()?;
    loop {
        let Some((func, arg)) = PENDING.lock().unwrap().pop_front() else { return Ok(0) };
        // SAFETY: func and arg are what C queued, to be called this way.
        if unsafe { func(arg as *mut c_void) } != 0 {
            return Ok(-1);
        }
    }
}

// --- C trace and profile functions ------------------------------------------------

type TraceFunc = unsafe extern "C" fn(*mut PyObject, *mut PyObject, c_int, *mut PyObject) -> c_int;

/// PyTrace_* for an event name of sys.settrace / sys.setprofile.
fn trace_event(event: &str) -> Option<c_int> {
    Some(match event {
        "call" => 0,
        "exception" => 1,
        "line" => 2,
        "return" => 3,
        "c_call" => 4,
        "c_exception" => 5,
        "c_return" => 6,
        "opcode" => 7,
        _ => return None,
    })
}

/// The host function through which C trace or profile functions get their
/// events (one for each kind, shared by every thread): it calls the
/// function installed in the running thread's state when the event comes,
/// as CPython calls `tstate->c_tracefunc`/`c_profilefunc`. So every event
/// goes to the one installed at that moment, also for frames entered under
/// an earlier one (which the host keeps calling for their line and return
/// events), and a function another thread installed in this thread's state
/// (`_PyEval_SetProfile`) is the one called. A function that returns
/// non-zero raises its pending exception, which also removes it, as in
/// CPython.
fn dispatcher(vm: &VirtualMachine, setter: &'static str) -> PyObjectRef {
    static TRACE: std::sync::OnceLock<PyObjectRef> = std::sync::OnceLock::new();
    static PROFILE: std::sync::OnceLock<PyObjectRef> = std::sync::OnceLock::new();
    let cell = if setter == "settrace" { &TRACE } else { &PROFILE };
    cell.get_or_init(|| {
        let tracer = vm.new_function(setter, move |frame: PyObjectRef, event: PyObjectRef, arg: PyObjectRef, vm: &VirtualMachine| -> PyResult<PyObjectRef> {
            let event = event.str(vm)?.to_string();
            let Some(what) = trace_event(&event) else { return Ok(vm.ctx.none()) };
            let _gil = gil::GilGuard::acquire(vm);
            let itself = || cell.get().cloned().unwrap_or_else(|| vm.ctx.none());
            let Some((func, obj)) = installed(setter) else { return Ok(vm.ctx.none()) };
            if super::pystate::tracing_suspended() {
                return Ok(itself());
            }
            let _frame = CallFrame::enter();
            // A generator's `return` at a `yield`: CPython has already
            // marked it suspended (what yappi's IS_SUSPENDED reads).
            let _yielding = (what == 3).then(|| super::genobject::YieldingFrame::enter(&frame));
            let frame_proxy = crate::proxy::into_ref(vm, frame);
            let arg_proxy = crate::proxy::into_ref(vm, arg);
            // SAFETY: the function C installed, called as Py_tracefunc is.
            let status = unsafe { func(obj, frame_proxy, what, arg_proxy) };
            crate::proxy::decref(frame_proxy);
            crate::proxy::decref(arg_proxy);
            if status != 0 {
                // CPython removes a failing function (the host drops its hook
                // as the error propagates).
                set_in_thread_state(super::pystate::this_thread_state(), setter, None, std::ptr::null_mut());
                return Err(crate::error_indicator::take_exception(vm)
                    .unwrap_or_else(|| vm.new_system_error("trace function failed without setting an exception".to_owned())));
            }
            // Returning itself keeps the local events (line, return) coming,
            // while a C function is installed.
            if installed(setter).is_none() {
                return Ok(vm.ctx.none());
            }
            Ok(itself())
        });
        tracer.into()
    }).clone()
}

/// `sys.gettrace()` and `sys.getprofile()` give the object a C function was
/// installed with (`tstate->c_traceobj`, None for NULL), as CPython's do,
/// where the host would give the layer's dispatcher: hunter's `Tracer`
/// finds itself so (`sys.gettrace().handler`).
pub(crate) fn install_tracer_getters(vm: &VirtualMachine) {
    for (getter, setter) in [("gettrace", "settrace"), ("getprofile", "setprofile")] {
        let Ok(host) = vm.sys_module.get_attr(getter, vm) else { continue };
        let ours = vm.new_function(getter, move |vm: &VirtualMachine| -> PyResult<PyObjectRef> {
            let current = host.call((), vm)?;
            if !current.is(&dispatcher(vm, setter)) {
                return Ok(current);
            }
            let _gil = gil::GilGuard::acquire(vm);
            let tstate = super::pystate::this_thread_state();
            // SAFETY: this thread's live state, read under the GIL.
            let obj = unsafe { if setter == "settrace" { (*tstate).c_traceobj } else { (*tstate).c_profileobj } };
            if obj.is_null() {
                return Ok(vm.ctx.none());
            }
            crate::proxy::to_host(vm, obj)
        });
        let _ = vm.sys_module.set_attr(getter, ours, vm);
    }
}

/// The C trace or profile function of the calling thread's state, with its
/// object. The GIL must be held.
fn installed(setter: &str) -> Option<(TraceFunc, *mut PyObject)> {
    let tstate = super::pystate::this_thread_state();
    // SAFETY: this thread's live state (thread states are never freed), read
    // under the GIL, which every writer of these fields holds.
    unsafe {
        let (func, obj) = if setter == "settrace" {
            ((*tstate).c_tracefunc, (*tstate).c_traceobj)
        } else {
            ((*tstate).c_profilefunc, (*tstate).c_profileobj)
        };
        // Py_tracefunc takes a PyFrameObject *, which is what TraceFunc's
        // second argument is; the two function types differ only so.
        func.map(|f| {
            (std::mem::transmute::<unsafe extern "C" fn(*mut PyObject, *mut crate::ffi::PyFrameObject, c_int, *mut PyObject) -> c_int, TraceFunc>(f), obj)
        })
    }
}

/// Installs a C trace or profile function for the calling thread: it goes
/// into the thread's state, and the host's Python-level function of that
/// kind becomes the dispatcher that calls it (`sys.settrace`/`sys.setprofile`,
/// per thread as CPython's are), or None.
fn install_tracer(vm: &VirtualMachine, setter: &'static str, func: Option<TraceFunc>, obj: *mut PyObject) -> PyResult<()> {
    set_in_thread_state(super::pystate::this_thread_state(), setter, func, obj);
    let set = vm.sys_module.get_attr(setter, vm)?;
    let hook = if func.is_some() { dispatcher(vm, setter) } else { vm.ctx.none() };
    set.call((hook,), vm)?;
    Ok(())
}

/// Writes a C trace or profile function into a thread state, as CPython's
/// `_PyEval_SetTrace`/`_PyEval_SetProfile` do: the state holds a reference
/// to `obj` while the function is installed. C reads `tstate->c_profilefunc`
/// to learn whether its own function is still installed (memray's
/// `ts->c_profilefunc != PyTraceFunction`, yappi's), and
/// `cframe->use_tracing` to learn whether any is. The GIL must be held.
fn set_in_thread_state(tstate: *mut crate::ffi::PyThreadState, setter: &str, func: Option<TraceFunc>, obj: *mut PyObject) {
    let obj = if func.is_some() { obj } else { std::ptr::null_mut() };
    if !obj.is_null() {
        crate::proxy::incref(obj);
    }
    // SAFETY: a live thread state (freed only when its thread ends or C
    // deletes it), written under the GIL; `cframe` points into the state.
    let old = unsafe {
        // Py_tracefunc takes a PyFrameObject *, which is what TraceFunc's
        // second argument is; the two function types differ only so.
        let func: crate::ffi::Py_tracefunc = func.map(|f| {
            std::mem::transmute::<TraceFunc, unsafe extern "C" fn(*mut PyObject, *mut crate::ffi::PyFrameObject, c_int, *mut PyObject) -> c_int>(f)
        });
        let old = if setter == "settrace" {
            (*tstate).c_tracefunc = func;
            std::mem::replace(&mut (*tstate).c_traceobj, obj)
        } else {
            (*tstate).c_profilefunc = func;
            std::mem::replace(&mut (*tstate).c_profileobj, obj)
        };
        if !(*tstate).cframe.is_null() {
            let tracer_set = (*tstate).c_tracefunc.is_some() || (*tstate).c_profilefunc.is_some();
            (*(*tstate).cframe).use_tracing = ((*tstate).tracing <= 0 && tracer_set) as u8;
        }
        old
    };
    crate::proxy::xdecref(old);
}

#[cpython_api]
fn PyEval_SetTrace(vm: &VirtualMachine, func: Option<TraceFunc>, obj: *mut PyObject) -> PyResult<()> {
    install_tracer(vm, "settrace", func, obj)
}

#[cpython_api]
fn PyEval_SetProfile(vm: &VirtualMachine, func: Option<TraceFunc>, obj: *mut PyObject) -> PyResult<()> {
    install_tracer(vm, "setprofile", func, obj)
}

// --- the private helpers of cpython/ceval.h -----------------------------------------

/// The builtin called `name`, as a new reference; AttributeError(name) when
/// there is none.
fn builtin_named(vm: &VirtualMachine, name: PyObjectRef) -> PyResult<*mut PyObject> {
    let builtins = vm.builtins.dict();
    match builtins.get_item_opt(&*name, vm)? {
        Some(value) => Ok(crate::proxy::into_ref(vm, value)),
        None => Err(vm.new_exception(vm.ctx.exceptions.attribute_error.to_owned(), vec![name])),
    }
}

/// New reference: `builtins.<name>`, or AttributeError.
#[cpython_api]
fn _PyEval_GetBuiltin(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = crate::proxy::to_host(vm, name)?;
    builtin_named(vm, name)
}

/// New reference: the builtin named by a static identifier, or AttributeError.
/// # Safety
/// `name` must point at a `_Py_Identifier` whose string is NUL-terminated.
#[cpython_api]
unsafe fn _PyEval_GetBuiltinId(vm: &VirtualMachine, name: *mut super::unicodeobject::PyIdentifier) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's contract on `name`; the str it gives is borrowed
    // and immortal.
    let name = unsafe { super::unicodeobject::_PyUnicode_FromId(name) };
    if name.is_null() {
        return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| super::bad_internal_call(vm)));
    }
    builtin_named(vm, crate::proxy::to_host(vm, name)?)
}

/// The switch interval of `sys.getswitchinterval`, in microseconds (what
/// `sys.setswitchinterval` stored, truncated as CPython stores it, and an
/// exact count for one set here).
#[cpython_api]
fn _PyEval_GetSwitchInterval(vm: &VirtualMachine) -> std::ffi::c_ulong {
    let micros = vm.state.switch_interval.load() * 1e6;
    let nearest = micros.round();
    // A value set in microseconds comes back exactly, despite the division.
    if (micros - nearest).abs() < 1e-6 { nearest as std::ffi::c_ulong } else { micros as std::ffi::c_ulong }
}

/// Sets the switch interval `sys.getswitchinterval` reports, in
/// microseconds (0 allowed, as in CPython).
#[cpython_api]
fn _PyEval_SetSwitchInterval(vm: &VirtualMachine, microseconds: std::ffi::c_ulong) {
    vm.state.switch_interval.store(microseconds as f64 / 1e6);
}

/// The trace or profile function for a thread state. The calling thread's
/// own is installed at once; another thread's state gets the function,
/// and its thread (when it is a running host thread) the dispatcher, which
/// the host hands it at its next safepoint (one blocked in a call takes it
/// when the call returns).
fn install_for_state(vm: &VirtualMachine, tstate: *mut crate::ffi::PyThreadState, setter: &'static str, func: Option<TraceFunc>, obj: *mut PyObject) -> PyResult<c_int> {
    if tstate.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    if tstate == super::pystate::existing_thread_state() {
        install_tracer(vm, setter, func, obj)?;
        return Ok(0);
    }
    set_in_thread_state(tstate, setter, func, obj);
    let hook = if func.is_some() { dispatcher(vm, setter) } else { vm.ctx.none() };
    // SAFETY: the caller passes a thread state the layer handed out (never
    // freed); `thread_id` is written under the GIL.
    let ident = unsafe { (*tstate).thread_id } as u64;
    if ident != 0 {
        host_thread::set_thread_tracer(&vm.state, ident, setter == "setprofile", hook);
    }
    Ok(0)
}

/// `PyEval_SetTrace` for a thread state: 0, or -1 with an exception.
#[cpython_api]
fn _PyEval_SetTrace(vm: &VirtualMachine, tstate: *mut crate::ffi::PyThreadState, func: Option<TraceFunc>, arg: *mut PyObject) -> PyResult<c_int> {
    install_for_state(vm, tstate, "settrace", func, arg)
}

/// `PyEval_SetProfile` for a thread state: 0, or -1 with an exception.
#[cpython_api]
fn _PyEval_SetProfile(vm: &VirtualMachine, tstate: *mut crate::ffi::PyThreadState, func: Option<TraceFunc>, arg: *mut PyObject) -> PyResult<c_int> {
    install_for_state(vm, tstate, "setprofile", func, arg)
}

/// A slice index that may not be None: 1 with `*pi` set (clamped to the
/// range of Py_ssize_t), or 0 with TypeError.
/// # Safety
/// `pi` must be writable.
#[cpython_api]
unsafe fn _PyEval_SliceIndexNotNone(vm: &VirtualMachine, v: *mut PyObject, pi: *mut crate::ffi::Py_ssize_t) -> c_int {
    let index = crate::proxy::to_host(vm, v)
        .and_then(|v| super::sliceobject::clamped_index(vm, &v, "slice indices must be integers or have an __index__ method"));
    match index {
        Ok(i) => {
            // SAFETY: the caller passes writable storage.
            unsafe { *pi = i };
            1
        }
        Err(e) => {
            crate::error_indicator::set_from_exception(e);
            0
        }
    }
}

/// A new index for `_PyCode_SetExtra`, whose values `free` (if not NULL)
/// releases; -1 (no exception) once 254 have been handed out, as in CPython.
#[cpython_api]
fn _PyEval_RequestCodeExtraIndex(free: crate::ffi::freefunc) -> crate::ffi::Py_ssize_t {
    super::code::request_extra_index(free)
}
