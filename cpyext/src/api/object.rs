//! object.h: reference counting, identity, the generic object protocol.
use super::{bad_internal_call, c_str_arg};
use crate::ffi::{self, PyObject, PyTypeObject, Py_hash_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyStr, PyStrRef, PyType};
use super::r#abstract::{identifier_name, Identifier};
use rustpython_vm::types::PyComparisonOp;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_ulong};

/// A count C drove to zero. Once the interpreter has ended, a release from
/// a thread without the GIL frees nothing: the process is exiting, and the
/// caller is a C++ static's destructor, a C `atexit` handler or an ELF
/// destructor that lets go of a reference it kept (pybind11's `py::object`
/// in a static: pikepdf's logger). CPython's count there does not reach zero
/// while Python holds the object too (the proxy counts C's references only),
/// and CPython checks no GIL. Anywhere else it is the fatal error.
#[cpython_api(no_gil)]
fn _Py_Dealloc(op: *mut PyObject) {
    if !release_allowed("_Py_Dealloc") {
        return;
    }
    proxy::dealloc(op)
}

/// Whether a release may go on: the GIL is held, or else the interpreter
/// has ended (then false: nothing is freed); otherwise the fatal error that
/// `enter_api` gives a C-API call without the GIL.
fn release_allowed(name: &str) -> bool {
    if crate::gil::held() {
        return true;
    }
    if crate::api::pylifecycle::interpreter_ended() {
        return false;
    }
    crate::boundary::fatal_without_gil(name)
}

#[cpython_api]
fn Py_Is(x: *mut PyObject, y: *mut PyObject) -> c_int {
    (x == y) as c_int
}

#[cpython_api]
fn Py_IsNone(x: *mut PyObject) -> c_int {
    (x == &raw mut crate::types::_Py_NoneStruct) as c_int
}

#[cpython_api]
fn Py_IsTrue(x: *mut PyObject) -> c_int {
    (x == &raw mut crate::types::_Py_TrueStruct as *mut PyObject) as c_int
}

#[cpython_api]
fn Py_IsFalse(x: *mut PyObject) -> c_int {
    (x == &raw mut crate::types::_Py_FalseStruct as *mut PyObject) as c_int
}

#[cpython_api]
fn PyType_IsSubtype(vm: &VirtualMachine, a: *mut PyTypeObject, b: *mut PyTypeObject) -> PyResult<c_int> {
    if a == b {
        return Ok(1);
    }
    // A static type never readied is in no type's MRO: 0, as CPython's walk
    // of a's MRO answers (Boost.Python asks it of its metatype before any
    // class exists).
    // SAFETY: C passes a type object; its flags are a plain field.
    if !b.is_null() && unsafe { (*b).tp_flags } & ffi::Py_TPFLAGS_READY as c_ulong == 0 {
        return Ok(0);
    }
    let a = to_host(vm, a as *mut PyObject)?;
    let b = to_host(vm, b as *mut PyObject)?;
    match (a.downcast_ref::<PyType>(), b.downcast_ref::<PyType>()) {
        (Some(a), Some(b)) => Ok(a.fast_issubclass(b) as c_int),
        _ => Err(bad_internal_call(vm)),
    }
}

#[cpython_api]
unsafe fn PyType_GetFlags(t: *mut PyTypeObject) -> c_ulong {
    (*t).tp_flags
}

#[cpython_api]
fn PyObject_Repr(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Ok(into_ref(vm, vm.ctx.new_str("<NULL>").into()));
    }
    let repr = to_host(vm, o)?.repr(vm)?;
    Ok(into_ref(vm, repr.into()))
}

/// `ascii(o)`; "<NULL>" for NULL, as `PyObject_Repr` does.
#[cpython_api]
fn PyObject_ASCII(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Ok(into_ref(vm, vm.ctx.new_str("<NULL>").into()));
    }
    let ascii = vm.builtins.get_attr("ascii", vm)?.call((to_host(vm, o)?,), vm)?;
    Ok(into_ref(vm, ascii))
}

#[cpython_api]
fn PyObject_Str(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Ok(into_ref(vm, vm.ctx.new_str("<NULL>").into()));
    }
    let s = to_host(vm, o)?.str(vm)?;
    Ok(into_ref(vm, s.into()))
}

fn comparison_op(vm: &VirtualMachine, op: c_int) -> PyResult<PyComparisonOp> {
    Ok(match op as u32 {
        ffi::Py_LT => PyComparisonOp::Lt,
        ffi::Py_LE => PyComparisonOp::Le,
        ffi::Py_EQ => PyComparisonOp::Eq,
        ffi::Py_NE => PyComparisonOp::Ne,
        ffi::Py_GT => PyComparisonOp::Gt,
        ffi::Py_GE => PyComparisonOp::Ge,
        _ => return Err(bad_internal_call(vm)),
    })
}

#[cpython_api]
fn PyObject_RichCompare(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    let op = comparison_op(vm, op)?;
    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
    Ok(into_ref(vm, running_python(vm, || a.rich_compare(b, op, vm))?))
}

#[cpython_api]
fn PyObject_RichCompareBool(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<c_int> {
    let op = comparison_op(vm, op)?;
    // Identity implies equality here, as in CPython (so nan == nan).
    if a == b {
        match op {
            PyComparisonOp::Eq => return Ok(1),
            PyComparisonOp::Ne => return Ok(0),
            _ => {}
        }
    }
    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
    Ok(running_python(vm, || a.rich_compare(b, op, vm)?.is_true(vm))? as c_int)
}

/// Host work that may run Python code (a property, `__eq__`,
/// `__getattr__`), done without the GIL as CPython's eval loop may let it
/// go: Python code there that waits on a thread entering C must not wait
/// for ever. C's own slots reached from it take the GIL back.
fn running_python<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    crate::gil::without_gil(vm, f)
}

fn attr_name(vm: &VirtualMachine, name: *const c_char) -> PyResult<rustpython_vm::builtins::PyStrRef> {
    Ok(vm.ctx.new_str(c_str_arg(vm, name)?))
}

/// An attribute name C passed, which must be a str.
pub(crate) fn name_object(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<rustpython_vm::builtins::PyStrRef> {
    let name = to_host(vm, name)?;
    name.downcast::<rustpython_vm::builtins::PyStr>().map_err(|n| {
        vm.new_type_error(format!("attribute name must be string, not '{}'", crate::types::tp_name(vm, n.class())))
    })
}

#[cpython_api]
fn PyObject_GetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = name_object(vm, name)?;
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, get_attribute(vm, &o, &name)?))
}

#[cpython_api]
fn PyObject_GetAttrString(vm: &VirtualMachine, o: *mut PyObject, name: *const c_char) -> PyResult<*mut PyObject> {
    let name = attr_name(vm, name)?;
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, get_attribute(vm, &o, &name)?))
}

/// An attribute lookup for C (`PyObject_GetAttr` and its private twins).
/// A module's own attribute is a dict lookup,
/// which runs no Python code, so the GIL stays held, as in CPython: C that
/// calls a module's function by name (`PyObject_CallMethod(module, ...)`)
/// lets no other thread in. Other lookups may run Python code.
fn get_attribute(vm: &VirtualMachine, o: &PyObjectRef, name: &rustpython_vm::Py<PyStr>) -> PyResult {
    if o.class().is(vm.ctx.types.module_type) {
        if let Some(value) = o.dict().and_then(|dict| dict.get_item_opt(name, vm).ok().flatten()) {
            return Ok(value);
        }
    }
    running_python(vm, || o.get_attr(name, vm))
}

