//! tracemalloc.h. The host has no tracemalloc (no `_tracemalloc` module),
//! so tracing is never on, and these report that as CPython does when it is
//! off.
use cpyext_macros::cpython_api;
use std::ffi::{c_int, c_uint};

/// -2: tracemalloc is not tracing.
#[cpython_api(no_gil)]
fn PyTraceMalloc_Track(_domain: c_uint, _ptr: usize, _size: usize) -> c_int {
    -2
}

/// -2: tracemalloc is not tracing.
#[cpython_api(no_gil)]
fn PyTraceMalloc_Untrack(_domain: c_uint, _ptr: usize) -> c_int {
    -2
}

/// New reference: None, as for a block tracemalloc does not track.
#[cpython_api]
fn _PyTraceMalloc_GetTraceback(vm: &rustpython_vm::VirtualMachine, _domain: c_uint, _ptr: usize) -> *mut crate::ffi::PyObject {
    crate::proxy::new_ref(vm, &vm.ctx.none())
}
