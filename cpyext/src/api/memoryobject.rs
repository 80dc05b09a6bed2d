//! memoryobject.h: memoryviews.
//!
//! A memoryview is a host object. Views over C memory (`FromMemory`,
//! `FromBuffer`) look at a `RawMemory` exporter, which serves the memory C
//! gave without copying it. The `Py_buffer` that `PyMemoryView_GET_BUFFER`
//! shows is made on first use from the view's own share of its exporter, and
//! kept until the memoryview dies (a weak reference tells when).
use super::bad_internal_call;
use super::pybuffer::{PyBuffer_IsContiguous, export_into, kept_view};
use crate::ffi::{self, PyObject, Py_buffer, Py_ssize_t};
use crate::boundary::{CFunction, call_into_c, call_into_c_with};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyMemoryView, PyType};
use rustpython_vm::common::borrow::{BorrowedValue, BorrowedValueMut};
use rustpython_vm::object::{MaybeTraverse, TraverseFn};
use rustpython_vm::protocol::{BufferDescriptor, BufferFlags, BufferMethods, PyBuffer};
use rustpython_vm::{AsObject, Context, Py, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};
use std::borrow::Cow;
use std::ffi::{CStr, c_char, c_int};

/// A block of memory that C owns (or, for a contiguous copy, that this
/// object owns), exported as a buffer. `start` is where the exporter's
/// memory begins; the view's first item may lie further in.
pub(crate) struct RawMemory {
    start: usize,
    len: usize,
    _owned: Option<Box<[u8]>>,
    /// A C exporter's buffer that the memory belongs to, released when the
    /// acquisition ends (the last view of it released or gone).
    _export: std::sync::Mutex<Option<CExport>>,
    /// The exporter's format where the host is shown another
    /// (`host_format`): what `memoryview.format` and C see.
    c_format: Option<String>,
}

/// A filled `Py_buffer` from a C type's `bf_getbuffer`.
pub(crate) struct CExport(Box<Py_buffer>);
// Released under the GIL only.
unsafe impl Send for CExport {}
unsafe impl Sync for CExport {}

impl Drop for CExport {
    fn drop(&mut self) {
        let view = &mut *self.0 as *mut Py_buffer;
        // At interpreter exit there may be no VM: the export is then left to
        // the process's end.
        let _ = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
            // SAFETY: a filled view holds its exporter, a live object.
            let tp = unsafe { if (*view).obj.is_null() { std::ptr::null_mut() } else { (*(*view).obj).ob_type } };
            // SAFETY: the view was filled by the exporter and is released once.
            call_into_c(vm, CFunction::Slot(tp, "bf_releasebuffer"), || unsafe { super::pybuffer::PyBuffer_Release(view) });
        });
    }
}

impl std::fmt::Debug for RawMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RawMemory({:#x}, {})", self.start, self.len)
    }
}

impl MaybeTraverse for RawMemory {
    fn try_traverse(&self, _traverse_fn: &mut TraverseFn<'_>) {}
}

impl PyPayload for RawMemory {
    fn class(ctx: &Context) -> &'static Py<PyType> {
        ctx.types.object_type
    }
}

impl RawMemory {
    fn bytes(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: C promised `len` bytes at `start` for the view's lifetime
        // (CPython makes the same demand of PyMemoryView_FromMemory).
        unsafe { std::slice::from_raw_parts(self.start as *const u8, self.len) }
    }

    #[allow(clippy::mut_from_ref)]
    fn bytes_mut(&self) -> &mut [u8] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: as `bytes`; a writable view was asked for by C, which owns
        // the memory and expects writes through the view.
        unsafe { std::slice::from_raw_parts_mut(self.start as *mut u8, self.len) }
    }
}

static RAW_MEMORY_METHODS: BufferMethods = BufferMethods {
    obj_bytes: |buffer| BorrowedValue::Ref(buffer.obj_as::<RawMemory>().bytes()),
    obj_bytes_mut: |buffer| BorrowedValueMut::RefMut(buffer.obj_as::<RawMemory>().bytes_mut()),
    release: |_| {},
    retain: |_| {},
};

