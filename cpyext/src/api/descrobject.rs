//! descrobject.h: the descriptors a C type's `tp_getset` asks for.
use crate::boundary::{self, CFunction};
use crate::ffi;
use crate::methods::{self, c_str};
use crate::{error_indicator, proxy};
use rustpython_vm::builtins::PyType;
use cpyext_macros::cpython_api;
use rustpython_vm::function::PySetterValue;
use rustpython_vm::{Py, PyObjectRef, PyResult, VirtualMachine};

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
