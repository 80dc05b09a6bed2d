//! methodobject.h: builtin functions as C sees them.
//!
//! A builtin function's proxy is laid out as CPython's `PyCMethodObject`
//! (a method descriptor's as `PyMethodDescrObject`, and other descriptors'
//! with the `PyDescrObject` head), so the
//! `PyCFunction_GET_*` macros and Cython's fast paths read true values:
//! - for a function made from a `PyMethodDef` (module functions, methods of
//!   C types, `PyCFunction_New`), `m_ml` is that definition, `m_self` the
//!   object C gets as `self`, and `mm_class` the defining class of a
//!   `METH_METHOD` function;
//! - for a function the host made itself (`len`, `dict.get`), `m_ml` is a
//!   definition inside the proxy with the name, `METH_VARARGS |
//!   METH_KEYWORDS` and a NULL `ml_meth`: there is no C function to call,
//!   and callers that check the flags go through `PyObject_Call`.
use crate::ffi::{self, PyObject, PyTypeObject};
use crate::proxy::{self, into_ref};
use crate::types;
use cpyext_macros::cpython_api;
use dashmap::DashMap;
use rustpython_vm::builtins::descriptor::{PyClassMethodDescriptor, PyMethodDescriptor};
use rustpython_vm::builtins::{PyModule, PyStr, PyType};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{CString, c_char, c_int, c_void};
use std::sync::LazyLock;

/// Room for a `PyCMethodObject` (the larger of the two layouts) and the
/// `PyMethodDef` of a host-made function after it.
pub const FUNCTION_PROXY_SIZE: usize = size_of::<ffi::PyCMethodObject>() + size_of::<ffi::PyMethodDef>();

/// Host function address -> its `PyMethodDef` and defining class, for the
/// functions `PyCMethod_New` made; `MADE_FROM_DEF_DEATHS` removes the
/// entry when its function dies.
static MADE_FROM_DEF: LazyLock<DashMap<usize, MadeFromDef>> = LazyLock::new(DashMap::new);

struct MadeFromDef {
    def: usize,
    class: usize,
}

static MADE_FROM_DEF_DEATHS: crate::death_watch::DeathWatches<usize> =
    crate::death_watch::DeathWatches::new("_cpyext_c_function_died", |_watch, address, _vm| {
        MADE_FROM_DEF.remove(&address);
    });

/// Module host address -> the method tables `PyModule_AddFunctions` added
/// (modules that have C functions are immortal, so the address stays theirs).
static ADDED_TABLES: LazyLock<DashMap<usize, Vec<usize>>> = LazyLock::new(DashMap::new);

/// Host method definition (its `func` address, static) -> the C
/// `PyMethodDef` of descriptors `PyDescr_NewMethod` made.
static DESCRIPTOR_DEFS: LazyLock<DashMap<usize, usize>> = LazyLock::new(DashMap::new);

/// NUL-terminated names of host-made functions, made once per name.
static C_NAMES: LazyLock<DashMap<String, CString>> = LazyLock::new(DashMap::new);

fn is_method_descriptor(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    cls.is(vm.ctx.types.method_descriptor_type) || cls.is(vm.ctx.types.classmethod_descriptor_type)
}

/// Getset, member and slot wrapper descriptors: laid out as a
/// `PyDescrObject` head (type and name), their definition pointer NULL.
fn is_other_descriptor(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    let types = &vm.ctx.types;
    cls.is(types.getset_type) || cls.is(types.member_descriptor_type) || cls.is(types.wrapper_descriptor_type)
}

/// Whether `obj`'s proxy gets the function layout.
pub(crate) fn has_function_layout(vm: &VirtualMachine, obj: &PyObjectRef) -> bool {
    let cls = obj.class();
    is_builtin_function_class(vm, cls) || is_method_descriptor(vm, cls) || is_other_descriptor(vm, cls)
}

/// builtin_function_or_method, or its subclass builtin_method (a C
/// function with a defining class); Python cannot subclass either.
pub(crate) fn is_builtin_function_class(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    cls.is(vm.ctx.types.builtin_function_or_method_type)
        || rustpython_vm::function::DEFINING_CLASS_FUNCTION_TYPE.get().is_some_and(|c| cls.is(c))
}

/// `builtin_method`: the type of C functions that take their defining
/// class (METH_METHOD), as `PyCMethod_New` and a C type's METH_METHOD
/// methods make them; a subclass of builtin_function_or_method.
#[unsafe(no_mangle)]
pub static mut PyCMethod_Type: PyTypeObject = unsafe { std::mem::zeroed() };
inventory::submit! { crate::boundary::ApiData { name: "PyCMethod_Type" } }

/// Makes the host class of `PyCMethod_Type` and has the host bind
/// METH_METHOD functions as its instances.
pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    use rustpython_vm::types::{PyTypeFlags, PyTypeSlots};
    let flags = PyTypeFlags::from_slice(&[PyTypeFlags::IMMUTABLETYPE, PyTypeFlags::DISALLOW_INSTANTIATION, PyTypeFlags::HAS_WEAKREF]);
    let base = vm.ctx.types.builtin_function_or_method_type;
    // CPython's readied static type has `__doc__` None in its dict (no
    // tp_doc), which hides the functions' own docs: `f.__doc__` is None.
    let cls = PyType::new_heap("builtin_method", vec![base.to_owned()], Default::default(), PyTypeSlots::new("builtin_method", flags), vm.ctx.types.type_type.to_owned(), &vm.ctx)
        .map_err(|e| vm.new_type_error(e))?;
    cls.set_attr(vm.ctx.intern_str("__doc__"), vm.ctx.none());
    cls.set_attr(vm.ctx.intern_str("__module__"), vm.ctx.new_str("builtins").into());
    if rustpython_vm::function::DEFINING_CLASS_FUNCTION_TYPE.set(cls.clone()).is_err() {
        return Ok(());
    }
    types::register_static_type(vm, &raw mut PyCMethod_Type, &cls);
    Ok(())
}