/// For memory that belongs to a C exporter's buffer: the end of the
/// acquisition releases that buffer (bf_releasebuffer runs then, as when a
/// CPython memoryview is released, not when the object is collected).
static C_EXPORT_METHODS: BufferMethods = BufferMethods {
    release: |buffer| {
        let export = buffer.obj_as::<RawMemory>()._export.lock().unwrap().take();
        drop(export);
    },
    ..RAW_MEMORY_METHODS
};

/// A memoryview over `memory`, with the view described by `desc`.
fn view_over(vm: &VirtualMachine, memory: RawMemory, desc: BufferDescriptor) -> PyResult<PyObjectRef> {
    let methods = if memory._export.lock().unwrap().is_some() { &C_EXPORT_METHODS } else { &RAW_MEMORY_METHODS };
    let exporter: PyObjectRef = PyRef::new_ref(memory, vm.ctx.types.object_type.to_owned(), None).into();
    let buffer = PyBuffer::new(exporter, desc, methods);
    Ok(PyMemoryView::from_buffer(buffer, vm)?.into_ref(&vm.ctx).into())
}

/// The host's buffer slot for C types with `bf_getbuffer`: Python code's
/// `memoryview(obj)`, `bytes(obj)`... get the C exporter's memory, held
/// until the last view of it goes.
pub(crate) fn c_type_as_buffer(obj: &rustpython_vm::PyObject, flags: BufferFlags, vm: &VirtualMachine) -> PyResult<PyBuffer> {
    let c_flags = if flags.contains(BufferFlags::WRITABLE) { ffi::PyBUF_FULL } else { ffi::PyBUF_FULL_RO };
    // SAFETY: a zeroed Py_buffer is a valid empty one.
    let mut view: Box<Py_buffer> = Box::new(unsafe { std::mem::zeroed() });
    let tp = crate::types::type_proxy(vm, obj.class());
    // A call into C of its own: what the exporter borrows while it fills the
    // view (numpy's field tuples) lives until it returns.
    let status = call_into_c_with(vm, CFunction::Slot(tp, "bf_getbuffer"), &[obj], |objects| {
        // The C exporter's own function: PyObject_GetBuffer could come back
        // here through the host's slot when the class's best base is a
        // builtin, looping for ever.
        // SAFETY: a live proxy under the GIL.
        let Some(procs) = (unsafe { super::pybuffer::c_buffer_procs_along_mro(vm, objects[0]) }) else {
            crate::error_indicator::set_from_exception(vm.new_type_error(format!("a bytes-like object is required, not '{}'", crate::types::tp_name(vm, obj.class()))));
            return -1;
        };
        // SAFETY: the exporter's function on a live proxy and a Py_buffer to
        // fill; the view keeps its own reference to the exporter.
        unsafe { ((*procs).bf_getbuffer.expect("checked above"))(objects[0], &mut *view, c_flags as c_int) }
    });
    if status < 0 {
        return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
    }
    let export = CExport(view);
    // SAFETY: just filled by the exporter.
    let (start, len, desc) = unsafe { describe_view(vm, &export.0)? };
    let memory = RawMemory { start, len, _owned: None, c_format: c_format(&export.0, &desc.format), _export: std::sync::Mutex::new(Some(export)) };
    let exporter: PyObjectRef = PyRef::new_ref(memory, vm.ctx.types.object_type.to_owned(), None).into();
    Ok(PyBuffer::new(exporter, desc, &C_EXPORT_METHODS))
}

/// The format the host is shown for a C exporter's format: complex items
/// (`Zf`, `Zd`, numpy's complex arrays) as pairs of floats (`2f`, `2d`),
/// of the same size, and long doubles (`g`, `Zg`) as bytes. The host refuses a format it cannot unpack when the
/// view is made, where CPython refuses only reading its items; Cython's
/// fused functions and numpy's `asarray` make such views of any buffer.
/// Any other format the host's parser refuses (pybind11's records,
/// `^T{d:value:d:variance:}`: `^` is PEP 3118's unaligned native order,
/// which `struct` lacks) is shown as bytes of the item's size, `{itemsize}B`.
fn host_format(vm: &VirtualMachine, format: &str, itemsize: usize) -> String {
    let shown = known_host_format(format);
    if rustpython_vm::buffer::FormatSpec::parse(shown.as_bytes(), vm).is_ok() {
        return shown;
    }
    format!("{}B", itemsize.max(1))
}