fn set_or_delete(vm: &VirtualMachine, o: *mut PyObject, name: rustpython_vm::builtins::PyStrRef, v: *mut PyObject) -> PyResult<c_int> {
    if let Some(stored) = crate::ctype::set_attr_on_unreadied_type(vm, o, &name, v) {
        return stored.map(|()| 0);
    }
    let o = to_host(vm, o)?;
    if v.is_null() {
        running_python(vm, || o.del_attr(&name, vm))?;
    } else {
        let value = to_host(vm, v)?;
        running_python(vm, || o.set_attr(&name, value, vm))?;
        crate::proxy::pin_to_host(vm, v);
    }
    Ok(0)
}

#[cpython_api]
fn PyObject_SetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> PyResult<c_int> {
    let name = name_object(vm, name)?;
    set_or_delete(vm, o, name, v)
}

#[cpython_api]
fn PyObject_SetAttrString(vm: &VirtualMachine, o: *mut PyObject, name: *const c_char, v: *mut PyObject) -> PyResult<c_int> {
    let name = attr_name(vm, name)?;
    set_or_delete(vm, o, name, v)
}

/// CPython's HasAttr functions report any failure as "no such attribute".
#[cpython_api]
fn PyObject_HasAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject) -> c_int {
    let found = || -> PyResult<bool> {
        let name = name_object(vm, name)?;
        Ok(to_host(vm, o)?.get_attr(&name, vm).is_ok())
    };
    found().unwrap_or(false) as c_int
}

#[cpython_api]
fn PyObject_HasAttrString(vm: &VirtualMachine, o: *mut PyObject, name: *const c_char) -> c_int {
    let found = || -> PyResult<bool> {
        let name = attr_name(vm, name)?;
        Ok(to_host(vm, o)?.get_attr(&name, vm).is_ok())
    };
    found().unwrap_or(false) as c_int
}

#[cpython_api]
fn PyObject_Hash(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_hash_t> {
    let hash = to_host(vm, o)?.hash(vm)?;
    // -1 is the error value, so a hash of -1 is reported as -2.
    Ok(if hash == -1 { -2 } else { hash as Py_hash_t })
}

#[cpython_api]
fn PyObject_IsTrue(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    Ok(to_host(vm, o)?.is_true(vm)? as c_int)
}

#[cpython_api]
fn PyObject_Not(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    Ok(!to_host(vm, o)?.is_true(vm)? as c_int)
}

#[cpython_api]
fn PyCallable_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    if o.is_null() {
        return 0;
    }
    to_host(vm, o).map(|o| o.is_callable()).unwrap_or(false) as c_int
}


/// Attribute lookup without the type's own tp_getattro: `object.__getattribute__`.
#[cpython_api]
fn PyObject_GenericGetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = name_object(vm, name)?;
    crate::ctype::sync_struct_dict(vm, o);
    let obj = to_host(vm, o)?;
    if let Some(cls) = obj.downcast_ref::<PyType>() {
        return Ok(into_ref(vm, generic_getattr_of_class(vm, &obj, cls, &name)?));
    }
    // object.__getattribute__'s own lookup, called directly.
    Ok(into_ref(vm, obj.generic_getattr(&name, vm)?))
}

/// The generic lookup on a class as an object (C's PyObject_GenericGetAttr
/// on a type): its own namespace is its instance dict, so an attribute it
/// inherits is not found there (msgspec keeps per-class caches so). The
/// host's `object.__getattribute__` does not look in a class's namespace.
fn generic_getattr_of_class(vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef, cls: &PyType, name: &rustpython_vm::builtins::PyStrRef) -> PyResult {
    lookup_with_own(vm, obj, name, |name| cls.get_direct_attr(vm.ctx.intern_str(name.as_wtf8())))
}

#[cpython_api]
fn PyObject_GenericSetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<c_int> {
    generic_setattr(vm, o, name, value)
}

fn generic_setattr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<c_int> {
    let name = name_object(vm, name)?;
    crate::ctype::sync_struct_dict(vm, o);
    let o = to_host(vm, o)?;
    if let Some(cls) = o.downcast_ref::<PyType>() {
        // A class as an object: a data descriptor of its metaclass, else
        // its own namespace (the host's object.__setattr__ refuses types).
        let value = proxy::opt_to_host(vm, value)?;
        let interned = vm.ctx.intern_str(name.as_wtf8());
        if set_through_data_descriptor(vm, &o, &name, value.clone())? {
            return Ok(0);
        }
        match value {
            Some(v) => cls.set_attr(interned, v),
            None => {
                cls.modified();
                if cls.attributes.remove(interned).is_none() {
                    return Err(vm.new_attribute_error(format!("type object '{}' has no attribute '{name}'", cls.name())));
                }
            }
        }
        return Ok(0);
    }
    // object.__setattr__'s and __delattr__'s own store, called directly.
    let value = match proxy::opt_to_host(vm, value)? {
        Some(v) => rustpython_vm::function::PySetterValue::Assign(v),
        None => rustpython_vm::function::PySetterValue::Delete,
    };
    match o.generic_setattr(&name, value, vm) {
        Ok(()) => Ok(0),
        // CPython names a C type by its tp_name in its own message ('module.Type').
        Err(e) if crate::ctype::is_own_c_type(o.class()) => Err(crate::ctype::setattr_error_by_tp_name(vm, e, o.class(), &name)),
        Err(e) => Err(e),
    }
}

/// Sets (Some) or deletes (None) `obj.name` through a data descriptor of
/// its type, if the type has one there: whether it did.
fn set_through_data_descriptor(vm: &VirtualMachine, obj: &PyObjectRef, name: &PyStrRef, value: Option<PyObjectRef>) -> PyResult<bool> {
    let interned = vm.ctx.intern_str(name.as_wtf8());
    let Some((descr, setter)) = obj.class().get_attr(interned).and_then(|d| d.class().slots.descr_set.load().map(|set| (d, set))) else {
        return Ok(false);
    };
    let value = match value {
        Some(v) => rustpython_vm::function::PySetterValue::Assign(v),
        None => rustpython_vm::function::PySetterValue::Delete,
    };
    setter(&descr, obj.clone(), value, vm)?;
    Ok(true)
}

/// The tp_hash of unhashable types.
#[cpython_api]
fn PyObject_HashNotImplemented(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_hash_t> {
    let o = to_host(vm, o)?;
    Err(vm.new_type_error(format!("unhashable type: '{}'", crate::types::tp_name(vm, o.class()))))
}

/// The tp_iter of iterators: the object itself.
#[cpython_api]
fn PyObject_SelfIter(o: *mut PyObject) -> *mut PyObject {
    proxy::incref(o);
    o
}

/// Writes the object's repr (or str, with Py_PRINT_RAW) to a C stream.
#[cpython_api]
unsafe fn PyObject_Print(vm: &VirtualMachine, o: *mut PyObject, fp: *mut libc::FILE, flags: c_int) -> PyResult<c_int> {
    let text = if o.is_null() {
        "<nil>".to_owned()
    } else {
        let o = to_host(vm, o)?;
        if flags & 1 != 0 { o.str(vm)?.to_string() } else { o.repr(vm)?.to_string() }
    };
    let text = std::ffi::CString::new(text).map_err(|_| vm.new_value_error("embedded null character".to_owned()))?;
    if libc::fputs(text.as_ptr(), fp) < 0 {
        return Err(vm.new_os_error("cannot write to the stream".to_owned()));
    }
    Ok(0)
}

/// `bytes(o)` as CPython's `PyObject_Bytes` does it: `__bytes__` if the
/// type has one, else the conversion `PyBytes_FromObject` accepts (buffers
/// and iterables of ints, not str and not integers).
#[cpython_api]
fn PyObject_Bytes(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Ok(into_ref(vm, vm.ctx.new_bytes(b"<NULL>".to_vec()).into()));
    }
    let o = to_host(vm, o)?;
    if o.class().is(vm.ctx.types.bytes_type) {
        return Ok(into_ref(vm, o));
    }
    let dunder_bytes = vm.ctx.intern_str("__bytes__");
    if o.class().get_attr(dunder_bytes).is_some() {
        let result = vm.call_special_method(&o, dunder_bytes, ())?;
        if !result.fast_isinstance(vm.ctx.types.bytes_type) {
            return Err(vm.new_type_error(format!("__bytes__ returned non-bytes (type {})", crate::types::tp_name(vm, result.class()))));
        }
        return Ok(into_ref(vm, result));
    }
    let iterable = o.class().get_attr(vm.ctx.intern_str("__iter__")).is_some();
    let is_buffer = o.class().slots.as_buffer.load().is_some();
    if o.fast_isinstance(vm.ctx.types.str_type) || (!iterable && !is_buffer) {
        return Err(vm.new_type_error(format!("cannot convert '{}' object to bytes", crate::types::tp_name(vm, o.class()))));
    }
    let bytes = vm.ctx.types.bytes_type.as_object().call((o,), vm)?;
    Ok(into_ref(vm, bytes))
}

