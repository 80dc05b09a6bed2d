//! array.array as C sees it: CPython 3.11's `arrayobject` (Modules/arraymodule.c
//! has no public header, but Cython's `cpython/array.pxd` compiles against
//! that struct: it checks the type's size, reads `ob_item`, `Py_SIZE` and
//! `ob_descr`, makes arrays with `tp_alloc`, and resizes `ob_item` with
//! `PyMem_Resize`).
//!
//! A proxy of a host array points `ob_item` at the host's own storage, as a
//! bytearray proxy does, so C reads and writes the array Python sees. What C
//! changes in the struct itself is carried over to the host before Python
//! uses the array again (`sync_from_c`, on the way out of C):
//! - `PyMem_Resize` of the storage resizes the host array (see
//!   `resize_host_storage`, called by `PyMem_Realloc`);
//! - storage C put in place (an empty array's NULL grown with
//!   `PyMem_Resize`, or `PyMem_New` after `tp_alloc`) is copied into the
//!   host array and freed; `ob_item` then points at the host's storage.
//! An array C makes with `tp_alloc` has no host until it reaches Python.
use crate::ffi::{self, PyObject, Py_ssize_t};
use crate::proxy;
use dashmap::DashMap;
use rustpython_vm::builtins::PyType;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_void};
use std::sync::LazyLock;

/// CPython 3.11's `struct arraydescr`: what an array's items are.
#[repr(C)]
pub(crate) struct ArrayDescr {
    typecode: c_char,
    itemsize: c_int,
    getitem: Option<unsafe extern "C" fn(*mut PyObject, Py_ssize_t) -> *mut PyObject>,
    setitem: Option<unsafe extern "C" fn(*mut PyObject, Py_ssize_t, *mut PyObject) -> c_int>,
    compareitems: Option<unsafe extern "C" fn(*const c_void, *const c_void, Py_ssize_t) -> c_int>,
    formats: *const c_char,
    is_integer_type: c_int,
    is_signed: c_int,
}

/// CPython 3.11's `arrayobject`.
#[repr(C)]
pub(crate) struct ArrayObject {
    ob_base: ffi::PyVarObject,
    ob_item: *mut c_char,
    allocated: Py_ssize_t,
    ob_descr: *const ArrayDescr,
    weakreflist: *mut PyObject,
    ob_exports: Py_ssize_t,
}

/// `tp_basicsize` of array.array, which Cython checks.
pub(crate) const ARRAY_OBJECT_SIZE: usize = size_of::<ArrayObject>();

