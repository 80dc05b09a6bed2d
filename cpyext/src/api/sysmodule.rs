//! sysmodule.h: the sys module from C. The varargs writers and
//! `PySys_Audit` are C (`c_shims/sysmodule.c`).
use super::c_str_arg;
use crate::borrow::borrowed;
use crate::ffi::PyObject;
use crate::proxy::{self, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyDict, PyList, PyStr};
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_void};

/// A NUL-terminated wide string as a Rust string; lone surrogates (from
/// surrogateescape) are kept as WTF-8.
/// # Safety
/// `text` must be NULL or a NUL-terminated wchar_t string.
pub(crate) unsafe fn wide_to_host(vm: &VirtualMachine, text: *const libc::wchar_t) -> PyResult<PyObjectRef> {
    if text.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let mut units = Vec::new();
    let mut i = 0;
    // SAFETY: the caller guarantees a NUL-terminated string.
    while unsafe { *text.add(i) } != 0 {
        units.push(unsafe { *text.add(i) } as u32);
        i += 1;
    }
    wide_units_to_host(vm, &units)
}

pub(crate) fn wide_units_to_host(vm: &VirtualMachine, units: &[u32]) -> PyResult<PyObjectRef> {
    let mut text = rustpython_vm::common::wtf8::Wtf8Buf::new();
    for &unit in units {
        let code_point = rustpython_vm::common::wtf8::CodePoint::from_u32(unit)
            .ok_or_else(|| vm.new_value_error(format!("character U+{unit:x} is not in range [U+0000; U+10ffff]")))?;
        text.push(code_point);
    }
    Ok(vm.ctx.new_str(text).into())
}

/// Borrowed: sys.<name>, or NULL without an error when it is missing.
#[cpython_api]
fn PySys_GetObject(vm: &VirtualMachine, name: *const c_char) -> *mut PyObject {
    let lookup = || -> PyResult<Option<PyObjectRef>> {
        let name = c_str_arg(vm, name)?;
        vm.sys_module.dict().get_item_opt(name, vm)
    };
    match lookup() {
        Ok(Some(value)) => borrowed(vm, &value),
        _ => std::ptr::null_mut(),
    }
}

/// Sets sys.<name>; NULL deletes it (no error if it was missing).
#[cpython_api]
fn PySys_SetObject(vm: &VirtualMachine, name: *const c_char, value: *mut PyObject) -> PyResult<c_int> {
    let name = c_str_arg(vm, name)?;
    let dict = vm.sys_module.dict();
    match proxy::opt_to_host(vm, value)? {
        Some(host) => {
            dict.set_item(name, host, vm)?;
            proxy::pin_to_host(vm, value);
        }
        None => {
            if dict.get_item_opt(name, vm)?.is_some() {
                dict.del_item(name, vm)?;
            }
        }
    }
    Ok(0)
}

/// sys.<name> if it is a list; else a new empty list put there, as CPython
/// does for sys.warnoptions.
fn sys_list(vm: &VirtualMachine, name: &str) -> PyResult<PyObjectRef> {
    let dict = vm.sys_module.dict();
    if let Some(existing) = dict.get_item_opt(name, vm)? {
        if existing.downcast_ref::<PyList>().is_some() {
            return Ok(existing);
        }
    }
    let list: PyObjectRef = vm.ctx.new_list(Vec::new()).into();
    dict.set_item(name, list.clone(), vm)?;
    Ok(list)
}

/// sys._xoptions, made if it is missing or not a dict.
fn xoptions(vm: &VirtualMachine) -> PyResult<PyObjectRef> {
    let dict = vm.sys_module.dict();
    if let Some(existing) = dict.get_item_opt("_xoptions", vm)? {
        if existing.downcast_ref::<PyDict>().is_some() {
            return Ok(existing);
        }
    }
    let options: PyObjectRef = vm.ctx.new_dict().into();
    dict.set_item("_xoptions", options.clone(), vm)?;
    Ok(options)
}

/// The error of a void API function stays pending, as in CPython.
fn keep_error(result: PyResult<()>) {
    if let Err(e) = result {
        crate::error_indicator::set_from_exception(e);
    }
}

/// Empties sys.warnoptions (if it is a list).
#[cpython_api]
fn PySys_ResetWarnOptions(vm: &VirtualMachine) {
    keep_error((|| {
        if let Some(list) = vm.sys_module.dict().get_item_opt("warnoptions", vm)? {
            if let Some(list) = list.downcast_ref::<PyList>() {
                list.borrow_vec_mut().clear();
            }
        }
        Ok(())
    })())
}

/// Appends to sys.warnoptions.
/// # Safety
/// `option` must be a NUL-terminated wide string.
#[cpython_api]
unsafe fn PySys_AddWarnOption(vm: &VirtualMachine, option: *const libc::wchar_t) {
    keep_error((|| {
        // SAFETY: the caller passes a NUL-terminated wide string.
        let option = unsafe { wide_to_host(vm, option)? };
        let list = sys_list(vm, "warnoptions")?;
        vm.call_method(&list, "append", (option,))?;
        Ok(())
    })())
}