fn c_name(name: &str) -> *const c_char {
    if let Some(found) = C_NAMES.get(name) {
        return found.as_ptr();
    }
    // Never replaced once made: the CString's buffer does not move with
    // the entry, so the pointer stays valid.
    let entry = C_NAMES.entry(name.to_owned()).or_insert_with(|| CString::new(name.replace('\0', "")).unwrap_or_default());
    entry.as_ptr()
}

/// The entry named `name` of a NULL-terminated method table.
unsafe fn find_in_table(table: *mut ffi::PyMethodDef, name: &str) -> Option<*mut ffi::PyMethodDef> {
    let mut def = table;
    // SAFETY: the tables come from C and end with an entry whose name is NULL.
    unsafe {
        while !def.is_null() && !(*def).ml_name.is_null() {
            if crate::methods::c_str((*def).ml_name) == Some(name) {
                return Some(def);
            }
            def = def.add(1);
        }
    }
    None
}

/// The methods of that name and kind in the tables of the C types along
/// `cls`'s MRO, nearest first: each class with its `PyMethodDef` and type
/// object.
fn type_method_candidates<'a>(
    vm: &'a VirtualMachine,
    cls: &Py<PyType>,
    name: &'a str,
    class_method: bool,
) -> impl Iterator<Item = (rustpython_vm::builtins::PyTypeRef, usize, usize)> + 'a {
    cls.mro_collect().into_iter().filter(|class| crate::ctype::is_own_c_type(class)).filter_map(move |class| {
        let tp = types::type_proxy(vm, &class);
        // SAFETY: a readied C type's tp_methods is its NULL-terminated table.
        let def = unsafe { find_in_table((*tp).tp_methods, name) }?;
        // SAFETY: `def` points into that table.
        let flags = unsafe { (*def).ml_flags };
        ((flags & ffi::METH_CLASS as c_int != 0) == class_method).then_some((class, def as usize, tp as usize))
    })
}

/// The `PyMethodDef` a method of a C type in `cls`'s MRO was made from, and
/// that type: the nearest definition of the name.
fn find_type_method(vm: &VirtualMachine, cls: &Py<PyType>, name: &str, class_method: bool) -> Option<(usize, usize)> {
    type_method_candidates(vm, cls, name, class_method).next().map(|(_, def, tp)| (def, tp))
}

/// Replaces the getter `attribute` (`__doc__`, `__text_signature__`) of the
/// host class `class` with a property that asks `live` first (from a doc C
/// wrote into a definition after the fact: `Some(None)` for a definition
/// without one) and falls back to the host's own.
fn install_live_property(
    vm: &VirtualMachine,
    class: &'static Py<PyType>,
    attribute: &'static str,
    live: fn(&VirtualMachine, &PyObjectRef) -> Option<Option<String>>,
) -> PyResult<()> {
    super::override_host_getter(vm, class, attribute, move |vm, object, host_value| match live(vm, object) {
        Some(value) => Ok(value.map_or_else(|| vm.ctx.none(), |d| vm.ctx.new_str(d).into())),
        None => host_value(),
    })
}

fn install_doc_property(
    vm: &VirtualMachine,
    class: &'static Py<PyType>,
    live: fn(&VirtualMachine, &PyObjectRef) -> Option<Option<String>>,
) -> PyResult<()> {
    install_live_property(vm, class, "__doc__", live)
}

/// The text signature at the start of the doc in a `PyMethodDef`
/// (`name($self, a, /)\n--\n\n...` gives `($self, a, /)`), as
/// `__text_signature__` shows it.
///
/// # Safety
/// `def` points at a definition that is live.
unsafe fn method_def_text_signature(def: *const ffi::PyMethodDef) -> Option<String> {
    // SAFETY: the caller's contract.
    let (name, doc) = unsafe { (crate::methods::c_str((*def).ml_name).unwrap_or(""), crate::methods::c_str((*def).ml_doc)) };
    text_signature_in(name, doc?)
}

/// The text signature at the start of `doc`, the doc of `name`.
fn text_signature_in(name: &str, doc: &str) -> Option<String> {
    let rest = doc.strip_prefix(name)?;
    if !rest.starts_with('(') {
        return None;
    }
    rest.find(")\n--\n\n").map(|end| rest[..=end].to_owned())
}

/// The doc in a `PyMethodDef`, as `__doc__` shows it (without a text
/// signature). None when nothing is left, as CPython's
/// `_PyType_GetDocFromInternalDoc` gives for `""` and for a bare signature
/// (mypyc documents every function as `name(args)\n--\n\n`).
///
/// # Safety
/// `def` points at a definition that is live.
unsafe fn method_def_doc(def: *const ffi::PyMethodDef) -> Option<String> {
    // SAFETY: the caller's contract.
    let (name, doc) = unsafe { (crate::methods::c_str((*def).ml_name).unwrap_or(""), crate::methods::c_str((*def).ml_doc)) };
    doc.map(|doc| doc_without_signature(name, doc)).filter(|doc| !doc.is_empty()).map(str::to_owned)
}

/// The C definition of a builtin function, if C made it: from
/// `PyCMethod_New`, a module's table or a C type's methods.
pub(crate) fn function_def(vm: &VirtualMachine, function: &PyObjectRef) -> Option<usize> {
    MADE_FROM_DEF.get(&proxy::host_addr(function)).map(|found| found.def).or_else(|| {
        let name = function.get_attr("__name__", vm).ok()?.downcast::<PyStr>().ok()?.to_string();
        let bound = function.get_attr("__self__", vm).ok().filter(|b| !vm.is_none(b))?;
        c_definition(vm, function, &name, Some(&bound)).map(|(def, _)| def)
    })
}

