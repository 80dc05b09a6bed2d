//! Proxies and the identity table.
//!
//! C sees every host (RustPython) object through a proxy: a block of C memory
//! that starts with `ob_refcnt`/`ob_type` in CPython's layout. Two maps make up
//! the identity table:
//! - proxy -> host: each proxy's `Header` (the host object, layout, caches),
//!   just before the object in the proxy arena, or in `FOREIGN` for memory
//!   the layer does not allocate;
//! - `IDENTITY`: host object address -> proxy address.
//! A proxy holds a strong reference to its host object, so the host address
//! cannot be reused while the entry exists. When C drops the last reference,
//! `_Py_Dealloc` removes both entries and frees the proxy.
use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use crate::types;
use dashmap::DashMap;
use rustpython_vm::builtins::{PyBytes, PyComplex, PyFloat, PyInt, PyTuple, PyType};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::cell::UnsafeCell;
use std::sync::LazyLock;

/// How a proxy's memory is laid out beyond the object header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// `PyObject` only.
    Plain,
    /// `PyTupleObject`: `ob_size` and an inline array of owned item proxies.
    Tuple,
    /// A str made in C with `PyUnicode_New`: its text is the header's text
    /// buffer until it crosses into Python.
    Str,
    /// `PyBytesObject`: `ob_size`, `ob_shash` and a NUL-terminated copy.
    Bytes,
    /// `PyFloatObject`: the value.
    Float,
    /// `PyLongObject`: `ob_size` and the value's 30-bit digits.
    Long,
    /// `PyComplexObject`: the value.
    Complex,
    /// Memory the layer does not own (static type objects, singletons,
    /// leaked type proxies): never freed.
    Static,
    /// An instance of a C-defined type: the C struct *is* the object, and
    /// the host object (payload `CInstance`) is its Python face. The struct
    /// lives as long as the host object; C's references keep the host alive.
    Instance,
}

/// The layer's bookkeeping for one proxy. For proxies in the arena it sits
/// just before the object, so finding it is pointer arithmetic; for memory
/// the layer does not allocate (static type objects, singletons, very large
/// proxies) it lives in `FOREIGN`, keyed by address.
pub struct Header {
    /// Null only while a tuple or bytes object made in C is being filled.
    pub host: *const rustpython_vm::PyObject,
    /// NUL-terminated UTF-8 of a str, made on the first `PyUnicode_AsUTF8`.
    pub utf8: *mut [u8],
    /// A str's text in CPython's canonical form (PEP 393): `text_kind`
    /// bytes per character, NUL-terminated; made on first `PyUnicode_DATA`.
    pub text: *mut [u8],
    pub text_kind: u8,
    /// The call frame that last took a borrowed-reference keep-alive on it.
    pub kept_in_frame: u64,
    /// Whether `host` is a strong reference. Always so, except for an
    /// instance of a C type while C holds no reference to it: `host` then
    /// points at an object that Python keeps alive.
    pub holds_host: bool,
    /// For instances of GC types: whether the cycle collector follows it.
    pub gc_tracked: bool,
    /// Whether tp_finalize has run (it runs once for GC types).
    pub finalized: bool,
    /// Stored by C into a host container: lives while its host does (see
    /// `pin_to_host`).
    pub pinned: bool,
    /// At count zero, waiting for the C call to end (see `dealloc`).
    pub release_deferred: bool,
    /// Bytes allocated for header and object together.
    pub size: u32,
    pub layout: Layout,
}

