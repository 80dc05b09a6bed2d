//! tupleobject.h. These work on the proxy's inline item array, so they also
//! serve tuples made in C that have not crossed into Python yet.
use super::{bad_internal_call, has_type_flag};
use crate::ffi::{self, PyObject, Py_ssize_t};
use crate::proxy;
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::c_int;

fn as_tuple(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<*mut ffi::PyTupleObject> {
    if has_type_flag(p, ffi::Py_TPFLAGS_TUPLE_SUBCLASS) {
        Ok(p as *mut ffi::PyTupleObject)
    } else {
        Err(bad_internal_call(vm))
    }
}

unsafe fn items(t: *mut ffi::PyTupleObject) -> *mut *mut PyObject {
    unsafe { (*t).ob_item.as_mut_ptr() }
}

/// The items of an exact tuple as C sees them, read from its struct as
/// `PyTuple_GET_ITEM` does. Reads through the host (`to_host`) compare
/// every item with the host tuple's, in case C refilled a tuple it alone
/// holds, so a walk by `PySequence_GetItem` was quadratic (msgpack's
/// packing of a 65,536-item tuple took 25 s). None for anything but a
/// registered proxy of exact type tuple.
///
/// # Safety
/// `o` must be NULL or an object (I8). The slice is valid until C changes
/// the tuple.
pub(crate) unsafe fn exact_tuple_items<'a>(o: *mut PyObject) -> Option<&'a [*mut PyObject]> {
    // SAFETY: the caller's contract: an object's header is readable.
    if o.is_null() || unsafe { (*o).ob_type } != &raw mut crate::types::PyTuple_Type {
        return None;
    }
    let h = proxy::header(o)?;
    // SAFETY: a registered proxy's header, read under the GIL (I1, I2).
    if unsafe { h.as_ref().layout } != proxy::Layout::Tuple {
        return None;
    }
    let t = o as *mut ffi::PyTupleObject;
    // SAFETY: a tuple proxy's struct holds `ob_size` item slots inline.
    unsafe { Some(std::slice::from_raw_parts(items(t), (*t).ob_base.ob_size.max(0) as usize)) }
}

/// A new reference to the empty tuple, which CPython shares (every
/// `PyTuple_New(0)` and the arguments of a call with none): C that returns
/// its borrowed `args` unchanged, or compares empty tuples by address,
/// relies on it. Its proxy is immortal (`proxy::is_cached_singleton`).
pub(crate) fn empty_tuple(vm: &VirtualMachine) -> *mut PyObject {
    proxy::new_ref(vm, &vm.ctx.empty_tuple.clone().into())
}

pub(crate) fn new_tuple(size: usize) -> *mut PyObject {
    new_tuple_of_type(size, &raw mut crate::types::PyTuple_Type)
}

/// A tuple of `size` NULL items that C fills, of type `tp` (tuple itself, a
/// struct sequence, a Python tuple subclass): its host object is made from
/// the items when it first reaches Python.
pub(crate) fn new_tuple_of_type(size: usize, tp: *mut ffi::PyTypeObject) -> *mut PyObject {
    sized_tuple(proxy::new_pending(proxy::Layout::Tuple, proxy::tuple_size(size), tp), size)
}

/// `p`, a fresh tuple proxy with room for `size` items, with its size set.
fn sized_tuple(p: *mut PyObject, size: usize) -> *mut PyObject {
    // SAFETY: the caller passes a fresh tuple proxy with room for `size` items.
    unsafe { (*(p as *mut ffi::PyTupleObject)).ob_base.ob_size = size as Py_ssize_t };
    p
}

#[cpython_api]
fn PyTuple_New(vm: &VirtualMachine, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(bad_internal_call(vm));
    }
    if size == 0 {
        return Ok(empty_tuple(vm));
    }
    // A size C chose may be absurd: a MemoryError, as in CPython.
    let bytes = (size as usize).checked_mul(size_of::<*mut PyObject>()).filter(|&b| b < isize::MAX as usize / 2);
    bytes
        .and_then(|_| proxy::try_new_pending(proxy::Layout::Tuple, proxy::tuple_size(size as usize), &raw mut crate::types::PyTuple_Type))
        .map(|p| sized_tuple(p, size as usize))
        .ok_or_else(|| crate::error_indicator::no_memory(vm))
}

/// Also without the GIL (see `read_maybe_without_gil`).
#[cpython_api(no_gil)]
unsafe fn PyTuple_Size(p: *mut PyObject) -> PyResult<Py_ssize_t> {
    super::read_maybe_without_gil(
        // SAFETY: as_tuple checked the layout.
        |vm| Ok(unsafe { (*as_tuple(vm, p)?).ob_base.ob_size }),
        // SAFETY: C passes a tuple it holds (I8): its size is in place.
        || unsafe { (*(p as *mut ffi::PyVarObject)).ob_size },
    )
}

