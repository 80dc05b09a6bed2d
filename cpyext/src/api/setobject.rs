//! setobject.h: set and frozenset. The elements stay in the host set, so a
//! change made on either side is seen by the other.
//!
//! CPython's set functions look keys up without the frozenset retry that
//! `set.__contains__` does in Python (`PySet_Contains(s, {1})` raises
//! "unhashable type: 'set'"), so every lookup hashes the key first.
use super::bad_internal_call;
use crate::borrow::borrowed;
use crate::ffi::{PyObject, Py_hash_t, Py_ssize_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyFrozenSet, PySet};
use rustpython_vm::{AsObject, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};
use std::ffi::c_int;

/// A set or frozenset: the host object and, for a set, its payload.
enum AnySet {
    Set(PyRef<PySet>),
    Frozen(PyRef<PyFrozenSet>),
}

impl AnySet {
    fn contains(&self, key: &rustpython_vm::PyObject, vm: &VirtualMachine) -> PyResult<bool> {
        match self {
            AnySet::Set(s) => s.contains(key, vm),
            AnySet::Frozen(f) => f.contains(key, vm),
        }
    }

    fn elements(&self) -> Vec<PyObjectRef> {
        match self {
            AnySet::Set(s) => s.elements(),
            AnySet::Frozen(f) => f.elements(),
        }
    }
}

/// The set or frozenset (subclasses too) behind `p`, else SystemError.
fn any_set(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<AnySet> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    let host = to_host(vm, p)?;
    let host = match host.downcast::<PySet>() {
        Ok(s) => return Ok(AnySet::Set(s)),
        Err(other) => other,
    };
    host.downcast::<PyFrozenSet>().map(AnySet::Frozen).map_err(|_| bad_internal_call(vm))
}

