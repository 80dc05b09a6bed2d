//! How a C type becomes a host class, and how its instances live.
//!
//! `PyType_Ready` makes a host heap class for a `PyTypeObject` and registers
//! the C type object as that class's proxy. Each C slot the type fills gets a
//! generic Rust trampoline in the host class's slots; the trampoline finds
//! the nearest C type in the object's MRO and calls its slot, so Python
//! subclasses inherit the C behaviour and their own overrides win.
//!
//! An instance is C memory from `tp_alloc` (the C struct, in the proxy
//! arena) plus a host object whose payload, `CInstance`, points at it. The
//! struct lives as long as the host object: while C holds references, the
//! struct's header keeps the host alive; when the host dies, its payload's
//! drop runs the type's `tp_dealloc` on the struct, exactly once.
pub mod gc;
pub mod metatype_alloc;

use crate::death_watch::{DeathWatches, WatchKey};
use crate::boundary::{self, CFunction};
use crate::ffi::{self, PyObject, PyTypeObject};
use crate::methods::{self, c_str};
use crate::slots::c_calls_python::is_type_slot;
use crate::{error_indicator, gil, proxy};
use rustpython_vm::builtins::{PyDict, PyStr, PyType, PyTypeRef};
use rustpython_vm::function::{Either, FuncArgs, PyComparisonValue, PySetterValue};
use rustpython_vm::object::{MaybeTraverse, TraverseFn};
use rustpython_vm::protocol::PyIterReturn;
use rustpython_vm::types::{PyComparisonOp, PyTypeFlags, PyTypeSlots};
use rustpython_vm::{
    AsObject, Context, Py, PyObject as HostObject, PyObjectRef, PyPayload, PyRef, PyResult,
    VirtualMachine,
};
use std::ffi::c_int;

/// What an instance's `tp_weaklistoffset` field points at while weak
/// references to it exist: an immortal weak reference object that refers
/// to nothing. C compares the field with NULL (numpy's `ndarray.resize`
/// refuses while it is set; Cython's dealloc calls PyObject_ClearWeakRefs
/// only then), and the references themselves are the host's.
static WEAKLIST_MARK: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    // SAFETY: an all-zero PyWeakReference is a valid bit pattern (integers
    // and NULL pointers); its head is then made immortal and typed.
    let mut mark: Box<ffi::PyWeakReference> = Box::new(unsafe { std::mem::zeroed() });
    mark.ob_base.ob_refcnt = ffi::IMMORTAL_REFCNT;
    mark.ob_base.ob_type = &raw mut crate::types::_PyWeakref_RefType;
    Box::into_raw(mark) as usize
});

/// Keeps the `tp_weaklistoffset` field of a C instance true to whether the
/// host holds weak references to it: set as the first one is made, NULL
/// again as the last goes (or the object dies). Called by the host under
/// the object's weak-reference lock, so it only writes the field.
fn weaklist_changed(obj: &HostObject, has_weakrefs: bool) {
    let Some(object) = obj.downcast_ref::<CInstance>().map(|i| i.object()).filter(|o| !o.is_null()) else {
        return;
    };
    let mark = if has_weakrefs { *WEAKLIST_MARK as *mut PyObject } else { std::ptr::null_mut() };
    // SAFETY: the struct of a live C instance (its host is alive or dying,
    // before its tp_dealloc runs); the type's offset, when positive, names
    // a pointer field inside it.
    unsafe {
        let offset = (*(*object).ob_type).tp_weaklistoffset;
        if offset > 0 {
            *((object as *mut u8).offset(offset) as *mut *mut PyObject) = mark;
        }
    }
}

/// Registers `weaklist_changed` with the host (start-up).
pub(crate) fn install_weaklist_field() {
    let _ = rustpython_vm::object::WEAKLIST_HOOK.set(weaklist_changed);
}

/// Tells the host that `generic_getattro_named` is the generic lookup
/// (after `sync_dict_of`), so `o.method(...)` on a C type calls the method
/// descriptor with `o` as CPython's LOAD_METHOD does, instead of making a
/// bound method: the call is named as CPython names it in argument errors
/// (pair `methmsg`), and no bound method is made per call (start-up).
pub(crate) fn install_generic_getattro() {
    let _ = rustpython_vm::vm::GENERIC_GETATTRO.set((generic_getattro_named, sync_dict_of));
}

/// The payload of every instance of a C type: its C struct.
pub struct CInstance {
    /// The struct; 0 once the host no longer stands for it (`disown`).
    object: std::sync::atomic::AtomicUsize,
    /// The address of the host object this is the payload of, set once it
    /// is made: its death concerns the struct only while the struct's
    /// header still names this host.
    host: std::sync::atomic::AtomicUsize,
}

impl CInstance {
    fn new(object: *mut PyObject) -> Self {
        CInstance {
            object: std::sync::atomic::AtomicUsize::new(object as usize),
            host: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    pub fn object(&self) -> *mut PyObject {
        self.object.load(std::sync::atomic::Ordering::Relaxed) as *mut PyObject
    }

    /// The struct is dead and C keeps its memory for another object (a free
    /// list): this host, if something still holds it, no longer stands for
    /// it, and its death must not run tp_dealloc on the memory again.
    fn disown(&self) {
        self.object.store(0, std::sync::atomic::Ordering::Relaxed);
    }
}

impl std::fmt::Debug for CInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CInstance({:#x})", self.object() as usize)
    }
}

impl MaybeTraverse for CInstance {
    const HAS_TRAVERSE: bool = true;
    const HAS_CLEAR: bool = true;
    fn try_traverse(&self, traverse_fn: &mut TraverseFn<'_>) {
        if self.object().is_null() {
            return;
        }
        // SAFETY: the payload's struct lives as long as the payload.
        unsafe { gc::traverse(self.object(), traverse_fn) }
    }
    fn try_clear(&mut self, out: &mut Vec<PyObjectRef>) {
        if self.object().is_null() {
            return;
        }
        // SAFETY: as for traverse.
        unsafe { gc::clear(self.object(), out) }
    }
}

impl PyPayload for CInstance {
    // The payload's drop runs tp_dealloc, which the type guards with the
    // layer's trashcan if it wants one (Py_TRASHCAN_BEGIN), as in CPython:
    // the host's would also defer those of types that do not (the order
    // of their deallocations then differs from CPython's).
    const USES_TRASHCAN: bool = false;

    fn class(ctx: &Context) -> &'static Py<PyType> {
        ctx.types.object_type
    }
}

impl Drop for CInstance {
    fn drop(&mut self) {
        if self.object().is_null() {
            return;
        }
        let host = self.host.load(std::sync::atomic::Ordering::Relaxed);
        // SAFETY: the payload's own struct, as the payload drops.
        unsafe { instance_died(self.object(), host) };
    }
}

/// The host object is gone: run the type's tp_dealloc on the struct.
///
/// # Safety
/// `object` must be the struct of an instance of a C type whose host object
/// is dying: its `CInstance` payload drops, or, for a builtin base, its
/// death watch fires.
unsafe fn instance_died(object: *mut PyObject, host: usize) {
    // The host drops objects on any thread, GIL or not; the header, the
    // identity table and the count checked below are the GIL holder's (I1).
    // Without it, a thread in C could take the struct up meanwhile.
    let _gil = if gil::held() {
        None
    } else {
        rustpython_vm::vm::thread::try_with_current_vm(gil::GilGuard::acquire)
    };
    // SAFETY: called from the payload's drop, with its struct (see there).
    if !unsafe { proxy::detach_host(object, host) } {
        return;
    }
    if proxy::is_being_destroyed(object) {
        // A host made for the struct inside its own tp_dealloc: the
        // struct's destruction is under way already.
        return;
    }
    // SAFETY: the struct is alive until its tp_dealloc frees it.
    if unsafe { (*object).ob_refcnt } > 0 {
        // C took it back from zero with a bare Py_INCREF while only Python
        // held it (psycopg-c stores a dict's item so in a list): C owns it
        // still. It gets a new host if it crosses again, and its tp_dealloc
        // runs when C lets go (instance_released_by_c).
        return;
    }
    run_tp_dealloc(object);
}

/// The object model's `release_owned` hook for instances: C's count of an
/// instance with no host reached zero, so nothing holds it any more.
pub fn instance_released_by_c(object: *mut PyObject) {
    run_tp_dealloc(object);
}

/// Runs the type's tp_dealloc on an instance nothing holds any more.
fn run_tp_dealloc(object: *mut PyObject) {
    // At interpreter exit there may be no VM to run C code with: the
    // memory is then left to the process's end.
    let _ = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
        // SAFETY: the struct is alive until its tp_dealloc frees it.
        let tp = unsafe { (*object).ob_type };
        // SAFETY: a readied type object outlives its instances (I7).
        let frees_behind_our_back = unsafe { (*tp).tp_free }.is_some_and(|f| f as *const () as usize == libc::free as *const () as usize);
        // Marked as being destroyed until the call's frame has let go of what
        // C made in it too: a host made for the struct there (a method called
        // on self) may die with the frame, and must not run tp_dealloc again.
        proxy::while_destroying(object, || {
            boundary::call_into_c(vm, CFunction::Slot(tp, "tp_dealloc"), || {
                // A destructor cannot raise, and often runs while C has an error
                // pending (a Py_DECREF on an error path).
                // SAFETY: the host object is gone and C holds no reference (the
                // proxy was detached), so the struct is C's to destroy, once.
                error_indicator::run_unraisable_scope(vm, "tp_dealloc", None, || unsafe {
                    (*object).ob_refcnt = 0;
                    match (*tp).tp_dealloc {
                        Some(dealloc) => dealloc(object),
                        None => default_dealloc(object),
                    }
                })
            })
        });
        if crate::api::object::kept_by_trashcan(object) {
            // The struct lives on until the trashcan runs its tp_dealloc again.
            return;
        }
        if frees_behind_our_back {
            // tp_free is libc's free: the header is ours to drop.
            proxy::forget_freed_foreign(object as usize);
        } else {
            let_go_of_host_of_kept_struct(object);
        }
    });
}

/// Runs the tp_dealloc of an object the trashcan kept for later.
pub(crate) fn dealloc_kept_by_trashcan(object: *mut PyObject) {
    run_tp_dealloc(object);
}

/// After a tp_dealloc that kept its struct (a free list, as Cython's
/// `@cython.freelist` keeps them) with a count of zero: a host object that
/// C code in the dealloc made for it (a method called on `self`) no longer
/// stands for the struct. Held by the struct, it leaked, one per struct
/// kept; and its later death would have run tp_dealloc on memory that by
/// then holds another object.
fn let_go_of_host_of_kept_struct(object: *mut PyObject) {
    // SAFETY: the struct is alive (C kept it), under the GIL.
    let Some(host) = (unsafe { proxy::take_host_of_dead_instance(object) }) else { return };
    if let Some(instance) = host.downcast_ref::<CInstance>() {
        instance.disown();
    }
    drop(host);
}

/// PyObject_CallFinalizerFromDealloc: runs tp_finalize (once, for GC
/// types) from a tp_dealloc. Returns true if the finalizer resurrected the
/// object: the struct then gets a new host object, as its old one is gone.
///
/// `object` is the struct a tp_dealloc is destroying (I8 in `proxy.rs`).
pub fn finalize_from_dealloc(vm: &VirtualMachine, object: *mut PyObject) -> bool {
    // SAFETY: tp_dealloc passes its live struct, whose type is a readied
    // type object (immortal, I7).
    let (tp, finalize) = unsafe {
        let tp = (*object).ob_type;
        (tp, (*tp).tp_finalize)
    };
    let Some(finalize) = finalize else {
        return false;
    };
    // SAFETY: as above.
    let is_gc = unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_HAVE_GC as u64 != 0;
    let Some(h) = proxy::header(object) else {
        return false;
    };
    // SAFETY: the instance's header under the GIL (I1, I2); no code runs
    // while the reference lives.
    let already = unsafe {
        let h = &mut *h.as_ptr();
        let already = h.finalized;
        if already {
            // The host ran it as the object died; non-GC types may run it
            // again after a later resurrection.
            h.finalized = is_gc;
        }
        already
    };
    if already {
        return false;
    }
    // As in CPython: the object is alive (count 1) while it finalizes.
    // SAFETY: the live struct, under the GIL; tp_finalize is the type's own.
    unsafe { (*object).ob_refcnt = 1 };
    // SAFETY: as above; C's finalizer gets its own live object.
    error_indicator::run_unraisable_scope(vm, "tp_finalize", None, || unsafe { finalize(object) });
    // SAFETY: the finalizer has returned; the header and struct are still
    // the caller's (tp_dealloc has not freed them yet).
    let count = unsafe {
        (*h.as_ptr()).finalized = true;
        (*object).ob_refcnt -= 1;
        (*object).ob_refcnt
    };
    if count == 0 {
        return false;
    }
    // Resurrected: C holds references again, and needs a host object.
    if let Ok(cls) = proxy::to_host(vm, tp as *mut PyObject).and_then(|c| {
        c.downcast::<PyType>()
            .map_err(|_| vm.new_type_error("not a type".to_owned()))
    }) {
        // SAFETY: as above.
        if unsafe { h.as_ref().host.is_null() } {
            let _ = attach(vm, object, cls);
        }
    }
    true
}

/// The tp_dealloc of types that set none: free the memory, and release the
/// type if it is a heap type (its instances hold a reference to it).
///
/// # Safety
/// `object` must be an instance of a readied type whose last reference is
/// gone; nothing may use it afterwards.
pub unsafe extern "C" fn default_dealloc(object: *mut PyObject) {
    // SAFETY: C calls tp_dealloc with its own object, whose type is readied (I7); tp_free or
    // the default frees it once, and a heap type's instance holds one reference to its type.
    unsafe {
        let tp = (*object).ob_type;
        match (*tp).tp_free {
            Some(free) => free(object as *mut std::ffi::c_void),
            None => crate::api::objimpl::free_object(object as *mut std::ffi::c_void),
        }
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0 {
            proxy::decref(tp as *mut PyObject);
        }
    }
}

/// Whether `tp`'s tp_dealloc is `subtype_dealloc`.
///
/// # Safety
/// `tp` is a readied type object.
unsafe fn deallocs_as_subtype(tp: *mut ffi::PyTypeObject) -> bool {
    // SAFETY: the caller's contract.
    unsafe { (*tp).tp_dealloc }.map(|f| f as usize) == Some(subtype_dealloc as *const () as usize)
}

/// The tp_dealloc of a Python subclass of a C type, as CPython's
/// `subtype_dealloc`: runs the nearest base's own tp_dealloc (the C
/// type's), which frees the struct. The search starts at the first type
/// in `Py_TYPE(object)`'s base chain that has this function, so a C
/// subtype's own tp_dealloc that calls its base's (`tp_base->tp_dealloc`,
/// here) does not come back to itself.
///
/// # Safety
/// `object` must be an instance of a readied type whose last reference is
/// gone; nothing may use it afterwards.
pub unsafe extern "C" fn subtype_dealloc(object: *mut PyObject) {
    // SAFETY: C calls tp_dealloc with its own object; readied types (I7)
    // and their bases outlive their instances.
    unsafe {
        let mut tp = (*object).ob_type;
        while !tp.is_null() && !deallocs_as_subtype(tp) {
            tp = (*tp).tp_base;
        }
        while !tp.is_null() && deallocs_as_subtype(tp) {
            tp = (*tp).tp_base;
        }
        match if tp.is_null() { None } else { (*tp).tp_dealloc } {
            Some(base_dealloc) => base_dealloc(object),
            None => default_dealloc(object),
        }
    }
}

/// Which C type a host class belongs to: its own, or its nearest C base's.
pub struct CTypeData {
    tp: usize,
    /// A Python subclass's cache of its nearest C type, not a C type.
    inherited: bool,
    /// Set as the first instance of the class is made (see
    /// `enable_late_weakrefs`).
    instances_made: std::sync::atomic::AtomicBool,
}

impl CTypeData {
    fn new(tp: usize, inherited: bool) -> Self {
        CTypeData { tp, inherited, instances_made: std::sync::atomic::AtomicBool::new(false) }
    }
}

/// Cython readies a static type, then sets its `tp_weaklistoffset` (a
/// `cdef object __weakref__`): the host class learns it as its first
/// instance is made. Never later: the host lays out weakref support per
/// instance, by the class's flags.
fn enable_late_weakrefs(cls: &Py<PyType>, tp: *mut PyTypeObject) {
    let Some(data) = cls.get_type_data::<CTypeData>() else { return };
    if data.instances_made.swap(true, std::sync::atomic::Ordering::AcqRel) {
        return;
    }
    // SAFETY: a readied C type object (I7).
    if unsafe { (*tp).tp_weaklistoffset } != 0 && !cls.slots.flags.has_feature(PyTypeFlags::HAS_WEAKREF) {
        let weakrefs = PyTypeFlags::from_slice(&[PyTypeFlags::HAS_WEAKREF, PyTypeFlags::MANAGED_WEAKREF]);
        cls.slots.flags.replace_masked(weakrefs, weakrefs);
    }
}

/// Whether `cls` is itself a C type (not a Python subclass of one).
pub fn is_own_c_type(cls: &Py<PyType>) -> bool {
    cls.get_type_data::<CTypeData>().is_some_and(|d| !d.inherited)
}

pub fn c_type_of(cls: &Py<PyType>) -> Option<*mut PyTypeObject> {
    if let Some(data) = cls.get_type_data::<CTypeData>() {
        return Some(data.tp as *mut PyTypeObject);
    }
    // The C type along the chain of best bases (`__base__`), as CPython's
    // solid base: in `class C(PySub, CSub)` where PySub derives from CBase
    // and CSub from CBase, that is CSub; in `class C(A, B)` where A adds no
    // fields and B does, it is B (pandas' MultiIndexUIntEngine(
    // BaseMultiIndexCodesEngine, UInt64Engine)), not the first C type of
    // the MRO, whose tp_new and size would leave B's fields unallocated.
    let mut cur = cls.base.deref();
    let tp = loop {
        let c = cur?;
        if let Some(d) = c.get_type_data::<CTypeData>().filter(|d| !d.inherited) {
            break d.tp;
        }
        cur = c.base.deref();
    };
    // Cache it on Python subclasses (heap types have room for type data).
    let _ = cls.init_type_data(CTypeData::new(tp, true));
    Some(tp as *mut PyTypeObject)
}

/// The C struct behind an instance of a C type.
pub fn instance_object(obj: &HostObject) -> Option<*mut PyObject> {
    if let Some(i) = obj.downcast_ref::<CInstance>() {
        return Some(i.object());
    }
    // An instance of a C type with a builtin base carries the builtin's
    // payload; its struct is found through the identity table.
    let object = proxy::IDENTITY
        .get(&proxy::host_addr(obj))
        .map(|p| *p as *mut PyObject)?;
    // A class of a C metaclass: its struct is its type object, which has
    // the metaclass's size (types::type_proxy).
    if let Some(cls) = obj.downcast_ref::<PyType>() {
        return c_type_of(cls.class()).map(|_| object);
    }
    proxy::is_instance(object).then_some(object)
}

/// The builtin whose payload instances of `cls` carry: the first class in
/// its MRO that is not a heap type (`object` for plain C types).
pub fn solid_base(cls: &Py<PyType>) -> PyTypeRef {
    cls.mro_collect()
        .into_iter()
        .find(|c| !c.slots.flags.has_feature(PyTypeFlags::HEAPTYPE))
        .expect("every MRO ends in object")
}

/// C structs of builtin-based instances -> the watch that reports their
/// host object's death.
static DEATH_WATCH: std::sync::LazyLock<dashmap::DashMap<usize, WatchKey>> =
    std::sync::LazyLock::new(dashmap::DashMap::new);

/// Those watches: the C struct and its host's address.
static INSTANCE_HOSTS: DeathWatches<(usize, usize)> = DeathWatches::new("_cpyext_instance_died", instance_host_died);

/// Ends the death watch of `object`, if it has one.
fn end_death_watch(object: usize) {
    if let Some((_, watch)) = DEATH_WATCH.remove(&object) {
        INSTANCE_HOSTS.cancel(watch);
    }
}

