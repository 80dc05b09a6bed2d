//! modsupport.h: creating modules and adding to them.
use super::c_str_arg;
use super::moduleobject;
use crate::ffi::{self, PyObject};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyModule;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_long};

#[cpython_api]
unsafe fn PyModule_Create2(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, _apiver: c_int) -> PyResult<*mut PyObject> {
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let module = moduleobject::create_from_def(vm, def)?;
    Ok(into_ref(vm, module))
}

#[cpython_api]
unsafe fn PyModule_AddFunctions(vm: &VirtualMachine, module: *mut PyObject, functions: *mut ffi::PyMethodDef) -> PyResult<c_int> {
    let m = to_host(vm, module)?;
    let name = m.get_attr("__name__", vm)?.str(vm)?.to_string();
    moduleobject::add_functions(vm, &m, functions, &name)?;
    super::methodobject::remember_added_table(&m, functions);
    Ok(0)
}

fn module_arg(vm: &VirtualMachine, module: *mut PyObject, caller: &str) -> PyResult<PyObjectRef> {
    let m = to_host(vm, module)?;
    if m.downcast_ref::<PyModule>().is_none() {
        return Err(vm.new_type_error(format!("{caller}() first argument must be a module")));
    }
    Ok(m)
}

#[cpython_api]
fn PyModule_AddObjectRef(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> PyResult<c_int> {
    let m = module_arg(vm, module, "PyModule_AddObjectRef")?;
    if value.is_null() {
        if !crate::error_indicator::occurred() {
            return Err(vm.new_system_error(
                "PyModule_AddObjectRef() must be called with an exception raised if value is NULL".to_owned(),
            ));
        }
        return Ok(-1);
    }
    let name = c_str_arg(vm, name)?;
    m.set_attr(name, to_host(vm, value)?, vm)?;
    proxy::pin_to_host(vm, value);
    Ok(0)
}

/// Steals `value` only when it succeeds.
#[cpython_api]
unsafe fn PyModule_AddObject(module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> c_int {
    let status = PyModule_AddObjectRef(module, name, value);
    if status == 0 {
        proxy::decref(value);
    }
    status
}

#[cpython_api]
unsafe fn PyModule_AddIntConstant(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: c_long) -> c_int {
    let v = into_ref(vm, vm.ctx.new_int(value).into());
    let status = PyModule_AddObjectRef(module, name, v);
    proxy::decref(v);
    status
}

#[cpython_api]
unsafe fn PyModule_AddStringConstant(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *const c_char) -> PyResult<c_int> {
    let v = into_ref(vm, vm.ctx.new_str(c_str_arg(vm, value)?).into());
    let status = PyModule_AddObjectRef(module, name, v);
    proxy::decref(v);
    Ok(status)
}

#[cpython_api]
fn PyModule_SetDocString(vm: &VirtualMachine, module: *mut PyObject, doc: *const c_char) -> PyResult<c_int> {
    let m = to_host(vm, module)?;
    m.set_attr("__doc__", vm.ctx.new_str(c_str_arg(vm, doc)?), vm)?;
    Ok(0)
}

/// Adds `type` under its name without the module part (readying it first).
///
/// # Safety
/// `tp` must point to a type object.
#[cpython_api]
unsafe fn PyModule_AddType(vm: &VirtualMachine, module: *mut PyObject, tp: *mut ffi::PyTypeObject) -> PyResult<c_int> {
    // SAFETY: the caller passes a type object.
    let ready = unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_READY as u64 != 0;
    if !ready {
        crate::ctype::ready(vm, tp)?;
    }
    let name = super::typeobject::short_name(tp);
    let name = std::ffi::CString::new(name).map_err(|_| vm.new_value_error("embedded null character".to_owned()))?;
    let status = PyModule_AddObjectRef(module, name.as_ptr(), tp as *mut PyObject);
    Ok(status)
}

/// Multi-phase init by hand: the module `def` describes, for `spec`,
/// before its exec slots run (`PyModule_ExecDef`).
///
/// # Safety
/// `def` must point to a valid module definition that outlives the module.
#[cpython_api]
unsafe fn PyModule_FromDefAndSpec2(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, spec: *mut PyObject, _module_api_version: c_int) -> PyResult<*mut PyObject> {
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    crate::api::moduleobject::PyModuleDef_Init(def);
    let spec = to_host(vm, spec)?;
    let module = moduleobject::module_from_def_and_spec(vm, def, &spec)?;
    Ok(into_ref(vm, module))
}

/// # Safety
/// `def` must point to a valid module definition.
#[cpython_api]
unsafe fn PyModule_ExecDef(vm: &VirtualMachine, module: *mut PyObject, def: *mut ffi::PyModuleDef) -> PyResult<c_int> {
    let module = to_host(vm, module)?;
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a valid definition.
    unsafe { moduleobject::exec_def(vm, &module, def)? };
    Ok(0)
}

// --- the argument checks of Argument Clinic's generated code -------------------
// Each returns 1 to accept, or sets TypeError and returns 0.

/// "N argument(s)", as the messages below count them.
fn count_of(n: ffi::Py_ssize_t, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// 1 for Ok; 0 with the exception set for Err.
fn accepted(check: PyResult<()>) -> c_int {
    match check {
        Ok(()) => 1,
        Err(e) => {
            crate::error_indicator::set_from_exception(e);
            0
        }
    }
}

/// The "f() takes no ..." TypeError.
/// # Safety
/// `funcname` must be NULL or a C string.
unsafe fn takes_no(vm: &VirtualMachine, funcname: *const c_char, what: &str) -> rustpython_vm::builtins::PyBaseExceptionRef {
    // SAFETY: the caller's contract.
    let name = unsafe { crate::methods::c_str(funcname) }.unwrap_or("?");
    vm.new_type_error(format!("{name}() takes no {what}"))
}

/// Accepts `nargs` positional arguments between `min` and `max`
/// (`PY_SSIZE_T_MAX` for no bound). A NULL name speaks of an unpacked tuple.
/// # Safety
/// `name` must be NULL or a C string.
#[cpython_api]
unsafe fn _PyArg_CheckPositional(vm: &VirtualMachine, name: *const c_char, nargs: ffi::Py_ssize_t, min: ffi::Py_ssize_t, max: ffi::Py_ssize_t) -> c_int {
    if min <= nargs && nargs <= max {
        return 1;
    }
    // SAFETY: the caller's contract.
    let name = unsafe { crate::methods::c_str(name) };
    let (bound, qualifier) = if nargs < min { (min, "at least ") } else { (max, "at most ") };
    let qualifier = if min == max { "" } else { qualifier };
    let message = match name {
        Some(name) => format!("{name} expected {qualifier}{}, got {nargs}", count_of(bound, "argument")),
        None => format!("unpacked tuple should have {qualifier}{}, but has {nargs}", count_of(bound, "element")),
    };
    accepted(Err(vm.new_type_error(message)))
}

/// # Safety
/// `funcname` must be a C string; `kwargs` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_NoKeywords(vm: &VirtualMachine, funcname: *const c_char, kwargs: *mut PyObject) -> c_int {
    accepted(proxy::opt_to_host(vm, kwargs).and_then(|kwargs| match kwargs {
        None => Ok(()),
        Some(kwargs) => match kwargs.downcast_ref::<rustpython_vm::builtins::PyDict>() {
            None => Err(super::bad_internal_call(vm)),
            Some(dict) if dict.is_empty() => Ok(()),
            // SAFETY: the caller's contract.
            Some(_) => Err(unsafe { takes_no(vm, funcname, "keyword arguments") }),
        },
    }))
}

/// # Safety
/// `funcname` must be a C string; `kwnames` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_NoKwnames(vm: &VirtualMachine, funcname: *const c_char, kwnames: *mut PyObject) -> c_int {
    accepted(proxy::opt_to_host(vm, kwnames).and_then(|kwnames| match kwnames {
        None => Ok(()),
        Some(kwnames) => match kwnames.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
            None => Err(super::bad_internal_call(vm)),
            Some(names) if names.is_empty() => Ok(()),
            // SAFETY: the caller's contract.
            Some(_) => Err(unsafe { takes_no(vm, funcname, "keyword arguments") }),
        },
    }))
}