#[cpython_api]
fn PySys_AddWarnOptionUnicode(vm: &VirtualMachine, option: *mut PyObject) {
    keep_error((|| {
        let option = to_host(vm, option)?;
        let list = sys_list(vm, "warnoptions")?;
        vm.call_method(&list, "append", (option,))?;
        Ok(())
    })())
}

/// Whether sys.warnoptions is a non-empty list.
#[cpython_api]
fn PySys_HasWarnOptions(vm: &VirtualMachine) -> c_int {
    match vm.sys_module.dict().get_item_opt("warnoptions", vm) {
        Ok(Some(list)) => list.downcast_ref::<PyList>().is_some_and(|l| !l.borrow_vec().is_empty()) as c_int,
        _ => 0,
    }
}

/// "-X name=value" into sys._xoptions ("name" alone gives True).
/// # Safety
/// `option` must be a NUL-terminated wide string.
#[cpython_api]
unsafe fn PySys_AddXOption(vm: &VirtualMachine, option: *const libc::wchar_t) {
    keep_error((|| {
        // SAFETY: the caller passes a NUL-terminated wide string.
        let option = unsafe { wide_to_host(vm, option)? };
        let text = option.downcast_ref::<PyStr>().map(|s| s.as_wtf8().to_owned()).unwrap_or_default();
        let text = text.to_string_lossy().into_owned();
        let (name, value): (PyObjectRef, PyObjectRef) = match text.split_once('=') {
            Some((name, value)) => (vm.ctx.new_str(name).into(), vm.ctx.new_str(value).into()),
            None => (option.clone(), vm.ctx.new_bool(true).into()),
        };
        xoptions(vm)?.set_item(&*name, value, vm)?;
        Ok(())
    })())
}

/// Borrowed: sys._xoptions.
#[cpython_api]
fn PySys_GetXOptions(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    Ok(borrowed(vm, &xoptions(vm)?))
}

/// Sets sys.path from a ':'-separated list.
/// # Safety
/// `path` must be a NUL-terminated wide string.
#[cpython_api]
unsafe fn PySys_SetPath(vm: &VirtualMachine, path: *const libc::wchar_t) {
    keep_error((|| {
        // SAFETY: the caller passes a NUL-terminated wide string.
        let path = unsafe { wide_to_host(vm, path)? };
        let entries = vm.call_method(&path, "split", (":",))?;
        let list = vm.ctx.new_list(entries.try_to_value::<Vec<PyObjectRef>>(vm)?);
        vm.sys_module.dict().set_item("path", list.into(), vm)?;
        Ok(())
    })())
}

/// sys.argv from C strings ([''] when there are none). With `updatepath`,
/// sys.path gets the script's directory in front, as CPython computes it.
/// # Safety
/// `argv` must hold `argc` NUL-terminated wide strings.
#[cpython_api]
unsafe fn PySys_SetArgvEx(vm: &VirtualMachine, argc: c_int, argv: *mut *mut libc::wchar_t, updatepath: c_int) {
    keep_error((|| {
        let mut args = Vec::new();
        for i in 0..argc.max(0) as usize {
            // SAFETY: the caller passes argc valid strings.
            args.push(unsafe { wide_to_host(vm, *argv.add(i))? });
        }
        if args.is_empty() {
            args.push(vm.ctx.new_str("").into());
        }
        let first = args[0].str(vm)?.to_string();
        vm.sys_module.dict().set_item("argv", vm.ctx.new_list(args).into(), vm)?;
        if updatepath != 0 {
            let entry = script_directory(&first);
            let path = sys_list(vm, "path")?;
            vm.call_method(&path, "insert", (0, entry))?;
        }
        Ok(())
    })())
}

/// sys.path[0] for a command line whose argv[0] is `script`: "" for none,
/// "-c" or an interactive session; the current directory for "-m"; else the
/// directory of the script with symbolic links resolved.
fn script_directory(script: &str) -> String {
    match script {
        "" | "-c" => String::new(),
        "-m" => std::env::current_dir().map(|d| d.to_string_lossy().into_owned()).unwrap_or_default(),
        _ => {
            let resolved = std::fs::canonicalize(script).map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|_| script.to_owned());
            match resolved.rfind('/') {
                Some(0) => "/".to_owned(),
                Some(i) => resolved[..i].to_owned(),
                None => String::new(),
            }
        }
    }
}

/// # Safety
/// As for `PySys_SetArgvEx`.
#[cpython_api]
unsafe fn PySys_SetArgv(argc: c_int, argv: *mut *mut libc::wchar_t) {
    // SAFETY: forwarded under the same contract.
    unsafe { PySys_SetArgvEx(argc, argv, 0) }
}

// --- audit hooks -----------------------------------------------------------

type AuditHook = unsafe extern "C" fn(*const c_char, *mut PyObject, *mut c_void) -> c_int;