/// Runs before an instance's memory is freed: ends its death watch, and
/// drops the items a tuple-based instance's body owns.
pub fn before_instance_free(object: *mut PyObject) {
    end_death_watch(object as usize);
    if VALUE_FROM_C_USED.load(std::sync::atomic::Ordering::Relaxed) {
        VALUE_FROM_C.remove(&(object as usize));
    }
    // SAFETY: the instance is alive until the free that follows, and its
    // type object outlives it (a heap type is released after the free); a
    // tuple subtype's struct starts with the tuple's, items filled by
    // `new_on_builtin_base`.
    unsafe {
        let tp = (*object).ob_type;
        if !tp.is_null() && (*tp).tp_flags & ffi::Py_TPFLAGS_TUPLE_SUBCLASS as u64 != 0 {
            proxy::release_tuple_items(object);
        }
        crate::types::release_struct_slots(object);
    }
}

/// A host object that a builtin base's `__new__` made for a C subtype,
/// waiting for the struct that the subtype's tp_alloc makes for it (see
/// `new_on_builtin_base`). `extra` is the room the body needs beyond the
/// type's size (a str subtype's text).
struct Prebuilt {
    tp: usize,
    host: PyObjectRef,
    extra: usize,
}

thread_local! {
    static PREBUILT: std::cell::RefCell<Option<Prebuilt>> = const { std::cell::RefCell::new(None) };
}

/// Takes the prebuilt host meant for an instance of `tp`, if there is one.
fn take_prebuilt(tp: *mut PyTypeObject) -> Option<PyObjectRef> {
    PREBUILT.with(|p| {
        let mut p = p.borrow_mut();
        if p.as_ref().is_some_and(|p| p.tp == tp as usize) { p.take().map(|p| p.host) } else { None }
    })
}

/// The builtin layout a C subtype of `solid` carries at its start, and the
/// items (tp_alloc's `nitems`) and extra bytes `host` needs in it.
fn builtin_body(vm: &VirtualMachine, solid: &Py<PyType>, host: &PyObjectRef) -> Option<(proxy::Layout, isize, usize)> {
    use rustpython_vm::builtins::{PyBytes, PyComplex, PyFloat, PyInt, PyTuple};
    let types = &vm.ctx.types;
    if solid.is(types.float_type) && host.downcast_ref::<PyFloat>().is_some() {
        Some((proxy::Layout::Float, 0, 0))
    } else if solid.is(types.complex_type) && host.downcast_ref::<PyComplex>().is_some() {
        Some((proxy::Layout::Complex, 0, 0))
    } else if solid.is(types.int_type) {
        let int = host.downcast_ref::<PyInt>()?;
        let digits = (crate::api::longobject::long_size(int.as_bigint()) - std::mem::offset_of!(ffi::PyLongObject, ob_digit))
            / size_of::<ffi::digit>();
        Some((proxy::Layout::Long, digits as isize, 0))
    } else if solid.is(types.bytes_type) {
        Some((proxy::Layout::Bytes, host.downcast_ref::<PyBytes>()?.as_bytes().len() as isize, 0))
    } else if solid.is(types.tuple_type) {
        Some((proxy::Layout::Tuple, host.downcast_ref::<PyTuple>()?.len() as isize, 0))
    } else if solid.is(types.str_type) {
        Some((proxy::Layout::Str, 0, crate::api::unicodeobject::subtype_text_size(host)))
    } else {
        None
    }
}

/// The tp_new of a builtin base (`PyFloat_Type.tp_new(subtype, args, kwds)`)
/// for a C subtype whose builtin fixes its value in `__new__` (int, float,
/// str, bytes, tuple...): the builtin makes the host object from the
/// arguments, then the subtype's tp_alloc makes the struct around it, and
/// the builtin's part of the struct is filled for C's macros
/// (`PyFloat_AS_DOUBLE`, `PyTuple_GET_ITEM`...). Ok(None) when the base
/// takes its value in `__init__` instead (list, dict, exceptions).
///
/// # Safety
/// `subtype` must be a readied C type object (or a Python subclass's), and
/// the caller holds the GIL.
pub unsafe fn new_on_builtin_base(
    vm: &VirtualMachine,
    subtype: *mut PyTypeObject,
    cls: PyTypeRef,
    args: impl FnOnce() -> PyResult<FuncArgs>,
) -> PyResult<Option<*mut PyObject>> {
    let solid = solid_base(&cls);
    let object_init = vm.ctx.types.object_type.as_object().get_attr("__init__", vm)?;
    // weakref.ref takes the referent in `__new__` and has an `__init__` too.
    let takes_args_in_new = solid.as_object().get_attr("__init__", vm)?.is(&object_init) || solid.is(vm.ctx.types.weakref_type);
    if solid.is(vm.ctx.types.object_type) || !takes_args_in_new {
        return Ok(None);
    }
    let new = solid
        .slots
        .new
        .load()
        .ok_or_else(|| vm.new_type_error(format!("cannot subclass '{}'", solid.name())))?;
    let host = new(cls, args()?, vm)?;
    let body = builtin_body(vm, &solid, &host);
    let (nitems, extra) = body.map_or((0, 0), |(_, n, extra)| (n, extra));
    PREBUILT.with(|p| *p.borrow_mut() = Some(Prebuilt { tp: subtype as usize, host: host.clone(), extra }));
    // SAFETY: the caller guarantees a readied type; tp_alloc returns a new
    // object or NULL.
    let object = unsafe {
        let alloc = (*subtype).tp_alloc.unwrap_or(crate::api::typeobject::PyType_GenericAlloc);
        alloc(subtype, nitems)
    };
    // A tp_alloc of C's own may not have reached `attach`.
    let unused = PREBUILT.with(|p| p.borrow_mut().take()).is_some();
    if object.is_null() {
        return Err(error_indicator::take_exception(vm).unwrap_or_else(|| vm.new_system_error("tp_alloc failed".to_owned())));
    }
    if let (Some((layout, _, _)), false) = (body, unused) {
        let size = proxy::object_size(object);
        // SAFETY: tp_alloc made zeroed memory of the subtype's size plus room
        // for `nitems` items and `extra` bytes, laid out from the builtin's
        // struct on; C has not seen it yet.
        unsafe {
            if layout == proxy::Layout::Str {
                crate::api::unicodeobject::fill_subtype_text(object, &host, (*subtype).tp_basicsize as usize);
            } else {
                proxy::fill_body(vm, layout, object, size, &host, false);
            }
        }
    }
    Ok(Some(object))
}

/// Whether instances of C type `tp` (and of Python subclasses of it) are
/// laid out exactly as a tuple's: items of pointer size after
/// `PyTupleObject`'s header, nothing else.
fn is_plain_tuple_layout(tp: *mut PyTypeObject) -> bool {
    let header = std::mem::offset_of!(ffi::PyTupleObject, ob_item) as isize;
    // SAFETY: a readied C type object (I7), read under the GIL.
    unsafe {
        (*tp).tp_itemsize == size_of::<*mut PyObject>() as isize
            && (*tp).tp_basicsize <= header
            && (*tp).tp_dictoffset == 0
            && (*tp).tp_weaklistoffset == 0
    }
}

/// Allocates an instance of `tp` (PyType_GenericAlloc): zeroed memory of
/// the type's size, count 1, and its host object.
pub fn alloc_instance(
    vm: &VirtualMachine,
    tp: *mut PyTypeObject,
    nitems: isize,
) -> PyResult<*mut PyObject> {
    let cls = class_of_type(vm, tp)?;
    if cls.fast_issubclass(vm.ctx.types.type_type) {
        // A metatype's own tp_alloc, run on the type object of a class the
        // host made: that type object is the memory it allocates.
        if let Some(class) = metatype_alloc::take_class_being_allocated() {
            return Ok(class);
        }
        return Ok(new_type_object_memory(tp, nitems));
    }
    let prebuilt = PREBUILT.with(|p| p.borrow().as_ref().is_some_and(|p| p.tp == tp as usize));
    if !prebuilt && solid_base(&cls).is(vm.ctx.types.tuple_type) && c_type_of(&cls).is_none_or(is_plain_tuple_layout) {
        // A tuple subclass, Python's (a namedtuple) or C's with no fields of
        // its own (PyGObject's result tuples), that C allocates and fills in
        // place (not one the layer makes from its host object,
        // `new_on_builtin_base`): a tuple proxy made in C, whose host object,
        // an instance of the class, is built from the items when it reaches
        // Python.
        return Ok(crate::api::tupleobject::new_tuple_of_type(nitems.max(0) as usize, tp));
    }
    enable_late_weakrefs(&cls, tp);
    if c_type_of(&cls).is_none() && crate::api::arraymodule::is_array_class(&cls) {
        return Ok(crate::api::arraymodule::new_pending(tp));
    }
    if c_type_of(&cls).is_none() && crate::api::dictobject::is_dict_view_class(vm, &cls) {
        // A dict view C fills in place (mypyc's `CPyDict_KeysView`): its
        // host is the same view of its dv_dict, made when it reaches Python.
        return Ok(proxy::new_pending(proxy::Layout::Plain, crate::api::dictobject::DICT_VIEW_SIZE, tp));
    }
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    let size = unsafe {
        let items = if (*tp).tp_itemsize != 0 {
            nitems + 1
        } else {
            0
        };
        // A count C chose may be absurd: too large is a MemoryError, as in
        // CPython, never an overflow (the margin leaves room for rounding).
        items
            .checked_mul((*tp).tp_itemsize)
            .and_then(|bytes| bytes.checked_add((*tp).tp_basicsize))
            .filter(|&bytes| bytes < isize::MAX / 2)
            .ok_or_else(|| crate::error_indicator::no_memory(vm))?
            .max(size_of::<PyObject>() as isize) as usize
    }
    .next_multiple_of(8)
        + PREBUILT.with(|p| p.borrow().as_ref().filter(|p| p.tp == tp as usize).map_or(0, |p| p.extra));
    let object = proxy::new_instance(size, tp).ok_or_else(|| crate::error_indicator::no_memory(vm))?;
    // SAFETY: a fresh instance of `size` bytes (room for ob_size), and `tp` as above.
    unsafe {
        if (*tp).tp_itemsize != 0 {
            (*(object as *mut ffi::PyVarObject)).ob_size = nitems;
        }
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0 {
            proxy::incref(tp as *mut PyObject);
        }
    }
    if let Err(e) = attach(vm, object, cls.clone()) {
        proxy::free_instance(object);
        return Err(e);
    }
    if c_type_of(&cls).is_none() && cls.slots.member_count > 0 {
        if let Ok(host) = proxy::to_host(vm, object) {
            SLOTTED_IN_FRAME.with(|s| s.push_current((object as usize, host)));
        }
    }
    // SAFETY: `tp` is the readied type C passed to tp_alloc (I7).
    if unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_HAVE_GC as u64 != 0 {
        if let Some(h) = proxy::header(object) {
            // SAFETY: the new instance's header under the GIL (I1, I2).
            unsafe { (*h.as_ptr()).gc_tracked = true };
        }
    }
    Ok(object)
}

/// Type objects `new_type_object_memory` made: laid out as a
/// `PyHeapTypeObject`, so `PyType_Ready` reads their `ht_name` and
/// `ht_qualname`.
static HANDMADE_TYPES: std::sync::LazyLock<dashmap::DashSet<usize>> = std::sync::LazyLock::new(dashmap::DashSet::new);

/// An attribute C sets (or deletes) on a type object from a metatype's
/// tp_alloc before it readies it: mypyc's `CPyType_FromTemplate` sets
/// `__orig_bases__` of `class C(Generic[T])` between
/// `PyType_GenericAlloc(&PyType_Type, 0)` and `PyType_Ready`. CPython's
/// `type_setattro` stores it in the type's `tp_dict` (made on first use,
/// through `tp_dictoffset`), and PyType_Ready keeps that dict
/// (`adopt_preset_dict`). None when `o` is not such a type.
pub fn set_attr_on_unreadied_type(
    vm: &VirtualMachine,
    o: *mut PyObject,
    name: &Py<PyStr>,
    v: *mut PyObject,
) -> Option<PyResult<()>> {
    // The header test first: it is a range check for most objects, and
    // PyObject_SetAttr runs this on every call.
    if proxy::header(o).is_some() || !HANDMADE_TYPES.contains(&(o as usize)) {
        return None;
    }
    let tp = o as *mut PyTypeObject;
    let store = || -> PyResult<()> {
        // SAFETY: a type object `new_type_object_memory` made, not readied
        // (no header yet): C's memory, whose tp_dict is NULL or a dict proxy.
        unsafe {
            if (*tp).tp_dict.is_null() {
                if v.is_null() {
                    return Err(vm.new_attribute_error(name.to_string()));
                }
                (*tp).tp_dict = proxy::into_ref(vm, vm.ctx.new_dict().into());
            }
            let dict = proxy::to_host(vm, (*tp).tp_dict)?;
            if v.is_null() {
                dict.del_item(name.as_object(), vm)
            } else {
                dict.set_item(name.as_object(), proxy::to_host(vm, v)?, vm)?;
                proxy::pin_to_host(vm, v);
                Ok(())
            }
        }
    };
    Some(store())
}

/// The `ht_name` and `ht_qualname` C set in a type object from a
/// metatype's tp_alloc (pybind11 names a nested class "Outer.Inner").
fn handmade_names(vm: &VirtualMachine, tp: *mut PyTypeObject) -> (Option<String>, Option<PyObjectRef>) {
    if !HANDMADE_TYPES.contains(&(tp as usize)) {
        return (None, None);
    }
    // SAFETY: the type object was allocated as a PyHeapTypeObject; its name
    // fields are NULL or objects C stored.
    let (name, qualname) = unsafe {
        let heap = tp as *mut ffi::PyHeapTypeObject;
        (proxy::opt_to_host(vm, (*heap).ht_name).ok().flatten(), proxy::opt_to_host(vm, (*heap).ht_qualname).ok().flatten())
    };
    let is_str = |o: &PyObjectRef| o.downcast_ref::<rustpython_vm::builtins::PyStr>().is_some();
    (name.filter(is_str).map(|n| n.downcast_ref::<rustpython_vm::builtins::PyStr>().map(|s| s.to_string()).unwrap_or_default()), qualname.filter(is_str))
}

/// `tp_alloc` of a metatype (`PyType_Type.tp_alloc(&PyType_Type, 0)`): a
/// type object that C fills in and then readies itself, as pybind11 makes
/// its classes. It is zeroed memory of the metatype's size with no host
/// object: `PyType_Ready` makes the class, as for a static type, and the
/// type is then immortal like every C type.
fn new_type_object_memory(tp: *mut PyTypeObject, nitems: isize) -> *mut PyObject {
    // SAFETY: `tp` is a readied metatype (I7).
    let size = unsafe { (*tp).tp_basicsize + nitems.max(0) * (*tp).tp_itemsize }
        .max(size_of::<ffi::PyHeapTypeObject>() as isize) as usize;
    // SAFETY: calloc has no preconditions; all-zero is a valid type object
    // (see `static_types!`). Never freed: the class and the identity table
    // will refer to it.
    let object = unsafe { libc::calloc(1, size) } as *mut PyObject;
    if object.is_null() {
        crate::boundary::fatal("tp_alloc: out of memory for a type object");
    }
    HANDMADE_TYPES.insert(object as usize);
    // SAFETY: the fresh block is at least a PyVarObject; `tp` as above.
    unsafe {
        (*object).ob_refcnt = 1;
        (*object).ob_type = tp;
        (*(object as *mut ffi::PyVarObject)).ob_size = nitems;
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0 {
            proxy::incref(tp as *mut PyObject);
        }
    }
    object
}

/// The object model's hook for an object it has never seen: a statically
/// allocated instance of a C type (`static PyObject NoDefault =
/// {PyObject_HEAD_INIT(&NoDefault_Type)}`), which CPython accepts as is, or
/// a static type object that C never readied.
/// Its memory is C's for the life of the process, so it is registered where
/// it is, made immortal, and given its host object. Plain C types only: a
/// builtin-based one (a static int subtype) would need its value set too.
///
/// # Safety
/// `object` must be readable as a `PyObject` (C passed it as one), and the
/// caller must hold the GIL.
pub unsafe fn adopt_static_instance(vm: &VirtualMachine, object: *mut PyObject) -> Option<PyResult<PyObjectRef>> {
    // SAFETY: the caller's contract; the type is only used if the layer knows it.
    let tp = unsafe { (*object).ob_type };
    if tp.is_null() || proxy::header(tp as *mut PyObject).is_none() {
        return None;
    }
    // A static type object C never passed to PyType_Ready, only given its
    // ob_type (BTrees sets `ob_type = &PyType_Type` on its `TreeItems` and
    // iterator types and stores them in its module dict; it makes their
    // instances with PyObject_New). CPython needs nothing from such a type
    // until an attribute lookup readies it; the layer needs its class as
    // soon as the object crosses, so it readies it now, as `class_of_type`
    // does for PyObject_New.
    // SAFETY: a readied type object (it has a header), read under the GIL.
    if unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_TYPE_SUBCLASS as u64 != 0 {
        let ty = object as *mut PyTypeObject;
        // SAFETY: an object whose type is a metatype is a type object (I8).
        let flags = unsafe { (*ty).tp_flags };
        if flags & (ffi::Py_TPFLAGS_READY | ffi::Py_TPFLAGS_READYING) as u64 != 0 {
            return None;
        }
        return Some(ready(vm, ty).and_then(|()| proxy::to_host(vm, object)));
    }
    let cls = proxy::to_host(vm, tp as *mut PyObject).ok()?.downcast::<PyType>().ok()?;
    if !is_own_c_type(&cls) || !solid_base(&cls).is(vm.ctx.types.object_type) {
        return None;
    }
    // SAFETY: a readied C type object (I7), and the object as above.
    unsafe {
        proxy::adopt_instance(object, (*tp).tp_basicsize as usize);
        (*object).ob_refcnt = ffi::IMMORTAL_REFCNT;
    }
    Some(attach(vm, object, cls).and_then(|()| proxy::to_host(vm, object)))
}

/// C took a reference again to an instance whose host died: its tp_dealloc
/// parked the struct in a free list of the type's own instead of freeing it
/// (gmpy2 caches its numbers so, and revives one with a bare `Py_INCREF`),
/// or raised the count to call a method on the dying object (Cython's
/// tp_dealloc around a `__dealloc__` that calls `self.close()`).
/// In CPython that memory is a live object again; here it gets a new host.
/// The object may be an instance of a Python class below the C type
/// (rasterio's RPCTransformer over a cdef class): CPython's subtype_dealloc
/// runs the C base's tp_dealloc on it, its `__dict__` already cleared, so
/// the new host of that class, with an empty dict, is what C sees there.
///
/// # Safety
/// `object` must be a registered instance with no host and a positive
/// count, and the caller must hold the GIL.
pub unsafe fn revive_instance(vm: &VirtualMachine, object: *mut PyObject) -> Option<PyResult<PyObjectRef>> {
    // SAFETY: the caller's contract: a registered instance keeps its type.
    let tp = unsafe { (*object).ob_type };
    if tp.is_null() || proxy::header(tp as *mut PyObject).is_none() {
        return None;
    }
    let cls = proxy::to_host(vm, tp as *mut PyObject).ok()?.downcast::<PyType>().ok()?;
    let below_c_type = c_type_of(&cls).is_some() && solid_base(&cls).is(vm.ctx.types.object_type);
    let own = is_own_c_type(&cls);
    if !own && !below_c_type {
        return None;
    }
    let revived = attach(vm, object, cls.clone()).and_then(|()| proxy::to_host(vm, object));
    if let Ok(host) = &revived
        && !own
        && cls.slots.del.load().is_some()
    {
        // The Python class's `__del__` ran before its C base's tp_dealloc
        // (as in CPython); the host made for the dying object must not run
        // it again when it dies in turn.
        FINALIZED_BEFORE_REVIVAL.insert(proxy::host_addr(host));
        if cls.slots.del_needed.load().is_none() {
            cls.slots.del_needed.store(Some(not_finalized_before_revival));
        }
    }
    Some(revived)
}

/// Hosts `revive_instance` made for dying instances of Python classes with
/// a `__del__`, until they die.
static FINALIZED_BEFORE_REVIVAL: std::sync::LazyLock<dashmap::DashSet<usize>> = std::sync::LazyLock::new(dashmap::DashSet::new);

