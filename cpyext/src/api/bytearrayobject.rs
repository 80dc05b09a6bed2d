//! bytearrayobject.h. The bytes stay in the host bytearray: the pointer C
//! gets from `PyByteArray_AsString` is the host's own storage, so C's
//! writes are what Python reads, and it stays valid until the bytearray is
//! resized, as in CPython.
use super::bad_internal_call;
use crate::ffi::{self, PyObject, Py_buffer, Py_ssize_t};
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyByteArray;
use rustpython_vm::protocol::BufferResizeGuard;
use rustpython_vm::{AsObject, PyPayload, PyRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// What an empty bytearray that cannot grow points to (CPython has a
/// static empty string for the same purpose). C must not write to it.
static mut EMPTY: [c_char; 1] = [0];

fn as_bytearray(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyRef<PyByteArray>> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    to_host(vm, p)?.downcast::<PyByteArray>().map_err(|_| bad_internal_call(vm))
}

/// A new bytearray of `len` bytes copied from `v` (zeros when `v` is NULL).
///
/// # Safety
/// `v` must be NULL or point to `len` readable bytes.
#[cpython_api]
unsafe fn PyByteArray_FromStringAndSize(vm: &VirtualMachine, v: *const c_char, len: Py_ssize_t) -> PyResult<*mut PyObject> {
    if len < 0 {
        return Err(vm.new_system_error("Negative size passed to PyByteArray_FromStringAndSize".to_owned()));
    }
    let mut data = reserved_storage(vm, len as usize)?;
    if v.is_null() {
        data.resize(len as usize, 0);
    } else {
        // SAFETY: C passes `len` readable bytes at `v`.
        data.extend_from_slice(unsafe { std::slice::from_raw_parts(v as *const u8, len as usize) });
    }
    Ok(into_ref(vm, PyByteArray::from(data).into_ref(&vm.ctx).into()))
}

/// An empty buffer with room for `len` bytes (reserved, not touched), or
/// the MemoryError CPython raises for a size C chose that cannot be had
/// (the host would abort the process).
fn reserved_storage(vm: &VirtualMachine, len: usize) -> PyResult<Vec<u8>> {
    let mut data = Vec::new();
    data.try_reserve_exact(len).map_err(|_| crate::error_indicator::no_memory(vm))?;
    Ok(data)
}

/// `bytearray(o)`.
#[cpython_api]
fn PyByteArray_FromObject(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, vm.ctx.types.bytearray_type.as_object().call((o,), vm)?))
}

/// A new bytearray with the bytes of two buffers.
#[cpython_api]
unsafe fn PyByteArray_Concat(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    if a.is_null() || b.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: both are live objects (checked non-NULL above), whose type
    // objects carry a name.
    let type_name = |p: *mut PyObject| unsafe { crate::methods::c_str((*(*p).ob_type).tp_name) }.unwrap_or("?").to_owned();
    let cannot = || vm.new_type_error(format!("can't concat {} to {}", type_name(b), type_name(a)));
    let mut joined = Vec::new();
    for part in [a, b] {
        // SAFETY: a zeroed Py_buffer is a valid empty one.
        let mut view: Py_buffer = unsafe { std::mem::zeroed() };
        // SAFETY: `part` is a live object and `view` writable.
        if unsafe { super::pybuffer::PyObject_GetBuffer(part, &mut view, ffi::PyBUF_SIMPLE as c_int) } < 0 {
            crate::error_indicator::fetch();
            return Err(cannot());
        }
        if view.len > 0 {
            // SAFETY: a simple buffer holds `len` contiguous bytes.
            joined.extend_from_slice(unsafe { std::slice::from_raw_parts(view.buf as *const u8, view.len as usize) });
        }
        // SAFETY: the view was filled just above.
        unsafe { super::pybuffer::PyBuffer_Release(&mut view) };
    }
    Ok(into_ref(vm, PyByteArray::from(joined).into_ref(&vm.ctx).into()))
}

/// Also without the GIL (see `read_maybe_without_gil`).
#[cpython_api(no_gil)]
unsafe fn PyByteArray_Size(bytearray: *mut PyObject) -> PyResult<Py_ssize_t> {
    super::read_maybe_without_gil(
        |vm| Ok(as_bytearray(vm, bytearray)?.borrow_buf().len() as Py_ssize_t),
        // SAFETY: C passes a bytearray it holds (I8).
        || unsafe { super::host_without_gil(bytearray) }
            .and_then(|host| host.downcast_ref::<PyByteArray>())
            .map_or(0, |b| b.borrow_buf().len() as Py_ssize_t),
    )
}

/// The bytearray's own storage, NUL-terminated (when the bytearray can
/// grow: a buffer exported to someone pins the storage where it is). Also
/// without the GIL (see `read_maybe_without_gil`).
#[cpython_api(no_gil)]
unsafe fn PyByteArray_AsString(bytearray: *mut PyObject) -> PyResult<*mut c_char> {
    super::read_maybe_without_gil(
        |vm| {
            let bytes = as_bytearray(vm, bytearray)?;
            Ok(storage_pointer(&bytes))
        },
        // SAFETY: C passes a bytearray it holds (I8).
        || match unsafe { super::host_without_gil(bytearray) }.and_then(|host| host.downcast_ref::<PyByteArray>()) {
            Some(bytes) => storage_pointer(bytes),
            None => std::ptr::null_mut(),
        },
    )
}