/// `dir(o)`, or `dir()` of the running Python frame for NULL.
#[cpython_api]
fn PyObject_Dir(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let dir = vm.builtins.get_attr("dir", vm)?;
    let names = match proxy::opt_to_host(vm, o)? {
        Some(o) => dir.call((o,), vm)?,
        None => dir.call((), vm)?,
    };
    Ok(into_ref(vm, names))
}

/// The `__dict__` getter of types with an instance dict.
#[cpython_api]
fn PyObject_GenericGetDict(vm: &VirtualMachine, o: *mut PyObject, _context: *mut std::ffi::c_void) -> PyResult<*mut PyObject> {
    crate::ctype::sync_struct_dict(vm, o);
    let dict = rustpython_vm::builtins::object_get_dict(to_host(vm, o)?, vm)?;
    Ok(into_ref(vm, dict.into()))
}

/// The `__dict__` setter of types with an instance dict. For a C type
/// with a dict field (`tp_dictoffset`), the new dict goes into the field
/// too, as in CPython: else the next generic lookup would find the old
/// dict there and merge the new one into it (a Cython function's
/// `f.__dict__ = {...}` kept the attributes set before).
#[cpython_api]
fn PyObject_GenericSetDict(vm: &VirtualMachine, o: *mut PyObject, value: *mut PyObject, _context: *mut std::ffi::c_void) -> PyResult<c_int> {
    let object = o;
    let o = to_host(vm, o)?;
    let value = match proxy::opt_to_host(vm, value)? {
        None => return Err(vm.new_type_error("cannot delete __dict__".to_owned())),
        Some(v) => v,
    };
    if value.downcast_ref::<rustpython_vm::builtins::PyDict>().is_none() {
        return Err(vm.new_type_error(format!("__dict__ must be set to a dictionary, not a '{}'", crate::types::tp_name(vm, value.class()))));
    }
    rustpython_vm::builtins::object_generic_set_dict(o, rustpython_vm::function::PySetterValue::Assign(value.clone()), vm)?;
    if let Some(field) = crate::ctype::dict_field(object) {
        // SAFETY: the dict field of a live instance, written under the GIL;
        // it owns its reference, so the old dict's is given back after the
        // field holds the new one (its release may run code).
        unsafe {
            let old = *field;
            *field = proxy::new_ref(vm, &value);
            proxy::xdecref(old);
        }
    }
    Ok(0)
}

/// 1 if `o` is already being repr'd in this thread (the host's own guard,
/// so Python reprs and C reprs see each other), else 0 and it now is.
/// The guard holds the object, as CPython's list of objects in repr does:
/// an extension that returns without `Py_ReprLeave` (llist's repr of an
/// empty list) leaves it alive, rather than a stale address that a later
/// object would reuse and be printed as `<...>`.
#[cpython_api]
fn Py_ReprEnter(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    let o = to_host(vm, o)?;
    let id = proxy::host_addr(&o);
    if !vm.repr_guards.borrow_mut().insert(id) {
        return Ok(1);
    }
    REPR_HELD.with(|held| held.borrow_mut().insert(id, o));
    Ok(0)
}

thread_local! {
    /// The objects `Py_ReprEnter` entered on this thread, by address.
    static REPR_HELD: std::cell::RefCell<std::collections::HashMap<usize, rustpython_vm::PyObjectRef>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

#[cpython_api]
unsafe fn Py_ReprLeave(vm: &VirtualMachine, o: *mut PyObject) {
    if let Some(h) = proxy::header_mut(o).and_then(|h| h.host()) {
        let id = proxy::host_addr(&h);
        vm.repr_guards.borrow_mut().remove(&id);
        let released = REPR_HELD.with(|held| held.borrow_mut().remove(&id));
        drop(released); // after the map's borrow: dropping may run code
    }
}

/// Runs the type's tp_finalize on `o`, once for a GC type.
///
/// # Safety
/// `o` must be a live object.
#[cpython_api]
unsafe fn PyObject_CallFinalizer(o: *mut PyObject) {
    // SAFETY: the caller passes a live object, whose ob_type is a type.
    let tp = unsafe { (*o).ob_type };
    // SAFETY: as above.
    let Some(finalize) = (unsafe { (*tp).tp_finalize }) else { return };
    // SAFETY: as above.
    let is_gc = unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_HAVE_GC as c_ulong != 0;
    if let Some(h) = proxy::header_mut(o) {
        if is_gc && h.finalized {
            return;
        }
        if is_gc {
            h.finalized = true;
        }
    }
    // SAFETY: the type's own finalizer, called on one of its objects.
    unsafe { finalize(o) };
}

/// `Py_REFCNT`: C's references plus Python's (see `proxy::reported_refcnt`).
/// Without the GIL -- a read between Py_BEGIN/END_ALLOW_THREADS, or a C++
/// static destructor after the interpreter ended (Boost.Python's `object`
/// asserts `Py_REFCNT(p) > 0`) -- it is the object's own count: CPython's
/// Py_REFCNT is a plain field read that needs no GIL.
///
/// # Safety
/// `ob` must be a live object.
#[cpython_api(no_gil)]
unsafe fn _PyCpyext_RefCnt(ob: *mut PyObject) -> ffi::Py_ssize_t {
    if crate::gil::held() {
        return proxy::reported_refcnt(ob);
    }
    // SAFETY: the caller's contract; a plain read, as CPython's.
    unsafe { (*ob).ob_refcnt }
}

/// `Py_XINCREF` as a function.
#[cpython_api]
fn Py_IncRef(o: *mut PyObject) {
    if !o.is_null() {
        proxy::incref(o);
    }
}

/// `Py_XDECREF` as a function (after the interpreter has ended, without
/// the GIL, a no-op: see `_Py_Dealloc`).
#[cpython_api(no_gil)]
fn Py_DecRef(o: *mut PyObject) {
    if release_allowed("Py_DecRef") {
        proxy::xdecref(o);
    }
}

/// Host object address -> the slot `_PyObject_GetDictPtr` hands out for
/// it, refreshed on each call (an address reused by a new object gets the
/// new object's dict).
static DICT_SLOTS: std::sync::LazyLock<dashmap::DashMap<usize, Box<DictSlot>>> = std::sync::LazyLock::new(dashmap::DashMap::new);

/// A dict pointer C may read; written only under the GIL.
struct DictSlot(std::cell::UnsafeCell<*mut PyObject>);
// SAFETY: only the thread holding the GIL reads or writes the slot.
unsafe impl Send for DictSlot {}
// SAFETY: as above.
unsafe impl Sync for DictSlot {}

thread_local! {
    /// The managed-dict slots `_PyObject_GetDictPtr` handed out in a call:
    /// (slot, the object's proxy, held, and the dict reference the slot
    /// owns, as CPython's dict pointer owns one).
    static DICT_PTRS_HANDED: crate::borrow::FrameScoped<(usize, usize, usize)> = const { crate::borrow::FrameScoped::new() };
}

/// As a call ends: what C did through the dict pointers it got carries over
/// to the host, as in CPython, where the pointer is the instance's own.
/// NULL drops the instance dict (persistent's ghostify: `Py_DECREF(*dictptr);
/// *dictptr = NULL`, after which the ghost has no attributes), another dict
/// replaces it; an untouched slot gives its reference back.
pub(crate) fn carry_over_dict_ptrs(frame: u64) {
    while let Some((slot, object, original)) = DICT_PTRS_HANDED.with(|h| h.pop_for(frame)) {
        let (slot, object, original) = (slot as *mut *mut PyObject, object as *mut PyObject, original as *mut PyObject);
        // SAFETY: a boxed slot of DICT_SLOTS (never moved or freed), under
        // the GIL of the frame that is ending.
        let now = unsafe { std::mem::replace(&mut *slot, std::ptr::null_mut()) };
        if now == original {
            proxy::decref(original);
        } else {
            let _ = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
                let Ok(host) = to_host(vm, object) else { return };
                let dict = if now.is_null() { Ok(vm.ctx.new_dict().into()) } else { proxy::take(vm, now) };
                let set = dict.and_then(|dict| host.set_attr("__dict__", dict, vm));
                if let Err(e) = set {
                    vm.run_unraisable(e, Some("cpyext: carrying over the dict pointer C changed".to_owned()), host.clone());
                }
            });
        }
        proxy::decref(object);
    }
}