/// A borrowed reference that lives as long as the tuple.
#[cpython_api]
unsafe fn PyTuple_GetItem(vm: &VirtualMachine, p: *mut PyObject, pos: Py_ssize_t) -> PyResult<*mut PyObject> {
    let t = as_tuple(vm, p)?;
    if pos < 0 || pos >= (*t).ob_base.ob_size {
        return Err(vm.new_index_error("tuple index out of range".to_owned()));
    }
    Ok(*items(t).add(pos as usize))
}

/// Steals `o`, also when it fails; only for a tuple nobody else holds yet.
#[cpython_api]
unsafe fn PyTuple_SetItem(vm: &VirtualMachine, p: *mut PyObject, pos: Py_ssize_t, o: *mut PyObject) -> PyResult<c_int> {
    let t = match as_tuple(vm, p) {
        Ok(t) if (*p).ob_refcnt == 1 => t,
        _ => {
            proxy::xdecref(o);
            return Err(bad_internal_call(vm));
        }
    };
    if pos < 0 || pos >= (*t).ob_base.ob_size {
        proxy::xdecref(o);
        return Err(vm.new_index_error("tuple assignment index out of range".to_owned()));
    }
    let slot = items(t).add(pos as usize);
    let old = std::mem::replace(&mut *slot, o);
    proxy::xdecref(old);
    Ok(0)
}

#[cpython_api]
unsafe fn PyTuple_GetSlice(vm: &VirtualMachine, p: *mut PyObject, low: Py_ssize_t, high: Py_ssize_t) -> PyResult<*mut PyObject> {
    let t = as_tuple(vm, p)?;
    let n = (*t).ob_base.ob_size;
    let low = low.clamp(0, n);
    let high = high.clamp(low, n);
    if low == 0 && high == n && (*p).ob_type == &raw mut crate::types::PyTuple_Type {
        proxy::incref(p);
        return Ok(p);
    }
    if low == high {
        return Ok(empty_tuple(vm));
    }
    let slice = new_tuple((high - low) as usize);
    let dst = items(slice as *mut ffi::PyTupleObject);
    for i in low..high {
        let item = *items(t).add(i as usize);
        proxy::incref(item);
        *dst.add((i - low) as usize) = item;
    }
    Ok(slice)
}

/// Resizes a tuple that only C's one reference holds (count 1, as CPython
/// demands), or the shared empty tuple: a new tuple with the items that fit replaces `*p` (the old
/// proxy's host, if Python made one, keeps its own items), and the
/// items that do not are released. On failure `*p` is released and set to
/// NULL, as in CPython.
///
/// # Safety
/// `p` must point to a tuple pointer C owns.
#[cpython_api]
unsafe fn _PyTuple_Resize(vm: &VirtualMachine, p: *mut *mut PyObject, newsize: Py_ssize_t) -> PyResult<c_int> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller passes a pointer to its tuple pointer.
    let old = unsafe { *p };
    let is_tuple = !old.is_null() && has_type_flag(old, ffi::Py_TPFLAGS_TUPLE_SUBCLASS);
    // SAFETY: a non-NULL tuple pointer is a live object with its size in place.
    let old_size = if is_tuple { unsafe { (*(old as *mut ffi::PyVarObject)).ob_size } } else { 0 };
    // The shared empty tuple may be resized too: it is replaced, as in CPython.
    // SAFETY: as above.
    let fresh = is_tuple && (old_size == 0 || unsafe { (*old).ob_refcnt } == 1);
    if !fresh || newsize < 0 {
        proxy::xdecref(old);
        // SAFETY: as above.
        unsafe { *p = std::ptr::null_mut() };
        return Err(bad_internal_call(vm));
    }
    if old_size == newsize {
        return Ok(0);
    }
    if old_size == 0 || newsize == 0 {
        proxy::decref(old);
        let new = if newsize == 0 { empty_tuple(vm) } else { new_tuple(newsize as usize) };
        // SAFETY: as above.
        unsafe { *p = new };
        return Ok(0);
    }
    let new = new_tuple(newsize as usize);
    // SAFETY: both are tuple proxies with ob_size items each; the items are
    // moved (the old slots cleared) so releasing the old tuple does not
    // release them.
    unsafe {
        let (from, to) = (old as *mut ffi::PyTupleObject, new as *mut ffi::PyTupleObject);
        let old_size = (*from).ob_base.ob_size;
        for i in 0..old_size {
            let slot = items(from).add(i as usize);
            let item = std::mem::replace(&mut *slot, std::ptr::null_mut());
            if i < newsize {
                *items(to).add(i as usize) = item;
            } else {
                proxy::xdecref(item);
            }
        }
        proxy::decref(old);
        *p = new;
    }
    Ok(0)
}

/// Nothing to do: the host collector decides what it tracks.
#[cpython_api]
fn _PyTuple_MaybeUntrack(_op: *mut PyObject) {}

/// Statistics of the tuple free lists: the layer keeps none, so there is
/// nothing to write.
#[cpython_api(no_gil)]
fn _PyTuple_DebugMallocStats(_out: *mut libc::FILE) {}
