//! descrobject.h: the descriptors a C type's `tp_getset` asks for.
use crate::boundary::{self, CFunction};
use crate::ffi;
use crate::methods::{self, c_str};
use crate::{error_indicator, proxy};
use rustpython_vm::builtins::PyType;
use cpyext_macros::cpython_api;
use rustpython_vm::function::PySetterValue;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};

/// A host getset descriptor that calls the C getter and setter (with the
/// definition's closure pointer).
pub(crate) fn getset_descriptor(vm: &VirtualMachine, def: *const ffi::PyGetSetDef, class: &'static Py<PyType>) -> PyResult<PyObjectRef> {
    let def_ptr = def as *mut ffi::PyGetSetDef;
    let def = unsafe { &*def };
    let name = unsafe { c_str(def.name) }.unwrap_or("?");
    let (get, set, closure) = (def.get, def.set, def.closure as usize);
    let attr = methods::leak_str(name.to_owned());
    // A fatal error during the call names the attribute with its type.
    let culprit = methods::leak_str(format!("{}.{name}", crate::ctype::tp_name(vm, class)));
    let getter = move |obj: PyObjectRef, vm: &VirtualMachine| -> PyResult {
        let Some(get) = get else {
            return Err(vm.new_attribute_error(format!(
                "attribute '{attr}' of '{}' objects is not readable",
                crate::ctype::tp_name(vm, class)
            )));
        };
        let r = boundary::call_into_c_with(vm, CFunction::Named(culprit), &[&obj], |object| {
            // SAFETY: a getter of the C type's tp_getset, given an owned
            // instance proxy and the closure its PyGetSetDef declared.
            unsafe { get(object[0], closure as *mut std::ffi::c_void) }
        });
        if r.is_null() && !error_indicator::occurred() {
            // CPython's getattr(o, name, default) and hasattr() take a
            // getter's NULL without an exception as a missing attribute
            // (protobuf's `_concrete_class` relies on it); an AttributeError
            // gives them that, and names the getter for a plain access.
            return Err(vm.new_attribute_error(format!(
                "getter of '{culprit}' returned NULL without setting an exception"
            )));
        }
        boundary::check_object(vm, attr, r)
    };
    let setter = move |obj: PyObjectRef, value: PySetterValue, vm: &VirtualMachine| -> PyResult<()> {
        let Some(set) = set else {
            return Err(vm.new_attribute_error(format!(
                "attribute '{attr}' of '{}' objects is not writable",
                crate::ctype::tp_name(vm, class)
            )));
        };
        let status = boundary::call_into_c_with(vm, CFunction::Named(culprit), &[&obj], |object| {
            let value = match value {
                PySetterValue::Assign(v) => proxy::into_ref(vm, v),
                PySetterValue::Delete => std::ptr::null_mut(),
            };
            // SAFETY: a setter of the C type's tp_getset, given an owned
            // instance proxy, an owned value (or NULL to delete) and its closure.
            let status = unsafe { set(object[0], value, closure as *mut std::ffi::c_void) };
            proxy::xdecref(value);
            status
        });
        match error_indicator::take_exception(vm) {
            Some(e) => Err(e),
            None if status < 0 => Err(vm.new_system_error(format!("setter of '{attr}' failed without setting an exception"))),
            None => Ok(()),
        }
    };
    let descriptor: PyObjectRef = crate::ctype::documented_getset!(vm, name, class, unsafe { c_str(def.doc) }, getter, setter);
    // Its proxy points at the definition, whose doc C may write later.
    super::methodobject::remember_getset_def(&descriptor, def_ptr);
    Ok(descriptor)
}


/// The host class of a type object, for descriptors that refer to it for
/// ever (the class is immortal, as every readied type is).
fn static_class(vm: &VirtualMachine, tp: *mut ffi::PyTypeObject) -> PyResult<&'static Py<PyType>> {
    let cls = proxy::to_host(vm, tp as *mut ffi::PyObject)?
        .downcast::<PyType>()
        .map_err(|_| super::bad_internal_call(vm))?;
    Ok(Box::leak(Box::new(cls)))
}

