//! floatobject.h.
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyFloat;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_double, c_int};

#[cpython_api]
fn PyFloat_FromDouble(vm: &VirtualMachine, v: c_double) -> *mut PyObject {
    // A pending proxy, as a new int is (`longobject::pending_int`): the
    // value C reads, and the host float only when it crosses into Python.
    // (`vm`: the wrapper takes the GIL for it.)
    let _ = vm;
    let p = crate::proxy::new_pending(crate::proxy::Layout::Float, size_of::<crate::ffi::PyFloatObject>(), &raw mut crate::types::PyFloat_Type);
    // SAFETY: a fresh float proxy.
    unsafe { (*(p as *mut crate::ffi::PyFloatObject)).ob_fval = v };
    p
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
                crate::types::tp_name(vm, o.class()),
                crate::types::tp_name(vm, result.class())
            ))),
        };
    }
    if o.lookup_special(vm.ctx.intern_str("__index__"), vm)?.is_some() {
        let index = o.try_index(vm)?;
        return crate::api::longobject::int_to_f64(index.as_bigint(), vm);
    }
    Err(vm.new_type_error(format!("must be real number, not {}", crate::types::tp_name(vm, o.class()))))
}


#[cpython_api]
fn PyFloat_GetMax() -> c_double {
    f64::MAX
}

#[cpython_api]
fn PyFloat_GetMin() -> c_double {
    f64::MIN_POSITIVE
}

#[cpython_api]
fn PyFloat_GetInfo(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, vm.sys_module.get_attr("float_info", vm)?))
}

/// float() of a str, bytes, bytearray or other buffer; anything else is a
/// TypeError (numbers included, unlike float()).
#[cpython_api]
fn PyFloat_FromString(vm: &VirtualMachine, v: *mut PyObject) -> PyResult<*mut PyObject> {
    let v = to_host(vm, v)?;
    let types = &vm.ctx.types;
    let text = if v.fast_isinstance(types.str_type) || v.fast_isinstance(types.bytes_type) || v.fast_isinstance(types.bytearray_type) {
        v
    } else if v.class().slots.as_buffer.load().is_some() {
        // Any other buffer: its bytes.
        types.bytes_type.as_object().call((types.memoryview_type.as_object().call((v,), vm)?,), vm)?
    } else {
        return Err(vm.new_type_error(format!(
            "float() argument must be a string or a real number, not '{}'",
            crate::types::tp_name(vm, v.class())
        )));
    };
    let float = types.float_type.as_object().call((text,), vm)?;
    Ok(into_ref(vm, float))
}

/// Writes `bytes` (least significant first) in the order `le` asks for.
///
/// # Safety
/// `p` must point at `bytes.len()` writable bytes.
unsafe fn store_ordered(bytes: &[u8], p: *mut c_char, le: c_int) {
    for (i, byte) in bytes.iter().enumerate() {
        let at = if le != 0 { i } else { bytes.len() - 1 - i };
        // SAFETY: at < bytes.len(), which the caller made writable.
        unsafe { *p.add(at) = *byte as c_char };
    }
}

/// Reads N bytes in the order `le` says into least-significant-first order.
///
/// # Safety
/// `p` must point at N readable bytes.
unsafe fn load_ordered<const N: usize>(p: *const c_char, le: c_int) -> [u8; N] {
    let mut out = [0u8; N];
    for (i, slot) in out.iter_mut().enumerate() {
        let at = if le != 0 { i } else { N - 1 - i };
        // SAFETY: at < N, which the caller made readable.
        *slot = unsafe { *p.add(at) } as u8;
    }
    out
}

