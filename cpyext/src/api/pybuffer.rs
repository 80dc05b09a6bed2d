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
    /// Released (the host export ends) when this is dropped; None for a view
    /// that an object keeps of its own export (see `detach_export`).
    buffer: Option<PyBuffer>,
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
unsafe fn PyObject_CheckBuffer(vm: &VirtualMachine, obj: *mut PyObject) -> c_int {
    if has_type_flag(obj, ffi::Py_TPFLAGS_BYTES_SUBCLASS) || (!obj.is_null() && c_buffer_procs(vm, obj).is_some()) {
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
    if let Some(procs) = c_buffer_procs(vm, obj) {
        // A C exporter fills the view itself (and sets any error).
        let getbuffer = (*procs).bf_getbuffer.unwrap();
        if getbuffer(obj, view, flags) < 0 {
            return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
        }
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
    export_into(vm, view, obj, buffer, request, &host.class().name())?;
    Ok(0)
}

/// What an empty buffer's `buf` points at: zeroed memory no one writes.
#[repr(align(16))]
struct EmptyBuffer([u8; 16]);
static EMPTY_BUFFER: EmptyBuffer = EmptyBuffer([0; 16]);

/// Fills `view` from a host buffer that satisfies `request`, keeping the
/// buffer in `internal` until `PyBuffer_Release`. `obj` (may be NULL) is
/// what `view.obj` holds a new reference to. `owner_name` names the
/// exporter in the messages.
///
/// # Safety
/// `view` must point to writable memory for a `Py_buffer`.
pub(crate) unsafe fn export_into(vm: &VirtualMachine, view: *mut Py_buffer, obj: *mut PyObject, buffer: PyBuffer, request: BufferFlags, owner_name: &str) -> PyResult<()> {
    let desc = buffer.desc.clone();
    if request.is_writable() && desc.readonly {
        return Err(buffer_error(vm, "Object is not writable."));
    }
    if !request.contains(BufferFlags::STRIDES) && !desc.is_contiguous() {
        return Err(buffer_error(vm, &format!("{owner_name}: underlying buffer is not C-contiguous")));
    }
    if request.contains(BufferFlags::C_CONTIGUOUS) && !desc.is_contiguous() {
        return Err(buffer_error(vm, &format!("{owner_name}: underlying buffer is not C-contiguous")));
    }
    if request.contains(BufferFlags::F_CONTIGUOUS) && !desc.is_fortran_contiguous() {
        return Err(buffer_error(vm, &format!("{owner_name}: underlying buffer is not Fortran contiguous")));
    }
    if !request.contains(BufferFlags::INDIRECT) && desc.has_suboffsets() {
        return Err(buffer_error(vm, &format!("{owner_name}: underlying buffer requires suboffsets")));
    }
    // The exporter's memory stays put while the export is held; the guard is
    // only needed to learn where it is.
    let base = {
        let bytes = buffer.obj_bytes();
        if bytes.is_empty() {
            // An empty exporter's slice points nowhere (Rust's dangling
            // 0x1); C gets a readable address, as CPython's empty objects
            // have one (c-blosc reads a header before checking the length).
            EMPTY_BUFFER.0.as_ptr() as *mut u8
        } else {
            bytes.as_ptr() as *mut u8
        }
    };
    // The position of the first item inside the exporter's memory, also
    // for a view with no items (`memoryview(b)[k:k]` starts at k, and C
    // compares the pointer); wrapping, as such a pointer is never read.
    let start = base.wrapping_offset(desc.offset);
    let ndim = desc.ndim();
    // A view of a C exporter shows C the exporter's own format.
    let format = crate::api::memoryobject::format_of_view(vm, &buffer.obj, &desc.format).unwrap_or_else(|| desc.format.to_string());
    let mut export = Box::new(Export {
        buffer: Some(buffer),
        shape: desc.dim_desc.iter().map(|d| d.0 as Py_ssize_t).collect(),
        strides: desc.dim_desc.iter().map(|d| d.1 as Py_ssize_t).collect(),
        suboffsets: desc.dim_desc.iter().map(|d| if d.2 == 0 { -1 } else { d.2 as Py_ssize_t }).collect(),
        format: CString::new(format).unwrap_or_default(),
    });
    if !obj.is_null() {
        proxy::incref(obj);
    }
    // SAFETY: the caller passes a writable Py_buffer.
    let v = unsafe { &mut *view };
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
    let internal = Box::into_raw(export);
    live_exports().insert(internal as usize, (obj as usize, v.buf as usize));
    v.internal = internal as *mut c_void;
    Ok(())
}

/// The exports handed out and not yet released: Export address -> (the
/// exporter, the view's `buf`). C may release a view it rebuilt from
/// `obj`, `buf` and `len` alone (msgspec's `Raw` does), whose `internal`
/// is whatever its stack held; CPython releases by the exporter, so such a
/// view finds its export through these two.
fn live_exports() -> std::sync::MutexGuard<'static, std::collections::HashMap<usize, (usize, usize)>> {
    static LIVE: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<usize, (usize, usize)>>> =
        std::sync::LazyLock::new(Default::default);
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// How many of the host exports C holds keep `obj` alive: each holds a
/// reference to its exporter in the host, beside the one `view.obj`
/// counts, which `sys.getrefcount` must not report twice (CPython's view
/// holds the one reference of `view.obj`).
pub(crate) fn exports_holding(obj: &rustpython_vm::PyObject) -> usize {
    let live = live_exports();
    live.keys()
        .filter(|&&internal| {
            // SAFETY: an Export in the table is alive: release_export takes
            // it out under this lock before freeing it.
            let export = unsafe { &*(internal as *const Export) };
            export.buffer.as_ref().is_some_and(|b| rustpython_vm::AsObject::is(&b.obj, obj))
        })
        .count()
}

/// Gives up a filled view's share of the host export while keeping its
/// shape, strides and format: for a view that stands for an object's own
/// (a memoryview's), whose memory lives as long as that object's export.
///
/// # Safety
/// `view` must have been filled by `export_into`.
pub(crate) unsafe fn detach_export(view: *mut Py_buffer) {
    // SAFETY: export_into stores an Export in `internal`.
    unsafe {
        let internal = (*view).internal as *mut Export;
        if !internal.is_null() && live_exports().contains_key(&(internal as usize)) {
            (*internal).buffer = None;
        }
    }
}

/// Ends a host export (the exporter's `bf_releasebuffer`); the object's
/// reference is the caller's business.
pub(crate) unsafe fn release_export(view: *mut Py_buffer) {
    // SAFETY: the caller passes a view; only addresses registered by
    // `export_into` (and not yet released) are turned back into Exports.
    unsafe {
        let internal = (*view).internal as usize;
        (*view).internal = std::ptr::null_mut();
        let export = {
            let mut live = live_exports();
            if live.remove(&internal).is_some() {
                Some(internal)
            } else {
                // A rebuilt view: the export of the same exporter and buffer.
                let key = ((*view).obj as usize, (*view).buf as usize);
                let found = live.iter().find(|(_, v)| **v == key).map(|(k, _)| *k);
                found.inspect(|k| {
                    live.remove(k);
                })
            }
        };
        if let Some(export) = export {
            drop(Box::from_raw(export as *mut Export));
        }
    }
}

/// `bf_releasebuffer` of the type objects of host exporters.
pub(crate) unsafe extern "C" fn host_releasebuffer(_obj: *mut PyObject, view: *mut Py_buffer) {
    unsafe { release_export(view) }
}

/// The buffer slots of `obj`'s type when they are a C exporter's own (a
/// C type, or the nearest C base of a Python subclass of one), not the
/// layer's entry points for host exporters.
///
/// # Safety
/// `obj` must be a live object.
pub(crate) unsafe fn c_buffer_procs(vm: &VirtualMachine, obj: *mut PyObject) -> Option<*mut ffi::PyBufferProcs> {
    // SAFETY: a live object has a type object.
    let own = unsafe { (*(*obj).ob_type).tp_as_buffer };
    if exports_of_its_own(own) {
        return Some(own);
    }
    // A Python subclass of a C type: its type object has no slots of its
    // own (or the layer's entry point, as its host class exports a buffer
    // through the C base); the C base's serve it, as CPython's inheritance
    // would.
    let cls = to_host(vm, obj).ok()?.class().to_owned();
    let c_type = crate::ctype::c_type_of(&cls)?;
    // SAFETY: a readied C type object lives for the process.
    let procs = unsafe { (*c_type).tp_as_buffer };
    exports_of_its_own(procs).then_some(procs)
}

/// Whether `procs` (may be NULL) has a `bf_getbuffer` of C's own, not the
/// layer's entry point that serves host exporters.
fn exports_of_its_own(procs: *mut ffi::PyBufferProcs) -> bool {
    let ours = PyObject_GetBuffer as *const () as usize;
    // SAFETY: a non-null tp_as_buffer points at a live table (I7).
    !procs.is_null() && unsafe { (*procs).bf_getbuffer }.is_some_and(|f| f as *const () as usize != ours)
}

/// The buffer procs of the first C type along `obj`'s MRO that exports a
/// buffer of its own: what CPython's slot inheritance gives a class whose
/// best base is a builtin (`class S(str, np.generic)`), whose host class
/// took the C base's buffer slot from its MRO.
///
/// # Safety
/// `obj` must be a live object, under the GIL.
pub(crate) unsafe fn c_buffer_procs_along_mro(vm: &VirtualMachine, obj: *mut PyObject) -> Option<*mut ffi::PyBufferProcs> {
    // SAFETY: the caller's contract.
    if let Some(procs) = unsafe { c_buffer_procs(vm, obj) } {
        return Some(procs);
    }
    let cls = to_host(vm, obj).ok()?.class().to_owned();
    let mro = cls.mro_collect();
    mro.iter().filter(|c| crate::ctype::is_own_c_type(c)).find_map(|c| {
        let tp = crate::ctype::c_type_of(c)?;
        // SAFETY: a readied C type object and its tables live for the process.
        let procs = unsafe { (*tp).tp_as_buffer };
        exports_of_its_own(procs).then_some(procs)
    })
}

/// Ends a buffer: the C exporter's bf_releasebuffer, or the end of a host
/// export, then the reference to the exporter goes. A view without an
/// exporter (`obj` NULL) is left alone, as in CPython.
#[cpython_api]
fn PyBuffer_Release(vm: &VirtualMachine, view: *mut Py_buffer) {
    if view.is_null() {
        return;
    }
    // SAFETY: the caller passes a filled (or released) view.
    let obj = unsafe { (*view).obj };
    if obj.is_null() {
        return;
    }
    // SAFETY: a view holds a reference to its live exporter.
    match unsafe { c_buffer_procs(vm, obj) } {
        Some(procs) => {
            // SAFETY: the exporter's own slot, with the view it filled.
            if let Some(release) = unsafe { (*procs).bf_releasebuffer } {
                unsafe { release(obj, view) };
            }
        }
        None => unsafe { release_export(view) },
    }
    // SAFETY: as above; the view's reference is given up once.
    unsafe { (*view).obj = std::ptr::null_mut() };
    proxy::decref(obj);
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

/// # Safety
/// `view` must be a filled Py_buffer.
#[cpython_api]
unsafe fn PyBuffer_IsContiguous(view: *const Py_buffer, order: c_char) -> c_int {
    // SAFETY: the caller passes a filled view, whose shape and strides
    // (when present) hold ndim values.
    unsafe {
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
}

/// The strides of a view, C-contiguous ones when it has none.
///
/// # Safety
/// `v.shape` (or, without it, `v.len`) must describe the view.
unsafe fn strides_of(v: &Py_buffer) -> Vec<Py_ssize_t> {
    let ndim = v.ndim.max(0) as usize;
    if !v.strides.is_null() {
        // SAFETY: a view with strides has ndim of them.
        return unsafe { std::slice::from_raw_parts(v.strides, ndim) }.to_vec();
    }
    let shape = unsafe { shape_of(v) };
    let mut strides = vec![0; ndim];
    fill_strides(&shape, &mut strides, v.itemsize, b'C');
    strides
}

/// The shape of a view (one dimension of len/itemsize when it has none).
///
/// # Safety
/// `v.shape`, when not NULL, must hold `v.ndim` extents.
unsafe fn shape_of(v: &Py_buffer) -> Vec<Py_ssize_t> {
    let ndim = v.ndim.max(0) as usize;
    if v.shape.is_null() {
        return if ndim == 0 { Vec::new() } else { vec![if v.itemsize > 0 { v.len / v.itemsize } else { 0 }] };
    }
    // SAFETY: a view with a shape has ndim extents.
    unsafe { std::slice::from_raw_parts(v.shape, ndim) }.to_vec()
}

fn fill_strides(shape: &[Py_ssize_t], strides: &mut [Py_ssize_t], itemsize: Py_ssize_t, order: u8) {
    let mut step = itemsize;
    if order == b'F' {
        for (stride, extent) in strides.iter_mut().zip(shape) {
            *stride = step;
            step *= *extent;
        }
    } else {
        for (stride, extent) in strides.iter_mut().zip(shape).rev() {
            *stride = step;
            step *= *extent;
        }
    }
}

/// The address of the item at `indices`, following suboffsets.
///
/// # Safety
/// `v` must describe live memory and `indices` must be in range.
unsafe fn item_pointer(v: &Py_buffer, strides: &[Py_ssize_t], indices: &[Py_ssize_t]) -> *mut u8 {
    let mut pointer = v.buf as *mut u8;
    for (dim, (&stride, &index)) in strides.iter().zip(indices).enumerate() {
        // SAFETY: in range by the caller's contract; a suboffset >= 0 means
        // the dimension holds pointers to follow.
        unsafe {
            pointer = pointer.offset(stride * index);
            if !v.suboffsets.is_null() && *v.suboffsets.add(dim) >= 0 {
                pointer = (*(pointer as *mut *mut u8)).offset(*v.suboffsets.add(dim));
            }
        }
    }
    pointer
}

/// Steps `indices` to the next item in C order (last index fastest) or
/// Fortran order (first index fastest).
fn next_index(indices: &mut [Py_ssize_t], shape: &[Py_ssize_t], fortran: bool) {
    let dims: Box<dyn Iterator<Item = usize>> = if fortran { Box::new(0..indices.len()) } else { Box::new((0..indices.len()).rev()) };
    for dim in dims {
        if indices[dim] < shape[dim] - 1 {
            indices[dim] += 1;
            return;
        }
        indices[dim] = 0;
    }
}

/// # Safety
/// `view` must be a filled Py_buffer and `indices` hold `view.ndim` values.
#[cpython_api]
unsafe fn PyBuffer_GetPointer(view: *const Py_buffer, indices: *const Py_ssize_t) -> *mut c_void {
    // SAFETY: the caller passes a filled view and ndim indices.
    unsafe {
        let v = &*view;
        let strides = strides_of(v);
        let indices = if v.ndim > 0 { std::slice::from_raw_parts(indices, v.ndim as usize) } else { &[] };
        item_pointer(v, &strides, indices) as *mut c_void
    }
}

/// # Safety
/// `shape` and `strides` must hold `ndims` values.
#[cpython_api]
unsafe fn PyBuffer_FillContiguousStrides(ndims: c_int, shape: *mut Py_ssize_t, strides: *mut Py_ssize_t, itemsize: c_int, order: c_char) {
    if ndims <= 0 {
        return;
    }
    // SAFETY: the caller passes ndims extents and room for ndims strides.
    let (shape, strides) = unsafe {
        (std::slice::from_raw_parts(shape, ndims as usize), std::slice::from_raw_parts_mut(strides, ndims as usize))
    };
    fill_strides(shape, strides, itemsize as Py_ssize_t, order as u8);
}

/// `struct.calcsize(format)`.
#[cpython_api]
fn PyBuffer_SizeFromFormat(vm: &VirtualMachine, format: *const c_char) -> PyResult<Py_ssize_t> {
    let format = super::c_str_arg(vm, format)?;
    let calcsize = crate::types::import_for_layer(vm, "struct")?.get_attr("calcsize", vm)?;
    let size = calcsize.call((vm.ctx.new_str(format),), vm)?;
    let size = size.try_index(vm)?;
    num_traits::ToPrimitive::to_isize(size.as_bigint()).ok_or_else(|| vm.new_overflow_error("size too large".to_owned()))
}

/// Copies the items of `v` one by one, in C or Fortran order, to or from
/// the contiguous block `block` (`count` items).
///
/// # Safety
/// `v` must describe live memory and `block` hold `count` items.
unsafe fn copy_items(v: &Py_buffer, block: *mut u8, count: Py_ssize_t, fortran: bool, into_view: bool) {
    // SAFETY: the caller's contract covers the view and the block.
    unsafe {
        let shape = shape_of(v);
        let strides = strides_of(v);
        let mut indices = vec![0; shape.len()];
        let itemsize = v.itemsize as usize;
        for i in 0..count.max(0) as usize {
            let item = item_pointer(v, &strides, &indices);
            let at = block.add(i * itemsize);
            if into_view {
                std::ptr::copy(at, item, itemsize);
            } else {
                std::ptr::copy(item, at, itemsize);
            }
            next_index(&mut indices, &shape, fortran);
        }
    }
}

/// # Safety
/// `buf` must have room for `len` bytes and `src` be a filled view.
#[cpython_api]
unsafe fn PyBuffer_ToContiguous(vm: &VirtualMachine, buf: *mut c_void, src: *const Py_buffer, len: Py_ssize_t, order: c_char) -> PyResult<c_int> {
    // SAFETY: the caller passes a filled view.
    let v = unsafe { &*src };
    if len != v.len {
        return Err(vm.new_value_error("PyBuffer_ToContiguous: len != view->len".to_owned()));
    }
    // SAFETY: `src` is a filled view.
    if unsafe { PyBuffer_IsContiguous(src, order) } != 0 {
        // SAFETY: both blocks hold len bytes.
        unsafe { std::ptr::copy(v.buf as *const u8, buf as *mut u8, len as usize) };
        return Ok(0);
    }
    if v.itemsize > 0 {
        // SAFETY: buf holds len bytes, that is len/itemsize items.
        unsafe { copy_items(v, buf as *mut u8, len / v.itemsize, order as u8 == b'F', false) };
    }
    Ok(0)
}

/// Copies at most `view.len` bytes of `buf` into the view's items, in
/// order `order`.
///
/// # Safety
/// `buf` must hold `len` bytes and `view` be a filled, writable view.
#[cpython_api]
unsafe fn PyBuffer_FromContiguous(view: *const Py_buffer, buf: *const c_void, len: Py_ssize_t, order: c_char) -> c_int {
    // SAFETY: the caller passes a filled view.
    let v = unsafe { &*view };
    let len = len.min(v.len).max(0);
    // SAFETY: `view` is a filled view.
    if unsafe { PyBuffer_IsContiguous(view, order) } != 0 {
        // SAFETY: both blocks hold at least len bytes.
        unsafe { std::ptr::copy(buf as *const u8, v.buf as *mut u8, len as usize) };
        return 0;
    }
    if v.itemsize > 0 {
        // SAFETY: buf holds len bytes, that is len/itemsize items.
        unsafe { copy_items(v, buf as *mut u8, len / v.itemsize, order as u8 == b'F', true) };
    }
    0
}

/// Copies the items of `src`'s buffer into `dest`'s.
#[cpython_api]
fn PyObject_CopyData(vm: &VirtualMachine, dest: *mut PyObject, src: *mut PyObject) -> PyResult<c_int> {
    // SAFETY (the API calls below): C's own object arguments, and views
    // on this stack frame that are filled before they are read or released.
    if unsafe { PyObject_CheckBuffer(dest) == 0 || PyObject_CheckBuffer(src) == 0 } {
        return Err(vm.new_type_error("both destination and source must be bytes-like objects".to_owned()));
    }
    // SAFETY: zeroed Py_buffers are valid empty ones.
    let mut dest_view: Py_buffer = unsafe { std::mem::zeroed() };
    let mut src_view: Py_buffer = unsafe { std::mem::zeroed() };
    if unsafe { PyObject_GetBuffer(dest, &mut dest_view, ffi::PyBUF_FULL as c_int) } < 0 {
        return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
    }
    if unsafe { PyObject_GetBuffer(src, &mut src_view, ffi::PyBUF_FULL_RO as c_int) } < 0 {
        unsafe { PyBuffer_Release(&mut dest_view) };
        return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm)));
    }
    let outcome = if dest_view.len < src_view.len {
        Err(buffer_error(vm, "destination is too small to receive data from source"))
    } else {
        let contiguous = |order: u8| unsafe {
            PyBuffer_IsContiguous(&dest_view, order as c_char) != 0 && PyBuffer_IsContiguous(&src_view, order as c_char) != 0
        };
        let (both_c, both_f) = (contiguous(b'C'), contiguous(b'F'));
        if both_c || both_f {
            // SAFETY: dest holds at least src.len bytes.
            unsafe { std::ptr::copy(src_view.buf as *const u8, dest_view.buf as *mut u8, src_view.len as usize) };
        } else {
            // Item by item, in C order, through the same indices on both.
            // SAFETY: both views are live and share the shape of src.
            unsafe {
                let shape = shape_of(&src_view);
                let (src_strides, dest_strides) = (strides_of(&src_view), strides_of(&dest_view));
                let count: Py_ssize_t = shape.iter().product();
                let mut indices = vec![0; shape.len()];
                for _ in 0..count {
                    let from = item_pointer(&src_view, &src_strides, &indices);
                    let to = item_pointer(&dest_view, &dest_strides, &indices);
                    std::ptr::copy(from, to, src_view.itemsize as usize);
                    next_index(&mut indices, &shape, false);
                }
            }
        }
        Ok(0)
    };
    unsafe {
        PyBuffer_Release(&mut dest_view);
        PyBuffer_Release(&mut src_view);
    }
    outcome
}

/// A `Py_buffer` that the layer keeps for an object as long as the object
/// lives (the one `PyMemoryView_GET_BUFFER` and `PyPickleBuffer_GetBuffer`
/// show). A weak reference drops it when the object dies.
struct KeptView {
    view: Box<Py_buffer>,
    watch: crate::death_watch::WatchKey,
}
// Its raw pointers are only used while holding the GIL.
unsafe impl Send for KeptView {}

static KEPT_VIEWS: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<usize, KeptView>>> =
    std::sync::LazyLock::new(Default::default);

/// The watches of kept views' objects: the object's host address (the key
/// of `KEPT_VIEWS`).
static KEPT_VIEW_OWNERS: crate::death_watch::DeathWatches<usize> =
    crate::death_watch::DeathWatches::new("_cpyext_kept_view_owner_died", kept_view_owner_died);

fn kept_view_owner_died(_watch: crate::death_watch::WatchKey, key: usize, vm: &VirtualMachine) {
    forget_kept_view(vm, key);
}

/// The kept view of `host`, filled by `fill` the first time. `host` must
/// accept weak references.
pub(crate) fn kept_view(
    vm: &VirtualMachine,
    host: &rustpython_vm::PyObjectRef,
    fill: impl FnOnce(*mut Py_buffer) -> PyResult<()>,
) -> PyResult<*mut Py_buffer> {
    let key = proxy::host_addr(host);
    if let Some(entry) = KEPT_VIEWS.lock().unwrap().get_mut(&key) {
        return Ok(&mut *entry.view as *mut Py_buffer);
    }
    // SAFETY: a zeroed Py_buffer is a valid empty one.
    let mut view: Box<Py_buffer> = Box::new(unsafe { std::mem::zeroed() });
    fill(&mut *view)?;
    let watch = match KEPT_VIEW_OWNERS.watch(vm, host, key) {
        Ok(w) => w,
        Err(e) => {
            // SAFETY: the view was just filled.
            unsafe { drop_kept(&mut *view) };
            return Err(e);
        }
    };
    let pointer = &mut *view as *mut Py_buffer;
    KEPT_VIEWS.lock().unwrap().insert(key, KeptView { view, watch });
    Ok(pointer)
}

/// Ends a kept view: its host export (if any), then its reference to the
/// exporter object. The object's own bf_releasebuffer is not called: the
/// view stands for an export the object made to the host, already counted
/// there.
///
/// # Safety
/// `view` must have been filled by `export_into`.
unsafe fn drop_kept(view: *mut Py_buffer) {
    // SAFETY: forwarded from the caller.
    unsafe {
        release_export(view);
        let obj = std::mem::replace(&mut (*view).obj, std::ptr::null_mut());
        proxy::xdecref(obj);
    }
}

/// Releases the kept view of the object at host address `key`, if any.
pub(crate) fn forget_kept_view(vm: &VirtualMachine, key: usize) {
    let entry = KEPT_VIEWS.lock().unwrap().remove(&key);
    if let Some(mut entry) = entry {
        KEPT_VIEW_OWNERS.cancel(entry.watch);
        let _gil = crate::gil::GilGuard::acquire(vm);
        // SAFETY: the kept view is a filled one, released once here; a view
        // of C memory has no exporter object, so its export ends directly.
        unsafe { drop_kept(&mut *entry.view) };
    }
}
