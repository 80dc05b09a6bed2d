//! pyerrors.h: the error indicator and exception objects.
use super::c_str_arg;
use crate::borrow::borrowed;
use crate::error_indicator::{self, ErrorTriple};
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{self, into_ref, opt_to_host, take, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyBaseException, PyTuple, PyType};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

fn is_exception_class(vm: &VirtualMachine, o: &PyObjectRef) -> bool {
    o.downcast_ref::<PyType>()
        .is_some_and(|t| t.fast_issubclass(vm.ctx.exceptions.base_exception_type))
}

fn set_object(vm: &VirtualMachine, ty: *mut PyObject, value: Option<PyObjectRef>) -> PyResult<()> {
    set_host_object(vm, to_host(vm, ty)?, value)
}

/// CPython's `_PyErr_SetObject`: the error indicator becomes (ty, value).
pub(crate) fn set_host_object(vm: &VirtualMachine, ty: PyObjectRef, value: Option<PyObjectRef>) -> PyResult<()> {
    if !is_exception_class(vm, &ty) {
        return Err(vm.new_system_error(format!(
            "_PyErr_SetObject: exception {} is not a BaseException subclass",
            ty.repr(vm)?
        )));
    }
    let triple = ErrorTriple { ty, value, traceback: None };
    // Inside an except block CPython 3.11 makes the exception at once, to
    // chain the one being handled as its __context__.
    if let Some(handled) = vm.current_exception() {
        let exc = error_indicator::normalize(vm, triple)?;
        if !exc.is(&handled) {
            exc.set_context(Some(handled));
        }
        error_indicator::set_from_exception(exc);
        return Ok(());
    }
    error_indicator::set(Some(triple));
    Ok(())
}

#[cpython_api]
fn PyErr_SetNone(vm: &VirtualMachine, ty: *mut PyObject) -> PyResult<()> {
    set_object(vm, ty, None)
}

#[cpython_api]
fn PyErr_SetObject(vm: &VirtualMachine, ty: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    let value = opt_to_host(vm, value)?;
    set_object(vm, ty, value)
}

#[cpython_api]
fn PyErr_SetString(vm: &VirtualMachine, ty: *mut PyObject, message: *const c_char) -> PyResult<()> {
    let message = vm.ctx.new_str(c_str_arg(vm, message)?);
    set_object(vm, ty, Some(message.into()))
}

/// Borrowed: the type of the pending exception, or NULL.
#[cpython_api]
fn PyErr_Occurred(vm: &VirtualMachine) -> *mut PyObject {
    match error_indicator::current_type() {
        Some(ty) => borrowed(vm, &ty),
        None => std::ptr::null_mut(),
    }
}

#[cpython_api]
fn PyErr_Clear() {
    error_indicator::set(None);
}

fn opt_new_ref(vm: &VirtualMachine, o: Option<PyObjectRef>) -> *mut PyObject {
    match o {
        Some(o) if !vm.is_none(&o) => into_ref(vm, o),
        _ => std::ptr::null_mut(),
    }
}

/// Hands the indicator's three references to the caller and clears it.
#[cpython_api]
unsafe fn PyErr_Fetch(vm: &VirtualMachine, ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptraceback: *mut *mut PyObject) {
    let (t, v, tb) = match error_indicator::fetch() {
        Some(ErrorTriple { ty, value, traceback }) => {
            (into_ref(vm, ty), value.map_or(std::ptr::null_mut(), |v| into_ref(vm, v)), opt_new_ref(vm, traceback))
        }
        None => (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut()),
    };
    *ptype = t;
    *pvalue = v;
    *ptraceback = tb;
}

/// Takes over the three references.
#[cpython_api]
fn PyErr_Restore(vm: &VirtualMachine, ty: *mut PyObject, value: *mut PyObject, traceback: *mut PyObject) -> PyResult<()> {
    let ty = if ty.is_null() { None } else { Some(take(vm, ty)?) };
    let value = if value.is_null() { None } else { Some(take(vm, value)?) };
    let traceback = if traceback.is_null() { None } else { Some(take(vm, traceback)?) };
    error_indicator::set(ty.map(|ty| ErrorTriple { ty, value, traceback }));
    Ok(())
}

#[cpython_api]
unsafe fn PyErr_NormalizeException(vm: &VirtualMachine, ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptraceback: *mut *mut PyObject) -> PyResult<()> {
    if (*ptype).is_null() {
        return Ok(());
    }
    let ty = to_host(vm, *ptype)?;
    let value = opt_to_host(vm, *pvalue)?;
    // An instance of the type (or a subclass) is already normal: only the
    // type may need to follow it.
    if let Some(v) = &value {
        if let Some(exc) = v.downcast_ref::<PyBaseException>() {
            if ty.downcast_ref::<PyType>().is_some_and(|t| exc.class().fast_issubclass(t)) {
                let cls: PyObjectRef = exc.class().to_owned().into();
                if !cls.is(&ty) {
                    proxy::decref(*ptype);
                    *ptype = into_ref(vm, cls);
                }
                return Ok(());
            }
        }
    }
    let exc = error_indicator::normalize(vm, ErrorTriple { ty: ty.clone(), value, traceback: None })
        .unwrap_or_else(|e| e);
    let exc_obj: PyObjectRef = exc.clone().into();
    if !is_exception_class(vm, &ty) || !exc.class().fast_issubclass(ty.downcast_ref::<PyType>().unwrap()) {
        proxy::decref(*ptype);
        *ptype = into_ref(vm, exc.class().to_owned().into());
    }
    proxy::xdecref(*pvalue);
    *pvalue = into_ref(vm, exc_obj);
    let _ = ptraceback;
    Ok(())
}