/// Whether `shown` is a stand-in of the form `{n}B`, and its `n`.
fn sized_bytes(shown: &str) -> Option<usize> {
    let digits = shown.strip_prefix(['@', '=', '<', '>', '!']).unwrap_or(shown).strip_suffix('B')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The stand-ins for formats the host knows it cannot unpack.
fn known_host_format(format: &str) -> String {
    // The host's `g` is a double; C's long double takes 16 bytes here.
    const LONG_DOUBLE: usize = 16;
    let (order, code) = match format.strip_prefix(['@', '=', '<', '>', '!']) {
        Some(rest) => (&format[..1], rest),
        None => ("", format),
    };
    match code {
        "g" => format!("{order}{LONG_DOUBLE}B"),
        "Zg" => format!("{order}{}B", 2 * LONG_DOUBLE),
        _ => format.replace("Zf", "2f").replace("Zd", "2d"),
    }
}

/// The exporter's own format, where the host is shown another (`shown`,
/// the format `describe_view` gave the host).
fn c_format(v: &Py_buffer, shown: &str) -> Option<String> {
    if v.format.is_null() {
        return None;
    }
    // SAFETY: a non-NULL format of a filled view is a C string.
    let format = unsafe { CStr::from_ptr(v.format) }.to_string_lossy().into_owned();
    (shown != format).then_some(format)
}

/// The host's own `memoryview.obj`: the object that serves a view's memory
/// (a `RawMemory` for a view of C memory).
static HOST_VIEW_OBJ: std::sync::OnceLock<PyObjectRef> = std::sync::OnceLock::new();

/// The format C and Python see for `view` (a memoryview, or the memory
/// behind one) whose host
/// format is `shown`: the C exporter's own where the host was shown a
/// stand-in for it, and `shown` was not changed since (a cast).
pub(crate) fn format_of_view(vm: &VirtualMachine, view: &PyObjectRef, shown: &str) -> Option<String> {
    let sized = sized_bytes(shown);
    if !shown.contains("2f") && !shown.contains("2d") && sized.is_none() {
        return None; // not a stand-in: the common case
    }
    let memory = if view.downcast_ref::<PyMemoryView>().is_some() {
        let getter = HOST_VIEW_OBJ.get()?;
        let owner: PyObjectRef = view.class().to_owned().into();
        vm.call_get_descriptor_specific(getter, Some(view), Some(&owner))?.ok()?
    } else {
        view.clone()
    };
    let raw = memory.downcast_ref::<RawMemory>()?;
    raw.c_format.clone().filter(|f| host_format(vm, f, sized.unwrap_or(1)) == shown)
}

/// `memoryview.obj` names the exporter, as in CPython: the C object whose
/// `bf_getbuffer` filled the view, or None for a view of C memory (the
/// host's own getter shows the internal object that serves the memory).
pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    if let Some(getter) = vm.ctx.types.memoryview_type.get_direct_attr(vm.ctx.intern_str("obj")) {
        let _ = HOST_VIEW_OBJ.set(getter);
    }
    super::override_host_getter(vm, vm.ctx.types.memoryview_type, "format", |vm, view, host_format| {
        let shown = host_format()?;
        let own = shown.downcast_ref::<rustpython_vm::builtins::PyStr>().and_then(|s| s.to_str().and_then(|s| format_of_view(vm, view, s)));
        Ok(own.map_or(shown, |f| vm.ctx.new_str(f).into()))
    })?;
    super::override_host_getter(vm, vm.ctx.types.memoryview_type, "obj", |vm, _view, host_obj| {
        let obj = host_obj()?;
        let Some(raw) = obj.downcast_ref::<RawMemory>() else { return Ok(obj) };
        let exporter = raw._export.lock().unwrap().as_ref().map(|export| export.0.obj).filter(|p| !p.is_null());
        match exporter {
            Some(proxy) => to_host(vm, proxy),
            None => Ok(vm.ctx.none()),
        }
    })
}

