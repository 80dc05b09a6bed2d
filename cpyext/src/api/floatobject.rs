//! floatobject.h.
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyFloat;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::c_double;

#[cpython_api]
fn PyFloat_FromDouble(vm: &VirtualMachine, v: c_double) -> *mut PyObject {
    into_ref(vm, vm.ctx.new_float(v).into())
}

/// A float (subclasses included, without consulting their `__float__`),
/// else `__float__`, else `__index__`, as CPython 3.11 does.
#[cpython_api]
fn PyFloat_AsDouble(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_double> {
    if o.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    as_double(vm, &to_host(vm, o)?)
}

/// `PyFloat_AsDouble` on a host object.
pub(crate) fn as_double(vm: &VirtualMachine, o: &PyObjectRef) -> PyResult<f64> {
    if let Some(f) = o.downcast_ref::<PyFloat>() {
        return Ok(f.to_f64());
    }
    if let Some(method) = o.lookup_special(vm.ctx.intern_str("__float__"), vm)? {
        let result = method.call((), vm)?;
        return match result.downcast_ref::<PyFloat>() {
            Some(f) => Ok(f.to_f64()),
            None => Err(vm.new_type_error(format!(
                "{}.__float__ returned non-float (type {})",
                o.class().name(),
                result.class().name()
            ))),
        };
    }
    if o.lookup_special(vm.ctx.intern_str("__index__"), vm)?.is_some() {
        let index = o.try_index(vm)?;
        return crate::api::longobject::int_to_f64(index.as_bigint(), vm);
    }
    Err(vm.new_type_error(format!("must be real number, not {}", crate::types::tp_name(vm, o.class()))))
}