fn given_matches(vm: &VirtualMachine, given: &PyObjectRef, exc: &PyObjectRef) -> PyResult<bool> {
    if let Some(tuple) = exc.downcast_ref::<PyTuple>() {
        for item in tuple.iter() {
            if given_matches(vm, given, item)? {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    let given: PyObjectRef = if given.downcast_ref::<PyBaseException>().is_some() {
        given.class().to_owned().into()
    } else {
        given.clone()
    };
    if is_exception_class(vm, &given) && is_exception_class(vm, exc) {
        let (g, e) = (given.downcast_ref::<PyType>().unwrap(), exc.downcast_ref::<PyType>().unwrap());
        return Ok(g.fast_issubclass(e));
    }
    Ok(given.is(exc))
}

#[cpython_api]
fn PyErr_GivenExceptionMatches(vm: &VirtualMachine, given: *mut PyObject, exc: *mut PyObject) -> PyResult<c_int> {
    if given.is_null() || exc.is_null() {
        return Ok(0);
    }
    Ok(given_matches(vm, &to_host(vm, given)?, &to_host(vm, exc)?)? as c_int)
}

#[cpython_api]
fn PyErr_ExceptionMatches(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<c_int> {
    let Some(current) = error_indicator::current_type() else { return Ok(0) };
    if exc.is_null() {
        return Ok(0);
    }
    Ok(given_matches(vm, &current, &to_host(vm, exc)?)? as c_int)
}

#[cpython_api]
fn PyErr_NoMemory(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    Err(crate::error_indicator::no_memory(vm))
}

/// Sets TypeError and, unlike most functions, returns 0.
#[cpython_api]
fn PyErr_BadArgument(vm: &VirtualMachine) -> c_int {
    error_indicator::set_from_exception(vm.new_type_error("bad argument type for built-in operation".to_owned()));
    0
}

#[cpython_api]
unsafe fn _PyErr_BadInternalCall(vm: &VirtualMachine, filename: *const c_char, lineno: c_int) -> PyResult<()> {
    let file = crate::methods::c_str(filename).unwrap_or("?");
    Err(vm.new_system_error(format!("{file}:{lineno}: bad argument to internal function")))
}

#[cpython_api]
fn PyErr_BadInternalCall(vm: &VirtualMachine) -> PyResult<()> {
    Err(super::bad_internal_call(vm))
}

fn new_exception(vm: &VirtualMachine, name: *const c_char, doc: *const c_char, base: *mut PyObject, dict: *mut PyObject) -> PyResult<*mut PyObject> {
    let full = c_str_arg(vm, name)?;
    let Some((module, class_name)) = full.rsplit_once('.') else {
        return Err(vm.new_system_error("PyErr_NewException: name must be module.class".to_owned()));
    };
    let dict = match opt_to_host(vm, dict)? {
        Some(d) => d,
        None => vm.ctx.new_dict().into(),
    };
    if !doc.is_null() {
        dict.set_item("__doc__", vm.ctx.new_str(c_str_arg(vm, doc)?).into(), vm)?;
    }
    if dict.get_item("__module__", vm).is_err() {
        dict.set_item("__module__", vm.ctx.new_str(module).into(), vm)?;
    }
    let bases: PyObjectRef = match opt_to_host(vm, base)? {
        None => vm.ctx.new_tuple(vec![vm.ctx.exceptions.exception_type.to_owned().into()]).into(),
        Some(b) if b.downcast_ref::<PyTuple>().is_some() => b,
        Some(b) => vm.ctx.new_tuple(vec![b]).into(),
    };
    let cls = vm.ctx.types.type_type.as_object().call((vm.ctx.new_str(class_name), bases, dict), vm)?;
    Ok(into_ref(vm, cls))
}

#[cpython_api]
fn PyErr_NewException(vm: &VirtualMachine, name: *const c_char, base: *mut PyObject, dict: *mut PyObject) -> PyResult<*mut PyObject> {
    new_exception(vm, name, std::ptr::null(), base, dict)
}

#[cpython_api]
fn PyErr_NewExceptionWithDoc(vm: &VirtualMachine, name: *const c_char, doc: *const c_char, base: *mut PyObject, dict: *mut PyObject) -> PyResult<*mut PyObject> {
    new_exception(vm, name, doc, base, dict)
}

#[cpython_api]
fn PyErr_WriteUnraisable(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<()> {
    write_unraisable(vm, None, obj)
}

fn write_unraisable(vm: &VirtualMachine, message: Option<String>, obj: *mut PyObject) -> PyResult<()> {
    let Some(exc) = error_indicator::take_exception(vm) else { return Ok(()) };
    // As CPython does, an exception without a traceback gets one for the
    // Python frame that called into C.
    if exc.__traceback__().is_none() {
        if let Some(frame) = vm.current_frame() {
            let lasti = frame.lasti().saturating_mul(2) as i64;
            let lineno = frame.lineno().max(1) as i64;
            let frame: PyObjectRef = frame.to_owned().into();
            let tb = vm.ctx.types.traceback_type.as_object().call((vm.ctx.none(), frame, lasti, lineno), vm)?;
            exc.as_object().set_attr("__traceback__", tb, vm)?;
        }
    }
    let object = opt_to_host(vm, obj)?.unwrap_or_else(|| vm.ctx.none());
    vm.run_unraisable(exc, message, object);
    Ok(())
}

fn print_pending(vm: &VirtualMachine, set_last: bool) -> PyResult<()> {
    let Some(exc) = error_indicator::take_exception(vm) else { return Ok(()) };
    let ty: PyObjectRef = exc.class().to_owned().into();
    let value: PyObjectRef = exc.clone().into();
    let tb = exc.__traceback__().map_or_else(|| vm.ctx.none(), Into::into);
    if set_last {
        vm.sys_module.set_attr("last_type", ty.clone(), vm)?;
        vm.sys_module.set_attr("last_value", value.clone(), vm)?;
        vm.sys_module.set_attr("last_traceback", tb.clone(), vm)?;
    }
    let hook = vm.sys_module.get_attr("excepthook", vm)?;
    hook.call((ty, value, tb), vm)?;
    Ok(())
}

#[cpython_api]
fn PyErr_PrintEx(vm: &VirtualMachine, set_sys_last_vars: c_int) -> PyResult<()> {
    print_pending(vm, set_sys_last_vars != 0)
}

#[cpython_api]
fn PyErr_Print(vm: &VirtualMachine) -> PyResult<()> {
    print_pending(vm, true)
}

#[cpython_api(no_gil)]
unsafe fn Py_FatalError(message: *const c_char) {
    let message = crate::methods::c_str(message).unwrap_or("(unreadable message)");
    crate::boundary::fatal(message)
}

/// What the Py_FatalError macro calls: the message names the C function.
#[cpython_api(no_gil)]
unsafe fn _Py_FatalErrorFunc(func: *const c_char, message: *const c_char) {
    let message = crate::methods::c_str(message).unwrap_or("(unreadable message)");
    match crate::methods::c_str(func) {
        Some(func) => crate::boundary::fatal(&format!("{func}: {message}")),
        None => crate::boundary::fatal(message),
    }
}

fn exception_arg(vm: &VirtualMachine, ex: *mut PyObject) -> PyResult<rustpython_vm::builtins::PyBaseExceptionRef> {
    to_host(vm, ex)?
        .downcast::<PyBaseException>()
        .map_err(|_| vm.new_type_error("an exception instance is required".to_owned()))
}

#[cpython_api]
fn PyException_GetTraceback(vm: &VirtualMachine, ex: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(opt_new_ref(vm, exception_arg(vm, ex)?.__traceback__().map(Into::into)))
}

#[cpython_api]
fn PyException_SetTraceback(vm: &VirtualMachine, ex: *mut PyObject, tb: *mut PyObject) -> PyResult<c_int> {
    let exc = exception_arg(vm, ex)?;
    let tb = opt_to_host(vm, tb)?.unwrap_or_else(|| vm.ctx.none());
    exc.as_object().set_attr("__traceback__", tb, vm)?;
    Ok(0)
}

#[cpython_api]
fn PyException_GetCause(vm: &VirtualMachine, ex: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(opt_new_ref(vm, exception_arg(vm, ex)?.__cause__().map(Into::into)))
}

/// Takes over `cause`; sets `__suppress_context__`, even for NULL.
#[cpython_api]
fn PyException_SetCause(vm: &VirtualMachine, ex: *mut PyObject, cause: *mut PyObject) -> PyResult<()> {
    let exc = exception_arg(vm, ex)?;
    let cause = if cause.is_null() { None } else { Some(take(vm, cause)?) };
    let cause = cause.map(|c| c.downcast::<PyBaseException>()).transpose().map_err(|_| {
        vm.new_type_error("exception cause must be None or derive from BaseException".to_owned())
    })?;
    exc.set_cause(cause);
    exc.as_object().set_attr("__suppress_context__", vm.ctx.new_bool(true), vm)?;
    Ok(())
}

#[cpython_api]
fn PyException_GetContext(vm: &VirtualMachine, ex: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(opt_new_ref(vm, exception_arg(vm, ex)?.__context__().map(Into::into)))
}

#[cpython_api]
fn PyException_SetContext(vm: &VirtualMachine, ex: *mut PyObject, context: *mut PyObject) -> PyResult<()> {
    let exc = exception_arg(vm, ex)?;
    let context = if context.is_null() { None } else { Some(take(vm, context)?) };
    let context = context.map(|c| c.downcast::<PyBaseException>()).transpose().map_err(|_| {
        vm.new_type_error("exception context must be None or derive from BaseException".to_owned())
    })?;
    exc.set_context(context);
    Ok(())
}

/// The C library's errno, read before anything else can change it.
pub(crate) fn last_errno() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

pub(crate) fn set_errno(value: c_int) {
    // SAFETY: __errno_location returns this thread's errno.
    unsafe { *libc::__errno_location() = value };
}

/// `(errno, strerror(errno)[, filename[, 0, filename2]])`: the arguments
/// of the OSError an errno makes.
pub(crate) fn errno_args(vm: &VirtualMachine, errno: c_int, filename: Option<PyObjectRef>, filename2: Option<PyObjectRef>) -> Vec<PyObjectRef> {
    let message = if errno == 0 {
        "Error".to_owned()
    } else {
        // SAFETY: strerror returns a NUL-terminated string that stays valid
        // until the next strerror call on this thread; it is copied at once.
        unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) }.to_string_lossy().into_owned()
    };
    let mut args: Vec<PyObjectRef> = vec![vm.ctx.new_int(errno).into(), vm.ctx.new_str(message).into()];
    if let Some(f) = filename {
        args.push(f);
        if let Some(f2) = filename2 {
            args.push(vm.ctx.new_int(0).into());
            args.push(f2);
        }
    }
    args
}

/// `ty(errno, strerror(errno)[, filename[, None, filename2]])` as the
/// pending error; an EINTR first runs the signal handlers, whose error wins.
fn set_from_errno(vm: &VirtualMachine, errno: c_int, ty: *mut PyObject, filename: Option<PyObjectRef>, filename2: Option<PyObjectRef>) -> PyResult<*mut PyObject> {
    if errno == libc::EINTR {
        rustpython_vm::signal::check_signals(vm)?;
    }
    let ty = to_host(vm, ty)?;
    let exc = ty.call(errno_args(vm, errno, filename, filename2), vm)?;
    if crate::error_indicator::occurred() {
        // C called this with an error already set (a failed PyLong_AsLong
        // before a syscall with the bad value). CPython makes the instance
        // by a call, which then fails: OSError's constructor itself stops
        // at its errno-to-subclass lookup when that finds nothing, leaving
        // the first error; any other instance is a result with an
        // exception set, a SystemError from the first.
        let os_error = vm.ctx.exceptions.os_error.as_object();
        if ty.is(os_error) && exc.class().is(os_error) {
            return Ok(std::ptr::null_mut());
        }
        let culprit = ty.repr(vm)?.to_string();
        return Err(match crate::error_indicator::take_exception(vm) {
            Some(cause) => crate::boundary::result_with_exception_set(vm, &culprit, cause),
            None => vm.new_system_error(format!("{culprit} returned a result with an exception set")),
        });
    }
    set_host_object(vm, exc.class().to_owned().into(), Some(exc))?;
    Ok(std::ptr::null_mut())
}

#[cpython_api]
fn PyErr_SetFromErrno(vm: &VirtualMachine, ty: *mut PyObject) -> PyResult<*mut PyObject> {
    let errno = last_errno();
    set_from_errno(vm, errno, ty, None, None)
}

#[cpython_api]
fn PyErr_SetFromErrnoWithFilenameObject(vm: &VirtualMachine, ty: *mut PyObject, filename: *mut PyObject) -> PyResult<*mut PyObject> {
    let errno = last_errno();
    let filename = opt_to_host(vm, filename)?;
    set_from_errno(vm, errno, ty, filename, None)
}

#[cpython_api]
fn PyErr_SetFromErrnoWithFilenameObjects(vm: &VirtualMachine, ty: *mut PyObject, filename: *mut PyObject, filename2: *mut PyObject) -> PyResult<*mut PyObject> {
    let errno = last_errno();
    let filename = opt_to_host(vm, filename)?;
    let filename2 = opt_to_host(vm, filename2)?;
    // CPython uses the second name only with a first one.
    set_from_errno(vm, errno, ty, filename, filename2)
}

/// # Safety
/// `filename` is NULL or a NUL-terminated string.
#[cpython_api]
unsafe fn PyErr_SetFromErrnoWithFilename(vm: &VirtualMachine, ty: *mut PyObject, filename: *const c_char) -> PyResult<*mut PyObject> {
    let errno = last_errno();
    let filename = if filename.is_null() { None } else { Some(super::code::fs_decode(vm, filename)?) };
    set_from_errno(vm, errno, ty, filename, None)
}

/// `exception(message, name=name, path=path)` as the pending error.
fn set_import_error(vm: &VirtualMachine, exception: PyObjectRef, message: *mut PyObject, name: *mut PyObject, path: *mut PyObject) -> PyResult<*mut PyObject> {
    let is_subclass = exception.is_subclass(vm.ctx.exceptions.import_error.as_object(), vm)?;
    if !is_subclass {
        return Err(vm.new_type_error("expected a subclass of ImportError".to_owned()));
    }
    let Some(message) = opt_to_host(vm, message)? else {
        return Err(vm.new_type_error("expected a message argument".to_owned()));
    };
    let mut kwargs = rustpython_vm::function::KwArgs::default();
    kwargs.insert("name".into(), opt_to_host(vm, name)?.unwrap_or_else(|| vm.ctx.none()));
    kwargs.insert("path".into(), opt_to_host(vm, path)?.unwrap_or_else(|| vm.ctx.none()));
    let error = exception.call(rustpython_vm::function::FuncArgs::new(vec![message], kwargs), vm)?;
    set_host_object(vm, error.class().to_owned().into(), Some(error))?;
    Ok(std::ptr::null_mut())
}

#[cpython_api]
fn PyErr_SetImportError(vm: &VirtualMachine, message: *mut PyObject, name: *mut PyObject, path: *mut PyObject) -> PyResult<*mut PyObject> {
    set_import_error(vm, vm.ctx.exceptions.import_error.to_owned().into(), message, name, path)
}

#[cpython_api]
fn PyErr_SetImportErrorSubclass(vm: &VirtualMachine, exception: *mut PyObject, message: *mut PyObject, name: *mut PyObject, path: *mut PyObject) -> PyResult<*mut PyObject> {
    set_import_error(vm, to_host(vm, exception)?, message, name, path)
}

#[cpython_api]
fn PyErr_GetHandledException(vm: &VirtualMachine) -> *mut PyObject {
    opt_new_ref(vm, vm.current_exception().map(Into::into))
}

#[cpython_api]
unsafe fn PyErr_GetExcInfo(vm: &VirtualMachine, ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptraceback: *mut *mut PyObject) {
    // SAFETY: forwarded from the caller.
    unsafe { write_exc_info(vm, vm.current_exception(), ptype, pvalue, ptraceback) }
}

/// New references to the type, value and traceback of `handled` in the
/// three pointers; three NULLs for none.
///
/// # Safety
/// The three pointers are writable.
unsafe fn write_exc_info(vm: &VirtualMachine, handled: Option<rustpython_vm::builtins::PyBaseExceptionRef>, ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptraceback: *mut *mut PyObject) {
    let (ty, value, tb) = match handled {
        Some(exc) => {
            let ty = into_ref(vm, exc.class().to_owned().into());
            let tb = opt_new_ref(vm, exc.__traceback__().map(Into::into));
            (ty, into_ref(vm, exc.into()), tb)
        }
        None => (std::ptr::null_mut(), std::ptr::null_mut(), std::ptr::null_mut()),
    };
    // SAFETY: the caller's contract.
    unsafe {
        *ptype = ty;
        *pvalue = value;
        *ptraceback = tb;
    }
}

/// Sets the exception being handled (`sys.exc_info()`); NULL or None
/// clears it.
#[cpython_api]
fn PyErr_SetHandledException(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<()> {
    set_handled(vm, exc)
}

fn set_handled(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<()> {
    let host = match opt_to_host(vm, exc)? {
        Some(e) if !vm.is_none(&e) => Some(e.downcast::<PyBaseException>().map_err(|_| super::bad_internal_call(vm))?),
        _ => None,
    };
    vm.set_exception(host);
    mirror_handled(exc);
    Ok(())
}

/// Keeps `tstate->exc_info->exc_value` (this thread's `exc_state`) the
/// object C last made the handled exception, as CPython 3.11's
/// `PyErr_SetExcInfo` and `PyErr_SetHandledException` store it there.
/// mypyc reads it directly in every `except` clause (`CPy_ExceptionMatches`
/// takes `Py_TYPE(PyThreadState_GET()->exc_info->exc_value)` right after
/// `PyErr_SetExcInfo`): it was always NULL, a segfault. The state holds its
/// own reference; `exc` (NULL, None or an exception) is borrowed.
fn mirror_handled(exc: *mut PyObject) {
    let state = super::pystate::this_thread_state();
    if !exc.is_null() {
        proxy::incref(exc);
    }
    // SAFETY: this thread's live state (never freed); its exc_state is the
    // layer's to write, under the GIL.
    let old = unsafe { std::mem::replace(&mut (*state).exc_state.exc_value, exc) };
    proxy::xdecref(old);
}

/// Takes over the three references; only the value counts (CPython 3.11
/// derives the type and traceback from it).
#[cpython_api]
fn PyErr_SetExcInfo(vm: &VirtualMachine, ty: *mut PyObject, value: *mut PyObject, traceback: *mut PyObject) -> PyResult<()> {
    mirror_handled(value);
    let value = if value.is_null() { None } else { Some(take(vm, value)?) };
    proxy::xdecref(ty);
    proxy::xdecref(traceback);
    let exc = match value {
        Some(e) if !vm.is_none(&e) => Some(e.downcast::<PyBaseException>().map_err(|_| super::bad_internal_call(vm))?),
        _ => None,
    };
    vm.set_exception(exc);
    Ok(())
}

/// Runs the Python handlers of signals that arrived (on the main thread);
/// -1 with the handler's exception set if one raised.
#[cpython_api]
fn PyErr_CheckSignals(vm: &VirtualMachine) -> PyResult<c_int> {
    rustpython_vm::signal::check_signals(vm)?;
    Ok(0)
}

/// Simulates the arrival of `signum`: its Python handler runs at the next
/// check. -1 (no exception) for a number that is not a signal. As in
/// CPython, callable from a C signal handler and from a thread without the
/// GIL (cysignals calls it from its SIGINT handler), so it touches no
/// Python object: it trips the host's own signal handler, which only sets
/// flags. A signal whose handler is not Python's (SIG_DFL, SIG_IGN) is
/// ignored.
#[cpython_api(no_gil)]
fn PyErr_SetInterruptEx(signum: c_int) -> c_int {
    let Ok(signal) = rustpython_vm::signal::SignalNum::try_from(signum) else { return -1 };
    // SAFETY: sigaction only reads the current disposition into `current`
    // (async-signal-safe); a zeroed sigaction is a valid out-parameter.
    let handled_by_python = unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signum, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction != libc::SIG_DFL
            && current.sa_sigaction != libc::SIG_IGN
    };
    if handled_by_python {
        let _ = rustpython_vm::signal::set_interrupt_ex(signal);
    }
    0
}

#[cpython_api(no_gil)]
fn PyErr_SetInterrupt() {
    // SAFETY: the C-API function above, which takes any signal number.
    unsafe { PyErr_SetInterruptEx(libc::SIGINT) };
}

/// Adds location attributes to the pending error (normally a SyntaxError),
/// as CPython's PyErr_SyntaxLocationObjectEx: failures to set them are
/// ignored, and without a pending error there is nothing to do.
fn syntax_location(vm: &VirtualMachine, filename: Option<PyObjectRef>, lineno: c_int, col_offset: c_int, end_lineno: c_int, end_col_offset: c_int) {
    let Some(exc) = error_indicator::take_exception(vm) else { return };
    let obj = exc.as_object();
    let int_or_none = |v: c_int| -> PyObjectRef { if v >= 0 { vm.ctx.new_int(v).into() } else { vm.ctx.none() } };
    let _ = obj.set_attr("lineno", vm.ctx.new_int(lineno), vm);
    let _ = obj.set_attr("offset", int_or_none(col_offset), vm);
    let _ = obj.set_attr("end_lineno", int_or_none(end_lineno), vm);
    let _ = obj.set_attr("end_offset", int_or_none(end_col_offset), vm);
    if let Some(filename) = filename {
        let _ = obj.set_attr("filename", filename.clone(), vm);
        if let Some(text) = program_text(vm, &filename, lineno) {
            let _ = obj.set_attr("text", text, vm);
        }
    }
    if !exc.class().is(vm.ctx.exceptions.syntax_error) {
        if matches!(vm.get_attribute_opt(obj, "msg"), Ok(None)) {
            if let Ok(text) = obj.str(vm) {
                let _ = obj.set_attr("msg", text, vm);
            }
        }
        if matches!(vm.get_attribute_opt(obj, "print_file_and_line"), Ok(None)) {
            let _ = obj.set_attr("print_file_and_line", vm.ctx.none(), vm);
        }
    }
    error_indicator::set_from_exception(exc);
}

#[cpython_api]
fn PyErr_RangedSyntaxLocationObject(vm: &VirtualMachine, filename: *mut PyObject, lineno: c_int, col_offset: c_int, end_lineno: c_int, end_col_offset: c_int) -> PyResult<()> {
    let filename = opt_to_host(vm, filename)?;
    syntax_location(vm, filename, lineno, col_offset, end_lineno, end_col_offset);
    Ok(())
}

#[cpython_api]
fn PyErr_SyntaxLocationObject(vm: &VirtualMachine, filename: *mut PyObject, lineno: c_int, col_offset: c_int) -> PyResult<()> {
    let filename = opt_to_host(vm, filename)?;
    syntax_location(vm, filename, lineno, col_offset, lineno, -1);
    Ok(())
}

/// # Safety
/// `filename` is NULL or a NUL-terminated string.
#[cpython_api]
unsafe fn PyErr_SyntaxLocationEx(vm: &VirtualMachine, filename: *const c_char, lineno: c_int, col_offset: c_int) {
    // A name that cannot be decoded is left out, as in CPython.
    let filename = if filename.is_null() { None } else { super::code::fs_decode(vm, filename).ok() };
    syntax_location(vm, filename, lineno, col_offset, lineno, -1);
}

/// # Safety
/// `filename` is NULL or a NUL-terminated string.
#[cpython_api]
unsafe fn PyErr_SyntaxLocation(vm: &VirtualMachine, filename: *const c_char, lineno: c_int) {
    let filename = if filename.is_null() { None } else { super::code::fs_decode(vm, filename).ok() };
    syntax_location(vm, filename, lineno, -1, lineno, -1);
}

/// Line `lineno` (from 1) of the file, as CPython's err_programtext reads
/// it, decoded as UTF-8: None for a missing file or line, or text that is
/// not UTF-8.
fn program_text(vm: &VirtualMachine, filename: &PyObjectRef, lineno: c_int) -> Option<PyObjectRef> {
    let text = program_line(vm, filename, lineno)?;
    let text = std::str::from_utf8(&text).ok()?;
    Some(vm.ctx.new_str(text).into())
}

/// The bytes of line `lineno` (from 1) of the file, as CPython's
/// err_programtext reads it: universal newlines, the newline kept, a line
/// longer than 998 bytes cut to its last 999-byte piece, nothing from a
/// NUL byte on; None for a missing file or line.
fn program_line(vm: &VirtualMachine, filename: &PyObjectRef, lineno: c_int) -> Option<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    if lineno <= 0 {
        return None;
    }
    let fsencode = crate::types::import_for_layer(vm, "os").ok()?.get_attr("fsencode", vm).ok()?;
    let path = fsencode.call((filename.clone(),), vm).ok()?;
    let path = path.downcast_ref::<rustpython_vm::builtins::PyBytes>()?;
    let data = std::fs::read(std::ffi::OsStr::from_bytes(path.as_bytes())).ok()?;
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\n' => {
                lines.push(data[start..=i].to_vec());
                start = i + 1;
            }
            b'\r' => {
                let mut line = data[start..i].to_vec();
                line.push(b'\n');
                lines.push(line);
                if data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < data.len() {
        lines.push(data[start..].to_vec());
    }
    let line = lines.get(lineno as usize - 1)?;
    const PIECE: usize = 999;
    let last_piece = if line.len() > PIECE { &line[(line.len() - 1) / PIECE * PIECE..] } else { &line[..] };
    // The reader stops at a NUL byte, as C strings do.
    Some(last_piece.split(|b| *b == 0).next().unwrap_or(&[]).to_vec())
}

/// A new reference to the text of line `lineno` of the file, or NULL with
/// no exception set.
#[cpython_api]
fn PyErr_ProgramTextObject(vm: &VirtualMachine, filename: *mut PyObject, lineno: c_int) -> PyResult<*mut PyObject> {
    let Some(filename) = opt_to_host(vm, filename)? else { return Ok(std::ptr::null_mut()) };
    Ok(program_text(vm, &filename, lineno).map_or(std::ptr::null_mut(), |t| into_ref(vm, t)))
}

/// # Safety
/// `filename` is NULL or a NUL-terminated string.
#[cpython_api]
unsafe fn PyErr_ProgramText(vm: &VirtualMachine, filename: *const c_char, lineno: c_int) -> *mut PyObject {
    if filename.is_null() {
        return std::ptr::null_mut();
    }
    let Ok(filename) = super::code::fs_decode(vm, filename) else { return std::ptr::null_mut() };
    program_text(vm, &filename, lineno).map_or(std::ptr::null_mut(), |t| into_ref(vm, t))
}

/// The class's `tp_name`, as C sees the type object.
///
/// # Safety
/// `exc` is a type object.
#[cpython_api]
unsafe fn PyExceptionClass_Name(exc: *mut PyObject) -> *const c_char {
    // SAFETY: the caller passes a type object, whose proxy is a PyTypeObject.
    unsafe { (*(exc as *mut crate::ffi::PyTypeObject)).tp_name }
}

/// Reports the pending error through `sys.unraisablehook`, with the message
/// "Exception ignored {err_msg}" (or the default one for NULL).
///
/// # Safety
/// `err_msg` is NULL or a NUL-terminated string.
#[cpython_api]
unsafe fn _PyErr_WriteUnraisableMsg(vm: &VirtualMachine, err_msg: *const c_char, obj: *mut PyObject) -> PyResult<()> {
    let message = if err_msg.is_null() { None } else { Some(format!("Exception ignored {}", c_str_arg(vm, err_msg)?)) };
    write_unraisable(vm, message, obj)
}

/// Takes over the three references: the error (exc, val, tb) becomes the
/// __context__ of the pending error, or the pending error if there is none.
#[cpython_api]
fn _PyErr_ChainExceptions(vm: &VirtualMachine, exc: *mut PyObject, val: *mut PyObject, tb: *mut PyObject) -> PyResult<()> {
    if exc.is_null() {
        return Ok(());
    }
    let ty = take(vm, exc)?;
    let value = if val.is_null() { None } else { Some(take(vm, val)?) };
    let traceback = if tb.is_null() { None } else { Some(take(vm, tb)?) };
    if !is_exception_class(vm, &ty) {
        return Err(vm.new_system_error(format!(
            "_PyErr_ChainExceptions: exception {} is not a BaseException subclass",
            ty.repr(vm)?
        )));
    }
    let earlier = ErrorTriple { ty, value, traceback };
    if !error_indicator::occurred() {
        error_indicator::set(Some(earlier));
        return Ok(());
    }
    let later = error_indicator::take_exception(vm).expect("an error is pending");
    let earlier = error_indicator::normalize(vm, earlier).unwrap_or_else(|e| e);
    later.set_context(Some(earlier));
    error_indicator::set_from_exception(later);
    Ok(())
}

/// KeyError(key): the key is the only argument even when it is a tuple.
#[cpython_api]
fn _PyErr_SetKeyError(vm: &VirtualMachine, key: *mut PyObject) -> PyResult<()> {
    let key = to_host(vm, key)?;
    let args: PyObjectRef = vm.ctx.new_tuple(vec![key]).into();
    set_host_object(vm, vm.ctx.exceptions.key_error.to_owned().into(), Some(args))
}

// --- UnicodeEncodeError, UnicodeDecodeError, UnicodeTranslateError --------
// CPython reads the fields of PyUnicodeErrorObject; here they are the host
// exception's attributes, with CPython's checks and messages.

fn unicode_error_attr(vm: &VirtualMachine, exc: *mut PyObject, name: &'static str) -> PyResult<PyObjectRef> {
    let value = to_host(vm, exc)?.get_attr(name, vm)?;
    if vm.is_none(&value) {
        return Err(vm.new_type_error(format!("{name} attribute not set")));
    }
    Ok(value)
}

/// The attribute, which must be a str.
fn unicode_error_str(vm: &VirtualMachine, exc: *mut PyObject, name: &'static str) -> PyResult<PyObjectRef> {
    let value = unicode_error_attr(vm, exc, name)?;
    if value.downcast_ref::<rustpython_vm::builtins::PyStr>().is_none() {
        return Err(vm.new_type_error(format!("{name} attribute must be unicode")));
    }
    Ok(value)
}

/// The `object` attribute, which must be bytes.
fn unicode_error_bytes(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<PyObjectRef> {
    let value = unicode_error_attr(vm, exc, "object")?;
    if value.downcast_ref::<rustpython_vm::builtins::PyBytes>().is_none() {
        return Err(vm.new_type_error("object attribute must be bytes".to_owned()));
    }
    Ok(value)
}

fn unicode_error_index(vm: &VirtualMachine, exc: *mut PyObject, name: &'static str) -> PyResult<Py_ssize_t> {
    to_host(vm, exc)?.get_attr(name, vm)?.try_into_value::<Py_ssize_t>(vm)
}

/// `start`, clipped into the object as CPython 3.11 does (to len-1, and
/// not below 0).
fn unicode_error_start(vm: &VirtualMachine, exc: *mut PyObject, object: PyObjectRef) -> PyResult<Py_ssize_t> {
    let size = object.length(vm)? as Py_ssize_t;
    let mut start = unicode_error_index(vm, exc, "start")?;
    if start < 0 {
        start = 0;
    }
    if start >= size {
        start = size - 1;
    }
    Ok(start)
}

/// `end`, clipped into the object as CPython 3.11 does (1 to len).
fn unicode_error_end(vm: &VirtualMachine, exc: *mut PyObject, object: PyObjectRef) -> PyResult<Py_ssize_t> {
    let size = object.length(vm)? as Py_ssize_t;
    let mut end = unicode_error_index(vm, exc, "end")?;
    if end < 1 {
        end = 1;
    }
    if end > size {
        end = size;
    }
    Ok(end)
}

fn set_unicode_error_attr(vm: &VirtualMachine, exc: *mut PyObject, name: &'static str, value: PyObjectRef) -> PyResult<c_int> {
    to_host(vm, exc)?.set_attr(name, value, vm)?;
    Ok(0)
}

/// # Safety
/// `encoding` and `reason` are NUL-terminated; `object` has `length` bytes.
#[cpython_api]
unsafe fn PyUnicodeDecodeError_Create(vm: &VirtualMachine, encoding: *const c_char, object: *const c_char, length: Py_ssize_t, start: Py_ssize_t, end: Py_ssize_t, reason: *const c_char) -> PyResult<*mut PyObject> {
    let encoding = vm.ctx.new_str(c_str_arg(vm, encoding)?);
    let reason = vm.ctx.new_str(c_str_arg(vm, reason)?);
    if object.is_null() && length != 0 || length < 0 {
        return Err(super::bad_internal_call(vm));
    }
    let bytes = if length == 0 {
        Vec::new()
    } else {
        // SAFETY: the caller passes `length` readable bytes at `object`.
        unsafe { std::slice::from_raw_parts(object as *const u8, length as usize) }.to_vec()
    };
    let cls = vm.ctx.exceptions.unicode_decode_error.as_object();
    let exc = cls.call((encoding, vm.ctx.new_bytes(bytes), start, end, reason), vm)?;
    Ok(into_ref(vm, exc))
}

#[cpython_api]
fn PyUnicodeEncodeError_GetEncoding(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_str(vm, exc, "encoding")?))
}

#[cpython_api]
fn PyUnicodeDecodeError_GetEncoding(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_str(vm, exc, "encoding")?))
}