/// A method descriptor for `def` on `tp` (a classmethod descriptor when
/// the definition has METH_CLASS).
///
/// # Safety
/// `def` must point to a `PyMethodDef` that outlives the descriptor.
#[cpython_api]
unsafe fn PyDescr_NewMethod(vm: &VirtualMachine, tp: *mut ffi::PyTypeObject, def: *mut ffi::PyMethodDef) -> PyResult<*mut ffi::PyObject> {
    let class = static_class(vm, tp)?;
    let descriptor = methods::type_method(vm, def, class, tp as usize)?;
    super::methodobject::remember_descriptor_def(&descriptor, def);
    Ok(proxy::into_ref(vm, descriptor))
}

/// A classmethod descriptor for `def` on `tp`.
///
/// # Safety
/// `def` must point to a `PyMethodDef` that outlives the descriptor.
#[cpython_api]
unsafe fn PyDescr_NewClassMethod(vm: &VirtualMachine, tp: *mut ffi::PyTypeObject, def: *mut ffi::PyMethodDef) -> PyResult<*mut ffi::PyObject> {
    let class = static_class(vm, tp)?;
    // SAFETY: the caller passes a valid definition; the copy, which says
    // METH_CLASS, lives as long as the descriptor (for ever).
    let as_class_method: &'static mut ffi::PyMethodDef = Box::leak(Box::new(unsafe { *def }));
    as_class_method.ml_flags |= ffi::METH_CLASS as std::ffi::c_int;
    let descriptor = methods::type_method(vm, as_class_method, class, tp as usize)?;
    super::methodobject::remember_descriptor_def(&descriptor, def);
    Ok(proxy::into_ref(vm, descriptor))
}

/// A descriptor for the struct member `def` of instances of `tp`.
///
/// # Safety
/// `def` must point to a valid `PyMemberDef`.
#[cpython_api]
unsafe fn PyDescr_NewMember(vm: &VirtualMachine, tp: *mut ffi::PyTypeObject, def: *mut ffi::PyMemberDef) -> PyResult<*mut ffi::PyObject> {
    let class = static_class(vm, tp)?;
    let descriptor = super::structmember::member_descriptor(vm, def, class)?;
    Ok(proxy::into_ref(vm, descriptor))
}

/// A descriptor calling the getter and setter of `def`.
///
/// # Safety
/// `def` must point to a `PyGetSetDef` that outlives the descriptor.
#[cpython_api]
unsafe fn PyDescr_NewGetSet(vm: &VirtualMachine, tp: *mut ffi::PyTypeObject, def: *mut ffi::PyGetSetDef) -> PyResult<*mut ffi::PyObject> {
    let class = static_class(vm, tp)?;
    let descriptor = getset_descriptor(vm, def, class)?;
    Ok(proxy::into_ref(vm, descriptor))
}

/// What a slot wrapper made by `PyDescr_NewWrapper` calls: C's
/// `wrapperbase` and the function pointer it wraps.
struct CWrapper {
    base: *const ffi::wrapperbase,
    wrapped: *mut std::ffi::c_void,
    /// The descriptor's repr, naming it in errors.
    culprit: &'static str,
}

/// CPython's `PyWrapperFlag_KEYWORDS`: the wrapper takes keyword arguments.
const WRAPPER_FLAG_KEYWORDS: std::ffi::c_int = 1;

/// Host wrapper descriptor address -> its leaked `CWrapper`, for the
/// proxy's `d_base` and `d_wrapped`; the entry holds the descriptor, so the
/// address is never another's.
static C_WRAPPERS: std::sync::LazyLock<dashmap::DashMap<usize, (usize, PyObjectRef)>> = std::sync::LazyLock::new(dashmap::DashMap::new);

/// The `d_base` and `d_wrapped` of a wrapper descriptor C made.
pub(crate) fn c_wrapper_fields(descriptor: &PyObjectRef) -> Option<(*mut ffi::wrapperbase, *mut std::ffi::c_void)> {
    let found = C_WRAPPERS.get(&proxy::host_addr(descriptor))?;
    // SAFETY: entries point at leaked `CWrapper`s.
    let w = unsafe { &*(found.0 as *const CWrapper) };
    Some((w.base as *mut ffi::wrapperbase, w.wrapped))
}