/// IEEE binary16 bits of x, rounded half to even; None if it is too large.
fn to_half_bits(x: f64) -> Option<u16> {
    let sign: u16 = if x.is_sign_negative() { 0x8000 } else { 0 };
    if x.is_nan() {
        // The quiet NaN with only the top fraction bit set, keeping the sign.
        return Some(sign | 0x7e00);
    }
    let magnitude = x.abs();
    if magnitude.is_infinite() {
        return Some(sign | 0x7c00);
    }
    let smallest_normal = 2f64.powi(-14);
    let bits = if magnitude < smallest_normal {
        // Subnormal (or zero): a count of 2**-24 units; 1024 becomes the
        // smallest normal, which the encoding gives for free.
        (magnitude * 2f64.powi(24)).round_ties_even() as u32
    } else {
        let exponent = ((magnitude.to_bits() >> 52) as i32) - 1023;
        let mantissa = (magnitude * 2f64.powi(10 - exponent)).round_ties_even() as u32; // 1024..=2048
        (((exponent + 15) as u32) << 10) + (mantissa - 1024)
    };
    if bits >= 0x7c00 {
        return None;
    }
    Some(sign | bits as u16)
}

fn from_half_bits(h: u16) -> f64 {
    let negative = h & 0x8000 != 0;
    let exponent = ((h >> 10) & 0x1f) as i32;
    let fraction = (h & 0x3ff) as f64;
    let magnitude = match exponent {
        0x1f if fraction == 0.0 => f64::INFINITY,
        0x1f => f64::NAN,
        0 => fraction * 2f64.powi(-24),
        _ => (1024.0 + fraction) * 2f64.powi(exponent - 25),
    };
    if negative { -magnitude } else { magnitude }
}

/// # Safety
/// `p` must point at 2 writable bytes.
#[cpython_api]
unsafe fn PyFloat_Pack2(vm: &VirtualMachine, x: c_double, p: *mut c_char, le: c_int) -> PyResult<c_int> {
    let bits = to_half_bits(x).ok_or_else(|| vm.new_overflow_error("float too large to pack with e format".to_owned()))?;
    // SAFETY: the caller passes 2 writable bytes.
    unsafe { store_ordered(&bits.to_le_bytes(), p, le) };
    Ok(0)
}

/// # Safety
/// `p` must point at 4 writable bytes.
#[cpython_api]
unsafe fn PyFloat_Pack4(vm: &VirtualMachine, x: c_double, p: *mut c_char, le: c_int) -> PyResult<c_int> {
    let narrow = x as f32;
    if narrow.is_infinite() && x.is_finite() {
        return Err(vm.new_overflow_error("float too large to pack with f format".to_owned()));
    }
    // SAFETY: the caller passes 4 writable bytes.
    unsafe { store_ordered(&narrow.to_bits().to_le_bytes(), p, le) };
    Ok(0)
}

/// # Safety
/// `p` must point at 8 writable bytes.
#[cpython_api]
unsafe fn PyFloat_Pack8(x: c_double, p: *mut c_char, le: c_int) -> c_int {
    // SAFETY: the caller passes 8 writable bytes.
    unsafe { store_ordered(&x.to_bits().to_le_bytes(), p, le) };
    0
}

/// # Safety
/// `p` must point at 2 readable bytes.
#[cpython_api]
unsafe fn PyFloat_Unpack2(p: *const c_char, le: c_int) -> c_double {
    // SAFETY: the caller passes 2 readable bytes.
    from_half_bits(u16::from_le_bytes(unsafe { load_ordered::<2>(p, le) }))
}

/// # Safety
/// `p` must point at 4 readable bytes.
#[cpython_api]
unsafe fn PyFloat_Unpack4(p: *const c_char, le: c_int) -> c_double {
    // SAFETY: the caller passes 4 readable bytes.
    f32::from_bits(u32::from_le_bytes(unsafe { load_ordered::<4>(p, le) })) as f64
}

/// # Safety
/// `p` must point at 8 readable bytes.
#[cpython_api]
unsafe fn PyFloat_Unpack8(p: *const c_char, le: c_int) -> c_double {
    // SAFETY: the caller passes 8 readable bytes.
    f64::from_bits(u64::from_le_bytes(unsafe { load_ordered::<8>(p, le) }))
}
