//! PyPy.h: PyPy's embedding interface (`rpython_startup_code`,
//! `pypy_setup_home`, `pypy_execute_source[_ptr]`, threads), so a program
//! written for PyPy's interface builds against ours unchanged. It is built
//! on the CPython-style embedding of `pylifecycle.rs`: the interpreter
//! starts once, the GIL is released between runs, and each run takes it
//! like a C thread calling `PyGILState_Ensure`.
use super::ceval::{PyEval_SaveThread, PyGILState_Ensure, PyGILState_Release};
use super::pylifecycle::Py_InitializeEx;
use cpyext_macros::cpython_api;
use rustpython_vm::compiler::Mode;
use rustpython_vm::scope::Scope;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{CStr, c_char, c_int, c_void};

#[cpython_api(no_gil)]
fn rpython_startup_code() {
    // SAFETY: C-API functions with no pointer arguments; the thread that
    // started the interpreter holds the GIL, and gives it up for the runs.
    unsafe {
        Py_InitializeEx(0);
        if crate::gil::held() {
            PyEval_SaveThread();
        }
    }
}

/// Sets `sys.executable` to `home`; the standard library is frozen into
/// the layer, so there is nothing to search for.
#[cpython_api(no_gil)]
unsafe fn pypy_setup_home(home: *mut c_char, verbose: c_int) -> c_int {
    if home.is_null() {
        if verbose != 0 {
            eprintln!("pypy_setup_home: home is NULL");
        }
        return 1;
    }
    // SAFETY: the caller passes a NUL-terminated path.
    let home = unsafe { CStr::from_ptr(home) }.to_string_lossy().into_owned();
    let outcome = with_gil(|vm| vm.sys_module.set_attr("executable", vm.ctx.new_str(home.as_str()), vm));
    match outcome {
        Some(Ok(())) => 0,
        Some(Err(_)) | None => {
            if verbose != 0 {
                eprintln!("pypy_setup_home: could not set up {home}");
            }
            1
        }
    }
}

/// Threads need no set-up: the GIL always supports them.
#[cpython_api(no_gil)]
fn pypy_init_threads() {}

/// Gives the calling thread its thread state now, rather than at its
/// first run.
#[cpython_api(no_gil)]
fn pypy_thread_attach() {
    let _ = with_gil(|_| ());
}

#[cpython_api(no_gil)]
unsafe fn pypy_execute_source(source: *mut c_char) -> c_int {
    // SAFETY: as the caller's contract for the pointer variant.
    unsafe { pypy_execute_source_ptr(source, std::ptr::null_mut()) }
}

#[cpython_api(no_gil)]
unsafe fn pypy_execute_source_ptr(source: *mut c_char, ptr: *mut c_void) -> c_int {
    if source.is_null() {
        return -1;
    }
    // SAFETY: the caller passes NUL-terminated source text.
    let source = unsafe { CStr::from_ptr(source) }.to_string_lossy().into_owned();
    let outcome = with_gil(|vm| {
        let result = run_source(vm, &source, ptr as usize);
        if let Err(e) = &result {
            vm.print_exception(e);
        }
        result
    });
    match outcome {
        Some(Ok(())) => 0,
        _ => -1,
    }
}

/// Runs `source` in a fresh namespace holding the builtins and
/// `c_argument`, kept in `sys._pypy_execute_source` (as PyPy keeps it) so
/// what the source defines outlives the run.
fn run_source(vm: &VirtualMachine, source: &str, argument: usize) -> PyResult<()> {
    let globals = vm.ctx.new_dict();
    globals.set_item("__builtins__", vm.builtins.clone().into(), vm)?;
    globals.set_item("c_argument", vm.ctx.new_int(argument).into(), vm)?;
    let kept = match vm.sys_module.get_attr("_pypy_execute_source", vm) {
        Ok(list) => list,
        Err(_) => {
            let list: rustpython_vm::PyObjectRef = vm.ctx.new_list(Vec::new()).into();
            vm.sys_module.set_attr("_pypy_execute_source", list.clone(), vm)?;
            list
        }
    };
    vm.call_method(&kept, "append", (globals.clone(),))?;
    let code = vm
        .compile(source, Mode::Exec, "c callback".to_owned())
        .map_err(|e| e.into_pyexception(vm, Some(source)))?;
    vm.run_code_obj(code, Scope::with_builtins(None, globals, vm))?;
    Ok(())
}

/// Runs `f` with the GIL, on any thread; None if the interpreter was not
/// started (`rpython_startup_code`).
fn with_gil<R>(f: impl FnOnce(&VirtualMachine) -> R) -> Option<R> {
    if crate::gil::MAIN_VM.load(std::sync::atomic::Ordering::Acquire).is_null() {
        eprintln!("PyPy embedding: rpython_startup_code() was not called");
        return None;
    }
    // SAFETY: the interpreter runs; Ensure and Release pair up on this thread.
    unsafe {
        let state = PyGILState_Ensure();
        let result = rustpython_vm::vm::thread::with_current_vm(f);
        PyGILState_Release(state);
        Some(result)
    }
}