/// Calls C's wrapper function for `obj` (already checked to be an instance
/// of the descriptor's type) with the remaining arguments, as CPython's
/// slot wrappers do: the keyword arguments go to a wrapper that declares
/// `PyWrapperFlag_KEYWORDS`, and are an error for any other.
fn call_c_wrapper(obj: PyObjectRef, args: rustpython_vm::function::FuncArgs, data: usize, vm: &VirtualMachine) -> PyResult {
    // SAFETY: `data` is the address of a leaked `CWrapper`.
    let w = unsafe { &*(data as *const CWrapper) };
    // SAFETY: C keeps its wrapperbase for as long as the descriptor lives.
    let (name, flags, wrapper) = unsafe { (c_str((*w.base).name).unwrap_or("?"), (*w.base).flags, (*w.base).wrapper) };
    let takes_keywords = flags & WRAPPER_FLAG_KEYWORDS != 0;
    if !takes_keywords && !args.kwargs.is_empty() {
        return Err(vm.new_type_error(format!("wrapper {name}() takes no keyword arguments")));
    }
    let Some(wrapper) = wrapper else {
        return Err(vm.new_system_error(format!("wrapper {name}() has no C function")));
    };
    let call = super::r#abstract::VectorArgs::from_host(vm, args);
    let keywords: Option<PyObjectRef> = call.keyword_dict(vm)?.map(Into::into);
    let positional: PyObjectRef = vm.ctx.new_tuple(call.into_positional()).into();
    let wrapped = w.wrapped;
    let r = match &keywords {
        None => boundary::call_into_c_with(vm, CFunction::Named(w.culprit), &[&obj, &positional], |o| {
            if takes_keywords {
                // SAFETY: a wrapper that declares PyWrapperFlag_KEYWORDS has
                // the four-argument signature (CPython calls it so).
                let wk: unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject, *mut std::ffi::c_void, *mut ffi::PyObject) -> *mut ffi::PyObject = unsafe { std::mem::transmute(wrapper) };
                // SAFETY: C's wrapper, given owned proxies and its function.
                unsafe { wk(o[0], o[1], wrapped, std::ptr::null_mut()) }
            } else {
                // SAFETY: as above, with the three-argument signature.
                unsafe { wrapper(o[0], o[1], wrapped) }
            }
        }),
        Some(kw) => boundary::call_into_c_with(vm, CFunction::Named(w.culprit), &[&obj, &positional, kw], |o| {
            // SAFETY: only a PyWrapperFlag_KEYWORDS wrapper gets here (see above).
            let wk: unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject, *mut std::ffi::c_void, *mut ffi::PyObject) -> *mut ffi::PyObject = unsafe { std::mem::transmute(wrapper) };
            // SAFETY: C's wrapper, given owned proxies and its function.
            unsafe { wk(o[0], o[1], wrapped, o[2]) }
        }),
    };
    boundary::check_object_as(vm, w.culprit, r)
}

/// A slot wrapper descriptor (`wrapper_descriptor`) named `base->name`,
/// for instances of `tp`, that calls `base->wrapper` with `wrapped`.
///
/// # Safety
/// `base` must be NULL or point to a `wrapperbase` that outlives the
/// descriptor; `tp` must be a type object.
#[cpython_api]
unsafe fn PyDescr_NewWrapper(vm: &VirtualMachine, tp: *mut ffi::PyTypeObject, base: *mut ffi::wrapperbase, wrapped: *mut std::ffi::c_void) -> PyResult<*mut ffi::PyObject> {
    if base.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let class = static_class(vm, tp)?;
    // SAFETY: the caller's contract on `base`.
    let (name, doc) = unsafe { (c_str((*base).name), c_str((*base).doc)) };
    let Some(name) = name else {
        return Err(super::bad_internal_call(vm));
    };
    let culprit = methods::leak_str(format!("<slot wrapper '{name}' of '{}' objects>", class.name()));
    let data = Box::leak(Box::new(CWrapper { base, wrapped, culprit })) as *const CWrapper as usize;
    let doc = doc.map(|d| methods::leak_str(d.to_owned()));
    let name = vm.ctx.intern_str(name);
    let descriptor = rustpython_vm::builtins::descriptor::new_foreign_wrapper(&vm.ctx, class, name, call_c_wrapper, data, doc);
    C_WRAPPERS.insert(proxy::host_addr(&descriptor), (data, descriptor.clone()));
    Ok(proxy::into_ref(vm, descriptor))
}

/// `types.MappingProxyType(mapping)`: a read-only view.
#[cpython_api]
fn PyDictProxy_New(vm: &VirtualMachine, mapping: *mut ffi::PyObject) -> PyResult<*mut ffi::PyObject> {
    let mapping = proxy::to_host(vm, mapping)?;
    let view = rustpython_vm::AsObject::as_object(vm.ctx.types.mappingproxy_type).call((mapping,), vm)?;
    Ok(proxy::into_ref(vm, view))
}

