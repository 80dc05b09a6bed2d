//! Proxies and the identity table.
//!
//! C sees every host (RustPython) object through a proxy: a block of C memory
//! that starts with `ob_refcnt`/`ob_type` in CPython's layout. Two maps make up
//! the identity table:
//! - `PROXIES`: proxy address -> `Entry` (the host object, the proxy's layout
//!   kind, per-proxy caches);
//! - `IDENTITY`: host object address -> proxy address.
//! A proxy holds a strong reference to its host object, so the host address
//! cannot be reused while the entry exists. When C drops the last reference,
//! `_Py_Dealloc` removes both entries and frees the proxy.
use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use crate::types;
use dashmap::DashMap;
use rustpython_vm::builtins::{PyBytes, PyFloat, PyTuple, PyType};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::collections::VecDeque;
use std::sync::{LazyLock, Mutex};

/// How a proxy's memory is laid out beyond the object header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// `PyObject` only.
    Plain,
    /// `PyTupleObject`: `ob_size` and an inline array of owned item proxies.
    Tuple,
    /// `PyBytesObject`: `ob_size`, `ob_shash` and a NUL-terminated copy.
    Bytes,
    /// `PyFloatObject`: the value.
    Float,
    /// Memory the layer does not own (static type objects, singletons,
    /// leaked type proxies): never freed.
    Static,
}

pub struct Entry {
    /// `None` only while a tuple or bytes object made in C is being filled.
    pub host: Option<PyObjectRef>,
    pub layout: Layout,
    /// Bytes allocated for the proxy, to return it to the right size class.
    pub size: usize,
    /// NUL-terminated UTF-8 of a str, made on the first `PyUnicode_AsUTF8`.
    pub utf8: Option<Box<[u8]>>,
    /// The call frame that last took a borrowed-reference keep-alive on it.
    pub kept_in_frame: u64,
}

/// Keys are object addresses, already unique: mixing them with one multiply
/// is enough, and far cheaper than the default SipHash on this hot path.
#[derive(Default, Clone, Copy)]
pub struct AddressHasher(u64);
impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | *b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_usize(&mut self, n: usize) {
        // Objects are 16-byte aligned: drop the always-zero bits first.
        self.0 = ((n >> 4) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26);
    }
}
type AddressMap<V> = DashMap<usize, V, std::hash::BuildHasherDefault<AddressHasher>>;

pub static PROXIES: LazyLock<AddressMap<Entry>> = LazyLock::new(AddressMap::default);
pub static IDENTITY: LazyLock<AddressMap<usize>> = LazyLock::new(AddressMap::default);

#[inline]
pub fn host_addr(obj: &rustpython_vm::PyObject) -> usize {
    obj as *const rustpython_vm::PyObject as usize
}

/// A new (owned) reference to the proxy of `obj`, making the proxy if needed.
pub fn new_ref(vm: &VirtualMachine, obj: &PyObjectRef) -> *mut PyObject {
    if let Some(proxy) = IDENTITY.get(&host_addr(obj)).map(|p| *p) {
        let proxy = proxy as *mut PyObject;
        unsafe { (*proxy).ob_refcnt += 1 };
        return proxy;
    }
    make_proxy(vm, obj.clone())
}

/// Like `new_ref`, but consumes the host reference.
pub fn into_ref(vm: &VirtualMachine, obj: PyObjectRef) -> *mut PyObject {
    new_ref(vm, &obj)
}

fn make_proxy(vm: &VirtualMachine, obj: PyObjectRef) -> *mut PyObject {
    if let Some(cls) = obj.downcast_ref::<PyType>() {
        // Type proxies are immortal and registered when first made.
        let proxy = types::type_proxy(vm, cls) as *mut PyObject;
        unsafe { (*proxy).ob_refcnt += 1 };
        return proxy;
    }
    let ob_type = types::type_proxy(vm, obj.class());
    let flags = unsafe { (*ob_type).tp_flags };
    let (layout, size) = if flags & ffi::Py_TPFLAGS_TUPLE_SUBCLASS as u64 != 0 {
        let n = obj.downcast_ref::<PyTuple>().map_or(0, |t| t.len());
        (Layout::Tuple, tuple_size(n))
    } else if flags & ffi::Py_TPFLAGS_BYTES_SUBCLASS as u64 != 0 {
        let n = obj.downcast_ref::<PyBytes>().map_or(0, |b| b.as_bytes().len());
        (Layout::Bytes, bytes_size(n))
    } else if obj.downcast_ref::<PyFloat>().is_some() {
        (Layout::Float, size_of::<ffi::PyFloatObject>())
    } else {
        (Layout::Plain, size_of::<PyObject>())
    };
    let proxy = alloc_proxy(size) as *mut PyObject;
    unsafe {
        (*proxy).ob_refcnt = 1;
        (*proxy).ob_type = ob_type;
        match layout {
            Layout::Tuple => {
                let tuple = obj.downcast_ref::<PyTuple>().unwrap();
                let t = proxy as *mut ffi::PyTupleObject;
                (*t).ob_base.ob_size = tuple.len() as Py_ssize_t;
                let items = (*t).ob_item.as_mut_ptr();
                for (i, item) in tuple.iter().enumerate() {
                    *items.add(i) = new_ref(vm, item);
                }
            }
            Layout::Bytes => {
                let data = obj.downcast_ref::<PyBytes>().unwrap().as_bytes();
                let b = proxy as *mut ffi::PyBytesObject;
                (*b).ob_base.ob_size = data.len() as Py_ssize_t;
                (*b).ob_shash = -1;
                let dst = (*b).ob_sval.as_mut_ptr() as *mut u8;
                std::ptr::copy_nonoverlapping(data.as_ptr(), dst, data.len());
                *dst.add(data.len()) = 0;
            }
            Layout::Float => {
                (*(proxy as *mut ffi::PyFloatObject)).ob_fval = obj.downcast_ref::<PyFloat>().unwrap().to_f64();
            }
            Layout::Plain | Layout::Static => {}
        }
    }
    IDENTITY.insert(host_addr(&obj), proxy as usize);
    PROXIES.insert(
        proxy as usize,
        Entry { host: Some(obj), layout, size, utf8: None, kept_in_frame: 0 },
    );
    proxy
}