thread_local! {
    /// The NULL dict slot `_PyObject_GetDictPtr` hands a tp_traverse.
    static COLLECTOR_DICT_SLOT: std::cell::Cell<*mut PyObject> = const { std::cell::Cell::new(std::ptr::null_mut()) };
}

/// A pointer to a slot holding the object's `__dict__` (borrowed, kept
/// alive by the current call frame), or NULL if it has none. CPython's
/// pointer is into the object; a host object's dict is not at a C address.
#[cpython_api]
fn _PyObject_GetDictPtr(vm: &VirtualMachine, o: *mut PyObject) -> *mut *mut PyObject {
    // An instance of a C type with a tp_dictoffset: the struct's own field,
    // which holds the host's dict once synced (or NULL, as in CPython before
    // the first attribute is set). A tp_traverse (pybind11's) reads it
    // while the collector runs: then as it is.
    if let Some(field) = crate::ctype::dict_field(o) {
        if !crate::gil::in_collector() && to_host(vm, o).is_ok_and(|host| host.dict().is_some()) {
            crate::ctype::sync_struct_dict(vm, o);
        }
        return field;
    }
    if crate::gil::in_collector() {
        // A managed dict, asked for by a tp_traverse: no host lookups while
        // the collector runs, and the host reports the dict itself.
        return COLLECTOR_DICT_SLOT.with(|slot| slot.as_ptr());
    }
    let Ok(host) = to_host(vm, o) else { return std::ptr::null_mut() };
    let Some(dict) = host.dict() else { return std::ptr::null_mut() };
    let dict: PyObjectRef = dict.into();
    let slot = DICT_SLOTS.entry(proxy::host_addr(&host)).or_insert_with(|| Box::new(DictSlot(std::cell::UnsafeCell::new(std::ptr::null_mut()))));
    let pointer = slot.0.get();
    // SAFETY: the slot is boxed (it does not move) and only written under the GIL.
    unsafe {
        // Handed out already in a call still running, with this dict.
        if !(*pointer).is_null() && proxy::existing_proxy(&dict) == Some(*pointer) {
            return pointer;
        }
        // The slot owns a reference, as the instance's dict pointer does in
        // CPython (C may release it: `Py_DECREF(*dictptr); *dictptr = NULL`),
        // and what C leaves there reaches the host as the call ends.
        let owned = proxy::new_ref(vm, &dict);
        proxy::incref(o);
        if DICT_PTRS_HANDED.with(|h| h.push_current((pointer as usize, o as usize, owned as usize))) {
            *pointer = owned;
        } else {
            // Outside any call: the old, borrowed pointer.
            proxy::decref(o);
            proxy::decref(owned);
            *pointer = crate::borrow::borrowed(vm, &dict);
        }
    }
    pointer
}

/// `object.__getattribute__`, with `dict` standing in for the instance
/// dict when given, and a missing attribute reported as NULL without an
/// exception when `suppress` is set.
#[cpython_api]
fn _PyObject_GenericGetAttrWithDict(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject, dict: *mut PyObject, suppress: c_int) -> PyResult<*mut PyObject> {
    let name = name_object(vm, name)?;
    let obj = to_host(vm, o)?;
    let found = match proxy::opt_to_host(vm, dict)? {
        None => match obj.downcast_ref::<PyType>() {
            Some(cls) => generic_getattr_of_class(vm, &obj, cls, &name),
            None => {
                let generic = vm.ctx.types.object_type.as_object().get_attr("__getattribute__", vm)?;
                generic.call((obj.clone(), name.clone()), vm)
            }
        },
        Some(dict) => lookup_with_own(vm, &obj, &name, |name| dict.get_item(name.as_object(), vm).ok()),
    };
    match found {
        Ok(value) => Ok(into_ref(vm, value)),
        Err(e) if suppress != 0 && e.fast_isinstance(vm.ctx.exceptions.attribute_error) => Ok(std::ptr::null_mut()),
        Err(e) => Err(e),
    }
}

/// The generic lookup order with an explicit instance namespace (`own`):
/// data descriptors of the type, then the namespace, then other
/// attributes of the type.
fn lookup_with_own(
    vm: &VirtualMachine,
    obj: &rustpython_vm::PyObjectRef,
    name: &rustpython_vm::builtins::PyStrRef,
    own: impl FnOnce(&rustpython_vm::builtins::PyStrRef) -> Option<rustpython_vm::PyObjectRef>,
) -> PyResult {
    let cls: rustpython_vm::PyObjectRef = obj.class().to_owned().into();
    let class_attr = obj.class().get_attr(vm.ctx.intern_str(name.as_wtf8()));
    let has = |attr: &rustpython_vm::PyObjectRef, dunder: &'static str| attr.class().get_attr(vm.ctx.intern_str(dunder)).is_some();
    if let Some(attr) = &class_attr {
        if has(attr, "__get__") && (has(attr, "__set__") || has(attr, "__delete__")) {
            return vm.call_method(attr, "__get__", (obj.clone(), cls));
        }
    }
    if let Some(value) = own(name) {
        return Ok(value);
    }
    match class_attr {
        Some(attr) if has(&attr, "__get__") => vm.call_method(&attr, "__get__", (obj.clone(), cls)),
        Some(attr) => Ok(attr),
        None => Err(vm.new_attribute_error(format!("'{}' object has no attribute '{}'", crate::types::tp_name(vm, obj.class()), name))),
    }
}

/// The exported forms of the `Py_NewRef`/`Py_XNewRef` macros (the stable
/// ABI's): a new reference to `obj`.
#[cpython_api]
fn Py_NewRef(obj: *mut PyObject) -> *mut PyObject {
    crate::proxy::incref(obj);
    obj
}

#[cpython_api]
fn Py_XNewRef(obj: *mut PyObject) -> *mut PyObject {
    if !obj.is_null() {
        crate::proxy::incref(obj);
    }
    obj
}

/// The tp_iternext CPython gives types that are not iterators (Cython
/// compares slots against it): always TypeError.
#[cpython_api]
fn _PyObject_NextNotImplemented(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Err(vm.new_type_error(format!("'{}' object is not iterable", crate::types::tp_name(vm, o.class()))))
}