#[cpython_api]
fn PyUnicodeEncodeError_GetObject(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_str(vm, exc, "object")?))
}

#[cpython_api]
fn PyUnicodeDecodeError_GetObject(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_bytes(vm, exc)?))
}

#[cpython_api]
fn PyUnicodeTranslateError_GetObject(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_str(vm, exc, "object")?))
}

/// # Safety
/// `start` is valid for writing a Py_ssize_t.
#[cpython_api]
unsafe fn PyUnicodeEncodeError_GetStart(vm: &VirtualMachine, exc: *mut PyObject, start: *mut Py_ssize_t) -> PyResult<c_int> {
    let object = unicode_error_str(vm, exc, "object")?;
    let value = unicode_error_start(vm, exc, object)?;
    // SAFETY: the caller passes a writable Py_ssize_t.
    unsafe { *start = value };
    Ok(0)
}

/// # Safety
/// `start` is valid for writing a Py_ssize_t.
#[cpython_api]
unsafe fn PyUnicodeDecodeError_GetStart(vm: &VirtualMachine, exc: *mut PyObject, start: *mut Py_ssize_t) -> PyResult<c_int> {
    let object = unicode_error_bytes(vm, exc)?;
    let value = unicode_error_start(vm, exc, object)?;
    // SAFETY: the caller passes a writable Py_ssize_t.
    unsafe { *start = value };
    Ok(0)
}

