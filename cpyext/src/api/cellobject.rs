//! cellobject.h: cells, the variables closures share (`types.CellType`).
use crate::borrow::borrowed;
use crate::ffi::PyObject;
use crate::proxy::{self, into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::c_int;

fn cell(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<PyObjectRef> {
    let c = to_host(vm, op)?;
    if !c.class().is(vm.ctx.types.cell_type) {
        return Err(super::bad_internal_call(vm));
    }
    Ok(c)
}

/// The content, or None for an empty cell (no exception).
fn content(vm: &VirtualMachine, c: &PyObjectRef) -> Option<PyObjectRef> {
    c.get_attr("cell_contents", vm).ok()
}

/// A cell holding `obj` (empty for NULL).
#[cpython_api]
fn PyCell_New(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<*mut PyObject> {
    let cell_type = vm.ctx.types.cell_type.as_object();
    let c = match opt_to_host(vm, obj)? {
        Some(obj) => cell_type.call((obj,), vm)?,
        None => cell_type.call((), vm)?,
    };
    Ok(into_ref(vm, c))
}

/// A new reference to the content; NULL, with no exception, if empty.
#[cpython_api]
fn PyCell_Get(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let c = cell(vm, op)?;
    Ok(content(vm, &c).map_or(std::ptr::null_mut(), |v| into_ref(vm, v)))
}

/// Stores `value` (NULL empties the cell).
#[cpython_api]
fn PyCell_Set(vm: &VirtualMachine, op: *mut PyObject, value: *mut PyObject) -> PyResult<c_int> {
    let c = cell(vm, op)?;
    match opt_to_host(vm, value)? {
        Some(v) => c.set_attr("cell_contents", v, vm)?,
        None if content(vm, &c).is_some() => c.del_attr("cell_contents", vm)?,
        None => {}
    }
    Ok(0)
}

/// `PyCell_GET`: borrowed content, NULL if empty. No type check, as the
/// macro makes none.
#[cpython_api]
fn _PyCell_GetBorrowed(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let c = to_host(vm, op)?;
    Ok(content(vm, &c).map_or(std::ptr::null_mut(), |v| borrowed(vm, &v)))
}

/// `PyCell_SET`: stores `value`, taking over the caller's reference.
#[cpython_api]
fn _PyCell_SetStolen(vm: &VirtualMachine, op: *mut PyObject, value: *mut PyObject) -> PyResult<()> {
    let c = to_host(vm, op)?;
    match opt_to_host(vm, value)? {
        Some(v) => {
            c.set_attr("cell_contents", v, vm)?;
            proxy::decref(value);
        }
        None if content(vm, &c).is_some() => c.del_attr("cell_contents", vm)?,
        None => {}
    }
    Ok(())
}