impl Header {
    fn new(host: Option<PyObjectRef>, layout: Layout, size: usize) -> Self {
        Header {
            host: host.map_or(std::ptr::null(), |h| h.into_raw().as_ptr() as *const _),
            utf8: std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0),
            text: std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0),
            text_kind: 0,
            kept_in_frame: 0,
            holds_host: true,
            gc_tracked: false,
            finalized: false,
            pinned: false,
            release_deferred: false,
            size: size as u32,
            layout,
        }
    }

    /// A new strong reference to the host object, if there is one yet.
    pub fn host(&self) -> Option<PyObjectRef> {
        if self.host.is_null() {
            return None;
        }
        let borrowed = unsafe { &*self.host };
        Some(borrowed.to_owned())
    }

    pub fn utf8(&self) -> Option<&[u8]> {
        if self.utf8.is_null() { None } else { Some(unsafe { &*self.utf8 }) }
    }

    pub fn set_utf8(&mut self, bytes: Box<[u8]>) {
        self.release_utf8();
        self.utf8 = Box::into_raw(bytes);
    }

    pub fn text(&self) -> Option<(u8, &mut [u8])> {
        if self.text.is_null() { None } else { Some((self.text_kind, unsafe { &mut *self.text })) }
    }

    pub fn set_text(&mut self, kind: u8, buffer: Box<[u8]>) {
        if !self.text.is_null() {
            drop(unsafe { Box::from_raw(self.text) });
        }
        self.text = Box::into_raw(buffer);
        self.text_kind = kind;
    }

    /// Frees the str caches (UTF-8 and canonical text).
    fn release_utf8(&mut self) {
        if !self.utf8.is_null() {
            drop(unsafe { Box::from_raw(self.utf8) });
            self.utf8 = std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0);
        }
        if !self.text.is_null() {
            drop(unsafe { Box::from_raw(self.text) });
            self.text = std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0);
        }
    }

    /// Gives up the strong hold on the host but keeps pointing at it (to be
    /// dropped by the caller).
    fn take_host_keeping_pointer(&mut self) -> Option<PyObjectRef> {
        if self.host.is_null() || !self.holds_host {
            return None;
        }
        self.holds_host = false;
        Some(unsafe { PyObjectRef::from_raw(std::ptr::NonNull::new_unchecked(self.host as *mut _)) })
    }

    /// Gives up the host reference (to be dropped by the caller).
    fn take_host(&mut self) -> Option<PyObjectRef> {
        if self.host.is_null() || !self.holds_host {
            return None;
        }
        let host = unsafe { PyObjectRef::from_raw(std::ptr::NonNull::new_unchecked(self.host as *mut _)) };
        self.host = std::ptr::null();
        self.holds_host = false;
        Some(host)
    }
}


const HEADER: usize = size_of::<Header>().next_multiple_of(16);

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

/// Host object address -> proxy address.
pub static IDENTITY: LazyLock<AddressMap<usize>> = LazyLock::new(AddressMap::default);
/// Headers of proxies outside the arena (static objects, very large proxies).
static FOREIGN: LazyLock<AddressMap<Box<ForeignHeader>>> = LazyLock::new(AddressMap::default);

/// A header kept in FOREIGN; mutated only by the thread holding the GIL.
struct ForeignHeader(UnsafeCell<Header>);
unsafe impl Sync for ForeignHeader {}
unsafe impl Send for ForeignHeader {}

#[inline]
pub fn host_addr(obj: &rustpython_vm::PyObject) -> usize {
    obj as *const rustpython_vm::PyObject as usize
}

/// The bookkeeping of any proxy the layer knows, or None.
///
/// The reference is only used while the GIL is held, which serialises every
/// access; FOREIGN's boxes do not move while their entry exists.
#[inline]
pub fn header(proxy: *mut PyObject) -> Option<&'static mut Header> {
    if arena::contains(proxy as usize) {
        return Some(unsafe { &mut *((proxy as *mut u8).sub(HEADER) as *mut Header) });
    }
    FOREIGN.get(&(proxy as usize)).map(|h| unsafe { &mut *h.0.get() })
}

/// A new (owned) reference to the proxy of `obj`, making the proxy if needed.
#[inline]
pub fn new_ref(vm: &VirtualMachine, obj: &PyObjectRef) -> *mut PyObject {
    if let Some(proxy) = IDENTITY.get(&host_addr(obj)).map(|p| *p) {
        let proxy = proxy as *mut PyObject;
        incref(proxy);
        return proxy;
    }
    make_proxy(vm, obj.clone())
}

