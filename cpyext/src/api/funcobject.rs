//! funcobject.h: Python functions seen from C, staticmethod and classmethod.
//!
//! Functions are host objects: the accessors read and write their dunder
//! attributes, and the getters return borrowed references (kept alive by
//! the current call frame; CPython's are kept by the function).
use crate::borrow::borrowed;
use crate::ffi::PyObject;
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyDict, PyFunction, PyTuple};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::c_int;

/// The host function behind `op`, or CPython's error for a non-function.
fn function(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<PyObjectRef> {
    let f = to_host(vm, op)?;
    if !f.class().is(vm.ctx.types.function_type) {
        return Err(super::bad_internal_call(vm));
    }
    Ok(f)
}

/// `types.FunctionType(code, globals)`: name, qualname and docstring from
/// the code object, `__module__` from `globals['__name__']`.
#[cpython_api]
fn PyFunction_New(vm: &VirtualMachine, code: *mut PyObject, globals: *mut PyObject) -> PyResult<*mut PyObject> {
    let code = to_host(vm, code)?;
    let globals = to_host(vm, globals)?;
    let f = vm.ctx.types.function_type.as_object().call((code, globals), vm)?;
    Ok(into_ref(vm, f))
}

/// As `PyFunction_New`, with `__qualname__` set (NULL: the code's).
#[cpython_api]
fn PyFunction_NewWithQualName(vm: &VirtualMachine, code: *mut PyObject, globals: *mut PyObject, qualname: *mut PyObject) -> PyResult<*mut PyObject> {
    let code = to_host(vm, code)?;
    let globals = to_host(vm, globals)?;
    let f = vm.ctx.types.function_type.as_object().call((code, globals), vm)?;
    if let Some(qualname) = opt_to_host(vm, qualname)? {
        f.set_attr("__qualname__", qualname, vm)?;
    }
    Ok(into_ref(vm, f))
}

/// Borrowed: attribute `name` of the function, NULL (no error) if None.
fn borrowed_attr(vm: &VirtualMachine, op: *mut PyObject, name: &'static str, none_is_null: bool) -> PyResult<*mut PyObject> {
    let value = function(vm, op)?.get_attr(name, vm)?;
    if none_is_null && vm.is_none(&value) {
        return Ok(std::ptr::null_mut());
    }
    Ok(borrowed(vm, &value))
}

#[cpython_api]
fn PyFunction_GetCode(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    borrowed_attr(vm, op, "__code__", false)
}

#[cpython_api]
fn PyFunction_GetGlobals(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    borrowed_attr(vm, op, "__globals__", false)
}

#[cpython_api]
fn PyFunction_GetModule(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    borrowed_attr(vm, op, "__module__", false)
}

#[cpython_api]
fn PyFunction_GetDefaults(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    borrowed_attr(vm, op, "__defaults__", true)
}

#[cpython_api]
fn PyFunction_GetKwDefaults(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    borrowed_attr(vm, op, "__kwdefaults__", true)
}

#[cpython_api]
fn PyFunction_GetClosure(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    borrowed_attr(vm, op, "__closure__", true)
}

/// Borrowed: the annotations dict, NULL (no error) for a function that has
/// none (the host makes an empty dict on demand where CPython keeps NULL).
#[cpython_api]
fn PyFunction_GetAnnotations(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let value = function(vm, op)?.get_attr("__annotations__", vm)?;
    if vm.is_none(&value) || value.downcast_ref::<PyDict>().is_some_and(|d| d.__len__() == 0) {
        return Ok(std::ptr::null_mut());
    }
    Ok(borrowed(vm, &value))
}

/// Sets attribute `name` to `value` after checking that it is None or
/// passes `valid`; otherwise SystemError `message`.
fn set_attr_checked(vm: &VirtualMachine, op: *mut PyObject, name: &'static str, value: *mut PyObject, valid: fn(&PyObjectRef) -> bool, message: &str) -> PyResult<c_int> {
    let f = function(vm, op)?;
    // NULL is refused like any other value of the wrong type, as in CPython.
    let value = opt_to_host(vm, value)?;
    let value = match value {
        Some(v) if vm.is_none(&v) || valid(&v) => v,
        _ => return Err(vm.new_system_error(message.to_owned())),
    };
    f.set_attr(name, value, vm)?;
    Ok(0)
}

fn is_tuple(v: &PyObjectRef) -> bool {
    v.downcast_ref::<PyTuple>().is_some()
}

fn is_dict(v: &PyObjectRef) -> bool {
    v.downcast_ref::<PyDict>().is_some()
}

#[cpython_api]
fn PyFunction_SetDefaults(vm: &VirtualMachine, op: *mut PyObject, defaults: *mut PyObject) -> PyResult<c_int> {
    set_attr_checked(vm, op, "__defaults__", defaults, is_tuple, "non-tuple default args")
}

#[cpython_api]
fn PyFunction_SetKwDefaults(vm: &VirtualMachine, op: *mut PyObject, defaults: *mut PyObject) -> PyResult<c_int> {
    set_attr_checked(vm, op, "__kwdefaults__", defaults, is_dict, "non-dict keyword only default args")
}

#[cpython_api]
fn PyFunction_SetAnnotations(vm: &VirtualMachine, op: *mut PyObject, annotations: *mut PyObject) -> PyResult<c_int> {
    set_attr_checked(vm, op, "__annotations__", annotations, is_dict, "non-dict annotations")
}

/// Replaces the function's closure with a tuple of cells, or with none
/// (None). Another object is a SystemError, as in CPython. CPython takes
/// any tuple and lets a call read past it or use a non-cell as a cell; here
/// a tuple that does not hold exactly one cell per free variable of the
/// code is refused (ValueError, TypeError).
#[cpython_api]
fn PyFunction_SetClosure(vm: &VirtualMachine, op: *mut PyObject, closure: *mut PyObject) -> PyResult<c_int> {
    let f = function(vm, op)?;
    let closure = match opt_to_host(vm, closure)? {
        Some(c) if vm.is_none(&c) => None,
        Some(c) => match c.downcast::<PyTuple>() {
            Ok(t) => Some(t),
            Err(c) => return Err(vm.new_system_error(format!("expected tuple for closure, got '{}'", crate::types::tp_name(vm, c.class())))),
        },
        None => return Err(super::bad_internal_call(vm)),
    };
    let f = f.downcast_ref::<PyFunction>().expect("checked by function()");
    f.set_closure(closure, vm)?;
    Ok(0)
}

#[cpython_api]
fn PyStaticMethod_New(vm: &VirtualMachine, callable: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    let method = vm.ctx.types.staticmethod_type.as_object().call((callable,), vm)?;
    Ok(into_ref(vm, method))
}

#[cpython_api]
fn PyClassMethod_New(vm: &VirtualMachine, callable: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = to_host(vm, callable)?;
    let method = vm.ctx.types.classmethod_type.as_object().call((callable,), vm)?;
    Ok(into_ref(vm, method))
}

/// Calls a function the vectorcall way (what CPython's functions' own
/// vectorcall slot is).
///
/// # Safety
/// `stack` must hold the positional arguments, then one value per name in
/// `kwnames`.
#[cpython_api]
unsafe fn _PyFunction_Vectorcall(func: *mut PyObject, stack: *const *mut PyObject, nargsf: usize, kwnames: *mut PyObject) -> *mut PyObject {
    // SAFETY: the caller's arguments are passed on unchanged.
    unsafe { super::r#abstract::PyObject_Vectorcall(func, stack, nargsf, kwnames) }
}

/// The host's `function` tp_new, as found before `install_function_new`
/// replaced it.
static HOST_FUNCTION_NEW: std::sync::OnceLock<fn(rustpython_vm::builtins::PyTypeRef, rustpython_vm::function::FuncArgs, &VirtualMachine) -> PyResult> =
    std::sync::OnceLock::new();

/// `types.FunctionType(code, globals, name=None, argdefs=None, closure=None)`
/// as in CPython 3.11's `func_new`: a name of None means the code's name
/// (the host refused it: "arg 3 (name) must be None or string", which broke
/// every cloudpickle that passes the five arguments, srsly's among them),
/// and a name given renames the function only: its `__qualname__` stays the
/// code's `co_qualname` (the host set it to the name). For every program,
/// C or not.
pub(crate) fn install_function_new(vm: &VirtualMachine) {
    let slots = &vm.ctx.types.function_type.slots;
    let Some(host_new) = slots.new.load() else { return };
    if HOST_FUNCTION_NEW.set(host_new).is_err() {
        return;
    }
    fn function_new(cls: rustpython_vm::builtins::PyTypeRef, mut args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult {
        let code = args.args.first().cloned();
        match args.args.get(2).map(|name| vm.is_none(name)) {
            // Later positional arguments keep their places: the code's own
            // name stands in for None.
            Some(true) => {
                if let Some(name) = code.as_ref().and_then(|c| c.get_attr("co_name", vm).ok()) {
                    args.args[2] = name;
                }
            }
            Some(false) => {}
            None => {
                if args.kwargs.get("name").is_some_and(|name| vm.is_none(name)) {
                    args.kwargs.shift_remove("name");
                }
            }
        }
        let host_new = HOST_FUNCTION_NEW.get().expect("installed before use");
        let function = host_new(cls, args, vm)?;
        if let Some(qualname) = code.and_then(|c| c.get_attr("co_qualname", vm).ok()) {
            function.set_attr("__qualname__", qualname, vm)?;
        }
        Ok(function)
    }
    slots.new.store(Some(function_new));
}