/// Runs the audit hooks (`sys.audit`) for `event` with `args`.
pub(crate) fn audit(vm: &VirtualMachine, event: &str, args: Vec<PyObjectRef>) -> PyResult<()> {
    let audit = vm.sys_module.get_attr("audit", vm)?;
    let mut call_args = vec![vm.ctx.new_str(event).into()];
    call_args.extend(args);
    crate::gil::without_gil(vm, || audit.call(call_args, vm))?;
    Ok(())
}

/// Runs the audit hooks for `event` with the tuple `args` (PySys_Audit).
/// # Safety
/// `event` must be a NUL-terminated string and `args` a tuple.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cpyext_sys_audit(event: *const c_char, args: *mut PyObject) -> c_int {
    rustpython_vm::vm::thread::with_current_vm(|vm| {
        let run = || -> PyResult<()> {
            let event = c_str_arg(vm, event)?;
            let args = to_host(vm, args)?;
            audit(vm, event, args.try_to_value::<Vec<PyObjectRef>>(vm)?)
        };
        match run() {
            Ok(()) => 0,
            Err(e) => {
                crate::error_indicator::set_from_exception(e);
                -1
            }
        }
    })
}

/// Adds a C hook that sees every audit event, as a host function in the
/// interpreter's hook list. As in CPython, the event "sys.addaudithook" is
/// raised first, and a hook that refuses it with an Exception makes this
/// return 0 without adding the new hook.
#[cpython_api]
fn PySys_AddAuditHook(vm: &VirtualMachine, hook: Option<AuditHook>, user_data: *mut c_void) -> PyResult<c_int> {
    let Some(hook) = hook else { return Err(super::bad_internal_call(vm)) };
    let user_data = user_data as usize;
    let wrapper = vm.new_function("audit_hook", move |event: PyObjectRef, args: PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
        let _gil = crate::gil::GilGuard::acquire(vm);
        let _frame = crate::borrow::CallFrame::enter();
        let event = std::ffi::CString::new(event.str(vm)?.to_string()).unwrap_or_default();
        let args_proxy = proxy::into_ref(vm, args);
        // SAFETY: the hook was given to PySys_AddAuditHook to be called this way.
        let status = unsafe { hook(event.as_ptr(), args_proxy, user_data as *mut c_void) };
        proxy::decref(args_proxy);
        if status < 0 {
            return Err(crate::error_indicator::take_exception(vm)
                .unwrap_or_else(|| vm.new_system_error("audit hook failed without setting an exception".to_owned())));
        }
        Ok(())
    });
    let add = vm.sys_module.get_attr("addaudithook", vm)?;
    crate::gil::without_gil(vm, || add.call((wrapper,), vm))?;
    Ok(0)
}

/// Borrowed: `sys.__dict__[name]`, or NULL when it is missing (or the
/// lookup fails); never raises, and a pending exception stays.
#[cpython_api]
fn _PySys_GetAttr(vm: &VirtualMachine, _tstate: *mut crate::ffi::PyThreadState, name: *mut PyObject) -> *mut PyObject {
    let Ok(name) = to_host(vm, name) else { return std::ptr::null_mut() };
    match vm.sys_module.dict().get_item_opt(&*name, vm) {
        Ok(Some(value)) => borrowed(vm, &value),
        _ => std::ptr::null_mut(),
    }
}

/// sys.getsizeof without a default: `o.__sizeof__()` (looked up on the
/// type) plus what CPython stores before the object (the garbage
/// collector's header, the managed dict's pointers), as the object's type
/// flags say. (size_t)-1 with an exception.
/// # Safety
/// `o` must be a live object.
#[cpython_api]
unsafe fn _PySys_GetSizeOf(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<usize> {
    let object = to_host(vm, o)?;
    let name = vm.ctx.intern_str("__sizeof__");
    let Some(method) = object.lookup_special(name, vm)? else {
        return Err(vm.new_type_error(format!("Type {:.100} doesn't define __sizeof__", crate::types::tp_name(vm, object.class()))));
    };
    let result = method.call((), vm)?;
    let result = proxy::into_ref(vm, result);
    // SAFETY: an API function on the new reference, released right after.
    let size = unsafe { super::longobject::PyLong_AsSsize_t(result) };
    proxy::decref(result);
    if size == -1 {
        if let Some(error) = crate::error_indicator::take_exception(vm) {
            return Err(error);
        }
    }
    if size < 0 {
        return Err(vm.new_value_error("__sizeof__() should return >= 0".to_owned()));
    }
    // SAFETY: `o` is live (the caller's contract), so is its type object.
    let flags = unsafe { (*(*o).ob_type).tp_flags };
    let gc_header = if flags & crate::ffi::Py_TPFLAGS_HAVE_GC as u64 != 0 { 2 * std::mem::size_of::<usize>() } else { 0 };
    let dict_pointers = if flags & crate::ffi::Py_TPFLAGS_MANAGED_DICT as u64 != 0 { 2 * std::mem::size_of::<usize>() } else { 0 };
    Ok(size as usize + gc_header + dict_pointers)
}