/// Makes `__doc__` of builtin functions, method descriptors, getsets and
/// member descriptors read the doc in the C definition behind them when it
/// is asked for, as CPython's do. C may write it after the object is made:
/// pybind11 writes each function's signature list into `ml_doc`, again as
/// overloads are added; numpy documents its functions, methods and getsets
/// so (`add_docstring`). Other objects keep the host's `__doc__`.
pub(crate) fn install_live_docs(vm: &VirtualMachine) -> PyResult<()> {
    install_doc_property(vm, vm.ctx.types.builtin_function_or_method_type, |vm, function| {
        let def = function_def(vm, function)?;
        // SAFETY: a definition C gave outlives the functions made from it.
        Some(unsafe { method_def_doc(def as *const ffi::PyMethodDef) })
    })?;
    install_doc_property(vm, vm.ctx.types.method_descriptor_type, |vm, descriptor| {
        if let Some(doc) = slot_wrapper_doc(descriptor) {
            return Some(doc.and_then(|(name, doc)| Some(doc_without_signature(&name, &doc).to_owned()).filter(|d| !d.is_empty())));
        }
        let def = method_descriptor_def(vm, descriptor)?;
        // SAFETY: a definition from a C type's method table lives as long as the type.
        Some(unsafe { method_def_doc(def) })
    })?;
    // The text signature too, which inspect.signature reads.
    install_live_property(vm, vm.ctx.types.builtin_function_or_method_type, "__text_signature__", |vm, function| {
        let def = function_def(vm, function)?;
        // SAFETY: as for `__doc__` above.
        Some(unsafe { method_def_text_signature(def as *const ffi::PyMethodDef) })
    })?;
    install_live_property(vm, vm.ctx.types.method_descriptor_type, "__text_signature__", |vm, descriptor| {
        if let Some(doc) = slot_wrapper_doc(descriptor) {
            return Some(doc.and_then(|(name, doc)| text_signature_in(&name, &doc)));
        }
        let def = method_descriptor_def(vm, descriptor)?;
        // SAFETY: as for `__doc__` above.
        Some(unsafe { method_def_text_signature(def) })
    })?;
    // Slot wrappers: the doc in their `wrapperbase`, which C may replace.
    install_doc_property(vm, vm.ctx.types.wrapper_descriptor_type, |_, descriptor| {
        slot_wrapper_doc(descriptor).map(|doc| doc.and_then(|(name, doc)| Some(doc_without_signature(&name, &doc).to_owned()).filter(|d| !d.is_empty())))
    })?;
    install_live_property(vm, vm.ctx.types.wrapper_descriptor_type, "__text_signature__", |_, descriptor| {
        slot_wrapper_doc(descriptor).map(|doc| doc.and_then(|(name, doc)| text_signature_in(&name, &doc)))
    })?;
    // A bound slot wrapper (method-wrapper) shows its descriptor's, as
    // CPython's reads the same `d_base`.
    install_doc_property(vm, vm.ctx.types.method_wrapper_type, |vm, bound| {
        slot_wrapper_doc(&bound_slot_wrapper(vm, bound)?).map(|doc| doc.and_then(|(name, doc)| Some(doc_without_signature(&name, &doc).to_owned()).filter(|d| !d.is_empty())))
    })?;
    install_live_property(vm, vm.ctx.types.method_wrapper_type, "__text_signature__", |vm, bound| {
        slot_wrapper_doc(&bound_slot_wrapper(vm, bound)?).map(|doc| doc.and_then(|(name, doc)| text_signature_in(&name, &doc)))
    })?;
    for class in [vm.ctx.types.getset_type, vm.ctx.types.member_descriptor_type] {
        install_doc_property(vm, class, |vm, descriptor| doc_written_by_c(vm, descriptor).map(Some))?;
    }
    Ok(())
}

/// The slot wrapper a method-wrapper was bound from: the one its
/// `__objclass__` holds under its name (the host keeps the descriptor to
/// itself).
fn bound_slot_wrapper(vm: &VirtualMachine, bound: &PyObjectRef) -> Option<PyObjectRef> {
    let class = bound.get_attr("__objclass__", vm).ok()?.downcast::<PyType>().ok()?;
    let name = bound.get_attr("__name__", vm).ok()?.downcast::<PyStr>().ok()?;
    class.get_direct_attr(vm.ctx.intern_str(name.to_str()?)).filter(|d| d.class().is(vm.ctx.types.wrapper_descriptor_type))
}

/// Makes `hash()` of builtin functions and bound builtin methods agree with
/// their `==`, as CPython's does: the host compares the bound object and
/// the function but hashes by identity, so a fresh bound method (pandas'
/// `{np.maximum.accumulate: ...}[func]`) missed its own dict entry.
pub(crate) fn install_builtin_method_hash(vm: &VirtualMachine) {
    fn builtin_method_hash(function: &rustpython_vm::PyObject, vm: &VirtualMachine) -> PyResult<rustpython_vm::common::hash::PyHash> {
        // Equal functions have the same bound object (by identity) and name.
        let bound = function.get_attr("__self__", vm)?;
        let name = function.get_attr("__name__", vm)?.hash(vm)?;
        let identity = (bound.as_object() as *const rustpython_vm::PyObject as usize).rotate_right(4) as rustpython_vm::common::hash::PyHash;
        Ok(rustpython_vm::common::hash::fix_sentinel(identity ^ name))
    }
    vm.ctx.types.builtin_function_or_method_type.slots.hash.store(Some(builtin_method_hash));
}

/// A doc that starts with a text signature (`name(...)\n--\n\n`) without
/// it, as `__doc__` shows it; any other doc as it is.
fn doc_without_signature<'a>(name: &str, doc: &'a str) -> &'a str {
    match doc.strip_prefix(name) {
        Some(rest) if rest.starts_with('(') => rest.find(")\n--\n\n").map_or(doc, |end| &rest[end + 6..]),
        _ => doc,
    }
}

