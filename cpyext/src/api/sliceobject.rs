//! sliceobject.h: slices and the index arithmetic C sequence types do.
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use malachite_bigint::BigInt;
use num_traits::ToPrimitive;
use rustpython_vm::builtins::PySlice;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::c_int;

/// A slice index as a Py_ssize_t, clamped to its range (None gives None).
fn slice_index(vm: &VirtualMachine, v: &PyObjectRef) -> PyResult<Option<Py_ssize_t>> {
    if vm.is_none(v) {
        return Ok(None);
    }
    clamped_index(vm, v, "slice indices must be integers or None or have an __index__ method").map(Some)
}

/// `v.__index__()` clamped to Py_ssize_t's range; TypeError `message` for
/// an object without `__index__`.
pub(crate) fn clamped_index(vm: &VirtualMachine, v: &PyObjectRef, message: &str) -> PyResult<Py_ssize_t> {
    let index = v.try_index_opt(vm).ok_or_else(|| vm.new_type_error(message.to_owned()))??;
    let value: &BigInt = index.as_bigint();
    Ok(value.to_isize().unwrap_or(if value.sign() == malachite_bigint::Sign::Minus { isize::MIN } else { isize::MAX }))
}

#[cpython_api]
fn PySlice_New(vm: &VirtualMachine, start: *mut PyObject, stop: *mut PyObject, step: *mut PyObject) -> PyResult<*mut PyObject> {
    let part = |p: *mut PyObject| -> PyResult<PyObjectRef> {
        Ok(crate::proxy::opt_to_host(vm, p)?.unwrap_or_else(|| vm.ctx.none()))
    };
    let slice_type = rustpython_vm::AsObject::as_object(vm.ctx.types.slice_type);
    let slice = slice_type.call((part(start)?, part(stop)?, part(step)?), vm)?;
    Ok(into_ref(vm, slice))
}

/// Extracts start, stop and step with CPython's defaults and clamping.
#[cpython_api]
unsafe fn PySlice_Unpack(vm: &VirtualMachine, slice: *mut PyObject, start: *mut Py_ssize_t, stop: *mut Py_ssize_t, step: *mut Py_ssize_t) -> PyResult<c_int> {
    let slice = to_host(vm, slice)?;
    let slice = slice.downcast_ref::<PySlice>().ok_or_else(|| super::bad_internal_call(vm))?;
    let step_value = match slice.step.as_ref().map(|s| slice_index(vm, s)).transpose()?.flatten() {
        None => 1,
        Some(0) => return Err(vm.new_value_error("slice step cannot be zero".to_owned())),
        Some(s) => s.max(-Py_ssize_t::MAX),
    };
    *step = step_value;
    let start_value = slice.start.clone().unwrap_or_else(|| vm.ctx.none());
    *start = slice_index(vm, &start_value)?.unwrap_or(if step_value < 0 { Py_ssize_t::MAX } else { 0 });
    *stop = slice_index(vm, &slice.stop)?.unwrap_or(if step_value < 0 { Py_ssize_t::MIN } else { Py_ssize_t::MAX });
    Ok(0)
}

/// Clips start and stop to a sequence of `length`; returns the slice length.
#[cpython_api]
unsafe fn PySlice_AdjustIndices(length: Py_ssize_t, start: *mut Py_ssize_t, stop: *mut Py_ssize_t, step: Py_ssize_t) -> Py_ssize_t {
    let clip = |v: &mut Py_ssize_t| {
        if *v < 0 {
            *v += length;
            if *v < 0 {
                *v = if step < 0 { -1 } else { 0 };
            }
        } else if *v >= length {
            *v = if step < 0 { length - 1 } else { length };
        }
    };
    clip(&mut *start);
    clip(&mut *stop);
    if step < 0 {
        if *stop < *start { (*start - *stop - 1) / (-step) + 1 } else { 0 }
    } else if *start < *stop {
        (*stop - *start - 1) / step + 1
    } else {
        0
    }
}

/// One slice index: 1, or 0 (not -1) with TypeError; None leaves `*pi` alone.
#[cpython_api]
unsafe fn _PyEval_SliceIndex(vm: &VirtualMachine, v: *mut PyObject, pi: *mut Py_ssize_t) -> c_int {
    if v.is_null() {
        return 1;
    }
    match to_host(vm, v).and_then(|v| slice_index(vm, &v)) {
        Ok(Some(i)) => {
            *pi = i;
            1
        }
        Ok(None) => 1,
        Err(e) => {
            crate::error_indicator::set_from_exception(e);
            0
        }
    }
}

