//! pybuffer.h: the buffer protocol, for host exporters.
//!
//! bytes proxies carry their own copy of the data (`ob_sval`), and a buffer
//! on bytes points there, as `PyBytes_AS_STRING` does. Any other host object
//! that exports a buffer (bytearray, memoryview, array.array, ...) is served
//! through the host's own buffer protocol: the `Py_buffer` keeps the host's
//! `PyBuffer` in `internal` until `PyBuffer_Release`. While it is held, the
//! exporter counts an export, so a bytearray cannot resize under C's feet.
use super::{bad_internal_call, has_type_flag};
use crate::ffi::{self, PyObject, Py_buffer, Py_ssize_t};
use crate::proxy::{self, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::protocol::{BufferFlags, PyBuffer};
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{CString, c_char, c_int, c_void};

/// What a `Py_buffer` from a host exporter owns, behind `internal`.
struct Export {
    /// Released (the host export ends) when this is dropped.
    _buffer: PyBuffer,
    shape: Vec<Py_ssize_t>,
    strides: Vec<Py_ssize_t>,
    suboffsets: Vec<Py_ssize_t>,
    format: CString,
}

fn buffer_error(vm: &VirtualMachine, msg: &str) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_exception_msg(vm.ctx.exceptions.buffer_error.to_owned(), msg.into())
}

/// The contract of `PyBuffer_FillInfo`: one flat block of bytes.
unsafe fn fill_info(vm: &VirtualMachine, view: *mut Py_buffer, obj: *mut PyObject, buf: *mut c_void, len: Py_ssize_t, readonly: bool, flags: c_int) -> PyResult<()> {
    if view.is_null() {
        return Err(buffer_error(vm, "PyBuffer_FillInfo: view==NULL argument is obsolete"));
    }
    if flags & ffi::PyBUF_WRITABLE as c_int != 0 && readonly {
        return Err(buffer_error(vm, "Object is not writable."));
    }
    unsafe {
        if !obj.is_null() {
            proxy::incref(obj);
        }
        let v = &mut *view;
        v.obj = obj;
        v.buf = buf;
        v.len = len;
        v.readonly = readonly as c_int;
        v.itemsize = 1;
        v.format = if flags & ffi::PyBUF_FORMAT as c_int != 0 { c"B".as_ptr() as *mut c_char } else { std::ptr::null_mut() };
        v.ndim = 1;
        v.shape = if flags & ffi::PyBUF_ND as c_int != 0 { &raw mut v.len } else { std::ptr::null_mut() };
        v.strides = if flags & ffi::PyBUF_STRIDES as c_int == ffi::PyBUF_STRIDES as c_int { &raw mut v.itemsize } else { std::ptr::null_mut() };
        v.suboffsets = std::ptr::null_mut();
        v.internal = std::ptr::null_mut();
    }
    Ok(())
}

#[cpython_api]
unsafe fn PyBuffer_FillInfo(vm: &VirtualMachine, view: *mut Py_buffer, o: *mut PyObject, buf: *mut c_void, len: Py_ssize_t, readonly: c_int, flags: c_int) -> PyResult<c_int> {
    fill_info(vm, view, o, buf, len, readonly != 0, flags)?;
    Ok(0)
}

#[cpython_api]
fn PyObject_CheckBuffer(vm: &VirtualMachine, obj: *mut PyObject) -> c_int {
    if has_type_flag(obj, ffi::Py_TPFLAGS_BYTES_SUBCLASS) {
        return 1;
    }
    to_host(vm, obj).map(|o| o.check_buffer()).unwrap_or(false) as c_int
}