/// # Safety
/// `start` is valid for writing a Py_ssize_t.
#[cpython_api]
unsafe fn PyUnicodeTranslateError_GetStart(vm: &VirtualMachine, exc: *mut PyObject, start: *mut Py_ssize_t) -> PyResult<c_int> {
    let object = unicode_error_str(vm, exc, "object")?;
    let value = unicode_error_start(vm, exc, object)?;
    // SAFETY: the caller passes a writable Py_ssize_t.
    unsafe { *start = value };
    Ok(0)
}

/// # Safety
/// `end` is valid for writing a Py_ssize_t.
#[cpython_api]
unsafe fn PyUnicodeEncodeError_GetEnd(vm: &VirtualMachine, exc: *mut PyObject, end: *mut Py_ssize_t) -> PyResult<c_int> {
    let object = unicode_error_str(vm, exc, "object")?;
    let value = unicode_error_end(vm, exc, object)?;
    // SAFETY: the caller passes a writable Py_ssize_t.
    unsafe { *end = value };
    Ok(0)
}

/// # Safety
/// `end` is valid for writing a Py_ssize_t.
#[cpython_api]
unsafe fn PyUnicodeDecodeError_GetEnd(vm: &VirtualMachine, exc: *mut PyObject, end: *mut Py_ssize_t) -> PyResult<c_int> {
    let object = unicode_error_bytes(vm, exc)?;
    let value = unicode_error_end(vm, exc, object)?;
    // SAFETY: the caller passes a writable Py_ssize_t.
    unsafe { *end = value };
    Ok(0)
}