/// Item `i` as an object (`array[i]`).
unsafe extern "C" fn get_item(array: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: C passes an array and an index, the contract of PySequence_GetItem.
    unsafe { super::r#abstract::PySequence_GetItem(array, i) }
}

/// Stores `value` as item `i`; a negative index only checks the value, as
/// CPython's setitem functions do.
unsafe extern "C" fn set_item(array: *mut PyObject, i: Py_ssize_t, value: *mut PyObject) -> c_int {
    if i < 0 {
        return 0;
    }
    // SAFETY: C passes an array, an index and a value, the contract of PySequence_SetItem.
    unsafe { super::r#abstract::PySequence_SetItem(array, i, value) }
}

struct Descriptors([ArrayDescr; 13]);
// SAFETY: immutable data; the pointers are to static C strings.
unsafe impl Sync for Descriptors {}

const fn descr(typecode: u8, itemsize: c_int, formats: &'static std::ffi::CStr, integer: bool, signed: bool) -> ArrayDescr {
    ArrayDescr {
        typecode: typecode as c_char,
        itemsize,
        getitem: Some(get_item),
        setitem: Some(set_item),
        compareitems: None,
        formats: formats.as_ptr(),
        is_integer_type: integer as c_int,
        is_signed: signed as c_int,
    }
}

/// One descriptor per typecode, as CPython's `descriptors` table.
static DESCRIPTORS: Descriptors = Descriptors([
    descr(b'b', 1, c"b", true, true),
    descr(b'B', 1, c"B", true, false),
    descr(b'u', size_of::<libc::wchar_t>() as c_int, c"w", false, false),
    descr(b'h', 2, c"h", true, true),
    descr(b'H', 2, c"H", true, false),
    descr(b'i', 4, c"i", true, true),
    descr(b'I', 4, c"I", true, false),
    descr(b'l', 8, c"l", true, true),
    descr(b'L', 8, c"L", true, false),
    descr(b'q', 8, c"q", true, true),
    descr(b'Q', 8, c"Q", true, false),
    descr(b'f', 4, c"f", false, false),
    descr(b'd', 8, c"d", false, false),
]);

fn descriptor(typecode: char) -> *const ArrayDescr {
    DESCRIPTORS.0.iter().find(|d| d.typecode as u8 as char == typecode).map_or(std::ptr::null(), |d| d as *const _)
}

/// array.array, once the array module has been imported (an array cannot
/// exist before): the host's static type, so asking costs no lookup.
fn array_class() -> Option<&'static Py<PyType>> {
    use rustpython_vm::class::StaticType;
    rustpython_stdlib::array::array::PyArray::static_cell().get().map(|t| &**t)
}

pub(crate) fn is_array_class(cls: &Py<PyType>) -> bool {
    array_class().is_some_and(|array| cls.fast_issubclass(array))
}

/// An array or an instance of a subclass: the payload says so.
fn is_array(obj: &PyObjectRef) -> bool {
    obj.downcast_ref::<rustpython_stdlib::array::array::PyArray>().is_some()
}

/// Where each array proxy's struct points, as the layer last wrote it:
/// proxy -> (storage address, item count).
/// Keyed by proxy address: the cheap address hash, since every plain proxy
/// with a struct handed to C (a Python function's) is looked up here.
static STRUCTS: LazyLock<proxy::AddressMap<(usize, Py_ssize_t)>> = LazyLock::new(proxy::AddressMap::default);
/// Host storage handed to C -> the proxy whose `ob_item` it is.
static STORAGE_OWNERS: LazyLock<DashMap<usize, usize>> = LazyLock::new(DashMap::new);

/// The host array's storage address, item count, typecode and item size.
fn host_storage(vm: &VirtualMachine, array: &PyObjectRef) -> PyResult<(usize, Py_ssize_t, char, usize)> {
    let info = vm.call_method(array, "buffer_info", ())?;
    let address: usize = info.get_item(&0, vm)?.try_into_value(vm)?;
    let len: Py_ssize_t = info.get_item(&1, vm)?.try_into_value(vm)?;
    let typecode: String = array.get_attr("typecode", vm)?.try_into_value(vm)?;
    let itemsize: usize = array.get_attr("itemsize", vm)?.try_into_value(vm)?;
    Ok((address, len, typecode.chars().next().unwrap_or('B'), itemsize))
}

/// Points the struct of `proxy` at the host array's storage.
fn write_struct(vm: &VirtualMachine, proxy: *mut PyObject, array: &PyObjectRef) -> PyResult<()> {
    let (address, len, typecode, _) = host_storage(vm, array)?;
    let address = if len == 0 { 0 } else { address };
    let s = proxy as *mut ArrayObject;
    // SAFETY: an array proxy of ARRAY_OBJECT_SIZE bytes, written under the GIL (I1).
    unsafe {
        (*s).ob_base.ob_size = len;
        (*s).ob_item = address as *mut c_char;
        (*s).allocated = len;
        (*s).ob_descr = descriptor(typecode);
    }
    if let Some((old, _)) = STRUCTS.insert(proxy as usize, (address, len)) {
        if old != address {
            STORAGE_OWNERS.remove_if(&old, |_, owner| *owner == proxy as usize);
        }
    }
    if address != 0 {
        STORAGE_OWNERS.insert(address, proxy as usize);
    }
    Ok(())
}

/// `ProxyBody::size` for arrays.
pub(crate) fn proxy_struct_size(_vm: &VirtualMachine, obj: &PyObjectRef) -> Option<usize> {
    is_array(obj).then_some(ARRAY_OBJECT_SIZE)
}

/// `ProxyBody::fill` for arrays.
pub(crate) fn fill_proxy_struct(vm: &VirtualMachine, obj: &PyObjectRef, proxy: *mut PyObject) {
    if is_array(obj) {
        if let Err(e) = write_struct(vm, proxy, obj) {
            vm.run_unraisable(e, Some("cpyext: reading an array's storage".to_owned()), obj.clone());
        }
    }
}

/// `del array[len:]`.
fn truncate(vm: &VirtualMachine, array: &PyObjectRef, len: Py_ssize_t) -> PyResult<()> {
    let tail = vm.builtins.get_attr("slice", vm)?.call((len, vm.ctx.none()), vm)?;
    vm.call_method(array, "__delitem__", (tail,))?;
    Ok(())
}

/// Sets the host array's contents to `bytes`.
fn replace_contents(vm: &VirtualMachine, array: &PyObjectRef, bytes: Vec<u8>) -> PyResult<()> {
    truncate(vm, array, 0)?;
    vm.call_method(array, "frombytes", (vm.ctx.new_bytes(bytes),))?;
    Ok(())
}

/// Carries over to the host array what C changed in the struct of its proxy
/// (storage of its own, or a new size), then points the struct at the
/// host's storage again. Nothing to do when C changed neither.
pub(crate) fn sync_from_c(vm: &VirtualMachine, proxy: *mut PyObject, array: &PyObjectRef) -> PyResult<()> {
    // Other plain proxies with a struct (dicts, on every PyDict_Next) pass
    // here too: a type check is far cheaper than the lookup.
    if !is_array(array) {
        return Ok(());
    }
    let Some((last_address, last_len)) = STRUCTS.get(&(proxy as usize)).map(|e| *e) else { return Ok(()) };
    let s = proxy as *mut ArrayObject;
    // SAFETY: an array proxy (it is in STRUCTS), read under the GIL (I1).
    let (address, len, descr) = unsafe { ((*s).ob_item as usize, (*s).ob_base.ob_size, (*s).ob_descr) };
    if address == last_address && len == last_len {
        return Ok(());
    }
    let (_, _, _, host_itemsize) = host_storage(vm, array)?;
    // SAFETY: NULL or one of DESCRIPTORS, which C does not replace.
    let itemsize = if descr.is_null() { host_itemsize } else { unsafe { (*descr).itemsize as usize } };
    // Never read past storage the layer handed out.
    let len = if address == last_address { len.min(last_len) } else { len }.max(0) as usize;
    let bytes = if address == 0 || len == 0 {
        Vec::new()
    } else {
        // SAFETY: C's storage holds `len` items (its own block), or the
        // host's, which holds at least as many (clamped above).
        unsafe { std::slice::from_raw_parts(address as *const u8, len * itemsize) }.to_vec()
    };
    if address != last_address && address != 0 {
        // Storage C allocated with PyMem_New/PyMem_Resize: copied, so freed.
        super::pymem::domain_free(super::pymem::DOMAIN_MEM, address as *mut c_void);
    }
    replace_contents(vm, array, bytes)?;
    write_struct(vm, proxy, array)
}

/// Object-model hook, as an array proxy is handed to C again: C's pending
/// changes first, then the struct follows the host (Python may have
/// resized it).
pub(crate) fn refresh_struct(vm: &VirtualMachine, proxy: *mut PyObject, array: &PyObjectRef) {
    if !STRUCTS.contains_key(&(proxy as usize)) {
        return;
    }
    if let Err(e) = sync_from_c(vm, proxy, array).and_then(|()| write_struct(vm, proxy, array)) {
        vm.run_unraisable(e, Some("cpyext: bringing an array's struct up to date".to_owned()), array.clone());
    }
}

/// `PyMem_Realloc` of an array's host storage (Cython's `resize`): the host
/// array gets `new_size / itemsize` items (new ones zero), and the new
/// storage is returned. None if `ptr` is not host storage.
pub(crate) fn resize_host_storage(ptr: *mut c_void, new_size: usize) -> Option<*mut c_void> {
    let proxy = *STORAGE_OWNERS.get(&(ptr as usize))? as *mut PyObject;
    let resized = rustpython_vm::vm::thread::try_with_current_vm(|vm| -> PyResult<*mut c_void> {
        let array = proxy::to_host(vm, proxy)?;
        let (_, len, _, itemsize) = host_storage(vm, &array)?;
        let wanted = (new_size / itemsize.max(1)) as Py_ssize_t;
        if wanted < len {
            truncate(vm, &array, wanted)?;
        } else if wanted > len {
            vm.call_method(&array, "frombytes", (vm.ctx.new_bytes(vec![0; (wanted - len) as usize * itemsize]),))?;
        }
        write_struct(vm, proxy, &array)?;
        let (address, _) = *STRUCTS.get(&(proxy as usize)).expect("written above");
        // An empty array has no storage; C needs a pointer all the same
        // (NULL means failure): a block of its own, which the next sync frees.
        Ok(if address == 0 { super::pymem::domain_malloc(super::pymem::DOMAIN_MEM, 1) } else { address as *mut c_void })
    });
    Some(match resized {
        Some(Ok(p)) => p,
        Some(Err(e)) => {
            crate::error_indicator::set_from_exception(e);
            std::ptr::null_mut()
        }
        None => std::ptr::null_mut(),
    })
}

/// Whether `ptr` is host storage the layer handed to C (`PyMem_Free` of it
/// is then not C's to do).
pub(crate) fn is_host_storage(ptr: *mut c_void) -> bool {
    STORAGE_OWNERS.contains_key(&(ptr as usize))
}

/// The host array of an array C made with `tp_alloc` and filled (Cython's
/// `newarrayobject`): its items from `ob_item`, whose storage is freed once
/// copied; the struct then points at the host's.
pub(crate) fn array_from_proxy(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    PENDING.remove(&(proxy as usize));
    let s = proxy as *mut ArrayObject;
    // SAFETY: a pending array proxy of ARRAY_OBJECT_SIZE bytes that C filled.
    let (descr, address, len, ob_type) = unsafe { ((*s).ob_descr, (*s).ob_item as usize, (*s).ob_base.ob_size.max(0) as usize, (*proxy).ob_type) };
    if descr.is_null() {
        return Err(vm.new_system_error("an array made in C reached Python without ob_descr".to_owned()));
    }
    // SAFETY: one of DESCRIPTORS (C copies the pointer from another array).
    let (typecode, itemsize) = unsafe { ((*descr).typecode as u8 as char, (*descr).itemsize as usize) };
    let cls = proxy::to_host(vm, ob_type as *mut PyObject)?;
    let base = array_class().ok_or_else(|| vm.new_system_error("array module not loaded".to_owned()))?;
    let array = vm.call_method(base.as_object(), "__new__", (cls, typecode.to_string()))?;
    let bytes = if address == 0 || len == 0 {
        Vec::new()
    } else {
        // SAFETY: C's block holds `len` items of `itemsize` bytes.
        unsafe { std::slice::from_raw_parts(address as *const u8, len * itemsize) }.to_vec()
    };
    vm.call_method(&array, "frombytes", (vm.ctx.new_bytes(bytes),))?;
    if address != 0 {
        super::pymem::domain_free(super::pymem::DOMAIN_MEM, address as *mut c_void);
    }
    write_struct(vm, proxy, &array)?;
    Ok(array)
}

/// Just before an array proxy is freed: storage C allocated itself is
/// freed, and the layer forgets the struct.
pub(crate) fn release_struct(proxy: *mut PyObject) {
    let Some((_, (last_address, _))) = STRUCTS.remove(&(proxy as usize)) else {
        // A pending array that never reached Python: its storage is C's block.
        return;
    };
    STORAGE_OWNERS.remove_if(&last_address, |_, owner| *owner == proxy as usize);
    // SAFETY: an array proxy about to be freed, read under the GIL (I1).
    let address = unsafe { (*(proxy as *mut ArrayObject)).ob_item } as usize;
    if address != 0 && address != last_address {
        super::pymem::domain_free(super::pymem::DOMAIN_MEM, address as *mut c_void);
    }
}

/// Just before a plain proxy without a host is freed, if it is an array's.
/// One that had a host
/// (it is in STRUCTS) is a pinned proxy whose host died first (C stored the
/// array in a dict or an attribute, then Python dropped it): its `ob_item`
/// is the dead host's storage, which is not the layer's to free, so only
/// storage C put there itself goes (`release_struct`). Freeing it as a
/// pending array's block was a double free (pyproj's `get_factors`).
pub(crate) fn release_hostless(proxy: *mut PyObject) {
    if STRUCTS.contains_key(&(proxy as usize)) {
        release_struct(proxy);
    } else if PENDING.remove(&(proxy as usize)).is_some() {
        release_pending(proxy);
    }
}

/// Arrays C made with `tp_alloc` that have not reached Python yet.
static PENDING: LazyLock<proxy::AddressMap<()>> = LazyLock::new(proxy::AddressMap::default);

/// An array C fills in place (Cython's `newarrayobject`): its host is built
/// from ob_descr and ob_item when it reaches Python (`array_from_proxy`).
pub(crate) fn new_pending(tp: *mut ffi::PyTypeObject) -> *mut PyObject {
    let proxy = proxy::new_pending(proxy::Layout::Plain, ARRAY_OBJECT_SIZE, tp);
    PENDING.insert(proxy as usize, ());
    proxy
}

/// Frees the storage of an array C made and dropped before it reached
/// Python.
fn release_pending(proxy: *mut PyObject) {
    // SAFETY: a pending array proxy about to be freed, under the GIL (I1).
    let address = unsafe { (*(proxy as *mut ArrayObject)).ob_item };
    if !address.is_null() {
        super::pymem::domain_free(super::pymem::DOMAIN_MEM, address as *mut c_void);
    }
}
