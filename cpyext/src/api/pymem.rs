//! pymem.h. All families use the C heap; a request for 0 bytes gets a
//! distinct non-NULL block, as in CPython.
use crate::ffi::Py_ssize_t;
use cpyext_macros::cpython_api;
use std::ffi::c_void;

const MAX_REQUEST: usize = Py_ssize_t::MAX as usize;

pub(crate) fn malloc(size: usize) -> *mut c_void {
    if size > MAX_REQUEST { std::ptr::null_mut() } else { unsafe { libc::malloc(size.max(1)) } }
}

pub(crate) fn calloc(nelem: usize, elsize: usize) -> *mut c_void {
    match nelem.checked_mul(elsize) {
        Some(total) if total <= MAX_REQUEST => unsafe { libc::calloc(nelem.max(1), elsize.max(1)) },
        _ => std::ptr::null_mut(),
    }
}

pub(crate) fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    if size > MAX_REQUEST { std::ptr::null_mut() } else { unsafe { libc::realloc(ptr, size.max(1)) } }
}

pub(crate) fn free(ptr: *mut c_void) {
    unsafe { libc::free(ptr) }
}

#[cpython_api]
fn PyMem_Malloc(size: usize) -> *mut c_void {
    malloc(size)
}

#[cpython_api]
fn PyMem_Calloc(nelem: usize, elsize: usize) -> *mut c_void {
    calloc(nelem, elsize)
}

#[cpython_api]
fn PyMem_Realloc(ptr: *mut c_void, new_size: usize) -> *mut c_void {
    realloc(ptr, new_size)
}

#[cpython_api]
fn PyMem_Free(ptr: *mut c_void) {
    free(ptr)
}

// The Raw family may be used without the GIL.
#[cpython_api(no_gil)]
fn PyMem_RawMalloc(size: usize) -> *mut c_void {
    malloc(size)
}

#[cpython_api(no_gil)]
fn PyMem_RawCalloc(nelem: usize, elsize: usize) -> *mut c_void {
    calloc(nelem, elsize)
}

#[cpython_api(no_gil)]
fn PyMem_RawRealloc(ptr: *mut c_void, new_size: usize) -> *mut c_void {
    realloc(ptr, new_size)
}

#[cpython_api(no_gil)]
fn PyMem_RawFree(ptr: *mut c_void) {
    free(ptr)
}
