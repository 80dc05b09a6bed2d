//! marshal.h, through the host's marshal module (the same format the
//! `marshal` module reads and writes). The FILE functions read and write
//! with stdio, so C may mix them with its own fread/fwrite.
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyBytes;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_long};

fn marshal_function(vm: &VirtualMachine, name: &'static str) -> PyResult<PyObjectRef> {
    crate::types::import_for_layer(vm, "marshal")?.get_attr(name, vm)
}

fn dumps(vm: &VirtualMachine, value: *mut PyObject, version: c_int) -> PyResult<Vec<u8>> {
    let data = marshal_function(vm, "dumps")?.call((to_host(vm, value)?, version), vm)?;
    let data = data.downcast::<PyBytes>().map_err(|_| super::bad_internal_call(vm))?;
    Ok(data.as_bytes().to_vec())
}

/// The first object in `data` and the bytes it took.
fn loads_prefix(vm: &VirtualMachine, data: Vec<u8>) -> PyResult<(PyObjectRef, usize)> {
    let stream = crate::types::import_for_layer(vm, "io")?.get_attr("BytesIO", vm)?.call((vm.ctx.new_bytes(data),), vm)?;
    let value = marshal_function(vm, "load")?.call((stream.clone(),), vm)?;
    let used = vm.call_method(&stream, "tell", ())?.try_into_value::<usize>(vm)?;
    Ok((value, used))
}

#[cpython_api]
fn PyMarshal_WriteObjectToString(vm: &VirtualMachine, value: *mut PyObject, version: c_int) -> PyResult<*mut PyObject> {
    let data = dumps(vm, value, version)?;
    Ok(into_ref(vm, vm.ctx.new_bytes(data).into()))
}

/// # Safety
/// `data` must point at `len` readable bytes.
#[cpython_api]
unsafe fn PyMarshal_ReadObjectFromString(vm: &VirtualMachine, data: *const c_char, len: Py_ssize_t) -> PyResult<*mut PyObject> {
    // SAFETY: the caller passes len readable bytes.
    let data = if len <= 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(data as *const u8, len as usize) } };
    let value = marshal_function(vm, "loads")?.call((vm.ctx.new_bytes(data.to_vec()),), vm)?;
    Ok(into_ref(vm, value))
}

/// # Safety
/// `file` must be an open stdio stream.
unsafe fn write_bytes(file: *mut libc::FILE, data: &[u8]) {
    // SAFETY: the caller passes an open stream; data is a live slice.
    unsafe { libc::fwrite(data.as_ptr() as *const libc::c_void, 1, data.len(), file) };
}

/// Exactly N bytes from the stream, or EOFError.
///
/// # Safety
/// `file` must be an open stdio stream.
unsafe fn read_exact<const N: usize>(vm: &VirtualMachine, file: *mut libc::FILE) -> PyResult<[u8; N]> {
    let mut buffer = [0u8; N];
    // SAFETY: the caller passes an open stream; the buffer holds N bytes.
    let read = unsafe { libc::fread(buffer.as_mut_ptr() as *mut libc::c_void, 1, N, file) };
    if read != N {
        return Err(vm.new_exception_msg(vm.ctx.exceptions.eof_error.to_owned(), "EOF read where not expected".into()));
    }
    Ok(buffer)
}

/// Everything from the stream's position to its end.
///
/// # Safety
/// `file` must be an open stdio stream.
unsafe fn read_rest(file: *mut libc::FILE) -> Vec<u8> {
    let mut data = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        // SAFETY: the caller passes an open stream; chunk is a live buffer.
        let read = unsafe { libc::fread(chunk.as_mut_ptr() as *mut libc::c_void, 1, chunk.len(), file) };
        data.extend_from_slice(&chunk[..read]);
        if read < chunk.len() {
            return data;
        }
    }
}

/// The low 32 bits of `value`, little-endian. Errors are not reported.
///
/// # Safety
/// `file` must be an open stdio stream.
#[cpython_api]
unsafe fn PyMarshal_WriteLongToFile(value: c_long, file: *mut libc::FILE, version: c_int) {
    let _ = version;
    // SAFETY: the caller passes an open stream.
    unsafe { write_bytes(file, &(value as i32).to_le_bytes()) };
}

/// Nothing is written, and no error reported, for an object marshal
/// refuses (CPython reports none either; it may write part of it).
///
/// # Safety
/// `file` must be an open stdio stream.
#[cpython_api]
unsafe fn PyMarshal_WriteObjectToFile(vm: &VirtualMachine, value: *mut PyObject, file: *mut libc::FILE, version: c_int) {
    if let Ok(data) = dumps(vm, value, version) {
        // SAFETY: the caller passes an open stream.
        unsafe { write_bytes(file, &data) };
    }
}

/// # Safety
/// `file` must be an open stdio stream.
#[cpython_api]
unsafe fn PyMarshal_ReadLongFromFile(vm: &VirtualMachine, file: *mut libc::FILE) -> PyResult<c_long> {
    // SAFETY: the caller passes an open stream.
    let bytes = unsafe { read_exact::<4>(vm, file)? };
    Ok(i32::from_le_bytes(bytes) as c_long)
}

/// # Safety
/// `file` must be an open stdio stream.
#[cpython_api]
unsafe fn PyMarshal_ReadShortFromFile(vm: &VirtualMachine, file: *mut libc::FILE) -> PyResult<c_int> {
    // SAFETY: the caller passes an open stream.
    let bytes = unsafe { read_exact::<2>(vm, file)? };
    Ok(i16::from_le_bytes(bytes) as c_int)
}

/// One object; the stream is left just after it (when it can seek).
///
/// # Safety
/// `file` must be an open stdio stream.
#[cpython_api]
unsafe fn PyMarshal_ReadObjectFromFile(vm: &VirtualMachine, file: *mut libc::FILE) -> PyResult<*mut PyObject> {
    // SAFETY: the caller passes an open stream.
    let start = unsafe { libc::ftell(file) };
    // SAFETY: as above.
    let data = unsafe { read_rest(file) };
    let (value, used) = loads_prefix(vm, data)?;
    if start >= 0 {
        // SAFETY: as above; the position is within what was just read.
        unsafe { libc::fseek(file, start + used as libc::c_long, libc::SEEK_SET) };
    }
    Ok(into_ref(vm, value))
}

/// The rest of the stream as one object.
///
/// # Safety
/// `file` must be an open stdio stream.
#[cpython_api]
unsafe fn PyMarshal_ReadLastObjectFromFile(vm: &VirtualMachine, file: *mut libc::FILE) -> PyResult<*mut PyObject> {
    // SAFETY: the caller passes an open stream.
    let data = unsafe { read_rest(file) };
    let value = marshal_function(vm, "loads")?.call((vm.ctx.new_bytes(data),), vm)?;
    Ok(into_ref(vm, value))
}