/// The host's question before it runs `__del__` of a dying object: no for
/// one `revive_instance` made (its `__del__` ran already).
fn not_finalized_before_revival(object: &rustpython_vm::PyObject) -> bool {
    FINALIZED_BEFORE_REVIVAL.remove(&(object as *const rustpython_vm::PyObject as usize)).is_none()
}

/// The field at a C type's `tp_dictoffset` in `object`'s struct, if the
/// type has one.
pub fn dict_field(object: *mut PyObject) -> Option<*mut *mut PyObject> {
    if !proxy::is_instance(object) {
        return None;
    }
    // SAFETY: an instance has its readied type object (I8), and a positive
    // tp_dictoffset is a PyObject* field inside its struct.
    unsafe {
        let offset = (*(*object).ob_type).tp_dictoffset;
        (offset > 0).then(|| (object as *mut u8).add(offset as usize) as *mut *mut PyObject)
    }
}

/// The dict in `object`'s dict field, if C put one there.
fn dict_in_field(vm: &VirtualMachine, object: *mut PyObject) -> Option<rustpython_vm::builtins::PyDictRef> {
    // SAFETY: the field of a live instance, read under the GIL.
    let current = unsafe { *dict_field(object)? };
    proxy::opt_to_host(vm, current).ok().flatten()?.downcast::<rustpython_vm::builtins::PyDict>().ok()
}

/// The instance dict of a new host object for `object`: a new one, or the
/// one C already keeps in its struct (a resurrected object).
fn struct_dict(vm: &VirtualMachine, object: *mut PyObject) -> rustpython_vm::builtins::PyDictRef {
    dict_in_field(vm, object).unwrap_or_else(|| vm.ctx.new_dict())
}

/// Makes C's `self->dict` (the field at `tp_dictoffset`) and the host's
/// instance dict one dict. tp_alloc leaves the field NULL, as in CPython,
/// so a tp_new may put a dict of its own there (wrapt does): that dict then
/// becomes the host's, keeping what Python stored already. An empty field
/// gets the host's dict. Runs after tp_new and wherever C goes through the
/// generic attribute functions.
pub fn sync_struct_dict(vm: &VirtualMachine, object: *mut PyObject) {
    let Some(field) = dict_field(object) else { return };
    let Ok(host) = proxy::to_host(vm, object) else { return };
    let Some(host_dict) = host.dict() else { return };
    match dict_in_field(vm, object) {
        Some(c_dict) if c_dict.is(&host_dict) => {}
        Some(c_dict) => {
            for (key, value) in &host_dict {
                if !c_dict.contains_key(&*key, vm) {
                    let _ = c_dict.set_item(&*key, value, vm);
                }
            }
            let _ = host.set_dict(Some(c_dict));
        }
        // SAFETY: the field of a live instance, written under the GIL; it
        // owns the reference it gets.
        None => unsafe {
            if (*field).is_null() {
                *field = proxy::new_ref(vm, &host_dict.into());
            }
        },
    }
}

/// Makes the host object for C memory that is already an object of `cls`.
/// `object` is a registered instance with no host (I8 in `proxy.rs`).
pub fn attach(vm: &VirtualMachine, object: *mut PyObject, cls: PyTypeRef) -> PyResult<()> {
    let solid = solid_base(&cls);
    if solid.is(vm.ctx.types.object_type) {
        // A metatype that took the dict away after the class was made.
        // SAFETY: a registered instance has its readied type object (I8).
        drop_dict_if_taken_away(&cls, unsafe { (*object).ob_type });
        let dict = cls.slots.flags.has_feature(PyTypeFlags::HAS_DICT).then(|| struct_dict(vm, object));
        let host = PyRef::new_ref(CInstance::new(object), cls, dict);
        host.host.store(host.as_object() as *const _ as usize, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: `attach` is called with a registered instance that has no
        // host (a new one from tp_alloc, or a resurrected one), I8.
        unsafe { proxy::attach_host(object, host.into()) };
        return Ok(());
    }
    // A builtin base: the host object is the builtin's (list.__new__(cls)),
    // so the builtin's own methods work on it; a weak reference reports its
    // death, when the struct's tp_dealloc runs.
    // SAFETY: a registered instance has its type object (I8).
    let host = match take_prebuilt(unsafe { (*object).ob_type }) {
        Some(host) => host,
        None => {
            let new = solid
                .slots
                .new
                .load()
                .ok_or_else(|| vm.new_type_error(format!("cannot subclass '{}'", solid.name())))?;
            if let Some(kind) = ValueKind::of(vm, &solid) {
                // An empty value for now: C may write the value into the
                // struct itself (multidict's istr writes text, numpy's
                // float64 its double), which `value_written_in_c` takes as
                // the instance first crosses.
                VALUE_FROM_C_USED.store(true, std::sync::atomic::Ordering::Relaxed);
                VALUE_FROM_C.insert(object as usize, kind);
            }
            new(cls, FuncArgs::default(), vm)?
        }
    };
    // SAFETY: as above.
    unsafe { proxy::attach_host(object, host.clone()) };
    watch_builtin_based(vm, object, host)
}

/// Which builtin value an instance's struct holds.
#[derive(Clone, Copy)]
enum ValueKind {
    Str,
    Float,
    Complex,
    Bytes,
    /// A list's items, in an `ob_item` array C made itself (atom sizes
    /// its list subclass so and fills it with `PyList_SET_ITEM`).
    List,
}

impl ValueKind {
    /// The kind of value the builtin `solid` keeps in its struct, if C may
    /// write one there after tp_alloc.
    fn of(vm: &VirtualMachine, solid: &Py<PyType>) -> Option<ValueKind> {
        let types = &vm.ctx.types;
        [
            (types.str_type, ValueKind::Str),
            (types.float_type, ValueKind::Float),
            (types.complex_type, ValueKind::Complex),
            (types.bytes_type, ValueKind::Bytes),
            (types.list_type, ValueKind::List),
        ]
            .into_iter()
            .find_map(|(builtin, kind)| solid.is(builtin).then_some(kind))
    }
}

/// Instances of C subtypes of str, float, complex and bytes allocated
/// without a value (tp_alloc called directly rather than through the builtin's
/// tp_new), whose value C may write into the struct.
static VALUE_FROM_C: std::sync::LazyLock<dashmap::DashMap<usize, ValueKind>> = std::sync::LazyLock::new(dashmap::DashMap::new);
/// Whether VALUE_FROM_C was ever used: every crossing of an instance asks,
/// and most programs never make such an instance.
static VALUE_FROM_C_USED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The object model's `rebuild_from_c` for instances: a C subtype of str,
/// float, complex or bytes whose struct C gave a value after tp_alloc gets a host
/// object with that value, once, as it first crosses into Python (a list
/// subtype's host list takes the items C put in its struct).
pub fn value_written_in_c(vm: &VirtualMachine, object: *mut PyObject, host: &PyObjectRef) -> PyResult<Option<PyObjectRef>> {
    if !VALUE_FROM_C_USED.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(None);
    }
    let Some((_, kind)) = VALUE_FROM_C.remove(&(object as usize)) else {
        return Ok(None);
    };
    let (builtin, args): (&Py<PyType>, Vec<PyObjectRef>) = match kind {
        ValueKind::Str => {
            // A live instance of a C subtype of str: its struct starts with
            // a PyUnicodeObject, whose text C has set (or left empty).
            let text = crate::api::unicodeobject::str_from_proxy(vm, object)?;
            if text.downcast_ref::<rustpython_vm::builtins::PyStr>().is_none_or(|t| t.is_empty()) {
                return Ok(None);
            }
            (vm.ctx.types.str_type, vec![text])
        }
        ValueKind::Float => {
            // SAFETY: the struct of a live instance of a C subtype of float
            // starts with a PyFloatObject (its size was checked at ready).
            let value = unsafe { (*(object as *mut ffi::PyFloatObject)).ob_fval };
            if value.to_bits() == 0 {
                return Ok(None);
            }
            (vm.ctx.types.float_type, vec![vm.ctx.new_float(value).into()])
        }
        ValueKind::Bytes => {
            // SAFETY: the struct of a live instance of a C subtype of bytes
            // starts with a PyBytesObject of the size tp_alloc gave it.
            let bytes = unsafe {
                let b = object as *mut ffi::PyBytesObject;
                let n = (*b).ob_base.ob_size.max(0) as usize;
                std::slice::from_raw_parts((*b).ob_sval.as_ptr() as *const u8, n).to_vec()
            };
            if bytes.is_empty() {
                return Ok(None);
            }
            (vm.ctx.types.bytes_type, vec![vm.ctx.new_bytes(bytes).into()])
        }
        ValueKind::List => return list_written_in_c(vm, object, host).map(|()| None),
        ValueKind::Complex => {
            // SAFETY: as above, a PyComplexObject.
            let value = unsafe { (*(object as *mut ffi::PyComplexObject)).cval };
            if value.real.to_bits() == 0 && value.imag.to_bits() == 0 {
                return Ok(None);
            }
            (vm.ctx.types.complex_type, vec![vm.ctx.new_float(value.real).into(), vm.ctx.new_float(value.imag).into()])
        }
    };
    let new = builtin.slots.new.load().ok_or_else(|| vm.new_type_error("the builtin has no __new__".to_owned()))?;
    let rebuilt = new(host.class().to_owned(), FuncArgs::from(args), vm)?;
    // The old host's death must not run tp_dealloc: its watch goes first.
    end_death_watch(object as usize);
    // SAFETY: a registered instance with a host, under the GIL.
    let old = unsafe { proxy::replace_host(object, rebuilt.clone()) };
    watch_builtin_based(vm, object, rebuilt.clone())?;
    drop(old);
    Ok(Some(rebuilt))
}

/// The items of an instance of a C subtype of list that C gave an
/// `ob_item` array and a size after tp_alloc: the host list (the instance's
/// own, so identity holds) takes them, NULL slots as None until C sets them
/// with `PyList_SET_ITEM`, and the array, whose references it took over, is
/// freed as CPython's list would free it.
fn list_written_in_c(vm: &VirtualMachine, object: *mut PyObject, host: &PyObjectRef) -> PyResult<()> {
    let Some(list) = host.downcast_ref::<rustpython_vm::builtins::PyList>() else { return Ok(()) };
    let body = object as *mut ffi::PyListObject;
    // SAFETY: the struct of a live instance of a C subtype of list starts
    // with a PyListObject; the array, when C made one, holds ob_size slots.
    let (array, size) = unsafe { ((*body).ob_item, (*body).ob_base.ob_size) };
    if array.is_null() || size <= 0 {
        return Ok(());
    }
    // SAFETY: as above.
    let slots = unsafe { std::slice::from_raw_parts(array, size as usize) };
    let mut items = Vec::with_capacity(slots.len());
    for &slot in slots {
        if slot.is_null() {
            items.push(vm.ctx.none());
            continue;
        }
        items.push(proxy::to_host(vm, slot)?);
        // The host list holds the item now; the array's reference ends.
        proxy::pin_to_host(vm, slot);
        proxy::decref(slot);
    }
    list.borrow_vec_mut().extend(items);
    // SAFETY: C allocated the array with the PyMem allocator, as CPython's
    // list does; nothing refers to it once the fields are cleared.
    unsafe {
        crate::api::pymem::PyMem_Free(array as *mut std::ffi::c_void);
        (*body).ob_item = std::ptr::null_mut();
        (*body).allocated = 0;
        (*body).ob_base.ob_size = list.borrow_vec().len() as ffi::Py_ssize_t;
    }
    Ok(())
}

/// Arranges for the struct's tp_dealloc to run when `host`, the builtin
/// host object of an instance of a C subtype of a builtin, dies.
fn watch_builtin_based(vm: &VirtualMachine, object: *mut PyObject, host: PyObjectRef) -> PyResult<()> {
    let address = object as usize;
    let host_address = host.as_object() as *const _ as usize;
    // A watch it replaces would never call back: its bookkeeping goes too.
    end_death_watch(address);
    let watch = INSTANCE_HOSTS.watch(vm, &host, (address, host_address))?;
    DEATH_WATCH.insert(address, watch);
    Ok(())
}

/// The death watch's callback: the host of a C subtype's instance died.
fn instance_host_died(watch: WatchKey, (address, host_address): (usize, usize), vm: &VirtualMachine) {
    DEATH_WATCH.remove_if(&address, |_, w| *w == watch);
    // The collector calls back for cyclic garbage before it breaks the
    // cycle: an instance C still holds (an atom's list, held by its
    // atom's slot) has not died, and its host lives on through the
    // proxy's reference. It is watched again, to die when C lets go.
    if let Some(host) = host_held_by_c(address as *mut PyObject) {
        if watch_builtin_based(vm, address as *mut PyObject, host).is_ok() {
            return;
        }
    }
    // SAFETY: the struct lives until its tp_dealloc, which runs here.
    unsafe { instance_died(address as *mut PyObject, host_address) };
}

/// The host of an instance whose proxy C still holds references to.
fn host_held_by_c(object: *mut PyObject) -> Option<PyObjectRef> {
    let h = proxy::header(object)?;
    // SAFETY: a registered instance's header and count, read under the GIL
    // (the collector's callbacks run with it); a non-null host is alive
    // while the proxy holds it (I3).
    unsafe {
        let h = h.as_ref();
        ((*object).ob_refcnt > 0 && h.holds_host && !h.host.is_null()).then(|| (*h.host).to_owned())
    }
}

/// A host getset descriptor with a docstring (C's `doc` field). A macro
/// because the host's getter and setter traits cannot be named here.
macro_rules! documented_getset {
    ($vm:expr, $name:expr, $class:expr, $doc:expr, $getter:expr, $setter:expr) => {{
        let doc: Option<&'static str> =
            $doc.map(|d: &str| &*$crate::methods::leak_str(d.to_owned()));
        let getset = rustpython_vm::builtins::PyGetSet::new($name, $class, &$vm.ctx)
            .with_doc(rustpython_vm::function::ItemDoc {
                text: doc,
                ..rustpython_vm::function::ItemDoc::NONE
            })
            .with_get($getter)
            .with_set($setter);
        let descriptor: rustpython_vm::PyObjectRef =
            rustpython_vm::PyRef::new_ref(getset, $vm.ctx.types.getset_type.to_owned(), None)
                .into();
        descriptor
    }};
}
pub(crate) use documented_getset;

/// Dicts handed out as a type's `tp_dict` -> the class.
static TYPE_DICTS: std::sync::LazyLock<dashmap::DashMap<usize, usize>> =
    std::sync::LazyLock::new(dashmap::DashMap::new);

/// A class's `tp_dict`. A class made while the interpreter runs (every
/// Python class, every C type) keeps its namespace in a real dict: C gets
/// that dict, live, as in CPython. A builtin made before the interpreter
/// existed keeps its namespace elsewhere, so C gets a copy, kept in step
/// with C's own writes (`before_type_dict_write`).
pub fn type_dict(vm: &VirtualMachine, class: &'static Py<PyType>) -> *mut PyObject {
    let dict: PyObjectRef = match class.attributes.as_dict() {
        Some(live) => live.to_owned().into(),
        None => {
            let copy = class
                .as_object()
                .get_attr("__dict__", vm)
                .and_then(|ns| vm.ctx.types.dict_type.as_object().call((ns,), vm));
            let Ok(copy) = copy else {
                return std::ptr::null_mut();
            };
            copy
        }
    };
    let proxy = proxy::into_ref(vm, dict.clone());
    proxy::make_immortal(proxy);
    TYPE_DICTS.insert(proxy::host_addr(&dict), class as *const Py<PyType> as usize);
    proxy
}

/// Before C sets (Some) or deletes (None) `key` in `dict` through the dict
/// API: if `dict` is a type's `tp_dict`, the type's attribute caches are
/// invalidated (before, so that nothing cached outlives the old value), and
/// a key str is interned (the host looks class attributes up by interned
/// name), and a copy's class gets the write too.
pub fn before_type_dict_write(
    vm: &VirtualMachine,
    dict: &PyObjectRef,
    key: &PyObjectRef,
    value: Option<PyObjectRef>,
) -> PyResult<()> {
    let Some(class) = TYPE_DICTS.get(&proxy::host_addr(dict)).map(|c| *c) else {
        return Ok(());
    };
    // SAFETY: TYPE_DICTS holds addresses of leaked (never freed) heap classes.
    let class = unsafe { &*(class as *const Py<PyType>) };
    class.modified();
    if class.attributes.as_dict().is_some_and(|live| live.as_object().is(dict)) {
        // The host finds a class attribute only under a name in its pool of
        // interned strs (CPython's PyDict_SetItemString interns its key too).
        if let Some(name) = key.downcast_ref::<rustpython_vm::builtins::PyStr>() {
            vm.ctx.intern_str(name.to_string());
        }
        return Ok(());
    }
    let name = key.str(vm)?;
    match value {
        // Straight into the class's namespace, as a write to tp_dict is in
        // CPython: not through the metaclass's tp_setattro, which may refuse
        // it (ExtensionClass refuses dunder names on static types).
        Some(v) => {
            class.set_attr(vm.ctx.intern_str(name.to_string()), v);
            Ok(())
        }
        None => class.as_object().del_attr(&name, vm),
    }
}

/// The name C gives a class in messages: the type object's `tp_name`.
pub fn tp_name(vm: &VirtualMachine, cls: &Py<PyType>) -> String {
    let tp = crate::types::type_proxy(vm, cls);
    // SAFETY: type objects are immortal (I7) and tp_name is NULL or a C string.
    unsafe { c_str((*tp).tp_name).unwrap_or("?").to_owned() }
}

/// Reads C's `tp_name`: "module.Name" gives module and name.
fn split_name(tp_name: &str) -> (&str, &str) {
    match tp_name.rsplit_once('.') {
        Some((module, name)) => (module, name),
        None => ("builtins", tp_name),
    }
}

