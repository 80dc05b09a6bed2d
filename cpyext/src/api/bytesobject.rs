//! bytesobject.h. These work on the proxy's own copy of the data, which is
//! also what C may fill in for bytes made with a NULL buffer.
use super::{bad_internal_call, has_type_flag};
use crate::ffi::{self, PyObject, Py_ssize_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

fn check_bytes(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut ffi::PyBytesObject> {
    if o.is_null() {
        return Err(bad_internal_call(vm));
    }
    if has_type_flag(o, ffi::Py_TPFLAGS_BYTES_SUBCLASS) {
        return Ok(o as *mut ffi::PyBytesObject);
    }
    let found = to_host(vm, o)?.class().name().to_string();
    Err(vm.new_type_error(format!("expected bytes, {found} found")))
}

#[cpython_api]
unsafe fn PyBytes_FromStringAndSize(vm: &VirtualMachine, v: *const c_char, len: Py_ssize_t) -> PyResult<*mut PyObject> {
    if len < 0 {
        return Err(vm.new_system_error("Negative size passed to PyBytes_FromStringAndSize".to_owned()));
    }
    if v.is_null() {
        // C fills the buffer before the object crosses into Python.
        let p = proxy::new_pending(proxy::Layout::Bytes, proxy::bytes_size(len as usize), &raw mut crate::types::PyBytes_Type);
        let b = p as *mut ffi::PyBytesObject;
        (*b).ob_base.ob_size = len;
        (*b).ob_shash = -1;
        return Ok(p);
    }
    let data = std::slice::from_raw_parts(v as *const u8, len as usize);
    Ok(into_ref(vm, vm.ctx.new_bytes(data.to_vec()).into()))
}

#[cpython_api]
unsafe fn PyBytes_FromString(vm: &VirtualMachine, v: *const c_char) -> PyResult<*mut PyObject> {
    if v.is_null() {
        return Err(bad_internal_call(vm));
    }
    let data = std::ffi::CStr::from_ptr(v).to_bytes();
    Ok(into_ref(vm, vm.ctx.new_bytes(data.to_vec()).into()))
}

#[cpython_api]
unsafe fn PyBytes_AsString(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut c_char> {
    let b = check_bytes(vm, o)?;
    Ok((*b).ob_sval.as_mut_ptr())
}

#[cpython_api]
unsafe fn PyBytes_AsStringAndSize(vm: &VirtualMachine, obj: *mut PyObject, buffer: *mut *mut c_char, length: *mut Py_ssize_t) -> PyResult<c_int> {
    if buffer.is_null() {
        return Err(bad_internal_call(vm));
    }
    let b = check_bytes(vm, obj)?;
    let n = (*b).ob_base.ob_size as usize;
    let data = (*b).ob_sval.as_mut_ptr();
    if length.is_null() {
        if std::slice::from_raw_parts(data as *const u8, n).contains(&0) {
            return Err(vm.new_value_error("embedded null byte".to_owned()));
        }
    } else {
        *length = n as Py_ssize_t;
    }
    *buffer = data;
    Ok(0)
}

#[cpython_api]
unsafe fn PyBytes_Size(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_ssize_t> {
    let b = check_bytes(vm, o)?;
    Ok((*b).ob_base.ob_size)
}

/// Resizes bytes that C is still filling (not yet seen by Python): a new
/// object with the old contents replaces `*pv`. On failure `*pv` is
/// released and set to NULL, as in CPython.
#[cpython_api]
unsafe fn _PyBytes_Resize(vm: &VirtualMachine, pv: *mut *mut PyObject, newsize: Py_ssize_t) -> PyResult<c_int> {
    let old = *pv;
    let fresh = !old.is_null()
        && has_type_flag(old, ffi::Py_TPFLAGS_BYTES_SUBCLASS)
        && (*old).ob_refcnt == 1
        && proxy::header_mut(old).is_some_and(|h| h.host.is_null());
    if !fresh || newsize < 0 {
        proxy::xdecref(old);
        *pv = std::ptr::null_mut();
        return Err(bad_internal_call(vm));
    }
    let new = PyBytes_FromStringAndSize(std::ptr::null(), newsize);
    if new.is_null() {
        proxy::decref(old);
        *pv = std::ptr::null_mut();
        return Ok(-1);
    }
    let keep = ((*(old as *mut ffi::PyBytesObject)).ob_base.ob_size).min(newsize) as usize;
    std::ptr::copy_nonoverlapping(
        (*(old as *mut ffi::PyBytesObject)).ob_sval.as_ptr(),
        (*(new as *mut ffi::PyBytesObject)).ob_sval.as_mut_ptr(),
        keep,
    );
    proxy::decref(old);
    *pv = new;
    Ok(0)
}

#[cpython_api]
unsafe fn PyByteArray_FromStringAndSize(vm: &VirtualMachine, v: *const c_char, len: Py_ssize_t) -> PyResult<*mut PyObject> {
    if len < 0 {
        return Err(vm.new_system_error("Negative size passed to PyByteArray_FromStringAndSize".to_owned()));
    }
    let data = if v.is_null() { vec![0u8; len as usize] } else { std::slice::from_raw_parts(v as *const u8, len as usize).to_vec() };
    let bytes: rustpython_vm::PyObjectRef = vm.ctx.new_bytes(data).into();
    let bytearray = rustpython_vm::AsObject::as_object(vm.ctx.types.bytearray_type).call((bytes,), vm)?;
    Ok(into_ref(vm, bytearray))
}