#[cpython_api]
unsafe fn PyObject_GetBuffer(vm: &VirtualMachine, obj: *mut PyObject, view: *mut Py_buffer, flags: c_int) -> PyResult<c_int> {
    if obj.is_null() || view.is_null() {
        return Err(bad_internal_call(vm));
    }
    if has_type_flag(obj, ffi::Py_TPFLAGS_BYTES_SUBCLASS) {
        let b = obj as *mut ffi::PyBytesObject;
        let data = (*b).ob_sval.as_mut_ptr() as *mut c_void;
        fill_info(vm, view, obj, data, (*b).ob_base.ob_size, true, flags)?;
        return Ok(0);
    }
    let host = to_host(vm, obj)?;
    let mut request = BufferFlags::from_bits_retain(flags as u32);
    // PyBUF_READ/PyBUF_WRITE are not requests; CPython 3.11's exporters see
    // no request bits in them and serve a simple buffer.
    if request.is_memory_access_mode() {
        request = BufferFlags::SIMPLE;
    }
    let buffer = PyBuffer::from_object(vm, &host, request)?;
    let desc = buffer.desc.clone();
    if request.is_writable() && desc.readonly {
        return Err(buffer_error(vm, "Object is not writable."));
    }
    if !request.contains(BufferFlags::STRIDES) && !desc.is_contiguous() {
        return Err(buffer_error(vm, &format!("{}: underlying buffer is not C-contiguous", host.class().name())));
    }
    if request.contains(BufferFlags::C_CONTIGUOUS) && !desc.is_contiguous() {
        return Err(buffer_error(vm, &format!("{}: underlying buffer is not C-contiguous", host.class().name())));
    }
    if request.contains(BufferFlags::F_CONTIGUOUS) && !desc.is_fortran_contiguous() {
        return Err(buffer_error(vm, &format!("{}: underlying buffer is not Fortran contiguous", host.class().name())));
    }
    if !request.contains(BufferFlags::INDIRECT) && desc.has_suboffsets() {
        return Err(buffer_error(vm, &format!("{}: underlying buffer requires suboffsets", host.class().name())));
    }
    // The exporter's memory stays put while the export is held; the guard is
    // only needed to learn where it is.
    let base = {
        let bytes = buffer.obj_bytes();
        bytes.as_ptr() as *mut u8
    };
    let start = if desc.len == 0 { base } else { base.offset(desc.offset) };
    let ndim = desc.ndim();
    let mut export = Box::new(Export {
        _buffer: buffer,
        shape: desc.dim_desc.iter().map(|d| d.0 as Py_ssize_t).collect(),
        strides: desc.dim_desc.iter().map(|d| d.1 as Py_ssize_t).collect(),
        suboffsets: desc.dim_desc.iter().map(|d| d.2 as Py_ssize_t).collect(),
        format: CString::new(desc.format.as_bytes()).unwrap_or_default(),
    });
    proxy::incref(obj);
    let v = &mut *view;
    v.obj = obj;
    v.buf = start as *mut c_void;
    v.len = desc.len as Py_ssize_t;
    v.itemsize = desc.itemsize as Py_ssize_t;
    v.readonly = desc.readonly as c_int;
    v.ndim = ndim as c_int;
    v.format = if request.contains(BufferFlags::FORMAT) { export.format.as_ptr() as *mut c_char } else { std::ptr::null_mut() };
    v.shape = if request.contains(BufferFlags::ND) { export.shape.as_mut_ptr() } else { std::ptr::null_mut() };
    v.strides = if request.contains(BufferFlags::STRIDES) { export.strides.as_mut_ptr() } else { std::ptr::null_mut() };
    v.suboffsets = if request.contains(BufferFlags::INDIRECT) && desc.has_suboffsets() {
        export.suboffsets.as_mut_ptr()
    } else {
        std::ptr::null_mut()
    };
    v.internal = Box::into_raw(export) as *mut c_void;
    Ok(0)
}

/// Ends a host export (the exporter's `bf_releasebuffer`); the object's
/// reference is the caller's business.
pub(crate) unsafe fn release_export(view: *mut Py_buffer) {
    unsafe {
        let internal = (*view).internal;
        if !internal.is_null() {
            (*view).internal = std::ptr::null_mut();
            drop(Box::from_raw(internal as *mut Export));
        }
    }
}

/// `bf_releasebuffer` of the type objects of host exporters.
pub(crate) unsafe extern "C" fn host_releasebuffer(_obj: *mut PyObject, view: *mut Py_buffer) {
    unsafe { release_export(view) }
}

#[cpython_api]
unsafe fn PyBuffer_Release(view: *mut Py_buffer) {
    if view.is_null() {
        return;
    }
    release_export(view);
    let obj = (*view).obj;
    if !obj.is_null() {
        (*view).obj = std::ptr::null_mut();
        proxy::decref(obj);
    }
}

unsafe fn is_c_contiguous(v: &Py_buffer) -> bool {
    if v.len == 0 || v.strides.is_null() {
        return true;
    }
    let mut expected = v.itemsize;
    for i in (0..v.ndim as usize).rev() {
        let shape = unsafe { *v.shape.add(i) };
        if shape > 1 && unsafe { *v.strides.add(i) } != expected {
            return false;
        }
        expected *= shape;
    }
    true
}

unsafe fn is_f_contiguous(v: &Py_buffer) -> bool {
    if v.len == 0 {
        return true;
    }
    if v.strides.is_null() {
        // C order: also Fortran order when at most one dimension has extent.
        if v.ndim <= 1 || v.shape.is_null() {
            return true;
        }
        let extended = (0..v.ndim as usize).filter(|i| unsafe { *v.shape.add(*i) } > 1).count();
        return extended <= 1;
    }
    let mut expected = v.itemsize;
    for i in 0..v.ndim as usize {
        let shape = unsafe { *v.shape.add(i) };
        if shape > 1 && unsafe { *v.strides.add(i) } != expected {
            return false;
        }
        expected *= shape;
    }
    true
}

#[cpython_api]
unsafe fn PyBuffer_IsContiguous(view: *const Py_buffer, order: c_char) -> c_int {
    let v = &*view;
    if !v.suboffsets.is_null() {
        return 0;
    }
    let result = match order as u8 {
        b'C' => is_c_contiguous(v),
        b'F' => is_f_contiguous(v),
        b'A' => is_c_contiguous(v) || is_f_contiguous(v),
        _ => false,
    };
    result as c_int
}