/// The host class of a type object C allocates an instance of. A static
/// type that C never readied is readied now, as CPython readies one on the
/// first attribute lookup (pyahocorasick makes its iterators from types it
/// never passes to PyType_Ready).
pub fn class_of_type(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<PyTypeRef> {
    // SAFETY: C passes a type object (I8); its flags are read under the GIL.
    let never_readied = unsafe { (*tp).tp_flags } & (ffi::Py_TPFLAGS_READY | ffi::Py_TPFLAGS_READYING) as u64 == 0;
    if never_readied && proxy::header(tp as *mut PyObject).is_none() {
        ready(vm, tp)?;
    }
    proxy::to_host(vm, tp as *mut PyObject)?
        .downcast::<PyType>()
        .map_err(|_| vm.new_system_error("tp_alloc: not a type".to_owned()))
}

/// PyType_Ready: the host class for a C type object.
pub fn ready(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<()> {
    // SAFETY: C passes its type object (I8), initialised statically or by PyType_FromSpec;
    // PyType_Ready runs under the GIL.
    unsafe {
        let flags = (*tp).tp_flags;
        if flags & (ffi::Py_TPFLAGS_READY | ffi::Py_TPFLAGS_READYING) as u64 != 0 {
            return Ok(());
        }
        (*tp).tp_flags |= ffi::Py_TPFLAGS_READYING as u64;
        let result = ready_inner(vm, tp);
        (*tp).tp_flags &= !(ffi::Py_TPFLAGS_READYING as u64);
        if result.is_ok() {
            (*tp).tp_flags |= ffi::Py_TPFLAGS_READY as u64;
            // CPython reads a slot from the type object at each use, so one
            // C writes after PyType_Ready works there (PyGObject sets
            // tp_call and tp_descr_get that way): such writes are looked at
            // when the C call that readied the type ends.
            remember_slots_at_birth(tp);
        }
        result
    }
}

/// The body of `ready`, between the READYING and READY flags.
///
/// # Safety
/// `tp` must be a type object C initialised (statically or through
/// `PyType_FromSpec`), whose tables and strings live as long as the type;
/// the caller holds the GIL.
unsafe fn ready_inner(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<()> {
    // SAFETY: the caller's contract.
    unsafe {
        let tp_name = c_str((*tp).tp_name).ok_or_else(|| {
            vm.new_system_error("Type does not define the tp_name field.".to_owned())
        })?;
        if (*tp).tp_base.is_null() && tp != &raw mut crate::types::PyBaseObject_Type {
            (*tp).tp_base = &raw mut crate::types::PyBaseObject_Type;
        }
        let base = (*tp).tp_base;
        if (*base).tp_flags & ffi::Py_TPFLAGS_READY as u64 == 0 {
            ready(vm, base)?;
        }
        if (*tp).ob_base.ob_base.ob_type.is_null() {
            (*tp).ob_base.ob_base.ob_type = (*base).ob_base.ob_base.ob_type;
        }
        // Decided before inheritance: CPython gives a type a `__new__` in
        // its dict only for a tp_new of its own.
        let own_new = (*tp).tp_new.is_some();
        // A static type of object's with no tp_new cannot be instantiated
        // from Python, and says so in its flags, as PyType_Ready marks it.
        if !own_new
            && base == &raw mut crate::types::PyBaseObject_Type
            && (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 == 0
        {
            (*tp).tp_flags |= ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION as u64;
        }
        inherit_c_slots(tp, base);
        // A type that compares but has no hash of its own or inherited is
        // unhashable, as CPython's PyType_Ready makes it (`__hash__` None;
        // a `__hash__` in tp_methods does not count there either).
        if (*tp).tp_hash.is_none() {
            (*tp).tp_hash = Some(crate::api::object::PyObject_HashNotImplemented);
        }
        if (*tp).tp_flags & ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION as u64 != 0 {
            // As CPython's PyType_Ready: no tp_new, whatever the base has.
            (*tp).tp_new = None;
        }

        let base_cls = proxy::to_host(vm, base as *mut PyObject)?
            .downcast::<PyType>()
            .map_err(|_| vm.new_type_error(format!("base of {tp_name} is not a type")))?;
        let metaclass = proxy::to_host(vm, (*tp).ob_base.ob_base.ob_type as *mut PyObject)?
            .downcast::<PyType>()
            .map_err(|_| vm.new_type_error(format!("metatype of {tp_name} is not a type")))?;
        // All the bases C listed in tp_bases (Cython's cdef class with a
        // Python class as a further base; numpy's float64, whose bases are
        // its own `floating` and float), else tp_base alone.
        let mut bases = vec![base_cls.clone()];
        if !(*tp).tp_bases.is_null() {
            if let Ok(listed) = proxy::to_host(vm, (*tp).tp_bases)?.downcast::<rustpython_vm::builtins::PyTuple>() {
                let listed: Vec<PyTypeRef> = listed.iter().filter_map(|b| b.clone().downcast::<PyType>().ok()).collect();
                if listed.len() > 1 && listed[0].is(&base_cls) {
                    bases = listed;
                }
            }
        }
        let (module, name) = split_name(tp_name);
        let (own_name, own_qualname) = handmade_names(vm, tp);
        let name = own_name.as_deref().unwrap_or(name);
        let mut host_flags = vec![PyTypeFlags::HEAPTYPE];
        if (*tp).tp_flags & ffi::Py_TPFLAGS_BASETYPE as u64 != 0 {
            host_flags.push(PyTypeFlags::BASETYPE);
        }
        // A static type is immutable, as PyType_Ready makes it in CPython
        // 3.10+, and so is a spec type that asks: setting an attribute from
        // Python is a TypeError (zope.interface then keeps its declarations
        // for the type in a registry). The layer fills the class's dict
        // directly, past that check.
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 == 0 {
            (*tp).tp_flags |= ffi::Py_TPFLAGS_IMMUTABLETYPE as u64;
        }
        if (*tp).tp_flags & ffi::Py_TPFLAGS_IMMUTABLETYPE as u64 != 0 {
            host_flags.push(PyTypeFlags::IMMUTABLETYPE);
        }
        // Calling it with the instance first is the same as binding it and
        // calling (Cython's cyfunction): the host then calls it unbound for
        // `obj.f()` and special methods, as CPython does, and no bound
        // method is made in C for each call.
        if (*tp).tp_flags & ffi::Py_TPFLAGS_METHOD_DESCRIPTOR as u64 != 0 {
            host_flags.push(PyTypeFlags::METHOD_DESCRIPTOR);
        }
        // What a `match` statement tests (Cython's collection_type, or a
        // base such as list or dict that has them).
        let base_flags = &base_cls.slots.flags;
        // The type's own flag first, else the base's, as CPython inherits them.
        let own_sequence = (*tp).tp_flags & ffi::Py_TPFLAGS_SEQUENCE as u64 != 0;
        let own_mapping = (*tp).tp_flags & ffi::Py_TPFLAGS_MAPPING as u64 != 0;
        if own_sequence || (!own_mapping && base_flags.has_feature(PyTypeFlags::SEQUENCE)) {
            host_flags.push(PyTypeFlags::SEQUENCE);
        } else if own_mapping || base_flags.has_feature(PyTypeFlags::MAPPING) {
            host_flags.push(PyTypeFlags::MAPPING);
        }
        // A dict at tp_dictoffset, or one the interpreter keeps for the
        // type (Py_TPFLAGS_MANAGED_DICT, pybind11's `dynamic_attr`).
        if (*tp).tp_dictoffset != 0
            || (*tp).tp_flags & ffi::Py_TPFLAGS_MANAGED_DICT as u64 != 0
            || base_cls.slots.flags.has_feature(PyTypeFlags::HAS_DICT)
        {
            host_flags.push(PyTypeFlags::HAS_DICT);
        }
        // Through any base: the host object is then the builtin's, and its
        // death is watched with a weak reference.
        let builtin_based = bases.iter().any(|b| !solid_base(b).is(vm.ctx.types.object_type));
        if (*tp).tp_weaklistoffset != 0
            || builtin_based
            || bases.iter().any(|b| b.slots.flags.has_feature(PyTypeFlags::HAS_WEAKREF))
        {
            host_flags.push(PyTypeFlags::HAS_WEAKREF);
        }
        let host_flags = PyTypeFlags::from_slice(&host_flags);
        let slot_name: &'static str = methods::leak_str(tp_name.to_owned());
        let mut slots = PyTypeSlots::new(slot_name, host_flags);
        if builtin_based {
            // The builtin's own size, which its constructor checks, also
            // when the builtin comes through a later base (the host would
            // take the first base's).
            if let Some(builtin) = bases.iter().map(|b| solid_base(b)).find(|b| !b.is(vm.ctx.types.object_type)) {
                slots.basicsize = builtin.slots.basicsize;
            }
        } else if base != &raw mut crate::types::PyBaseObject_Type
            && (*tp).tp_basicsize == (*base).tp_basicsize
            && (*tp).tp_itemsize == (*base).tp_itemsize
        {
            // No fields beyond its base's: CPython's `extra_ivars` is false,
            // so the base's solid base is this type's too, and `best_base`
            // of `class X(PySubOfBase, ThisType)` is the Python class (mpi4py's
            // `pkl5.Intracomm(pkl5.Comm, MPI.Intracomm)`, whose `Comm.__new__`
            // must be allowed). The host's size must then be the base's, even
            // when C set the base's `tp_weaklistoffset` only after readying
            // it (Cython 3 does), which the size below would count differently
            // for the two types.
            slots.basicsize = base_cls.slots.basicsize;
        } else {
            // The struct's own fields count in the host's size, as they do in
            // CPython's: pickling an instance without a `__reduce__` or
            // `__getstate__` then fails ("cannot pickle"), and two bases
            // with fields of their own conflict.
            let pointer = size_of::<*mut PyObject>() as isize;
            let own = (*tp).tp_basicsize
                - size_of::<PyObject>() as isize
                - if (*tp).tp_dictoffset > 0 { pointer } else { 0 }
                - if (*tp).tp_weaklistoffset > 0 { pointer } else { 0 };
            if own > 0 {
                slots.basicsize = vm.ctx.types.object_type.slots.basicsize + own as usize;
            }
        }
        let cls = PyType::new_heap(
            name,
            bases,
            Default::default(),
            slots,
            metaclass,
            &vm.ctx,
        )
        .map_err(|e| vm.new_type_error(e))?;
        // Into the class's own dict, as CPython does: a metaclass may make
        // `__module__` a read-only descriptor (Cython's shared types do),
        // or have a tp_setattro of its own, not to be run on a class that
        // is not ready (ExtensionClass). `__qualname__` is the name already.
        cls.set_attr(vm.ctx.intern_str("__module__"), vm.ctx.new_str(module).into());
        if let (Some(qualname), Some(ext)) = (own_qualname, cls.heaptype_ext.as_ref()) {
            // Directly: the metaclass's setattro is not to run on a class
            // that is not ready.
            if let Ok(qualname) = qualname.downcast::<rustpython_vm::builtins::PyStr>() {
                *ext.qualname.write() = qualname;
            }
        }
        if tp_name != name
            && let Some(ext) = cls.heaptype_ext.as_ref()
        {
            // The interpreter's own messages ("unsupported operand type(s)",
            // "object is not subscriptable") say `tp_name`, as CPython's do.
            *ext.tp_name.write() = Some(tp_name.to_owned());
        }
        // Without a leading signature, as CPython's type_ready stores it
        // (`type_dict_set_doc`): `T.__doc__` of `"T(a, b)\n--\n\nText"` is "Text".
        let doc: PyObjectRef = if (*tp).tp_doc.is_null() {
            vm.ctx.none()
        } else {
            crate::api::object::type_doc_from_internal_doc(vm, (*tp).tp_name, (*tp).tp_doc)?
        };
        cls.set_attr(vm.ctx.intern_str("__doc__"), doc);
        let _ = cls.init_type_data(CTypeData::new(tp as usize, false));
        (*tp).ob_base.ob_base.ob_refcnt = ffi::IMMORTAL_REFCNT;
        proxy::register_static(cls.clone().into(), tp as *mut PyObject);

        // Descriptors and slots refer to the class for ever: it is immortal.
        let class: &'static Py<PyType> = Box::leak(Box::new(cls.clone()));
        install_slots(vm, tp, class);
        if crate::slots::c_calls_python::is_python_class_type(base) {
            // Now that the host slots are in place: C that reads a table of a
            // subtype of a builtin (Cython's slice assignment reads
            // mp_ass_subscript) finds the builtin's entries, which go
            // through the host; the host class already has them.
            inherit_protocol_tables(tp, base);
        }
        // Also for a type that cannot be instantiated: `object.__new__(T)`
        // names it by its tp_name.
        if (*tp).tp_new.is_some_and(|f| crate::slots::c_calls_python::is_object_new(f as usize))
            || (*tp).tp_flags & ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION as u64 != 0
        {
            hook_object_new(vm);
        }
        let dunder_new = vm.ctx.intern_str("__new__");
        if !own_new
            && (*tp).tp_new.is_some_and(|f| crate::slots::c_calls_python::is_python_new(f as usize))
            && class.get_direct_attr(dunder_new).is_none()
        {
            // Each builtin above it: `BaseException.__new__(E)` works as
            // `Exception.__new__(E)` does.
            let builtins: Vec<PyTypeRef> = class
                .mro
                .read()
                .iter()
                .filter(|c| {
                    !c.is(vm.ctx.types.object_type)
                        && !c.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE)
                        && c_type_of(c).is_none()
                        && c.get_direct_attr(dunder_new).is_some()
                })
                .cloned()
                .collect();
            for builtin in builtins {
                hook_builtin_new(vm, builtin);
            }
        }
        // Also when tp_new came from object: RustPython's object.__new__
        // refuses a class whose slot is our trampoline ("is not safe"), and
        // Python code calls `Base.__new__(cls)` (zope.interface does).
        let new_would_be_objects = || {
            let object_new = vm.ctx.types.object_type.get_direct_attr(dunder_new);
            matches!((class.get_attr(dunder_new), object_new), (Some(found), Some(object_new)) if found.is(&object_new))
        };
        if class.get_direct_attr(dunder_new).is_none()
            && (own_new || ((*tp).tp_new.is_some() && new_would_be_objects()))
        {
            add_new_method(vm, class);
        }
        add_methods(vm, tp, class)?;
        add_members(vm, tp, class)?;
        add_getsets(vm, tp, class)?;
        // After the type's own methods: one of them may be `__sizeof__`.
        if class.get_attr(vm.ctx.intern_str("__sizeof__")).is_none_or(|f| {
            vm.ctx.types.object_type.get_direct_attr(vm.ctx.intern_str("__sizeof__")).is_some_and(|o| o.is(&f))
        }) {
            add_sizeof_method(vm, class);
        }
        if class.slots.getattro.load().is_some() && own_getattro(tp) {
            // A `__getattr__` entry in the dict (Cython adds one) makes the
            // host wrap the slot to call `__getattr__` after an
            // AttributeError; the C type's own tp_getattro already does.
            class.slots.getattro.store(Some(getattro_trampoline));
        }
        (*tp).tp_flags |= crate::types::subclass_flags(vm, class);
        adopt_preset_dict(vm, tp, class)?;
        (*tp).tp_dict = type_dict(vm, class);
        // As PyType_Ready in CPython: the MRO and bases as tuples of type
        // objects (Cython's vtable merging reads tp_bases).
        if (*tp).tp_mro.is_null() {
            let mro: Vec<_> = class.mro_collect().into_iter().map(Into::into).collect();
            (*tp).tp_mro = proxy::into_ref(vm, vm.ctx.new_tuple(mro).into());
            proxy::make_immortal((*tp).tp_mro);
        }
        if (*tp).tp_bases.is_null() {
            let bases: Vec<_> = class.bases.read().iter().map(|b| b.as_object().to_owned()).collect();
            (*tp).tp_bases = proxy::into_ref(vm, vm.ctx.new_tuple(bases).into());
            proxy::make_immortal((*tp).tp_bases);
        }
        // Last, as for a class's type object (types::type_proxy).
        crate::types::record_subclass(vm, tp, class);
    }
    Ok(())
}

/// The number, sequence and mapping tables `tp` left NULL are its base's,
/// and so are the entries its own tables left NULL, as in CPython.
///
/// # Safety
/// `tp` must be a type object being readied and `base` its readied base;
/// the caller holds the GIL.
unsafe fn inherit_protocol_tables(tp: *mut PyTypeObject, base: *mut PyTypeObject) {
    // SAFETY: the caller's contract.
    unsafe {
        if (*tp).tp_as_number.is_null() {
            (*tp).tp_as_number = (*base).tp_as_number;
        }
        if (*tp).tp_as_sequence.is_null() {
            (*tp).tp_as_sequence = (*base).tp_as_sequence;
        }
        if (*tp).tp_as_mapping.is_null() {
            (*tp).tp_as_mapping = (*base).tp_as_mapping;
        }
        crate::api::typeobject::inherit_protocol_entries(tp, base);
    }
}

/// Whether `base` is `type` or a subclass of it: a C type deriving from it is
/// a metatype.
///
/// # Safety
/// `base` must be a readied type object.
unsafe fn is_metatype(base: *mut PyTypeObject) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        base == &raw mut crate::types::PyType_Type || (*base).tp_flags & ffi::Py_TPFLAGS_TYPE_SUBCLASS as u64 != 0
    }
}

/// Fills the slots a C type left NULL from its base, as CPython does.
///
/// # Safety
/// `tp` must be a type object being readied and `base` its readied base;
/// the caller holds the GIL.
unsafe fn inherit_c_slots(tp: *mut PyTypeObject, base: *mut PyTypeObject) {
    // SAFETY: the caller's contract.
    unsafe {
        if crate::slots::c_calls_python::is_python_class_type(base) {
            // A builtin or Python class as base: its behaviour slots call
            // back through the host, which would call this type's
            // trampolines. Take object's, but the base's tp_new and tp_init
            // (they allocate through this type's tp_alloc and run the base's
            // own __init__).
            if (*tp).tp_new.is_none() {
                (*tp).tp_new = (*base).tp_new;
            }
            if (*tp).tp_init.is_none() {
                (*tp).tp_init = (*base).tp_init;
            }
            if (*tp).tp_basicsize == 0 {
                (*tp).tp_basicsize = (*base).tp_basicsize;
            }
            // A tuple's or int's item size too: instances are allocated with
            // room for their items (pycairo's Glyph declares 0).
            if (*tp).tp_itemsize == 0 {
                (*tp).tp_itemsize = (*base).tp_itemsize;
            }
            if is_metatype(base) {
                crate::slots::c_calls_python::inherit_type_slots(tp);
            }
            let object = &raw mut crate::types::PyBaseObject_Type;
            return inherit_c_slots(tp, object);
        }
        let object_base = base == &raw mut crate::types::PyBaseObject_Type;
        macro_rules! inherit {
            ($($field:ident),*) => { $( if (*tp).$field.is_none() { (*tp).$field = (*base).$field; } )* };
        }
        if (*tp).tp_basicsize == 0 {
            (*tp).tp_basicsize = if object_base {
                size_of::<PyObject>() as isize
            } else {
                (*base).tp_basicsize
            };
        }
        if (*tp).tp_itemsize == 0 {
            (*tp).tp_itemsize = (*base).tp_itemsize;
        }
        inherit!(tp_dealloc, tp_repr, tp_str, tp_call, tp_iter, tp_iternext);
        // The old char* forms count as a type's own attribute access.
        if (*tp).tp_getattr.is_none() {
            inherit!(tp_getattro);
        }
        if (*tp).tp_setattr.is_none() {
            inherit!(tp_setattro);
        }
        inherit!(
            tp_descr_get,
            tp_descr_set,
            tp_init,
            tp_alloc,
            tp_free,
            tp_finalize
        );
        // Comparison and hashing are inherited together, or not at all.
        if (*tp).tp_richcompare.is_none() && (*tp).tp_hash.is_none() {
            (*tp).tp_richcompare = (*base).tp_richcompare;
            (*tp).tp_hash = (*base).tp_hash;
        }
        // A static type whose base is object gets no tp_new: Python cannot
        // create its instances unless it sets one. A heap type gets object's.
        let heap = (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0;
        if (*tp).tp_new.is_none() && (!object_base || heap) {
            (*tp).tp_new = (*base).tp_new;
        }
        inherit_protocol_tables(tp, base);
        if (*tp).tp_as_async.is_null() {
            (*tp).tp_as_async = (*base).tp_as_async;
        }
        if (*tp).tp_as_buffer.is_null() {
            (*tp).tp_as_buffer = (*base).tp_as_buffer;
        }
        if (*tp).tp_dictoffset == 0 {
            (*tp).tp_dictoffset = (*base).tp_dictoffset;
        }
        if (*tp).tp_weaklistoffset == 0 {
            (*tp).tp_weaklistoffset = (*base).tp_weaklistoffset;
        }
        if (*tp).tp_alloc.is_none() {
            (*tp).tp_alloc = Some(crate::api::typeobject::PyType_GenericAlloc);
        }
        if (*tp).tp_free.is_none() {
            (*tp).tp_free = Some(crate::api::objimpl::PyObject_Free);
        }
        if (*tp).tp_dealloc.is_none() {
            (*tp).tp_dealloc = Some(default_dealloc);
        }
    }
}

/// The dunders of `tp_as_number`, `tp_as_sequence` and `tp_as_mapping`,
/// and of the type's own repr, str, hash, iter, iternext, richcompare, call
/// and descr_get.
pub(crate) const PROTOCOL_DUNDERS: &[&str] = &[
    "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__mod__", "__rmod__",
    "__divmod__", "__rdivmod__", "__pow__", "__rpow__", "__neg__", "__pos__", "__abs__", "__bool__",
    "__invert__", "__lshift__", "__rlshift__", "__rshift__", "__rrshift__", "__and__", "__rand__",
    "__xor__", "__rxor__", "__or__", "__ror__", "__int__", "__float__", "__floordiv__", "__rfloordiv__",
    "__truediv__", "__rtruediv__", "__index__", "__matmul__", "__rmatmul__", "__iadd__", "__isub__",
    "__imul__", "__imod__", "__ipow__", "__ilshift__", "__irshift__", "__iand__", "__ixor__", "__ior__",
    "__ifloordiv__", "__itruediv__", "__imatmul__", "__len__", "__getitem__", "__setitem__",
    "__delitem__", "__contains__", "__repr__", "__str__", "__hash__", "__iter__", "__next__", "__lt__",
    "__le__", "__eq__", "__ne__", "__gt__", "__ge__", "__call__", "__get__",
];

/// The docstring of a protocol dunder the layer makes for a C type: its
/// text signature first, as CPython's wrapper descriptors carry one
/// (`inspect.signature(T.__add__)`).
pub(crate) fn protocol_dunder_doc(dunder: &str) -> Option<&'static str> {
    Some(match dunder {
        "__add__" => "__add__($self, value, /)\n--\n\nReturn self+value.",
        "__radd__" => "__radd__($self, value, /)\n--\n\nReturn value+self.",
        "__iadd__" => "__iadd__($self, value, /)\n--\n\nReturn self+=value.",
        "__sub__" => "__sub__($self, value, /)\n--\n\nReturn self-value.",
        "__rsub__" => "__rsub__($self, value, /)\n--\n\nReturn value-self.",
        "__isub__" => "__isub__($self, value, /)\n--\n\nReturn self-=value.",
        "__mul__" => "__mul__($self, value, /)\n--\n\nReturn self*value.",
        "__rmul__" => "__rmul__($self, value, /)\n--\n\nReturn value*self.",
        "__imul__" => "__imul__($self, value, /)\n--\n\nReturn self*=value.",
        "__mod__" => "__mod__($self, value, /)\n--\n\nReturn self%value.",
        "__rmod__" => "__rmod__($self, value, /)\n--\n\nReturn value%self.",
        "__imod__" => "__imod__($self, value, /)\n--\n\nReturn self%=value.",
        "__lshift__" => "__lshift__($self, value, /)\n--\n\nReturn self<<value.",
        "__rlshift__" => "__rlshift__($self, value, /)\n--\n\nReturn value<<self.",
        "__ilshift__" => "__ilshift__($self, value, /)\n--\n\nReturn self<<=value.",
        "__rshift__" => "__rshift__($self, value, /)\n--\n\nReturn self>>value.",
        "__rrshift__" => "__rrshift__($self, value, /)\n--\n\nReturn value>>self.",
        "__irshift__" => "__irshift__($self, value, /)\n--\n\nReturn self>>=value.",
        "__and__" => "__and__($self, value, /)\n--\n\nReturn self&value.",
        "__rand__" => "__rand__($self, value, /)\n--\n\nReturn value&self.",
        "__iand__" => "__iand__($self, value, /)\n--\n\nReturn self&=value.",
        "__xor__" => "__xor__($self, value, /)\n--\n\nReturn self^value.",
        "__rxor__" => "__rxor__($self, value, /)\n--\n\nReturn value^self.",
        "__ixor__" => "__ixor__($self, value, /)\n--\n\nReturn self^=value.",
        "__or__" => "__or__($self, value, /)\n--\n\nReturn self|value.",
        "__ror__" => "__ror__($self, value, /)\n--\n\nReturn value|self.",
        "__ior__" => "__ior__($self, value, /)\n--\n\nReturn self|=value.",
        "__floordiv__" => "__floordiv__($self, value, /)\n--\n\nReturn self//value.",
        "__rfloordiv__" => "__rfloordiv__($self, value, /)\n--\n\nReturn value//self.",
        "__ifloordiv__" => "__ifloordiv__($self, value, /)\n--\n\nReturn self//=value.",
        "__truediv__" => "__truediv__($self, value, /)\n--\n\nReturn self/value.",
        "__rtruediv__" => "__rtruediv__($self, value, /)\n--\n\nReturn value/self.",
        "__itruediv__" => "__itruediv__($self, value, /)\n--\n\nReturn self/=value.",
        "__matmul__" => "__matmul__($self, value, /)\n--\n\nReturn self@value.",
        "__rmatmul__" => "__rmatmul__($self, value, /)\n--\n\nReturn value@self.",
        "__imatmul__" => "__imatmul__($self, value, /)\n--\n\nReturn self@=value.",
        "__divmod__" => "__divmod__($self, value, /)\n--\n\nReturn divmod(self, value).",
        "__rdivmod__" => "__rdivmod__($self, value, /)\n--\n\nReturn divmod(value, self).",
        "__pow__" => "__pow__($self, value, mod=None, /)\n--\n\nReturn pow(self, value, mod).",
        "__rpow__" => "__rpow__($self, value, mod=None, /)\n--\n\nReturn pow(value, self, mod).",
        "__ipow__" => "__ipow__($self, value, /)\n--\n\nReturn self**=value.",
        "__neg__" => "__neg__($self, /)\n--\n\n-self",
        "__pos__" => "__pos__($self, /)\n--\n\n+self",
        "__abs__" => "__abs__($self, /)\n--\n\nabs(self)",
        "__invert__" => "__invert__($self, /)\n--\n\n~self",
        "__bool__" => "__bool__($self, /)\n--\n\nTrue if self else False",
        "__int__" => "__int__($self, /)\n--\n\nint(self)",
        "__float__" => "__float__($self, /)\n--\n\nfloat(self)",
        "__index__" => "__index__($self, /)\n--\n\nReturn self converted to an integer, if self is suitable for use as an index into a list.",
        "__len__" => "__len__($self, /)\n--\n\nReturn len(self).",
        "__getitem__" => "__getitem__($self, key, /)\n--\n\nReturn self[key].",
        "__setitem__" => "__setitem__($self, key, value, /)\n--\n\nSet self[key] to value.",
        "__delitem__" => "__delitem__($self, key, /)\n--\n\nDelete self[key].",
        "__contains__" => "__contains__($self, key, /)\n--\n\nReturn key in self.",
        "__repr__" => "__repr__($self, /)\n--\n\nReturn repr(self).",
        "__str__" => "__str__($self, /)\n--\n\nReturn str(self).",
        "__hash__" => "__hash__($self, /)\n--\n\nReturn hash(self).",
        "__iter__" => "__iter__($self, /)\n--\n\nImplement iter(self).",
        "__next__" => "__next__($self, /)\n--\n\nImplement next(self).",
        "__lt__" => "__lt__($self, value, /)\n--\n\nReturn self<value.",
        "__le__" => "__le__($self, value, /)\n--\n\nReturn self<=value.",
        "__eq__" => "__eq__($self, value, /)\n--\n\nReturn self==value.",
        "__ne__" => "__ne__($self, value, /)\n--\n\nReturn self!=value.",
        "__gt__" => "__gt__($self, value, /)\n--\n\nReturn self>value.",
        "__ge__" => "__ge__($self, value, /)\n--\n\nReturn self>=value.",
        "__call__" => "__call__($self, /, *args, **kwargs)\n--\n\nCall self as a function.",
        "__get__" => "__get__($self, instance, owner=None, /)\n--\n\nReturn an attribute of instance, which is of type owner.",
        // Not protocol slots, but methods readying adds as CPython's slot
        // wrappers (and `tp_new_wrapper`, `object.__sizeof__`) with their docs.
        "__init__" => "__init__($self, /, *args, **kwargs)\n--\n\nInitialize self.  See help(type(self)) for accurate signature.",
        "__new__" => "__new__($type, *args, **kwargs)\n--\n\nCreate and return a new object.  See help(type) for accurate signature.",
        "__sizeof__" => "__sizeof__($self, /)\n--\n\nSize of object in memory, in bytes.",
        "__getattribute__" => "__getattribute__($self, name, /)\n--\n\nReturn getattr(self, name).",
        "__setattr__" => "__setattr__($self, name, value, /)\n--\n\nImplement setattr(self, name, value).",
        "__delattr__" => "__delattr__($self, name, /)\n--\n\nImplement delattr(self, name).",
        "__await__" => "__await__($self, /)\n--\n\nReturn an iterator to be used in await expression.",
        "__aiter__" => "__aiter__($self, /)\n--\n\nReturn an awaitable, that resolves in asynchronous iterator.",
        "__anext__" => "__anext__($self, /)\n--\n\nReturn a value or raise StopAsyncIteration.",
        _ => return None,
    })
}

/// `protocol_dunder_doc` as the `ItemDoc` of a method readying adds.
fn special_doc(name: &str) -> rustpython_vm::function::ItemDoc {
    protocol_dunder_doc(name).map_or(rustpython_vm::function::ItemDoc::NONE, rustpython_vm::function::ItemDoc::static_text)
}

/// What a slot dunder of a C type runs: given the object, then the
/// remaining arguments.
type SlotDunderCall = Box<dyn Fn(PyObjectRef, FuncArgs, &VirtualMachine) -> PyResult>;

/// Runs the `SlotDunderCall` at `data` (leaked by `slot_dunder`).
fn call_slot_dunder(obj: PyObjectRef, args: FuncArgs, data: usize, vm: &VirtualMachine) -> PyResult {
    // SAFETY: `data` is the address of a `SlotDunderCall` that `slot_dunder`
    // leaked, so it lives as long as the descriptor.
    let call = unsafe { &*(data as *const SlotDunderCall) };
    call(obj, args, vm)
}

/// A slot dunder readying gives a C type (`__add__`, `__init__`...): a host
/// `wrapper_descriptor`, as CPython's slot wrappers are, so that Python sees
/// `<slot wrapper '__add__' of 'T' objects>` and an instance binds it to a
/// `method-wrapper` (inspect, wrapt and doctest tell them apart). The
/// wrapper checks that the object is an instance of `class` before `call`.
fn slot_dunder(
    vm: &VirtualMachine,
    class: &'static Py<PyType>,
    name: &str,
    call: impl Fn(PyObjectRef, FuncArgs, &VirtualMachine) -> PyResult + 'static,
) -> PyObjectRef {
    let data = Box::into_raw(Box::new(Box::new(call) as SlotDunderCall)) as usize;
    let name = vm.ctx.intern_str(name);
    let descriptor = rustpython_vm::builtins::descriptor::new_foreign_wrapper(&vm.ctx, class, name, call_slot_dunder, data, protocol_dunder_doc(name.as_str()));
    crate::api::methodobject::mark_slot_dunder(&descriptor);
    descriptor
}

/// The entries of a dict C set as `tp_dict` before PyType_Ready (numpy's
/// ufunc type keeps a descriptor for `__signature__` there). In CPython that
/// dict becomes the type's, and what readying adds (methods, members,
/// getsets, slot wrappers) does not replace its entries; here they go into
/// the class last, over what readying added, and the type gives up its
/// reference to the dict, whose place the class's namespace takes.
///
/// # Safety
/// `tp` must be the type object being readied for `class`, under the GIL.
unsafe fn adopt_preset_dict(vm: &VirtualMachine, tp: *mut PyTypeObject, class: &'static Py<PyType>) -> PyResult<()> {
    // SAFETY: the caller's type object, read under the GIL.
    let preset = unsafe { (*tp).tp_dict };
    if preset.is_null() {
        return Ok(());
    }
    let dict = proxy::to_host(vm, preset)?
        .downcast::<rustpython_vm::builtins::PyDict>()
        // SAFETY: as above.
        .map_err(|_| vm.new_type_error(format!("tp_dict of {} is not a dict", unsafe { slot_name(tp) })))?;
    for (key, value) in dict.into_iter() {
        if let Some(key) = key.downcast_ref::<PyStr>().and_then(|k| k.to_str()) {
            class.set_attr(vm.ctx.intern_str(key), value);
        }
    }
    proxy::decref(preset);
    Ok(())
}

/// The protocol dunders (`__add__`, `__len__`...) of a C type, for the
/// slots it fills itself. Each runs that type's own slot, as CPython's
/// wrapper descriptors do: `Base.__add__(sub, x)` and `super().__len__()`
/// reach the base's slot, and `self.__contains__(x)` in a subtype of str
/// its own sq_contains, not str's. The host's wrapper of an inherited slot
/// goes (CPython adds wrappers before it inherits slots), so the lookup
/// finds the defining type's.
fn add_own_protocol_dunders(vm: &VirtualMachine, tp: *mut PyTypeObject, class: &'static Py<PyType>) {
    // SAFETY: a type being readied; its base is readied (I7).
    let base = unsafe { (*tp).tp_base };
    for &dunder in PROTOCOL_DUNDERS {
        let name = vm.ctx.intern_str(dunder);
        if !crate::slots::python_calls_c::defines_dunder_slot(tp, base, dunder) {
            let host_wrapper = class.get_direct_attr(name).is_some_and(|w| crate::api::methodobject::is_host_slot_wrapper(vm, &w));
            if host_wrapper {
                class.modified();
                class.attributes.remove(name);
            }
            continue;
        }
        let owner = tp as usize;
        let descriptor = slot_dunder(vm, class, dunder, move |obj, mut args, vm| {
            args.prepend_arg(obj);
            crate::slots::python_calls_c::call_dunder(vm, owner as *mut PyTypeObject, name.as_str(), args)
                .unwrap_or_else(|| Err(vm.new_type_error(format!("{name} is not supported"))))
        });
        class.set_attr(name, descriptor);
    }
}

/// Gives `cls` the host's sequence and mapping slots of the C type whose
/// dunder it inherits. The host fills both groups from one dunder in the
/// MRO (`__getitem__` gives `sq_item` and `mp_subscript`), where CPython
/// takes a C type's from its tables: a subtype of a C type with only
/// `mp_subscript` is not iterable (`tuple(np.int64(2))` raises TypeError).
pub fn inherit_item_slots_of_c_base(vm: &VirtualMachine, cls: &Py<PyType>) {
    let mro = cls.mro_collect();
    let c_definer = |dunders: &[&str]| {
        let names: Vec<_> = dunders.iter().map(|d| vm.ctx.intern_str(*d)).collect();
        mro.iter()
            .find(|c| names.iter().any(|n| c.get_direct_attr(n).is_some()))
            .filter(|d| !d.is(cls) && is_own_c_type(d))
    };
    let (seq, map) = (&cls.slots.as_sequence, &cls.slots.as_mapping);
    if let Some(d) = c_definer(&["__getitem__"]) {
        seq.item.store(d.slots.as_sequence.item.load());
        map.subscript.store(d.slots.as_mapping.subscript.load());
    }
    if let Some(d) = c_definer(&["__len__"]) {
        seq.length.store(d.slots.as_sequence.length.load());
        map.length.store(d.slots.as_mapping.length.load());
    }
    if let Some(d) = c_definer(&["__setitem__", "__delitem__"]) {
        seq.ass_item.store(d.slots.as_sequence.ass_item.load());
        map.ass_subscript.store(d.slots.as_mapping.ass_subscript.load());
    }
    if let Some(d) = c_definer(&["__contains__"]) {
        seq.contains.store(d.slots.as_sequence.contains.load());
    }
    if let Some(d) = c_definer(&["__add__"]) {
        seq.concat.store(d.slots.as_sequence.concat.load());
    }
    if let Some(d) = c_definer(&["__mul__", "__rmul__"]) {
        seq.repeat.store(d.slots.as_sequence.repeat.load());
    }
    if let Some(d) = c_definer(&["__iadd__"]) {
        seq.inplace_concat.store(d.slots.as_sequence.inplace_concat.load());
    }
    if let Some(d) = c_definer(&["__imul__"]) {
        seq.inplace_repeat.store(d.slots.as_sequence.inplace_repeat.load());
    }
}

/// `__getattribute__`, `__setattr__` and `__delattr__` for a C type with a
/// builtin base (a metatype deriving from `type`) that looks attributes up
/// or sets them its own way. The host makes a Python subclass's slots from
/// the dunders along its MRO, so without them the subclass would get the
/// builtin's (`type`'s) instead of the C type's. (Types based on object
/// get the host's own wrappers.)
///
/// # Safety
/// `tp` must be the type object being readied for `class`.
unsafe fn add_own_attribute_dunders(vm: &VirtualMachine, tp: *mut PyTypeObject, class: &'static Py<PyType>) {
    let method = |name: &'static str, f: fn(FuncArgs, &VirtualMachine) -> PyResult| {
        let descriptor = slot_dunder(vm, class, name, move |obj, mut args, vm| {
            args.prepend_arg(obj);
            f(args, vm)
        });
        class.set_attr(vm.ctx.intern_str(name), descriptor);
    };
    fn parts(args: FuncArgs, count: usize, vm: &VirtualMachine) -> PyResult<(PyObjectRef, PyRef<PyStr>, Option<PyObjectRef>)> {
        let mut positional = args.args.into_iter();
        match (positional.next(), positional.next(), positional.next(), positional.next()) {
            (Some(obj), Some(name), value, None) if value.is_some() == (count == 3) => {
                let name = name.downcast::<PyStr>().map_err(|o| {
                    vm.new_type_error(format!("attribute name must be string, not '{}'", o.class().name()))
                })?;
                Ok((obj, name, value))
            }
            _ => Err(vm.new_type_error(format!("expected {} arguments", count - 1))),
        }
    }
    // SAFETY: the caller's contract.
    if unsafe { own_getattro(tp) } {
        method("__getattribute__", |args, vm| {
            let (obj, name, _) = parts(args, 2, vm)?;
            getattro_trampoline(&obj, &name, vm)
        });
    }
    // SAFETY: as above.
    if unsafe { own_setattro(tp) } {
        method("__setattr__", |args, vm| {
            let (obj, name, value) = parts(args, 3, vm)?;
            setattro_trampoline(&obj, &name, PySetterValue::Assign(value.expect("three arguments")), vm)?;
            Ok(vm.ctx.none())
        });
        method("__delattr__", |args, vm| {
            let (obj, name, _) = parts(args, 2, vm)?;
            setattro_trampoline(&obj, &name, PySetterValue::Delete, vm)?;
            Ok(vm.ctx.none())
        });
    }
}