/// Like `new_ref`, but consumes the host reference.
pub fn into_ref(vm: &VirtualMachine, obj: PyObjectRef) -> *mut PyObject {
    if let Some(proxy) = IDENTITY.get(&host_addr(&obj)).map(|p| *p) {
        let proxy = proxy as *mut PyObject;
        incref(proxy);
        return proxy;
    }
    make_proxy(vm, obj)
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
    } else if let Some(int) = obj.downcast_ref::<PyInt>() {
        (Layout::Long, crate::api::longobject::long_size(int.as_bigint()))
    } else if obj.downcast_ref::<PyComplex>().is_some() {
        (Layout::Complex, size_of::<ffi::PyComplexObject>())
    } else {
        (Layout::Plain, size_of::<PyObject>())
    };
    let key = host_addr(&obj);
    let proxy = new_proxy(layout, size, ob_type, Some(obj.clone()));
    unsafe {
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
            Layout::Long => {
                let int = obj.downcast_ref::<PyInt>().unwrap();
                crate::api::longobject::write_digits(int.as_bigint(), proxy as *mut ffi::PyLongObject);
            }
            Layout::Complex => {
                let value = obj.downcast_ref::<PyComplex>().unwrap().to_complex();
                (*(proxy as *mut ffi::PyComplexObject)).cval = ffi::Py_complex { real: value.re, imag: value.im };
            }
            Layout::Plain | Layout::Static | Layout::Instance | Layout::Str => {}
        }
    }
    IDENTITY.insert(key, proxy as usize);
    proxy
}

pub fn tuple_size(n: usize) -> usize {
    size_of::<ffi::PyVarObject>() + size_of::<*mut PyObject>() * n.max(1)
}

pub fn bytes_size(n: usize) -> usize {
    std::mem::offset_of!(ffi::PyBytesObject, ob_sval) + n + 1
}

/// Allocates a zeroed proxy of `size` object bytes with its header.
fn new_proxy(layout: Layout, size: usize, ob_type: *mut PyTypeObject, host: Option<PyObjectRef>) -> *mut PyObject {
    let total = HEADER + size;
    let proxy = match arena::alloc(total) {
        Some(block) => unsafe {
            std::ptr::write(block as *mut Header, Header::new(host, layout, total));
            block.add(HEADER) as *mut PyObject
        },
        None => {
            // Too large for the arena: the C heap, with the header in FOREIGN.
            let p = unsafe { libc::calloc(1, size) } as *mut PyObject;
            if p.is_null() {
                crate::boundary::fatal("out of memory allocating an object proxy");
            }
            FOREIGN.insert(p as usize, Box::new(ForeignHeader(UnsafeCell::new(Header::new(host, layout, total)))));
            p
        }
    };
    unsafe {
        (*proxy).ob_refcnt = 1;
        (*proxy).ob_type = ob_type;
    }
    proxy
}

/// Registers memory that C will fill before it crosses into Python (a tuple
/// from `PyTuple_New`, bytes from `PyBytes_FromStringAndSize(NULL, n)`).
pub fn new_pending(layout: Layout, size: usize, ob_type: *mut PyTypeObject) -> *mut PyObject {
    new_proxy(layout, size, ob_type, None)
}

/// Registers memory the layer does not own (static type objects, singletons)
/// as the immortal proxy of `obj`.
pub fn register_static(obj: PyObjectRef, proxy: *mut PyObject) {
    IDENTITY.insert(host_addr(&obj), proxy as usize);
    FOREIGN.insert(proxy as usize, Box::new(ForeignHeader(UnsafeCell::new(Header::new(Some(obj), Layout::Static, 0)))));
}

/// Makes a proxy immortal: for objects whose borrowed references must stay
/// valid as long as the interpreter (modules, module dicts).
pub fn make_immortal(proxy: *mut PyObject) {
    unsafe { (*proxy).ob_refcnt = ffi::IMMORTAL_REFCNT };
}

