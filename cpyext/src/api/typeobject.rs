//! The type functions of object.h: readying C types, generic allocation.
use crate::ctype;
use crate::ffi::{PyObject, PyTypeObject, Py_ssize_t};
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::c_int;

#[cpython_api]
fn PyType_Ready(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<c_int> {
    ctype::ready(vm, tp)?;
    Ok(0)
}

#[cpython_api]
fn PyType_GenericAlloc(vm: &VirtualMachine, tp: *mut PyTypeObject, nitems: Py_ssize_t) -> PyResult<*mut PyObject> {
    ctype::alloc_instance(vm, tp, nitems)
}

#[cpython_api]
fn PyType_GenericNew(vm: &VirtualMachine, tp: *mut PyTypeObject, _args: *mut PyObject, _kwds: *mut PyObject) -> PyResult<*mut PyObject> {
    match (*tp).tp_alloc {
        Some(alloc) => Ok(alloc(tp, 0)),
        None => ctype::alloc_instance(vm, tp, 0),
    }
}

/// The layer reads type slots when it calls them, so there is no cache to
/// invalidate.
#[cpython_api]
fn PyType_Modified(_tp: *mut PyTypeObject) {}