/// The C type whose slots serve `obj`, and `obj`'s C struct.
fn c_parts(vm: &VirtualMachine, obj: &HostObject) -> PyResult<(*mut PyTypeObject, *mut PyObject)> {
    let tp = c_type_of(obj.class()).ok_or_else(|| not_a_c_instance(vm))?;
    let object = instance_object(obj).ok_or_else(|| not_a_c_instance(vm))?;
    Ok((tp, object))
}

fn not_a_c_instance(vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_type_error("not an instance of a C type".to_owned())
}

/// Runs the C slot `slot` of `obj`'s type through the boundary, with an
/// owned reference to the object for the duration.
fn in_c<R>(
    vm: &VirtualMachine,
    obj: &HostObject,
    slot: &'static str,
    f: impl FnOnce(*mut PyTypeObject, *mut PyObject) -> R,
) -> PyResult<R> {
    // A C tuple subclass's instance C filled in place may have no proxy
    // now (tuples are made again from their host); the call makes one.
    let tp = match slot_written_by_c(obj.class(), slot) {
        Some(written) => written,
        None => match obj.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
            Some(_) => c_type_of(obj.class()).ok_or_else(|| not_a_c_instance(vm))?,
            // A class whose C bases add no fields has a Python class as its
            // `__base__` (`class O2(Classic, O)`): the slot is the first C
            // type's in its MRO, called with the object as it is.
            None => c_parts(vm, obj).map(|(tp, _)| tp).or_else(|e| c_slot_in_mro(obj.class(), slot).ok_or(e))?,
        },
    };
    Ok(boundary::call_into_c_with(
        vm,
        CFunction::Slot(tp, slot),
        &[obj],
        |objects| f(tp, objects[0]),
    ))
}

/// The behaviour slots of a Python subclass of a C type as its type object
/// had them when it was made, by type object address. C may write its own
/// into a class after `type.__new__` made it (msgspec's StructMeta sets
/// `tp_setattro` per class); a slot that differs from this serves then.
static SLOTS_AT_BIRTH: std::sync::LazyLock<dashmap::DashMap<usize, [usize; BEHAVIOUR_SLOTS.len()]>> =
    std::sync::LazyLock::new(dashmap::DashMap::new);

/// A slot whose trampoline looks for a value C wrote later: how to read
/// its function's address (0 if none) and how to install the trampoline.
struct BehaviourSlot {
    name: &'static str,
    address: fn(&PyTypeObject) -> usize,
    install: fn(&PyTypeSlots),
}

macro_rules! behaviour_slots {
    ($(($field:ident, $host:ident, $trampoline:ident)),* $(,)?) => {
        [$(BehaviourSlot {
            name: stringify!($field),
            address: |t| t.$field.map_or(0, |f| f as usize),
            install: |s| s.$host.store(Some($trampoline)),
        }),*]
    };
}

const BEHAVIOUR_SLOTS: [BehaviourSlot; 11] = behaviour_slots!(
    (tp_repr, repr, repr_trampoline),
    (tp_str, str, str_trampoline),
    (tp_hash, hash, hash_trampoline),
    (tp_call, call, call_trampoline),
    (tp_richcompare, richcompare, richcompare_trampoline),
    (tp_iter, iter, iter_trampoline),
    (tp_iternext, iternext, iternext_trampoline),
    (tp_getattro, getattro, getattro_trampoline),
    (tp_setattro, setattro, setattro_trampoline),
    (tp_descr_get, descr_get, descr_get_trampoline),
    (tp_descr_set, descr_set, descr_set_trampoline),
);

