//! dictobject.h. Values handed out as borrowed references stay valid at
//! least until the current call from Python returns (see `borrow`).
use super::{bad_internal_call, c_str_arg};
use crate::borrow::borrowed;
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyDict, PyDictRef};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

trait AsObjectRef {
    fn as_object_ref(&self) -> &PyObjectRef;
}
impl AsObjectRef for PyDictRef {
    fn as_object_ref(&self) -> &PyObjectRef {
        // PyRef<T> derefs to its object; this names it as a PyObjectRef.
        unsafe { &*(self as *const PyDictRef as *const PyObjectRef) }
    }
}

/// The host dict of C's argument `p`. When the caller is done with it, C's
/// view of the dict (`ma_used`) is brought up to date: whatever the call
/// changed is seen by code that reads the struct (PyO3 does).
fn as_dict(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<DictArg> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    let dict = to_host(vm, p)?.downcast::<PyDict>().map_err(|_| bad_internal_call(vm))?;
    Ok(DictArg { dict, proxy: p })
}

/// The host dict of C's argument `p`, for functions that only read it: the
/// struct is left as the hand-over made it (a dict walk stays a lookup).
fn read_dict(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyDictRef> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    to_host(vm, p)?.downcast::<PyDict>().map_err(|_| bad_internal_call(vm))
}

/// A dict C passed in, with its proxy (see `as_dict`).
struct DictArg {
    dict: PyDictRef,
    proxy: *mut PyObject,
}

impl std::ops::Deref for DictArg {
    type Target = PyDictRef;
    fn deref(&self) -> &PyDictRef {
        &self.dict
    }
}

impl Drop for DictArg {
    fn drop(&mut self) {
        // SAFETY: `proxy` is the proxy C passed for this dict, which C
        // holds for the length of the call (I8); under the GIL (I1).
        unsafe { sync_struct(self.proxy, &self.dict) };
    }
}