/// # Safety
/// `funcname` must be a C string; `args` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_NoPositional(vm: &VirtualMachine, funcname: *const c_char, args: *mut PyObject) -> c_int {
    accepted(proxy::opt_to_host(vm, args).and_then(|args| match args {
        None => Ok(()),
        Some(args) => match args.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
            None => Err(super::bad_internal_call(vm)),
            Some(tuple) if tuple.is_empty() => Ok(()),
            // SAFETY: the caller's contract.
            Some(_) => Err(unsafe { takes_no(vm, funcname, "positional arguments") }),
        },
    }))
}

/// Raises the TypeError of an argument of the wrong type: "f() argument 1
/// must be str, not int". A NULL `arg` is "None"'s absence (CPython says
/// "NULL").
/// # Safety
/// The strings must be C strings (`fname` may be NULL); `arg` NULL or a live object.
#[cpython_api]
unsafe fn _PyArg_BadArgument(vm: &VirtualMachine, fname: *const c_char, displayname: *const c_char, expected: *const c_char, arg: *mut PyObject) -> PyResult<()> {
    // SAFETY: the caller's contract.
    let (fname, displayname, expected) = unsafe { (crate::methods::c_str(fname), crate::methods::c_str(displayname).unwrap_or("argument"), crate::methods::c_str(expected).unwrap_or("?")) };
    let got = match proxy::opt_to_host(vm, arg)? {
        None => "NULL".to_owned(),
        Some(arg) if vm.is_none(&arg) => "None".to_owned(),
        Some(arg) => arg.class().name().to_string(),
    };
    let prefix = fname.map(|f| format!("{f}() ")).unwrap_or_default();
    Err(vm.new_type_error(format!("{prefix}{displayname} must be {expected}, not {got}")))
}