/// The host object behind a proxy (a borrowed reference on the C side).
#[inline]
pub fn to_host(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    if proxy.is_null() {
        return Err(vm.new_system_error("NULL object passed to a C-API function".to_owned()));
    }
    match header(proxy) {
        Some(h) => match h.host() {
            Some(host) => Ok(host),
            None if h.layout == Layout::Instance => Err(dead_object(vm, proxy)),
            None if unsafe { (*proxy).ob_refcnt } <= 0 => Err(dead_object(vm, proxy)),
            None => materialize(vm, proxy),
        },
        None => Err(unknown_object(vm, proxy)),
    }
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

fn type_name_of(proxy: *mut PyObject) -> String {
    unsafe {
        let ty = (*proxy).ob_type;
        if ty.is_null() || (*ty).tp_name.is_null() {
            "?".to_owned()
        } else {
            std::ffi::CStr::from_ptr((*ty).tp_name).to_string_lossy().into_owned()
        }
    }
}

fn unknown_object(vm: &VirtualMachine, proxy: *mut PyObject) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_system_error(format!(
        "cpyext: the object at {proxy:p} (type '{}') was not made through the C API \
         (a static type that was never readied, or freed memory?)",
        type_name_of(proxy)
    ))
}

fn dead_object(vm: &VirtualMachine, proxy: *mut PyObject) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_system_error(format!(
        "cpyext: the '{}' object at {proxy:p} was already released: C used a reference after \
         its last Py_DECREF, or kept a borrowed reference past the call that returned it",
        type_name_of(proxy)
    ))
}

/// Turns a C-made tuple, bytes or int (`_PyLong_New`) object into its host
/// object when it first crosses into Python.
fn materialize(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    let layout = header(proxy).map(|h| h.layout).unwrap();
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
                let ob_type = (*proxy).ob_type;
                if ob_type == &raw mut types::PyTuple_Type {
                    vm.ctx.new_tuple(elements).into()
                } else {
                    // A tuple subclass made in C (a struct sequence): an instance of its class.
                    let cls = to_host(vm, ob_type as *mut PyObject)?.downcast::<PyType>().map_err(|_| unknown_object(vm, proxy))?;
                    rustpython_vm::PyPayload::into_ref_with_type(PyTuple::new_unchecked(elements.into_boxed_slice()), vm, cls)?.into()
                }
            }
            Layout::Bytes => {
                let b = proxy as *mut ffi::PyBytesObject;
                let n = (*b).ob_base.ob_size as usize;
                let data = std::slice::from_raw_parts((*b).ob_sval.as_ptr() as *const u8, n);
                vm.ctx.new_bytes(data.to_vec()).into()
            }
            Layout::Long => vm.ctx.new_int(crate::api::longobject::value_from_digits(proxy as *const ffi::PyLongObject)).into(),
            Layout::Str => {
                let (kind, text) = header(proxy).and_then(|h| h.text()).ok_or_else(|| dead_object(vm, proxy))?;
                crate::api::unicodeobject::str_from_canonical(vm, kind, &text[..text.len() - kind as usize])?
            }
            // A proxy whose host is gone (see `pinned_host_died`).
            _ => return Err(dead_object(vm, proxy)),
        }
    };
    IDENTITY.insert(host_addr(&host), proxy as usize);
    if let Some(h) = header(proxy) {
        h.host = host.clone().into_raw().as_ptr() as *const _;
    }
    Ok(host)
}

/// Adds a C reference. An instance of a C type whose count was zero takes
/// back its hold on the host object (which the caller has, so it is alive).
#[inline]
pub fn incref(proxy: *mut PyObject) {
    unsafe {
        (*proxy).ob_refcnt += 1;
        if (*proxy).ob_refcnt == 1 {
            if let Some(h) = header(proxy) {
                if !h.holds_host && !h.host.is_null() {
                    let host = (*h.host).to_owned();
                    h.host = host.into_raw().as_ptr() as *const _;
                    h.holds_host = true;
                }
            }
        }
    }
}

/// Registers a new instance of a C type: zeroed memory of `size` bytes,
/// count 1, no host object yet (see `attach_host`).
pub fn new_instance(size: usize, ob_type: *mut PyTypeObject) -> *mut PyObject {
    new_proxy(Layout::Instance, size, ob_type, None)
}

/// Registers memory C allocated itself (`PyObject_Init` on a
/// `PyObject_Malloc` block) as an instance of a C type.
pub fn adopt_instance(object: *mut PyObject, size: usize) {
    FOREIGN.insert(object as usize, Box::new(ForeignHeader(UnsafeCell::new(Header::new(None, Layout::Instance, size)))));
}