/// # Safety
/// `end` is valid for writing a Py_ssize_t.
#[cpython_api]
unsafe fn PyUnicodeTranslateError_GetEnd(vm: &VirtualMachine, exc: *mut PyObject, end: *mut Py_ssize_t) -> PyResult<c_int> {
    let object = unicode_error_str(vm, exc, "object")?;
    let value = unicode_error_end(vm, exc, object)?;
    // SAFETY: the caller passes a writable Py_ssize_t.
    unsafe { *end = value };
    Ok(0)
}

#[cpython_api]
fn PyUnicodeEncodeError_SetStart(vm: &VirtualMachine, exc: *mut PyObject, start: Py_ssize_t) -> PyResult<c_int> {
    set_unicode_error_attr(vm, exc, "start", vm.ctx.new_int(start).into())
}

#[cpython_api]
fn PyUnicodeDecodeError_SetStart(vm: &VirtualMachine, exc: *mut PyObject, start: Py_ssize_t) -> PyResult<c_int> {
    set_unicode_error_attr(vm, exc, "start", vm.ctx.new_int(start).into())
}

#[cpython_api]
fn PyUnicodeTranslateError_SetStart(vm: &VirtualMachine, exc: *mut PyObject, start: Py_ssize_t) -> PyResult<c_int> {
    set_unicode_error_attr(vm, exc, "start", vm.ctx.new_int(start).into())
}