#[cpython_api]
fn PyMemoryView_FromObject(vm: &VirtualMachine, base: *mut PyObject) -> PyResult<*mut PyObject> {
    if !base.is_null() && unsafe { super::pybuffer::c_buffer_procs(vm, base) }.is_some() {
        // A C type's own buffer, held until the last view of it goes.
        // SAFETY: a zeroed Py_buffer is a valid empty one.
        let mut view: Box<Py_buffer> = Box::new(unsafe { std::mem::zeroed() });
        if unsafe { super::pybuffer::PyObject_GetBuffer(base, &mut *view, ffi::PyBUF_FULL_RO as c_int) } < 0 {
            return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
        }
        let export = CExport(view);
        // SAFETY: just filled by the exporter.
        let (start, len, desc) = unsafe { describe_view(vm, &export.0)? };
        let memory = RawMemory { start, len, _owned: None, c_format: c_format(&export.0, &desc.format), _export: std::sync::Mutex::new(Some(export)) };
        return Ok(into_ref(vm, view_over(vm, memory, desc)?));
    }
    let base = to_host(vm, base)?;
    if base.class().slots.as_buffer.load().is_none() {
        // The host's message names the class by __name__; CPython's by tp_name.
        return Err(vm.new_type_error(format!("memoryview: a bytes-like object is required, not '{}'", crate::types::tp_name(vm, base.class()))));
    }
    Ok(into_ref(vm, vm.ctx.types.memoryview_type.as_object().call((base,), vm)?))
}

/// A one-dimensional view of unsigned bytes over C memory; `flags` is
/// PyBUF_READ or PyBUF_WRITE.
#[cpython_api]
fn PyMemoryView_FromMemory(vm: &VirtualMachine, mem: *mut c_char, size: Py_ssize_t, flags: c_int) -> PyResult<*mut PyObject> {
    if mem.is_null() || size < 0 {
        return Err(bad_internal_call(vm));
    }
    let readonly = flags != ffi::PyBUF_WRITE as c_int;
    let start = bytes_host_memory(vm, mem, size as usize)?.unwrap_or(mem as usize);
    let memory = RawMemory { start, len: size as usize, _owned: None, c_format: None, _export: std::sync::Mutex::new(None) };
    Ok(into_ref(vm, view_over(vm, memory, BufferDescriptor::simple(size as usize, readonly))?))
}

/// Where the host bytes object keeps the value of the bytes whose
/// `ob_sval` starts at `mem`, if it does. A view over the memory of a bytes
/// object (moderngl's `writable_bytes`: `PyBytes_FromStringAndSize(NULL, n)`
/// and a writable view of `PyBytes_AsString` of it, which it then fills
/// through the view) must write what Python sees: in CPython that is the
/// one object, here the host bytes, made now if it is not yet.
fn bytes_host_memory(vm: &VirtualMachine, mem: *mut c_char, size: usize) -> PyResult<Option<usize>> {
    let candidate = mem.wrapping_sub(std::mem::offset_of!(ffi::PyBytesObject, ob_sval)) as *mut PyObject;
    let Some(h) = proxy::header(candidate) else { return Ok(None) };
    // SAFETY: a registered header, read under the GIL (the caller's: a C-API
    // call); the reference ends at once.
    let is_bytes = unsafe { h.as_ref().layout == proxy::Layout::Bytes };
    // SAFETY: a live bytes proxy (its header says so): `ob_size` bytes at `ob_sval`.
    if !is_bytes || unsafe { (*candidate).ob_refcnt <= 0 || (*(candidate as *mut ffi::PyBytesObject)).ob_base.ob_size < size as Py_ssize_t } {
        return Ok(None);
    }
    let host = to_host(vm, candidate)?;
    Ok(host.downcast_ref::<rustpython_vm::builtins::PyBytes>().filter(|b| b.as_bytes().len() >= size).map(|b| b.as_bytes().as_ptr() as usize))
}

/// The extent of a view's items around its first one: (lowest byte offset,
/// one past the highest).
fn extent(shape: &[Py_ssize_t], strides: &[Py_ssize_t], itemsize: Py_ssize_t) -> (isize, isize) {
    if shape.contains(&0) {
        return (0, 0);
    }
    let mut low = 0;
    let mut high = itemsize;
    for (&n, &stride) in shape.iter().zip(strides) {
        let reach = (n - 1) * stride;
        if reach < 0 {
            low += reach;
        } else {
            high += reach;
        }
    }
    (low, high)
}

