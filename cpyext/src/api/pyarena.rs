//! internal/pycore_pyarena.h: arenas, which own blocks of memory and
//! object references until they are freed all at once. Old copies of
//! CPython's parser (typed_ast) build their trees in them.
use crate::ffi::PyObject;
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{c_int, c_void};

/// What C sees as the opaque `PyArena`.
pub struct Arena {
    /// Blocks from `malloc`, freed with the arena.
    blocks: Vec<*mut c_void>,
    /// References the arena owns, released last given first.
    objects: Vec<*mut PyObject>,
}

#[cpython_api]
fn _PyArena_New(vm: &VirtualMachine) -> PyResult<*mut Arena> {
    let mut blocks = Vec::new();
    let mut objects = Vec::new();
    if blocks.try_reserve(16).is_err() || objects.try_reserve(16).is_err() {
        return Err(crate::error_indicator::no_memory(vm));
    }
    Ok(Box::into_raw(Box::new(Arena { blocks, objects })))
}

/// # Safety
/// `arena` comes from `_PyArena_New` and is not used afterwards.
#[cpython_api]
unsafe fn _PyArena_Free(vm: &VirtualMachine, arena: *mut Arena) {
    let _ = vm;
    if arena.is_null() {
        return;
    }
    // SAFETY: the caller hands back an arena `_PyArena_New` boxed.
    let arena = unsafe { Box::from_raw(arena) };
    for &o in arena.objects.iter().rev() {
        crate::proxy::decref(o);
    }
    for &block in &arena.blocks {
        // SAFETY: each block came from `malloc` and is freed once.
        unsafe { libc::free(block) };
    }
}

/// Memory for the arena's lifetime; `malloc`'s alignment suits any type.
/// # Safety
/// `arena` comes from `_PyArena_New` and is not freed.
#[cpython_api]
unsafe fn _PyArena_Malloc(vm: &VirtualMachine, arena: *mut Arena, size: usize) -> PyResult<*mut c_void> {
    // SAFETY: the caller passes a live arena.
    let arena = unsafe { &mut *arena };
    if arena.blocks.try_reserve(1).is_err() {
        return Err(crate::error_indicator::no_memory(vm));
    }
    // SAFETY: plain allocation; a zero size still gets a unique block.
    let block = unsafe { libc::malloc(size.max(1)) };
    if block.is_null() {
        return Err(crate::error_indicator::no_memory(vm));
    }
    arena.blocks.push(block);
    Ok(block)
}

/// Takes over the caller's reference to `obj`; on failure (-1) the caller
/// keeps it.
/// # Safety
/// `arena` comes from `_PyArena_New` and is not freed; `obj` is a live object.
#[cpython_api]
unsafe fn _PyArena_AddPyObject(vm: &VirtualMachine, arena: *mut Arena, obj: *mut PyObject) -> PyResult<c_int> {
    // SAFETY: the caller passes a live arena.
    let arena = unsafe { &mut *arena };
    if arena.objects.try_reserve(1).is_err() {
        return Err(crate::error_indicator::no_memory(vm));
    }
    arena.objects.push(obj);
    Ok(0)
}