/// The old form of PySlice_GetIndicesEx, with CPython's quirks: only int
/// (or None) parts, each written as it is read (step, start, stop),
/// negatives adjusted once and never clipped; -1 (usually with no exception
/// set) when a part is not an int or the result is out of range.
///
/// # Safety
/// `start`, `stop` and `step` must point to writable storage.
#[cpython_api]
unsafe fn PySlice_GetIndices(vm: &VirtualMachine, slice: *mut PyObject, length: Py_ssize_t, start: *mut Py_ssize_t, stop: *mut Py_ssize_t, step: *mut Py_ssize_t) -> c_int {
    let Ok(host) = to_host(vm, slice) else { return -1 };
    let Some(slice) = host.downcast_ref::<PySlice>() else { return -1 };
    // None -> None; an int -> its value (-1 with OverflowError set when it
    // does not fit, as PyLong_AsSsize_t); anything else -> Err.
    let part = |v: Option<&PyObjectRef>| -> Result<Option<Py_ssize_t>, ()> {
        let Some(v) = v.filter(|v| !vm.is_none(v)) else { return Ok(None) };
        let int = v.downcast_ref::<rustpython_vm::builtins::PyInt>().ok_or(())?;
        Ok(Some(int.as_bigint().to_isize().unwrap_or_else(|| {
            crate::error_indicator::set_from_exception(vm.new_overflow_error("Python int too large to convert to C ssize_t".to_owned()));
            -1
        })))
    };
    // SAFETY (each write below): the caller passes writable outputs.
    let step_value = match part(slice.step.as_ref()) {
        Ok(v) => v.unwrap_or(1),
        Err(()) => return -1,
    };
    unsafe { *step = step_value };
    let start_value = match part(slice.start.as_ref()) {
        Ok(None) => if step_value < 0 { length - 1 } else { 0 },
        Ok(Some(s)) if s < 0 => s + length,
        Ok(Some(s)) => s,
        Err(()) => return -1,
    };
    unsafe { *start = start_value };
    let stop_value = match part(Some(&slice.stop)) {
        Ok(None) => if step_value < 0 { -1 } else { length },
        Ok(Some(s)) if s < 0 => s + length,
        Ok(Some(s)) => s,
        Err(()) => return -1,
    };
    unsafe { *stop = stop_value };
    if stop_value > length || start_value >= length || step_value == 0 {
        return -1;
    }
    0
}

/// The exported form of the `PySlice_GetIndicesEx` macro (the stable ABI's):
/// Unpack, then AdjustIndices.
///
/// # Safety
/// The four out-pointers are writable.
#[cpython_api]
unsafe fn PySlice_GetIndicesEx(
    vm: &VirtualMachine,
    slice: *mut PyObject,
    length: Py_ssize_t,
    start: *mut Py_ssize_t,
    stop: *mut Py_ssize_t,
    step: *mut Py_ssize_t,
    slicelength: *mut Py_ssize_t,
) -> PyResult<c_int> {
    // SAFETY: the caller's contract covers every pointer passed on.
    unsafe {
        if PySlice_Unpack(slice, start, stop, step) < 0 {
            *slicelength = 0;
            return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| super::bad_internal_call(vm)));
        }
        *slicelength = PySlice_AdjustIndices(length, start, stop, *step);
    }
    Ok(0)
}

/// `slice(start, stop)`.
#[cpython_api]
fn _PySlice_FromIndices(vm: &VirtualMachine, start: Py_ssize_t, stop: Py_ssize_t) -> PyResult<*mut PyObject> {
    let slice_type = rustpython_vm::AsObject::as_object(vm.ctx.types.slice_type);
    let slice = slice_type.call((vm.ctx.new_int(start), vm.ctx.new_int(stop)), vm)?;
    Ok(into_ref(vm, slice))
}

/// `slice.indices(length)` for any size of int, without its check that
/// `length` is not negative: three new references.
///
/// # Safety
/// The three result pointers are writable.
#[cpython_api]
unsafe fn _PySlice_GetLongIndices(vm: &VirtualMachine, slice: *mut PyObject, length: *mut PyObject, start_ptr: *mut *mut PyObject, stop_ptr: *mut *mut PyObject, step_ptr: *mut *mut PyObject) -> PyResult<c_int> {
    let slice = to_host(vm, slice)?;
    let Some(slice) = slice.downcast_ref::<PySlice>() else { return Err(super::bad_internal_call(vm)) };
    let index = |v: &PyObjectRef| -> PyResult<BigInt> {
        let i = v
            .try_index_opt(vm)
            .ok_or_else(|| vm.new_type_error("slice indices must be integers or None or have an __index__ method".to_owned()))??;
        Ok(i.as_bigint().clone())
    };
    let length_obj = to_host(vm, length)?;
    let length = length_obj.try_index(vm)?.as_bigint().clone();
    let step = match &slice.step {
        Some(step) if !vm.is_none(step) => index(step)?,
        _ => BigInt::from(1),
    };
    if step == BigInt::from(0) {
        return Err(vm.new_value_error("slice step cannot be zero".to_owned()));
    }
    let backwards = step < BigInt::from(0);
    // The range a bound is clamped to: [-1, length - 1] going backwards.
    let (lower, upper) = if backwards { (BigInt::from(-1), BigInt::from(-1) + &length) } else { (BigInt::from(0), length.clone()) };
    // Going forwards the upper bound is the length object itself, as given.
    let upper_obj: PyObjectRef = if backwards { vm.ctx.new_int(upper.clone()).into() } else { length_obj };
    let lower_obj: PyObjectRef = vm.ctx.new_int(lower.clone()).into();
    let bound = |v: Option<&PyObjectRef>, default: &PyObjectRef| -> PyResult<PyObjectRef> {
        let Some(v) = v.filter(|v| !vm.is_none(v)) else { return Ok(default.clone()) };
        let at = index(v)?;
        if at < BigInt::from(0) {
            let at = at + &length;
            return Ok(if at < lower { lower_obj.clone() } else { vm.ctx.new_int(at).into() });
        }
        Ok(if at > upper { upper_obj.clone() } else { vm.ctx.new_int(at).into() })
    };
    let start = bound(slice.start.as_ref(), if backwards { &upper_obj } else { &lower_obj })?;
    let stop = bound(Some(&slice.stop), if backwards { &lower_obj } else { &upper_obj })?;
    // SAFETY: the caller's contract.
    unsafe {
        *start_ptr = into_ref(vm, start);
        *stop_ptr = into_ref(vm, stop);
        *step_ptr = into_ref(vm, vm.ctx.new_int(step).into());
    }
    Ok(0)
}