#[cpython_api]
fn PyUnicodeEncodeError_SetEnd(vm: &VirtualMachine, exc: *mut PyObject, end: Py_ssize_t) -> PyResult<c_int> {
    set_unicode_error_attr(vm, exc, "end", vm.ctx.new_int(end).into())
}

#[cpython_api]
fn PyUnicodeDecodeError_SetEnd(vm: &VirtualMachine, exc: *mut PyObject, end: Py_ssize_t) -> PyResult<c_int> {
    set_unicode_error_attr(vm, exc, "end", vm.ctx.new_int(end).into())
}

#[cpython_api]
fn PyUnicodeTranslateError_SetEnd(vm: &VirtualMachine, exc: *mut PyObject, end: Py_ssize_t) -> PyResult<c_int> {
    set_unicode_error_attr(vm, exc, "end", vm.ctx.new_int(end).into())
}

#[cpython_api]
fn PyUnicodeEncodeError_GetReason(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_str(vm, exc, "reason")?))
}

#[cpython_api]
fn PyUnicodeDecodeError_GetReason(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_str(vm, exc, "reason")?))
}

#[cpython_api]
fn PyUnicodeTranslateError_GetReason(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, unicode_error_str(vm, exc, "reason")?))
}

/// # Safety
/// `reason` is a NUL-terminated string.
#[cpython_api]
unsafe fn PyUnicodeEncodeError_SetReason(vm: &VirtualMachine, exc: *mut PyObject, reason: *const c_char) -> PyResult<c_int> {
    let reason = vm.ctx.new_str(c_str_arg(vm, reason)?).into();
    set_unicode_error_attr(vm, exc, "reason", reason)
}