/// The fields of CPython's `PyDictObject` C may read: the size, and a
/// version that changes each time it is written. Also as a dict is handed
/// to C again (Python may have changed its size meanwhile).
///
/// # Safety
/// `proxy` is the live proxy of `dict`, under the GIL.
pub(crate) unsafe fn sync_struct(proxy: *mut PyObject, dict: &PyDict) {
    static VERSION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    // Proxies made before the dict had a struct, or of another layout
    // (an instance of a C subtype is its own struct, which starts with
    // PyDictObject too): only write within the memory there is.
    // SAFETY: a registered header, read under the GIL (I1, I2).
    let room = proxy::header(proxy).map_or(0, |h| unsafe { h.as_ref().size } as usize);
    if room < size_of::<crate::ffi::PyDictObject>() {
        return;
    }
    let view = proxy as *mut crate::ffi::PyDictObject;
    let used = dict.__len__() as Py_ssize_t;
    // SAFETY: the proxy has room for the struct (checked above).
    unsafe {
        if (*view).ma_used != used || (*view).ma_version_tag == 0 {
            (*view).ma_used = used;
            (*view).ma_version_tag = VERSION.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// Object-model hook (through `PROXY_BODIES`): a dict's proxy carries
/// CPython's `PyDictObject`.
pub(crate) fn proxy_struct_size(_vm: &VirtualMachine, obj: &PyObjectRef) -> Option<usize> {
    obj.downcast_ref::<PyDict>().map(|_| size_of::<crate::ffi::PyDictObject>())
}

/// Fills a new dict proxy's struct.
pub(crate) fn fill_proxy_struct(_vm: &VirtualMachine, obj: &PyObjectRef, proxy: *mut PyObject) {
    if let Some(dict) = obj.downcast_ref::<PyDict>() {
        // SAFETY: the object model calls this on a new proxy of `obj` sized
        // by `proxy_struct_size`, under the GIL.
        unsafe { sync_struct(proxy, dict) };
    }
}


/// Sets (Some) or deletes (None) `key` in `dict`, keeping a type whose
/// `tp_dict` it is in step.
fn store(vm: &VirtualMachine, dict: &PyDictRef, key: PyObjectRef, value: Option<PyObjectRef>) -> PyResult<()> {
    crate::ctype::before_type_dict_write(vm, dict.as_object_ref(), &key, value.clone())?;
    match value {
        Some(value) => dict.inner_setitem(&*key, value, vm),
        None => raw_delete(vm, dict, key),
    }
}

/// Deletes through dict's own method, so a subclass's __delitem__ is bypassed
/// as in CPython.
fn raw_delete(vm: &VirtualMachine, dict: &PyDictRef, key: PyObjectRef) -> PyResult<()> {
    let delete = vm.ctx.types.dict_type.as_object().get_attr("__delitem__", vm)?;
    delete.call((dict.clone(), key), vm)?;
    Ok(())
}

fn string_key(vm: &VirtualMachine, key: *const c_char) -> PyResult<PyObjectRef> {
    let text = c_str_arg(vm, key)?;
    // A keyword name just passed (PyArg_ParseTupleAndKeywords looks each
    // one up by its C name) is the interned str already in the dict, its
    // hash known: no new str to make and hash.
    if let Some(known) = super::r#abstract::recent_keyword(text) {
        return Ok(known.to_owned().into());
    }
    Ok(vm.ctx.new_str(text).into())
}

#[cpython_api]
fn PyDict_New(vm: &VirtualMachine) -> *mut PyObject {
    into_ref(vm, vm.ctx.new_dict().into())
}

/// Lookup errors are swallowed, as in CPython's PyDict_GetItem.
#[cpython_api]
fn PyDict_GetItem(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    let lookup = || -> PyResult<Option<PyObjectRef>> {
        let dict = read_dict(vm, p)?;
        dict.inner_getitem_opt(&*to_host(vm, key)?, vm)
    };
    match lookup() {
        Ok(Some(v)) => borrowed(vm, &v),
        _ => std::ptr::null_mut(),
    }
}

#[cpython_api]
fn PyDict_GetItemWithError(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    let dict = read_dict(vm, p)?;
    Ok(match dict.inner_getitem_opt(&*to_host(vm, key)?, vm)? {
        Some(v) => borrowed(vm, &v),
        None => std::ptr::null_mut(),
    })
}

#[cpython_api]
fn PyDict_GetItemString(vm: &VirtualMachine, p: *mut PyObject, key: *const c_char) -> *mut PyObject {
    let lookup = || -> PyResult<Option<PyObjectRef>> {
        let dict = read_dict(vm, p)?;
        dict.inner_getitem_opt(&*string_key(vm, key)?, vm)
    };
    match lookup() {
        Ok(Some(v)) => borrowed(vm, &v),
        _ => std::ptr::null_mut(),
    }
}

#[cpython_api]
fn PyDict_SetItem(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject, val: *mut PyObject) -> PyResult<c_int> {
    let dict = as_dict(vm, p)?;
    if key.is_null() || val.is_null() {
        return Err(bad_internal_call(vm));
    }
    let (key_host, val_host) = (to_host(vm, key)?, to_host(vm, val)?);
    store(vm, &dict, key_host, Some(val_host))?;
    proxy::pin_to_host(vm, key);
    proxy::pin_to_host(vm, val);
    Ok(0)
}

#[cpython_api]
fn PyDict_SetItemString(vm: &VirtualMachine, p: *mut PyObject, key: *const c_char, val: *mut PyObject) -> PyResult<c_int> {
    let dict = as_dict(vm, p)?;
    if val.is_null() {
        return Err(bad_internal_call(vm));
    }
    let (key, val_host) = (string_key(vm, key)?, to_host(vm, val)?);
    store(vm, &dict, key, Some(val_host))?;
    proxy::pin_to_host(vm, val);
    Ok(0)
}

#[cpython_api]
fn PyDict_DelItem(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject) -> PyResult<c_int> {
    let dict = as_dict(vm, p)?;
    let key = to_host(vm, key)?;
    store(vm, &dict, key, None)?;
    Ok(0)
}

#[cpython_api]
fn PyDict_DelItemString(vm: &VirtualMachine, p: *mut PyObject, key: *const c_char) -> PyResult<c_int> {
    let dict = as_dict(vm, p)?;
    let key = string_key(vm, key)?;
    store(vm, &dict, key, None)?;
    Ok(0)
}

#[cpython_api]
fn PyDict_Contains(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject) -> PyResult<c_int> {
    let dict = read_dict(vm, p)?;
    Ok(dict.inner_getitem_opt(&*to_host(vm, key)?, vm)?.is_some() as c_int)
}

/// Also without the GIL (see `read_maybe_without_gil`).
#[cpython_api(no_gil)]
unsafe fn PyDict_Size(p: *mut PyObject) -> PyResult<Py_ssize_t> {
    super::read_maybe_without_gil(
        |vm| Ok(read_dict(vm, p)?.__len__() as Py_ssize_t),
        // SAFETY: C passes a dict it holds (I8).
        || unsafe { super::host_without_gil(p) }
            .and_then(|host| host.downcast_ref::<rustpython_vm::builtins::PyDict>())
            .map_or(0, |d| d.__len__() as Py_ssize_t),
    )
}

fn entries(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<Vec<(PyObjectRef, PyObjectRef)>> {
    let dict = read_dict(vm, p)?;
    Ok(dict.into_iter().collect())
}

#[cpython_api]
fn PyDict_Keys(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<*mut PyObject> {
    let keys = entries(vm, p)?.into_iter().map(|(k, _)| k).collect();
    Ok(into_ref(vm, vm.ctx.new_list(keys).into()))
}

#[cpython_api]
fn PyDict_Values(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<*mut PyObject> {
    let values = entries(vm, p)?.into_iter().map(|(_, v)| v).collect();
    Ok(into_ref(vm, vm.ctx.new_list(values).into()))
}

#[cpython_api]
fn PyDict_Items(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<*mut PyObject> {
    let items = entries(vm, p)?
        .into_iter()
        .map(|(k, v)| vm.ctx.new_tuple(vec![k, v]).into())
        .collect();
    Ok(into_ref(vm, vm.ctx.new_list(items).into()))
}

/// Walks the dict by position; keys and values are borrowed references.
#[cpython_api]
unsafe fn PyDict_Next(vm: &VirtualMachine, p: *mut PyObject, ppos: *mut Py_ssize_t, pkey: *mut *mut PyObject, pvalue: *mut *mut PyObject) -> c_int {
    let Ok(dict) = read_dict(vm, p) else { return 0 };
    let position = *ppos;
    if position < 0 {
        return 0;
    }
    match dict.next_entry(position as usize) {
        Some((next, key, value)) => {
            *ppos = next as Py_ssize_t;
            if !pkey.is_null() {
                *pkey = borrowed(vm, &key);
            }
            if !pvalue.is_null() {
                *pvalue = borrowed(vm, &value);
            }
            1
        }
        None => 0,
    }
}

#[cpython_api]
fn PyDict_Copy(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<*mut PyObject> {
    let dict = read_dict(vm, p)?;
    Ok(into_ref(vm, rustpython_vm::PyRef::new_ref(dict.copy(), vm.ctx.types.dict_type.to_owned(), None).into()))
}

/// What `merge` does with a key `a` already has.
#[derive(Clone, Copy, PartialEq)]
enum OnDuplicate {
    Keep,
    Replace,
    /// `_PyDict_MergeEx`'s override 2 (the `**` of a call): KeyError.
    Raise,
}

fn merge(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, override_: bool) -> PyResult<c_int> {
    merge_with(vm, a, b, if override_ { OnDuplicate::Replace } else { OnDuplicate::Keep })
}

fn merge_with(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, on_duplicate: OnDuplicate) -> PyResult<c_int> {
    let target = as_dict(vm, a)?;
    if b.is_null() {
        return Err(bad_internal_call(vm));
    }
    let source = to_host(vm, b)?;
    // A dict (subclasses too) is read raw, as CPython does; other mappings
    // through keys() and __getitem__.
    let pairs: Vec<(PyObjectRef, Option<PyObjectRef>)> = if let Some(d) = source.downcast_ref::<PyDict>() {
        d.into_iter().map(|(k, v)| (k, Some(v))).collect()
    } else {
        let keys = vm.call_method(&source, "keys", ())?;
        keys.get_iter(vm)?.iter::<PyObjectRef>(vm)?.map(|k| k.map(|k| (k, None))).collect::<PyResult<Vec<_>>>()?
    };
    for (key, value) in pairs {
        let present = on_duplicate != OnDuplicate::Replace && target.inner_getitem_opt(&*key, vm)?.is_some();
        if present && on_duplicate == OnDuplicate::Raise {
            return Err(vm.new_key_error(key));
        }
        if !present {
            let value = match value {
                Some(v) => v,
                None => source.get_item(&*key, vm)?,
            };
            store(vm, &target, key, Some(value))?;
        }
    }
    Ok(0)
}

#[cpython_api]
fn PyDict_Update(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> PyResult<c_int> {
    merge(vm, a, b, true)
}

#[cpython_api]
fn PyDict_Merge(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, override_: c_int) -> PyResult<c_int> {
    merge(vm, a, b, override_ != 0)
}

/// `PyDict_Merge`, where `override_` 2 makes a key `a` already has a
/// KeyError (naming the key) rather than kept or replaced.
#[cpython_api]
fn _PyDict_MergeEx(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, override_: c_int) -> PyResult<c_int> {
    let on_duplicate = match override_ {
        0 => OnDuplicate::Keep,
        1 => OnDuplicate::Replace,
        _ => OnDuplicate::Raise,
    };
    merge_with(vm, a, b, on_duplicate)
}

/// Deletes `key` when `predicate` says so of its value (1, or -1 for an
/// error it set); 0 either way, -1 with KeyError when the key is missing.
///
/// # Safety
/// `predicate` must be a function C can call with a borrowed value.
#[cpython_api]
unsafe fn _PyDict_DelItemIf(vm: &VirtualMachine, mp: *mut PyObject, key: *mut PyObject, predicate: Option<unsafe extern "C" fn(*mut PyObject) -> c_int>) -> PyResult<c_int> {
    let dict = as_dict(vm, mp)?;
    let key = to_host(vm, key)?;
    let predicate = predicate.ok_or_else(|| bad_internal_call(vm))?;
    let Some(value) = dict.inner_getitem_opt(&*key, vm)? else { return Err(vm.new_key_error(key)) };
    let value = borrowed(vm, &value);
    // SAFETY: the caller's predicate, given a value the current frame keeps alive.
    match unsafe { predicate(value) } {
        r if r < 0 => Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| bad_internal_call(vm))),
        0 => Ok(0),
        _ => {
            store(vm, &dict, key, None)?;
            Ok(0)
        }
    }
}

/// `dict.__sizeof__()` (the host's figure).
#[cpython_api]
fn _PyDict_SizeOf(vm: &VirtualMachine, mp: *mut PyObject) -> PyResult<Py_ssize_t> {
    let dict = as_dict(vm, mp)?;
    let size = vm.call_method(dict.as_object(), "__sizeof__", ())?;
    size.try_into_value::<Py_ssize_t>(vm)
}

/// Statistics of the dict free lists: the layer keeps none, so there is
/// nothing to write.
#[cpython_api]
fn _PyDict_DebugMallocStats(_out: *mut libc::FILE) {}

/// A `keys()`, `values()` or `items()` view of `dict`, by the view type.
#[cpython_api]
fn _PyDictView_New(vm: &VirtualMachine, dict: *mut PyObject, view_type: *mut crate::ffi::PyTypeObject) -> PyResult<*mut PyObject> {
    if dict.is_null() {
        return Err(bad_internal_call(vm));
    }
    let dict = to_host(vm, dict)?;
    let wanted = crate::ctype::class_of_type(vm, view_type)?;
    let Some(dict) = dict.downcast_ref::<PyDict>() else {
        return Err(vm.new_type_error(format!("{}() requires a dict argument, not '{}'", wanted.name(), crate::types::tp_name(vm, dict.class()))));
    };
    for method in ["keys", "values", "items"] {
        let view = vm.call_method(dict.as_object(), method, ())?;
        if view.class().is(&wanted) {
            return Ok(into_ref(vm, view));
        }
    }
    Err(bad_internal_call(vm))
}

/// `view & other` for a keys or items view: a set of what both have.
#[cpython_api]
fn _PyDictView_Intersect(vm: &VirtualMachine, view: *mut PyObject, other: *mut PyObject) -> PyResult<*mut PyObject> {
    let (view, other) = (to_host(vm, view)?, to_host(vm, other)?);
    Ok(into_ref(vm, vm._and(&view, &other)?))
}

#[cpython_api]
fn PyDict_Clear(vm: &VirtualMachine, p: *mut PyObject) {
    if let Ok(dict) = as_dict(vm, p) {
        dict.clear();
    }
}


/// Borrowed: the value now stored under `key`.
#[cpython_api]
fn PyDict_SetDefault(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject, defaultobj: *mut PyObject) -> PyResult<*mut PyObject> {
    let dict = as_dict(vm, p)?;
    let key_host = to_host(vm, key)?;
    let value = match dict.inner_getitem_opt(&*key_host, vm)? {
        Some(v) => v,
        None => {
            let v = to_host(vm, defaultobj)?;
            store(vm, &dict, key_host, Some(v.clone()))?;
            proxy::pin_to_host(vm, key);
            proxy::pin_to_host(vm, defaultobj);
            v
        }
    };
    Ok(borrowed(vm, &value))
}

/// Each element of `seq2` must be a 2-item sequence (key, value).
#[cpython_api]
fn PyDict_MergeFromSeq2(vm: &VirtualMachine, a: *mut PyObject, seq2: *mut PyObject, override_: c_int) -> PyResult<c_int> {
    let dict = as_dict(vm, a)?;
    let seq = to_host(vm, seq2)?;
    let items: Vec<PyObjectRef> = seq.get_iter(vm)?.iter::<PyObjectRef>(vm)?.collect::<PyResult<_>>()?;
    for (i, item) in items.into_iter().enumerate() {
        let pair: Vec<PyObjectRef> = match item.get_iter(vm) {
            Ok(it) => it.iter::<PyObjectRef>(vm)?.collect::<PyResult<_>>()?,
            Err(e) if e.fast_isinstance(vm.ctx.exceptions.type_error) => {
                return Err(vm.new_type_error(format!(
                    "cannot convert dictionary update sequence element #{i} to a sequence"
                )));
            }
            Err(e) => return Err(e),
        };
        if pair.len() != 2 {
            return Err(vm.new_value_error(format!(
                "dictionary update sequence element #{i} has length {}; 2 is required",
                pair.len()
            )));
        }
        let mut pair = pair.into_iter();
        let (key, value) = (pair.next().unwrap(), pair.next().unwrap());
        if override_ != 0 || dict.inner_getitem_opt(&*key, vm)?.is_none() {
            dict.inner_setitem(&*key, value, vm)?;
        }
    }
    Ok(0)
}

/// A new empty dict; the host sizes its table by itself.
#[cpython_api]
fn _PyDict_NewPresized(vm: &VirtualMachine, _minused: Py_ssize_t) -> *mut PyObject {
    into_ref(vm, vm.ctx.new_dict().into())
}

/// PyDict_GetItemWithError for a key whose hash the caller knows.
#[cpython_api]
fn _PyDict_GetItem_KnownHash(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject, _hash: crate::ffi::Py_hash_t) -> PyResult<*mut PyObject> {
    let dict = read_dict(vm, p)?;
    Ok(match dict.inner_getitem_opt(&*to_host(vm, key)?, vm)? {
        Some(v) => borrowed(vm, &v),
        None => std::ptr::null_mut(),
    })
}

/// PyDict_SetItem for a key whose hash the caller knows.
#[cpython_api]
fn _PyDict_SetItem_KnownHash(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject, val: *mut PyObject, _hash: crate::ffi::Py_hash_t) -> PyResult<c_int> {
    let dict = as_dict(vm, p)?;
    if key.is_null() || val.is_null() {
        return Err(bad_internal_call(vm));
    }
    let (key_host, val_host) = (to_host(vm, key)?, to_host(vm, val)?);
    dict.inner_setitem(&*key_host, val_host, vm)?;
    proxy::pin_to_host(vm, key);
    proxy::pin_to_host(vm, val);
    Ok(0)
}

/// `dict.pop(key[, deflt])` on the dict itself (a subclass's methods are
/// bypassed); KeyError(key) when missing without a default.
#[cpython_api]
fn _PyDict_Pop(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject, deflt: *mut PyObject) -> PyResult<*mut PyObject> {
    let dict = as_dict(vm, p)?;
    let key = to_host(vm, key)?;
    match dict.inner_getitem_opt(&*key, vm)? {
        Some(value) => {
            store(vm, &dict, key, None)?;
            Ok(into_ref(vm, value))
        }
        None => match proxy::opt_to_host(vm, deflt)? {
            Some(default) => Ok(into_ref(vm, default)),
            None => Err(vm.new_key_error(key)),
        },
    }
}

#[cpython_api]
fn _PyDict_DelItem_KnownHash(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject, _hash: crate::ffi::Py_hash_t) -> PyResult<c_int> {
    PyDict_DelItem_impl(vm, p, to_host(vm, key)?)
}

#[cpython_api]
fn _PyDict_Contains_KnownHash(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject, _hash: crate::ffi::Py_hash_t) -> PyResult<c_int> {
    let dict = read_dict(vm, p)?;
    Ok(dict.inner_getitem_opt(&*to_host(vm, key)?, vm)?.is_some() as c_int)
}

/// Deletes `key` from the dict itself, keeping a C type's dict in step.
#[allow(non_snake_case)]
fn PyDict_DelItem_impl(vm: &VirtualMachine, p: *mut PyObject, key: PyObjectRef) -> PyResult<c_int> {
    let dict = as_dict(vm, p)?;
    store(vm, &dict, key, None)?;
    Ok(0)
}

#[cpython_api]
fn _PyDict_GetItemWithError(vm: &VirtualMachine, p: *mut PyObject, key: *mut PyObject) -> PyResult<*mut PyObject> {
    let dict = read_dict(vm, p)?;
    Ok(match dict.inner_getitem_opt(&*to_host(vm, key)?, vm)? {
        Some(v) => borrowed(vm, &v),
        None => std::ptr::null_mut(),
    })
}

/// Borrowed; NULL without an error when missing, with one when the key is
/// not valid UTF-8.
#[cpython_api]
fn _PyDict_GetItemStringWithError(vm: &VirtualMachine, p: *mut PyObject, key: *const c_char) -> PyResult<*mut PyObject> {
    let dict = read_dict(vm, p)?;
    Ok(match dict.inner_getitem_opt(&*string_key(vm, key)?, vm)? {
        Some(v) => borrowed(vm, &v),
        None => std::ptr::null_mut(),
    })
}

/// # Safety
/// `key` must point to a static identifier.
#[cpython_api]
unsafe fn _PyDict_GetItemIdWithError(vm: &VirtualMachine, p: *mut PyObject, key: *mut super::r#abstract::Identifier) -> PyResult<*mut PyObject> {
    let dict = read_dict(vm, p)?;
    // SAFETY: forwarded from the caller.
    let key = unsafe { super::r#abstract::identifier_name(vm, key)? };
    Ok(match dict.inner_getitem_opt(&*key, vm)? {
        Some(v) => borrowed(vm, &v),
        None => std::ptr::null_mut(),
    })
}

/// # Safety
/// `key` must point to a static identifier.
#[cpython_api]
unsafe fn _PyDict_SetItemId(vm: &VirtualMachine, p: *mut PyObject, key: *mut super::r#abstract::Identifier, item: *mut PyObject) -> PyResult<c_int> {
    let dict = as_dict(vm, p)?;
    // SAFETY: forwarded from the caller.
    let key = unsafe { super::r#abstract::identifier_name(vm, key)? };
    let value = to_host(vm, item)?;
    store(vm, &dict, key, Some(value))?;
    proxy::pin_to_host(vm, item);
    Ok(0)
}

/// # Safety
/// `key` must point to a static identifier.
#[cpython_api]
unsafe fn _PyDict_DelItemId(vm: &VirtualMachine, p: *mut PyObject, key: *mut super::r#abstract::Identifier) -> PyResult<c_int> {
    // SAFETY: forwarded from the caller.
    let key = unsafe { super::r#abstract::identifier_name(vm, key)? };
    PyDict_DelItem_impl(vm, p, key)
}

/// # Safety
/// `key` must point to a static identifier.
#[cpython_api]
unsafe fn _PyDict_ContainsId(vm: &VirtualMachine, p: *mut PyObject, key: *mut super::r#abstract::Identifier) -> PyResult<c_int> {
    let dict = read_dict(vm, p)?;
    // SAFETY: forwarded from the caller.
    let key = unsafe { super::r#abstract::identifier_name(vm, key)? };
    Ok(dict.inner_getitem_opt(&*key, vm)?.is_some() as c_int)
}

/// PyDict_Next that also gives each key's hash.
///
/// # Safety
/// `ppos` must point to a position that started at 0; the outputs to
/// writable storage or NULL.
#[cpython_api]
unsafe fn _PyDict_Next(vm: &VirtualMachine, p: *mut PyObject, ppos: *mut Py_ssize_t, pkey: *mut *mut PyObject, pvalue: *mut *mut PyObject, phash: *mut crate::ffi::Py_hash_t) -> c_int {
    let Ok(dict) = read_dict(vm, p) else { return 0 };
    // SAFETY: the caller passes a valid position.
    let position = unsafe { *ppos };
    if position < 0 {
        return 0;
    }
    let Some((next, key, value)) = dict.next_entry(position as usize) else { return 0 };
    // Keys in a dict were hashed when stored: hashing again cannot fail.
    let hash = key.hash(vm).unwrap_or(-1);
    // SAFETY: the caller passes writable outputs (or NULL).
    unsafe {
        *ppos = next as Py_ssize_t;
        if !pkey.is_null() {
            *pkey = borrowed(vm, &key);
        }
        if !pvalue.is_null() {
            *pvalue = borrowed(vm, &value);
        }
        if !phash.is_null() {
            *phash = hash as crate::ffi::Py_hash_t;
        }
    }
    1
}

/// Whether every key is a str.
#[cpython_api]
fn _PyDict_HasOnlyStringKeys(vm: &VirtualMachine, p: *mut PyObject) -> c_int {
    let Ok(dict) = read_dict(vm, p) else { return 0 };
    dict.into_iter().all(|(k, _)| k.downcast_ref::<rustpython_vm::builtins::PyStr>().is_some()) as c_int
}

/// Nothing to do: the host collector decides what it tracks.
#[cpython_api]
fn _PyDict_MaybeUntrack(_mp: *mut PyObject) {}

/// `_PyDictViewObject`: a dict view C allocates itself with
/// `PyObject_GC_New(_PyDictViewObject, &PyDictKeys_Type)` and points at its
/// dict (mypyc's `CPyDict_KeysView` and friends).
#[repr(C)]
struct DictViewObject {
    ob_base: PyObject,
    dv_dict: *mut PyObject,
}

/// The object bytes of a dict view C allocates.
pub(crate) const DICT_VIEW_SIZE: usize = size_of::<DictViewObject>();

/// The dict method that makes a view of class `cls`, if it is a dict view class.
fn view_method(vm: &VirtualMachine, cls: &rustpython_vm::Py<rustpython_vm::builtins::PyType>) -> Option<&'static str> {
    let types = &vm.ctx.types;
    if cls.is(types.dict_keys_type) {
        Some("keys")
    } else if cls.is(types.dict_items_type) {
        Some("items")
    } else if cls.is(types.dict_values_type) {
        Some("values")
    } else {
        None
    }
}

/// Whether C allocating an instance of `cls` makes a dict view it fills in place.
pub(crate) fn is_dict_view_class(vm: &VirtualMachine, cls: &rustpython_vm::Py<rustpython_vm::builtins::PyType>) -> bool {
    view_method(vm, cls).is_some()
}

/// The host view of a dict view C allocated: the same view of the host of
/// its `dv_dict`, made when it first reaches Python.
pub(crate) fn dict_view_from_proxy(vm: &VirtualMachine, view: *mut PyObject) -> PyResult<PyObjectRef> {
    // SAFETY: a live pending view proxy of DICT_VIEW_SIZE bytes, read under the GIL.
    let (ob_type, dict) = unsafe { ((*view).ob_type, (*(view as *mut DictViewObject)).dv_dict) };
    let cls = to_host(vm, ob_type as *mut PyObject)?.downcast::<rustpython_vm::builtins::PyType>().map_err(|_| bad_internal_call(vm))?;
    let method = view_method(vm, &cls).ok_or_else(|| bad_internal_call(vm))?;
    if dict.is_null() {
        return Err(vm.new_system_error(format!("a dict_{method} view C allocated has no dict (dv_dict is NULL)")));
    }
    let dict = to_host(vm, dict)?;
    if dict.downcast_ref::<PyDict>().is_none() {
        return Err(vm.new_type_error(format!("dv_dict of a dict_{method} view must be a dict, not {}", crate::types::tp_name(vm, dict.class()))));
    }
    vm.call_method(vm.ctx.types.dict_type.as_object(), method, (dict,))
}

/// Gives back the reference a C-allocated view's `dv_dict` owns, when its
/// proxy (of DICT_VIEW_SIZE object bytes) is freed.
pub(crate) fn release_view_struct(view: *mut PyObject) {
    // SAFETY: a registered proxy about to be freed, under the GIL (I1); its
    // type object is a readied type (I7).
    unsafe {
        let cls = (*view).ob_type;
        let is_view = [&raw mut crate::types::PyDictKeys_Type, &raw mut crate::types::PyDictItems_Type, &raw mut crate::types::PyDictValues_Type].contains(&cls);
        if is_view {
            let dict = std::mem::replace(&mut (*(view as *mut DictViewObject)).dv_dict, std::ptr::null_mut());
            proxy::xdecref(dict);
        }
    }
}
