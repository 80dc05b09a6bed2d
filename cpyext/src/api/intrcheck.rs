//! intrcheck.h: interrupts seen from C, and fork() made from C. The callbacks registered with
//! os.register_at_fork() run as around os.fork(); the host's own
//! re-initialisation of its threads after fork (which os.fork() does) is not
//! reachable from here (see docs/differences.md).
use cpyext_macros::cpython_api;
use rustpython_vm::{PyObjectRef, VirtualMachine};

/// Runs fork callbacks; one that raises is reported as unraisable.
fn run_callbacks(vm: &VirtualMachine, callbacks: Vec<PyObjectRef>) {
    for callback in callbacks {
        if let Err(e) = callback.call((), vm) {
            vm.run_unraisable(e, Some("Exception ignored in".to_owned()), callback);
        }
    }
}

/// Runs the `before` callbacks, last registered first.
#[cpython_api]
fn PyOS_BeforeFork(vm: &VirtualMachine) {
    let mut callbacks = vm.state.before_forkers.lock().clone();
    callbacks.reverse();
    run_callbacks(vm, callbacks);
}

#[cpython_api]
fn PyOS_AfterFork_Parent(vm: &VirtualMachine) {
    let callbacks = vm.state.after_forkers_parent.lock().clone();
    run_callbacks(vm, callbacks);
}

#[cpython_api]
fn PyOS_AfterFork_Child(vm: &VirtualMachine) {
    let callbacks = vm.state.after_forkers_child.lock().clone();
    run_callbacks(vm, callbacks);
}

/// The deprecated name of PyOS_AfterFork_Child.
#[cpython_api]
unsafe fn PyOS_AfterFork() {
    PyOS_AfterFork_Child()
}

/// Whether this is the process's main thread.
#[cpython_api(no_gil)]
fn _PyOS_IsMainThread() -> std::ffi::c_int {
    // SAFETY: getpid and gettid have no preconditions.
    (unsafe { libc::getpid() == libc::gettid() }) as std::ffi::c_int
}

/// 1 if SIGINT arrived (or was simulated by PyErr_SetInterrupt) since its
/// Python handler last ran, and consumes it: that handler then does not
/// run. Only the main thread handles signals; elsewhere it is 0.
#[cpython_api]
fn PyOS_InterruptOccurred() -> std::ffi::c_int {
    // SAFETY: getpid and gettid have no preconditions.
    if unsafe { libc::getpid() != libc::gettid() } {
        return 0;
    }
    // SAFETY: SIGINT is a valid signal number.
    let sigint = unsafe { rustpython_vm::signal::SignalNum::new_unchecked(libc::SIGINT) };
    rustpython_vm::signal::take_triggered(sigint) as std::ffi::c_int
}