/// `getattr(obj, name)` with a missing attribute reported as 0 (and NULL in
/// `*result`) rather than as AttributeError; -1 for any other error.
///
/// # Safety
/// `result` is writable.
#[cpython_api]
unsafe fn _PyObject_LookupAttr(vm: &VirtualMachine, obj: *mut PyObject, name: *mut PyObject, result: *mut *mut PyObject) -> PyResult<c_int> {
    // SAFETY: the caller's contract; NULL first, so every error path leaves it so.
    unsafe { *result = std::ptr::null_mut() };
    let obj = to_host(vm, obj)?;
    let name = name_object(vm, name)?;
    // SAFETY: forwarded from the caller.
    unsafe { lookup_attr_into(vm, &obj, &name, result) }
}

/// The body of `_PyObject_LookupAttr`: 1 and a new reference in `*result`,
/// or 0 (`*result` left as it is) when the attribute is missing.
///
/// # Safety
/// `result` is writable.
unsafe fn lookup_attr_into(vm: &VirtualMachine, obj: &PyObjectRef, name: &PyStrRef, result: *mut *mut PyObject) -> PyResult<c_int> {
    match get_attribute(vm, obj, name) {
        Ok(value) => {
            // SAFETY: the caller's contract.
            unsafe { *result = into_ref(vm, value) };
            Ok(1)
        }
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.attribute_error) => Ok(0),
        Err(e) => Err(e),
    }
}

// CPython's private object API (cpython/object.h), which extensions call
// all the same. The *Id forms take a static `_Py_Identifier`.

/// The str a static identifier names.
///
/// # Safety
/// `id` is NULL or a `_Py_Identifier` with a C string.
unsafe fn id_name(vm: &VirtualMachine, id: *mut Identifier) -> PyResult<PyStrRef> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { identifier_name(vm, id)? };
    Ok(name.downcast::<PyStr>().expect("identifier_name makes a str"))
}

/// # Safety
/// `name` must point to a static identifier.
#[cpython_api]
unsafe fn _PyObject_GetAttrId(vm: &VirtualMachine, o: *mut PyObject, name: *mut Identifier) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { id_name(vm, name)? };
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, get_attribute(vm, &o, &name)?))
}

/// # Safety
/// `name` must point to a static identifier.
#[cpython_api]
unsafe fn _PyObject_SetAttrId(vm: &VirtualMachine, o: *mut PyObject, name: *mut Identifier, v: *mut PyObject) -> PyResult<c_int> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { id_name(vm, name)? };
    set_or_delete(vm, o, name, v)
}

/// # Safety
/// `name` must point to a static identifier and `result` be writable.
#[cpython_api]
unsafe fn _PyObject_LookupAttrId(vm: &VirtualMachine, o: *mut PyObject, name: *mut Identifier, result: *mut *mut PyObject) -> PyResult<c_int> {
    // SAFETY: the caller's contract; NULL first, so every error path leaves it so.
    unsafe { *result = std::ptr::null_mut() };
    // SAFETY: forwarded from the caller.
    let name = unsafe { id_name(vm, name)? };
    let o = to_host(vm, o)?;
    // SAFETY: forwarded from the caller.
    unsafe { lookup_attr_into(vm, &o, &name, result) }
}

/// The attribute of the object's type (not of the object), bound to the
/// object if it is a descriptor, as the interpreter finds special methods;
/// NULL with no exception when the type has none.
///
/// # Safety
/// `name` must point to a static identifier.
#[cpython_api]
unsafe fn _PyObject_LookupSpecialId(vm: &VirtualMachine, o: *mut PyObject, name: *mut Identifier) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { id_name(vm, name)? };
    let o = to_host(vm, o)?;
    let found = o.lookup_special(vm.ctx.intern_str(name.as_wtf8()), vm)?;
    Ok(found.map_or(std::ptr::null_mut(), |found| into_ref(vm, found)))
}

/// Borrowed, as `_PyType_Lookup`: the attribute along the type's MRO,
/// descriptors not called; NULL, with no exception, when no class has it.
///
/// # Safety
/// `name` must point to a static identifier.
#[cpython_api]
unsafe fn _PyType_LookupId(vm: &VirtualMachine, tp: *mut PyTypeObject, name: *mut Identifier) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let name = unsafe { id_name(vm, name)? };
    let cls = crate::ctype::class_of_type(vm, tp)?;
    Ok(cls.get_attr(vm.ctx.intern_str(name.as_wtf8())).map_or(std::ptr::null_mut(), |found| crate::borrow::borrowed(vm, &found)))
}

/// Whether calling `attr` with the object first is the same as calling
/// the bound attribute: a plain function, a builtin method descriptor, or
/// a C type that says so (CPython's Py_TPFLAGS_METHOD_DESCRIPTOR types).
fn is_unbound_method(attr: &PyObjectRef) -> bool {
    attr.class().slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::METHOD_DESCRIPTOR)
}

/// The method lookup the interpreter does for `obj.name(...)`: 1 and the
/// unbound function in `*method` (call it with `obj` first) when the type
/// has a plain method that the instance does not shadow and the type keeps
/// the generic attribute lookup; otherwise 0 and the attribute itself.
///
/// # Safety
/// `method` is writable.
#[cpython_api]
unsafe fn _PyObject_GetMethod(vm: &VirtualMachine, obj: *mut PyObject, name: *mut PyObject, method: *mut *mut PyObject) -> PyResult<c_int> {
    // SAFETY: the caller's contract; NULL first, so every error path leaves it so.
    unsafe { *method = std::ptr::null_mut() };
    let name = name_object(vm, name)?;
    let obj = to_host(vm, obj)?;
    let generic = vm.ctx.types.object_type.get_attr(vm.ctx.intern_str("__getattribute__"));
    let own_lookup = obj.class().get_attr(vm.ctx.intern_str("__getattribute__"));
    let is_generic = matches!((&generic, &own_lookup), (Some(g), Some(o)) if g.is(o));
    if is_generic {
        let interned = vm.ctx.intern_str(name.as_wtf8());
        if let Some(attr) = obj.class().get_attr(interned) {
            let shadowed = match obj.dict() {
                Some(dict) => dict.get_item_opt(name.as_object(), vm)?.is_some(),
                None => false,
            };
            if is_unbound_method(&attr) && !shadowed {
                // SAFETY: as above.
                unsafe { *method = into_ref(vm, attr) };
                return Ok(1);
            }
        }
    }
    let bound = get_attribute(vm, &obj, &name)?;
    // SAFETY: as above.
    unsafe { *method = into_ref(vm, bound) };
    Ok(0)
}

/// `object.__setattr__` with `dict` standing in for the instance dict
/// (NULL: the object's own): a data descriptor of the type first, then
/// the dict.
#[cpython_api]
fn _PyObject_GenericSetAttrWithDict(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject, dict: *mut PyObject) -> PyResult<c_int> {
    if dict.is_null() {
        return generic_setattr(vm, o, name, value);
    }
    let name = name_object(vm, name)?;
    let obj = to_host(vm, o)?;
    let dict = to_host(vm, dict)?;
    let value = proxy::opt_to_host(vm, value)?;
    if set_through_data_descriptor(vm, &obj, &name, value.clone())? {
        return Ok(0);
    }
    match value {
        Some(v) => dict.set_item(name.as_object(), v, vm)?,
        None => dict.del_item(name.as_object(), vm).map_err(|e| {
            if e.fast_isinstance(vm.ctx.exceptions.key_error) {
                vm.new_attribute_error(format!("'{}' object has no attribute '{name}'", crate::types::tp_name(vm, obj.class())))
            } else {
                e
            }
        })?,
    }
    Ok(0)
}

