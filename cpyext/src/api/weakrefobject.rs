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

/// The referent (borrowed), or None once it is gone, as CPython reads
/// `wr_object`: for a `weakref.ref` (or a subclass of it, whatever its
/// `__call__`) and for a proxy (`weakref.proxy`, `PyWeakref_NewProxy`),
/// whose host payload is the same `PyWeak`. Calling the object instead
/// would fail for a plain proxy, call the referent through a callable
/// proxy, and run a subclass's `__call__`. Anything else is
/// `PyErr_BadInternalCall`, as in CPython.
#[cpython_api]
fn PyWeakref_GetObject(vm: &VirtualMachine, reference: *mut PyObject) -> PyResult<*mut PyObject> {
    let reference = to_host(vm, reference)?;
    let Some(weak) = reference.downcast_ref::<rustpython_vm::builtins::PyWeak>() else {
        return Err(super::bad_internal_call(vm));
    };
    let target = vm.unwrap_or_none(weak.upgrade());
    Ok(borrowed(vm, &target))
}

/// When an instance's host object dies, the host clears its weak references
/// (and runs their callbacks) before tp_dealloc runs, so a tp_dealloc that
/// calls this finds nothing to do. Called on a living object, it clears them.
#[cpython_api]
fn PyObject_ClearWeakRefs(vm: &VirtualMachine, object: *mut PyObject) -> PyResult<()> {
    // SAFETY: C's object (I8 in proxy.rs), under the GIL; one field read.
    let Some(host) = unsafe { crate::proxy::header_mut(object) }.and_then(|h| h.host()) else { return Ok(()) };
    for (reference, callback) in host.gc_clear_weakrefs_collect_callbacks() {
        callback.call((reference,), vm)?;
    }
    Ok(())
}

/// `weakref.proxy(ob, callback)` (a callable proxy for a callable `ob`).
#[cpython_api]
fn PyWeakref_NewProxy(vm: &VirtualMachine, ob: *mut PyObject, callback: *mut PyObject) -> PyResult<*mut PyObject> {
    let ob = to_host(vm, ob)?;
    let make_proxy = crate::types::import_for_layer(vm, "_weakref")?.get_attr("proxy", vm)?;
    let proxy = match opt_to_host(vm, callback)? {
        Some(cb) if !vm.is_none(&cb) => make_proxy.call((ob, cb), vm)?,
        _ => make_proxy.call((ob,), vm)?,
    };
    Ok(into_ref(vm, proxy))
}

/// How many weak references there are from `head` to the end of its
/// referent's list (the host keeps CPython's order: the plain reference,
/// then the plain proxy, then the others, oldest first). With the first of
/// the list, as C finds it, that is all of them; 0 for NULL, 1 for a
/// reference whose referent is gone.
#[cpython_api]
fn _PyWeakref_GetWeakrefCount(vm: &VirtualMachine, head: *mut PyObject) -> PyResult<crate::ffi::Py_ssize_t> {
    let Some(head) = opt_to_host(vm, head)? else { return Ok(0) };
    let Some(weak) = head.downcast_ref::<rustpython_vm::builtins::PyWeak>() else {
        return Err(super::bad_internal_call(vm));
    };
    let Some(referent) = weak.upgrade() else { return Ok(1) };
    let all = referent.get_weak_references().unwrap_or_default();
    let position = all.iter().position(|r| r.as_object().is(&head)).unwrap_or(0);
    Ok((all.len() - position) as crate::ffi::Py_ssize_t)
}