/// The method-wrapper of a slot wrapper bound to `self`.
#[cpython_api]
fn PyWrapper_New(vm: &VirtualMachine, descr: *mut ffi::PyObject, self_object: *mut ffi::PyObject) -> PyResult<*mut ffi::PyObject> {
    let descr = proxy::to_host(vm, descr)?;
    let self_object = proxy::to_host(vm, self_object)?;
    let owner: PyObjectRef = self_object.class().to_owned().into();
    let bound = vm.call_method(&descr, "__get__", (self_object, owner))?;
    Ok(proxy::into_ref(vm, bound))
}

/// 1 if the descriptor's type defines `__set__` or `__delete__`.
#[cpython_api]
fn PyDescr_IsData(vm: &VirtualMachine, descr: *mut ffi::PyObject) -> PyResult<std::ffi::c_int> {
    let descr = proxy::to_host(vm, descr)?;
    Ok(descr.class().slots.descr_set.load().is_some() as std::ffi::c_int)
}

/// The host's `property.getter`, `setter` and `deleter`, in that order, as
/// found before `install_property_copy` replaced them.
static HOST_PROPERTY_COPIERS: std::sync::OnceLock<[PyObjectRef; 3]> = std::sync::OnceLock::new();

/// `property.getter`, `setter` and `deleter` on a subclass of property
/// make the copy by calling the subclass, `type(self)(fget, fset, fdel,
/// doc)`, as CPython does, so that the subclass's `__init__` runs (astropy's
/// `lazyproperty` sets its attributes there). The host clones the object
/// without calling it. A fix of the host's own type, for every program.
pub(crate) fn install_property_copy(vm: &VirtualMachine) {
    let property = vm.ctx.types.property_type;
    let found: Option<Vec<PyObjectRef>> = ["getter", "setter", "deleter"].iter().map(|n| property.get_direct_attr(vm.ctx.intern_str(*n))).collect();
    let Some(Ok(host)) = found.map(<[PyObjectRef; 3]>::try_from) else { return };
    if HOST_PROPERTY_COPIERS.set(host).is_err() {
        return;
    }
    install_property_copier::<0>(vm, "getter", "Descriptor to obtain a copy of the property with a different getter.");
    install_property_copier::<1>(vm, "setter", "Descriptor to obtain a copy of the property with a different setter.");
    install_property_copier::<2>(vm, "deleter", "Descriptor to obtain a copy of the property with a different deleter.");
}

/// Puts the copier of accessor `WHICH` (0 get, 1 set, 2 delete) on `property`.
fn install_property_copier<const WHICH: usize>(vm: &VirtualMachine, name: &'static str, doc: &'static str) {
    fn copier<const WHICH: usize>(args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine) -> PyResult {
        let host = &HOST_PROPERTY_COPIERS.get().expect("installed before use")[WHICH];
        let (old, func): (PyObjectRef, PyObjectRef) = args.bind(vm)?;
        let property = vm.ctx.types.property_type;
        if old.class().is(property) || !old.class().fast_issubclass(property) {
            return host.call((old, func), vm);
        }
        copy_property_subclass(vm, &old, WHICH, func)
    }
    let property = vm.ctx.types.property_type;
    let def = vm.ctx.new_method_def(name, copier::<WHICH>, rustpython_vm::function::PyMethodFlags::METHOD, rustpython_vm::function::ItemDoc::static_text(doc));
    property.set_attr(vm.ctx.intern_str(name), def.build_method(property, vm).into());
}

/// CPython's copy of a property subclass instance with accessor `which`
/// (0 get, 1 set, 2 delete) replaced by `func` (None keeps the old one).
fn copy_property_subclass(vm: &VirtualMachine, old: &PyObjectRef, which: usize, func: PyObjectRef) -> PyResult {
    let mut accessors = [old.get_attr("fget", vm)?, old.get_attr("fset", vm)?, old.get_attr("fdel", vm)?];
    if !vm.is_none(&func) {
        accessors[which] = func;
    }
    // CPython 3.11 keeps a subclass instance's doc in its `__dict__`, not
    // where the copy reads it, so the copy always gets None: the new
    // getter's doc, or none (an explicit doc is lost, as in CPython).
    let doc = vm.ctx.none();
    let [fget, fset, fdel] = accessors;
    old.class().as_object().call((fget, fset, fdel, doc), vm)
}