/// "module.qualname()" of a callable, for messages ("qualname()" for
/// builtins, the str of the object when it has no __qualname__).
#[cpython_api]
fn _PyObject_FunctionStr(vm: &VirtualMachine, x: *mut PyObject) -> PyResult<*mut PyObject> {
    let x = to_host(vm, x)?;
    let qualname = match vm.get_attribute_opt(&x, "__qualname__")? {
        Some(q) => q,
        None => return Ok(into_ref(vm, x.str(vm)?.into())),
    };
    let module = vm.get_attribute_opt(&x, "__module__")?;
    let text = match module {
        Some(m) if !vm.is_none(&m) && !m.downcast_ref::<PyStr>().is_some_and(|s| s.as_wtf8() == "builtins") => {
            format!("{}.{}()", m.str(vm)?.as_wtf8(), qualname.str(vm)?.as_wtf8())
        }
        _ => format!("{}()", qualname.str(vm)?.as_wtf8()),
    };
    Ok(into_ref(vm, vm.ctx.new_str(text).into()))
}

/// Whether `o.__isabstractmethod__` is true; 0 for NULL.
#[cpython_api]
fn _PyObject_IsAbstract(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    if o.is_null() {
        return Ok(0);
    }
    let o = to_host(vm, o)?;
    match vm.get_attribute_opt(&o, "__isabstractmethod__")? {
        Some(flag) => Ok(flag.try_to_bool(vm)? as c_int),
        None => Ok(0),
    }
}

/// What pickling saves of an object by default: `o.__getstate__()`.
#[cpython_api]
fn _PyObject_GetState(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    Ok(into_ref(vm, vm.call_method(&o, "__getstate__", ())?))
}

/// Borrowed: the most derived of `metatype` and the metaclasses of
/// `bases`, as class creation picks it; TypeError on a conflict.
#[cpython_api]
fn _PyType_CalculateMetaclass(vm: &VirtualMachine, metatype: *mut PyTypeObject, bases: *mut PyObject) -> PyResult<*mut PyTypeObject> {
    let mut winner = crate::ctype::class_of_type(vm, metatype)?;
    let bases = to_host(vm, bases)?;
    let bases = bases.downcast_ref::<rustpython_vm::builtins::PyTuple>().ok_or_else(|| bad_internal_call(vm))?;
    for base in bases.iter() {
        let candidate = base.class();
        if winner.fast_issubclass(candidate) {
            continue;
        }
        if candidate.fast_issubclass(&winner) {
            winner = candidate.to_owned();
            continue;
        }
        return Err(vm.new_type_error(
            "metaclass conflict: the metaclass of a derived class must be a (non-strict) subclass of the metaclasses of all its bases"
                .to_owned(),
        ));
    }
    Ok(crate::types::type_proxy(vm, &winner))
}

/// Where a docstring's signature line ends: ")" then a line of "--" and
/// an empty line.
const SIGNATURE_END: &[u8] = b")\n--\n\n";

/// The "(...)" part of `doc` and what follows its end marker, when `doc`
/// starts with the last dotted part of `name` and a signature.
fn split_internal_doc<'a>(name: &[u8], doc: &'a [u8]) -> Option<(&'a [u8], &'a [u8])> {
    let short = name.rsplit(|b| *b == b'.').next().unwrap_or(name);
    let rest = doc.strip_prefix(short)?;
    if rest.first() != Some(&b'(') {
        return None;
    }
    let mut at = 0;
    while at < rest.len() {
        if rest[at..].starts_with(SIGNATURE_END) {
            return Some((&rest[..=at], &rest[at + SIGNATURE_END.len()..]));
        }
        // A blank line before the marker: no signature after all.
        if rest[at..].starts_with(b"\n\n") {
            return None;
        }
        at += 1;
    }
    None
}

/// # Safety
/// `name` and `internal_doc` are NULL or C strings.
unsafe fn internal_doc_parts<'a>(name: *const c_char, internal_doc: *const c_char) -> Option<(&'a [u8], Option<(&'a [u8], &'a [u8])>)> {
    if internal_doc.is_null() {
        return None;
    }
    // SAFETY: the caller's contract.
    let doc = unsafe { std::ffi::CStr::from_ptr(internal_doc) }.to_bytes();
    // SAFETY: as above.
    let name = (!name.is_null()).then(|| unsafe { std::ffi::CStr::from_ptr(name) }.to_bytes());
    Some((doc, name.and_then(|name| split_internal_doc(name, doc))))
}

/// The docstring of a C type or function without its signature line; None
/// for none or an empty one.
///
/// # Safety
/// `name` and `internal_doc` are NULL or C strings.
#[cpython_api]
unsafe fn _PyType_GetDocFromInternalDoc(vm: &VirtualMachine, name: *const c_char, internal_doc: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    Ok(into_ref(vm, unsafe { type_doc_from_internal_doc(vm, name, internal_doc) }?))
}

/// `__doc__` of a C type from its tp_doc, as CPython's `type_get_doc`
/// gives it: the text after a leading signature (`Name(...)\n--\n\n`),
/// None for a NULL or empty one. CPython reads a static type's tp_doc on
/// every `T.__doc__`, so a tp_doc that C replaces after `PyType_Ready`
/// (confluent-kafka's `KafkaError`) shows.
///
/// # Safety
/// `name` and `internal_doc` are NULL or C strings.
pub(crate) unsafe fn type_doc_from_internal_doc(vm: &VirtualMachine, name: *const c_char, internal_doc: *const c_char) -> PyResult {
    // SAFETY: forwarded from the caller.
    let body = match unsafe { internal_doc_parts(name, internal_doc) } {
        None => b"".as_slice(),
        Some((_, Some((_, body)))) => body,
        Some((doc, None)) => doc,
    };
    if body.is_empty() {
        return Ok(vm.ctx.none());
    }
    utf8_str(vm, body)
}

/// `__text_signature__` of a C type from its tp_doc (CPython's
/// `type_get_text_signature`, which reads tp_doc each time); None if it
/// has none.
///
/// # Safety
/// `name` and `internal_doc` are NULL or C strings.
pub(crate) unsafe fn type_text_signature_from_internal_doc(vm: &VirtualMachine, name: *const c_char, internal_doc: *const c_char) -> PyResult {
    // SAFETY: forwarded from the caller.
    match unsafe { internal_doc_parts(name, internal_doc) } {
        Some((_, Some((signature, _)))) => utf8_str(vm, signature),
        _ => Ok(vm.ctx.none()),
    }
}

/// A str from UTF-8 bytes, or the UnicodeDecodeError Python would raise.
fn utf8_str(vm: &VirtualMachine, bytes: &[u8]) -> PyResult {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(vm.ctx.new_str(text).into()),
        Err(_) => vm.call_method(vm.ctx.new_bytes(bytes.to_vec()).as_object(), "decode", ("utf-8",)),
    }
}

/// The "(...)" signature at the start of a C docstring, or None.
///
/// # Safety
/// `name` and `internal_doc` are NULL or C strings.
#[cpython_api]
unsafe fn _PyType_GetTextSignatureFromInternalDoc(vm: &VirtualMachine, name: *const c_char, internal_doc: *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded from the caller.
    let Some((_, Some((signature, _)))) = (unsafe { internal_doc_parts(name, internal_doc) }) else {
        return Ok(into_ref(vm, vm.ctx.none()));
    };
    Ok(into_ref(vm, utf8_str(vm, signature)?))
}

/// The comparison with its operands swapped, by op (Py_LT ... Py_GE).
#[unsafe(no_mangle)]
pub static _Py_SwappedOp: [c_int; 6] = [4, 5, 2, 3, 0, 1];
inventory::submit! { crate::boundary::ApiData { name: "_Py_SwappedOp" } }

/// A place to set a debugger breakpoint; it does nothing (as in CPython).
#[cpython_api(no_gil)]
fn _Py_BreakPoint() {}

/// Whether a pointer holds what freed or never-written memory holds: 0
/// (the layer zeroes freed proxies) or a debug allocator's fill byte.
fn looks_freed(address: usize) -> bool {
    const FILLS: [usize; 3] = [0xCDCD_CDCD_CDCD_CDCD, 0xDDDD_DDDD_DDDD_DDDD, 0xFDFD_FDFD_FDFD_FDFD];
    address == 0 || FILLS.contains(&address)
}