/// Remembers the behaviour slots of a C type, or of a Python subclass of
/// one, as they are when its type object is readied or made (see
/// `install_slots_written_by_c` and `slot_written_by_c`).
///
/// # Safety
/// `tp` must be a type object just readied, or filled for such a class.
pub unsafe fn remember_slots_at_birth(tp: *const PyTypeObject) {
    // SAFETY: the caller's contract.
    let slots = BEHAVIOUR_SLOTS.map(|slot| (slot.address)(unsafe { &*tp }));
    SLOTS_AT_BIRTH.insert(tp as usize, slots);
    // C writes its slots, if any, before the call that made the class
    // returns (a metaclass's tp_new): looked at when that call ends.
    BORN_IN_FRAME.with(|b| b.push_current(tp as usize));
}

thread_local! {
    /// Type objects of Python subclasses of C types made during a C call.
    static BORN_IN_FRAME: crate::borrow::FrameScoped<usize> = const { crate::borrow::FrameScoped::new() };
    /// Instances of Python classes with `__slots__` that C allocated during
    /// a C call, with their host objects.
    static SLOTTED_IN_FRAME: crate::borrow::FrameScoped<(usize, PyObjectRef)> = const { crate::borrow::FrameScoped::new() };
}

/// Gives the host object of an instance C allocated the slot values C
/// stored at its `__slots__` offsets (psycopg_c fills a `uuid.UUID` so),
/// then empties them: the host holds the values from then on.
fn carry_slots_written_by_c(vm: &VirtualMachine, object: *mut PyObject, host: &PyObjectRef) {
    use rustpython_vm::builtins::descriptor::PyMemberDescriptor;
    let mro = host.class().mro_collect();
    let members = mro.iter().rev().flat_map(|c| c.attributes.entries().into_iter().map(|(_, value)| value));
    for member in members.filter(|m| m.downcast_ref::<PyMemberDescriptor>().is_some()) {
        let Some(offset) = crate::types::slot_member_offset(vm, &member) else { continue };
        // SAFETY: an instance C allocated with its class's tp_basicsize,
        // which holds every slot offset; its memory lives until the frame's
        // deferred releases, which come after this.
        let cell = unsafe { (object as *mut u8).add(offset) as *mut *mut PyObject };
        // SAFETY: as above.
        let value = unsafe { std::mem::replace(&mut *cell, std::ptr::null_mut()) };
        if value.is_null() {
            continue;
        }
        let stored = proxy::to_host(vm, value).and_then(|v| {
            let set = member.class().slots.descr_set.load().ok_or_else(|| vm.new_type_error("slot without __set__".to_owned()))?;
            set(&member, host.clone(), rustpython_vm::function::PySetterValue::Assign(v), vm)
        });
        proxy::decref(value);
        if let Err(e) = stored {
            vm.run_unraisable(e, Some("storing a slot C wrote".to_owned()), host.clone());
        }
    }
}

/// Runs as call frame `frame` ends (a hook of the object model): gives the
/// classes made during it a host trampoline for each slot C has written
/// since, so that Python reaches C's function.
pub fn after_c_call(frame: u64) {
    while let Some(tp) = BORN_IN_FRAME.with(|b| b.pop_for(frame)) {
        install_slots_written_by_c(tp as *mut PyTypeObject);
    }
    while let Some((object, host)) = SLOTTED_IN_FRAME.with(|b| b.pop_for(frame)) {
        rustpython_vm::vm::thread::with_current_vm(|vm| carry_slots_written_by_c(vm, object as *mut PyObject, &host));
    }
}

/// Gives the class of `tp` (a C type, or a Python subclass of one) the
/// host trampoline of each behaviour slot C has written into `tp` since it
/// was readied or made; `PyType_Modified` and the end of the C call that
/// readied or made it run it.
pub fn install_slots_written_by_c(tp: *mut PyTypeObject) {
    let Some(birth) = SLOTS_AT_BIRTH.get(&(tp as usize)).map(|b| *b) else { return };
    let Some(header) = proxy::header(tp as *mut PyObject) else { return };
    // SAFETY: a type proxy holds its class strongly, and both live for ever (I7).
    let Some(class) = (unsafe { header.as_ref().host.as_ref() }).and_then(|c| c.downcast_ref::<PyType>()) else {
        return;
    };
    for (slot, at_birth) in BEHAVIOUR_SLOTS.iter().zip(birth) {
        // SAFETY: a type proxy lives for ever (I7).
        let now = (slot.address)(unsafe { &*tp });
        if now != 0 && now != at_birth {
            (slot.install)(&class.slots);
        }
    }
}

/// The type object whose `slot` serves instances of `cls`, a Python
/// subclass of a C type, when C has written its own function there into
/// `cls`'s or a Python base's type object since it was made (CPython reads
/// slots from the instance's type, which inherited the write).
fn slot_written_by_c(cls: &Py<PyType>, slot: &str) -> Option<*mut PyTypeObject> {
    if !cls.get_type_data::<CTypeData>().is_some_and(|d| d.inherited) {
        return None;
    }
    let index = BEHAVIOUR_SLOTS.iter().position(|s| s.name == slot)?;
    for class in cls.mro_collect() {
        if class.get_type_data::<CTypeData>().is_some_and(|d| !d.inherited) {
            return None; // the C type itself: its own slot serves
        }
        if let Some(tp) = slot_written_into(&class, index) {
            return Some(tp);
        }
    }
    None
}

/// `class`'s type object if C has written its own function into slot
/// `index` (of BEHAVIOUR_SLOTS) since the class was made.
fn slot_written_into(class: &Py<PyType>, index: usize) -> Option<*mut PyTypeObject> {
    let tp = proxy::IDENTITY.get(&proxy::host_addr(class.as_object())).map(|p| *p)?;
    let birth = SLOTS_AT_BIRTH.get(&tp).map(|b| b[index])?;
    // SAFETY: a type proxy lives for ever (I7).
    let now = (BEHAVIOUR_SLOTS[index].address)(unsafe { &*(tp as *const PyTypeObject) });
    (now != 0 && now != birth).then_some(tp as *mut PyTypeObject)
}

/// The first type object in `cls`'s MRO whose `slot` serves: a C type's
/// own, or one C wrote into a class after it was made.
fn c_slot_in_mro(cls: &Py<PyType>, slot: &str) -> Option<*mut PyTypeObject> {
    let index = BEHAVIOUR_SLOTS.iter().position(|s| s.name == slot)?;
    cls.mro_collect().iter().find_map(|class| {
        if let Some(data) = class.get_type_data::<CTypeData>().filter(|d| !d.inherited) {
            let tp = data.tp as *mut PyTypeObject;
            // SAFETY: a C type's data points at its readied type object (I7).
            return ((BEHAVIOUR_SLOTS[index].address)(unsafe { &*tp }) != 0).then_some(tp);
        }
        slot_written_into(class, index)
    })
}

/// The `tp_name` of a C type, for messages.
///
/// # Safety
/// `tp` must be a readied type object (as `c_type_of` returns).
/// A class's `tp_name` as CPython's messages give it: a C type's own, a
/// Python class's `__name__`, a builtin's dotted name.
fn tp_name_of(cls: &Py<PyType>) -> String {
    match cls.get_type_data::<CTypeData>().filter(|d| !d.inherited) {
        // SAFETY: a C type's data points at its readied type object (I7).
        Some(data) => unsafe { slot_name(data.tp as *mut PyTypeObject) },
        None if cls.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) => cls.name().to_string(),
        None => cls.slot_name().to_string(),
    }
}

unsafe fn slot_name(tp: *mut PyTypeObject) -> String {
    // SAFETY: the caller's contract; tp_name is NULL or a C string.
    unsafe { c_str((*tp).tp_name).unwrap_or("?").to_owned() }
}

fn new_trampoline(cls: PyTypeRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let tp = c_type_of(&cls).ok_or_else(|| vm.new_type_error("not a C type".to_owned()))?;
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    let Some(new) = (unsafe { (*tp).tp_new }) else {
        // The class called, as CPython names it: a Python subclass by its own name.
        let name = tp_name_of(&cls);
        return Err(vm.new_type_error(format!("cannot create '{name}' instances")));
    };
    if cls.fast_issubclass(vm.ctx.types.type_type) {
        annotations_in_namespace(vm, &args)?;
    }
    let result = boundary::call_into_c_with(
        vm,
        CFunction::Slot(tp, "tp_new"),
        &[cls.as_object()],
        |subtype| {
            let (positional, keywords) = crate::api::r#abstract::args_to_c(vm, args)?;
            // SAFETY: tp_new is the C type's constructor; the subtype, args and
            // kwargs are owned proxies that live across the call.
            let result = unsafe { new(subtype[0] as *mut PyTypeObject, positional, keywords) };
            proxy::decref(positional);
            proxy::xdecref(keywords);
            Ok::<_, rustpython_vm::builtins::PyBaseExceptionRef>(result)
        },
    )?;
    // Named as CPython's type call names it: the class called.
    let object = crate::boundary::check_call_result(vm, || Ok(cls.to_owned().into()), result)?;
    if let Some(struct_) = instance_object(&object).filter(|_| object.downcast_ref::<PyType>().is_none()) {
        sync_struct_dict(vm, struct_);
    }
    if let Some(made) = object.downcast_ref::<PyType>() {
        // A C metatype made a class: it may have taken the instance dict
        // away (tp_dictoffset cleared), before its subclasses are made.
        drop_dict_if_taken_away(made, crate::types::type_proxy(vm, made));
    }
    Ok(object)
}

/// The host class follows C where C cleared the tp_dictoffset of a Python
/// class it was shown with a dict (ExtensionClass's NoInstanceDictionaryBase):
/// its instances then have no dict, as in CPython. The host decides by the
/// class's flag, so the flag follows, before the class's first instance.
/// `tp` is the class's type object: an instance's own ob_type on the path
/// that makes every instance, so no lookup is added there.
fn drop_dict_if_taken_away(cls: &Py<PyType>, tp: *mut PyTypeObject) {
    if cls.slots.flags.has_feature(PyTypeFlags::HAS_DICT) && crate::types::dict_taken_away_by_c(tp) && !is_own_c_type(cls) {
        cls.slots.flags.replace_masked(PyTypeFlags::from_slice(&[PyTypeFlags::HAS_DICT]), PyTypeFlags::empty());
    }
}

/// A C metaclass reads the annotations of a class body from its namespace,
/// `ns["__annotations__"]`, as Python 3.11 put them there. The host follows
/// PEP 649 and leaves an annotate function instead, so the metaclass
/// gets them as 3.11 would have: evaluated as the class is made.
fn annotations_in_namespace(vm: &VirtualMachine, args: &FuncArgs) -> PyResult<()> {
    let Some(namespace) = args.args.get(2).and_then(|ns| ns.downcast_ref::<PyDict>()) else {
        return Ok(());
    };
    if namespace.get_item_opt("__annotations__", vm)?.is_some() {
        return Ok(());
    }
    // The host's compiler stores the function as `__annotate_func__`.
    let annotate = match namespace.get_item_opt("__annotate_func__", vm)? {
        Some(annotate) => Some(annotate),
        None => namespace.get_item_opt("__annotate__", vm)?,
    };
    if let Some(annotate) = annotate.filter(|a| !vm.is_none(a)) {
        let value_format = 1;
        let annotations = annotate.call((value_format,), vm)?;
        namespace.set_item("__annotations__", annotations, vm)?;
    }
    Ok(())
}

fn init_trampoline(obj: &HostObject, args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
    init_with(vm, obj.class(), obj, args)
}

/// Runs the tp_init of `owner` (the nearest C type of it) on `obj`: the
/// object's own type when Python constructs it, the defining class when
/// code calls `Base.__init__(self, ...)` or `super().__init__(...)`.
fn init_with(vm: &VirtualMachine, owner: &Py<PyType>, obj: &HostObject, args: FuncArgs) -> PyResult<()> {
    // The argument proxies are made and released under the GIL too.
    let _gil = gil::GilGuard::acquire(vm);
    let tp = c_type_of(owner).ok_or_else(|| vm.new_type_error("not a C type".to_owned()))?;
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    if unsafe { (*tp).tp_init.is_none() } {
        return Ok(());
    }
    let (positional, keywords) = crate::api::r#abstract::args_to_c(vm, args)?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let status = boundary::call_into_c_with(vm, CFunction::Slot(tp, "tp_init"), &[obj], |objects| unsafe {
        (*tp)
            .tp_init
            .map_or(0, |init| init(objects[0], positional, keywords))
    });
    proxy::decref(positional);
    proxy::xdecref(keywords);
    // CPython's type call checks what tp_init left: a success status with an
    // exception set is a SystemError naming the class, the exception its cause.
    if status >= 0 {
        if let Some(cause) = error_indicator::take_exception(vm) {
            let culprit = obj.class().as_object().repr(vm)?.to_string();
            return Err(boundary::result_with_exception_set(vm, &culprit, cause));
        }
    }
    boundary::check_status(vm, status, "__init__").map(|_| ())
}

fn repr_trampoline(obj: &HostObject, vm: &VirtualMachine) -> PyResult<PyRef<PyStr>> {
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, obj, "tp_repr", |tp, object| unsafe {
        (*tp).tp_repr.map_or(std::ptr::null_mut(), |f| f(object))
    })?;
    str_result(
        vm,
        crate::boundary::check_object(vm, "__repr__", r)?,
        "__repr__",
    )
}

fn str_trampoline(obj: &HostObject, vm: &VirtualMachine) -> PyResult<PyRef<PyStr>> {
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, obj, "tp_str", |tp, object| unsafe {
        (*tp).tp_str.map_or(std::ptr::null_mut(), |f| f(object))
    })?;
    str_result(
        vm,
        crate::boundary::check_object(vm, "__str__", r)?,
        "__str__",
    )
}

fn str_result(vm: &VirtualMachine, r: PyObjectRef, what: &str) -> PyResult<PyRef<PyStr>> {
    r.downcast::<PyStr>().map_err(|r| {
        vm.new_type_error(format!(
            "{what} returned non-string (type {})",
            r.class().name()
        ))
    })
}

fn hash_trampoline(
    obj: &HostObject,
    vm: &VirtualMachine,
) -> PyResult<rustpython_vm::common::hash::PyHash> {
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let h = in_c(vm, obj, "tp_hash", |tp, object| unsafe {
        (*tp).tp_hash.map_or(-1, |f| f(object))
    })?;
    if h == -1 {
        if let Some(exc) = error_indicator::take_exception(vm) {
            return Err(exc);
        }
    }
    Ok(h as rustpython_vm::common::hash::PyHash)
}

fn call_trampoline(obj: &HostObject, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    // The argument proxies are made and released under the GIL too.
    let _gil = gil::GilGuard::acquire(vm);
    let (positional, keywords) = crate::api::r#abstract::args_to_c(vm, args)?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, obj, "tp_call", |tp, object| unsafe {
        (*tp)
            .tp_call
            .map_or(std::ptr::null_mut(), |f| f(object, positional, keywords))
    })?;
    proxy::decref(positional);
    proxy::xdecref(keywords);
    crate::boundary::check_call_result(vm, || Ok(obj.to_owned()), r)
}

fn richcompare_trampoline(
    obj: &HostObject,
    other: &HostObject,
    op: PyComparisonOp,
    vm: &VirtualMachine,
) -> PyResult<Either<PyObjectRef, PyComparisonValue>> {
    let op_code = match op {
        PyComparisonOp::Lt => ffi::Py_LT,
        PyComparisonOp::Le => ffi::Py_LE,
        PyComparisonOp::Eq => ffi::Py_EQ,
        PyComparisonOp::Ne => ffi::Py_NE,
        PyComparisonOp::Gt => ffi::Py_GT,
        PyComparisonOp::Ge => ffi::Py_GE,
    } as c_int;
    let _gil = gil::GilGuard::acquire(vm);
    let other = proxy::new_ref(vm, &other.to_owned());
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, obj, "tp_richcompare", |tp, object| unsafe {
        (*tp)
            .tp_richcompare
            .map_or(std::ptr::null_mut(), |f| f(object, other, op_code))
    })?;
    proxy::decref(other);
    Ok(Either::A(crate::boundary::check_object(
        vm,
        "rich comparison",
        r,
    )?))
}

fn iter_trampoline(obj: PyObjectRef, vm: &VirtualMachine) -> PyResult {
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, &obj, "tp_iter", |tp, object| unsafe {
        (*tp).tp_iter.map_or(std::ptr::null_mut(), |f| f(object))
    })?;
    crate::boundary::check_object(vm, "__iter__", r)
}

/// NULL with no exception (or StopIteration) ends the iteration.
fn iternext_trampoline(obj: &HostObject, vm: &VirtualMachine) -> PyResult<PyIterReturn> {
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, obj, "tp_iternext", |tp, object| unsafe {
        (*tp)
            .tp_iternext
            .map_or(std::ptr::null_mut(), |f| f(object))
    })?;
    if r.is_null() {
        return match error_indicator::take_exception(vm) {
            None => Ok(PyIterReturn::StopIteration(None)),
            Some(e) if e.fast_isinstance(vm.ctx.exceptions.stop_iteration) => {
                Ok(PyIterReturn::StopIteration(e.get_arg(0)))
            }
            Some(e) => Err(e),
        };
    }
    Ok(PyIterReturn::Return(crate::boundary::check_object(
        vm, "__next__", r,
    )?))
}

fn getattro_trampoline(obj: &HostObject, name: &Py<PyStr>, vm: &VirtualMachine) -> PyResult {
    // The argument proxies are made and released under the GIL too.
    let _gil = gil::GilGuard::acquire(vm);
    let c_name = std::ffi::CString::new(name.as_wtf8().to_string()).unwrap_or_default();
    let name = proxy::new_ref(vm, &name.to_owned().into());
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, obj, "tp_getattro", |tp, object| unsafe {
        match ((*tp).tp_getattro, (*tp).tp_getattr) {
            (Some(f), _) => f(object, name),
            // The old form, with the name as a C string.
            (None, Some(f)) => f(object, c_name.as_ptr() as *mut std::ffi::c_char),
            (None, None) => std::ptr::null_mut(),
        }
    })?;
    proxy::decref(name);
    crate::boundary::check_object(vm, "__getattribute__", r)
}

/// The host's generic attribute lookup for a C type whose tp_name has a
/// module part, with CPython's message when the attribute is missing: the
/// type is named by its tp_name (`'builtins.Counter' object has no
/// attribute 'x'`), where the host names it by its `__name__`.
fn generic_getattro_named(obj: &HostObject, name: &Py<PyStr>, vm: &VirtualMachine) -> PyResult {
    sync_dict_of(obj, vm);
    let found = if name.as_wtf8() == "__module__" {
        module_seen_by_instance(obj, name, vm)
    } else {
        obj.generic_getattr(name, vm)
    };
    found.map_err(|e| {
        let cls = obj.class();
        if !e.fast_isinstance(vm.ctx.exceptions.attribute_error) {
            return e;
        }
        let message = |type_name: &str| format!("'{type_name}' object has no attribute '{}'", name.as_wtf8());
        name_by_tp_name(vm, e, &message(&cls.slot_name()), || message(&tp_name_of(cls)))
    })
}

/// The host's generic attribute assignment for a C type with a dict
/// field (tp_dictoffset) and the generic tp_setattro, into the dict C
/// keeps in that field.
fn generic_setattro_synced(obj: &HostObject, name: &Py<PyStr>, value: PySetterValue, vm: &VirtualMachine) -> PyResult<()> {
    sync_dict_of(obj, vm);
    obj.generic_setattr(name, value, vm)
}

/// The host's generic attribute assignment for a C type without a dict
/// field whose tp_name has a module part (or a static type): CPython's
/// message names the type by tp_name ('module.Type' object has no attribute
/// 'x'). With object's own setattro the host would add "and no __dict__ for
/// setting new attributes" (3.13's wording) and name the type by __name__.
fn generic_setattro_named(obj: &HostObject, name: &Py<PyStr>, value: PySetterValue, vm: &VirtualMachine) -> PyResult<()> {
    obj.generic_setattr(name, value, vm).map_err(|e| setattr_error_by_tp_name(vm, e, obj.class(), name))
}