/// The memory a filled `Py_buffer` spans (start, length) and the host's
/// description of it.
///
/// # Safety
/// `v` must be a filled Py_buffer.
unsafe fn describe_view(vm: &VirtualMachine, v: &Py_buffer) -> PyResult<(usize, usize, BufferDescriptor)> {
    let itemsize = if v.itemsize > 0 { v.itemsize } else { 1 };
    // A "scalar" (ndim 0) spanning more than one item, as lxml's XSLT
    // result exports its text: CPython copies all `len` bytes of it
    // (bytes(), PyBuffer_ToContiguous), so it is a flat run of items here.
    let flat = v.ndim <= 0 && v.len != itemsize;
    let ndim = if flat { 1 } else { v.ndim.max(0) as usize };
    // SAFETY: shape, strides and suboffsets, when present, hold ndim values.
    let shape: Vec<Py_ssize_t> = if v.shape.is_null() || flat {
        if ndim == 0 { Vec::new() } else { vec![v.len / itemsize] }
    } else {
        unsafe { std::slice::from_raw_parts(v.shape, ndim) }.to_vec()
    };
    let strides: Vec<Py_ssize_t> = if v.strides.is_null() || flat {
        let mut strides = vec![0; shape.len()];
        let mut step = itemsize;
        for (stride, n) in strides.iter_mut().zip(&shape).rev() {
            *stride = step;
            step *= *n;
        }
        strides
    } else {
        unsafe { std::slice::from_raw_parts(v.strides, ndim) }.to_vec()
    };
    if !v.suboffsets.is_null() && !flat && unsafe { std::slice::from_raw_parts(v.suboffsets, ndim) }.iter().any(|&s| s >= 0) {
        return Err(vm.new_not_implemented_error("memoryview: views with suboffsets are not supported".to_owned()));
    }
    // SAFETY: a non-NULL format is a C string.
    let format: Cow<'static, str> = if v.format.is_null() {
        Cow::Borrowed("B")
    } else {
        Cow::Owned(host_format(vm, &unsafe { CStr::from_ptr(v.format) }.to_string_lossy(), itemsize as usize))
    };
    let (low, high) = extent(&shape, &strides, itemsize);
    let desc = BufferDescriptor {
        len: v.len as usize,
        offset: -low,
        readonly: v.readonly != 0,
        itemsize: itemsize as usize,
        format,
        dim_desc: shape.iter().zip(&strides).map(|(&n, &s)| (n as usize, s, 0)).collect(),
    };
    Ok(((v.buf as isize + low) as usize, (high - low) as usize, desc))
}

/// A view described by a filled `Py_buffer` (no exporter object: the
/// memory belongs to whoever filled it).
///
/// # Safety
/// `info` must be a filled Py_buffer whose memory outlives the view.
#[cpython_api]
unsafe fn PyMemoryView_FromBuffer(vm: &VirtualMachine, info: *const Py_buffer) -> PyResult<*mut PyObject> {
    if info.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller passes a filled view.
    let v = unsafe { &*info };
    if v.buf.is_null() {
        return Err(vm.new_value_error("PyMemoryView_FromBuffer(): info->buf must not be NULL".to_owned()));
    }
    // SAFETY: as above.
    let (start, len, desc) = unsafe { describe_view(vm, v)? };
    let memory = RawMemory { start, len, _owned: None, c_format: c_format(v, &desc.format), _export: std::sync::Mutex::new(None) };
    Ok(into_ref(vm, view_over(vm, memory, desc)?))
}