/// The definition (and defining class) of a builtin function, if C made it.
fn c_definition(vm: &VirtualMachine, function: &PyObjectRef, name: &str, bound: Option<&PyObjectRef>) -> Option<(usize, usize)> {
    if let Some(found) = MADE_FROM_DEF.get(&proxy::host_addr(function)) {
        return Some((found.def, found.class));
    }
    let bound = bound?;
    if bound.downcast_ref::<PyModule>().is_some() {
        let mut tables = ADDED_TABLES.get(&proxy::host_addr(bound)).map(|t| t.clone()).unwrap_or_default();
        if let Some(def) = super::moduleobject::definition_of(bound) {
            // SAFETY: a module's definition outlives the module.
            tables.insert(0, unsafe { (*def).m_methods } as usize);
        }
        // SAFETY: each table is a NULL-terminated PyMethodDef array.
        return tables.iter().find_map(|t| unsafe { find_in_table(*t as *mut _, name) }).map(|d| (d as usize, 0));
    }
    match bound.downcast_ref::<PyType>() {
        // A classmethod of a C type bound to its class (or a subclass), or
        // a method of a C metatype bound to one of its classes.
        Some(cls) => bound_type_method(vm, cls, name, true, function, None, Some(&**bound))
            .or_else(|| bound_type_method(vm, bound.class(), name, false, function, Some(bound), Some(bound.class().as_object()))),
        None => bound_type_method(vm, bound.class(), name, false, function, Some(bound), Some(bound.class().as_object())),
    }
}

/// The `PyMethodDef` (and defining type) of `function`, a method of a C
/// type bound to `obj` (or, for a classmethod, to the class `cls`). The name
/// alone does not say which: `super(Derived, d).who` and
/// `Base.who.__get__(d)` are `Base`'s `who` bound to a `Derived`, whose own
/// `who` comes first in its MRO. So each class's descriptor of that name
/// is bound again and compared with `function` (builtin methods are equal
/// when their self and their definition are the same, as CPython's
/// `meth_richcompare`). Without a match (a descriptor replaced after the
/// type was readied), the nearest definition of the name, as `find_type_method` gives.
fn bound_type_method(
    vm: &VirtualMachine,
    cls: &Py<PyType>,
    name: &str,
    class_method: bool,
    function: &PyObjectRef,
    obj: Option<&PyObjectRef>,
    owner: Option<&rustpython_vm::PyObject>,
) -> Option<(usize, usize)> {
    let candidates: Vec<_> = type_method_candidates(vm, cls, name, class_method).collect();
    // One definition of the name (the usual case) needs no comparison.
    if candidates.len() > 1 {
        let rebinds_to_function = |class: &Py<PyType>| {
            class
                .get_direct_attr(vm.ctx.intern_str(name))
                .and_then(|descr| vm.call_get_descriptor_specific(&descr, obj.map(|o| &**o), owner))
                .and_then(Result::ok)
                .is_some_and(|rebound| vm.bool_eq(&rebound, function).unwrap_or(false))
        };
        if let Some((_, def, tp)) = candidates.iter().find(|(class, _, _)| rebinds_to_function(class)) {
            return Some((*def, *tp));
        }
    }
    candidates.first().map(|(_, def, tp)| (*def, *tp))
}

/// The `PyMethodDef` inside a function proxy, for host-made functions.
fn own_definition(proxy: *mut PyObject) -> *mut ffi::PyMethodDef {
    // SAFETY: function proxies are FUNCTION_PROXY_SIZE bytes long.
    unsafe { (proxy as *mut u8).add(size_of::<ffi::PyCMethodObject>()) as *mut ffi::PyMethodDef }
}

fn describe_host_function(proxy: *mut PyObject, name: &str, extra_flags: u32) -> *mut ffi::PyMethodDef {
    let def = own_definition(proxy);
    // SAFETY: `def` lies inside the zeroed proxy being filled.
    unsafe {
        (*def).ml_name = c_name(name);
        (*def).ml_meth = None;
        (*def).ml_flags = (ffi::METH_VARARGS | ffi::METH_KEYWORDS | extra_flags) as c_int;
        (*def).ml_doc = std::ptr::null();
    }
    def
}

/// Fills a new function or method descriptor proxy (see the module doc).
pub(crate) fn fill_function_proxy(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) {
    if let Some(descr) = obj.downcast_ref::<PyMethodDescriptor>() {
        fill_descriptor(vm, proxy, descr.common.typ, descr.method, 0);
    } else if let Some(descr) = obj.downcast_ref::<PyClassMethodDescriptor>() {
        fill_descriptor(vm, proxy, descr.common.typ, descr.method, ffi::METH_CLASS);
    } else if obj.class().is(vm.ctx.types.wrapper_descriptor_type) {
        let owner = obj.get_attr("__objclass__", vm).ok().and_then(|c| c.downcast::<PyType>().ok());
        let name = obj.get_attr("__name__", vm).ok().and_then(|n| n.downcast::<PyStr>().ok()).map(|n| n.to_string()).unwrap_or_default();
        fill_slot_wrapper(vm, proxy, obj, owner.as_deref(), &name);
    } else if is_other_descriptor(vm, obj.class()) {
        fill_descriptor_head(vm, proxy, obj);
    } else {
        fill_function(vm, proxy, obj);
    }
}

fn host_def_key(method: &rustpython_vm::function::PyMethodDef) -> usize {
    method.func as *const dyn rustpython_vm::function::PyNativeFn as *const () as usize
}

/// Remembers the C definition of a descriptor `PyDescr_NewMethod` made.
pub(crate) fn remember_descriptor_def(descriptor: &PyObjectRef, def: *mut ffi::PyMethodDef) {
    let method = if let Some(d) = descriptor.downcast_ref::<PyMethodDescriptor>() {
        d.method
    } else if let Some(d) = descriptor.downcast_ref::<PyClassMethodDescriptor>() {
        d.method
    } else {
        return;
    };
    DESCRIPTOR_DEFS.insert(host_def_key(method), def as usize);
}