/// The host's AttributeError from a generic assignment to `name` on an
/// instance of `cls`, naming the class by its `tp_name` as CPython does
/// (the host names it by `__name__`, and adds "and no __dict__ for setting
/// new attributes" when the type keeps object's setattro). Shared by the
/// slot above and `PyObject_GenericSetAttr`.
pub(crate) fn setattr_error_by_tp_name(
    vm: &VirtualMachine,
    e: rustpython_vm::builtins::PyBaseExceptionRef,
    cls: &Py<PyType>,
    name: &Py<PyStr>,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    if !e.fast_isinstance(vm.ctx.exceptions.attribute_error) {
        return e;
    }
    let message = |type_name: &str| format!("'{type_name}' object has no attribute '{}'", name.as_wtf8());
    let host_plain = message(&cls.slot_name());
    let e = name_by_tp_name(vm, e, &host_plain, || message(&tp_name_of(cls)));
    name_by_tp_name(vm, e, &format!("{host_plain} and no __dict__ for setting new attributes"), || {
        message(&tp_name_of(cls))
    })
}

/// Before a generic lookup or assignment on an instance of a C type with a
/// dict field: C may have put a dict of its own into the field after
/// tp_new, whose end is the only place `sync_struct_dict` ran so far (a
/// tp_init that sets `self->dict`, or a factory that fills the struct of
/// a `PyObject_New`, as pygame's `Event` does). In CPython that dict is the
/// instance's namespace, so the host's instance dict becomes it.
fn sync_dict_of(obj: &HostObject, vm: &VirtualMachine) {
    if let Some(instance) = obj.downcast_ref::<CInstance>() {
        let object = instance.object();
        if dict_field(object).is_some() {
            sync_struct_dict(vm, object);
        }
    }
}

/// `e` with its message replaced by `ours()` if its message is exactly
/// `host_message`: the host's words for a C type, which name it by its
/// `__name__` where CPython names it by its tp_name.
fn name_by_tp_name(
    vm: &VirtualMachine,
    e: rustpython_vm::builtins::PyBaseExceptionRef,
    host_message: &str,
    ours: impl FnOnce() -> String,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let args = e.args();
    let is_hosts = args.len() == 1 && args[0].downcast_ref::<PyStr>().is_some_and(|m| m.as_wtf8() == host_message);
    if is_hosts {
        let args = vm.ctx.new_tuple(vec![vm.ctx.new_str(ours()).into()]);
        if let Err(failed) = e.as_object().set_attr("args", args, vm) {
            return failed;
        }
    }
    e
}

/// An instance's `__module__`. CPython keeps a static type's module in
/// its tp_name, not its dict, so an instance of one finds no `__module__`
/// unless its own dict or a later class has one (pickle's `whichmodule`
/// then searches `sys.modules`, as numpy's ufuncs need). The host's
/// `type.__module__` reads the class dict, so the layer keeps it there and
/// passes over it here.
fn module_seen_by_instance(obj: &HostObject, name: &Py<PyStr>, vm: &VirtualMachine) -> PyResult {
    let found = obj.generic_getattr(name, vm)?;
    if obj.dict().is_some_and(|d| d.get_item_opt(name, vm).ok().flatten().is_some()) {
        return Ok(found);
    }
    let is_static = |c: &Py<PyType>| {
        is_own_c_type(c)
            && c_type_of(c).is_some_and(|tp| {
                // SAFETY: the type object of a live C type, read under the GIL.
                unsafe { (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 == 0 }
            })
    };
    let mut passed_over = false;
    let interned = vm.ctx.intern_str("__module__");
    // The MRO starts with the class itself.
    for c in obj.class().mro.read().iter() {
        let Some(entry) = c.get_direct_attr(interned) else { continue };
        // The layer's str, not a descriptor of C's own (which instances see).
        if is_static(c) && entry.class().is(vm.ctx.types.str_type) {
            passed_over = true;
        } else {
            // A later class's descriptor (a getset of a static C base) is
            // bound to the instance, as the lookup would have bound it.
            return if passed_over { vm.call_if_get_descriptor(&entry, obj.to_owned()) } else { Ok(found) };
        }
    }
    Err(vm.new_attribute_error(format!("'{}' object has no attribute '{}'", obj.class().slot_name(), name.as_wtf8())))
}

fn setattro_trampoline(
    obj: &HostObject,
    name: &Py<PyStr>,
    value: PySetterValue,
    vm: &VirtualMachine,
) -> PyResult<()> {
    // The argument proxies are made and released under the GIL too.
    let _gil = gil::GilGuard::acquire(vm);
    let name = proxy::new_ref(vm, &name.to_owned().into());
    let value = match value {
        PySetterValue::Assign(v) => proxy::into_ref(vm, v),
        PySetterValue::Delete => std::ptr::null_mut(),
    };
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let status = in_c(vm, obj, "tp_setattro", |tp, object| unsafe {
        match ((*tp).tp_setattro, (*tp).tp_setattr) {
            (Some(f), _) => f(object, name, value),
            (None, Some(f)) => {
                let text = crate::api::unicodeobject::PyUnicode_AsUTF8(name);
                f(object, text as *mut std::ffi::c_char, value)
            }
            (None, None) => -1,
        }
    })?;
    proxy::decref(name);
    proxy::xdecref(value);
    boundary::check_status(vm, status, "__setattr__").map(|_| ())
}

fn descr_get_trampoline(
    descr: &HostObject,
    obj: Option<&HostObject>,
    cls: Option<&HostObject>,
    vm: &VirtualMachine,
) -> PyResult {
    // The argument proxies are made and released under the GIL too.
    let _gil = gil::GilGuard::acquire(vm);
    let obj = obj.map_or(std::ptr::null_mut(), |o| proxy::new_ref(vm, &o.to_owned()));
    let cls = cls.map_or(std::ptr::null_mut(), |c| proxy::new_ref(vm, &c.to_owned()));
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let r = in_c(vm, descr, "tp_descr_get", |tp, object| unsafe {
        (*tp)
            .tp_descr_get
            .map_or(std::ptr::null_mut(), |f| f(object, obj, cls))
    })?;
    proxy::xdecref(obj);
    proxy::xdecref(cls);
    crate::boundary::check_object(vm, "__get__", r)
}

fn descr_set_trampoline(
    descr: &HostObject,
    obj: PyObjectRef,
    value: PySetterValue,
    vm: &VirtualMachine,
) -> PyResult<()> {
    // The argument proxies are made and released under the GIL too.
    let _gil = gil::GilGuard::acquire(vm);
    let obj = proxy::into_ref(vm, obj);
    let value = match value {
        PySetterValue::Assign(v) => proxy::into_ref(vm, v),
        PySetterValue::Delete => std::ptr::null_mut(),
    };
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies under the GIL (in_c holds it through call_into_c).
    let status = in_c(vm, descr, "tp_descr_set", |tp, object| unsafe {
        (*tp).tp_descr_set.map_or(-1, |f| f(object, obj, value))
    })?;
    proxy::decref(obj);
    proxy::xdecref(value);
    boundary::check_status(vm, status, "__set__").map(|_| ())
}

/// tp_finalize, run by the host while the object is still alive (so that a
/// finalizer can use it, and resurrect it). The type's tp_dealloc, through
/// PyObject_CallFinalizerFromDealloc, then finds it done for this death.
fn finalize_trampoline(obj: &HostObject, vm: &VirtualMachine) -> PyResult<()> {
    let Some(tp) = c_type_of(obj.class()) else {
        return Err(not_a_c_instance(vm));
    };
    // An instance of a C type with a builtin base (a dict subclass) that C
    // has never been handed has no proxy yet: one is made for the call and
    // let go after it (a reference kept longer would revive the object).
    let (object, _made) = match instance_object(obj) {
        Some(object) => (object, proxy::ReleaseOnDrop(std::ptr::null_mut())),
        None => {
            let object = proxy::new_ref(vm, &obj.to_owned());
            (object, proxy::ReleaseOnDrop(object))
        }
    };
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    let Some(finalize) = (unsafe { (*tp).tp_finalize }) else {
        return Ok(());
    };
    // A Python subclass of a C type is a GC type in CPython 3.11, whatever
    // its C base is.
    let own_c_type = obj.class().get_type_data::<CTypeData>().is_some_and(|d| !d.inherited);
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    let is_gc = !own_c_type || unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_HAVE_GC as u64 != 0;
    // SAFETY: the live instance's header under the GIL (I1, I2), read only.
    if is_gc && proxy::header(object).is_some_and(|h| unsafe { h.as_ref().finalized }) {
        return Ok(()); // GC types are finalized once (PEP 442)
    }
    // SAFETY: the instance's struct lives as long as `obj`, its host.
    let (c_before, host_before) = (unsafe { (*object).ob_refcnt }, obj.strong_count());
    boundary::call_into_c(vm, CFunction::Slot(tp, "tp_finalize"), || {
        // SAFETY: the object is alive (its host is) while it finalizes.
        error_indicator::run_unraisable_scope(vm, "tp_finalize", Some(obj.to_owned()), || unsafe {
            finalize(object)
        })
    });
    // Resurrected from C (a new C reference) or from Python (the finalizer
    // stored the object somewhere).
    // SAFETY: as above.
    let c_resurrected = unsafe { (*object).ob_refcnt } > c_before;
    let resurrected = c_resurrected || obj.strong_count() > host_before;
    if resurrected && !is_gc {
        // A non-GC type has no "finalized" bit in CPython: its finalizer
        // runs again at its next death (Cython's zombie_object).
        obj.clear_gc_finalized();
    }
    if let Some(h) = proxy::header(object) {
        // SAFETY: the live instance's header under the GIL (I1, I2); taking
        // a new host reference runs no code.
        let h = unsafe { &mut *h.as_ptr() };
        h.finalized = !resurrected || is_gc;
        if c_resurrected && !h.holds_host && !h.host.is_null() {
            // C's Py_INCREF does not reach the layer: take the host back.
            h.host = obj.to_owned().into_raw().as_ptr() as *const _;
            h.holds_host = true;
        }
    }
    Ok(())
}

/// A method of the async protocol (`__await__`, `__aiter__`, `__anext__`).
fn async_method(
    vm: &VirtualMachine,
    class: &'static Py<PyType>,
    name: &'static str,
    pick: fn(&ffi::PyAsyncMethods) -> ffi::unaryfunc,
) {
    let descriptor = slot_dunder(vm, class, name, move |zelf, args, vm| {
        args.bind::<()>(vm)?;
        // SAFETY: the C type's own slot, with the signature its table declares, called on
        // live proxies under the GIL (in_c holds it through call_into_c).
        let r = in_c(vm, &zelf, "am_slot", |tp, object| unsafe {
            (*tp)
                .tp_as_async
                .as_ref()
                .and_then(pick)
                .map_or(std::ptr::null_mut(), |f| f(object))
        })?;
        crate::boundary::check_object(vm, name, r)
    });
    // Into the namespace, not through a metaclass's tp_setattro (see ready).
    class.set_attr(vm.ctx.intern_str(name), descriptor);
}

/// Python code calls `object.__new__(cls)` for a class below a C type whose
/// tp_new is object's (zope.interface does). CPython allows it, since the
/// class's tp_new is object's too. Here the class's slot is our trampoline,
/// which RustPython's check refuses, and object's own allocation would not
/// make the C struct. So `object.__new__` becomes this function: such
/// classes go through their C type, and every other class goes through the
/// original.
fn hook_object_new(vm: &VirtualMachine) {
    static HOOKED: std::sync::Once = std::sync::Once::new();
    HOOKED.call_once(|| {
        let name = vm.ctx.intern_str("__new__");
        let Some(original) = vm.ctx.types.object_type.get_direct_attr(name) else {
            return;
        };
        let def = vm.ctx.new_method_def(
            "__new__",
            move |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
                // CPython's words, which Cython's tests compare.
                match args.args.first() {
                    None => return Err(vm.new_type_error("object.__new__(): not enough arguments".to_owned())),
                    Some(x) if x.downcast_ref::<PyType>().is_none() => {
                        return Err(vm.new_type_error(format!(
                            "object.__new__(X): X is not a type object ({})",
                            x.class().name()
                        )));
                    }
                    Some(_) => {}
                }
                if let Some(cls) = args.args.first().and_then(|c| c.downcast_ref::<PyType>()) {
                    let object_new_c_type = c_type_of(cls).is_some_and(|tp| {
                        // SAFETY: a readied C type object: immortal, its tables live as long (I7).
                        unsafe { (*tp).tp_new }.is_some_and(|f| {
                            crate::slots::c_calls_python::is_object_new(f as usize)
                        })
                    });
                    if object_new_c_type {
                        return new_trampoline(cls.to_owned(), FuncArgs::default(), vm);
                    }
                    if c_type_of(cls).is_some() {
                        // The host names the type by its short name.
                        let cls = cls.to_owned();
                        let message = |type_name: &str| format!("object.__new__({type_name}) is not safe, use {type_name}.__new__()");
                        return original
                            .call(args, vm)
                            .map_err(|e| name_by_tp_name(vm, e, &message(&cls.name()), || message(&tp_name_of(&cls))));
                    }
                }
                original.call(args, vm)
            },
            rustpython_vm::function::PyMethodFlags::STATIC,
            special_doc("__new__"),
        );
        // Bound to object, as CPython's is (`object.__new__.__self__`): pickle
        // reduces it to `getattr(object, '__new__')`; a plain function had no
        // owner, and pickle looked for a global `__new__`.
        let object_type = vm.ctx.types.object_type.to_owned();
        let function = def.build_function(vm, Some(object_type.clone().into()));
        object_type.set_attr(name, function.into());
    });
}

/// `str.__new__(M, ...)` for a C subtype M of a builtin whose tp_new M
/// inherited: CPython allows it, the two tp_new being one function (pickle's
/// copyreg and `copy` call it, as do Python subclasses' `__new__`). Here M's
/// slot is our trampoline, which RustPython's check refuses. The builtin's
/// `__new__` is wrapped once, when the first such C type is readied: for a
/// C subtype that inherited the builtin's tp_new it runs that tp_new.
fn hook_builtin_new(vm: &VirtualMachine, owner: PyTypeRef) {
    static HOOKED: std::sync::Mutex<Vec<usize>> = std::sync::Mutex::new(Vec::new());
    let key = &*owner as *const Py<PyType> as usize;
    {
        let mut hooked = HOOKED.lock().unwrap_or_else(|e| e.into_inner());
        if hooked.contains(&key) {
            return;
        }
        hooked.push(key);
    }
    let name = vm.ctx.intern_str("__new__");
    let Some(original) = owner.get_direct_attr(name) else {
        return;
    };
    let builtin = owner.clone();
    let def = vm.ctx.new_method_def(
        "__new__",
        move |mut args: FuncArgs, vm: &VirtualMachine| -> PyResult {
            let subtype = args.args.first().and_then(|c| c.downcast_ref::<PyType>()).map(|c| c.to_owned());
            if let Some(subtype) = subtype.as_ref().filter(|s| !s.fast_issubclass(&builtin) && c_type_of(s).is_some()) {
                // CPython's words, which name a C type by its tp_name.
                let (name, sub) = (builtin.name().to_string(), tp_name_of(subtype));
                return Err(vm.new_type_error(format!("{name}.__new__({sub}): {sub} is not a subtype of {name}")));
            }
            if let Some(subtype) = subtype.filter(|s| s.fast_issubclass(&builtin)) {
                let inherited_builtin_new = c_type_of(&subtype).is_some_and(|tp| {
                    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
                    unsafe { (*tp).tp_new }
                        .is_some_and(|f| crate::slots::c_calls_python::is_python_new(f as usize))
                });
                if inherited_builtin_new {
                    args.args.remove(0);
                    return new_trampoline(subtype, args, vm);
                }
            }
            original.call(args, vm)
        },
        rustpython_vm::function::PyMethodFlags::STATIC,
        special_doc("__new__"),
    );
    // Bound to the builtin, as its own `__new__` is (`str.__new__.__self__`).
    let function = def.build_function(vm, Some(owner.clone().into()));
    owner.set_attr(name, function.into());
}

/// `T.__new__(S, ...)`: runs T's tp_new for a subtype S of T, so that
/// `T.__new__(T)` works as in CPython (RustPython's object.__new__
/// refuses a class whose nearest static base has its own tp_new).
fn add_new_method(vm: &VirtualMachine, class: &'static Py<PyType>) {
    let def = vm.ctx.new_method_def(
        "__new__",
        move |mut args: FuncArgs, vm: &VirtualMachine| -> PyResult {
            // Named as CPython names them: by tp_name.
            let name = match c_type_of(class) {
                // SAFETY: `c_type_of` returns readied C types.
                Some(tp) => unsafe { slot_name(tp) },
                None => class.name().to_string(),
            };
            if args.args.is_empty() {
                return Err(vm.new_type_error(format!("{name}.__new__(): not enough arguments")));
            }
            let subtype = args.args.remove(0).downcast::<PyType>().map_err(|o| {
                vm.new_type_error(format!(
                    "{name}.__new__(X): X is not a type object ({})",
                    o.class().name()
                ))
            })?;
            let sub = tp_name_of(&subtype);
            if !subtype.fast_issubclass(class) {
                return Err(vm.new_type_error(format!(
                    "{name}.__new__({sub}): {sub} is not a subtype of {name}"
                )));
            }
            // As CPython: S's nearest C type must allocate as this one does,
            // or S's own tp_new would be skipped (its fields left unset).
            if let (Some(ours), Some(theirs)) = (c_type_of(class), c_type_of(&subtype)) {
                // SAFETY: `c_type_of` returns readied C types: immortal (I7).
                let (our_new, their_new) = unsafe { ((*ours).tp_new.map(|f| f as usize), (*theirs).tp_new.map(|f| f as usize)) };
                if our_new != their_new {
                    // The class to use, as CPython names it: the first along
                    // `__base__` that does not define `__new__` in Python.
                    let dunder_new = vm.ctx.intern_str("__new__");
                    let mut base = subtype.clone();
                    while !is_own_c_type(&base) && base.get_direct_attr(dunder_new).is_some() {
                        match base.base.deref() {
                            Some(next) => base = next.to_owned(),
                            None => break,
                        }
                    }
                    let base = tp_name_of(&base);
                    return Err(vm.new_type_error(format!("{name}.__new__({sub}) is not safe, use {base}.__new__()")));
                }
            }
            new_trampoline(subtype, args, vm)
        },
        rustpython_vm::function::PyMethodFlags::STATIC,
        special_doc("__new__"),
    );
    // Bound to the class without taking it as an argument, as CPython's
    // `__new__` of a C type: its `__self__` (PyCFunction_GET_SELF) is the
    // type, which pybind11 reads.
    let function = def.build_function(vm, Some(class.to_owned().into()));
    // Into the namespace only: a `__new__` set through setattr would
    // replace the slot's direct trampoline with a lookup of this.
    class.set_attr(vm.ctx.intern_str("__new__"), function.into());
}

/// `Cls.__init__` as a method of the class itself: it runs this class's
/// tp_init whatever the type of `self`, so `super().__init__(...)` from a
/// subclass reaches the base's (the generic slot wrapper would run the
/// subclass's own again). Put in the namespace only, so that constructing
/// an object still calls the slot directly.
fn add_init_method(vm: &VirtualMachine, class: &'static Py<PyType>) {
    let descriptor = slot_dunder(vm, class, "__init__", move |zelf, args, vm| {
        init_with(vm, class, &zelf, args)?;
        Ok(vm.ctx.none())
    });
    class.set_attr(vm.ctx.intern_str("__init__"), descriptor);
}

/// The hash slot of a C type whose tp_hash is PyObject_HashNotImplemented:
/// the error names the type by its tp_name, as CPython's does.
fn unhashable_hash(zelf: &HostObject, vm: &VirtualMachine) -> PyResult<rustpython_vm::common::hash::PyHash> {
    Err(vm.new_type_error(format!("unhashable type: '{}'", tp_name(vm, zelf.class()))))
}

