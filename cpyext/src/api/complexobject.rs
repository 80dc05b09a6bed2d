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
            let warn = crate::types::import_for_layer(vm, "warnings")?.get_attr("warn", vm)?;
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

// ---- C complex arithmetic (the _Py_c_* helpers) ----

use super::pyerrors::set_errno;

fn complex(real: f64, imag: f64) -> Py_complex {
    Py_complex { real, imag }
}

#[cpython_api]
fn _Py_c_sum(a: Py_complex, b: Py_complex) -> Py_complex {
    complex(a.real + b.real, a.imag + b.imag)
}

#[cpython_api]
fn _Py_c_diff(a: Py_complex, b: Py_complex) -> Py_complex {
    complex(a.real - b.real, a.imag - b.imag)
}

#[cpython_api]
fn _Py_c_neg(a: Py_complex) -> Py_complex {
    complex(-a.real, -a.imag)
}

#[cpython_api]
fn _Py_c_prod(a: Py_complex, b: Py_complex) -> Py_complex {
    complex(a.real * b.real - a.imag * b.imag, a.real * b.imag + a.imag * b.real)
}

/// a / b, scaling by the larger part of b (Smith's method) so that the
/// intermediate products do not overflow. Division by zero gives 0 with
/// errno EDOM.
#[cpython_api]
fn _Py_c_quot(a: Py_complex, b: Py_complex) -> Py_complex {
    let (abs_real, abs_imag) = (b.real.abs(), b.imag.abs());
    if abs_real >= abs_imag {
        if abs_real == 0.0 {
            set_errno(libc::EDOM);
            return complex(0.0, 0.0);
        }
        let ratio = b.imag / b.real;
        let denominator = b.real + b.imag * ratio;
        complex((a.real + a.imag * ratio) / denominator, (a.imag - a.real * ratio) / denominator)
    } else if abs_imag >= abs_real {
        let ratio = b.real / b.imag;
        let denominator = b.real * ratio + b.imag;
        complex((a.real * ratio + a.imag) / denominator, (a.imag * ratio - a.real) / denominator)
    } else {
        // A part of b is a NaN.
        complex(f64::NAN, f64::NAN)
    }
}

/// a ** b in polar form. 0 ** b with a negative or complex b gives 0 with
/// errno EDOM.
#[cpython_api]
fn _Py_c_pow(a: Py_complex, b: Py_complex) -> Py_complex {
    if b.real == 0.0 && b.imag == 0.0 {
        return complex(1.0, 0.0);
    }
    if a.real == 0.0 && a.imag == 0.0 {
        if b.imag != 0.0 || b.real < 0.0 {
            set_errno(libc::EDOM);
        }
        return complex(0.0, 0.0);
    }
    let modulus = a.real.hypot(a.imag);
    let angle = a.imag.atan2(a.real);
    let mut length = modulus.powf(b.real);
    let mut phase = angle * b.real;
    if b.imag != 0.0 {
        length /= (angle * b.imag).exp();
        phase += b.imag * modulus.ln();
    }
    complex(length * phase.cos(), length * phase.sin())
}

/// |a|; an infinite part wins over a NaN (C99), and an overflow sets errno
/// ERANGE (errno is 0 otherwise, except for NaN results).
#[cpython_api]
fn _Py_c_abs(a: Py_complex) -> c_double {
    if !a.real.is_finite() || !a.imag.is_finite() {
        if a.real.is_infinite() || a.imag.is_infinite() {
            set_errno(0);
            return if a.real.is_infinite() { a.real.abs() } else { a.imag.abs() };
        }
        return f64::NAN;
    }
    let result = a.real.hypot(a.imag);
    set_errno(if result.is_finite() { 0 } else { libc::ERANGE });
    result
}