/// # Safety
/// `reason` is a NUL-terminated string.
#[cpython_api]
unsafe fn PyUnicodeDecodeError_SetReason(vm: &VirtualMachine, exc: *mut PyObject, reason: *const c_char) -> PyResult<c_int> {
    let reason = vm.ctx.new_str(c_str_arg(vm, reason)?).into();
    set_unicode_error_attr(vm, exc, "reason", reason)
}

/// # Safety
/// `reason` is a NUL-terminated string.
#[cpython_api]
unsafe fn PyUnicodeTranslateError_SetReason(vm: &VirtualMachine, exc: *mut PyObject, reason: *const c_char) -> PyResult<c_int> {
    let reason = vm.ctx.new_str(c_str_arg(vm, reason)?).into();
    set_unicode_error_attr(vm, exc, "reason", reason)
}

// --- The 3.12 additions to the limited API -----------------------------------
// CPython 3.11 lacks these; the limited API (and code written for 3.12)
// has them, and each is a plain composition of 3.11 behaviour.

/// The pending exception, normalized, as one new reference (NULL if none);
/// the indicator is cleared.
#[cpython_api]
fn PyErr_GetRaisedException(vm: &VirtualMachine) -> *mut PyObject {
    match error_indicator::take_exception(vm) {
        Some(exc) => into_ref(vm, exc.into()),
        None => std::ptr::null_mut(),
    }
}

