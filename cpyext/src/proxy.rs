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
//!
//! # Invariants
//!
//! The object model's `unsafe` code rests on these rules, written once here;
//! `// SAFETY:` comments across the crate cite them by number.
//!
//! - **I1, one mutator.** Only the thread that holds the layer's GIL
//!   (`gil.rs`), or the host's cycle collector, which has stopped every other
//!   thread and counts as holding it (`gil::as_collector`), reads or writes
//!   proxy headers, the counts the layer changes, the arena's free lists and
//!   the deferred-release and parked lists. The identity maps (`IDENTITY`, `FOREIGN`,
//!   `PINS`) are concurrent maps, but the data their entries point at
//!   follows the same rule. Where the type system can carry the proof it
//!   does: the arena and the deferred list take a `gil::GilToken`, which only
//!   `GilGuard::token`, `gil::as_collector` and the `unsafe`
//!   `GilToken::assume_held` make. The public functions of this module run
//!   under the GIL by contract: every C-API function checks it on entry
//!   (`boundary::enter_api`), and every call from Rust into C takes it
//!   (`boundary::call_into_c`, the slot trampolines).
//! - **I2, headers.** An arena proxy is 16-byte aligned and its `Header` sits
//!   `HEADER` bytes before it, in the same block. Any other proxy's header
//!   is the box in its `FOREIGN` entry, which does not move while the entry
//!   exists. `header` returns a raw pointer; a `&mut Header` made from it
//!   lives only in a scope that runs no code able to reach the same header
//!   (no Python code, no C code, no drop of a host reference).
//! - **I3, the host reference.** While a proxy's count is positive it holds
//!   one strong reference to its host object (`holds_host`), except a
//!   *pending* proxy made in C (`PyTuple_New`, `PyUnicode_New`...), whose
//!   `host` is null until it first crosses into Python. At count zero two
//!   kinds keep their memory and point at their host without holding it: an
//!   instance of a C type (Python keeps the host alive, and the host's death
//!   runs `tp_dealloc`), and a pinned proxy (the host's death frees it).
//!   A parked proxy (an int, str... Python still holds, or a container C
//!   stored in one) keeps its memory and its strong reference at count
//!   zero, until `sweep_parked` frees it. One may have let its host go since
//!   (a str C took back and then alone held, made writable: `PyUnicode_AsUTF8`);
//!   then only C's count keeps it, and the sweep frees it at zero.
//!   Static proxies (I7) hold their host forever.
//! - **I4, identity.** `IDENTITY` maps a host address to a proxy only while
//!   that proxy holds or points at that host. An entry is removed before the
//!   host reference is dropped, so a reused host address never finds a
//!   stale entry.
//! - **I5, memory.** Arena memory is never unmapped, so any address in the
//!   arena can be read. A freed block waits in a first-in first-out
//!   quarantine of its size class before reuse and is zeroed when reused:
//!   a pointer to a freed proxy reads a dead object (count zero) for a while
//!   instead of another live object, and `dealloc` reports a count below
//!   zero as a fatal error. A bitmap marks where blocks start: `header`
//!   takes an arena address for a proxy only there, never inside a block.
//! - **I6, deferred releases.** The deferred-release list is per thread; a
//!   proxy is on it at most once (`Header::release_deferred`); a call frame
//!   releases only the entries added after its mark, and of those only the
//!   ones whose count is still zero.
//! - **I7, immortals.** Static proxies (type objects, singletons, modules
//!   and their dicts) are never freed; a count that C drives to zero is put
//!   back to `IMMORTAL_REFCNT`.
//! - **I8, pointers from C.** A `*mut PyObject` that C passes to the API is,
//!   by CPython's contract, NULL where the API allows it or the address of
//!   a live object. The `#[cpython_api] unsafe fn`s say what they need in
//!   `# Safety`. The safe functions of this module that the API layer calls
//!   with C's pointers (`to_host`, `incref`, `decref`...) check what they
//!   cheaply can (NULL, a registered header) and otherwise rely on that
//!   contract, as the inline `Py_INCREF`/`Py_DECREF` in C do.
use crate::ffi::{self, Py_ssize_t, PyObject, PyTypeObject};
use crate::gil::GilToken;
use crate::hooks;
use dashmap::DashMap;
use rustpython_vm::builtins::{PyByteArray, PyBytes, PyComplex, PyFloat, PyInt, PyList, PySlice, PyStr, PyTuple, PyType};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::cell::{RefCell, UnsafeCell};
use std::ptr::NonNull;
use std::sync::LazyLock;

/// How a proxy's memory is laid out beyond the object header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// `PyObject` only.
    Plain,
    /// `PyTupleObject`: `ob_size` and an inline array of owned item proxies.
    Tuple,
    /// A str in CPython's compact layout (PEP 393): `PyASCIIObject` or
    /// `PyCompactUnicodeObject`, then the text, 1, 2 or 4 bytes a character
    /// and NUL-terminated (see `api::unicodeobject`). A str from
    /// `PyUnicode_New` has no host object until it crosses into Python.
    Str,
    /// `PyBytesObject`: `ob_size`, `ob_shash` and a NUL-terminated copy.
    Bytes,
    /// `PyFloatObject`: the value.
    Float,
    /// `PySliceObject`: owned proxies of start, stop and step (None when
    /// absent), so C may read the fields.
    Slice,
    /// `PyLongObject`: `ob_size` and the value's 30-bit digits.
    Long,
    /// `PyComplexObject`: the value.
    Complex,
    /// `PyListObject`: `ob_size` and `ob_item`, an array of owned item
    /// proxies that mirrors the host list (`api::listobject`). A list from
    /// `PyList_New` has no host until it crosses into Python.
    List,
    /// A builtin function (`PyCMethodObject`) or descriptor
    /// (`PyMethodDescrObject`, `PyDescrObject`), filled by `api::methodobject`.
    Function,
    /// Memory the layer does not own (static type objects, singletons,
    /// leaked type proxies): never freed.
    Static,
    /// An instance of a C-defined type: the C struct *is* the object, and
    /// the host object (payload `CInstance`) is its Python face. The struct
    /// lives as long as the host object; C's references keep the host alive.
    Instance,
}

impl Layout {
    /// How many layouts there are (the size of per-layout hook tables).
    pub const COUNT: usize = Layout::Instance as usize + 1;

    /// The immutable builtin values (int, str, bytes, float, complex),
    /// which hold no references: parked at count zero (`park_on_release`)
    /// unless given away (`mark_given_away_items`).
    fn is_immutable_value(self) -> bool {
        matches!(self, Layout::Str | Layout::Bytes | Layout::Long | Layout::Float | Layout::Complex)
    }
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
    /// A str's `wchar_t` copy, made on the first `PyUnicode_AsUnicode`.
    pub wstr: *mut [u8],
    /// The call frame that last took a borrowed-reference keep-alive on it.
    pub kept_in_frame: u64,
    /// Whether `host` is a strong reference. Always so, except for an
    /// instance of a C type while C holds no reference to it: `host` then
    /// points at an object that Python keeps alive.
    pub holds_host: bool,
    /// For instances of GC types: whether the cycle collector follows it.
    pub gc_tracked: bool,
    /// For the proxy of a host object of a GC type (tracked from birth, as
    /// CPython's containers are): C has untracked it.
    pub gc_untracked: bool,
    /// Whether tp_finalize has run (it runs once for GC types).
    pub finalized: bool,
    /// Stored by C into a host container: lives while its host does (see
    /// `pin_to_host`).
    pub pinned: bool,
    /// A value C let go of while Python still holds it (an immutable one,
    /// or a container C stored): kept with its host until Python lets go
    /// too (see `park_on_release`).
    pub parked: bool,
    /// C stored this object, which cannot be weakly referenced (a tuple, a
    /// list, a dict), in a host container: at count zero it is parked while
    /// Python holds it (see `pin_to_host`).
    pub stored_by_c: bool,
    /// Made for an object Python had first (not one C built, such as a
    /// tuple from `PyTuple_New`): C may keep it borrowed (`park_on_release`).
    pub from_python: bool,
    /// A value C made whose last reference was an item of a tuple C made
    /// and gave away: not parked at count zero (see `mark_given_away_items`); C taking it
    /// back (`incref` from zero) clears it.
    pub given_away: bool,
    /// At count zero, waiting for the C call to end (see `dealloc`).
    pub release_deferred: bool,
    /// For a proxy whose body mirrors a mutable host object (a list): the
    /// mirror may be out of date, and is brought up to date on next use.
    pub stale: bool,
    /// Bytes allocated for header and object together.
    pub size: u32,
    pub layout: Layout,
}

impl Header {
    fn new(host: Option<PyObjectRef>, layout: Layout, size: usize) -> Self {
        Header {
            host: host.map_or(std::ptr::null(), |h| h.into_raw().as_ptr() as *const _),
            utf8: std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0),
            wstr: std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0),
            kept_in_frame: 0,
            holds_host: true,
            gc_tracked: false,
            gc_untracked: false,
            finalized: false,
            pinned: false,
            parked: false,
            stored_by_c: false,
            from_python: false,
            given_away: false,
            release_deferred: false,
            stale: false,
            size: size as u32,
            layout,
        }
    }

    /// A new strong reference to the host object, if there is one yet.
    pub fn host(&self) -> Option<PyObjectRef> {
        if self.host.is_null() {
            return None;
        }
        // SAFETY: a non-null `host` is alive: held by this header (I3), or,
        // at count zero, kept alive by Python until its death clears `host`.
        let borrowed = unsafe { &*self.host };
        Some(borrowed.to_owned())
    }

    pub fn utf8(&self) -> Option<&[u8]> {
        if self.utf8.is_null() {
            None
        } else {
            // SAFETY: a non-null `utf8` is a boxed slice this header owns;
            // it is replaced or freed only through `&mut self`.
            Some(unsafe { &*self.utf8 })
        }
    }

    pub fn set_utf8(&mut self, bytes: Box<[u8]>) {
        self.release_utf8();
        self.utf8 = Box::into_raw(bytes);
    }

    pub fn wstr(&self) -> Option<&mut [u8]> {
        // SAFETY: a non-null `wstr` is a boxed slice this header owns, freed
        // only through `&mut self`; only the GIL holder uses it (I1).
        if self.wstr.is_null() { None } else { Some(unsafe { &mut *self.wstr }) }
    }

    pub fn set_wstr(&mut self, buffer: Box<[u8]>) {
        if !self.wstr.is_null() {
            // SAFETY: `wstr` came from `Box::into_raw` and is freed once here.
            drop(unsafe { Box::from_raw(self.wstr) });
        }
        self.wstr = Box::into_raw(buffer);
    }

    /// Frees the str caches (UTF-8 and wchar_t).
    fn release_utf8(&mut self) {
        if !self.utf8.is_null() {
            // SAFETY: `utf8` came from `Box::into_raw`; it is nulled right after.
            drop(unsafe { Box::from_raw(self.utf8) });
            self.utf8 = std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0);
        }
        if !self.wstr.is_null() {
            // SAFETY: `wstr` came from `Box::into_raw`; it is nulled right after.
            drop(unsafe { Box::from_raw(self.wstr) });
            self.wstr = std::ptr::slice_from_raw_parts_mut(std::ptr::null_mut(), 0);
        }
    }

    /// Gives up the strong hold on the host but keeps pointing at it (to be
    /// dropped by the caller).
    fn take_host_keeping_pointer(&mut self) -> Option<PyObjectRef> {
        if self.host.is_null() || !self.holds_host {
            return None;
        }
        self.holds_host = false;
        // SAFETY: `holds_host` said `host` is a strong reference made by
        // `into_raw`; clearing the flag hands that reference to the caller.
        Some(unsafe { PyObjectRef::from_raw(NonNull::new_unchecked(self.host as *mut _)) })
    }

    /// Gives up the host reference (to be dropped by the caller).
    fn take_host(&mut self) -> Option<PyObjectRef> {
        if self.host.is_null() || !self.holds_host {
            return None;
        }
        // SAFETY: as in `take_host_keeping_pointer`; `host` is cleared too.
        let host = unsafe { PyObjectRef::from_raw(NonNull::new_unchecked(self.host as *mut _)) };
        self.host = std::ptr::null();
        self.holds_host = false;
        Some(host)
    }
}

pub(crate) const HEADER: usize = size_of::<Header>().next_multiple_of(16);

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
        self.0 = ((n >> 4) as u64)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(26);
    }
}
pub(crate) type AddressMap<V> = DashMap<usize, V, std::hash::BuildHasherDefault<AddressHasher>>;

/// Host object address -> proxy address.
pub static IDENTITY: identity::IdentityMap = identity::IdentityMap::new();
/// Headers of proxies outside the arena (static objects, very large proxies).
static FOREIGN: LazyLock<AddressMap<Box<ForeignHeader>>> = LazyLock::new(AddressMap::default);

/// A header kept in FOREIGN; mutated only by the thread holding the GIL.
struct ForeignHeader(UnsafeCell<Header>);
// SAFETY: the header's raw pointers are only followed, and the cell only
// written, by the thread holding the GIL (I1), which serialises all access.
unsafe impl Sync for ForeignHeader {}
// SAFETY: as for Sync; the host reference it holds may be dropped on any
// thread (RustPython objects are Send with the threading feature).
unsafe impl Send for ForeignHeader {}

#[inline]
pub fn host_addr(obj: &rustpython_vm::PyObject) -> usize {
    obj as *const rustpython_vm::PyObject as usize
}

/// Where the bookkeeping of a proxy the layer knows is, or None.
///
/// A raw pointer, so that two lookups of the same proxy never make two
/// live `&mut Header`: read and write it under the GIL (I1), and make a
/// reference from it only for a scope that cannot reach the header again
/// (I2). An address in the arena that is not the start of a proxy (a
/// `PyObject` header that C embeds in its own struct, as guppy3's bitsets
/// embed their first union object) has no header here: it is looked up in
/// `FOREIGN` like any memory C owns, and is normally not found.
#[inline(always)]
pub fn header(proxy: *mut PyObject) -> Option<NonNull<Header>> {
    let address = proxy as usize;
    if let Some(block) = arena::block_of_proxy(address) {
        // Pointer arithmetic only: whoever reads through it answers for it.
        return NonNull::new(block as *mut Header);
    }
    FOREIGN.get(&address).and_then(|h| NonNull::new(h.0.get()))
}

/// The bookkeeping of a proxy as a mutable reference, for the C-API
/// functions in `api/` (which read and set a field or two per call).
///
/// # Safety
/// The caller must hold the GIL (I1), `proxy` must be NULL-free and the
/// address of a proxy (not an interior pointer), and the reference must not
/// be used after the caller runs code that can reach the same header again
/// (Python code, C code, dropping a host reference) nor after the proxy is
/// freed: two live references to one header are undefined behaviour (I2).
#[inline]
pub unsafe fn header_mut(proxy: *mut PyObject) -> Option<&'static mut Header> {
    // SAFETY: the caller guarantees exclusivity and liveness (see above);
    // the pointer is valid for the proxy's life (I2, I5).
    header(proxy).map(|h| unsafe { &mut *h.as_ptr() })
}

/// The proxy of `obj` if it has one now (no reference is taken or made).
pub fn existing_proxy(obj: &rustpython_vm::PyObject) -> Option<*mut PyObject> {
    IDENTITY.get(&host_addr(obj)).map(|p| *p as *mut PyObject)
}

/// A new (owned) reference to the proxy of `obj`, making the proxy if needed.
#[inline]
pub fn new_ref(vm: &VirtualMachine, obj: &PyObjectRef) -> *mut PyObject {
    if let Some(proxy) = IDENTITY.get(&host_addr(obj)).map(|p| *p) {
        let proxy = proxy as *mut PyObject;
        incref(proxy);
        refresh_on_handout(vm, proxy, obj);
        return proxy;
    }
    make_proxy(vm, obj.clone())
}

/// A mutable object handed to C again may have changed in Python since C
/// last saw it: the fields C reads directly are brought up to date (a
/// list's item mirror, see `Layout::List`; a bytearray's size).
#[inline]
fn refresh_on_handout(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) {
    // The layouts of immutable builtins (no list or bytearray has one):
    // nothing to refresh, known from the proxy C is about to read anyway.
    // SAFETY: the proxy's header, read under the GIL (I1, I2).
    let immutable = header(proxy).is_some_and(|h| unsafe {
        matches!(h.as_ref().layout, Layout::Long | Layout::Float | Layout::Str | Layout::Bytes | Layout::Complex | Layout::Tuple)
    });
    if immutable {
        return;
    }
    let layout = if obj.downcast_ref::<PyList>().is_some() {
        Layout::List
    } else if obj.downcast_ref::<PyByteArray>().is_some() {
        Layout::Plain
    } else {
        // Another plain proxy with a struct (an array) follows its host too.
        // SAFETY: the proxy's header, read under the GIL (I1, I2).
        let with_struct = header(proxy).is_some_and(|h| unsafe {
            let h = h.as_ref();
            // The header's size counts the header: a bare object is HEADER + PyObject.
            h.layout == Layout::Plain && h.size as usize > HEADER + size_of::<PyObject>()
        });
        if !with_struct {
            return;
        }
        Layout::Plain
    };
    if let Some(refresh) = hooks::layout(layout).refresh {
        // SAFETY: `proxy` is the live proxy of `obj`, found in IDENTITY (I4).
        unsafe { refresh(vm, proxy, obj) };
    }
}

/// Like `new_ref`, but consumes the host reference.
pub fn into_ref(vm: &VirtualMachine, obj: PyObjectRef) -> *mut PyObject {
    if let Some(proxy) = IDENTITY.get(&host_addr(&obj)).map(|p| *p) {
        let proxy = proxy as *mut PyObject;
        incref(proxy);
        refresh_on_handout(vm, proxy, &obj);
        return proxy;
    }
    make_proxy(vm, obj)
}