fn fill_descriptor(vm: &VirtualMachine, proxy: *mut PyObject, class: &'static Py<PyType>, method: &'static rustpython_vm::function::PyMethodDef, extra_flags: u32) {
    let d = proxy as *mut ffi::PyMethodDescrObject;
    let name = method.name;
    let c_def = DESCRIPTOR_DEFS.get(&host_def_key(method)).map(|def| *def as *mut ffi::PyMethodDef).or_else(|| {
        find_type_method(vm, class, name, extra_flags != 0)
            .filter(|(_, tp)| *tp == types::type_proxy(vm, class) as usize)
            .map(|(def, _)| def as *mut ffi::PyMethodDef)
    });
    // SAFETY: the proxy is a zeroed block of FUNCTION_PROXY_SIZE bytes.
    unsafe {
        (*d).d_common.d_type = types::type_proxy(vm, class);
        (*d).d_common.d_name = into_ref(vm, vm.ctx.new_str(name).into());
        (*d).d_method = c_def.unwrap_or_else(|| describe_host_function(proxy, name, extra_flags));
    }
}

/// The slot dunders the layer gives a C type (`__init__`, `__repr__`,
/// `__add__`...), host wrapper descriptors, by address; each entry holds
/// its descriptor, so the address is never another's.
static SLOT_DUNDERS: LazyLock<DashMap<usize, PyObjectRef>> = LazyLock::new(DashMap::new);

/// Marks `descriptor` as a slot dunder the layer made for a C type.
pub(crate) fn mark_slot_dunder(descriptor: &PyObjectRef) {
    SLOT_DUNDERS.insert(proxy::host_addr(descriptor), descriptor.clone());
}

/// Whether `attribute` is one of the host's own slot wrappers (readying put
/// it in a C type's namespace for a slot the type inherits), not a slot
/// dunder the layer made for the type.
pub(crate) fn is_host_slot_wrapper(vm: &VirtualMachine, attribute: &PyObjectRef) -> bool {
    attribute.class().is(vm.ctx.types.wrapper_descriptor_type) && !SLOT_DUNDERS.contains_key(&proxy::host_addr(attribute))
}

/// Slot wrapper address (a host `wrapper_descriptor`, a slot dunder of a
/// C type among them) -> the `wrapperbase` its proxy's `d_base` pointed at last, and
/// the descriptor, held so that the address stays its own. C may point
/// `d_base` at a copy of its own with another doc (Cython documents the
/// special methods of a cdef class so), which `__doc__` then shows.
static WRAPPER_BASES: LazyLock<DashMap<usize, (usize, PyObjectRef)>> = LazyLock::new(DashMap::new);

/// Wrapper proxy address -> the address of its descriptor, for handing a
/// `d_base` C wrote back to `WRAPPER_BASES` as the proxy is freed.
static WRAPPER_PROXIES: LazyLock<DashMap<usize, usize>> = LazyLock::new(DashMap::new);

/// Lays a slot wrapper's proxy out as CPython's `PyWrapperDescrObject`, of
/// type `PyWrapperDescr_Type` (also a C type's slot dunder), its `d_base`
/// naming the slot and carrying its doc, text signature first.
fn fill_slot_wrapper(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef, owner: Option<&Py<PyType>>, name: &str) {
    let key = proxy::host_addr(obj);
    // A wrapper C made (`PyDescr_NewWrapper`) shows C's own base and function.
    let made_by_c = super::descrobject::c_wrapper_fields(obj);
    let known = WRAPPER_BASES.get(&key).map(|entry| entry.0).or_else(|| {
        made_by_c.map(|(base, _)| WRAPPER_BASES.entry(key).or_insert_with(|| (base as usize, obj.clone())).0)
    });
    let base = known.unwrap_or_else(|| {
        // The wrapper's own doc, text signature first. Read before the
        // table is locked: `__doc__` looks in it.
        let doc = obj.get_attr("__doc__", vm).ok().and_then(|d| d.downcast::<PyStr>().ok()).map(|text| {
            let signature = obj.get_attr("__text_signature__", vm).ok().and_then(|s| s.downcast::<PyStr>().ok());
            signature.map_or_else(|| text.to_string(), |sig| format!("{name}{sig}\n--\n\n{text}"))
        });
        let base = Box::new(ffi::wrapperbase {
            name: c_name(name),
            doc: doc.map_or(std::ptr::null(), |d| c_name(&d)),
            ..Default::default()
        });
        WRAPPER_BASES.entry(key).or_insert_with(|| (Box::into_raw(base) as usize, obj.clone())).0
    });
    WRAPPER_PROXIES.insert(proxy as usize, key);
    let w = proxy as *mut ffi::PyWrapperDescrObject;
    // SAFETY: the proxy is a zeroed block of FUNCTION_PROXY_SIZE bytes, room
    // for a PyWrapperDescrObject; the name is a reference the proxy owns
    // (released with the descriptor layouts'); the base lives for ever.
    unsafe {
        (*proxy).ob_type = &raw mut types::PyWrapperDescr_Type;
        (*w).d_common.d_type = owner.map_or(std::ptr::null_mut(), |c| types::type_proxy(vm, c));
        (*w).d_common.d_name = into_ref(vm, vm.ctx.new_str(name).into());
        (*w).d_base = base as *mut ffi::wrapperbase;
        (*w).d_wrapped = made_by_c.map_or(std::ptr::null_mut(), |(_, wrapped)| wrapped);
    }
}

