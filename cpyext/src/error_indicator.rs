//! The per-thread error indicator.
//!
//! As in CPython 3.11 it is a (type, value, traceback) triple that may be
//! unnormalised: `PyErr_SetString` stores the message string as the value and
//! an exception instance is made only when someone needs one. (The host's
//! `vm.set_exception` is the *handled* exception stack, a different thing.)
use rustpython_vm::builtins::{PyBaseException, PyBaseExceptionRef, PyTuple, PyType};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::cell::RefCell;

pub struct ErrorTriple {
    pub ty: PyObjectRef,
    pub value: Option<PyObjectRef>,
    pub traceback: Option<PyObjectRef>,
}

thread_local! {
    static INDICATOR: RefCell<Option<ErrorTriple>> = const { RefCell::new(None) };
}

pub fn set(triple: Option<ErrorTriple>) {
    let old = INDICATOR.with(|i| i.replace(triple));
    drop(old); // outside the borrow: dropping may run Python code
}

pub fn set_from_exception(exc: PyBaseExceptionRef) {
    let traceback = exc.__traceback__().map(Into::into);
    set(Some(ErrorTriple {
        ty: exc.class().to_owned().into(),
        value: Some(exc.into()),
        traceback,
    }));
}

pub fn fetch() -> Option<ErrorTriple> {
    INDICATOR.with(|i| i.borrow_mut().take())
}

pub fn occurred() -> bool {
    INDICATOR.with(|i| i.borrow().is_some())
}

pub fn current_type() -> Option<PyObjectRef> {
    INDICATOR.with(|i| i.borrow().as_ref().map(|t| t.ty.clone()))
}

/// Makes an exception instance from a triple, as PyErr_NormalizeException does.
pub fn normalize(vm: &VirtualMachine, triple: ErrorTriple) -> PyResult<PyBaseExceptionRef> {
    let ErrorTriple {
        ty,
        value,
        traceback,
    } = triple;
    let exc = match value.clone().map(|v| v.downcast::<PyBaseException>()) {
        Some(Ok(exc))
            if ty
                .downcast_ref::<PyType>()
                .is_some_and(|t| exc.class().fast_issubclass(t)) =>
        {
            exc
        }
        _ => {
            let Ok(cls) = ty.clone().downcast::<PyType>() else {
                return Err(vm.new_system_error(format!(
                    "exception {} is not a BaseException subclass",
                    ty.repr(vm)?.as_wtf8()
                )));
            };
            if !cls.fast_issubclass(vm.ctx.exceptions.base_exception_type) {
                return Err(vm.new_system_error(format!(
                    "exception {} is not a BaseException subclass",
                    ty.repr(vm)?.as_wtf8()
                )));
            }
            let args: Vec<PyObjectRef> = match value {
                None => vec![],
                Some(v) if vm.is_none(&v) => vec![],
                Some(v) => match v.downcast::<PyTuple>() {
                    Ok(tuple) => tuple.as_slice().to_vec(),
                    Err(v) => vec![v],
                },
            };
            let made = cls.as_object().call(args, vm)?;
            made.downcast::<PyBaseException>().map_err(|made| {
                vm.new_type_error(format!(
                    "calling {} should have returned an instance of BaseException, not {}",
                    cls.name(),
                    made.class().name()
                ))
            })?
        }
    };
    if let Some(tb) = traceback {
        if !vm.is_none(&tb) {
            exc.as_object().set_attr("__traceback__", tb, vm)?;
        }
    }
    Ok(exc)
}

/// Takes the pending error as an exception to raise in Python.
pub fn take_exception(vm: &VirtualMachine) -> Option<PyBaseExceptionRef> {
    let triple = fetch()?;
    Some(normalize(vm, triple).unwrap_or_else(|e| e))
}

