//! ceval.h: releasing and taking the GIL from C.
use crate::borrow::CallFrame;
use crate::{gil, loader};
use cpyext_macros::cpython_api;
use rustpython_vm::vm::thread::{self as host_thread, CurrentVmAttachState, SavedThreadState};
use std::cell::RefCell;
use std::ffi::c_int;
use std::sync::atomic::Ordering;
use rustpython_vm::AsObject;

/// What `PyEval_SaveThread` hands C as its `PyThreadState *`.
pub struct SavedState {
    gil_depth: u32,
    host: SavedThreadState,
}

#[cpython_api]
fn PyEval_SaveThread() -> *mut crate::ffi::PyThreadState {
    // Detach from the VM first, so that while C blocks the host's collector
    // need not wait for this thread.
    let host = host_thread::save_current_thread();
    let gil_depth = gil::release_all();
    Box::into_raw(Box::new(SavedState { gil_depth, host })) as *mut crate::ffi::PyThreadState
}

#[cpython_api(no_gil)]
fn PyEval_RestoreThread(tstate: *mut crate::ffi::PyThreadState) {
    if tstate.is_null() {
        crate::boundary::fatal("PyEval_RestoreThread: NULL thread state");
    }
    let saved = Box::from_raw(tstate as *mut SavedState);
    // Wait for the GIL while still detached, then re-attach.
    gil::restore(saved.gil_depth, None);
    host_thread::restore_current_thread(saved.host);
}

thread_local! {
    static THREAD_STATE_TOKEN: u8 = const { 0 };
    /// One record per outstanding PyGILState_Ensure on this thread.
    /// Borrowed references taken inside a nested pair must outlive it (their
    /// container still holds them), so only the outermost pair on a thread
    /// that is in no call from Python opens a frame.
    static ENSURED: RefCell<Vec<(Option<CallFrame>, Option<CurrentVmAttachState>)>> = const { RefCell::new(Vec::new()) };
}

#[cpython_api]
fn PyThreadState_Get() -> *mut crate::ffi::PyThreadState {
    THREAD_STATE_TOKEN.with(|t| t as *const u8 as *mut crate::ffi::PyThreadState)
}

/// Works on any thread: one the VM knows, or one made in C (attached to the
/// interpreter for the duration).
#[cpython_api(no_gil)]
fn PyGILState_Ensure() -> crate::ffi::PyGILState_STATE {
    let already_held = gil::held();
    let attached = if host_thread::current_vm_is_set() {
        None
    } else {
        let main = loader::MAIN_VM.load(Ordering::Acquire);
        if main.is_null() {
            crate::boundary::fatal("PyGILState_Ensure called before any extension was loaded");
        }
        gil::acquire(None);
        let state = host_thread::attach_current_thread(|| (*main).new_thread());
        Some(state)
    };
    if attached.is_none() {
        rustpython_vm::vm::thread::with_current_vm(|vm| gil::acquire(Some(vm)));
    }
    let frame = if crate::borrow::frame_active() { None } else { Some(CallFrame::enter()) };
    ENSURED.with(|e| e.borrow_mut().push((frame, attached)));
    if already_held { crate::ffi::PyGILState_STATE_PyGILState_LOCKED } else { crate::ffi::PyGILState_STATE_PyGILState_UNLOCKED }
}

#[cpython_api]
fn PyGILState_Release(_state: crate::ffi::PyGILState_STATE) {
    let Some((frame, attached)) = ENSURED.with(|e| e.borrow_mut().pop()) else {
        crate::boundary::fatal("PyGILState_Release without a matching PyGILState_Ensure");
    };
    drop(frame);
    if let Some(state) = attached {
        host_thread::release_current_thread(state);
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