/// The doc in the `wrapperbase` behind a slot wrapper (None: not one C
/// has seen), read where C may have replaced it: the live proxy's `d_base`.
fn slot_wrapper_doc(descriptor: &PyObjectRef) -> Option<Option<(String, String)>> {
    let key = proxy::host_addr(descriptor);
    let stored = WRAPPER_BASES.get(&key)?.0 as *mut ffi::wrapperbase;
    let live = proxy::existing_proxy(descriptor).filter(|p| WRAPPER_PROXIES.get(&(*p as usize)).is_some_and(|k| *k == key));
    // SAFETY: a live wrapper proxy filled by `fill_slot_wrapper`; a base is
    // ours (never freed) or one C pointed the proxy at and keeps.
    let base = live.map_or(stored, |p| unsafe { (*(p as *mut ffi::PyWrapperDescrObject)).d_base });
    if base.is_null() {
        return Some(None);
    }
    // SAFETY: as above; name and doc are NUL-terminated strings or NULL.
    let (name, doc) = unsafe { (crate::methods::c_str((*base).name).unwrap_or(""), crate::methods::c_str((*base).doc)) };
    Some(doc.map(|d| (name.to_owned(), d.to_owned())))
}

/// A slot wrapper proxy is freed: the `d_base` C may have given it stays
/// the descriptor's.
fn release_slot_wrapper(proxy: *mut PyObject) {
    if let Some((_, key)) = WRAPPER_PROXIES.remove(&(proxy as usize)) {
        if let Some(mut entry) = WRAPPER_BASES.get_mut(&key) {
            // SAFETY: a wrapper proxy being freed, still readable.
            let base = unsafe { (*(proxy as *mut ffi::PyWrapperDescrObject)).d_base };
            if !base.is_null() {
                entry.0 = base as usize;
            }
        }
    }
}

/// Host getset descriptor address -> the `PyGetSetDef` a C type's
/// `tp_getset` gave for it; the entry holds the descriptor, so the address
/// is never another's.
static GETSET_DEFS: LazyLock<DashMap<usize, (usize, PyObjectRef)>> = LazyLock::new(DashMap::new);

/// Remembers the C definition of a getset descriptor made from `tp_getset`.
pub(crate) fn remember_getset_def(descriptor: &PyObjectRef, def: *mut ffi::PyGetSetDef) {
    GETSET_DEFS.insert(proxy::host_addr(descriptor), (def as usize, descriptor.clone()));
}

/// The definition inside a descriptor proxy, after its struct, for
/// descriptors with no C definition of their own.
fn own_descriptor_definition<T>(proxy: *mut PyObject, struct_size: usize) -> *mut T {
    debug_assert!(struct_size + size_of::<T>() <= FUNCTION_PROXY_SIZE);
    // SAFETY: function proxies are FUNCTION_PROXY_SIZE bytes long, room for
    // any descriptor struct and a definition after it.
    unsafe { (proxy as *mut u8).add(struct_size.next_multiple_of(align_of::<T>())) as *mut T }
}

/// The `PyDescrObject` head of a getset, member or wrapper descriptor, and
/// the definition a getset or member descriptor points at (`d_getset`,
/// `d_member`): C reads and writes its `doc` (numpy's `add_docstring`).
/// A getset made from a C type's `tp_getset` points at that definition;
/// the others at one inside the proxy, with their name and doc.
fn fill_descriptor_head(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) {
    let d = proxy as *mut ffi::PyDescrObject;
    let owner = obj.get_attr("__objclass__", vm).ok().and_then(|c| c.downcast::<PyType>().ok());
    let name = obj.get_attr("__name__", vm).ok();
    let c_name_of = |name: &Option<PyObjectRef>| name.as_ref().and_then(|n| n.downcast_ref::<PyStr>().map(|s| c_name(&s.to_string()))).unwrap_or(std::ptr::null());
    let doc = || {
        obj.get_attr("__doc__", vm).ok().and_then(|d| d.downcast_ref::<PyStr>().map(|s| c_name(&s.to_string()))).unwrap_or(std::ptr::null())
    };
    // SAFETY: the proxy is a zeroed block of FUNCTION_PROXY_SIZE bytes;
    // the name is a reference the proxy owns; names and docs in C_NAMES
    // live for ever.
    unsafe {
        (*d).d_type = owner.map_or(std::ptr::null_mut(), |c| types::type_proxy(vm, &c));
        if obj.class().is(vm.ctx.types.getset_type) {
            let g = proxy as *mut ffi::PyGetSetDescrObject;
            (*g).d_getset = match GETSET_DEFS.get(&proxy::host_addr(obj)) {
                Some(found) => found.0 as *mut ffi::PyGetSetDef,
                None => {
                    let def = own_descriptor_definition::<ffi::PyGetSetDef>(proxy, size_of::<ffi::PyGetSetDescrObject>());
                    (*def).name = c_name_of(&name);
                    (*def).doc = doc();
                    def
                }
            };
        } else if obj.class().is(vm.ctx.types.member_descriptor_type) {
            let m = proxy as *mut ffi::PyMemberDescrObject;
            let def = own_descriptor_definition::<ffi::PyMemberDef>(proxy, size_of::<ffi::PyMemberDescrObject>());
            (*def).name = c_name_of(&name);
            (*def).type_ = ffi::T_OBJECT_EX as c_int;
            // A `__slots__` member: where C finds the slot (psycopg_c
            // stores a UUID's fields there), else 0.
            (*def).offset = types::slot_member_offset(vm, obj).unwrap_or(0) as ffi::Py_ssize_t;
            (*def).doc = doc();
            (*m).d_member = def;
        }
        (*d).d_name = name.map_or(std::ptr::null_mut(), |n| into_ref(vm, n));
    }
}