/// 1 if `o`, or its type pointer, looks like freed memory.
///
/// # Safety
/// `o` must be readable for an object header.
#[cpython_api(no_gil)]
unsafe fn _PyObject_IsFreed(o: *mut PyObject) -> c_int {
    if looks_freed(o as usize) {
        return 1;
    }
    // SAFETY: the caller's contract.
    looks_freed(unsafe { (*o).ob_type } as usize) as c_int
}

/// 1 for an object whose header is sane (a type, a positive count);
/// otherwise a fatal error that names the object.
///
/// # Safety
/// `o` must be readable for an object header.
#[cpython_api]
unsafe fn _PyObject_CheckConsistency(vm: &VirtualMachine, o: *mut PyObject, _check_content: c_int) -> c_int {
    // SAFETY: the caller's contract.
    let problem = unsafe {
        if _PyObject_IsFreed(o) != 0 {
            Some("object looks freed")
        } else if (*o).ob_refcnt <= 0 {
            Some("negative or zero refcount")
        } else {
            None
        }
    };
    match problem {
        None => 1,
        Some(message) => {
            dump_object(vm, o);
            crate::boundary::fatal(&format!("_PyObject_CheckConsistency: {message}"))
        }
    }
}

/// What `_PyObject_Dump` writes, to stderr.
fn dump_object(vm: &VirtualMachine, o: *mut PyObject) {
    use std::io::Write;
    // SAFETY: flushing C's stdout first, as the text goes to stderr after it.
    unsafe { libc::fflush(std::ptr::null_mut()) };
    let mut text = String::new();
    // SAFETY: C passes an object header (or NULL, checked first).
    unsafe {
        if _PyObject_IsFreed(o) != 0 {
            text.push_str(&format!("<object at {o:p} is freed>\n"));
        } else {
            let tp = (*o).ob_type;
            text.push_str(&format!("object address  : {o:p}\n"));
            text.push_str(&format!("object refcount : {}\n", proxy::reported_refcnt(o)));
            text.push_str(&format!("object type     : {tp:p}\n"));
            let tp_name = if (*tp).tp_name.is_null() { "NULL".into() } else { std::ffi::CStr::from_ptr((*tp).tp_name).to_string_lossy() };
            text.push_str(&format!("object type name: {tp_name}\n"));
            let repr = to_host(vm, o).and_then(|host| host.repr(vm)).map(|r| r.to_string());
            text.push_str(&format!("object repr     : {}\n", repr.unwrap_or_else(|_| "<repr failed>".to_owned())));
        }
    }
    let _ = std::io::stderr().write_all(text.as_bytes());
}

/// A description of `o` on stderr: address, count, type, repr.
#[cpython_api]
fn _PyObject_Dump(vm: &VirtualMachine, o: *mut PyObject) {
    dump_object(vm, o);
}

/// What a failed `_PyObject_ASSERT` calls: the failed check on stderr, the
/// object dumped, then a fatal error.
///
/// # Safety
/// The strings are NULL or C strings; `obj` is NULL or an object.
#[cpython_api]
unsafe fn _PyObject_AssertFailed(vm: &VirtualMachine, obj: *mut PyObject, expr: *const c_char, msg: *const c_char, file: *const c_char, line: c_int, function: *const c_char) {
    let text = |s: *const c_char| crate::methods::c_str(s).unwrap_or("<unknown>");
    let file = text(file);
    let function = text(function);
    let message = if msg.is_null() { "<no message>" } else { text(msg) };
    if expr.is_null() {
        eprintln!("{file}:{line}: {function}: {message}");
    } else {
        eprintln!("{file}:{line}: {function}: Assertion \"{}\" failed: {message}", text(expr));
    }
    if !obj.is_null() {
        dump_object(vm, obj);
    }
    crate::boundary::fatal("_PyObject_AssertFailed")
}

/// Writes "name: count * size = total" for an allocator's free blocks, in
/// the layout of `sys._debugmallocstats()`.
///
/// # Safety
/// `out` is a C stream and `block_name` a C string.
#[cpython_api(no_gil)]
unsafe fn _PyDebugAllocatorStats(out: *mut libc::FILE, block_name: *const c_char, num_blocks: c_int, sizeof_block: usize) {
    let name = crate::methods::c_str(block_name).unwrap_or("?");
    let label = format!("{num_blocks} {name}s * {sizeof_block} bytes each");
    let total = num_blocks as usize * sizeof_block;
    let line = format!("{label:>48} = {:>20}\n", group_thousands(total));
    let line = std::ffi::CString::new(line).unwrap_or_default();
    // SAFETY: the caller passes a C stream.
    unsafe { libc::fputs(line.as_ptr(), out) };
}

/// 1234567 as "1,234,567".
fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The free-list statistics of the object types; the layer keeps no free
/// lists, so there is nothing to write.
#[cpython_api(no_gil)]
fn _PyObject_DebugTypeStats(_out: *mut libc::FILE) {}