fn storage_pointer(bytes: &PyByteArray) -> *mut c_char {
    let can_grow = bytes.try_resizable_opt().is_some();
    let mut storage = bytes.borrow_buf_mut();
    if can_grow && storage.capacity() == storage.len() {
        storage.reserve(1);
    }
    if let Some(after) = storage.spare_capacity_mut().first_mut() {
        after.write(0);
    }
    if storage.capacity() == 0 {
        return &raw mut EMPTY as *mut c_char;
    }
    storage.as_mut_ptr() as *mut c_char
}

/// Resizes in place (new bytes are zero); a BufferError while a buffer is
/// exported, as in CPython.
#[cpython_api]
fn PyByteArray_Resize(vm: &VirtualMachine, bytearray: *mut PyObject, len: Py_ssize_t) -> PyResult<c_int> {
    let bytes = as_bytearray(vm, bytearray)?;
    if len < 0 {
        return Err(vm.new_value_error(format!("Can only resize to positive sizes, got {len}")));
    }
    if len as usize == bytes.borrow_buf().len() {
        return Ok(0); // no change: allowed even while exported, as in CPython
    }
    if len as usize > bytes.borrow_buf().len() {
        // Checked first: the host aborts when growing fails.
        drop(reserved_storage(vm, len as usize)?);
    }
    bytes.resize(len, vm)?;
    refresh_struct(bytearray, &bytes);
    Ok(0)
}

/// `PyByteArrayObject` for a bytearray's proxy (a plain proxy with a body):
/// C reads `Py_SIZE()` of a bytearray directly (Cython appends that way).
pub(crate) fn proxy_struct_size(_vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef) -> Option<usize> {
    obj.downcast_ref::<PyByteArray>().map(|_| size_of::<ffi::PyByteArrayObject>())
}

/// Fills a bytearray proxy's struct: the size, and the pointers into the
/// host's storage (as `PyByteArray_AS_STRING` gives).
pub(crate) fn fill_proxy_struct(_vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef, proxy: *mut PyObject) {
    if let Some(bytes) = obj.downcast_ref::<PyByteArray>() {
        write_struct(proxy, bytes);
        super::watch_during_call(proxy, obj);
    }
}

/// C lowered `ob_size` of the struct directly (`Py_SET_SIZE`, after
/// writing fewer bytes than it made room for): the host bytearray drops
/// the rest, as CPython's would show it. A size above the host's length
/// is beyond the room the struct offered (`ob_alloc`), so it is ignored.
pub(crate) fn sync_from_c(proxy: *mut PyObject, bytes: &PyByteArray) {
    if !has_struct(proxy) {
        return; // an instance of a C subtype: its struct is C's
    }
    // SAFETY: a bytearray proxy with its struct, read under the GIL.
    let size = unsafe { (*(proxy as *mut ffi::PyVarObject)).ob_size };
    // Only a size C wrote: Python code may have grown the bytearray since
    // the struct was written, leaving its size behind.
    if WRITTEN_SIZE.get(&(proxy as usize)).is_some_and(|written| *written == size) {
        return;
    }
    let mut storage = bytes.borrow_buf_mut();
    if size >= 0 && (size as usize) < storage.len() {
        storage.truncate(size as usize);
    }
    drop(storage);
    write_struct(proxy, bytes);
}

/// The `ob_size` each bytearray proxy's struct was last given here.
static WRITTEN_SIZE: std::sync::LazyLock<dashmap::DashMap<usize, Py_ssize_t>> = std::sync::LazyLock::new(dashmap::DashMap::new);

fn write_struct(proxy: *mut PyObject, bytes: &PyByteArray) {
    let start = storage_pointer(bytes);
    let (len, capacity) = {
        let storage = bytes.borrow_buf();
        (storage.len(), storage.len().max(1))
    };
    let s = proxy as *mut ffi::PyByteArrayObject;
    // SAFETY: a bytearray proxy made with `proxy_struct_size` bytes (the
    // caller checks the layout), written under the GIL (I1).
    unsafe {
        (*s).ob_base.ob_size = len as Py_ssize_t;
        WRITTEN_SIZE.insert(proxy as usize, len as Py_ssize_t);
        (*s).ob_alloc = capacity as Py_ssize_t;
        (*s).ob_bytes = start;
        (*s).ob_start = start;
    }
}

/// After a change of size made here, or as the bytearray is handed to C
/// again (Python may have resized it): the struct follows the host.
pub(crate) fn refresh_struct(proxy: *mut PyObject, bytes: &PyByteArray) {
    if has_struct(proxy) {
        write_struct(proxy, bytes);
    }
}

/// Whether `proxy` is a bytearray's plain proxy with the struct the layer
/// keeps (not the struct of a C subtype's instance).
fn has_struct(proxy: *mut PyObject) -> bool {
    // SAFETY: a registered header, read under the GIL (I1, I2).
    crate::proxy::header(proxy).is_some_and(|h| unsafe {
        let h = h.as_ref();
        h.layout == crate::proxy::Layout::Plain && h.size as usize >= size_of::<ffi::PyByteArrayObject>()
    })
}

/// `char _PyByteArray_empty_string[]`: an empty C string, which CPython's
/// PyByteArray_AS_STRING gives for an empty bytearray.
#[unsafe(no_mangle)]
pub static _PyByteArray_empty_string: [c_char; 1] = [0];
inventory::submit! { crate::boundary::ApiData { name: "_PyByteArray_empty_string" } }
