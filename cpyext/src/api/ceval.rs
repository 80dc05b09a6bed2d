//! ceval.h: releasing and taking the GIL from C.
use crate::borrow::CallFrame;
use crate::gil;
use cpyext_macros::cpython_api;
use rustpython_vm::vm::thread::{self as host_thread, CurrentVmAttachState, SavedThreadState};
use std::cell::RefCell;
use std::ffi::c_int;
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
    /// Released inside a destructor: the thread stayed on the VM (see
    /// `gil::DestructorScope`).
    StayedAttached,
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
}

thread_local! {
    static THREAD_STATE_TOKEN: u8 = const { 0 };
    /// This thread's outstanding `PyEval_SaveThread` states, innermost last.
    static SAVED: RefCell<Vec<*mut SavedState>> = const { RefCell::new(Vec::new()) };
    /// One record per outstanding PyGILState_Ensure on this thread.
    /// Borrowed references taken inside a nested pair must outlive it (their
    /// container still holds them), so only the outermost pair on a thread
    /// that is in no call from Python opens a frame.
    static ENSURED: RefCell<Vec<(Option<CallFrame>, Attachment)>> = const { RefCell::new(Vec::new()) };
}

#[cpython_api]
fn PyEval_SaveThread() -> *mut crate::ffi::PyThreadState {
    // Detach from the VM first, so that while C blocks the host's collector
    // need not wait for this thread.
    let host = if gil::in_destructor() {
        HostState::StayedAttached
    } else {
        HostState::Detached(host_thread::save_current_thread())
    };
    let gil_depth = gil::release_all();
    let state = Box::into_raw(Box::new(SavedState { gil_depth, host }));
    SAVED.with(|s| s.borrow_mut().push(state));
    state as *mut crate::ffi::PyThreadState
}

#[cpython_api(no_gil)]
unsafe fn PyEval_RestoreThread(tstate: *mut crate::ffi::PyThreadState) {
    let state = tstate as *mut SavedState;
    let known = SAVED.with(|s| {
        let mut s = s.borrow_mut();
        let found = s.iter().rposition(|&p| p == state);
        found.map(|i| s.remove(i)).is_some()
    });
    if !known {
        crate::boundary::fatal("PyEval_RestoreThread: not a thread state PyEval_SaveThread returned on this thread");
    }
    let saved = Box::from_raw(state);
    match saved.host {
        HostState::LentOut => crate::boundary::fatal("PyEval_RestoreThread inside a PyGILState_Ensure that has not been released"),
        // Wait for the GIL while still detached, then re-attach.
        HostState::Detached(host) => {
            gil::restore(saved.gil_depth, None);
            host_thread::restore_current_thread(host);
        }
        HostState::StayedAttached => gil::restore(saved.gil_depth, None),
    }
}

#[cpython_api]
fn PyThreadState_Get() -> *mut crate::ffi::PyThreadState {
    THREAD_STATE_TOKEN.with(|t| t as *const u8 as *mut crate::ffi::PyThreadState)
}

/// Works on any thread: one the VM knows, one that left it with
/// `PyEval_SaveThread`, or one made in C (attached for the duration).
#[cpython_api(no_gil)]
unsafe fn PyGILState_Ensure() -> crate::ffi::PyGILState_STATE {
    let already_held = gil::held();
    let attachment = if host_thread::current_vm_is_set() {
        rustpython_vm::vm::thread::with_current_vm(|vm| gil::acquire(Some(vm)));
        Attachment::AlreadyOn
    } else if let Some(state) = SAVED.with(|s| s.borrow().last().copied()) {
        let HostState::Detached(host) = std::mem::replace(&mut (*state).host, HostState::LentOut) else {
            crate::boundary::fatal("PyGILState_Ensure: this thread's saved state is already in use");
        };
        gil::acquire(None);
        host_thread::restore_current_thread(host);
        Attachment::Resumed(state)
    } else {
        let main = gil::MAIN_VM.load(Ordering::Acquire);
        if main.is_null() {
            crate::boundary::fatal("PyGILState_Ensure called before any extension was loaded");
        }
        gil::acquire(None);
        Attachment::NewThread(host_thread::attach_current_thread(|| (*main).new_thread()))
    };
    let frame = if crate::borrow::frame_active() { None } else { Some(CallFrame::enter()) };
    ENSURED.with(|e| e.borrow_mut().push((frame, attachment)));
    if already_held { crate::ffi::PyGILState_STATE_PyGILState_LOCKED } else { crate::ffi::PyGILState_STATE_PyGILState_UNLOCKED }
}

#[cpython_api]
unsafe fn PyGILState_Release(_state: crate::ffi::PyGILState_STATE) {
    let Some((frame, attachment)) = ENSURED.with(|e| e.borrow_mut().pop()) else {
        crate::boundary::fatal("PyGILState_Release without a matching PyGILState_Ensure");
    };
    drop(frame);
    match attachment {
        Attachment::AlreadyOn => {}
        Attachment::NewThread(state) => host_thread::release_current_thread(state),
        Attachment::Resumed(state) => (*state).host = HostState::Detached(host_thread::save_current_thread()),
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
