//! objimpl.h: the object allocator (the C heap, like the PyMem family).
use super::pymem;
use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use crate::{ctype, proxy};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyType;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::c_void;

#[cpython_api]
fn PyObject_Malloc(size: usize) -> *mut c_void {
    pymem::malloc(size)
}

#[cpython_api]
fn PyObject_Calloc(nelem: usize, elsize: usize) -> *mut c_void {
    pymem::calloc(nelem, elsize)
}

#[cpython_api]
fn PyObject_Realloc(ptr: *mut c_void, new_size: usize) -> *mut c_void {
    pymem::realloc(ptr, new_size)
}

/// Frees a block: an object's memory (the tp_free of most types) or a
/// plain allocation.
#[cpython_api]
fn PyObject_Free(ptr: *mut c_void) {
    free_object(ptr)
}

pub(crate) fn free_object(ptr: *mut c_void) {
    let object = ptr as *mut PyObject;
    if !ptr.is_null() && proxy::is_instance(object) {
        proxy::free_instance(object);
    } else {
        pymem::free(ptr)
    }
}

/// Makes C memory from PyObject_Malloc an object of `tp`.
#[cpython_api]
unsafe fn PyObject_Init(vm: &VirtualMachine, op: *mut PyObject, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    if op.is_null() {
        return Err(vm.new_memory_error(String::new()));
    }
    let cls = proxy::to_host(vm, tp as *mut PyObject)?
        .downcast::<PyType>()
        .map_err(|_| super::bad_internal_call(vm))?;
    (*op).ob_refcnt = 1;
    (*op).ob_type = tp;
    if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0 {
        proxy::incref(tp as *mut PyObject);
    }
    proxy::adopt_instance(op, (*tp).tp_basicsize as usize);
    ctype::attach(vm, op, cls)?;
    Ok(op)
}

#[cpython_api]
unsafe fn PyObject_InitVar(op: *mut ffi::PyVarObject, tp: *mut PyTypeObject, size: Py_ssize_t) -> *mut ffi::PyVarObject {
    if !op.is_null() {
        (*op).ob_size = size;
    }
    PyObject_Init(op as *mut PyObject, tp) as *mut ffi::PyVarObject
}

#[cpython_api]
fn _PyObject_New(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    ctype::alloc_instance(vm, tp, 0)
}

#[cpython_api]
fn _PyObject_NewVar(vm: &VirtualMachine, tp: *mut PyTypeObject, n: Py_ssize_t) -> PyResult<*mut ffi::PyVarObject> {
    Ok(ctype::alloc_instance(vm, tp, n)? as *mut ffi::PyVarObject)
}

fn set_tracked(object: *mut PyObject, tracked: bool) {
    // SAFETY: C's object (I8 in proxy.rs), under the GIL; one field written.
    if let Some(h) = unsafe { proxy::header_mut(object) } {
        h.gc_tracked = tracked;
    }
}

/// An untracked instance of a GC type; PyObject_GC_Track starts following it.
#[cpython_api]
fn _PyObject_GC_New(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let object = ctype::alloc_instance(vm, tp, 0)?;
    set_tracked(object, false);
    Ok(object)
}

#[cpython_api]
fn _PyObject_GC_NewVar(vm: &VirtualMachine, tp: *mut PyTypeObject, n: Py_ssize_t) -> PyResult<*mut ffi::PyVarObject> {
    let object = ctype::alloc_instance(vm, tp, n)?;
    set_tracked(object, false);
    Ok(object as *mut ffi::PyVarObject)
}

#[cpython_api]
fn PyObject_GC_Track(op: *mut c_void) {
    set_tracked(op as *mut PyObject, true)
}

#[cpython_api]
fn PyObject_GC_UnTrack(op: *mut c_void) {
    set_tracked(op as *mut PyObject, false)
}

#[cpython_api]
fn PyObject_GC_IsTracked(op: *mut PyObject) -> std::ffi::c_int {
    // SAFETY: C's object (I8 in proxy.rs), under the GIL; one field read.
    unsafe { proxy::header_mut(op) }.is_some_and(|h| h.gc_tracked) as std::ffi::c_int
}

#[cpython_api]
fn PyObject_GC_Del(op: *mut c_void) {
    free_object(op)
}

/// For a tp_dealloc: runs tp_finalize first; -1 if it resurrected the
/// object (the tp_dealloc must then return without freeing it).
#[cpython_api]
fn PyObject_CallFinalizerFromDealloc(vm: &VirtualMachine, op: *mut PyObject) -> std::ffi::c_int {
    if ctype::finalize_from_dealloc(vm, op) { -1 } else { 0 }
}