/// Runs host code on C's behalf while C may have an error pending (making
/// a frame for a traceback entry runs a few bytecodes, CPython's does not):
/// the code must not see that error, nor a C function it reaches (a signal
/// handler the host runs between bytecodes), so it is set aside and put
/// back. If the code fails, its error is returned with the pending one as
/// its context, as CPython's `_PyErr_ChainExceptions` does.
pub fn with_pending_set_aside<R>(vm: &VirtualMachine, run: impl FnOnce() -> PyResult<R>) -> PyResult<R> {
    let pending = fetch();
    let result = run();
    set(pending);
    result.map_err(|e| {
        if let Some(pending) = take_exception(vm) {
            e.set_context(Some(pending));
        }
        e
    })
}

/// Runs a C destructor or finalizer: code that must not raise, while the
/// caller may have an error pending: the pending error is set aside and put
/// back, and whatever the code itself leaves is reported as unraisable.
/// CPython's deallocators are called with errors pending all the time.
pub fn run_unraisable_scope<R>(
    vm: &VirtualMachine,
    context: &str,
    object: Option<PyObjectRef>,
    run: impl FnOnce() -> R,
) -> R {
    let pending = fetch();
    let _destructor = crate::gil::DestructorScope::enter();
    let result = run();
    if let Some(exc) = take_exception(vm) {
        vm.run_unraisable(
            exc,
            Some(format!("Exception ignored in {context}")),
            object.unwrap_or_else(|| vm.ctx.none()),
        );
    }
    set(pending);
    result
}

/// A MemoryError with no arguments, as `PyErr_NoMemory` makes (the host's
/// `new_memory_error("")` would carry an empty message).
pub fn no_memory(vm: &VirtualMachine) -> PyBaseExceptionRef {
    vm.new_exception_empty(vm.ctx.exceptions.memory_error.to_owned())
}

/// Exceptions `PyThreadState_SetAsyncExc` asked to raise in other threads,
/// by thread id (`pthread_self`, as `threading.get_ident`). CPython raises
/// one between two bytecodes; the host offers no such hook, so the target
/// thread raises it when a call into C returns (`take_async_exception`).
static ASYNC_EXCEPTIONS: std::sync::Mutex<Vec<(u64, PyObjectRef)>> = std::sync::Mutex::new(Vec::new());
static ANY_ASYNC_EXCEPTION: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Asks thread `thread_id` to raise `exc` (an exception class), replacing
/// one already asked for; None withdraws the request.
pub fn set_async_exception(thread_id: u64, exc: Option<PyObjectRef>) {
    let mut pending = ASYNC_EXCEPTIONS.lock().unwrap_or_else(|e| e.into_inner());
    pending.retain(|(id, _)| *id != thread_id);
    if let Some(exc) = exc {
        pending.push((thread_id, exc));
    }
    ANY_ASYNC_EXCEPTION.store(!pending.is_empty(), std::sync::atomic::Ordering::Release);
}

/// The exception another thread asked this one to raise, if any.
#[inline]
pub fn take_async_exception(vm: &VirtualMachine) -> Option<PyBaseExceptionRef> {
    if !ANY_ASYNC_EXCEPTION.load(std::sync::atomic::Ordering::Acquire) {
        return None;
    }
    // SAFETY: pthread_self has no preconditions.
    let me = unsafe { libc::pthread_self() } as u64;
    let exc = {
        let mut pending = ASYNC_EXCEPTIONS.lock().unwrap_or_else(|e| e.into_inner());
        let i = pending.iter().position(|(id, _)| *id == me)?;
        let (_, exc) = pending.remove(i);
        ANY_ASYNC_EXCEPTION.store(!pending.is_empty(), std::sync::atomic::Ordering::Release);
        exc
    };
    // Raised as CPython does, `PyErr_SetNone(exc)`: anything but an
    // exception class is a SystemError.
    let triple = ErrorTriple { ty: exc, value: None, traceback: None };
    Some(normalize(vm, triple).unwrap_or_else(|e| e))
}
