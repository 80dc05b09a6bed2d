//! classobject.h: bound methods (`types.MethodType`).
use crate::borrow::borrowed;
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

/// `types.MethodType(func, self)`; `self` may not be NULL.
#[cpython_api]
fn PyMethod_New(vm: &VirtualMachine, func: *mut PyObject, self_object: *mut PyObject) -> PyResult<*mut PyObject> {
    if self_object.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let func = to_host(vm, func)?;
    let self_object = to_host(vm, self_object)?;
    let method = vm.ctx.types.bound_method_type.as_object().call((func, self_object), vm)?;
    Ok(into_ref(vm, method))
}

fn method(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<PyObjectRef> {
    let m = to_host(vm, op)?;
    if !m.class().is(vm.ctx.types.bound_method_type) {
        return Err(super::bad_internal_call(vm));
    }
    Ok(m)
}

/// Borrowed: the method's function (valid while the method lives).
#[cpython_api]
fn PyMethod_Function(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let function = method(vm, op)?.get_attr("__func__", vm)?;
    Ok(borrowed(vm, &function))
}

/// Borrowed: the object the method is bound to.
#[cpython_api]
fn PyMethod_Self(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let bound = method(vm, op)?.get_attr("__self__", vm)?;
    Ok(borrowed(vm, &bound))
}
