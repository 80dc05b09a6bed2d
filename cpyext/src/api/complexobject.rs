//! complexobject.h.
use super::floatobject::as_double;
use crate::boundary::CReturn;
use crate::ffi::{PyObject, Py_complex};
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyComplex;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::c_double;

impl CReturn for Py_complex {
    fn error_value() -> Self {
        Py_complex { real: -1.0, imag: 0.0 }
    }
}

fn new_complex(vm: &VirtualMachine, real: f64, imag: f64) -> *mut PyObject {
    // The host's Complex64 (num-complex) is #[repr(C)] { re, im }; this crate
    // does not depend on num-complex to name it.
    let value = unsafe { std::mem::transmute::<[f64; 2], _>([real, imag]) };
    into_ref(vm, vm.ctx.new_complex(value).into())
}

#[cpython_api]
fn PyComplex_FromCComplex(vm: &VirtualMachine, v: Py_complex) -> *mut PyObject {
    new_complex(vm, v.real, v.imag)
}

#[cpython_api]
fn PyComplex_FromDoubles(vm: &VirtualMachine, real: c_double, imag: c_double) -> *mut PyObject {
    new_complex(vm, real, imag)
}

/// A complex (subclasses included, as stored), else `__complex__`, else the
/// object as a real number, as CPython 3.11 does.
pub(crate) fn as_complex(vm: &VirtualMachine, o: &PyObjectRef) -> PyResult<(f64, f64)> {
    if let Some(c) = o.downcast_ref::<PyComplex>() {
        let c = c.to_complex();
        return Ok((c.re, c.im));
    }
    if let Some(method) = o.lookup_special(vm.ctx.intern_str("__complex__"), vm)? {
        let result = method.call((), vm)?;
        let type_name = crate::types::tp_name(vm, result.class());
        let Some(c) = result.downcast_ref::<PyComplex>() else {
            return Err(vm.new_type_error(format!("__complex__ returned non-complex (type {type_name})")));
        };
        if !result.class().is(vm.ctx.types.complex_type) {
            let message = format!(
                "__complex__ returned non-complex (type {type_name}).  The ability to return an instance \
                 of a strict subclass of complex is deprecated, and may be removed in a future version of Python."
            );
            let warn = vm.import("warnings", 0)?.get_attr("warn", vm)?;
            warn.call((message, vm.ctx.exceptions.deprecation_warning.to_owned(), 1), vm)?;
        }
        let c = c.to_complex();
        return Ok((c.re, c.im));
    }
    Ok((as_double(vm, o)?, 0.0))
}

#[cpython_api]
fn PyComplex_AsCComplex(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<Py_complex> {
    let (real, imag) = as_complex(vm, &to_host(vm, op)?)?;
    Ok(Py_complex { real, imag })
}

#[cpython_api]
fn PyComplex_RealAsDouble(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<c_double> {
    let o = to_host(vm, op)?;
    match o.downcast_ref::<PyComplex>() {
        Some(c) => Ok(c.to_complex().re),
        None => as_double(vm, &o),
    }
}

/// 0.0 for anything that is not a complex.
#[cpython_api]
fn PyComplex_ImagAsDouble(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<c_double> {
    let o = to_host(vm, op)?;
    Ok(o.downcast_ref::<PyComplex>().map_or(0.0, |c| c.to_complex().im))
}