/// The doc C wrote into the definition behind a descriptor's proxy, if it
/// wrote one the host does not have (numpy documents its getsets so).
fn doc_written_by_c(vm: &VirtualMachine, descriptor: &PyObjectRef) -> Option<String> {
    if let Some(found) = GETSET_DEFS.get(&proxy::host_addr(descriptor)) {
        // SAFETY: a definition from a C type's table, or one made for a
        // member, lives as long as the type (for ever).
        return unsafe { crate::methods::c_str((*(found.0 as *const ffi::PyGetSetDef)).doc) }.map(str::to_owned);
    }
    let proxy = proxy::existing_proxy(descriptor)?;
    // SAFETY: a live proxy of a getset or member descriptor, filled by
    // `fill_descriptor_head`; its definition pointers are set there.
    let doc = unsafe {
        if descriptor.class().is(vm.ctx.types.getset_type) {
            let def = (*(proxy as *mut ffi::PyGetSetDescrObject)).d_getset;
            if def.is_null() { std::ptr::null() } else { (*def).doc }
        } else {
            let def = (*(proxy as *mut ffi::PyMemberDescrObject)).d_member;
            if def.is_null() { std::ptr::null() } else { (*def).doc }
        }
    };
    // SAFETY: a doc C stored: a NUL-terminated string it keeps.
    unsafe { crate::methods::c_str(doc) }.map(str::to_owned)
}

/// The C definition of a method descriptor, if C made it.
fn method_descriptor_def(vm: &VirtualMachine, descriptor: &PyObjectRef) -> Option<*mut ffi::PyMethodDef> {
    let (class, method, class_method) = if let Some(d) = descriptor.downcast_ref::<PyMethodDescriptor>() {
        (d.common.typ, d.method, false)
    } else if let Some(d) = descriptor.downcast_ref::<PyClassMethodDescriptor>() {
        (d.common.typ, d.method, true)
    } else {
        return None;
    };
    DESCRIPTOR_DEFS.get(&host_def_key(method)).map(|def| *def as *mut ffi::PyMethodDef).or_else(|| {
        find_type_method(vm, class, method.name, class_method)
            .filter(|(_, tp)| *tp == types::type_proxy(vm, class) as usize)
            .map(|(def, _)| def as *mut ffi::PyMethodDef)
    })
}

fn fill_function(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) {
    let attr = |name: &'static str| obj.get_attr(name, vm).ok().filter(|v| !vm.is_none(v));
    let name = attr("__name__").and_then(|n| n.downcast_ref::<PyStr>().map(|s| s.to_string())).unwrap_or_default();
    let bound = attr("__self__");
    let f = proxy as *mut ffi::PyCMethodObject;
    let def = match c_definition(vm, obj, &name, bound.as_ref()) {
        Some((def, class)) => {
            // SAFETY: the proxy is a zeroed block of FUNCTION_PROXY_SIZE bytes.
            unsafe { (*f).mm_class = class as *mut PyTypeObject };
            def as *mut ffi::PyMethodDef
        }
        None => describe_host_function(proxy, &name, 0),
    };
    // SAFETY: as above; the references stored are owned by the proxy and
    // released by `release_function_proxy`.
    unsafe {
        (*f).func.m_ml = def;
        (*f).func.m_self = bound.map_or(std::ptr::null_mut(), |s| self_reference(vm, proxy, s));
        (*f).func.m_module = attr("__module__").map_or(std::ptr::null_mut(), |m| into_ref(vm, m));
    }
}

/// Function proxies whose `m_self` is not a counted reference (see
/// `self_reference`).
static UNCOUNTED_SELF: std::sync::LazyLock<dashmap::DashSet<usize>> = std::sync::LazyLock::new(dashmap::DashSet::new);

/// The `m_self` of a function proxy: a new reference to the object the
/// method is bound to, except while that object's own tp_dealloc runs (a
/// method called on `self` there): the dying object is then not counted.
/// Counted, its release came after the dealloc had brought the count back
/// to zero (started another dealloc) or freed the struct (wrote to freed
/// memory).
fn self_reference(vm: &VirtualMachine, function: *mut PyObject, bound: PyObjectRef) -> *mut PyObject {
    if let Some(p) = proxy::existing_proxy(&bound) {
        if proxy::is_being_destroyed(p) {
            UNCOUNTED_SELF.insert(function as usize);
            return p;
        }
    }
    into_ref(vm, bound)
}

/// Releases the references a function proxy holds, as it is freed.
pub(crate) fn release_function_proxy(proxy: *mut PyObject) {
    // SAFETY: `proxy` is a function proxy being freed; its type says which
    // of the two layouts it has.
    unsafe {
        let ob_type = (*proxy).ob_type;
        let descriptor_types = [
            &raw mut types::PyMethodDescr_Type,
            &raw mut types::PyClassMethodDescr_Type,
            &raw mut types::PyGetSetDescr_Type,
            &raw mut types::PyMemberDescr_Type,
            &raw mut types::PyWrapperDescr_Type,
        ];
        if descriptor_types.contains(&ob_type) {
            if ob_type == &raw mut types::PyWrapperDescr_Type {
                release_slot_wrapper(proxy);
            }
            let d = proxy as *mut ffi::PyMethodDescrObject;
            proxy::xdecref(std::mem::replace(&mut (*d).d_common.d_name, std::ptr::null_mut()));
        } else {
            let f = proxy as *mut ffi::PyCFunctionObject;
            let bound = std::mem::replace(&mut (*f).m_self, std::ptr::null_mut());
            if UNCOUNTED_SELF.remove(&(proxy as usize)).is_none() {
                proxy::xdecref(bound);
            }
            proxy::xdecref(std::mem::replace(&mut (*f).m_module, std::ptr::null_mut()));
        }
    }
}

/// Remembers the tables `PyModule_AddFunctions` added to a module, so that
/// its functions' proxies find their definitions.
pub(crate) fn remember_added_table(module: &PyObjectRef, table: *mut ffi::PyMethodDef) {
    ADDED_TABLES.entry(proxy::host_addr(module)).or_default().push(table as usize);
}