/// A mutable set (not a frozenset), else SystemError.
fn mutable_set(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyRef<PySet>> {
    match any_set(vm, p)? {
        AnySet::Set(s) => Ok(s),
        AnySet::Frozen(_) => Err(bad_internal_call(vm)),
    }
}

/// The number of elements of a set or frozenset, read from its table in
/// O(1) (a subclass's `__len__` is not asked, as CPython's `used` field does
/// not ask it either).
fn host_len(vm: &VirtualMachine, obj: &rustpython_vm::PyObject) -> Option<usize> {
    use rustpython_vm::protocol::PySequence;
    use rustpython_vm::types::AsSequence;
    let length = if obj.downcast_ref::<PySet>().is_some() {
        PySet::as_sequence().length
    } else if obj.downcast_ref::<PyFrozenSet>().is_some() {
        PyFrozenSet::as_sequence().length
    } else {
        return None;
    };
    length?(PySequence { obj }, vm).ok()
}

/// The fields of CPython's `PySetObject` that C reads directly: `used`
/// (the size: PyO3's `PySet_GET_SIZE` reads it, as CPython's macro does)
/// and `fill`. Written when the proxy is made, whenever a set is handed to
/// C again (Python may have changed its size meanwhile), and after each
/// function below that changes a set. The table itself is not kept.
///
/// # Safety
/// `proxy` is the live proxy of `obj`, under the GIL.
pub(crate) unsafe fn sync_struct(vm: &VirtualMachine, proxy: *mut PyObject, obj: &rustpython_vm::PyObject) {
    // Proxies made before sets had a struct, or of another layout (an
    // instance of a C subtype is its own struct, which starts with
    // PySetObject too): only write within the memory there is.
    // SAFETY: a registered header, read under the GIL (I1, I2).
    let room = proxy::header(proxy).map_or(0, |h| unsafe { h.as_ref().size } as usize);
    if room < size_of::<crate::ffi::PySetObject>() {
        return;
    }
    let Some(len) = host_len(vm, obj) else { return };
    let view = proxy as *mut crate::ffi::PySetObject;
    // SAFETY: the proxy has room for the struct (checked above).
    unsafe {
        (*view).used = len as Py_ssize_t;
        (*view).fill = len as Py_ssize_t;
    }
}

/// `sync_struct` for the proxy `p` C passed in, whose set `host` a call
/// just changed.
fn sync_after_change(vm: &VirtualMachine, p: *mut PyObject, host: &rustpython_vm::PyObject) {
    // SAFETY: `p` is the live proxy C passed for this call (I8) and `host`
    // its set, under the GIL.
    unsafe { sync_struct(vm, p, host) };
}

/// Object-model hook (through `PROXY_BODIES`): the proxy of a set or
/// frozenset carries CPython's `PySetObject`.
pub(crate) fn proxy_struct_size(_vm: &VirtualMachine, obj: &PyObjectRef) -> Option<usize> {
    is_any_set(obj).then_some(size_of::<crate::ffi::PySetObject>())
}

fn is_any_set(obj: &PyObjectRef) -> bool {
    obj.downcast_ref::<PySet>().is_some() || obj.downcast_ref::<PyFrozenSet>().is_some()
}

/// Fills a new set proxy's struct.
pub(crate) fn fill_proxy_struct(vm: &VirtualMachine, obj: &PyObjectRef, proxy: *mut PyObject) {
    // SAFETY: the object model calls this on a new proxy of `obj` sized by
    // `proxy_struct_size`, under the GIL.
    unsafe { sync_struct(vm, proxy, obj) };
}

/// The items of `iterable` (none for NULL), each hashed first so that an
/// unhashable one raises CPython's "unhashable type" message.
fn hashed_items(vm: &VirtualMachine, iterable: *mut PyObject) -> PyResult<Vec<PyObjectRef>> {
    let Some(iterable) = proxy::opt_to_host(vm, iterable)? else { return Ok(Vec::new()) };
    let mut items = Vec::new();
    for item in iterable.get_iter(vm)?.iter::<PyObjectRef>(vm)? {
        let item = item?;
        item.hash(vm)?;
        items.push(item);
    }
    Ok(items)
}

#[cpython_api]
fn PySet_New(vm: &VirtualMachine, iterable: *mut PyObject) -> PyResult<*mut PyObject> {
    let items = hashed_items(vm, iterable)?;
    let set = PySet::default().into_ref(&vm.ctx);
    for item in items {
        set.add(item, vm)?;
    }
    Ok(into_ref(vm, set.into()))
}

/// Always a new frozenset (never a shared empty one), so that C may fill
/// it with PySet_Add while it holds the only reference.
#[cpython_api]
fn PyFrozenSet_New(vm: &VirtualMachine, iterable: *mut PyObject) -> PyResult<*mut PyObject> {
    let items = hashed_items(vm, iterable)?;
    Ok(into_ref(vm, PyFrozenSet::from_iter(vm, items)?.into_ref(&vm.ctx).into()))
}

/// Also without the GIL (see `read_maybe_without_gil`); the host set
/// tells its length only to a VM, so without one its items are counted.
#[cpython_api(no_gil)]
unsafe fn PySet_Size(anyset: *mut PyObject) -> PyResult<Py_ssize_t> {
    super::read_maybe_without_gil(
        |vm| {
            // The set's own size, as CPython's `used`: a subclass's
            // `__len__` is not asked.
            let set: rustpython_vm::PyObjectRef = match any_set(vm, anyset)? {
                AnySet::Set(s) => s.into(),
                AnySet::Frozen(f) => f.into(),
            };
            Ok(host_len(vm, &set).unwrap_or(0) as Py_ssize_t)
        },
        // SAFETY: C passes a set it holds (I8).
        || match unsafe { super::host_without_gil(anyset) } {
            Some(h) => match (h.downcast_ref::<rustpython_vm::builtins::PySet>(), h.downcast_ref::<rustpython_vm::builtins::PyFrozenSet>()) {
                (Some(s), _) => s.elements().len() as Py_ssize_t,
                (_, Some(f)) => f.elements().len() as Py_ssize_t,
                _ => 0,
            },
            None => 0,
        },
    )
}

#[cpython_api]
fn PySet_Contains(vm: &VirtualMachine, anyset: *mut PyObject, key: *mut PyObject) -> PyResult<c_int> {
    let set = any_set(vm, anyset)?;
    let key = to_host(vm, key)?;
    key.hash(vm)?;
    Ok(set.contains(&key, vm)? as c_int)
}

/// Adds `key` to a set. A frozenset is accepted only while C holds its one
/// reference and nothing else sees it (one being filled after
/// `PyFrozenSet_New`), as in CPython; its proxy then stands for a new
/// frozenset with the key added.
#[cpython_api]
fn PySet_Add(vm: &VirtualMachine, set: *mut PyObject, key: *mut PyObject) -> PyResult<c_int> {
    let key_host = to_host(vm, key)?;
    match any_set(vm, set)? {
        AnySet::Set(s) => {
            key_host.hash(vm)?;
            s.add(key_host, vm)?;
            proxy::pin_to_host(vm, key);
            sync_after_change(vm, set, s.as_object());
            Ok(0)
        }
        AnySet::Frozen(frozen) => {
            // SAFETY: `set` is a live proxy (any_set resolved it).
            let c_refs = unsafe { (*set).ob_refcnt };
            // Ours (`frozen`) and the proxy's are the only host references.
            let only_c_sees_it = c_refs == 1 && frozen.as_object().strong_count() == 2;
            if !only_c_sees_it || !frozen.class().is(vm.ctx.types.frozenset_type) {
                return Err(bad_internal_call(vm));
            }
            key_host.hash(vm)?;
            let mut elements = frozen.elements();
            elements.push(key_host);
            let grown: PyObjectRef = PyFrozenSet::from_iter(vm, elements)?.into_ref(&vm.ctx).into();
            replace_host(set, frozen.into(), grown.clone());
            sync_after_change(vm, set, &grown);
            Ok(0)
        }
    }
}

/// Points the proxy `p` at `new` instead of `old`, which only the proxy
/// holds (so no one can tell the difference).
fn replace_host(p: *mut PyObject, old: PyObjectRef, new: PyObjectRef) {
    // SAFETY: the GIL is held and no other view of this header is live.
    let Some(h) = (unsafe { proxy::header_mut(p) }) else { return };
    proxy::IDENTITY.remove_if(&proxy::host_addr(&old), |_, q| *q == p as usize);
    proxy::IDENTITY.insert(proxy::host_addr(&new), p as usize);
    let previous = std::mem::replace(&mut h.host, new.into_raw().as_ptr() as *const _);
    // SAFETY: the header owned one strong reference to the old host (its
    // `holds_host`), which is given up here, after the new one is stored.
    drop(unsafe { PyObjectRef::from_raw(std::ptr::NonNull::new_unchecked(previous as *mut _)) });
    drop(old);
}

/// 1 if `key` was there and is removed, 0 if it was not there.
#[cpython_api]
fn PySet_Discard(vm: &VirtualMachine, set: *mut PyObject, key: *mut PyObject) -> PyResult<c_int> {
    let p = set;
    let set = mutable_set(vm, set)?;
    let key = to_host(vm, key)?;
    key.hash(vm)?;
    if !set.contains(&key, vm)? {
        return Ok(0);
    }
    set.discard(key, vm)?;
    sync_after_change(vm, p, set.as_object());
    Ok(1)
}

#[cpython_api]
fn PySet_Clear(vm: &VirtualMachine, set: *mut PyObject) -> PyResult<c_int> {
    let host = mutable_set(vm, set)?;
    host.clear();
    sync_after_change(vm, set, host.as_object());
    Ok(0)
}

/// Removes and returns an arbitrary element; KeyError when empty.
#[cpython_api]
fn PySet_Pop(vm: &VirtualMachine, set: *mut PyObject) -> PyResult<*mut PyObject> {
    let p = set;
    let set = mutable_set(vm, set)?;
    let item = set.pop(vm)?;
    sync_after_change(vm, p, set.as_object());
    Ok(into_ref(vm, item))
}

/// `set.update(iterable)` without a method lookup.
#[cpython_api]
fn _PySet_Update(vm: &VirtualMachine, set: *mut PyObject, iterable: *mut PyObject) -> PyResult<c_int> {
    let p = set;
    let set = mutable_set(vm, set)?;
    let items: Vec<PyObjectRef> = to_host(vm, iterable)?.get_iter(vm)?.iter(vm)?.collect::<PyResult<_>>()?;
    for item in items {
        item.hash(vm)?;
        set.add(item, vm)?;
    }
    sync_after_change(vm, p, set.as_object());
    Ok(0)
}

/// Walks a set by position: 1 with a borrowed key and its hash, 0 at the end.
///
/// # Safety
/// `pos` must point to a Py_ssize_t that started at 0; `key` and `hash` to
/// writable storage.
#[cpython_api]
unsafe fn _PySet_NextEntry(vm: &VirtualMachine, set: *mut PyObject, pos: *mut Py_ssize_t, key: *mut *mut PyObject, hash: *mut Py_hash_t) -> PyResult<c_int> {
    let set = any_set(vm, set)?;
    if pos.is_null() || key.is_null() || hash.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller passes a valid position.
    let at = unsafe { *pos };
    let elements = set.elements();
    if at < 0 || at as usize >= elements.len() {
        return Ok(0);
    }
    let element = &elements[at as usize];
    let element_hash = element.hash(vm)?;
    // SAFETY: the caller passes writable outputs.
    unsafe {
        *pos = at + 1;
        *key = borrowed(vm, element);
        *hash = element_hash as Py_hash_t;
    }
    Ok(1)
}

/// The names of `set`'s in-place operators (`|=`, `&=`, `-=`, `^=`).
const INPLACE_NAMES: [&str; 4] = ["__ior__", "__iand__", "__isub__", "__ixor__"];

/// The host's in-place operators of `set`, kept by
/// `install_inplace_fallback`, in the order of `INPLACE_NAMES`.
static HOST_SET_INPLACE: std::sync::OnceLock<[rustpython_vm::protocol::PyNumberBinaryFunc; 4]> = std::sync::OnceLock::new();

/// `s |= other` with an `other` that is not a set (a dict's keys view)
/// falls back to `s = s | other`, as in CPython, whose in-place operators
/// return NotImplemented there; the host raised TypeError (fontTools'
/// `set |= dict.keys()`, pydantic). For every program, C or not.
pub(crate) fn install_inplace_fallback(vm: &VirtualMachine) {
    let slots = &vm.ctx.types.set_type.slots.as_number;
    let (Some(or), Some(and), Some(sub), Some(xor)) =
        (slots.inplace_or.load(), slots.inplace_and.load(), slots.inplace_subtract.load(), slots.inplace_xor.load())
    else {
        return;
    };
    if HOST_SET_INPLACE.set([or, and, sub, xor]).is_err() {
        return;
    }
    fn with_sets_only<const WHICH: usize>(a: &rustpython_vm::PyObject, b: &rustpython_vm::PyObject, vm: &VirtualMachine) -> PyResult {
        let types = &vm.ctx.types;
        if !b.class().fast_issubclass(types.set_type) && !b.class().fast_issubclass(types.frozenset_type) {
            return Ok(vm.ctx.not_implemented());
        }
        HOST_SET_INPLACE.get().expect("installed before use")[WHICH](a, b, vm)
    }
    slots.inplace_or.store(Some(with_sets_only::<0>));
    slots.inplace_and.store(Some(with_sets_only::<1>));
    slots.inplace_subtract.store(Some(with_sets_only::<2>));
    slots.inplace_xor.store(Some(with_sets_only::<3>));
    // A subclass's slots call the methods in `set`'s dict: the same there.
    fn method<const WHICH: usize>(args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult {
        let (zelf, other): (rustpython_vm::PyObjectRef, rustpython_vm::PyObjectRef) = args.bind(vm)?;
        if !zelf.class().fast_issubclass(vm.ctx.types.set_type) {
            let name = INPLACE_NAMES[WHICH];
            return Err(vm.new_type_error(format!("descriptor '{name}' requires a 'set' object but received a '{}'", crate::types::tp_name(vm, zelf.class()))));
        }
        with_sets_only::<WHICH>(&zelf, &other, vm)
    }
    let set = vm.ctx.types.set_type;
    let methods: [fn(rustpython_vm::function::FuncArgs, &VirtualMachine) -> PyResult; 4] = [method::<0>, method::<1>, method::<2>, method::<3>];
    for (name, f) in INPLACE_NAMES.into_iter().zip(methods) {
        let def = vm.ctx.new_method_def(name, f, rustpython_vm::function::PyMethodFlags::METHOD, rustpython_vm::function::ItemDoc::NONE);
        set.set_attr(vm.ctx.intern_str(name), def.build_method(set, vm).into());
    }
}