/// `into_ref` for an object the caller has just made and shown to no one
/// (a call's keyword dict): it has no proxy yet, so the identity table is
/// not searched.
pub fn into_ref_fresh(vm: &VirtualMachine, obj: PyObjectRef) -> *mut PyObject {
    debug_assert!(existing_proxy(&obj).is_none(), "into_ref_fresh of an object with a proxy");
    make_proxy(vm, obj)
}

fn make_proxy(vm: &VirtualMachine, obj: PyObjectRef) -> *mut PyObject {
    if let Some(cls) = obj.downcast_ref::<PyType>() {
        // Type proxies are immortal and registered when first made.
        let proxy = (hooks::get().type_proxy)(vm, cls) as *mut PyObject;
        // SAFETY: `type_proxy` returns an immortal, initialised type object
        // (I7); its count is only touched under the GIL (I1).
        unsafe { (*proxy).ob_refcnt += 1 };
        return proxy;
    }
    let ob_type = (hooks::get().type_proxy)(vm, obj.class());
    // SAFETY: as above, an immortal type object.
    let flags = unsafe { (*ob_type).tp_flags };
    // Only the proxy will hold it: a str just made for C, which CPython
    // would still let C modify.
    let fresh = obj.strong_count() == 1;
    let (layout, size) = if obj.downcast_ref::<PyStr>().is_some() {
        (Layout::Str, hooks::layout(Layout::Str).proxy_size.map_or(size_of::<PyObject>(), |size| size(vm, &obj)))
    } else if flags & ffi::Py_TPFLAGS_TUPLE_SUBCLASS as u64 != 0 {
        let n = obj.downcast_ref::<PyTuple>().map_or(0, |t| t.len());
        (Layout::Tuple, tuple_size(n))
    } else if flags & ffi::Py_TPFLAGS_BYTES_SUBCLASS as u64 != 0 {
        let n = obj
            .downcast_ref::<PyBytes>()
            .map_or(0, |b| b.as_bytes().len());
        (Layout::Bytes, bytes_size(n))
    } else if obj.downcast_ref::<PyFloat>().is_some() {
        (Layout::Float, size_of::<ffi::PyFloatObject>())
    } else if obj.downcast_ref::<PySlice>().is_some() {
        (Layout::Slice, size_of::<ffi::PySliceObject>())
    } else if obj.downcast_ref::<PyInt>().is_some() {
        // CPython's ob_size and 30-bit digits (api/longobject.rs fills them).
        (Layout::Long, hooks::layout(Layout::Long).proxy_size.map_or(size_of::<ffi::PyLongObject>(), |size| size(vm, &obj)))
    } else if obj.downcast_ref::<PyComplex>().is_some() {
        (Layout::Complex, size_of::<ffi::PyComplexObject>())
    } else if obj.downcast_ref::<PyList>().is_some() {
        (Layout::List, hooks::layout(Layout::List).proxy_size.map_or(size_of::<ffi::PyListObject>(), |size| size(vm, &obj)))
    } else {
        // Some host objects carry CPython's struct beyond the header
        // (functions, code objects, frames...): a higher layer knows which,
        // and fills it below.
        (hooks::get().layout_of)(vm, &obj)
    };
    let key = host_addr(&obj);
    // SAFETY: proxies are made under the GIL (I1).
    let gil = unsafe { GilToken::assume_held() };
    let proxy = new_proxy(gil, layout, size, ob_type, Some(obj.clone()));
    if let Some(hp) = header(proxy) {
        // SAFETY: the header of the proxy just made, under the GIL (I1, I2).
        unsafe { (*hp.as_ptr()).from_python = true };
    }
    if matches!(layout, Layout::List | Layout::Tuple) {
        // In the table before its items are mirrored: a list that contains
        // itself then finds this proxy instead of making another. A tuple
        // too: one reached again through a list inside it (`t = ([],);
        // t[0].append(t)`) got a second proxy while its items were made,
        // which the list kept, so C found two pointers for one object (a
        // C pickler's memo, keyed by address, wrote the tuple twice:
        // zodbpickle's recursive-tuple tests).
        IDENTITY.insert(key, proxy as usize);
    }
    // SAFETY: `proxy` is a fresh zeroed block of `size` object bytes, sized
    // for the layout just chosen (`tuple_size`/`bytes_size` leave room for
    // every item and the NUL), and nothing else sees it yet.
    unsafe { fill_body(vm, layout, proxy, size, &obj, fresh) };
    IDENTITY.insert(key, proxy as usize);
    // A cached object is also held by the host's cache: one only this
    // function holds (`fresh`, as every int or float C makes) is not one,
    // nor an int whose digits, just written, are outside -5..=256.
    // SAFETY: the proxy just filled for this layout, digits and all (I2).
    let past_small_ints = layout == Layout::Long && unsafe {
        let long = proxy as *mut ffi::PyLongObject;
        let first = *((&raw const (*long).ob_digit) as *const u32);
        match (*long).ob_base.ob_size {
            0 => false,
            1 => first > 256,
            -1 => first > 5,
            _ => true,
        }
    };
    if !fresh && !past_small_ints && is_cached_singleton(vm, &obj) {
        make_immortal(proxy);
    }
    proxy
}

/// Whether `obj` is one of the host's cached objects that CPython 3.11
/// caches too: the small ints -5..=256, the empty tuple, str and bytes.
/// CPython's caches hold a reference to each, so an extension that
/// releases one reference too many never frees one (Cython's borrowed
/// temporaries rely on it); their proxies are immortal as well (I7).
fn is_cached_singleton(vm: &VirtualMachine, obj: &PyObjectRef) -> bool {
    if let Some(int) = obj.downcast_ref::<PyInt>() {
        use num_traits::ToPrimitive;
        let range = rustpython_vm::Context::INT_CACHE_POOL_RANGE;
        return int.as_bigint().to_i32().filter(|i| range.contains(i)).is_some_and(|i| {
            vm.ctx.int_cache_pool[(i - *range.start()) as usize].is(obj)
        });
    }
    obj.is(&vm.ctx.empty_tuple) || obj.is(vm.ctx.empty_str.as_object()) || obj.is(&vm.ctx.empty_bytes)
}

/// Writes the body of a builtin's object as C sees it (a tuple's items, a
/// float's value...) from its host object `obj`, whose class `layout` is for.
/// `size` is the object's bytes (a plain proxy has a body only beyond the
/// header).
///
/// # Safety
/// `proxy` must be zeroed, writable memory of `size` bytes laid out for
/// `layout` with room for all of `obj` (every item, the NUL of bytes), and
/// the GIL held.
pub unsafe fn fill_body(vm: &VirtualMachine, layout: Layout, proxy: *mut PyObject, size: usize, obj: &PyObjectRef, fresh: bool) {
    // SAFETY: the caller guarantees the memory and its room.
    unsafe {
        match layout {
            Layout::Tuple => fill_tuple(vm, proxy, obj),
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
                (*(proxy as *mut ffi::PyFloatObject)).ob_fval =
                    obj.downcast_ref::<PyFloat>().unwrap().to_f64();
            }
            // The layouts a higher layer fills; a plain proxy only when it
            // carries a struct beyond the header.
            Layout::Str | Layout::Long | Layout::Function | Layout::List | Layout::Plain
                if layout != Layout::Plain || size > size_of::<PyObject>() =>
            {
                if let Some(fill) = hooks::layout(layout).fill {
                    fill(vm, proxy, obj, fresh);
                }
            }
            Layout::Slice => {
                let slice = obj.downcast_ref::<PySlice>().unwrap();
                let s = proxy as *mut ffi::PySliceObject;
                let none = vm.ctx.none();
                (*s).start = new_ref(vm, slice.start.as_ref().unwrap_or(&none));
                (*s).stop = new_ref(vm, &slice.stop);
                (*s).step = new_ref(vm, slice.step.as_ref().unwrap_or(&none));
            }
            Layout::Complex => {
                let value = obj.downcast_ref::<PyComplex>().unwrap().to_complex();
                (*(proxy as *mut ffi::PyComplexObject)).cval = ffi::Py_complex { real: value.re, imag: value.im };
            }
            // A plain proxy without a body, and memory the layer does not fill.
            Layout::Str | Layout::Long | Layout::Function | Layout::List | Layout::Plain | Layout::Static | Layout::Instance => {}
        }
    }
}

/// Runs `work` on each of `items`, and on what `work` queues on `queue` as
/// it runs (by calling this again, which then only queues), one after
/// another until none is left: as CPython's trashcan, a structure nested
/// 100,000 deep (numpy's recursion test hands C such a tuple) is walked
/// level after level, not by a native recursion that would overflow the
/// stack. All the work is done before the outermost call returns.
fn run_queued<T: 'static>(queue: &'static std::thread::LocalKey<RefCell<Option<Vec<T>>>>, mut items: Vec<T>, mut work: impl FnMut(T)) {
    let nested = queue.with(|q| match q.borrow_mut().as_mut() {
        Some(pending) => {
            pending.append(&mut items);
            true
        }
        None => false,
    });
    if nested {
        return;
    }
    /// Ends the outermost run, also if the work panicked.
    struct Outermost<T: 'static>(&'static std::thread::LocalKey<RefCell<Option<Vec<T>>>>);
    impl<T> Drop for Outermost<T> {
        fn drop(&mut self) {
            self.0.with(|q| *q.borrow_mut() = None);
        }
    }
    queue.with(|q| *q.borrow_mut() = Some(items));
    let _outermost = Outermost(queue);
    while let Some(item) = queue.with(|q| q.borrow_mut().as_mut().and_then(Vec::pop)) {
        work(item);
    }
}

thread_local! {
    /// Tuple proxies whose items are still to be made (`fill_tuple`).
    static TUPLES_TO_FILL: RefCell<Option<Vec<(usize, PyObjectRef)>>> = const { RefCell::new(None) };
    /// Items of released tuples and lists still to be released (`release_items`).
    static ITEMS_TO_RELEASE: RefCell<Option<Vec<*mut PyObject>>> = const { RefCell::new(None) };
}

/// Makes the item proxies of a new tuple proxy (a nested tuple's after the
/// tuple being filled: `run_queued`). No C code runs before the outermost
/// fill returns, so none sees a tuple whose items are still NULL.
///
/// # Safety
/// `proxy` must be a fresh tuple proxy with room for `obj`'s items.
unsafe fn fill_tuple(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) {
    let len = obj.downcast_ref::<PyTuple>().map_or(0, |t| t.len());
    // SAFETY: the caller's contract.
    unsafe { (*(proxy as *mut ffi::PyTupleObject)).ob_base.ob_size = len as Py_ssize_t };
    run_queued(&TUPLES_TO_FILL, vec![(proxy as usize, obj.clone())], |(tuple_proxy, tuple)| {
        let Some(tuple) = tuple.downcast_ref::<PyTuple>() else { return };
        // SAFETY: a tuple proxy made with room for its items.
        let items = unsafe { (*(tuple_proxy as *mut ffi::PyTupleObject)).ob_item.as_mut_ptr() };
        for (i, item) in tuple.iter().enumerate() {
            // SAFETY: as above, `i` is below the tuple's length.
            unsafe { *items.add(i) = new_ref(vm, item) };
        }
    });
}

/// The object bytes of a proxy or instance the layer made (0 if not ours).
pub fn object_size(object: *mut PyObject) -> usize {
    // SAFETY: a registered header, read under the GIL (I1, I2).
    header(object).map_or(0, |h| unsafe { h.as_ref().size as usize }.saturating_sub(HEADER))
}

pub fn tuple_size(n: usize) -> usize {
    size_of::<ffi::PyVarObject>() + size_of::<*mut PyObject>() * n.max(1)
}

pub fn bytes_size(n: usize) -> usize {
    std::mem::offset_of!(ffi::PyBytesObject, ob_sval) + n + 1
}

/// Allocates a zeroed proxy of `size` object bytes with its header.
fn new_proxy(
    gil: GilToken<'_>,
    layout: Layout,
    size: usize,
    ob_type: *mut PyTypeObject,
    host: Option<PyObjectRef>,
) -> *mut PyObject {
    try_new_proxy(gil, layout, size, ob_type, host)
        .unwrap_or_else(|| crate::boundary::fatal("out of memory allocating an object proxy"))
}

/// `new_proxy`, or None when the memory cannot be had (a size C asked
/// for, which CPython answers with a MemoryError).
fn try_new_proxy(
    gil: GilToken<'_>,
    layout: Layout,
    size: usize,
    ob_type: *mut PyTypeObject,
    host: Option<PyObjectRef>,
) -> Option<*mut PyObject> {
    let total = HEADER.checked_add(size).filter(|&t| t <= isize::MAX as usize)?;
    let proxy = match arena::alloc(gil, total) {
        // SAFETY: the block is at least `total` bytes, 16-byte aligned and
        // ours alone; the header goes first and the object after it (I2).
        Some(block) => unsafe {
            std::ptr::write(block as *mut Header, Header::new(host, layout, total));
            block.add(HEADER) as *mut PyObject
        },
        None => {
            // Too large for the arena: the C heap, with the header in FOREIGN.
            // SAFETY: calloc has no preconditions; the result is checked.
            let p = unsafe { libc::calloc(1, size) } as *mut PyObject;
            if p.is_null() {
                return None;
            }
            FOREIGN.insert(
                p as usize,
                Box::new(ForeignHeader(UnsafeCell::new(Header::new(
                    host, layout, total,
                )))),
            );
            p
        }
    };
    // SAFETY: `proxy` is a fresh block of at least one PyObject.
    unsafe {
        (*proxy).ob_refcnt = 1;
        (*proxy).ob_type = ob_type;
    }
    Some(proxy)
}

/// Registers memory that C will fill before it crosses into Python (a tuple
/// from `PyTuple_New`, bytes from `PyBytes_FromStringAndSize(NULL, n)`).
pub fn new_pending(layout: Layout, size: usize, ob_type: *mut PyTypeObject) -> *mut PyObject {
    // SAFETY: called by C-API functions, under the GIL (I1).
    let gil = unsafe { GilToken::assume_held() };
    new_proxy(gil, layout, size, ob_type, None)
}

/// `new_pending` for a size C chose: None when the memory cannot be had.
pub fn try_new_pending(layout: Layout, size: usize, ob_type: *mut PyTypeObject) -> Option<*mut PyObject> {
    // SAFETY: called by C-API functions, under the GIL (I1).
    let gil = unsafe { GilToken::assume_held() };
    try_new_proxy(gil, layout, size, ob_type, None)
}

/// Registers memory the layer does not own (static type objects, singletons)
/// as the immortal proxy of `obj`.
pub fn register_static(obj: PyObjectRef, proxy: *mut PyObject) {
    IDENTITY.insert(host_addr(&obj), proxy as usize);
    FOREIGN.insert(
        proxy as usize,
        Box::new(ForeignHeader(UnsafeCell::new(Header::new(
            Some(obj),
            Layout::Static,
            0,
        )))),
    );
}

/// C added `proxy` to a module (modules live as long as the interpreter
/// here): it stays valid while its object lives, pinned if it can be
/// weakly referenced, else immortal, as a module's own dict is.
pub fn keep_with_module(vm: &VirtualMachine, proxy: *mut PyObject) {
    pin_to_host(vm, proxy);
    let Some(hp) = header(proxy) else { return };
    // SAFETY: the proxy's header under the GIL (I1, I2), read only.
    let (pinned, layout) = unsafe { (hp.as_ref().pinned, hp.as_ref().layout) };
    if !pinned && !matches!(layout, Layout::Static | Layout::Instance) {
        make_immortal(proxy);
    }
}

/// Makes a proxy immortal: for objects whose borrowed references must stay
/// valid as long as the interpreter (modules, module dicts).
pub fn make_immortal(proxy: *mut PyObject) {
    // SAFETY: `proxy` is a live object the layer made (I8), written under
    // the GIL (I1).
    unsafe { (*proxy).ob_refcnt = ffi::IMMORTAL_REFCNT };
}

/// The host object behind a proxy (a borrowed reference on the C side).
#[inline]
pub fn to_host(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    if proxy.is_null() {
        return Err(vm.new_system_error("NULL object passed to a C-API function".to_owned()));
    }
    let Some(h) = header(proxy) else {
        // SAFETY: C passed it as an object (I8): a static instance is
        // adopted, anything else is named in the error by its type.
        return unsafe {
            (hooks::get().adopt_static_instance)(vm, proxy).unwrap_or_else(|| Err(unknown_object(vm, proxy)))
        };
    };
    // SAFETY: a registered proxy's header, read under the GIL (I1, I2); the
    // reference ends before any code runs.
    let (host, layout, size) = unsafe {
        let h = h.as_ref();
        (h.host(), h.layout, h.size as usize)
    };
    match host {
        Some(host) if layout == Layout::Tuple => {
            // SAFETY: a registered tuple proxy with its host, under the GIL.
            match unsafe { refill_reused_tuple(vm, proxy, &host) }? {
                Some(refilled) => Ok(refilled),
                None => Ok(host),
            }
        }
        Some(host) if layout == Layout::Instance => match hooks::layout(layout).rebuild_from_c {
            Some(rebuild) => Ok(rebuild(vm, proxy, &host)?.unwrap_or(host)),
            None => Ok(host),
        },
        Some(host) => {
            if layout == Layout::Bytes && LATE_FILLS.with(|l| !l.borrow().is_empty()) {
                refresh_late_fill(proxy, &host);
            }
            // C may have changed the struct directly: a list's ob_size, an
            // array's storage (a plain proxy with a struct).
            if layout == Layout::List || (layout == Layout::Plain && size > HEADER + size_of::<PyObject>()) {
                if let Some(sync) = hooks::layout(layout).sync_from_c {
                    sync(vm, proxy, &host);
                }
            }
            Ok(host)
        }
        // SAFETY: a registered proxy is readable memory (I2, I5); a revived
        // instance is one with no host and a positive count (the hook's
        // contract).
        None if layout == Layout::Instance && unsafe { (*proxy).ob_refcnt } > 0 => unsafe {
            (hooks::get().revive_instance)(vm, proxy).unwrap_or_else(|| Err(dead_object(vm, proxy)))
        },
        None if layout == Layout::Instance => Err(dead_object(vm, proxy)),
        // SAFETY: a registered proxy is readable memory (I2, I5).
        None if unsafe { (*proxy).ob_refcnt } <= 0 => Err(dead_object(vm, proxy)),
        None => deep_enough(|| {
            // SAFETY: a live proxy with no host yet is a pending one (I3).
            unsafe { materialize(vm, proxy) }
        }),
    }
}

