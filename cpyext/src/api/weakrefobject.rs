//! weakrefobject.h.
use crate::borrow::borrowed;
use crate::ffi::PyObject;
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyResult, VirtualMachine};

#[cpython_api]
fn PyWeakref_NewRef(vm: &VirtualMachine, ob: *mut PyObject, callback: *mut PyObject) -> PyResult<*mut PyObject> {
    let ob = to_host(vm, ob)?;
    let weakref_type = vm.ctx.types.weakref_type.as_object();
    let reference = match opt_to_host(vm, callback)? {
        Some(cb) if !vm.is_none(&cb) => weakref_type.call((ob, cb), vm)?,
        _ => weakref_type.call((ob,), vm)?,
    };
    Ok(into_ref(vm, reference))
}

#[cpython_api]
fn PyWeakref_GetObject(vm: &VirtualMachine, reference: *mut PyObject) -> PyResult<*mut PyObject> {
    let reference = to_host(vm, reference)?;
    let target = reference.call((), vm)?;
    Ok(borrowed(vm, &target))
}