pub fn tuple_size(n: usize) -> usize {
    size_of::<ffi::PyVarObject>() + size_of::<*mut PyObject>() * n.max(1)
}

pub fn bytes_size(n: usize) -> usize {
    std::mem::offset_of!(ffi::PyBytesObject, ob_sval) + n + 1
}

/// Registers memory that C will fill before it crosses into Python (a tuple
/// from `PyTuple_New`, bytes from `PyBytes_FromStringAndSize(NULL, n)`).
pub fn new_pending(layout: Layout, size: usize, ob_type: *mut PyTypeObject) -> *mut PyObject {
    let proxy = alloc_proxy(size) as *mut PyObject;
    unsafe {
        (*proxy).ob_refcnt = 1;
        (*proxy).ob_type = ob_type;
    }
    PROXIES.insert(proxy as usize, Entry { host: None, layout, size, utf8: None, kept_in_frame: 0 });
    proxy
}

/// Registers memory the layer does not own (static type objects, singletons)
/// as the immortal proxy of `obj`.
pub fn register_static(obj: PyObjectRef, proxy: *mut PyObject) {
    IDENTITY.insert(host_addr(&obj), proxy as usize);
    PROXIES.insert(
        proxy as usize,
        Entry { host: Some(obj), layout: Layout::Static, size: 0, utf8: None, kept_in_frame: 0 },
    );
}

/// Makes a proxy immortal: for objects whose borrowed references must stay
/// valid as long as the interpreter (modules, module dicts).
pub fn make_immortal(proxy: *mut PyObject) {
    unsafe { (*proxy).ob_refcnt = ffi::IMMORTAL_REFCNT };
}

/// The host object behind a proxy (a borrowed reference on the C side).
pub fn to_host(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    if proxy.is_null() {
        return Err(vm.new_system_error("NULL object passed to a C-API function".to_owned()));
    }
    if let Some(entry) = PROXIES.get(&(proxy as usize)) {
        if let Some(host) = &entry.host {
            return Ok(host.clone());
        }
    } else {
        return Err(unknown_object(vm, proxy));
    }
    materialize(vm, proxy)
}

/// Like `to_host`, but takes over the reference C passed (a "stolen" one).
pub fn take(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    let host = to_host(vm, proxy);
    if !proxy.is_null() && host.is_ok() {
        decref(proxy);
    }
    host
}

pub fn opt_to_host(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<Option<PyObjectRef>> {
    if proxy.is_null() { Ok(None) } else { to_host(vm, proxy).map(Some) }
}

fn unknown_object(vm: &VirtualMachine, proxy: *mut PyObject) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let type_name = unsafe {
        let ty = (*proxy).ob_type;
        if ty.is_null() || (*ty).tp_name.is_null() {
            "?".to_owned()
        } else {
            std::ffi::CStr::from_ptr((*ty).tp_name).to_string_lossy().into_owned()
        }
    };
    vm.new_system_error(format!(
        "cpyext: the object at {proxy:p} (type '{type_name}') was not made through the C API \
         (a static type that was never readied, or freed memory?)"
    ))
}

