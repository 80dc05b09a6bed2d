//! objimpl.h: the object allocator (the C heap, like the PyMem family).
use super::pymem;
use cpyext_macros::cpython_api;
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

#[cpython_api]
fn PyObject_Free(ptr: *mut c_void) {
    pymem::free(ptr)
}