/// `sys.getsizeof` of an instance of a C type, as CPython reports it:
/// `__sizeof__()` plus the collector's header for a GC type (RustPython
/// adds its own object header instead). None for other objects.
pub fn getsizeof(vm: &VirtualMachine, obj: &PyObjectRef) -> Option<PyResult<usize>> {
    let tp = c_type_of(obj.class())?;
    let size = vm
        .call_special_method(obj, vm.ctx.intern_str("__sizeof__"), ())
        .and_then(|r| r.try_index(vm)?.try_to_primitive::<usize>(vm));
    // The instance's own type decides: C may have cleared a Python
    // subclass's GC flag (msgspec's gc=False structs).
    // SAFETY: a readied C type object (I7), or the live struct's own type.
    let flags = unsafe { instance_object(obj).map_or((*tp).tp_flags, |o| (*(*o).ob_type).tp_flags) };
    let gc = flags & ffi::Py_TPFLAGS_HAVE_GC as u64 != 0;
    Some(size.map(|n| n + if gc { 2 * size_of::<usize>() } else { 0 }))
}

/// `__sizeof__` of a C type that defines none: its struct's size, items
/// included, as CPython's `object.__sizeof__` computes it.
fn add_sizeof_method(vm: &VirtualMachine, class: &'static Py<PyType>) {
    let def = vm.ctx.new_method_def(
        "__sizeof__",
        |zelf: PyObjectRef, vm: &VirtualMachine| -> PyResult<usize> {
            let object = proxy::into_ref(vm, zelf);
            // SAFETY: a new reference to the object's struct and its type object (I8).
            let size = unsafe {
                let tp = (*object).ob_type;
                let mut size = (*tp).tp_basicsize;
                if (*tp).tp_itemsize != 0 {
                    size += (*tp).tp_itemsize * (*(object as *mut ffi::PyVarObject)).ob_size.abs();
                }
                size
            };
            proxy::decref(object);
            Ok(size.max(0) as usize)
        },
        rustpython_vm::function::PyMethodFlags::METHOD,
        special_doc("__sizeof__"),
    );
    class.set_attr(vm.ctx.intern_str("__sizeof__"), def.build_method(class, vm).into());
}

/// Puts a trampoline in each host slot whose C slot the type fills.
///
/// # Safety
/// `tp` must be the type object being readied for `class`, as in
/// `ready_inner`; the caller holds the GIL.
unsafe fn install_slots(vm: &VirtualMachine, tp: *mut PyTypeObject, class: &'static Py<PyType>) {
    // SAFETY: the caller's contract.
    unsafe {
        let s = &class.slots;
        s.new.store(Some(new_trampoline));
        // Slots still `object`'s need no trampoline: the host default does the same.
        let own =
            |f: Option<usize>| f.is_some_and(|f| !crate::slots::c_calls_python::is_object_slot(f));
        // Only a type with its own tp_init gets ours. Without one the host
        // keeps object's slot, whose excess-argument check is CPython's
        // object_init: it lets tp_new's arguments through when the type has
        // its own __new__, and an explicit `obj.__init__(a, b)` (object.__init__
        // reached by attribute) is then a no-op, as in CPython.
        if own((*tp).tp_init.map(|f| f as usize)) {
            s.init.store(Some(init_trampoline));
        }
        if own((*tp).tp_repr.map(|f| f as usize)) {
            s.repr.store(Some(repr_trampoline));
        }
        if own((*tp).tp_str.map(|f| f as usize)) {
            s.str.store(Some(str_trampoline));
        }
        let unhashable = crate::api::object::PyObject_HashNotImplemented as *const () as usize;
        if (*tp).tp_hash.is_some_and(|f| f as usize == unhashable) {
            // Unhashable, as CPython marks it: `__hash__` is None.
            s.hash.store(Some(unhashable_hash));
            class.set_attr(vm.ctx.intern_str("__hash__"), vm.ctx.none());
        } else if own((*tp).tp_hash.map(|f| f as usize)) {
            s.hash.store(Some(hash_trampoline));
        }
        if (*tp).tp_call.is_some_and(|f| !is_type_slot(f as usize)) {
            s.call.store(Some(call_trampoline));
        }
        if own((*tp).tp_richcompare.map(|f| f as usize)) {
            s.richcompare.store(Some(richcompare_trampoline));
        }
        if (*tp).tp_iter.is_some() {
            s.iter.store(Some(iter_trampoline));
        }
        if (*tp).tp_iternext.is_some() {
            s.iternext.store(Some(iternext_trampoline));
        }
        if own_getattro(tp) {
            s.getattro.store(Some(getattro_trampoline));
        } else if (slot_name(tp).contains('.') || (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 == 0 || (*tp).tp_dictoffset > 0)
            && s.getattro.load().map(|f| f as usize) == vm.ctx.types.object_type.slots.getattro.load().map(|f| f as usize)
        {
            s.getattro.store(Some(generic_getattro_named));
        }
        if own_setattro(tp) {
            s.setattro.store(Some(setattro_trampoline));
        } else if (*tp).tp_dictoffset > 0
            && s.setattro.load().map(|f| f as usize) == vm.ctx.types.object_type.slots.setattro.load().map(|f| f as usize)
        {
            s.setattro.store(Some(generic_setattro_synced));
        } else if (slot_name(tp).contains('.') || (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 == 0)
            && s.setattro.load().map(|f| f as usize) == vm.ctx.types.object_type.slots.setattro.load().map(|f| f as usize)
        {
            s.setattro.store(Some(generic_setattro_named));
        }
        if (*tp).tp_descr_get.is_some() {
            s.descr_get.store(Some(descr_get_trampoline));
        }
        if (*tp).tp_descr_set.is_some() {
            s.descr_set.store(Some(descr_set_trampoline));
        }
        if (*tp).tp_finalize.is_some() {
            s.del.store(Some(finalize_trampoline));
            // RustPython's dealloc looks `__del__` up (and unwraps it)
            // whenever the del slot is set. A type with a builtin base gets
            // no dunder wrappers below, so a C dict subclass with
            // tp_finalize and no `__del__` of its own panicked the process.
            if class.get_attr(vm.ctx.intern_str("__del__")).is_none() {
                let def = vm.ctx.new_method_def(
                    "__del__",
                    |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
                        let (obj,): (PyObjectRef,) = args.bind(vm)?;
                        finalize_trampoline(&obj, vm)?;
                        Ok(vm.ctx.none())
                    },
                    rustpython_vm::function::PyMethodFlags::METHOD,
                    rustpython_vm::function::ItemDoc::NONE,
                );
                class.set_attr(vm.ctx.intern_str("__del__"), def.build_method(class, vm).into());
            }
        }
        crate::slots::python_calls_c::install(tp, class);
        // The dunder wrappers for the slots. Not for a builtin base: the
        // host would add wrappers for the builtin's inherited slots too,
        // which then dispatch back to themselves; the slots work without.
        if solid_base(class).is(vm.ctx.types.object_type) {
            // The host wraps the slots the class inherited too; CPython wraps
            // a type's own only, so a C type that keeps object's attribute
            // access has no `__setattr__` of its own (dataclass(frozen=True)
            // refuses to replace one: mypyc's native dataclasses). Those
            // wrappers go again, unless the type's own tp_methods had them.
            // A slot the type inherited from its C base (Acquisition's
            // Implicit keeps ExtensionClass.Base's tp_getattro) gets no
            // wrapper of its own either: a Python class later in the MRO
            // may then supply `__getattribute__` (cooperative bases).
            let (own_get, own_set) = (own_getattro(tp) && !slot_from_base(tp, |t| (*t).tp_getattro.map(|f| f as usize)),
                                      own_setattro(tp) && !slot_from_base(tp, |t| (*t).tp_setattro.map(|f| f as usize)));
            // Nor `__del__` for a type without a tp_finalize of its own: the
            // host's del slot may be a Python base's (a cdef class with a
            // Python class among its bases, pep442_tp_finalize), and a
            // wrapper of it in the class's dict called itself forever; the
            // base's `__del__` is found through the MRO, as in CPython.
            let own_del = (*tp).tp_finalize.is_some() && !slot_from_base(tp, |t| (*t).tp_finalize.map(|f| f as usize));
            let inherited_only: Vec<_> = [("__getattribute__", own_get), ("__setattr__", own_set), ("__delattr__", own_set), ("__del__", own_del)]
                .into_iter()
                .map(|(name, own)| (vm.ctx.intern_str(name), own))
                .filter(|&(name, own)| !own && !class.attributes.contains(name))
                .map(|(name, _)| name)
                .collect();
            rustpython_vm::class::add_operators(class, &vm.ctx, &[]);
            for name in inherited_only {
                class.attributes.remove(name);
            }
        }
        add_own_protocol_dunders(vm, tp, class);
        inherit_item_slots_of_c_base(vm, class);
        if !solid_base(class).is(vm.ctx.types.object_type) {
            add_own_attribute_dunders(vm, tp, class);
        }
        // Only for a tp_init of its own. One inherited is the base's
        // `__init__`, found through the MRO, as in CPython, where the class
        // has none in its dict (and inspect.signature then reads the type's
        // __text_signature__): the host's wrapper for it goes.
        let base_init = if (*tp).tp_base.is_null() { None } else { (*(*tp).tp_base).tp_init.map(|f| f as usize) };
        let init_name = vm.ctx.intern_str("__init__");
        match (*tp).tp_init {
            // Also where the host added no wrapper (a builtin base such as
            // Exception): `super().__init__()` from a Python subclass must
            // reach it (lxml's LxmlError sets error_log there).
            Some(f) if Some(f as usize) != base_init => add_init_method(vm, class),
            _ => {
                if class.get_direct_attr(init_name).is_some_and(|w| crate::api::methodobject::is_host_slot_wrapper(vm, &w)) {
                    class.attributes.remove(init_name);
                }
            }
        }
        if let Some(table) = (*tp).tp_as_async.as_ref() {
            if table.am_await.is_some() {
                async_method(vm, class, "__await__", |t| t.am_await);
            }
            if table.am_aiter.is_some() {
                async_method(vm, class, "__aiter__", |t| t.am_aiter);
            }
            if table.am_anext.is_some() {
                async_method(vm, class, "__anext__", |t| t.am_anext);
            }
        }
    }
}

/// Whether a C type looks attributes up its own way (a tp_getattro other
/// than the generic one, or the old tp_getattr).
///
/// # Safety
/// `tp` must be a type object being readied.
unsafe fn own_getattro(tp: *mut PyTypeObject) -> bool {
    let generic_getattr = crate::api::object::PyObject_GenericGetAttr as *const () as usize;
    // SAFETY: the caller's contract.
    unsafe { own_attribute_slot((*tp).tp_getattro.map(|f| f as usize), (*tp).tp_getattr.is_some(), generic_getattr) }
}

/// Whether `tp`'s slot (read by `slot`) is its C base's, inherited by
/// PyType_Ready: CPython adds dunder wrappers for a type's own slots only
/// (`add_operators` runs before `inherit_slots`).
///
/// # Safety
/// `tp` must be a readied type object; its tp_base is NULL or one too.
unsafe fn slot_from_base(tp: *mut PyTypeObject, slot: impl Fn(*mut PyTypeObject) -> Option<usize>) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        let base = (*tp).tp_base;
        !base.is_null() && slot(tp).is_some() && slot(tp) == slot(base)
    }
}

/// Whether an attribute slot (`slot`, or the old char* form) is a type's
/// own: not the generic one, and not one of `type`'s that a metatype
/// inherits.
fn own_attribute_slot(slot: Option<usize>, old_form: bool, generic: usize) -> bool {
    match slot {
        Some(f) => f != generic && !is_type_slot(f),
        None => old_form,
    }
}

/// Whether a C type sets attributes its own way (a tp_setattro other than
/// the generic one, or the old tp_setattr).
///
/// # Safety
/// `tp` must be a type object being readied.
unsafe fn own_setattro(tp: *mut PyTypeObject) -> bool {
    let generic_setattr = crate::api::object::PyObject_GenericSetAttr as *const () as usize;
    // SAFETY: the caller's contract.
    unsafe { own_attribute_slot((*tp).tp_setattro.map(|f| f as usize), (*tp).tp_setattr.is_some(), generic_setattr) }
}

/// Makes the host descriptors for the type's `tp_methods`.
///
/// # Safety
/// As `install_slots`: `tp` is the type object being readied for `class`.
unsafe fn add_methods(
    vm: &VirtualMachine,
    tp: *mut PyTypeObject,
    class: &'static Py<PyType>,
) -> PyResult<()> {
    // SAFETY: the caller's contract; tp_methods is NULL or an array ended by an entry with a
    // NULL name, living as long as the type.
    unsafe {
        let mut def = (*tp).tp_methods;
        while !def.is_null() && !(*def).ml_name.is_null() {
            let name = c_str((*def).ml_name).unwrap_or("");
            // Without METH_COEXIST a method does not replace the wrapper of
            // a slot the type already has under that name.
            let coexist = (*def).ml_flags & ffi::METH_COEXIST as c_int != 0;
            if !coexist && class.get_direct_attr(vm.ctx.intern_str(name)).is_some() {
                def = def.add(1);
                continue;
            }
            let mut method = methods::type_method(vm, def, class, tp as usize)?;
            if (*def).ml_flags & ffi::METH_STATIC as c_int != 0 {
                // In the type's dict it sits inside a `staticmethod`, as in
                // CPython (`T.__dict__[name].__func__`); attribute access unwraps it.
                method = rustpython_vm::PyPayload::into_ref(rustpython_vm::builtins::PyStaticMethod::new(method), &vm.ctx).into();
            }
            class.set_attr(vm.ctx.intern_str(name), method);
            def = def.add(1);
        }
    }
    Ok(())
}

/// `T.__module__` of a static C type whose getset or member of that name
/// (Cython's `property __module__:`) took the layer's str's place in its
/// dict: CPython's `type` answers it from tp_name, where the host would
/// return the descriptor that instances use. `T.__doc__` of a static C type
/// with a tp_doc comes from tp_doc each time, as CPython's `type_get_doc`
/// reads it (C may replace tp_doc after `PyType_Ready`: confluent-kafka's
/// `KafkaError` appends its table of error codes), and so does any own C
/// type's `__text_signature__` (`type_get_text_signature`).
pub(crate) fn install_static_type_names(vm: &VirtualMachine) -> PyResult<()> {
    fn c_descriptor_in_dict(vm: &VirtualMachine, object: &PyObjectRef, name: &str) -> Option<*mut PyTypeObject> {
        let cls = object.downcast_ref::<PyType>()?;
        let tp = static_c_type(cls)?;
        let entry = cls.get_direct_attr(vm.ctx.intern_str(name))?;
        (!entry.class().is(vm.ctx.types.str_type) && !vm.is_none(&entry)).then_some(tp)
    }
    crate::api::override_host_getter(vm, vm.ctx.types.type_type, "__module__", |vm, cls, host| {
        match c_descriptor_in_dict(vm, cls, "__module__") {
            // SAFETY: a readied C type object's name (I7).
            Some(tp) => Ok(vm.ctx.new_str(split_name(unsafe { c_str((*tp).tp_name) }.unwrap_or("")).0).into()),
            None => host(),
        }
    })?;
    crate::api::override_host_getter(vm, vm.ctx.types.type_type, "__doc__", |vm, cls, host| {
        let static_type = cls.downcast_ref::<PyType>().and_then(static_c_type);
        // SAFETY: a readied C type object's name and doc (I7).
        match static_type.filter(|&tp| unsafe { !(*tp).tp_doc.is_null() }) {
            // SAFETY: as above.
            Some(tp) => unsafe { crate::api::object::type_doc_from_internal_doc(vm, (*tp).tp_name, (*tp).tp_doc) },
            None => host(),
        }
    })?;
    crate::api::override_host_getter(vm, vm.ctx.types.type_type, "__text_signature__", |vm, cls, host| {
        let own = cls.downcast_ref::<PyType>().filter(|c| is_own_c_type(c)).and_then(c_type_of);
        match own {
            // SAFETY: a readied C type object's name and doc (I7).
            Some(tp) => unsafe { crate::api::object::type_text_signature_from_internal_doc(vm, (*tp).tp_name, (*tp).tp_doc) },
            None => host(),
        }
    })?;
    Ok(())
}

/// The type object of `cls` if it is a static C type of its own (not a
/// heap type, not a Python subclass of one).
fn static_c_type(cls: &Py<PyType>) -> Option<*mut PyTypeObject> {
    if !is_own_c_type(cls) {
        return None;
    }
    let tp = c_type_of(cls)?;
    // SAFETY: a readied C type object (I7).
    (unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_HEAPTYPE as u64 == 0).then_some(tp)
}

/// `dir()` of an instance lists what `getattr` finds on it, as in CPython.
/// A static C type's `__module__` is the layer's str in its dict (for the
/// host's `type.__module__`), and instance lookup passes over it
/// (`module_seen_by_instance`), as CPython's finds none; the host's
/// `object.__dir__` merges the MRO's dicts and would list it, so
/// `[a for a in dir(x) if not hasattr(x, a)]` was `['__module__']` (PyAV's
/// `test_decode_close_then_use`). Only then is the name dropped.
pub(crate) fn install_object_dir(vm: &VirtualMachine) -> PyResult<()> {
    let object_type = vm.ctx.types.object_type;
    let dir_name = vm.ctx.intern_str("__dir__");
    let Some(host_dir) = object_type.get_direct_attr(dir_name) else { return Ok(()) };
    let def = vm.ctx.new_method_def(
        "__dir__",
        move |zelf: PyObjectRef, vm: &VirtualMachine| -> PyResult {
            let listed = host_dir.call((zelf.clone(),), vm)?;
            let module = vm.ctx.intern_str("__module__");
            let static_entry = zelf.class().mro.read().iter().any(|c| {
                static_c_type(c).is_some() && c.get_direct_attr(module).is_some_and(|e| e.class().is(vm.ctx.types.str_type))
            });
            if !static_entry || vm.get_attribute_opt(&zelf, module)?.is_some() {
                return Ok(listed);
            }
            if let Some(list) = listed.downcast_ref::<rustpython_vm::builtins::PyList>() {
                list.borrow_vec_mut()
                    .retain(|n| !n.downcast_ref::<PyStr>().is_some_and(|s| s.as_wtf8() == "__module__"));
            }
            Ok(listed)
        },
        rustpython_vm::function::PyMethodFlags::METHOD,
        rustpython_vm::function::ItemDoc::NONE,
    );
    object_type.set_attr(dir_name, def.build_method(object_type, vm).into());
    Ok(())
}

/// Makes the host descriptors for the type's `tp_members`.
///
/// # Safety
/// As `install_slots`: `tp` is the type object being readied for `class`.
unsafe fn add_members(
    vm: &VirtualMachine,
    tp: *mut PyTypeObject,
    class: &'static Py<PyType>,
) -> PyResult<()> {
    // SAFETY: the caller's contract; tp_members is NULL-name terminated and lives as long as the type.
    unsafe {
        let mut def = (*tp).tp_members;
        // A subtype that copies `property`'s own table (nanobind's
        // nb_static_property: `PyType_GetSlot(&PyProperty_Type, Py_tp_members)`)
        // gets the host property's descriptors: the fields do not live at C
        // offsets here.
        let from_property = def == crate::types::property_members();
        while !def.is_null() && !(*def).name.is_null() {
            let name = c_str((*def).name).unwrap_or("");
            let host = from_property.then(|| vm.ctx.types.property_type.get_direct_attr(vm.ctx.intern_str(name))).flatten();
            let descriptor = match host {
                Some(d) => d,
                None => crate::api::structmember::member_descriptor(vm, def, class)?,
            };
            // Into the namespace, as CPython does: through setattr, a member
            // named `__name__` or `__doc__` (zope.interface has both)
            // would rename the class instead.
            class.set_attr(vm.ctx.intern_str(name), descriptor);
            def = def.add(1);
        }
    }
    Ok(())
}

/// Makes the host descriptors for the type's `tp_getset`.
///
/// # Safety
/// As `install_slots`: `tp` is the type object being readied for `class`.
unsafe fn add_getsets(
    vm: &VirtualMachine,
    tp: *mut PyTypeObject,
    class: &'static Py<PyType>,
) -> PyResult<()> {
    // SAFETY: the caller's contract; tp_getset is NULL-name terminated and lives as long as the type.
    unsafe {
        let mut def = (*tp).tp_getset;
        while !def.is_null() && !(*def).name.is_null() {
            let descriptor = crate::api::descrobject::getset_descriptor(vm, def, class)?;
            let name = c_str((*def).name).unwrap_or("");
            class.set_attr(vm.ctx.intern_str(name), descriptor); // see add_members
            def = def.add(1);
        }
    }
    Ok(())
}
