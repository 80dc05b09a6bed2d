//! descrobject.h: the descriptors a C type's `tp_getset` asks for.
use crate::boundary::{self, CFunction};
use crate::ffi;
use crate::methods::{self, c_str};
use crate::{error_indicator, proxy};
use rustpython_vm::builtins::PyType;
use rustpython_vm::function::PySetterValue;
use rustpython_vm::{Py, PyObjectRef, PyResult, VirtualMachine};

/// A host getset descriptor that calls the C getter and setter (with the
/// definition's closure pointer).
pub(crate) fn getset_descriptor(vm: &VirtualMachine, def: *const ffi::PyGetSetDef, class: &'static Py<PyType>) -> PyResult<PyObjectRef> {
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
    Ok(crate::ctype::documented_getset!(vm, name, class, unsafe { c_str(def.doc) }, getter, setter))
}