/// Runs a conversion that may recurse once per level of what C built (a
/// tuple of tuples, a list of lists: `materialize` converts each item), on
/// a heap-allocated stack segment when the thread's stack runs low: C may
/// nest containers 100,000 deep, as CPython allows (rtoml's nesting limit
/// test), and the native stack would overflow.
#[inline]
fn deep_enough<R>(convert: impl FnOnce() -> R) -> R {
    // 128 KiB left is room for one level; each new segment holds thousands.
    stacker::maybe_grow(128 * 1024, 4 * 1024 * 1024, convert)
}

/// A tuple C reused in place: its items are no longer the host tuple's.
/// C may refill a tuple it holds the only reference to (multidict's items
/// iterator does, every step, as CPython's dict iterators do). The host
/// tuple is immutable, so the proxy gets a new one built from the items;
/// whoever still holds the old one (nobody, if C judged right) keeps it.
/// None when the items are the host's.
///
/// # Safety
/// `proxy` must be a registered tuple proxy whose host is `host`, and the
/// caller must hold the GIL.
unsafe fn refill_reused_tuple(vm: &VirtualMachine, proxy: *mut PyObject, host: &PyObjectRef) -> PyResult<Option<PyObjectRef>> {
    let Some(tuple) = host.downcast_ref::<PyTuple>() else { return Ok(None) };
    // Items C set since the tuple crossed with placeholders are not a reuse:
    // they go into the host tuple itself, which containers hold.
    if TUPLE_HOLES.with(|c| c.get()) != 0 {
        fill_tuple_holes(proxy, host, false);
    }
    // SAFETY: the caller's contract: a tuple's `ob_size` items, each NULL
    // or an object (I8), with readable headers (I2, I5).
    let unchanged = unsafe {
        let t = proxy as *mut ffi::PyTupleObject;
        let n = (*t).ob_base.ob_size as usize;
        let items = (*t).ob_item.as_ptr();
        n == tuple.len()
            && tuple.iter().enumerate().all(|(i, item)| {
                let p = *items.add(i);
                !p.is_null() && header(p).is_some_and(|h| h.as_ref().host as usize == host_addr(item))
            })
    };
    if unchanged {
        return Ok(None);
    }
    // SAFETY: the caller's contract (as for `materialize`, whose checks of
    // each item this shares).
    unsafe {
        let Some(old_host) = unlink_host(proxy) else { return Ok(None) };
        let refilled = materialize(vm, proxy);
        if let Some(h) = header(proxy) {
            // materialize's reference is the proxy's hold, as the old one was.
            (*h.as_ptr()).holds_host = old_host.is_some() || refilled.is_ok();
        }
        // Last: dropping the old tuple may run code.
        drop(old_host);
        refilled.map(Some)
    }
}