/// The function proxy behind `op`, or the error CPython gives for an
/// object that is not a builtin function.
fn c_function(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut ffi::PyCFunctionObject> {
    let is_function = !op.is_null()
        // SAFETY: the GIL is held and no other view of this header is live.
        && unsafe { proxy::header_mut(op) }.is_some_and(|h| h.layout == proxy::Layout::Function)
        // SAFETY: a proxy's ob_type is a type object.
        && [&raw mut types::PyCFunction_Type, &raw mut PyCMethod_Type].contains(&unsafe { (*op).ob_type });
    if !is_function {
        return Err(super::bad_internal_call(vm));
    }
    Ok(op as *mut ffi::PyCFunctionObject)
}

/// The C function of a builtin function (NULL for one the host made).
/// Returned as a data pointer: the ABI of a function pointer is the same.
///
/// # Safety
/// `op` must be NULL or an object pointer; it is checked to be a
/// builtin function before its fields are read.
#[cpython_api]
unsafe fn PyCFunction_GetFunction(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut c_void> {
    let f = c_function(vm, op)?;
    // SAFETY: `f` is a filled function proxy; m_ml points at a definition.
    let meth = unsafe { (*(*f).m_ml).ml_meth };
    Ok(meth.map_or(std::ptr::null_mut(), |m| m as *mut c_void))
}

/// Borrowed: the `self` C gets (NULL for METH_STATIC and unbound functions).
///
/// # Safety
/// `op` must be NULL or an object pointer; it is checked to be a
/// builtin function before its fields are read.
#[cpython_api]
unsafe fn PyCFunction_GetSelf(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let f = c_function(vm, op)?;
    // SAFETY: as in PyCFunction_GetFunction.
    unsafe {
        if (*(*f).m_ml).ml_flags & ffi::METH_STATIC as c_int != 0 {
            return Ok(std::ptr::null_mut());
        }
        Ok((*f).m_self)
    }
}

/// # Safety
/// `op` must be NULL or an object pointer; it is checked to be a
/// builtin function before its fields are read.
#[cpython_api]
unsafe fn PyCFunction_GetFlags(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<c_int> {
    let f = c_function(vm, op)?;
    // SAFETY: as in PyCFunction_GetFunction.
    Ok(unsafe { (*(*f).m_ml).ml_flags })
}

/// CPython 3.11 makes it `PyObject_Call`.
///
/// # Safety
/// As for `PyObject_Call`.
#[cpython_api]
unsafe fn PyCFunction_Call(func: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    // SAFETY: the caller's arguments are passed on unchanged.
    unsafe { super::r#abstract::PyObject_Call(func, args, kwargs) }
}

/// Without the macros (stable ABI): `PyCMethod_New(ml, self, NULL, NULL)`.
///
/// # Safety
/// As for `PyCMethod_New`.
#[cpython_api]
unsafe fn PyCFunction_New(ml: *mut ffi::PyMethodDef, self_object: *mut PyObject) -> *mut PyObject {
    // SAFETY: the caller's arguments are passed on unchanged.
    unsafe { PyCMethod_New(ml, self_object, std::ptr::null_mut(), std::ptr::null_mut()) }
}

/// # Safety
/// As for `PyCMethod_New`.
#[cpython_api]
unsafe fn PyCFunction_NewEx(ml: *mut ffi::PyMethodDef, self_object: *mut PyObject, module: *mut PyObject) -> *mut PyObject {
    // SAFETY: the caller's arguments are passed on unchanged.
    unsafe { PyCMethod_New(ml, self_object, module, std::ptr::null_mut()) }
}

/// A builtin function for `ml`, bound to `self_object` (which C gets as
/// `self`), with `module` as `__module__` and, for METH_METHOD, `cls` as
/// the defining class.
///
/// # Safety
/// `ml` must point to a `PyMethodDef` that outlives the function.
#[cpython_api]
unsafe fn PyCMethod_New(
    vm: &VirtualMachine,
    ml: *mut ffi::PyMethodDef,
    self_object: *mut PyObject,
    module: *mut PyObject,
    cls: *mut PyTypeObject,
) -> PyResult<*mut PyObject> {
    if ml.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a valid definition.
    let flags = unsafe { (*ml).ml_flags };
    let is_method = flags & ffi::METH_METHOD as c_int != 0;
    if is_method && cls.is_null() {
        return Err(vm.new_system_error("attempting to create PyCMethod with a METH_METHOD flag but no class".to_owned()));
    }
    if !is_method && !cls.is_null() {
        return Err(vm.new_system_error("attempting to create PyCFunction with class but no METH_METHOD flag".to_owned()));
    }
    let bound = proxy::opt_to_host(vm, self_object)?;
    let module = proxy::opt_to_host(vm, module)?;
    let owner = match (&module, &bound) {
        (Some(m), _) if m.downcast_ref::<PyStr>().is_some() => m.str(vm)?.to_string(),
        (_, Some(b)) => b.class().name().to_string(),
        _ => String::new(),
    };
    let function = crate::methods::bound_c_function(vm, ml, bound, &owner, cls as usize)?;
    if let Some(module) = module {
        function.set_attr("__module__", module, vm)?;
    }
    remember_definition(vm, &function, ml, if is_method { cls as usize } else { 0 })?;
    Ok(into_ref(vm, function))
}

/// Records that the host function `function` was made from `def` (and
/// `class`, its defining class or 0), for the functions whose `__self__`
/// does not lead back to a table: `PyCMethod_New`'s and a C type's
/// METH_STATIC methods. Their proxies then show that definition as `m_ml`
/// (SWIG finds a callback's C pointer in its `ml_doc`).
pub(crate) fn remember_definition(
    vm: &VirtualMachine,
    function: &PyObjectRef,
    def: *const ffi::PyMethodDef,
    class: usize,
) -> PyResult<()> {
    let address = proxy::host_addr(function);
    MADE_FROM_DEF_DEATHS.watch(vm, function, address)?;
    MADE_FROM_DEF.insert(address, MadeFromDef { def: def as usize, class });
    Ok(())
}