/// Gives an instance its host object, held strongly while C holds it.
pub fn attach_host(object: *mut PyObject, host: PyObjectRef) {
    IDENTITY.insert(host_addr(&host), object as usize);
    if let Some(h) = header(object) {
        h.host = host.into_raw().as_ptr() as *const _;
        h.holds_host = true;
    }
}

/// Called as an instance's host object dies: forget the host, so that only
/// the C struct remains, for its tp_dealloc to free. Returns false if the
/// object is not (or no longer) a registered instance.
pub fn detach_host(object: *mut PyObject) -> bool {
    let Some(h) = header(object) else { return false };
    if h.layout != Layout::Instance || h.host.is_null() {
        return false;
    }
    IDENTITY.remove_if(&(h.host as usize), |_, p| *p == object as usize);
    h.host = std::ptr::null();
    h.holds_host = false;
    true
}

/// Whether `object` is memory the layer registered as an instance of a C
/// type (so `PyObject_Free` must free it through `free_instance`).
pub fn is_instance(object: *mut PyObject) -> bool {
    header(object).is_some_and(|h| h.layout == Layout::Instance)
}

/// Frees the memory of an instance (its type's tp_free, via PyObject_Free).
pub fn free_instance(object: *mut PyObject) {
    crate::ctype::forget_death_watch(object);
    let Some(h) = header(object) else { return };
    h.release_utf8();
    let stale_host = std::mem::replace(&mut h.host, std::ptr::null());
    if !stale_host.is_null() {
        IDENTITY.remove_if(&(stale_host as usize), |_, p| *p == object as usize);
    }
    let held = std::mem::replace(&mut h.holds_host, false);
    free_memory(object, h.size as usize);
    if held && !stale_host.is_null() {
        // Freed while C still held it (a tp_free called by hand): the host
        // reference is released last, as dropping it may run code.
        drop(unsafe { PyObjectRef::from_raw(std::ptr::NonNull::new_unchecked(stale_host as *mut _)) });
    }
}

/// Returns a proxy's memory (header included) to where it came from.
fn free_memory(proxy: *mut PyObject, size: usize) {
    if arena::contains(proxy as usize) {
        arena::free(unsafe { (proxy as *mut u8).sub(HEADER) }, size);
    } else {
        FOREIGN.remove(&(proxy as usize));
        unsafe { libc::free(proxy as *mut libc::c_void) };
    }
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
    if unsafe { (*proxy).ob_refcnt } < 0 {
        crate::boundary::fatal(&format!(
            "the refcount of a '{}' object at {proxy:p} went below zero: \
             an extension released a reference it did not own (one Py_DECREF too many)",
            type_name_of(proxy)
        ));
    }
    let Some(h) = header(proxy) else {
        return; // not ours: nothing to free
    };
    if h.layout == Layout::Static {
        // Immortal memory that C drove to zero: put the count back, keep it.
        unsafe { (*proxy).ob_refcnt = ffi::IMMORTAL_REFCNT };
        return;
    }
    if h.layout == Layout::Instance {
        // C let go of it. The host object may live on in Python; when it
        // dies, its payload runs the type's tp_dealloc on this struct.
        if h.holds_host && !h.host.is_null() {
            h.holds_host = false;
            let host = unsafe { PyObjectRef::from_raw(std::ptr::NonNull::new_unchecked(h.host as *mut _)) };
            crate::ctype::gc::release_host(host); // may be the last reference: tp_dealloc runs now
        }
        return;
    }
    // A tuple made in C releases its items at once, as in CPython, where
    // extensions can see their counts drop.
    if h.layout != Layout::Tuple && crate::borrow::frame_active() {
        // Not during a C call: C often lets a count reach zero and takes it
        // back with a Py_INCREF the layer never sees (PyList_SetItem steals
        // an argument, then the caller increfs it). The proxy stays whole
        // until the call that released it returns.
        if !h.release_deferred {
            h.release_deferred = true;
            DEFERRED.with(|d| d.borrow_mut().push(proxy as usize));
        }
        return;
    }
    release_now(proxy, h);
}