/// Parts `proxy` from its host: the identity entry and the header's link
/// go. Outer None: no header. Inner: the proxy's strong reference to the
/// old host, if it held one, for the caller to drop when its bookkeeping is
/// done (dropping may run code).
///
/// # Safety
/// `proxy` must be a registered proxy, and the caller must hold the GIL
/// with no other view of its header live.
unsafe fn unlink_host(proxy: *mut PyObject) -> Option<Option<PyObjectRef>> {
    let h = header(proxy)?;
    // SAFETY: the caller's contract; `holds_host` says whether `host` is a
    // strong reference from `into_raw`.
    unsafe {
        let h = &mut *h.as_ptr();
        let old = std::mem::replace(&mut h.host, std::ptr::null());
        let held = std::mem::replace(&mut h.holds_host, false);
        IDENTITY.remove_if(&(old as usize), |_, p| *p == proxy as usize);
        Some((held && !old.is_null()).then(|| PyObjectRef::from_raw(NonNull::new_unchecked(old as *mut _))))
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

/// `take` for the reference a C function returned (its call has ended).
/// A value or tuple C made and returned with its only reference, still
/// pending, gets its host object without an identity entry, and its proxy
/// is freed at once: C has given it away, as a tuple it built and gave
/// away is C's no more (`park_on_release`). So are the items of such a
/// tuple that C made only to put in it (a fetched row's values). Anything
/// else goes as `take` takes it.
pub fn take_returned(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    // SAFETY: C returned `proxy` as an object (I8), under the GIL (I1).
    match unsafe { take_sole_pending(vm, proxy) }? {
        Some(host) => Ok(host),
        None => take(vm, proxy),
    }
}

/// The header of `p` if it is a pending proxy (no host yet) of a layout
/// `take_sole_pending` handles, at count one, on no list.
///
/// # Safety
/// `p` must be NULL or an object (I8); the caller holds the GIL.
unsafe fn sole_pending(vm: &VirtualMachine, p: *mut PyObject, tuple: bool) -> Option<NonNull<Header>> {
    // SAFETY: the caller's contract; the header is read only.
    unsafe {
        if p.is_null() || (*p).ob_refcnt != 1 {
            return None;
        }
        let hp = header(p)?;
        let h = hp.as_ref();
        let layout_ok = match h.layout {
            Layout::Long | Layout::Float => true,
            Layout::Str => (*p).ob_type == (hooks::get().type_proxy)(vm, vm.ctx.types.str_type),
            Layout::Tuple => tuple && (*p).ob_type == (hooks::get().type_proxy)(vm, vm.ctx.types.tuple_type),
            _ => false,
        };
        let quiet = !h.release_deferred && !h.pinned && !h.parked && !h.stored_by_c && h.utf8.is_null() && h.wstr.is_null();
        (layout_ok && quiet && h.host.is_null()).then_some(hp)
    }
}

/// See `take_returned`: the host of a sole pending value or exact tuple,
/// its proxy freed; None for anything else (left untouched).
///
/// # Safety
/// `proxy` must be NULL or an object C gave up its reference to (I8); the
/// caller holds the GIL.
unsafe fn take_sole_pending(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<Option<PyObjectRef>> {
    // SAFETY: the caller's contract.
    let Some(hp) = (unsafe { sole_pending(vm, proxy, true) }) else { return Ok(None) };
    // SAFETY: `sole_pending` checked the layout; a tuple's `ob_size`
    // slots are each NULL or an owned object (I8).
    unsafe {
        let layout = hp.as_ref().layout;
        if layout != Layout::Tuple {
            let host = pending_value(vm, proxy, layout)?;
            free_sole(proxy, hp);
            return Ok(Some(host));
        }
        let t = proxy as *mut ffi::PyTupleObject;
        let n = (*t).ob_base.ob_size.max(0) as usize;
        let items = (*t).ob_item.as_mut_ptr();
        // A hole is an error or a late fill: the ordinary path's.
        if (0..n).any(|i| (*items.add(i)).is_null()) {
            return Ok(None);
        }
        let mut elements = Vec::with_capacity(n);
        for i in 0..n {
            let item = *items.add(i);
            if let Some(ih) = sole_pending(vm, item, false) {
                elements.push(pending_value(vm, item, ih.as_ref().layout)?);
                *items.add(i) = std::ptr::null_mut();
                free_sole(item, ih);
            } else {
                elements.push(to_host(vm, item)?);
            }
        }
        let host: PyObjectRef = vm.ctx.new_tuple(elements).into();
        // The tuple proxy goes with the items left in it (C's own ones
        // freed, not parked: `mark_given_away_items`).
        free_sole(proxy, hp);
        Ok(Some(host))
    }
}

/// The host object of a pending proxy made from its fields: a float's here
/// (`PyFloat_FromDouble`), an int's, str's... by the hook of the higher
/// layer that knows the layout. Tuples and bytes are `materialize`'s.
///
/// # Safety
/// `proxy` must be a live pending proxy of `layout`; the caller holds the GIL.
unsafe fn pending_value(vm: &VirtualMachine, proxy: *mut PyObject, layout: Layout) -> PyResult<PyObjectRef> {
    if layout == Layout::Float {
        // SAFETY: the caller's contract: a float's value is in place.
        return Ok(vm.ctx.new_float(unsafe { (*(proxy as *mut ffi::PyFloatObject)).ob_fval }).into());
    }
    match hooks::layout(layout).materialize {
        Some(build) => build(vm, proxy),
        // A proxy whose host is gone (see `pinned_host_died`).
        None => Err(dead_object(vm, proxy)),
    }
}

/// Frees a proxy whose only reference its caller holds, at once.
///
/// # Safety
/// `hp` must be the header of `proxy`, a registered proxy of count one
/// that nobody else may use; the caller holds the GIL.
unsafe fn free_sole(proxy: *mut PyObject, hp: NonNull<Header>) {
    // SAFETY: the caller's contract: the count is the caller's to drop.
    unsafe {
        (*proxy).ob_refcnt = 0;
        release_now(proxy, hp);
    }
}

pub fn opt_to_host(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<Option<PyObjectRef>> {
    if proxy.is_null() {
        Ok(None)
    } else {
        to_host(vm, proxy).map(Some)
    }
}

/// The `tp_name` of an object's type, for messages.
///
/// # Safety
/// `proxy` must point at readable memory laid out as a `PyObject` whose
/// `ob_type` is NULL or a type object.
unsafe fn type_name_of(proxy: *mut PyObject) -> String {
    // SAFETY: the caller's contract; tp_name is NULL or a C string.
    unsafe {
        let ty = (*proxy).ob_type;
        if ty.is_null() || (*ty).tp_name.is_null() {
            "?".to_owned()
        } else {
            std::ffi::CStr::from_ptr((*ty).tp_name)
                .to_string_lossy()
                .into_owned()
        }
    }
}

/// The error for an object the layer does not know.
///
/// # Safety
/// As `type_name_of`: `proxy` must be readable as a `PyObject`.
unsafe fn unknown_object(
    vm: &VirtualMachine,
    proxy: *mut PyObject,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_system_error(format!(
        "cpyext: the object at {proxy:p} (type '{}') was not made through the C API \
         (a static type that was never readied, or freed memory?)",
        // SAFETY: the caller's contract.
        unsafe { type_name_of(proxy) }
    ))
}

/// The error for a proxy that C used after releasing it. `proxy` is a
/// proxy the layer made, whose memory stays readable (I5).
pub fn dead_object(
    vm: &VirtualMachine,
    proxy: *mut PyObject,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_system_error(format!(
        "cpyext: the '{}' object at {proxy:p} was already released: C used a reference after \
         its last Py_DECREF, or kept a borrowed reference past the call that returned it",
        // SAFETY: a proxy the layer made stays readable, its type immortal (I5, I7).
        unsafe { type_name_of(proxy) }
    ))
}

/// Turns a C-made tuple, bytes, str or int (`_PyLong_New`) object into its
/// host object when it first crosses into Python.
///
/// # Safety
/// `proxy` must be a live pending proxy (registered, count above zero, no
/// host yet), and the caller must hold the GIL.
unsafe fn materialize(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    let Some(h) = header(proxy) else {
        return Err(dead_object(vm, proxy));
    };
    // SAFETY: a registered header, read under the GIL (I1, I2).
    let layout = unsafe { h.as_ref().layout };
    // SAFETY: the layout says how the object is laid out: a tuple's
    // `ob_size` items, each NULL or an object C set; bytes' `ob_size` bytes.
    let host: PyObjectRef = unsafe {
        match layout {
            Layout::Tuple => {
                let t = proxy as *mut ffi::PyTupleObject;
                let n = (*t).ob_base.ob_size as usize;
                let items = (*t).ob_item.as_ptr();
                let mut elements = Vec::with_capacity(n);
                let mut holes = false;
                for i in 0..n {
                    let item = *items.add(i);
                    if item.is_null() {
                        // C may store the tuple in a container first and set
                        // its items after (pycld2 and html5-parser fill module
                        // constants so): a placeholder until the call returns.
                        if crate::borrow::frame_active() {
                            elements.push(tuple_hole(vm));
                            holes = true;
                            continue;
                        }
                        return Err(unset_tuple_item(vm, i));
                    }
                    elements.push(to_host(vm, item)?);
                }
                let ob_type = (*proxy).ob_type;
                let host: PyObjectRef = if ob_type == (hooks::get().type_proxy)(vm, vm.ctx.types.tuple_type) {
                    vm.ctx.new_tuple(elements).into()
                } else {
                    // A tuple subclass made in C (a struct sequence): an instance of its class.
                    let cls = to_host(vm, ob_type as *mut PyObject)?.downcast::<PyType>().map_err(|_| unknown_object(vm, proxy))?;
                    rustpython_vm::PyPayload::into_ref_with_type(PyTuple::new_unchecked(elements.into_boxed_slice()), vm, cls)?.into()
                };
                if holes {
                    TUPLE_HOLES.with(|c| c.set(c.get() + 1));
                    LATE_FILLS.with(|l| l.borrow_mut().push((proxy as usize, host.clone(), 0)));
                }
                host
            }
            Layout::Bytes => {
                let b = proxy as *mut ffi::PyBytesObject;
                let n = (*b).ob_base.ob_size as usize;
                let data = std::slice::from_raw_parts((*b).ob_sval.as_ptr() as *const u8, n);
                let host: PyObjectRef = vm.ctx.new_bytes(data.to_vec()).into();
                if crate::borrow::frame_active() {
                    LATE_FILLS.with(|l| l.borrow_mut().push((proxy as usize, host.clone(), fingerprint(data))));
                }
                host
            }
            // A float C made, or a layout whose host a higher layer builds.
            other => pending_value(vm, proxy, other)?,
        }
    };
    IDENTITY.insert(host_addr(&host), proxy as usize);
    if let Some(h) = header(proxy) {
        // SAFETY: the header of a live proxy (an item's conversion above
        // cannot free the tuple C holds), written under the GIL (I1, I2).
        unsafe { (*h.as_ptr()).host = host.clone().into_raw().as_ptr() as *const _ };
    }
    Ok(host)
}

/// Adds a C reference. An instance of a C type whose count was zero takes
/// back its hold on the host object (which the caller has, so it is alive).
#[inline]
pub fn incref(proxy: *mut PyObject) {
    // SAFETY: `proxy` is a live object (I8), counted under the GIL (I1).
    let count = unsafe {
        (*proxy).ob_refcnt += 1;
        (*proxy).ob_refcnt
    };
    if count == 1 {
        if let Some(h) = header(proxy) {
            // SAFETY: the proxy's header under the GIL (I1, I2); taking a new
            // host reference runs no code. A non-null `host` not held is
            // alive: the caller has the object (I3).
            unsafe {
                let h = &mut *h.as_ptr();
                h.given_away = false;
                if !h.holds_host && !h.host.is_null() {
                    let host = (*h.host).to_owned();
                    h.host = host.into_raw().as_ptr() as *const _;
                    h.holds_host = true;
                }
            }
        }
    }
}

/// The count `Py_REFCNT` shows C: C's references, plus one while anything
/// else (Python) holds the host object. C code reuses an object in place
/// when it sees a count of 1 (a tuple it handed out before, a str it
/// appends to), which must not happen while Python still holds it. One, not
/// the host's exact count: that also counts the layer's own bookkeeping
/// (a buffer export, a call's arguments), and C compares counts before and
/// after a call, as CPython's own tests do.
pub fn reported_refcnt(proxy: *mut PyObject) -> Py_ssize_t {
    // SAFETY: `proxy` is a live object (I8), read under the GIL (I1).
    let count = unsafe { (*proxy).ob_refcnt };
    if count >= ffi::IMMORTAL_REFCNT / 2 {
        return count;
    }
    let Some(h) = header(proxy) else { return count };
    // SAFETY: the proxy's header under the GIL (I1, I2); a non-null host is
    // alive: held by the proxy, or by Python for an instance at count zero (I3).
    let python_refs = unsafe {
        let h = h.as_ref();
        if h.host.is_null() {
            0
        } else {
            (*h.host).strong_count().saturating_sub(h.holds_host as usize).min(1)
        }
    };
    // In its own tp_dealloc the object is dead to Python: a host made for
    // it there (a method called on self) is no reference (Cython's
    // Py_SET_REFCNT(o, Py_REFCNT(o) - 1) after __dealloc__ must reach zero).
    if python_refs > 0 && is_being_destroyed(proxy) {
        return count;
    }
    count + python_refs as Py_ssize_t
}

/// The references to `obj` as CPython counts them, for `sys.getrefcount`:
/// Python's, plus C's on its proxy (the proxy's own hold on the host is
/// not one of them).
pub fn python_and_c_refs(obj: &PyObjectRef) -> usize {
    let python = obj.strong_count();
    // The host's static objects (interned strs, single characters) keep a
    // count that never moves, the proxy's hold included.
    let host_static = python >= u32::MAX as usize / 2;
    let Some(proxy) = IDENTITY.get(&host_addr(obj)).map(|p| *p as *mut PyObject) else {
        return python;
    };
    let Some(h) = header(proxy) else { return python };
    // SAFETY: a registered proxy and its header, read under the GIL (I1, I2).
    let (c_refs, proxy_holds_host) = unsafe { ((*proxy).ob_refcnt, h.as_ref().holds_host && !h.as_ref().host.is_null()) };
    // Objects C treats as immortal (small ints, the empty str and tuple)
    // report the host's count.
    if c_refs >= ffi::IMMORTAL_REFCNT / 2 {
        return python;
    }
    // C's references count on top of a static object's fixed count, as
    // they do on CPython 3.11, where these objects are not immortal
    // (hat-trie checks that storing 'z' adds one).
    if host_static {
        return python.saturating_add(c_refs.max(0) as usize);
    }
    python - proxy_holds_host as usize + c_refs.max(0) as usize
}

/// Registers a new instance of a C type: zeroed memory of `size` bytes,
/// count 1, no host object yet (see `attach_host`).
/// None when the memory cannot be had.
pub fn new_instance(size: usize, ob_type: *mut PyTypeObject) -> Option<*mut PyObject> {
    // SAFETY: called by tp_alloc under the GIL (I1).
    let gil = unsafe { GilToken::assume_held() };
    try_new_proxy(gil, Layout::Instance, size, ob_type, None)
}

/// Registers memory C allocated itself (`PyObject_Init` on a
/// `PyObject_Malloc` block) as an instance of a C type.
pub fn adopt_instance(object: *mut PyObject, size: usize) {
    FOREIGN.insert(
        object as usize,
        Box::new(ForeignHeader(UnsafeCell::new(Header::new(
            None,
            Layout::Instance,
            size,
        )))),
    );
}

/// C has freed the memory at `address` behind the layer's back (a type
/// whose tp_free is libc's `free`, as cffi's owning cdata): the header
/// kept for an instance adopted there is stale, and would make the next
/// block malloc returns at that address look like an instance. Its host
/// reference, if any, is leaked rather than released: the object is gone.
/// The header's own box is freed: `host` is a raw pointer, which dropping
/// the box leaves alone (forgetting the box leaked ~80 bytes per object,
/// every cffi `ffi.new()`).
pub fn forget_freed_foreign(address: usize) {
    if let Some((_, mut header)) = FOREIGN.remove(&address) {
        // The entry is out of the map: nothing else reaches it.
        header.0.get_mut().release_utf8();
        drop(header);
    }
}

/// Gives an instance that has a host object another one (`rebuild_from_c`):
/// identity and the proxy's hold move to `host`; the old host is returned
/// for the caller to drop when no bookkeeping refers to it any more.
///
/// # Safety
/// `object` must be a registered instance with a host, and the caller must
/// hold the GIL.
pub unsafe fn replace_host(object: *mut PyObject, host: PyObjectRef) -> Option<PyObjectRef> {
    // SAFETY: the caller's contract.
    let old = unsafe { unlink_host(object) }?;
    IDENTITY.insert(host_addr(&host), object as usize);
    if let Some(h) = header(object) {
        // SAFETY: as above; the header is not otherwise borrowed.
        unsafe {
            let h = &mut *h.as_ptr();
            h.host = host.into_raw().as_ptr() as *const _;
            h.holds_host = true;
        }
    }
    old
}

/// Gives an instance its host object, held strongly while C holds it.
///
/// # Safety
/// `object` must be a registered instance of a C type with no host yet (or
/// a resurrected one whose host died), and the caller must hold the GIL.
pub unsafe fn attach_host(object: *mut PyObject, host: PyObjectRef) {
    IDENTITY.insert(host_addr(&host), object as usize);
    if let Some(h) = header(object) {
        // SAFETY: the instance's header, written under the GIL (I1, I2).
        unsafe {
            let h = &mut *h.as_ptr();
            h.host = host.into_raw().as_ptr() as *const _;
            h.holds_host = true;
        }
    }
}

/// Called as an instance's host object `host` (an address) dies: forget
/// it, so that only the C struct remains, for its tp_dealloc to free.
/// Returns false if the object is not (or no longer) a registered instance
/// whose host is `host`: a host made for a struct that died and was kept
/// for reuse (a free list) may outlive it, and the memory may stand for
/// another object by then.
///
/// # Safety
/// `object` must be the struct of an instance of a C type whose host object
/// is dying (see `ctype::instance_died`).
pub unsafe fn detach_host(object: *mut PyObject, host: usize) -> bool {
    let Some(h) = header(object) else {
        return false;
    };
    // SAFETY: the instance's header under the GIL (I1, I2); nothing below
    // runs code.
    let h = unsafe { &mut *h.as_ptr() };
    if h.layout != Layout::Instance || h.host.is_null() || h.host as usize != host {
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
    // SAFETY: a registered header, read under the GIL (I1, I2).
    header(object).is_some_and(|h| unsafe { h.as_ref().layout } == Layout::Instance)
}

/// `PyObject_Realloc` of an instance's own memory. In CPython an object's
/// memory comes from `PyObject_Malloc`, and C that alone holds a
/// variable-size object may grow it so: `_Py_ForgetReference`,
/// `PyObject_Realloc`, then `PyObject_InitVar` (or, if that failed,
/// `_Py_NewReference`) on the result (guppy3's bitsets; CPython's own
/// `_PyBytes_Resize`). The instance ends here, as after its tp_free, and
/// the memory returned is plain memory with the struct's bytes, which C
/// makes an object again. Its host object, if any, no longer stands for
/// it (the header is unlinked first, so the host's death runs no
/// tp_dealloc).
///
/// An instance in the arena (tp_alloc's memory) is copied into a block
/// from `alloc`, and its block returns to the arena; a null block leaves
/// it as it was, as `realloc` does. An instance in C heap memory (adopted
/// by `PyObject_Init`, or too large for the arena) ends first and is then
/// handed to `realloc`. None when `object` is no instance.
pub fn realloc_instance(
    object: *mut PyObject,
    new_size: usize,
    alloc: impl FnOnce(usize) -> *mut u8,
    realloc: impl FnOnce(*mut u8, usize) -> *mut u8,
) -> Option<*mut u8> {
    if !is_instance(object) {
        return None;
    }
    // SAFETY: a registered instance, under the GIL; no header view is live.
    let unlink = || unsafe { unlink_host(object) }.flatten();
    if arena::contains(object as usize) {
        let h = header(object)?;
        // SAFETY: an instance's header, read under the GIL (I1, I2): `size`
        // counts the header and the struct's room.
        let old_size = unsafe { h.as_ref().size as usize }.saturating_sub(HEADER);
        let block = alloc(new_size);
        if block.is_null() {
            return Some(block);
        }
        // SAFETY: the instance spans `old_size` bytes, the new block at
        // least `new_size`; the two are distinct allocations.
        unsafe { std::ptr::copy_nonoverlapping(object as *const u8, block, old_size.min(new_size)) };
        let host = unlink();
        free_instance(object);
        // Released last: dropping it may run code.
        drop(host);
        return Some(block);
    }
    let host = unlink();
    if let Some(before_free) = hooks::layout(Layout::Instance).before_free {
        before_free(object);
    }
    if let Some((_, header)) = FOREIGN.remove(&(object as usize)) {
        // SAFETY: the entry is out of the map: nothing else reaches it.
        unsafe { (*header.0.get()).release_utf8() };
    }
    drop(host);
    Some(realloc(object as *mut u8, new_size))
}

/// Frees the memory of an instance (its type's tp_free, via PyObject_Free).
pub fn free_instance(object: *mut PyObject) {
    if let Some(before_free) = hooks::layout(Layout::Instance).before_free {
        before_free(object);
    }
    let Some(h) = header(object) else { return };
    // SAFETY: the instance's header under the GIL (I1, I2); the reference
    // ends before the memory is freed, and no code runs meanwhile.
    let (stale_host, held, size) = unsafe {
        let h = &mut *h.as_ptr();
        h.release_utf8();
        (
            std::mem::replace(&mut h.host, std::ptr::null()),
            std::mem::replace(&mut h.holds_host, false),
            h.size as usize,
        )
    };
    if !stale_host.is_null() {
        IDENTITY.remove_if(&(stale_host as usize), |_, p| *p == object as usize);
    }
    // SAFETY: tp_free is the last use of the struct (CPython's contract);
    // the header was read above.
    unsafe { free_memory(object, size) };
    if held && !stale_host.is_null() {
        // Freed while C still held it (a tp_free called by hand): the host
        // reference is released last, as dropping it may run code.
        // SAFETY: `holds_host` said this is a strong reference from `into_raw`.
        drop(unsafe { PyObjectRef::from_raw(NonNull::new_unchecked(stale_host as *mut _)) });
    }
}

/// Returns a proxy's memory (header included) to where it came from.
///
/// # Safety
/// `proxy` must be a proxy the layer allocated (arena or `FOREIGN` with C
/// heap memory), `size` its header's `size`, and nothing may use it after.
unsafe fn free_memory(proxy: *mut PyObject, size: usize) {
    // SAFETY: the caller frees a proxy it owns, under the GIL (I1).
    let gil = unsafe { GilToken::assume_held() };
    if arena::contains(proxy as usize) {
        arena::free(gil, (proxy as *mut u8).wrapping_sub(HEADER), size);
    } else {
        FOREIGN.remove(&(proxy as usize));
        // SAFETY: a non-arena proxy with a header came from `calloc` (or
        // from C's `PyObject_Malloc`, which is `malloc`).
        unsafe { libc::free(proxy as *mut libc::c_void) };
    }
}

#[inline]
pub fn decref(proxy: *mut PyObject) {
    // SAFETY: `proxy` is a live object C holds a reference to (I8), counted
    // under the GIL (I1).
    let count = unsafe {
        (*proxy).ob_refcnt -= 1;
        (*proxy).ob_refcnt
    };
    if count <= 0 {
        dealloc(proxy);
    }
}

pub fn xdecref(proxy: *mut PyObject) {
    if !proxy.is_null() {
        decref(proxy);
    }
}

/// A reference the layer holds for the length of a scope (a call's `self`,
/// a proxy made for one C call): released when the guard drops, on every
/// return path. NULL holds nothing.
pub struct ReleaseOnDrop(pub *mut PyObject);

impl Drop for ReleaseOnDrop {
    fn drop(&mut self) {
        xdecref(self.0);
    }
}

thread_local! {
    /// The structs whose tp_dealloc is running on this thread, innermost last.
    static BEING_DESTROYED: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
    /// How many `while_destroying` run on this thread: every `dealloc`
    /// asks, and most often none does.
    static ANY_BEING_DESTROYED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `destroy` (a type's tp_dealloc on `object`) with `object` marked as
/// being destroyed. A `Py_DECREF` of it from inside, which takes its count
/// below zero, is then ignored, as in CPython, where the count of a dying
/// object just goes to -1: pygame's mixer releases a Sound again from a
/// callback its own dealloc triggers.
pub fn while_destroying<R>(object: *mut PyObject, destroy: impl FnOnce() -> R) -> R {
    BEING_DESTROYED.with(|d| d.borrow_mut().push(object as usize));
    ANY_BEING_DESTROYED.with(|n| n.set(n.get() + 1));
    let result = destroy();
    ANY_BEING_DESTROYED.with(|n| n.set(n.get() - 1));
    BEING_DESTROYED.with(|d| {
        let mut d = d.borrow_mut();
        if let Some(at) = d.iter().rposition(|&o| o == object as usize) {
            d.remove(at);
        }
    });
    result
}

/// The host object of an instance whose struct is dead (a count of zero
/// after its tp_dealloc) but kept by C, unlinked from the struct: identity
/// and the struct's hold go. None if it has no host.
///
/// # Safety
/// `object` must be a live struct (its memory not freed), under the GIL.
pub unsafe fn take_host_of_dead_instance(object: *mut PyObject) -> Option<PyObjectRef> {
    let h = header(object)?;
    // SAFETY: a registered header under the GIL (I1, I2); no code runs.
    let (is_dead_instance, host) = unsafe {
        let h = h.as_ref();
        (h.layout == Layout::Instance && (*object).ob_refcnt == 0, h.host)
    };
    if !is_dead_instance || host.is_null() {
        return None;
    }
    // SAFETY: a non-null host not held by the struct is alive (I3): the
    // reference is taken before the unlink, which may release the struct's.
    let host = unsafe { (*host).to_owned() };
    // SAFETY: the caller's contract; the reference above keeps the host
    // alive across the release of the struct's own.
    drop(unsafe { unlink_host(object) });
    Some(host)
}

/// Whether `proxy`'s tp_dealloc is running on this thread (`while_destroying`).
#[inline]
pub fn is_being_destroyed(proxy: *mut PyObject) -> bool {
    ANY_BEING_DESTROYED.with(|n| n.get() != 0) && BEING_DESTROYED.with(|d| d.borrow().contains(&(proxy as usize)))
}

/// Frees a proxy whose count reached zero; stops the process with a clear
/// message if the count went below zero.
pub fn dealloc(proxy: *mut PyObject) {
    if is_being_destroyed(proxy) {
        // Its tp_dealloc is running already (and a count that reaches zero
        // again in there, or goes below it, must not start another).
        // SAFETY: C passed an object (I8); its tp_dealloc owns the struct.
        unsafe { (*proxy).ob_refcnt = 0 };
        return;
    }
    if thread_locals_gone() {
        orphan(proxy);
        return;
    }
    // SAFETY: C passed an object (I8): readable as a PyObject.
    if unsafe { (*proxy).ob_refcnt } < 0 {
        if !absorb_over_release(proxy) {
            crate::boundary::fatal(&format!(
                "the refcount of a '{}' object at {proxy:p} went below zero: \
                 an extension released a reference it did not own (one Py_DECREF too many)",
                // SAFETY: as above.
                unsafe { type_name_of(proxy) }
            ));
        }
    }
    let Some(hp) = header(proxy) else {
        return; // not ours: nothing to free
    };
    // SAFETY: the proxy's header under the GIL (I1, I2). The reference ends
    // before any code runs (the host is released after the block).
    let (layout, host, hostless) = unsafe {
        let h = &mut *hp.as_ptr();
        let hostless = h.host.is_null();
        let host = if h.layout == Layout::Instance && h.holds_host && !h.host.is_null() {
            h.holds_host = false;
            // `holds_host` said this is a strong reference from `into_raw`.
            Some(PyObjectRef::from_raw(NonNull::new_unchecked(
                h.host as *mut _,
            )))
        } else {
            None
        };
        (h.layout, host, hostless)
    };
    match layout {
        Layout::Static => {
            // Immortal memory that C drove to zero: put the count back (I7).
            // SAFETY: a static object the layer registered, under the GIL.
            unsafe { (*proxy).ob_refcnt = ffi::IMMORTAL_REFCNT };
        }
        Layout::Instance => {
            // C let go of it. The host object may live on in Python; when it
            // dies, its payload runs the type's tp_dealloc on this struct.
            if let Some(host) = host {
                release_host(host); // may be the last reference: tp_dealloc runs now
            } else if hostless {
                // Its host died while C still held it (C revived it from
                // zero with a bare Py_INCREF): C's last release is its end.
                if let Some(release) = hooks::layout(Layout::Instance).release_owned {
                    release(proxy);
                }
            }
        }
        // A tuple made in C releases its items at once, as in CPython, where
        // extensions can see their counts drop. So does an opaque object
        // that nothing but C held (`dies_with_c`).
        // Every other layout waits while a call runs.
        // An item of a tuple C made and gave away (`mark_given_away_items`)
        // goes with the tuple, as in CPython: a reference C could take back
        // would have been a borrowed one of a tuple it no longer holds.
        // SAFETY: the proxy's header, read only.
        other if other != Layout::Tuple && crate::borrow::frame_active() && !unsafe { hp.as_ref().given_away } && !dies_with_c(hp) => {
            // Not during a C call: C often lets a count reach zero and takes
            // it back with a Py_INCREF the layer never sees (PyList_SetItem
            // steals an argument, then the caller increfs it). The proxy
            // stays whole until the call that released it returns.
            // SAFETY: C-API code runs under the GIL (I1).
            let gil = unsafe { GilToken::assume_held() };
            // SAFETY: the proxy's header, as above.
            unsafe { defer_release(gil, proxy, hp) };
        }
        // SAFETY: a registered proxy at count zero, not static or instance.
        _ => unsafe { release_now(proxy, hp) },
    }
}

/// Whether C's release of a proxy at count zero is, as in CPython, the
/// object's end: an opaque object (`Layout::Plain`, whose memory C never
/// reads) whose host nothing but the proxy holds. A steal followed by a
/// Py_INCREF, which deferral serves, leaves the host held by the container
/// it was stored in, so such an object is never one. Released at once, its
/// finalizer, weakref callbacks and buffer releases run when C lets go: a
/// temporary memoryview unlocks its exporter (`BytesIO.getbuffer()`, then
/// `write`), as CPython's does. So is a list only C held: its items go with
/// it. Values and other containers, whose memory C reads (text, digits,
/// items), still wait for the call's end.
fn dies_with_c(hp: NonNull<Header>) -> bool {
    // SAFETY: the proxy's header under the GIL (I1, I2), read only; a
    // non-null host the header holds is alive (I3).
    unsafe {
        let h = hp.as_ref();
        let only_c_holds = h.holds_host && !h.host.is_null() && (*h.host).strong_count() == 1;
        // A list nothing but C held (one C made, pending or not): its items
        // die with it, as in CPython, where a chain of objects that a
        // temporary list kept alive is gone when C drops the list (cypari2).
        (h.layout == Layout::Plain && only_c_holds) || (h.layout == Layout::List && (h.host.is_null() || only_c_holds))
    }
}

/// One `Py_DECREF` too many on an object Python still holds. In CPython the
/// count then only drops from N to N-1 and nothing is freed yet, so such
/// extensions pass their tests there (PyGreSQL releases a borrowed item on
/// an error path). The layer counts only C's references, so the same call
/// would reach below zero: the count is put back to zero, as if C had
/// released a reference of Python's, and a warning names the function. An
/// object only C holds stays a fatal error: in CPython it would be freed
/// memory in use.
fn absorb_over_release(proxy: *mut PyObject) -> bool {
    let Some(hp) = header(proxy) else { return false };
    // SAFETY: the proxy's header under the GIL (I1, I2), read only. A
    // non-null host is alive: held by the header, or kept by Python while a
    // pinned or instance proxy points at it (I3).
    let python_holds = unsafe {
        let h = hp.as_ref();
        !h.host.is_null() && h.layout != Layout::Static && (*h.host).strong_count() > h.holds_host as usize
    };
    if !python_holds {
        return false;
    }
    // SAFETY: as above, the count is the layer's under the GIL.
    unsafe { (*proxy).ob_refcnt = 0 };
    let culprit = crate::boundary::current_c_function();
    // SAFETY: as above; a live object's type.
    let type_name = unsafe { type_name_of(proxy) };
    // Once per function and type: an error path in a loop would flood.
    static WARNED: std::sync::Mutex<Vec<(String, String)>> = std::sync::Mutex::new(Vec::new());
    let key = (culprit.clone(), type_name.clone());
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    if warned.contains(&key) {
        return true;
    }
    warned.push(key);
    drop(warned);
    eprintln!(
        "cpyext: warning: the refcount of a '{type_name}' object at {proxy:p} went below zero{}: \
         one Py_DECREF too many, on an object Python still holds (CPython would not free it yet); \
         its count is put back to zero",
        if culprit.is_empty() { String::new() } else { format!(" in {culprit}") }
    );
    true
}

/// Puts a proxy at count zero on this thread's deferred list, once (I6).
///
/// # Safety
/// `h` must be `proxy`'s header.
unsafe fn defer_release(_gil: GilToken<'_>, proxy: *mut PyObject, h: NonNull<Header>) {
    // SAFETY: the caller's contract; the GIL token proves I1.
    let newly = unsafe { !std::mem::replace(&mut (*h.as_ptr()).release_deferred, true) };
    if newly {
        DEFERRED.with(|d| d.borrow_mut().push(proxy as usize));
    }
}

/// A tuple C made and gave away is C's no more (`park_on_release`), and
/// neither are the values C made only to put in it that never left it (a
/// row's ints, floats and strs, still pending): released with it, they are
/// freed, not parked. With no host object, nothing in Python can hand such
/// a proxy back to C, so a pointer C still has could only be a borrowed one
/// from the tuple it no longer holds. An item with a host is not one: the
/// identity table gives its proxy to any C code that meets the object
/// (a borrowed reference in an outer call, or a proxy a cache shares).
///
/// # Safety
/// `proxy` must be a tuple proxy at count zero with header `hp`, about to
/// release its items; the caller holds the GIL.
unsafe fn mark_given_away_items(proxy: *mut PyObject, hp: NonNull<Header>) {
    // SAFETY: the caller's contract; each item is NULL or a live object
    // whose header is read and written under the GIL (I1, I2).
    unsafe {
        if hp.as_ref().from_python {
            return;
        }
        let t = proxy as *mut ffi::PyTupleObject;
        let items = (*t).ob_item.as_ptr();
        for i in 0..(*t).ob_base.ob_size.max(0) as usize {
            let item = *items.add(i);
            if item.is_null() || (*item).ob_refcnt != 1 {
                continue;
            }
            if let Some(ih) = header(item) {
                let ih = &mut *ih.as_ptr();
                if !ih.from_python && ih.host.is_null() && ih.layout.is_immutable_value() {
                    ih.given_away = true;
                }
            }
        }
    }
}

/// Releases the items a tuple's body owns (a tuple proxy's, or a C
/// subtype of tuple's), each taken out before it is released, so code run
/// by a release never sees it twice.
///
/// # Safety
/// `object` must be a `PyTupleObject` whose `ob_size` slots are each NULL
/// or an owned reference, and the caller holds the GIL.
pub unsafe fn release_tuple_items(object: *mut PyObject) {
    // SAFETY: the caller's contract: `ob_size` slots, each NULL or owned.
    unsafe {
        let t = object as *mut ffi::PyTupleObject;
        release_items((*t).ob_item.as_mut_ptr(), (*t).ob_base.ob_size.max(0) as usize);
    }
}

/// Releases the references in a container's item array (a tuple's, a
/// list's mirror), each slot emptied before any is released. The items of
/// containers released meanwhile wait in a queue (`run_queued`), so a list
/// nested 100,000 deep is released level after level, as CPython's
/// trashcan does, not by one native frame per level.
///
/// # Safety
/// `items` must point at `n` slots, each NULL or an owned reference, that
/// no one else reads; the caller holds the GIL.
pub unsafe fn release_items(items: *mut *mut PyObject, n: usize) {
    // Most items only lose a count, or are leaves (an int, a str...) that
    // own no proxies: they are released without the queue, so releasing
    // most containers allocates nothing.
    const LEAVES: usize = 8;
    let mut leaves = [std::ptr::null_mut::<PyObject>(); LEAVES];
    let mut n_leaves = 0;
    let mut taken = Vec::new();
    // SAFETY: the caller's contract; a non-NULL item is a live object whose
    // header is read under the GIL (I1, I2).
    unsafe {
        for i in 0..n {
            let item = std::mem::replace(&mut *items.add(i), std::ptr::null_mut());
            if item.is_null() {
                continue;
            }
            if (*item).ob_refcnt > 1 {
                // Only loses a count: nothing runs.
                decref(item);
                continue;
            }
            let leaf = header(item).is_some_and(|h| {
                matches!(h.as_ref().layout, Layout::Long | Layout::Float | Layout::Str | Layout::Bytes | Layout::Complex)
            });
            if leaf && n_leaves < LEAVES {
                leaves[n_leaves] = item;
                n_leaves += 1;
            } else {
                taken.push(item);
            }
        }
    }
    // After every item is out of the container, as before.
    leaves[..n_leaves].iter().for_each(|&p| decref(p));
    if !taken.is_empty() {
        // Nested containers' items after this one's (`run_queued`).
        run_queued(&ITEMS_TO_RELEASE, taken, decref);
    }
}

/// Frees a proxy at count zero, or, if it is pinned, lets go of its host.
///
/// # Safety
/// `h` must be the header of `proxy`, a registered proxy at count zero whose
/// layout is neither `Static` nor `Instance`; the caller holds the GIL.
unsafe fn release_now(proxy: *mut PyObject, hp: NonNull<Header>) {
    // SAFETY: the caller's contract; the reference ends before code runs.
    let (pinned, layout, listed, has_body) = unsafe {
        let h = &mut *hp.as_ptr();
        let has_body = h.size as usize > HEADER + size_of::<PyObject>();
        (h.pinned, h.layout, std::mem::replace(&mut h.release_deferred, false), has_body)
    };
    if listed {
        // Released by another path (outside the call that deferred it, or
        // by a tuple's release) while still on the deferred list: take it
        // off, so the list never visits freed memory.
        DEFERRED.with(|d| {
            let mut d = d.borrow_mut();
            if let Some(i) = d.iter().rposition(|&p| p == proxy as usize) {
                d.remove(i);
            }
        });
    }
    // SAFETY: the caller's contract (a registered proxy at count zero).
    if unsafe { park_on_release(proxy, hp, layout) } {
        return;
    }
    if let Some(release_owned) = hooks::layout(layout).release_owned.filter(|_| has_body) {
        // The references the body owns (a list's item mirror) go now, also
        // for a pinned proxy: they would keep its items alive with it.
        release_owned(proxy);
    }
    // SAFETY: the caller's contract (a registered proxy at count zero).
    let pinned = pinned || unsafe { pin_on_release(proxy, hp, layout) };
    if pinned {
        // C let go, but a container may still hold the object, and C may
        // still hold this pointer: keep the memory, hold the host weakly.
        // SAFETY: as above, a short exclusive use of the header.
        let host = unsafe { (*hp.as_ptr()).take_host_keeping_pointer() };
        if let Some(host) = host {
            release_host(host); // may be the last reference: the pin frees the proxy
        }
        return;
    }
    // SAFETY: the caller's contract (a registered proxy at count zero).
    if unsafe { park_stored_container(proxy, hp, layout, has_body) } {
        return;
    }
    if layout == Layout::Tuple {
        // SAFETY: a tuple proxy's body, about to be freed.
        unsafe {
            mark_given_away_items(proxy, hp);
            release_tuple_items(proxy);
        }
    }
    if layout == Layout::Slice {
        // SAFETY: a slice proxy owns its three parts; each is taken out
        // before it is released.
        unsafe {
            let s = proxy as *mut ffi::PySliceObject;
            for part in [&mut (*s).start, &mut (*s).stop, &mut (*s).step] {
                xdecref(std::mem::replace(part, std::ptr::null_mut()));
            }
        }
    }
    // Only a proxy with a struct beyond the header can own references in it.
    if let Some(before_free) = hooks::layout(layout).before_free.filter(|_| has_body) {
        before_free(proxy);
    }
    // SAFETY: the header again, exclusive for this block (no code runs).
    let (host, size) = unsafe {
        let h = &mut *hp.as_ptr();
        h.release_utf8();
        (h.take_host(), h.size as usize)
    };
    if let Some(host) = &host {
        IDENTITY.remove_if(&host_addr(host), |_, p| *p == proxy as usize);
    }
    // SAFETY: the count is zero and the proxy is neither pinned nor static:
    // nobody may use it any more (a late use finds the quarantine, I5).
    unsafe { free_memory(proxy, size) };
    // Last, as dropping the host object may run Python code.
    if let Some(host) = host {
        release_host(host);
    }
}

thread_local! {
    /// Host references released while a collector callback (C's tp_clear)
    /// runs, handed to the collector instead of being dropped mid-collection.
    static HELD_RELEASES: std::cell::RefCell<Option<Vec<PyObjectRef>>> = const { std::cell::RefCell::new(None) };
}

/// Drops the layer's reference to a host object, or holds it back while
/// `collect_releases` runs.
pub fn release_host(host: PyObjectRef) {
    let host = HELD_RELEASES.with(|d| match d.borrow_mut().as_mut() {
        Some(list) => {
            list.push(host);
            None
        }
        None => Some(host),
    });
    if let Some(host) = host {
        // Dropping the host may run Python code (`__del__`, weakref
        // callbacks) that calls C; an error C had pending when it let go
        // (Py_DECREF on an error path) must survive that, as in CPython.
        let pending = crate::error_indicator::fetch();
        drop(host);
        if pending.is_some() {
            crate::error_indicator::set(pending);
        }
    }
}

/// Runs `f`, collecting instead of dropping the host references released
/// meanwhile, and returns them (the cycle collector drops them itself).
pub fn collect_releases(f: impl FnOnce()) -> Vec<PyObjectRef> {
    HELD_RELEASES.with(|d| *d.borrow_mut() = Some(Vec::new()));
    f();
    HELD_RELEASES
        .with(|d| d.borrow_mut().take())
        .unwrap_or_default()
}

/// The watches of pinned proxies' hosts: the pinned proxy and its host's
/// address.
static PINS: crate::death_watch::DeathWatches<(usize, usize)> =
    crate::death_watch::DeathWatches::new("_cpyext_pinned_host_died", pinned_host_dying);

/// A pinned proxy's host is dying.
fn pinned_host_dying(_watch: crate::death_watch::WatchKey, (address, host_address): (usize, usize), _vm: &VirtualMachine) {
    pinned_host_gone(address, host_address);
}

/// A watched frame is dying (the host's frame death hook, set at start-up):
/// its pinned proxy, if it still has one, goes as a pinned host's does.
/// Called on whichever thread dropped the frame, GIL or not.
pub fn frame_died(host_address: usize) {
    if let Some(proxy) = IDENTITY.get(&host_address) {
        pinned_host_gone(*proxy, host_address);
    }
}

/// Pins the proxy of a frame: in CPython a `PyFrameObject *` stays the same
/// while the frame lives, and profilers key their data on it (yappi keys a
/// coroutine's wall time on the pointer it gets at each resume). Frames
/// take no weak references, so the host's frame death hook frees the proxy
/// (`frame_died`) instead of a death watch. Only a frame someone else holds
/// (running, a generator's, a traceback's): one only C held dies with it.
/// Returns whether it is pinned.
///
/// # Safety
/// `hp` must be the header of a live proxy whose host is `frame`; the
/// caller holds the GIL.
unsafe fn pin_frame(hp: NonNull<Header>, frame: &rustpython_vm::PyObject) -> bool {
    let Some(payload) = frame.downcast_ref::<rustpython_vm::frame::FrameObject>() else {
        return false;
    };
    // SAFETY: the caller's contract; read only.
    let held_by_proxy = unsafe { hp.as_ref().holds_host } as usize;
    if frame.strong_count() <= held_by_proxy {
        return false;
    }
    payload.watch_death();
    // SAFETY: the caller's contract: the header of a live proxy, under the
    // GIL (I1, I2), with no other view of it live.
    unsafe { (*hp.as_ptr()).pinned = true };
    true
}

/// The host of a pinned proxy is gone or going: its identity entry goes at
/// once, and the proxy with the GIL.
fn pinned_host_gone(address: usize, host_address: usize) {
    // The host address may be reused as soon as this returns: its identity
    // entry goes now, whichever thread this is (I4).
    IDENTITY.remove_if(&host_address, |_, p| *p == address);
    if crate::gil::held() || crate::gil::in_collector() {
        // SAFETY: the pin kept the proxy's memory until now (I3), and this
        // thread holds the GIL (I1).
        unsafe { pinned_host_died(address as *mut PyObject) };
    } else {
        // Pure Python code on a thread without the GIL dropped the host:
        // the GIL holder frees the proxy (I1).
        DIED_WITHOUT_GIL.lock().unwrap_or_else(|e| e.into_inner()).push(address);
        ANY_DIED_WITHOUT_GIL.store(true, std::sync::atomic::Ordering::Release);
    }
}

/// C stored `proxy` in a host container (a dict, a list, an attribute). In
/// CPython the pointer then stays valid while the container holds the
/// object, and extensions rely on it: pysqlite3 keeps a callable in a dict
/// and hands the bare pointer to SQLite as user data; numpy caches the
/// tuples it keeps in a dict by their bare pointers. So the proxy now lives
/// as long as its host object: at count zero it holds the host weakly, and
/// the host's death frees it. An object that cannot be weakly referenced
/// (a tuple, a list, a dict) is marked instead, and parked at count zero
/// while Python still holds it (`park_stored_container`); the immutable
/// builtins (int, str...) are parked whoever stored them.
pub fn pin_to_host(vm: &VirtualMachine, proxy: *mut PyObject) {
    let Some(hp) = header(proxy) else { return };
    // SAFETY: the proxy's header under the GIL (I1, I2), read and released.
    let (pinned, host, layout) = unsafe {
        let h = hp.as_ref();
        (h.pinned, h.host, h.layout)
    };
    if pinned || host.is_null() || matches!(layout, Layout::Static | Layout::Instance) {
        return;
    }
    // SAFETY: C just stored the object, so the proxy is live and holds its
    // host (I3).
    let host = unsafe { &*host };
    // SAFETY: the header of the live proxy whose host this is, under the GIL.
    if unsafe { pin_frame(hp, host) } {
        return;
    }
    if !weakly_referenceable(host) {
        // SAFETY: the header of the live proxy, under the GIL (I1, I2).
        unsafe { (*hp.as_ptr()).stored_by_c = true };
        return;
    }
    if PINS.watch(vm, host, (proxy as usize, host_addr(host))).is_ok() {
        // SAFETY: the header of the live proxy, under the GIL (I1, I2).
        unsafe { (*hp.as_ptr()).pinned = true };
    }
}

fn weakly_referenceable(host: &rustpython_vm::PyObject) -> bool {
    host.class().slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HAS_WEAKREF)
}

/// Pinned proxies whose host died on a thread without the GIL, for the
/// next GIL holder to free (`free_pins_whose_host_died`).
static DIED_WITHOUT_GIL: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
static ANY_DIED_WITHOUT_GIL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// C let go of the last reference to an object Python keeps alive (a
/// function, a class's instance, a module's attribute). In CPython the
/// pointer stays valid while the object lives, and extensions rely on it:
/// they keep a borrowed function from `PyArg_ParseTuple` in a static, or a
/// class from `PyObject_GetAttrString` after its `Py_DECREF`. So the proxy of
/// an object that can be weakly referenced is pinned rather than freed: it
/// lives as long as its host (see `pin_to_host`). Returns whether it is.
///
/// # Safety
/// `hp` must be the header of `proxy`, a registered proxy at count zero; the
/// caller holds the GIL.
unsafe fn pin_on_release(proxy: *mut PyObject, hp: NonNull<Header>, layout: Layout) -> bool {
    if !matches!(layout, Layout::Plain | Layout::Function) {
        return false;
    }
    // SAFETY: the caller's contract; read only.
    let (holds_live_host, size) = unsafe { (hp.as_ref().holds_host && !hp.as_ref().host.is_null(), hp.as_ref().size as usize) };
    // A frame's struct is C's to keep while the frame lives (its f_lineno).
    // SAFETY: `holds_live_host`: a live strong reference; the caller's contract.
    if holds_live_host && unsafe { pin_frame(hp, &*hp.as_ref().host) } {
        return true;
    }
    // A plain proxy with a struct (an array, a bytearray, a datetime) keeps
    // the plain rule: its struct follows the host only while C holds it.
    if !holds_live_host || (layout == Layout::Plain && size > HEADER + size_of::<PyObject>()) {
        return false;
    }
    // A plain host that cannot be weakly referenced is not pinned: for it
    // `pin_to_host` would record that C *stored* the object in a container
    // (`stored_by_c`), which a release is not, and `park_stored_container`
    // would then park the proxy. The object (an exception with its
    // traceback and so its frames' locals, an iterator, a mappingproxy)
    // would outlive Python's last reference until the parked list's sweep
    // or the next collection, where CPython frees it at once. It keeps the
    // plain rule instead (differences.md: a pointer C keeps without a
    // reference is valid until the call that got it returns). Function
    // proxies (method descriptors, which live as long as their class) keep
    // the old path.
    // SAFETY: `holds_live_host` (above): a live strong reference.
    if layout == Layout::Plain && !weakly_referenceable(unsafe { &*hp.as_ref().host }) {
        return false;
    }
    let pinned = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
        pin_to_host(vm, proxy);
        // SAFETY: as above.
        unsafe { hp.as_ref().pinned }
    });
    pinned.unwrap_or(false)
}

/// Immutable values (int, str, bytes, float, complex, a bare `object()`, and tuples of them:
/// `is_acyclic_tuple`) cannot be weakly referenced, so their proxies cannot
/// be pinned. Yet C keeps pointers to
/// them without a reference as it does to functions: a str or int read from
/// a dict or a module and used after the call, valid in CPython as long as
/// the object lives. So the proxy of such a value that Python still holds
/// is parked at count zero rather than freed: it keeps its host, its memory
/// and its identity entry, and `sweep_parked` frees it once the layer's is
/// the host's last reference. Only the exact builtin types: they hold no
/// references, so a parked host can never keep a cycle alive. Handing the
/// same value to C again reuses the proxy. Returns whether it is parked.
///
/// # Safety
/// `hp` must be the header of `proxy`, a registered proxy at count zero; the
/// caller holds the GIL.
unsafe fn park_on_release(proxy: *mut PyObject, hp: NonNull<Header>, layout: Layout) -> bool {
    if layout == Layout::Tuple {
        // Only a tuple that came from Python: one C built and gave away is
        // C's no more (and parking it would only delay its release).
        // SAFETY: the caller's contract.
        return unsafe { hp.as_ref().from_python && park(proxy, hp, |host| is_acyclic_tuple(host, 3)) };
    }
    if layout == Layout::Plain {
        // A bare `object()` (a sentinel) holds no references either, and C
        // keeps its pointer the same way (Cython's object buffers store
        // them uncounted); it cannot be weakly referenced, so not pinned.
        // SAFETY: the caller's contract.
        return unsafe { park(proxy, hp, |host| host.class().is(<rustpython_vm::builtins::PyBaseObject as rustpython_vm::class::StaticType>::static_type())) };
    }
    if !layout.is_immutable_value() {
        return false;
    }
    // SAFETY: the caller's contract.
    if unsafe { hp.as_ref().given_away } {
        return false;
    }
    // SAFETY: the caller's contract.
    unsafe { park(proxy, hp, |host| !host.class().slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE)) }
}

/// Whether `obj` is a tuple of builtin immutable values (int, bool, str,
/// bytes, float, complex, None) or of such tuples, `depth` levels down: it
/// holds no reference that could lead back to it, so parking it, as an
/// immutable value is parked, never keeps a cycle alive. C keeps such
/// tuples borrowed as it keeps strs (pandas' object hash table stores its
/// keys' pointers).
fn is_acyclic_tuple(obj: &rustpython_vm::PyObject, depth: u32) -> bool {
    let is_builtin = |o: &rustpython_vm::PyObject| !o.class().slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE);
    let Some(tuple) = obj.downcast_ref::<PyTuple>().filter(|_| depth > 0 && is_builtin(obj)) else { return false };
    tuple.iter().all(|item| {
        let atom = item.downcast_ref::<PyInt>().is_some()
            || item.downcast_ref::<PyStr>().is_some()
            || item.downcast_ref::<PyBytes>().is_some()
            || item.downcast_ref::<PyFloat>().is_some()
            || item.downcast_ref::<PyComplex>().is_some()
            || item.downcast_ref::<rustpython_vm::builtins::PyNone>().is_some();
        (atom && is_builtin(item)) || is_acyclic_tuple(item, depth - 1)
    })
}

/// Parks a proxy at count zero whose host Python still holds (beside the
/// proxy's own reference) and which `eligible` accepts; true if it is
/// parked, now or already.
///
/// # Safety
/// `hp` must be the header of `proxy`, a registered proxy at count zero; the
/// caller holds the GIL.
unsafe fn park(proxy: *mut PyObject, hp: NonNull<Header>, eligible: impl FnOnce(&rustpython_vm::PyObject) -> bool) -> bool {
    // SAFETY: the caller's contract; the header under the GIL (I1, I2),
    // exclusive for this block (`eligible` only reads the host). A held
    // host is alive (I3).
    unsafe {
        let h = &mut *hp.as_ptr();
        if h.parked {
            return true; // still on the list: the sweep decides
        }
        if !h.holds_host || h.host.is_null() {
            return false;
        }
        let host = &*h.host;
        if host.strong_count() <= 1 || !eligible(host) {
            return false;
        }
        h.parked = true;
    }
    // SAFETY: the caller holds the GIL (I1).
    let gil = unsafe { GilToken::assume_held() };
    parked::push_recent(gil, proxy as usize);
    true
}

/// A container C stored in a host container (`stored_by_c`, set by
/// `pin_to_host`) whose count reached zero while Python still holds it: C
/// may go on using the bare pointer, valid in CPython while the container
/// holds the object, so the proxy is parked like an immutable value's. A
/// tuple keeps its items (they are the host tuple's); a list's item mirror
/// has gone already (`release_owned`), to be rebuilt when C next uses it.
/// A plain proxy with a struct keeps the plain rule, but a dict's struct
/// (its size) is rewritten whenever C is handed the dict. Returns whether
/// it is parked.
///
/// # Safety
/// `hp` must be the header of `proxy`, a registered proxy at count zero; the
/// caller holds the GIL.
unsafe fn park_stored_container(proxy: *mut PyObject, hp: NonNull<Header>, layout: Layout, has_body: bool) -> bool {
    // SAFETY: the caller's contract; read only.
    let stored_by_c = unsafe { hp.as_ref().stored_by_c };
    if !stored_by_c || !matches!(layout, Layout::Tuple | Layout::List | Layout::Slice | Layout::Plain) {
        return false;
    }
    // SAFETY: the caller's contract.
    unsafe { park(proxy, hp, |host| !(layout == Layout::Plain && has_body) || host.downcast_ref::<rustpython_vm::builtins::PyDict>().is_some()) }
}

/// Frees the parked proxies whose host only the layer still holds, once
/// the list has doubled since the last sweep (so the cost per release stays
/// constant and memory stays in proportion to what Python keeps).
fn sweep_parked(gil: GilToken<'_>) {
    free_recently_parked(gil);
    let Some(mut list) = parked::take_if_due(gil) else { return };
    // Freeing a parked container can leave parked items it held with no
    // other holder (a list of dicts of lists that a dict C freed kept:
    // the list's proxy goes first, then the inner lists', then their
    // ints'). Those were already passed over in this sweep, so sweep again
    // while a pass frees anything: otherwise they are kept, the limit
    // doubles with them, and memory grows with every call until a
    // `gc.collect()` (pysimdjson's `loads` in a loop reached 2.8 GB).
    loop {
        let (kept, freed) = sweep(list);
        if freed == 0 {
            parked::restore(gil, kept);
            return;
        }
        list = kept;
    }
}

/// Frees the recently parked proxies whose host Python has let go since,
/// as each call ends. A value handed to C is most often one Python drops
/// soon after (a loop's variable, a temporary): freed by the next call's
/// end, its host goes back to the host's free list at once, instead of
/// thousands later in a sweep, by `free`, after a `malloc` for each new
/// one. The others stay parked and move on to the list.
#[inline]
fn free_recently_parked(gil: GilToken<'_>) {
    if parked::recent_is_empty(&gil) {
        return;
    }
    parked::retain_recent(gil, |proxy| {
        let p = proxy as *mut PyObject;
        let Some(hp) = header(p) else { return false };
        // SAFETY: a parked proxy keeps its memory until it is freed here or
        // by a sweep; its header, under the GIL.
        let free = unsafe { unpark_if_free(p, hp) };
        if free {
            // SAFETY: a registered proxy at count zero, off the list.
            unsafe { release_now(p, hp) };
        }
        !free
    });
}

/// Whether a parked proxy may be freed now: C's count is zero, it is not
/// waiting on a call's deferred list, and only the layer holds its host.
/// If so, it is marked no longer parked (the caller then frees it).
///
/// # Safety
/// `hp` must be the header of `p`, a parked proxy (whose memory stays until
/// it is freed), and the caller must hold the GIL (I1, I2).
unsafe fn unpark_if_free(p: *mut PyObject, hp: NonNull<Header>) -> bool {
    // SAFETY: the caller's contract; no code runs in the block. A parked
    // header that still holds its host keeps it alive (I3).
    unsafe {
        let h = &mut *hp.as_ptr();
        // A parked str that C took back and then alone held may have let go
        // of its host since (`PyUnicode_AsUTF8` and the in-place writers:
        // `make_modifiable`), and stays parked: with no host, nothing but
        // C's count keeps it.
        let only_layer = !h.holds_host || h.host.is_null() || (*h.host).strong_count() <= 1;
        let free = (*p).ob_refcnt == 0 && !h.release_deferred && only_layer;
        if free {
            h.parked = false;
        }
        free
    }
}

/// Frees every parked proxy whose host only the layer still holds, until
/// none is left: a freed tuple releases its items, which may leave a parked
/// item the layer's alone. Run as a collection starts, so that what Python
/// dropped is not kept alive by its parked proxy through the collection.
pub fn sweep_all_parked(gil: GilToken<'_>) {
    loop {
        let (kept, freed) = sweep(parked::take_all(gil));
        parked::restore(gil, kept);
        if freed == 0 {
            return;
        }
    }
}

/// Frees the parked proxies of `list` whose host only the layer still
/// holds; returns the others and how many were freed.
fn sweep(list: Vec<usize>) -> (Vec<usize>, usize) {
    let mut kept = Vec::with_capacity(list.len() / 2);
    let mut freed = 0;
    // Newest first: a container is parked after the items C stored in it
    // before it (C builds inner objects first), so freeing it first lets
    // its items go in the same pass.
    for proxy in list.into_iter().rev() {
        let p = proxy as *mut PyObject;
        let Some(hp) = header(p) else { continue };
        // SAFETY: a parked proxy keeps its memory until this sweep frees
        // it; its header, under the GIL.
        let free = unsafe { unpark_if_free(p, hp) };
        if free {
            freed += 1;
            // SAFETY: a registered proxy at count zero, off the list.
            unsafe { release_now(p, hp) };
        } else {
            kept.push(proxy);
        }
    }
    kept.reverse();
    (kept, freed)
}

/// The list of parked proxies, for the GIL holder.
mod parked {
    use super::GilToken;
    use std::cell::UnsafeCell;

    /// How many of the last parked proxies are looked at as each call
    /// ends (`free_recently_parked`) before they join `proxies`.
    const RECENT: usize = 4;

    struct List {
        proxies: Vec<usize>,
        /// Sweep when the list grows past this.
        limit: usize,
        /// The last parked, oldest first: `recent[..n_recent]`.
        recent: [usize; RECENT],
        n_recent: usize,
    }
    struct Shared(UnsafeCell<List>);
    // SAFETY: the cell is only reached through `list`, which needs a
    // GilToken: the GIL serialises every access (I1).
    unsafe impl Sync for Shared {}
    static LIST: Shared = Shared(UnsafeCell::new(List { proxies: Vec::new(), limit: MIN_LIMIT, recent: [0; RECENT], n_recent: 0 }));
    const MIN_LIMIT: usize = 4096;

    /// Parks a proxy among the recent ones; the oldest, if there is no
    /// room, joins the list.
    pub(super) fn push_recent(gil: GilToken<'_>, proxy: usize) {
        let l = list(&gil);
        if l.n_recent == RECENT {
            let oldest = l.recent[0];
            l.recent.copy_within(1.., 0);
            l.recent[RECENT - 1] = proxy;
            l.proxies.push(oldest);
        } else {
            l.recent[l.n_recent] = proxy;
            l.n_recent += 1;
        }
    }

    #[inline]
    pub(super) fn recent_is_empty(gil: &GilToken<'_>) -> bool {
        list(gil).n_recent == 0
    }

    /// Keeps the recent proxies for which `keep` says so. `keep` may free
    /// proxies, and so park others: the recent ones are taken out first.
    pub(super) fn retain_recent(gil: GilToken<'_>, mut keep: impl FnMut(usize) -> bool) {
        let (recent, n) = {
            let l = list(&gil);
            (l.recent, std::mem::replace(&mut l.n_recent, 0))
        };
        let mut kept = [0; RECENT];
        let mut n_kept = 0;
        for &proxy in &recent[..n] {
            if keep(proxy) {
                kept[n_kept] = proxy;
                n_kept += 1;
            }
        }
        // Those parked while `keep` ran come after the kept ones.
        let l = list(&gil);
        let added = l.recent;
        let n_added = std::mem::replace(&mut l.n_recent, 0);
        for &proxy in kept[..n_kept].iter().chain(&added[..n_added]) {
            push_recent(gil, proxy);
        }
    }

    #[allow(clippy::mut_from_ref)]
    fn list<'gil>(_gil: &'gil GilToken<'_>) -> &'gil mut List {
        // SAFETY: the token proves this thread holds the GIL (I1); callers
        // here keep the reference for a few instructions, running no code.
        unsafe { &mut *LIST.0.get() }
    }

    /// The whole list, when it is due for a sweep.
    #[inline]
    pub(super) fn take_if_due(gil: GilToken<'_>) -> Option<Vec<usize>> {
        let l = list(&gil);
        (l.proxies.len() > l.limit).then(|| std::mem::take(&mut l.proxies))
    }

    /// The whole list, the recent ones too, for a sweep that cannot wait.
    pub(super) fn take_all(gil: GilToken<'_>) -> Vec<usize> {
        let l = list(&gil);
        let n = std::mem::replace(&mut l.n_recent, 0);
        l.proxies.extend_from_slice(&l.recent[..n]);
        std::mem::take(&mut l.proxies)
    }

    /// Puts back what a sweep kept (and what was parked meanwhile).
    pub(super) fn restore(gil: GilToken<'_>, mut kept: Vec<usize>) {
        let l = list(&gil);
        l.limit = (kept.len() * 2).max(MIN_LIMIT);
        kept.append(&mut l.proxies);
        l.proxies = kept;
    }
}

/// Frees the pinned proxies whose host died on a thread without the GIL
/// (as a C call ends, and as a collection starts).
#[inline]
pub fn free_pins_whose_host_died(_gil: GilToken<'_>) {
    if !ANY_DIED_WITHOUT_GIL.swap(false, std::sync::atomic::Ordering::Acquire) {
        return;
    }
    let died = std::mem::take(&mut *DIED_WITHOUT_GIL.lock().unwrap_or_else(|e| e.into_inner()));
    for address in died {
        // SAFETY: a pinned proxy keeps its memory until this (I3); the token
        // proves I1.
        unsafe { pinned_host_died(address as *mut PyObject) };
    }
}

/// Proxies C released at count zero on a thread whose thread-locals were
/// already torn down (a pthread-key destructor, which runs after them, as
/// viztracer's does): freed by the next live thread that ends a C call.
static ORPHANED: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
static ANY_ORPHANED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether this thread is ending and its thread-locals are gone: C is
/// running from a pthread-key destructor. Nothing that needs this thread's
/// host state can run there. (`DEFERRED` is set up by every call frame.)
pub fn thread_locals_gone() -> bool {
    DEFERRED.try_with(|_| ()).is_err()
}

/// Leaves a proxy C released on an ending thread (`thread_locals_gone`)
/// for `free_orphans`.
fn orphan(proxy: *mut PyObject) {
    ORPHANED.lock().unwrap_or_else(|e| e.into_inner()).push(proxy as usize);
    ANY_ORPHANED.store(true, std::sync::atomic::Ordering::Release);
}

/// Frees the proxies released on ending threads that nothing took back.
#[inline]
fn free_orphans(_gil: GilToken<'_>) {
    if !ANY_ORPHANED.swap(false, std::sync::atomic::Ordering::Acquire) {
        return;
    }
    let orphans = std::mem::take(&mut *ORPHANED.lock().unwrap_or_else(|e| e.into_inner()));
    for address in orphans {
        let proxy = address as *mut PyObject;
        // SAFETY: a proxy at count zero stays allocated until released here
        // (nothing else frees it); the token proves I1.
        if unsafe { (*proxy).ob_refcnt } == 0 {
            dealloc(proxy);
        }
    }
}

thread_local! {
    /// Proxies whose count reached zero during a C call still running.
    static DEFERRED: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
    /// Bytes made in C that reached Python during the current call, with
    /// their host objects (see `carry_late_fills`).
    static LATE_FILLS: std::cell::RefCell<Vec<(usize, PyObjectRef, u64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Where a call frame's deferred releases begin.
#[inline]
pub fn deferred_mark(_gil: GilToken<'_>) -> usize {
    DEFERRED.with(|d| d.borrow().len())
}

/// Where the current call's bytes made in C start on the late-fill list.
pub fn late_fill_mark(_gil: GilToken<'_>) -> usize {
    LATE_FILLS.with(|l| l.borrow().len())
}

/// A fingerprint of a bytes value, to tell later whether it changed: a
/// multiply-rotate over its words, far cheaper than SipHash, as it is taken
/// for every bytes made in C that crosses during a call (no adversary
/// chooses what C writes).
fn fingerprint(data: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut words = data.chunks_exact(8);
    let mut h = (data.len() as u64).wrapping_mul(K);
    for word in &mut words {
        h = (h.rotate_left(5) ^ u64::from_le_bytes(word.try_into().expect("8 bytes"))).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K)
}

/// C may fill bytes from `PyBytes_FromStringAndSize(NULL, n)` after it put
/// them in a container (`PyList_Append`), which made their host object: in
/// CPython the container holds the very object C writes. As the call that
/// made them returns, the host objects of the bytes listed since `mark`
/// take what C wrote. They were only ever seen by that call and its
/// container, and host bytes keep no hash, so nothing saw the old value.
/// C may instead have written through the host object's own buffer (a
/// memoryview of the bytes, numcodecs' decoders): where the proxy kept the
/// value it had when the host object was made, the proxy takes the host's.
pub fn carry_late_fills(_gil: GilToken<'_>, mark: usize) {
    if LATE_FILLS.with(|l| l.borrow().len() <= mark) {
        return;
    }
    let fills = LATE_FILLS.with(|l| l.borrow_mut().split_off(mark));
    for (proxy, host, made_from) in fills {
        let proxy = proxy as *mut PyObject;
        if host.downcast_ref::<PyTuple>().is_some() {
            TUPLE_HOLES.with(|c| c.set(c.get().saturating_sub(1)));
            fill_tuple_holes(proxy, &host, true);
            continue;
        }
        // The proxy must still be this host's: one freed and reused since
        // is another object.
        let Some(h) = header(proxy) else { continue };
        // SAFETY: a registered header, read under the GIL (I1, I2).
        let same = unsafe { h.as_ref().host == host_addr(&host) as *const rustpython_vm::PyObject };
        if same {
            reconcile_bytes(proxy, &host, made_from);
        }
    }
}

/// Makes a bytes proxy and its host object, made from it during the current
/// call, hold the same value again: C wrote either into the proxy's
/// `ob_sval` (the side whose value moved from `made_from` wins) or through
/// the host object's own buffer. The fingerprint of the value they now share.
fn reconcile_bytes(proxy: *mut PyObject, host: &PyObjectRef, made_from: u64) -> u64 {
    let Some(bytes) = host.downcast_ref::<rustpython_vm::builtins::PyBytes>() else { return made_from };
    let theirs = bytes.as_bytes();
    // SAFETY: a live bytes proxy of `host`: `ob_size` bytes at `ob_sval`,
    // the length the host was made with.
    let ours = unsafe {
        let b = proxy as *mut ffi::PyBytesObject;
        std::slice::from_raw_parts((*b).ob_sval.as_ptr() as *const u8, ((*b).ob_base.ob_size.max(0) as usize).min(theirs.len()))
    };
    if ours == &theirs[..ours.len()] {
        return made_from;
    }
    if fingerprint(ours) == made_from {
        // SAFETY: the proxy's own `ob_sval` holds `ours.len()` bytes, C's
        // object under the GIL; the host's bytes are not written now.
        unsafe { std::ptr::copy_nonoverlapping(theirs.as_ptr(), ours.as_ptr() as *mut u8, ours.len()) };
    } else {
        // SAFETY: the host's buffer holds at least `ours.len()` bytes; no
        // Rust reference into it is live (the comparison ended), and the
        // GIL keeps other C away. Python code that holds the object has
        // not seen its value yet (see `carry_late_fills`).
        unsafe { std::ptr::copy_nonoverlapping(ours.as_ptr(), theirs.as_ptr() as *mut u8, ours.len()) };
    }
    fingerprint(ours)
}

/// A bytes proxy on the late-fill list that C hands to the host again in
/// the same call (a slice of the output buffer it is writing): the host
/// object first takes what C wrote so far, as CPython's single storage
/// would show it.
#[cold]
fn refresh_late_fill(proxy: *mut PyObject, host: &PyObjectRef) {
    let entry = LATE_FILLS.with(|l| {
        l.borrow().iter().enumerate().find(|(_, (p, h, _))| *p == proxy as usize && h.is(host)).map(|(at, &(_, _, made_from))| (at, made_from))
    });
    if let Some((at, made_from)) = entry {
        let now = reconcile_bytes(proxy, host, made_from);
        LATE_FILLS.with(|l| l.borrow_mut()[at].2 = now);
    }
}

thread_local! {
    /// The object standing for an item C had not set when its tuple crossed
    /// into Python.
    static TUPLE_HOLE: std::cell::OnceCell<PyObjectRef> = const { std::cell::OnceCell::new() };
    /// How many tuples with placeholders wait on `LATE_FILLS`: a returned
    /// tuple is searched for placeholders only while some do.
    static TUPLE_HOLES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn tuple_hole(vm: &VirtualMachine) -> PyObjectRef {
    TUPLE_HOLE.with(|h| h.get_or_init(|| vm.ctx.new_base_object(vm.ctx.types.object_type.to_owned(), None)).clone())
}

fn unset_tuple_item(vm: &VirtualMachine, index: usize) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_system_error(format!("a tuple made in C reached Python with item {index} unset (NULL)"))
}

/// Replaces placeholder `i` of host tuple `tuple` with `item`.
///
/// # Safety
/// The GIL must be held and no Rust reference into the tuple's items be
/// live: the host tuple is changed in place, as CPython's `PyTuple_SET_ITEM`
/// changes the one object both C and the container hold. Only a placeholder
/// is replaced, so no one has seen (or hashed) the item's real value.
unsafe fn set_tuple_hole(tuple: &PyTuple, i: usize, item: PyObjectRef) {
    let slots = tuple.as_slice();
    if slots.get(i).is_some_and(|old| TUPLE_HOLE.with(|h| h.get().is_some_and(|hole| old.is(hole)))) {
        // SAFETY: `i` is in bounds (checked above); the caller's contract
        // says nothing else reads or writes the slot meanwhile.
        drop(unsafe { std::ptr::replace(slots.as_ptr().add(i) as *mut PyObjectRef, item) });
    }
}

/// The placeholders of a tuple C stored before filling it take the items C
/// set since. As the call that made it returns (`finish`), one still unset
/// becomes None, reported as an unraisable SystemError naming the C
/// function (if anyone but C holds the tuple). The first unset index.
fn fill_tuple_holes(proxy: *mut PyObject, host: &PyObjectRef, finish: bool) -> Option<usize> {
    let tuple = host.downcast_ref::<PyTuple>()?;
    let h = header(proxy)?;
    // SAFETY: a registered header, read under the GIL (the frame's).
    let (same, proxy_holds) = unsafe {
        let h = h.as_ref();
        (h.layout == Layout::Tuple && h.host == host_addr(host) as *const rustpython_vm::PyObject, h.holds_host)
    };
    rustpython_vm::vm::thread::try_with_current_vm(|vm| {
        let hole = tuple_hole(vm);
        let mut unset = None;
        for i in 0..tuple.len() {
            if !tuple.as_slice()[i].is(&hole) {
                continue;
            }
            let slot = if same {
                // SAFETY: the live tuple proxy of `host` (checked): `ob_size`
                // slots, each NULL or an object C set, under the GIL.
                unsafe {
                    let t = proxy as *mut ffi::PyTupleObject;
                    if (i as Py_ssize_t) < (*t).ob_base.ob_size { *(*t).ob_item.as_ptr().add(i) } else { std::ptr::null_mut() }
                }
            } else {
                std::ptr::null_mut()
            };
            let item = if slot.is_null() { None } else { to_host(vm, slot).ok() };
            if item.is_none() {
                unset.get_or_insert(i);
                if !finish {
                    continue;
                }
            }
            // SAFETY: under the GIL; no reference into the items is live
            // (each `as_slice` borrow above ended).
            unsafe { set_tuple_hole(tuple, i, item.unwrap_or_else(|| vm.ctx.none())) };
        }
        // Ours and the proxy's reference only: garbage, nobody to tell.
        if let Some(i) = unset.filter(|_| finish && host.strong_count() > 1 + (same && proxy_holds) as usize) {
            let culprit = crate::boundary::current_c_function();
            vm.run_unraisable(unset_tuple_item(vm, i), Some(format!("cpyext: a tuple that {culprit} stored before setting its items")), host.clone());
        }
        unset
    })
    .flatten()
}

/// A tuple C returned must have every item set: one with a placeholder left
/// (C stored it, then returned it unfilled) is refused as CPython's users
/// would want. Cheap unless a tuple with placeholders is waiting.
pub fn check_returned_tuple(vm: &VirtualMachine, object: &PyObjectRef) -> PyResult<()> {
    if TUPLE_HOLES.with(|c| c.get()) == 0 {
        return Ok(());
    }
    let Some(tuple) = object.downcast_ref::<PyTuple>() else { return Ok(()) };
    let Some(hole) = TUPLE_HOLE.with(|h| h.get().cloned()) else { return Ok(()) };
    if !tuple.as_slice().iter().any(|item| item.is(&hole)) {
        return Ok(());
    }
    let unset = match existing_proxy(object) {
        Some(proxy) => fill_tuple_holes(proxy, object, false),
        None => tuple.as_slice().iter().position(|item| item.is(&hole)),
    };
    match unset {
        Some(i) => Err(unset_tuple_item(vm, i)),
        None => Ok(()),
    }
}

/// The C call that started at `mark` returned: release the proxies that
/// reached zero in it and were not taken back (I6).
#[inline]
pub fn release_deferred(gil: GilToken<'_>, mark: usize) {
    free_pins_whose_host_died(gil);
    free_orphans(gil);
    sweep_parked(gil);
    if DEFERRED.with(|d| d.borrow().len() <= mark) {
        return; // the common case
    }
    // One entry (a call's one fresh argument) is taken off without the
    // allocation `split_off` makes.
    let single = DEFERRED.with(|d| {
        let mut d = d.borrow_mut();
        if d.len() == mark + 1 { d.pop() } else { None }
    });
    if let Some(proxy) = single {
        release_if_still_deferred(proxy as *mut PyObject);
        return;
    }
    let pending = DEFERRED.with(|d| d.borrow_mut().split_off(mark));
    for proxy in pending {
        release_if_still_deferred(proxy as *mut PyObject);
    }
}

/// Releases a proxy taken off the deferred list, if it is still listed and
/// still at count zero.
fn release_if_still_deferred(proxy: *mut PyObject) {
    let Some(h) = header(proxy) else { return };
    // SAFETY: a proxy on the deferred list is still allocated: a release
    // by any other path takes it off the list first (I6); its header is
    // ours under the GIL (the caller's). An entry taken off here whose
    // proxy another entry's release freed meanwhile has its flag cleared:
    // skip it.
    let (listed, count) = unsafe { (std::mem::replace(&mut (*h.as_ptr()).release_deferred, false), (*proxy).ob_refcnt) };
    if listed && count == 0 {
        // SAFETY: only non-static, non-instance layouts are deferred.
        unsafe { release_now(proxy, h) };
    }
}

/// A pinned proxy's host is dying. C holds no reference to the proxy (a
/// counted reference holds the host strongly), so its memory goes now.
///
/// # Safety
/// `proxy` must be a pinned proxy (its memory kept by the pin, I3), and
/// the caller must hold the GIL.
unsafe fn pinned_host_died(proxy: *mut PyObject) {
    let Some(hp) = header(proxy) else { return };
    // SAFETY: a pinned proxy keeps its memory until here (I3); its header
    // under the GIL, exclusive for this block (no code runs).
    let stale_host = unsafe {
        let h = &mut *hp.as_ptr();
        h.pinned = false;
        if h.holds_host {
            return; // C holds it: the host cannot be dying
        }
        std::mem::replace(&mut h.host, std::ptr::null())
    };
    IDENTITY.remove_if(&(stale_host as usize), |_, p| *p == proxy as usize);
    // A count above zero here came from a Py_INCREF the layer could not see
    // on a pointer C kept without a reference: the proxy stays, as a dead
    // object that C-API calls report.
    // SAFETY: as above.
    let (count, deferred) = unsafe { ((*proxy).ob_refcnt, (*hp.as_ptr()).release_deferred) };
    if count == 0 && !deferred {
        dealloc(proxy);
    }
}

/// Calls `f` with every live proxy that holds its host object (for the
/// cycle collector's accounting), arena and foreign alike. `f` must not
/// free proxies or run code that could.
pub fn for_each_holding_proxy(gil: GilToken<'_>, mut f: impl FnMut(*mut PyObject, &Header)) {
    arena::for_each_block(gil, |block| {
        // SAFETY: every block handed out starts with a header, live or freed
        // (a freed one keeps its header until reuse zeroes and rewrites it, I5).
        let h = unsafe { &*(block as *const Header) };
        if h.holds_host && !h.host.is_null() {
            f(block.wrapping_add(HEADER) as *mut PyObject, h);
        }
    });
    for entry in FOREIGN.iter() {
        // SAFETY: the entry's box lives while we hold the map's guard; only
        // read, under the GIL (I1).
        let h = unsafe { &*entry.value().0.get() };
        if h.holds_host && !h.host.is_null() && h.layout != Layout::Static {
            f(*entry.key() as *mut PyObject, h);
        }
    }
}

/// The identity table's map. Every crossing of an object looks it up, and
/// every fresh value C sees adds and removes an entry, so it is an open
/// addressing table of address pairs with linear probing behind one lock:
/// a lookup is a multiply and, most often, one slot read. A removal shifts
/// the entries after it back instead of leaving a tombstone, so the churn
/// of values made and freed never forces a rehash. A lock, not the GIL:
/// a pinned host's death removes its entry on a thread without the GIL.
pub mod identity {
    use std::sync::Mutex;

    struct Table {
        /// (host address, proxy address); 0 marks an empty slot (no host
        /// object lives at address 0).
        slots: Vec<(usize, usize)>,
        len: usize,
        /// 64 - log2(capacity): the hash's top bits index the slots.
        shift: u32,
    }

    const MIN_CAPACITY: usize = 1024;

    impl Table {
        #[inline(always)]
        fn home(&self, key: usize) -> usize {
            // Objects are 16-byte aligned: the low bits carry nothing.
            ((key as u64 >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
        }

        #[inline(always)]
        fn mask(&self) -> usize {
            self.slots.len() - 1
        }

        /// The slot holding `key`, if any.
        #[inline(always)]
        fn find(&self, key: usize) -> Option<usize> {
            if self.slots.is_empty() {
                return None;
            }
            let mask = self.mask();
            let mut i = self.home(key);
            loop {
                let k = self.slots[i].0;
                if k == key {
                    return Some(i);
                }
                if k == 0 {
                    return None;
                }
                i = (i + 1) & mask;
            }
        }

        fn insert(&mut self, key: usize, value: usize) {
            debug_assert!(key != 0);
            if (self.len + 1) * 2 > self.slots.len() {
                self.grow();
            }
            let mask = self.mask();
            let mut i = self.home(key);
            loop {
                let k = self.slots[i].0;
                if k == key {
                    self.slots[i].1 = value;
                    return;
                }
                if k == 0 {
                    self.slots[i] = (key, value);
                    self.len += 1;
                    return;
                }
                i = (i + 1) & mask;
            }
        }

        fn grow(&mut self) {
            let capacity = (self.slots.len() * 2).max(MIN_CAPACITY);
            let old = std::mem::replace(&mut self.slots, vec![(0, 0); capacity]);
            self.shift = 64 - capacity.trailing_zeros();
            self.len = 0;
            for (k, v) in old {
                if k != 0 {
                    self.insert(k, v);
                }
            }
        }

        /// Empties slot `hole`, moving back each entry after it that may
        /// sit there (its home is not between the hole and where it is).
        fn remove_at(&mut self, mut hole: usize) {
            let mask = self.mask();
            let mut j = hole;
            loop {
                j = (j + 1) & mask;
                let k = self.slots[j].0;
                if k == 0 {
                    break;
                }
                let home = self.home(k);
                if (j.wrapping_sub(home) & mask) >= (j.wrapping_sub(hole) & mask) {
                    self.slots[hole] = self.slots[j];
                    hole = j;
                }
            }
            self.slots[hole] = (0, 0);
            self.len -= 1;
        }
    }

    /// The proxy address a lookup found.
    pub struct Found(usize);

    impl std::ops::Deref for Found {
        type Target = usize;
        fn deref(&self) -> &usize {
            &self.0
        }
    }

    pub struct IdentityMap(Mutex<Table>);

    impl IdentityMap {
        pub const fn new() -> Self {
            IdentityMap(Mutex::new(Table { slots: Vec::new(), len: 0, shift: 63 }))
        }

        #[inline(always)]
        fn table(&self) -> std::sync::MutexGuard<'_, Table> {
            // Nothing in here panics midway through a change.
            self.0.lock().unwrap_or_else(|e| e.into_inner())
        }

        #[inline]
        pub fn get(&self, key: &usize) -> Option<Found> {
            let t = self.table();
            t.find(*key).map(|i| Found(t.slots[i].1))
        }

        pub fn contains_key(&self, key: &usize) -> bool {
            self.table().find(*key).is_some()
        }

        #[inline]
        pub fn insert(&self, key: usize, value: usize) {
            self.table().insert(key, value);
        }

        /// Removes `key`'s entry if `f` accepts it (the entry still names
        /// the proxy the caller means).
        #[inline]
        pub fn remove_if(&self, key: &usize, f: impl FnOnce(&usize, &usize) -> bool) {
            let mut t = self.table();
            if let Some(i) = t.find(*key) {
                let (k, v) = t.slots[i];
                if f(&k, &v) {
                    t.remove_at(i);
                }
            }
        }

        #[cfg(test)]
        pub fn len(&self) -> usize {
            self.table().len
        }
    }

    impl Default for IdentityMap {
        fn default() -> Self {
            Self::new()
        }
    }
}

/// Proxy memory: one reserved stretch of address space, so that "is this a
/// proxy the layer allocated?" is a range check.
///
/// Blocks are recycled per size class, first-in first-out after a
/// quarantine, so a freed proxy keeps its zero count (and type) for a while:
/// one Py_DECREF too many then lands on a dead proxy and is reported instead
/// of corrupting memory (I5). Only the thread holding the GIL allocates or
/// frees: every function that touches the free lists takes a `GilToken`.
mod arena {
    use crate::gil::GilToken;
    use std::cell::UnsafeCell;
    use std::collections::VecDeque;
    use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

    /// Address space reserved (not committed) for proxies.
    const RESERVED: usize = 16 << 30;
    /// Larger blocks use the C heap.
    pub const MAX_BLOCK: usize = 64 << 10;
    const CLASS_BYTES: usize = 16;
    pub(super) const QUARANTINE: usize = 256;

    static BASE: AtomicUsize = AtomicUsize::new(0);
    static END: AtomicUsize = AtomicUsize::new(0);
    /// One bit for each `CLASS_BYTES` of the reservation, set where a block
    /// starts (reserved like the arena: a page is committed only once a bit
    /// in it is set, one byte for every 128 bytes of blocks carved). A block
    /// keeps its start for ever, since blocks are recycled within their size
    /// class, so `alloc` sets the bit when it carves the block and nothing
    /// clears it. Written under the GIL; stored before `BASE`.
    static STARTS: AtomicUsize = AtomicUsize::new(0);

    struct Blocks {
        next: usize,
        free: Vec<VecDeque<usize>>,
    }
    struct Shared(UnsafeCell<Blocks>);
    // SAFETY: the cell is only reached through `blocks`, which needs a
    // GilToken: the GIL serialises every access (I1).
    unsafe impl Sync for Shared {}
    static BLOCKS: Shared = Shared(UnsafeCell::new(Blocks {
        next: 0,
        free: Vec::new(),
    }));

    /// The free lists, for the GIL holder.
    #[allow(clippy::mut_from_ref)]
    fn blocks<'gil>(_gil: &'gil GilToken<'_>) -> &'gil mut Blocks {
        // SAFETY: the token proves this thread holds the GIL (I1); no caller
        // keeps the reference across a call that could take it again.
        unsafe { &mut *BLOCKS.0.get() }
    }

    fn reserve() -> usize {
        // SAFETY: an anonymous private mapping at an address of the
        // kernel's choosing touches no existing memory; the result is checked.
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
        // SAFETY: as above.
        let starts = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                RESERVED / CLASS_BYTES / 8,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if starts == libc::MAP_FAILED {
            crate::boundary::fatal("cannot reserve address space for object proxies");
        }
        STARTS.store(starts as usize, Ordering::Release);
        let base = base as usize;
        BASE.store(base, Ordering::Release);
        END.store(base + RESERVED, Ordering::Release);
        base
    }

    #[inline]
    pub fn contains(addr: usize) -> bool {
        addr >= BASE.load(Ordering::Relaxed) && addr < END.load(Ordering::Relaxed)
    }

    /// The byte of `STARTS` for the block at `block`, and its bit; None for
    /// an address that cannot start a block (outside the reservation, or
    /// not on a CLASS_BYTES boundary). One range check: the lookup of every
    /// `header` runs through it.
    #[inline(always)]
    fn start_bit(block: usize) -> Option<(&'static AtomicU8, u8)> {
        let base = BASE.load(Ordering::Acquire);
        let offset = block.wrapping_sub(base);
        if base == 0 || offset >= RESERVED || offset % CLASS_BYTES != 0 {
            return None;
        }
        let index = offset / CLASS_BYTES;
        let starts = STARTS.load(Ordering::Relaxed) as *const AtomicU8;
        // SAFETY: `STARTS` maps one bit for each CLASS_BYTES of the
        // reservation, readable and writable for the life of the process,
        // and was stored before `BASE` (Release/Acquire).
        Some((unsafe { &*starts.add(index / 8) }, 1 << (index % 8)))
    }

    /// Whether a block of the arena starts at `block` (a header follows),
    /// rather than `block` lying inside one.
    #[inline(always)]
    pub(super) fn is_block_start(block: usize) -> bool {
        start_bit(block).is_some_and(|(byte, bit)| byte.load(Ordering::Relaxed) & bit != 0)
    }

    /// The block whose proxy starts at `addr` (the header just before it),
    /// or None if `addr` is no proxy of the arena.
    #[inline(always)]
    pub fn block_of_proxy(addr: usize) -> Option<usize> {
        let block = addr.wrapping_sub(super::HEADER);
        is_block_start(block).then_some(block)
    }

    /// The size class of a block of `total` bytes, and the bytes it spans.
    pub(super) fn class_of(total: usize) -> (usize, usize) {
        let rounded = total.next_multiple_of(CLASS_BYTES);
        if rounded <= 1024 {
            (rounded / CLASS_BYTES, rounded)
        } else {
            let size = rounded.next_power_of_two();
            (64 + size.trailing_zeros() as usize, size)
        }
    }

    /// A zeroed block of at least `total` bytes, or None when it is too large.
    pub fn alloc(gil: GilToken<'_>, total: usize) -> Option<*mut u8> {
        if total > MAX_BLOCK {
            return None;
        }
        let (class, size) = class_of(total);
        let blocks = blocks(&gil);
        if blocks.next == 0 {
            blocks.next = reserve();
        }
        if blocks.free.len() <= class {
            blocks.free.resize_with(class + 1, VecDeque::new);
        }
        let list = &mut blocks.free[class];
        if list.len() > QUARANTINE {
            let block = list.pop_front().unwrap() as *mut u8;
            // SAFETY: a freed block of this class spans `size` bytes of the
            // mapping, and nobody owns it any more.
            unsafe { std::ptr::write_bytes(block, 0, size) };
            return Some(block);
        }
        let block = blocks.next;
        if block + size > END.load(Ordering::Relaxed) {
            crate::boundary::fatal("the object proxy arena is exhausted");
        }
        blocks.next += size;
        if let Some((byte, bit)) = start_bit(block) {
            byte.fetch_or(bit, Ordering::Relaxed);
        }
        Some(block as *mut u8)
    }

    /// Visits every block handed out so far (live or free): each starts
    /// with a header that records its size.
    pub fn for_each_block(gil: GilToken<'_>, mut f: impl FnMut(*mut u8)) {
        let next = blocks(&gil).next;
        if next == 0 {
            return;
        }
        let mut at = BASE.load(Ordering::Relaxed);
        while at < next {
            // SAFETY: every block below `next` was handed out and starts with
            // a header (a fresh block is written before `alloc` returns to
            // code that could get here, under the same GIL).
            let total = unsafe { (*(at as *const super::Header)).size } as usize;
            f(at as *mut u8);
            at += class_of(total.max(1)).1;
        }
    }

    /// Puts a block back at the end of its class's queue.
    pub fn free(gil: GilToken<'_>, block: *mut u8, total: usize) {
        let (class, _) = class_of(total);
        blocks(&gil).free[class].push_back(block as usize);
    }

    /// How many blocks of the class for `total` bytes wait for reuse.
    #[cfg(test)]
    pub(super) fn free_count(gil: GilToken<'_>, total: usize) -> usize {
        let (class, _) = class_of(total);
        blocks(&gil).free.get(class).map_or(0, VecDeque::len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gil;
    use std::hash::{BuildHasher, BuildHasherDefault};

    /// The tests share the process-wide arena and deferred lists with each
    /// other, as threads of the layer do: each holds the GIL throughout.
    struct Held;
    impl Held {
        fn take() -> Self {
            gil::acquire(None);
            Held
        }
        fn token(&self) -> GilToken<'_> {
            // SAFETY: this thread holds the GIL while `self` lives.
            unsafe { GilToken::assume_held() }
        }
    }
    impl Drop for Held {
        fn drop(&mut self) {
            gil::release();
        }
    }

    /// A size class no other test and no proxy layout uses.
    const ARENA_TEST_BYTES: usize = 4000;

    #[test]
    fn identity_map_finds_what_it_holds_through_removals() {
        // Its own map: the process's is shared with the other tests.
        let map = identity::IdentityMap::new();
        // 16-byte aligned keys, many of them, so that runs of neighbours
        // form, wrap round the table's end and are cut by removals.
        let keys: Vec<usize> = (1..=3000usize).map(|i| i * 16 * 7919).collect();
        for &k in &keys {
            map.insert(k, k + 1);
        }
        assert_eq!(map.len(), keys.len());
        for &k in &keys {
            assert_eq!(map.get(&k).map(|p| *p), Some(k + 1));
        }
        // A removal whose condition fails keeps the entry.
        map.remove_if(&keys[0], |_, p| *p == 0);
        assert!(map.contains_key(&keys[0]));
        // Every other key goes: each one left must still be found past
        // the holes (the shift back, not a tombstone, keeps runs whole).
        for &k in keys.iter().step_by(2) {
            map.remove_if(&k, |_, p| *p == k + 1);
        }
        for (i, &k) in keys.iter().enumerate() {
            assert_eq!(map.get(&k).map(|p| *p), if i % 2 == 0 { None } else { Some(k + 1) }, "key {i}");
        }
        assert_eq!(map.len(), keys.len() / 2);
        // Insert over an existing key replaces its value.
        map.insert(keys[1], 5);
        assert_eq!(map.get(&keys[1]).map(|p| *p), Some(5));
        assert!(map.get(&16).is_none());
    }

    #[test]
    fn arena_blocks_are_aligned_zeroed_and_distinct() {
        let held = Held::take();
        let blocks: Vec<*mut u8> = (0..64)
            .map(|_| arena::alloc(held.token(), 200).unwrap())
            .collect();
        let mut addresses: Vec<usize> = blocks.iter().map(|b| *b as usize).collect();
        addresses.sort_unstable();
        addresses.dedup();
        assert_eq!(
            addresses.len(),
            blocks.len(),
            "two allocations share a block"
        );
        for pair in addresses.windows(2) {
            assert!(
                pair[1] - pair[0] >= arena::class_of(200).1,
                "blocks overlap"
            );
        }
        for &block in &blocks {
            assert_eq!(block as usize % 16, 0, "blocks are 16-byte aligned");
            assert!(arena::contains(block as usize));
            // SAFETY: a block of at least 200 bytes that this test owns.
            let bytes = unsafe { std::slice::from_raw_parts(block, 200) };
            assert!(bytes.iter().all(|b| *b == 0), "a fresh block is zeroed");
        }
        for &block in &blocks {
            assert!(arena::is_block_start(block as usize), "a block starts here");
            assert!(!arena::is_block_start(block as usize + 16), "inside a block");
            assert_eq!(arena::block_of_proxy(block as usize + HEADER), Some(block as usize));
            assert_eq!(arena::block_of_proxy(block as usize + HEADER + 16), None, "inside a block");
        }
        for block in blocks {
            arena::free(held.token(), block, 200);
        }
        assert!(
            arena::alloc(held.token(), arena::MAX_BLOCK + 1).is_none(),
            "large blocks go to the C heap"
        );
        assert!(!arena::contains(0) && !arena::contains(usize::MAX));
    }

    #[test]
    fn arena_reuses_first_in_first_out_only_after_the_quarantine() {
        let held = Held::take();
        let before = arena::free_count(held.token(), ARENA_TEST_BYTES);
        assert_eq!(before, 0, "the test's size class is its own");
        let extra = 3;
        let blocks: Vec<*mut u8> = (0..arena::QUARANTINE + extra)
            .map(|_| arena::alloc(held.token(), ARENA_TEST_BYTES).unwrap())
            .collect();
        for &block in &blocks {
            // SAFETY: the test owns the block, ARENA_TEST_BYTES long.
            unsafe { std::ptr::write_bytes(block, 0xAB, ARENA_TEST_BYTES) };
            arena::free(held.token(), block, ARENA_TEST_BYTES);
        }
        assert_eq!(
            arena::free_count(held.token(), ARENA_TEST_BYTES),
            arena::QUARANTINE + extra
        );
        // Only what exceeds the quarantine comes back, oldest first, zeroed.
        for &expected in &blocks[..extra] {
            let block = arena::alloc(held.token(), ARENA_TEST_BYTES).unwrap();
            assert_eq!(block, expected, "reuse is first-in first-out");
            // SAFETY: as above.
            let bytes = unsafe { std::slice::from_raw_parts(block, ARENA_TEST_BYTES) };
            assert!(bytes.iter().all(|b| *b == 0), "a reused block is zeroed");
        }
        assert_eq!(
            arena::free_count(held.token(), ARENA_TEST_BYTES),
            arena::QUARANTINE
        );
        // The quarantine itself is not touched: the next block is fresh.
        let fresh = arena::alloc(held.token(), ARENA_TEST_BYTES).unwrap();
        assert!(!blocks.contains(&fresh), "a quarantined block was reused");
        assert_eq!(
            arena::free_count(held.token(), ARENA_TEST_BYTES),
            arena::QUARANTINE
        );
        // A quarantined block keeps what it held (a dead proxy stays readable).
        // SAFETY: arena memory is never unmapped (I5).
        assert_eq!(unsafe { *blocks[extra] }, 0xAB);
    }

    fn hash_of(address: usize) -> u64 {
        BuildHasherDefault::<AddressHasher>::default().hash_one(address)
    }

    #[test]
    fn address_hasher_spreads_aligned_addresses() {
        for stride in [16usize, 48, 128, 4096, 65536] {
            let hashes: Vec<u64> = (0..4096)
                .map(|i| hash_of(0x7f00_0000_0000 + stride * i))
                .collect();
            let mut distinct = hashes.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                hashes.len(),
                "stride {stride}: distinct addresses collide"
            );
            // Low bits pick the bucket, the top 7 bits are hashbrown's tag:
            // both must use every value, none more than twice as often as
            // the average.
            let mut low = [0u32; 256];
            let mut top = [0u32; 128];
            for h in &hashes {
                low[(h & 0xff) as usize] += 1;
                top[(h >> 57) as usize] += 1;
            }
            assert!(
                low.iter().all(|&n| n > 0 && n <= 2 * 4096 / 256),
                "stride {stride}: low bits {low:?}"
            );
            assert!(
                top.iter().all(|&n| n > 0 && n <= 2 * 4096 / 128),
                "stride {stride}: top bits {top:?}"
            );
        }
        // The map keys on the address's 16-byte granule.
        assert_eq!(hash_of(0x1000), hash_of(0x100f));
        assert_ne!(hash_of(0x1000), hash_of(0x1010));
    }

    fn pending_bytes() -> *mut PyObject {
        new_pending(Layout::Bytes, bytes_size(3), std::ptr::null_mut())
    }

    fn deferred(proxy: *mut PyObject) -> bool {
        // SAFETY: a proxy the test made, under the GIL.
        unsafe { header(proxy).unwrap().as_ref().release_deferred }
    }

    fn count(proxy: *mut PyObject) -> Py_ssize_t {
        // SAFETY: a proxy the test made; arena memory stays readable (I5).
        unsafe { (*proxy).ob_refcnt }
    }

    fn bytes_free(held: &Held) -> usize {
        arena::free_count(held.token(), HEADER + bytes_size(3))
    }

    #[test]
    fn a_release_during_a_call_waits_for_the_frame_and_a_taken_back_proxy_lives() {
        let held = Held::take();
        let frame = crate::borrow::CallFrame::enter();
        let free_before = bytes_free(&held);
        let kept = pending_bytes();
        let dropped = pending_bytes();
        decref(kept);
        decref(dropped);
        assert!(
            deferred(kept) && deferred(dropped),
            "count zero inside a call: deferred"
        );
        assert_eq!(
            bytes_free(&held),
            free_before,
            "nothing freed before the call returns"
        );
        incref(kept); // the Py_INCREF that C does after a stealing call
        drop(frame);
        assert_eq!(
            bytes_free(&held),
            free_before + 1,
            "the proxy not taken back is freed"
        );
        assert!(
            !deferred(kept) && count(kept) == 1,
            "the one taken back lives on"
        );
        assert_eq!(count(dropped), 0);
        decref(kept); // outside any call: freed at once
        assert_eq!(bytes_free(&held), free_before + 2);
    }

    #[test]
    fn a_proxy_is_on_the_deferred_list_once() {
        let held = Held::take();
        let frame = crate::borrow::CallFrame::enter();
        let mark = deferred_mark(held.token());
        let free_before = bytes_free(&held);
        let proxy = pending_bytes();
        for _ in 0..3 {
            decref(proxy);
            incref(proxy);
        }
        decref(proxy);
        assert_eq!(deferred_mark(held.token()), mark + 1, "marked once");
        drop(frame);
        assert_eq!(bytes_free(&held), free_before + 1, "freed once");
        assert_eq!(deferred_mark(held.token()), mark);
    }

    #[test]
    fn a_frame_releases_only_what_was_deferred_inside_it() {
        let held = Held::take();
        let outer = crate::borrow::CallFrame::enter();
        let free_before = bytes_free(&held);
        let in_outer = pending_bytes();
        decref(in_outer);
        let inner = crate::borrow::CallFrame::enter();
        let in_inner = pending_bytes();
        decref(in_inner);
        drop(inner);
        assert_eq!(
            bytes_free(&held),
            free_before + 1,
            "the inner frame freed its own"
        );
        assert!(deferred(in_outer), "the outer frame's entry waits for it");
        drop(outer);
        assert_eq!(bytes_free(&held), free_before + 2);
    }

    #[test]
    fn a_tuple_made_in_c_is_released_at_once() {
        let held = Held::take();
        let _frame = crate::borrow::CallFrame::enter();
        let size = tuple_size(2);
        let free_before = arena::free_count(held.token(), HEADER + size);
        let tuple = new_pending(Layout::Tuple, size, std::ptr::null_mut());
        let item = pending_bytes();
        // SAFETY: a fresh tuple proxy with room for two items.
        unsafe {
            let t = tuple as *mut ffi::PyTupleObject;
            (*t).ob_base.ob_size = 2;
            *(*t).ob_item.as_mut_ptr() = item; // the second item stays NULL
        }
        incref(item); // the test keeps its own reference to the item
        decref(tuple);
        assert_eq!(
            arena::free_count(held.token(), HEADER + size),
            free_before + 1
        );
        assert_eq!(count(item), 1, "the tuple released its item");
        decref(item);
    }
}
