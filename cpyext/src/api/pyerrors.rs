//! pyerrors.h: the error indicator and exception objects.
use super::c_str_arg;
use crate::borrow::borrowed;
use crate::error_indicator::{self, ErrorTriple};
use crate::ffi::PyObject;
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
    let ty = to_host(vm, ty)?;
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
    Err(vm.new_exception_empty(vm.ctx.exceptions.memory_error.to_owned()))
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
    vm.run_unraisable(exc, None, object);
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

fn set_from_errno(vm: &VirtualMachine, ty: *mut PyObject, filename: Option<PyObjectRef>) -> PyResult<*mut PyObject> {
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    let ty = to_host(vm, ty)?;
    let message = if errno == 0 {
        "Error".to_owned()
    } else {
        unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) }.to_string_lossy().into_owned()
    };
    let mut args: Vec<PyObjectRef> = vec![vm.ctx.new_int(errno).into(), vm.ctx.new_str(message).into()];
    if let Some(f) = filename {
        args.push(f);
    }
    let exc = ty.call(args, vm)?;
    let exc = exc
        .downcast::<PyBaseException>()
        .map_err(|_| vm.new_type_error("exceptions must derive from BaseException".to_owned()))?;
    Err(exc)
}

#[cpython_api]
fn PyErr_SetFromErrno(vm: &VirtualMachine, ty: *mut PyObject) -> PyResult<*mut PyObject> {
    set_from_errno(vm, ty, None)
}

#[cpython_api]
fn PyErr_SetFromErrnoWithFilenameObject(vm: &VirtualMachine, ty: *mut PyObject, filename: *mut PyObject) -> PyResult<*mut PyObject> {
    let filename = opt_to_host(vm, filename)?;
    set_from_errno(vm, ty, filename)
}

#[cpython_api]
unsafe fn PyErr_SetFromErrnoWithFilename(vm: &VirtualMachine, ty: *mut PyObject, filename: *const c_char) -> PyResult<*mut PyObject> {
    // Read errno before anything else can change it.
    let saved = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    let filename = if filename.is_null() {
        None
    } else {
        let raw = std::ffi::CStr::from_ptr(filename).to_bytes();
        let bytes: PyObjectRef = vm.ctx.new_bytes(raw.to_vec()).into();
        Some(vm.import("os", 0)?.get_attr("fsdecode", vm)?.call((bytes,), vm)?)
    };
    *libc::__errno_location() = saved;
    set_from_errno(vm, ty, filename)
}

#[cpython_api]
fn PyErr_GetHandledException(vm: &VirtualMachine) -> *mut PyObject {
    opt_new_ref(vm, vm.current_exception().map(Into::into))
}

#[cpython_api]
unsafe fn PyErr_GetExcInfo(vm: &VirtualMachine, ptype: *mut *mut PyObject, pvalue: *mut *mut PyObject, ptraceback: *mut *mut PyObject) {
    match vm.current_exception() {
        Some(exc) => {
            *ptype = into_ref(vm, exc.class().to_owned().into());
            *ptraceback = opt_new_ref(vm, exc.__traceback__().map(Into::into));
            *pvalue = into_ref(vm, exc.into());
        }
        None => {
            *ptype = std::ptr::null_mut();
            *pvalue = std::ptr::null_mut();
            *ptraceback = std::ptr::null_mut();
        }
    }
}