/// Frees a proxy at count zero, or, if it is pinned, lets go of its host.
fn release_now(proxy: *mut PyObject, h: &mut Header) {
    if h.pinned {
        // C let go, but a container may still hold the object, and C may
        // still hold this pointer: keep the memory, hold the host weakly.
        if let Some(host) = h.take_host_keeping_pointer() {
            crate::ctype::gc::release_host(host); // may be the last reference: the pin frees the proxy
        }
        return;
    }
    if h.layout == Layout::Tuple {
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
    h.release_utf8();
    let host = h.take_host();
    if let Some(host) = &host {
        IDENTITY.remove_if(&host_addr(host), |_, p| *p == proxy as usize);
    }
    free_memory(proxy, h.size as usize);
    // Last, as dropping the host object may run Python code.
    if let Some(host) = host {
        crate::ctype::gc::release_host(host);
    }
}

/// Pinned proxies -> the weak reference to their host that frees them.
static PINS: LazyLock<AddressMap<PyObjectRef>> = LazyLock::new(AddressMap::default);

/// C stored `proxy` in a host container (a dict, a list, an attribute). In
/// CPython the pointer then stays valid while the container holds the
/// object, and extensions rely on it: pysqlite3 keeps a callable in a dict
/// and hands the bare pointer to SQLite as user data. So the proxy now lives
/// as long as its host object: at count zero it holds the host weakly, and
/// the host's death frees it. Objects that cannot be weakly referenced (int,
/// str, tuple...) keep the plain rule: valid until the call returns.
pub fn pin_to_host(vm: &VirtualMachine, proxy: *mut PyObject) {
    let Some(h) = header(proxy) else { return };
    if h.pinned || h.host.is_null() || matches!(h.layout, Layout::Static | Layout::Instance) {
        return;
    }
    let host = unsafe { &*h.host };
    if !host.class().slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HAS_WEAKREF) {
        return;
    }
    let address = proxy as usize;
    let on_death = vm.new_function("_cpyext_pinned_host_died", move |_reference: PyObjectRef| {
        PINS.remove(&address);
        pinned_host_died(address as *mut PyObject);
    });
    if let Ok(watch) = host.downgrade(Some(on_death.into()), vm) {
        PINS.insert(address, watch.into());
        h.pinned = true;
    }
}

