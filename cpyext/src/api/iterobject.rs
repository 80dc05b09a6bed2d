//! iterobject.h: the iterator over anything with `__getitem__`, and the
//! iterator that calls a function until it returns a sentinel.
use super::bad_internal_call;
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyCallableIterator, PySequenceIterator};
use rustpython_vm::function::ArgCallable;
use rustpython_vm::{PyPayload, PyResult, TryFromObject, VirtualMachine};

/// `iter(seq)` for a sequence, without asking `__iter__`.
#[cpython_api]
fn PySeqIter_New(vm: &VirtualMachine, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    if seq.is_null() {
        return Err(bad_internal_call(vm));
    }
    let seq = to_host(vm, seq)?;
    if !seq.sequence_unchecked().check() {
        return Err(bad_internal_call(vm));
    }
    let iterator = PySequenceIterator::new(seq, vm)?;
    Ok(into_ref(vm, iterator.into_ref(&vm.ctx).into()))
}

/// `iter(callable, sentinel)`.
#[cpython_api]
fn PyCallIter_New(vm: &VirtualMachine, callable: *mut PyObject, sentinel: *mut PyObject) -> PyResult<*mut PyObject> {
    let callable = ArgCallable::try_from_object(vm, to_host(vm, callable)?)?;
    let sentinel = to_host(vm, sentinel)?;
    Ok(into_ref(vm, PyCallableIterator::new(callable, sentinel).into_ref(&vm.ctx).into()))
}