/// A memoryview of `base` that is contiguous in `order`: the view itself
/// when it already is, else a read-only copy.
#[cpython_api]
fn PyMemoryView_GetContiguous(vm: &VirtualMachine, base: *mut PyObject, buffertype: c_int, order: c_char) -> PyResult<*mut PyObject> {
    // SAFETY: an API call with C's own argument; it checks it.
    let view = unsafe { PyMemoryView_FromObject(base) };
    if view.is_null() {
        return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
    }
    let fail = |e: rustpython_vm::builtins::PyBaseExceptionRef| -> PyResult<*mut PyObject> {
        proxy::decref(view);
        Err(e)
    };
    // SAFETY: `view` is the memoryview just made.
    let info = unsafe { _PyMemoryView_GetBuffer(view) };
    if info.is_null() {
        return fail(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
    }
    // SAFETY: the buffer lives as long as the view, which `view` holds.
    let v = unsafe { &*info };
    let buffer_error = |msg: &str| vm.new_exception_msg(vm.ctx.exceptions.buffer_error.to_owned(), msg.to_owned().into());
    if buffertype == ffi::PyBUF_WRITE as c_int && v.readonly != 0 {
        return fail(buffer_error("underlying buffer is not writable"));
    }
    // SAFETY: `info` is the view's filled buffer.
    if unsafe { PyBuffer_IsContiguous(info, order) } != 0 {
        return Ok(view);
    }
    if buffertype == ffi::PyBUF_WRITE as c_int {
        return fail(buffer_error("writable contiguous buffer requested for a non-contiguous object."));
    }
    let order = if order as u8 == b'F' { b'F' } else { b'C' };
    let mut copy = vec![0u8; v.len.max(0) as usize].into_boxed_slice();
    // SAFETY: `copy` holds v.len bytes; `info` is a filled view.
    let copied = unsafe { super::pybuffer::PyBuffer_ToContiguous(copy.as_mut_ptr() as *mut _, info, v.len, order as c_char) };
    if copied < 0 {
        return fail(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
    }
    let ndim = v.ndim.max(0) as usize;
    // SAFETY: the view was filled with a shape (PyBUF_FULL_RO).
    let shape: Vec<Py_ssize_t> = if v.shape.is_null() { vec![v.len / v.itemsize.max(1)] } else { unsafe { std::slice::from_raw_parts(v.shape, ndim) }.to_vec() };
    let mut strides = vec![0; shape.len()];
    let mut step = v.itemsize;
    let dims: Vec<usize> = if order == b'F' { (0..shape.len()).collect() } else { (0..shape.len()).rev().collect() };
    for dim in dims {
        strides[dim] = step;
        step *= shape[dim];
    }
    // SAFETY: the view's format is a C string while the view lives.
    let format = if v.format.is_null() { "B".to_owned() } else { unsafe { CStr::from_ptr(v.format) }.to_string_lossy().into_owned() };
    let desc = BufferDescriptor {
        len: v.len as usize,
        offset: 0,
        readonly: true,
        itemsize: v.itemsize as usize,
        format: Cow::Owned(format),
        dim_desc: shape.iter().zip(&strides).map(|(&n, &s)| (n as usize, s, 0)).collect(),
    };
    let memory = RawMemory { start: copy.as_ptr() as usize, len: copy.len(), _owned: Some(copy), c_format: None, _export: std::sync::Mutex::new(None) };
    let result = view_over(vm, memory, desc);
    proxy::decref(view);
    Ok(into_ref(vm, result?))
}

/// `PyMemoryView_GET_BUFFER`: the view's buffer, with its shape, strides
/// and format; `obj` is the exporter (NULL for views of C memory). Kept
/// until the memoryview dies.
#[cpython_api]
fn _PyMemoryView_GetBuffer(vm: &VirtualMachine, mview: *mut PyObject) -> PyResult<*mut Py_buffer> {
    let host = to_host(vm, mview)?;
    let Some(view) = host.downcast_ref::<PyMemoryView>() else {
        return Err(bad_internal_call(vm));
    };
    // A released view has no memory left to show: C gets an empty buffer
    // (CPython's struct would point at memory already given back).
    let released = host.get_attr("ndim", vm).is_err();
    kept_view(vm, &host, |filled| {
        if released {
            return Ok(());
        }
        // The view's own share of its exporter: no export of the memoryview
        // itself, so `release()` from Python still works.
        let buffer = view.clone_buffer();
        let exporter = buffer.obj.clone();
        // C memory has no exporter object; a C type's buffer has that object.
        let exporter_proxy = match exporter.downcast_ref::<RawMemory>() {
            Some(raw) => match raw._export.lock().unwrap().as_ref() {
                Some(export) if !export.0.obj.is_null() => {
                    proxy::incref(export.0.obj);
                    export.0.obj
                }
                _ => std::ptr::null_mut(),
            },
            None => proxy::new_ref(vm, &exporter),
        };
        // SAFETY: `filled` is a zeroed Py_buffer owned by the kept view.
        let outcome = unsafe { export_into(vm, filled, exporter_proxy, buffer, BufferFlags::FULL_RO, "memoryview") };
        proxy::xdecref(exporter_proxy);
        outcome?;
        // The object's own export keeps the memory; C's view follows it.
        // SAFETY: just filled by export_into.
        unsafe { super::pybuffer::detach_export(filled) };
        Ok(())
    })
}