thread_local! {
    /// Proxies whose count reached zero during a C call still running.
    static DEFERRED: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Where a call frame's deferred releases begin.
#[inline]
pub fn deferred_mark() -> usize {
    DEFERRED.with(|d| d.borrow().len())
}

/// The C call that started at `mark` returned: release the proxies that
/// reached zero in it and were not taken back.
#[inline]
pub fn release_deferred(mark: usize) {
    if DEFERRED.with(|d| d.borrow().len() <= mark) {
        return; // the common case
    }
    let pending = DEFERRED.with(|d| d.borrow_mut().split_off(mark));
    for proxy in pending {
        let proxy = proxy as *mut PyObject;
        let Some(h) = header(proxy) else { continue };
        h.release_deferred = false;
        if unsafe { (*proxy).ob_refcnt } == 0 {
            release_now(proxy, h);
        }
    }
}

/// A pinned proxy's host is dying. C holds no reference to the proxy (a
/// counted reference holds the host strongly), so its memory goes now.
fn pinned_host_died(proxy: *mut PyObject) {
    let Some(h) = header(proxy) else { return };
    h.pinned = false;
    if h.holds_host {
        return; // C holds it: the host cannot be dying
    }
    let stale_host = std::mem::replace(&mut h.host, std::ptr::null());
    IDENTITY.remove_if(&(stale_host as usize), |_, p| *p == proxy as usize);
    // A count above zero here came from a Py_INCREF the layer could not see
    // on a pointer C kept without a reference: the proxy stays, as a dead
    // object that C-API calls report.
    if unsafe { (*proxy).ob_refcnt } == 0 && !h.release_deferred {
        dealloc(proxy);
    }
}

/// Calls `f` with every live proxy that holds its host object (for the
/// cycle collector's accounting), arena and foreign alike.
pub fn for_each_holding_proxy(mut f: impl FnMut(*mut PyObject, &Header)) {
    arena::for_each_block(|block| {
        let h = unsafe { &*(block as *const Header) };
        if h.holds_host && !h.host.is_null() {
            f(unsafe { block.add(HEADER) } as *mut PyObject, h);
        }
    });
    for entry in FOREIGN.iter() {
        let h = unsafe { &*entry.value().0.get() };
        if h.holds_host && !h.host.is_null() && h.layout != Layout::Static {
            f(*entry.key() as *mut PyObject, h);
        }
    }
}

/// Proxy memory: one reserved stretch of address space, so that "is this a
/// proxy the layer allocated?" is a range check.
///
/// Blocks are recycled per size class, first-in first-out after a
/// quarantine, so a freed proxy keeps its zero count (and type) for a while:
/// one Py_DECREF too many then lands on a dead proxy and is reported instead
/// of corrupting memory. Only the thread holding the GIL allocates or frees.
mod arena {
    use std::cell::UnsafeCell;
    use std::collections::VecDeque;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Address space reserved (not committed) for proxies.
    const RESERVED: usize = 16 << 30;
    /// Larger blocks use the C heap.
    pub const MAX_BLOCK: usize = 64 << 10;
    const CLASS_BYTES: usize = 16;
    const QUARANTINE: usize = 256;

    static BASE: AtomicUsize = AtomicUsize::new(0);
    static END: AtomicUsize = AtomicUsize::new(0);

    struct Blocks {
        next: usize,
        free: Vec<VecDeque<usize>>,
    }
    struct Shared(UnsafeCell<Blocks>);
    // Serialised by the GIL.
    unsafe impl Sync for Shared {}
    static BLOCKS: Shared = Shared(UnsafeCell::new(Blocks { next: 0, free: Vec::new() }));

    fn reserve() -> usize {
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                RESERVED,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if base == libc::MAP_FAILED {
            crate::boundary::fatal("cannot reserve address space for object proxies");
        }
        let base = base as usize;
        BASE.store(base, Ordering::Release);
        END.store(base + RESERVED, Ordering::Release);
        base
    }

    #[inline]
    pub fn contains(addr: usize) -> bool {
        addr >= BASE.load(Ordering::Relaxed) && addr < END.load(Ordering::Relaxed)
    }

    fn class_of(total: usize) -> (usize, usize) {
        let rounded = total.next_multiple_of(CLASS_BYTES);
        if rounded <= 1024 {
            (rounded / CLASS_BYTES, rounded)
        } else {
            let size = rounded.next_power_of_two();
            (64 + size.trailing_zeros() as usize, size)
        }
    }

    /// A zeroed block of at least `total` bytes, or None when it is too large.
    pub fn alloc(total: usize) -> Option<*mut u8> {
        if total > MAX_BLOCK {
            return None;
        }
        let (class, size) = class_of(total);
        let blocks = unsafe { &mut *BLOCKS.0.get() };
        if blocks.next == 0 {
            blocks.next = reserve();
        }
        if blocks.free.len() <= class {
            blocks.free.resize_with(class + 1, VecDeque::new);
        }
        let list = &mut blocks.free[class];
        if list.len() > QUARANTINE {
            let block = list.pop_front().unwrap() as *mut u8;
            unsafe { std::ptr::write_bytes(block, 0, size) };
            return Some(block);
        }
        let block = blocks.next;
        if block + size > END.load(Ordering::Relaxed) {
            crate::boundary::fatal("the object proxy arena is exhausted");
        }
        blocks.next += size;
        Some(block as *mut u8)
    }

    /// Visits every block handed out so far (live or free): each starts
    /// with a header that records its size.
    pub fn for_each_block(mut f: impl FnMut(*mut u8)) {
        let blocks = unsafe { &*BLOCKS.0.get() };
        if blocks.next == 0 {
            return;
        }
        let mut at = BASE.load(Ordering::Relaxed);
        while at < blocks.next {
            let total = unsafe { (*(at as *const super::Header)).size } as usize;
            f(at as *mut u8);
            at += class_of(total.max(1)).1;
        }
    }

    pub fn free(block: *mut u8, total: usize) {
        let (class, _) = class_of(total);
        let blocks = unsafe { &mut *BLOCKS.0.get() };
        blocks.free[class].push_back(block as usize);
    }
}