/// Makes memory C allocated itself, with `ob_type` already set, a live
/// object with one reference (PyObject_Init without the type's count).
///
/// # Safety
/// `op` is a block C allocated for an object of its `ob_type`.
#[cpython_api]
unsafe fn _Py_NewReference(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<()> {
    if op.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: the caller's contract.
    unsafe { super::objimpl::adopt_c_memory(vm, op, (*op).ob_type) }
}

/// `Py_INCREF` and `Py_DECREF` as functions (NULL is let be).
#[cpython_api]
fn _Py_IncRef(o: *mut PyObject) {
    if !o.is_null() {
        proxy::incref(o);
    }
}

#[cpython_api(no_gil)]
fn _Py_DecRef(o: *mut PyObject) {
    if release_allowed("_Py_DecRef") {
        proxy::xdecref(o);
    }
}

/// How many trashcan-guarded deallocations may nest on a thread before
/// the next is kept for later (CPython's limit too).
const TRASHCAN_NESTING: usize = 50;

thread_local! {
    /// Trashcan-guarded deallocations running on this thread.
    static TRASH_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Objects whose deallocation was kept for later, run when the
    /// outermost guarded one ends.
    static TRASH_LATER: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The trashcan (Py_TRASHCAN_BEGIN): a deallocation nested
/// `TRASHCAN_NESTING` deep is kept for later (1: the tp_dealloc returns at
/// once), so that a chain of a million C objects (Cython's `trashcan`
/// test) does not overflow the C stack; else it is counted (0: go on).
#[cpython_api(no_gil)]
fn _PyTrash_begin(_tstate: *mut std::ffi::c_void, op: *mut PyObject) -> c_int {
    let depth = TRASH_DEPTH.with(|d| d.get());
    if depth >= TRASHCAN_NESTING {
        TRASH_LATER.with(|l| l.borrow_mut().push(op as usize));
        return 1;
    }
    TRASH_DEPTH.with(|d| d.set(depth + 1));
    0
}

/// The end of a guarded deallocation: the outermost one runs the
/// deallocations kept meanwhile, one after another.
#[cpython_api(no_gil)]
fn _PyTrash_end(_tstate: *mut std::ffi::c_void) {
    let depth = TRASH_DEPTH.with(|d| {
        let depth = d.get().saturating_sub(1);
        d.set(depth);
        depth
    });
    if depth > 0 {
        return;
    }
    // Each runs one level deep, as in CPython (49 more nest before the
    // next is kept), and an end inside it leaves the rest to this loop.
    while let Some(op) = TRASH_LATER.with(|l| l.borrow_mut().pop()) {
        TRASH_DEPTH.with(|d| d.set(d.get() + 1));
        crate::ctype::dealloc_kept_by_trashcan(op as *mut PyObject);
        TRASH_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Whether `op`'s tp_dealloc, just returned, kept it for later (it is the
/// last object the trashcan kept: nothing runs between the keeping and
/// the return).
pub(crate) fn kept_by_trashcan(op: *mut PyObject) -> bool {
    TRASH_LATER.with(|l| l.borrow().last() == Some(&(op as usize)))
}

/// Whether the trashcan applies: `op`'s type deallocates with `dealloc`.
///
/// # Safety
/// `op` is an object.
#[cpython_api(no_gil)]
unsafe fn _PyTrash_cond(op: *mut PyObject, dealloc: ffi::destructor) -> c_int {
    // SAFETY: the caller passes an object, whose type is readable.
    unsafe { ((*(*op).ob_type).tp_dealloc.map(|f| f as usize) == dealloc.map(|f| f as usize)) as c_int }
}

/// What `Py_SET_TYPE` does beyond writing `ob_type`, when the type changes:
/// an instance of a C type that Python already sees takes the new class
/// (another readied C type) too, as in CPython, where the two are one field (numpy gives each user
/// dtype's descriptor a class of its own after making it). Objects Python
/// has not seen yet need nothing: their host is made from `ob_type`. Not
/// part of the C API; only the header's `Py_SET_TYPE` calls it.
///
/// # Safety
/// `ob` must be an object (or memory becoming one) whose `ob_type` was just
/// written; registered instances are only touched under the GIL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cpyext_type_changed(ob: *mut PyObject) {
    if is_static_layout(ob) {
        // SAFETY: as for an instance, below: C just wrote `ob_type`.
        unsafe { type_object_changed(ob) };
        return;
    }
    if !proxy::is_instance(ob) {
        return;
    }
    crate::boundary::enter_api("Py_SET_TYPE", true, |vm| {
        // SAFETY: a registered instance's header, under the GIL (checked above).
        let Some(host) = proxy::header(ob).and_then(|h| unsafe { h.as_ref().host() }) else { return Ok(()) };
        // SAFETY: C just wrote the type pointer; it names a type object.
        let new_type = unsafe { (*ob).ob_type };
        // Only a readied type that Python knows already: a type C is still
        // making may yet be freed by C (numpy's error paths), and must not
        // get a host class here.
        // SAFETY: as above; the flags of a type object.
        let ready = !new_type.is_null() && unsafe { (*new_type).tp_flags } & ffi::Py_TPFLAGS_READY as u64 != 0;
        // SAFETY: a registered header, read under the GIL.
        let known = proxy::header(new_type as *mut PyObject).is_some_and(|h| unsafe { !h.as_ref().host.is_null() });
        if !ready || !known {
            return Ok(());
        }
        let Ok(class) = to_host(vm, new_type as *mut PyObject)?.downcast::<PyType>() else { return Ok(()) };
        // From one C type to another with the same struct and payload
        // underneath, as CPython's `__class__` assignment demands (a move
        // to or from a Python class, or memory C is taking apart, is left
        // to `ob_type`).
        let c_types = crate::ctype::is_own_c_type(host.class()) && crate::ctype::is_own_c_type(&class);
        if c_types && !host.class().is(&class) && crate::ctype::solid_base(host.class()).is(&crate::ctype::solid_base(&class)) {
            host.set_class(class, vm);
        }
        Ok(())
    })
}

/// Whether `ob` is a proxy of the layer's `Static` layout (type objects
/// among them) that has a host object.
fn is_static_layout(ob: *mut PyObject) -> bool {
    // SAFETY: a registered header, read under the GIL (C calls Py_SET_TYPE with it).
    proxy::header(ob).is_some_and(|h| unsafe { h.as_ref().layout == proxy::Layout::Static && !h.as_ref().host.is_null() })
}

/// `Py_SET_TYPE(type, metatype)` on a C type that is already readied: the
/// host class takes the metatype as its class, as in CPython, where
/// `ob_type` is the class's metaclass. SWIG 4.4+ `-builtin` makes each class
/// with `PyType_FromSpecWithBases` and then sets its metatype so
/// (`SwigPyBuiltin_SetMetaType`); the metatype's `tp_setattro` is what routes
/// `Class.static_member = v` to the C setter. Only C types the layer readied
/// (not builtins, not Python classes), and only to a readied metatype that
/// Python knows and that derives from `type`.
///
/// # Safety
/// `ob` is a type object whose `ob_type` C just wrote, under the GIL.
unsafe fn type_object_changed(ob: *mut PyObject) {
    crate::boundary::enter_api("Py_SET_TYPE", true, |vm| {
        // SAFETY: a registered header, under the GIL.
        let Some(host) = proxy::header(ob).and_then(|h| unsafe { h.as_ref().host() }) else { return Ok(()) };
        let Ok(cls) = host.downcast::<PyType>() else { return Ok(()) };
        if !crate::ctype::is_own_c_type(&cls) {
            return Ok(());
        }
        // SAFETY: C just wrote the type pointer; it names a type object.
        let new_type = unsafe { (*ob).ob_type };
        // SAFETY: as above; the flags of a type object.
        let ready = !new_type.is_null() && unsafe { (*new_type).tp_flags } & ffi::Py_TPFLAGS_READY as u64 != 0;
        // SAFETY: a registered header, read under the GIL.
        let known = proxy::header(new_type as *mut PyObject).is_some_and(|h| unsafe { !h.as_ref().host.is_null() });
        if !ready || !known {
            return Ok(());
        }
        let Ok(meta) = to_host(vm, new_type as *mut PyObject)?.downcast::<PyType>() else { return Ok(()) };
        if !cls.as_object().class().is(&meta) && meta.fast_issubclass(vm.ctx.types.type_type) {
            cls.as_object().set_class(meta, vm);
        }
        Ok(())
    })
}

/// The host's `object.__class__` descriptor, as found before
/// `install_class_assignment` replaced it.
static HOST_CLASS_DESCRIPTOR: std::sync::OnceLock<PyObjectRef> = std::sync::OnceLock::new();

/// `obj.__class__ = B` in Python moves C's `Py_TYPE(obj)` too, as in CPython,
/// where the two are one field: the host's assignment runs, then an object C
/// has seen gets the new class's type object. C code that checks
/// `Py_TYPE(self)` (numpy's subclass views, astropy) then sees the class
/// Python sees.
pub(crate) fn install_class_assignment(vm: &VirtualMachine) {
    let object = vm.ctx.types.object_type;
    let name = vm.ctx.intern_str("__class__");
    let Some(host) = object.get_direct_attr(name) else { return };
    if HOST_CLASS_DESCRIPTOR.set(host).is_err() {
        return;
    }
    fn get(obj: PyObjectRef) -> rustpython_vm::builtins::PyTypeRef {
        obj.class().to_owned()
    }
    fn set(obj: PyObjectRef, value: rustpython_vm::function::PySetterValue, vm: &VirtualMachine) -> PyResult<()> {
        let host = HOST_CLASS_DESCRIPTOR.get().expect("installed before use");
        match value {
            rustpython_vm::function::PySetterValue::Assign(value) => {
                vm.call_method(host, "__set__", (obj.clone(), value))?;
            }
            rustpython_vm::function::PySetterValue::Delete => {
                vm.call_method(host, "__delete__", (obj.clone(),))?;
            }
        }
        if proxy::existing_proxy(&obj).is_some() {
            let _gil = crate::gil::GilGuard::acquire(vm);
            // Looked up again under the GIL: C may have let the proxy go.
            if let Some(p) = proxy::existing_proxy(&obj) {
                let tp = crate::types::type_proxy(vm, obj.class());
                // SAFETY: a live proxy's header, written under the GIL (I1);
                // type objects of classes are never freed.
                unsafe { (*p).ob_type = tp };
            }
        }
        Ok(())
    }
    let getset = vm.ctx.new_getset("__class__", object, get, set);
    object.set_attr(name, getset.into());
}