/// Turns a C-made tuple or bytes object into its host object when it first
/// crosses into Python.
fn materialize(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    let layout = PROXIES.get(&(proxy as usize)).map(|e| e.layout).unwrap();
    let host: PyObjectRef = unsafe {
        match layout {
            Layout::Tuple => {
                let t = proxy as *mut ffi::PyTupleObject;
                let n = (*t).ob_base.ob_size as usize;
                let items = (*t).ob_item.as_ptr();
                let mut elements = Vec::with_capacity(n);
                for i in 0..n {
                    let item = *items.add(i);
                    if item.is_null() {
                        return Err(vm.new_system_error(format!(
                            "a tuple made in C reached Python with item {i} unset (NULL)"
                        )));
                    }
                    elements.push(to_host(vm, item)?);
                }
                vm.ctx.new_tuple(elements).into()
            }
            Layout::Bytes => {
                let b = proxy as *mut ffi::PyBytesObject;
                let n = (*b).ob_base.ob_size as usize;
                let data = std::slice::from_raw_parts((*b).ob_sval.as_ptr() as *const u8, n);
                vm.ctx.new_bytes(data.to_vec()).into()
            }
            _ => unreachable!("only tuples and bytes are made pending"),
        }
    };
    IDENTITY.insert(host_addr(&host), proxy as usize);
    if let Some(mut entry) = PROXIES.get_mut(&(proxy as usize)) {
        entry.host = Some(host.clone());
    }
    Ok(host)
}

#[inline]
pub fn incref(proxy: *mut PyObject) {
    unsafe { (*proxy).ob_refcnt += 1 };
}

#[inline]
pub fn decref(proxy: *mut PyObject) {
    unsafe {
        (*proxy).ob_refcnt -= 1;
        if (*proxy).ob_refcnt <= 0 {
            dealloc(proxy);
        }
    }
}

pub fn xdecref(proxy: *mut PyObject) {
    if !proxy.is_null() {
        decref(proxy);
    }
}

/// Frees a proxy whose count reached zero; stops the process with a clear
/// message if the count went below zero.
pub fn dealloc(proxy: *mut PyObject) {
    let refcnt = unsafe { (*proxy).ob_refcnt };
    if refcnt < 0 {
        let type_name = unsafe {
            let ty = (*proxy).ob_type;
            if ty.is_null() || (*ty).tp_name.is_null() {
                "?".to_owned()
            } else {
                std::ffi::CStr::from_ptr((*ty).tp_name).to_string_lossy().into_owned()
            }
        };
        crate::boundary::fatal(&format!(
            "the refcount of a '{type_name}' object at {proxy:p} went below zero: \
             an extension released a reference it did not own (one Py_DECREF too many)"
        ));
    }
    let Some((_, entry)) = PROXIES.remove(&(proxy as usize)) else {
        return; // not ours: nothing to free
    };
    if entry.layout == Layout::Static {
        // Immortal memory that C drove to zero: put it back rather than free it.
        unsafe { (*proxy).ob_refcnt = ffi::IMMORTAL_REFCNT };
        PROXIES.insert(proxy as usize, entry);
        return;
    }
    if entry.layout == Layout::Tuple {
        unsafe {
            let t = proxy as *mut ffi::PyTupleObject;
            let n = (*t).ob_base.ob_size as usize;
            let items = (*t).ob_item.as_mut_ptr();
            for i in 0..n {
                let item = std::mem::replace(&mut *items.add(i), std::ptr::null_mut());
                xdecref(item);
            }
        }
    }
    if let Some(host) = &entry.host {
        IDENTITY.remove_if(&host_addr(host), |_, p| *p == proxy as usize);
    }
    free_proxy(proxy as *mut u8, entry.size);
    drop(entry);
}

// --- proxy memory -----------------------------------------------------------
//
// Small proxies come from per-size free lists that are reused first-in,
// first-out after a quarantine, so a freed proxy keeps a zero count (and its
// type) for a while: one Py_DECREF too many then lands on a dead proxy and is
// reported instead of corrupting the allocator.

const SIZE_CLASSES: usize = 16;
const CLASS_BYTES: usize = 16;
const QUARANTINE: usize = 256;

struct FreeLists([VecDeque<usize>; SIZE_CLASSES]);

static FREE: Mutex<FreeLists> = Mutex::new(FreeLists([const { VecDeque::new() }; SIZE_CLASSES]));

fn size_class(size: usize) -> usize {
    size.div_ceil(CLASS_BYTES)
}

fn alloc_proxy(size: usize) -> *mut u8 {
    let class = size_class(size);
    if class < SIZE_CLASSES {
        let mut free = FREE.lock().unwrap();
        let list = &mut free.0[class];
        if list.len() > QUARANTINE {
            let block = list.pop_front().unwrap() as *mut u8;
            unsafe { std::ptr::write_bytes(block, 0, class * CLASS_BYTES) };
            return block;
        }
        drop(free);
        return unsafe { libc::calloc(1, class * CLASS_BYTES) as *mut u8 };
    }
    let block = unsafe { libc::calloc(1, size) as *mut u8 };
    if block.is_null() {
        crate::boundary::fatal("out of memory allocating an object proxy");
    }
    block
}

fn free_proxy(block: *mut u8, size: usize) {
    let class = size_class(size);
    if class < SIZE_CLASSES {
        FREE.lock().unwrap().0[class].push_back(block as usize);
    } else {
        unsafe { libc::free(block as *mut libc::c_void) };
    }
}