/// Makes `exc` (stolen; NULL clears) the pending exception.
#[cpython_api]
fn PyErr_SetRaisedException(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<()> {
    if exc.is_null() {
        error_indicator::set(None);
        return Ok(());
    }
    let exc = take(vm, exc)?;
    match exc.downcast::<PyBaseException>() {
        Ok(exc) => error_indicator::set_from_exception(exc),
        Err(other) => return Err(vm.new_system_error(format!("exception {} is not a BaseException instance", crate::types::tp_name(vm, other.class())))),
    }
    Ok(())
}

/// Prints `exc` and its traceback to sys.stderr, as the interpreter does.
#[cpython_api]
fn PyErr_DisplayException(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<()> {
    let exc = to_host(vm, exc)?;
    match exc.downcast::<PyBaseException>() {
        Ok(exc) => vm.print_exception(&exc),
        Err(other) => {
            let stderr = vm.sys_module.get_attr("stderr", vm)?;
            let text = format!("TypeError: print_exception(): Exception expected for value, {} found\n", crate::types::tp_name(vm, other.class()));
            vm.call_method(&stderr, "write", (text,))?;
        }
    }
    Ok(())
}

/// `exc.args`, a new reference.
#[cpython_api]
fn PyException_GetArgs(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    let args = to_host(vm, exc)?.get_attr("args", vm)?;
    Ok(into_ref(vm, args))
}

/// Sets `exc.args` to `args` (borrowed).
#[cpython_api]
fn PyException_SetArgs(vm: &VirtualMachine, exc: *mut PyObject, args: *mut PyObject) -> PyResult<()> {
    to_host(vm, exc)?.set_attr("args", to_host(vm, args)?, vm)
}

// --- the private names of cpython/pyerrors.h ----------------------------------------

/// Line `lineno` of the file as `PyErr_ProgramTextObject` reads it, decoded
/// with `encoding` (undecodable bytes replaced); with a NULL encoding,
/// strict UTF-8. NULL with no exception for a missing file or line, text
/// that does not decode, or an unknown encoding.
/// # Safety
/// `encoding` must be NULL or a NUL-terminated string.
#[cpython_api]
unsafe fn _PyErr_ProgramDecodedTextObject(vm: &VirtualMachine, filename: *mut PyObject, lineno: c_int, encoding: *const c_char) -> PyResult<*mut PyObject> {
    let Some(filename) = opt_to_host(vm, filename)? else { return Ok(std::ptr::null_mut()) };
    if encoding.is_null() {
        return Ok(program_text(vm, &filename, lineno).map_or(std::ptr::null_mut(), |t| into_ref(vm, t)));
    }
    let encoding = c_str_arg(vm, encoding)?;
    let Some(line) = program_line(vm, &filename, lineno) else { return Ok(std::ptr::null_mut()) };
    let bytes: PyObjectRef = vm.ctx.new_bytes(line).into();
    match vm.call_method(&bytes, "decode", (encoding, "replace")) {
        Ok(text) => Ok(into_ref(vm, text)),
        Err(_) => Ok(std::ptr::null_mut()),
    }
}

/// `UnicodeTranslateError(object, start, end, reason)`, a new reference.
/// # Safety
/// `reason` must be a NUL-terminated UTF-8 string.
#[cpython_api]
unsafe fn _PyUnicodeTranslateError_Create(vm: &VirtualMachine, object: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t, reason: *const c_char) -> PyResult<*mut PyObject> {
    let object = to_host(vm, object)?;
    if !object.fast_isinstance(vm.ctx.types.str_type) {
        return Err(vm.new_type_error(format!("argument 1 must be str, not {}", crate::types::tp_name(vm, object.class()))));
    }
    let reason = c_str_arg(vm, reason)?;
    let class = vm.ctx.exceptions.unicode_translate_error.as_object();
    Ok(into_ref(vm, class.call((object, start, end, reason), vm)?))
}

/// `PyErr_CheckSignals`, under its older name.
#[cpython_api]
fn _PyErr_CheckSignals(vm: &VirtualMachine) -> PyResult<c_int> {
    rustpython_vm::signal::check_signals(vm)?;
    Ok(0)
}

/// The exception a thread is handling: the calling thread's own, or
/// another's as `sys._current_exceptions()` sees it.
/// # Safety
/// `tstate` must be a live thread state.
unsafe fn handled_by(vm: &VirtualMachine, tstate: *mut crate::ffi::PyThreadState) -> PyResult<Option<rustpython_vm::builtins::PyBaseExceptionRef>> {
    if tstate.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    if tstate == super::pystate::existing_thread_state() {
        return Ok(vm.current_exception());
    }
    // SAFETY: the caller passes a live thread state.
    let ident = unsafe { (*tstate).thread_id };
    let all = vm.sys_module.get_attr("_current_exceptions", vm)?.call((), vm)?;
    let key: PyObjectRef = vm.ctx.new_int(ident).into();
    Ok(all.get_item(&*key, vm).ok().and_then(|e| e.downcast::<PyBaseException>().ok()))
}

/// New reference: the exception `tstate`'s thread is handling, or NULL
/// (no exception set) when none.
/// # Safety
/// `tstate` must be a live thread state.
#[cpython_api]
unsafe fn _PyErr_GetHandledException(vm: &VirtualMachine, tstate: *mut crate::ffi::PyThreadState) -> PyResult<*mut PyObject> {
    // SAFETY: the caller's contract.
    let handled = unsafe { handled_by(vm, tstate) }?;
    Ok(opt_new_ref(vm, handled.map(Into::into)))
}

/// Sets the exception the calling thread (whose state `tstate` must be) is
/// handling; NULL or None clears it.
#[cpython_api]
fn _PyErr_SetHandledException(vm: &VirtualMachine, tstate: *mut crate::ffi::PyThreadState, exc: *mut PyObject) -> PyResult<()> {
    if tstate != super::pystate::existing_thread_state() {
        return Err(vm.new_runtime_error("_PyErr_SetHandledException: only the calling thread's state can be changed".to_owned()));
    }
    set_handled(vm, exc)
}

/// New references to the type, value and traceback of the exception
/// `tstate`'s thread is handling; three NULLs when none.
/// # Safety
/// `tstate` must be a live thread state; the three pointers writable.
#[cpython_api]
unsafe fn _PyErr_GetExcInfo(vm: &VirtualMachine, tstate: *mut crate::ffi::PyThreadState, ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptraceback: *mut *mut PyObject) -> PyResult<()> {
    // SAFETY: the caller's contract.
    let handled = unsafe { handled_by(vm, tstate) }?;
    // SAFETY: the caller passes three writable pointers.
    unsafe { write_exc_info(vm, handled, ptype, pvalue, ptraceback) };
    Ok(())
}
