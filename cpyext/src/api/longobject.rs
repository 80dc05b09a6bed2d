//! longobject.h: int conversions, with CPython 3.11's range checks and
//! messages (which differ from function to function).
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use malachite_bigint::{BigInt, Sign};
use num_traits::{FromPrimitive, ToPrimitive, Zero};
use rustpython_vm::builtins::{PyInt, PyIntRef};
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{c_char, c_double, c_int, c_long, c_longlong, c_ulong, c_ulonglong};

fn new_int(vm: &VirtualMachine, v: impl Into<BigInt>) -> *mut PyObject {
    into_ref(vm, vm.ctx.new_int(v.into()).into())
}

#[cpython_api]
fn PyLong_FromLong(vm: &VirtualMachine, v: c_long) -> *mut PyObject {
    new_int(vm, v)
}

#[cpython_api]
fn PyLong_FromUnsignedLong(vm: &VirtualMachine, v: c_ulong) -> *mut PyObject {
    new_int(vm, v)
}

#[cpython_api]
fn PyLong_FromLongLong(vm: &VirtualMachine, v: c_longlong) -> *mut PyObject {
    new_int(vm, v)
}

#[cpython_api]
fn PyLong_FromUnsignedLongLong(vm: &VirtualMachine, v: c_ulonglong) -> *mut PyObject {
    new_int(vm, v)
}

#[cpython_api]
fn PyLong_FromSsize_t(vm: &VirtualMachine, v: Py_ssize_t) -> *mut PyObject {
    new_int(vm, v as i64)
}

#[cpython_api]
fn PyLong_FromSize_t(vm: &VirtualMachine, v: usize) -> *mut PyObject {
    new_int(vm, v as u64)
}

#[cpython_api]
fn PyLong_FromDouble(vm: &VirtualMachine, v: c_double) -> PyResult<*mut PyObject> {
    if v.is_infinite() {
        return Err(vm.new_overflow_error("cannot convert float infinity to integer".to_owned()));
    }
    if v.is_nan() {
        return Err(vm.new_value_error("cannot convert float NaN to integer".to_owned()));
    }
    Ok(new_int(vm, BigInt::from_f64(v.trunc()).unwrap_or_default()))
}

/// The int an `As*` function converts: an int as it is, or (for the
/// functions CPython lets do so) the result of `__index__`.
fn int_value(vm: &VirtualMachine, obj: *mut PyObject, use_index: bool) -> PyResult<PyIntRef> {
    let obj = to_host(vm, obj)?;
    match obj.downcast::<PyInt>() {
        Ok(int) => Ok(int),
        Err(obj) if use_index => obj.try_index(vm),
        Err(_) => Err(vm.new_type_error("an integer is required".to_owned())),
    }
}

fn overflow(vm: &VirtualMachine, msg: &str) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_overflow_error(msg.to_owned())
}

#[cpython_api]
fn PyLong_AsLong(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_long> {
    let v = int_value(vm, obj, true)?;
    v.as_bigint().to_i64().ok_or_else(|| overflow(vm, "Python int too large to convert to C long"))
}

#[cpython_api]
unsafe fn PyLong_AsLongAndOverflow(vm: &VirtualMachine, obj: *mut PyObject, overflow_flag: *mut c_int) -> PyResult<c_long> {
    *overflow_flag = 0;
    let v = int_value(vm, obj, true)?;
    match v.as_bigint().to_i64() {
        Some(x) => Ok(x),
        None => {
            *overflow_flag = if v.as_bigint().sign() == Sign::Minus { -1 } else { 1 };
            Ok(-1)
        }
    }
}

#[cpython_api]
fn PyLong_AsLongLong(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_longlong> {
    let v = int_value(vm, obj, true)?;
    v.as_bigint().to_i64().ok_or_else(|| overflow(vm, "int too big to convert"))
}

#[cpython_api]
fn PyLong_AsSsize_t(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<Py_ssize_t> {
    let v = int_value(vm, obj, false)?;
    v.as_bigint()
        .to_isize()
        .ok_or_else(|| overflow(vm, "Python int too large to convert to C ssize_t"))
}

#[cpython_api]
fn PyLong_AsUnsignedLong(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_ulong> {
    let v = int_value(vm, obj, false)?;
    if v.as_bigint().sign() == Sign::Minus {
        return Err(overflow(vm, "can't convert negative value to unsigned int"));
    }
    v.as_bigint()
        .to_u64()
        .ok_or_else(|| overflow(vm, "Python int too large to convert to C unsigned long"))
}

#[cpython_api]
fn PyLong_AsUnsignedLongLong(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_ulonglong> {
    let v = int_value(vm, obj, false)?;
    if v.as_bigint().sign() == Sign::Minus {
        return Err(overflow(vm, "can't convert negative int to unsigned"));
    }
    v.as_bigint().to_u64().ok_or_else(|| overflow(vm, "int too big to convert"))
}

/// Wraps modulo 2**64 and never overflows.
#[cpython_api]
fn PyLong_AsUnsignedLongMask(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_ulong> {
    mask_to_u64(vm, obj)
}

/// The int (or `__index__`) modulo 2**64.
fn mask_to_u64(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<u64> {
    let v = int_value(vm, obj, true)?;
    let modulus = BigInt::from(1u8) << 64u32;
    let mut r = v.as_bigint() % &modulus;
    if r.sign() == Sign::Minus {
        r += &modulus;
    }
    Ok(r.to_u64().unwrap_or(0))
}

/// Wraps modulo 2**64 and never overflows.
#[cpython_api]
fn PyLong_AsUnsignedLongLongMask(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_ulonglong> {
    mask_to_u64(vm, obj)
}

#[cpython_api]
fn PyLong_AsDouble(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_double> {
    let v = int_value(vm, obj, false)?;
    crate::api::longobject::int_to_f64(v.as_bigint(), vm)
}

/// Parses like CPython 3.11: ASCII whitespace around the number, an optional
/// sign, a base prefix, single underscores between digits. `*pend` is left at
/// the first character not consumed (after trailing whitespace on success).
#[cpython_api]
unsafe fn PyLong_FromString(vm: &VirtualMachine, s: *const c_char, pend: *mut *mut c_char, base: c_int) -> PyResult<*mut PyObject> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(vm.new_value_error("int() arg 2 must be >= 2 and <= 36".to_owned()));
    }
    let bytes = std::ffi::CStr::from_ptr(s).to_bytes();
    let set_end = |at: usize| {
        if !pend.is_null() {
            *pend = s.add(at) as *mut c_char;
        }
    };
    let outcome = parse_int_literal(bytes, base as u32);
    match outcome {
        Ok((value, end, digits, radix)) => {
            let limit = max_str_digits(vm);
            if !radix.is_power_of_two() && limit > 0 && digits > limit {
                set_end(end);
                return Err(vm.new_value_error(format!(
                    "Exceeds the limit ({limit} digits) for integer string conversion: value has {digits} digits; \
                     use sys.set_int_max_str_digits() to increase the limit"
                )));
            }
            set_end(end);
            Ok(new_int(vm, value))
        }
        Err((end, radix)) => {
            set_end(end);
            let shown = &bytes[..bytes.len().min(200)];
            let text = vm.call_method(vm.ctx.new_bytes(shown.to_vec()).as_ref(), "decode", ("utf-8",))?;
            let repr = text.repr(vm)?;
            Err(vm.new_value_error(format!("invalid literal for int() with base {radix}: {repr}")))
        }
    }
}

fn max_str_digits(vm: &VirtualMachine) -> usize {
    vm.sys_module
        .get_attr("get_int_max_str_digits", vm)
        .and_then(|f| f.call((), vm))
        .ok()
        .and_then(|v| v.downcast::<PyInt>().ok())
        .and_then(|v| v.as_bigint().to_usize())
        .unwrap_or(4300)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

fn digit_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => (b - b'0') as u32,
        b'a'..=b'z' => (b - b'a') as u32 + 10,
        b'A'..=b'Z' => (b - b'A') as u32 + 10,
        _ => 99,
    }
}

/// Ok((value, end, digit count, base)) or Err((end, base used in the message)).
fn parse_int_literal(s: &[u8], mut base: u32) -> Result<(BigInt, usize, usize, u32), (usize, u32)> {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let negative = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let prefix_of = |b: u8| match b {
        b'x' | b'X' => 16,
        b'o' | b'O' => 8,
        b'b' | b'B' => 2,
        _ => 0,
    };
    // A literal like "017" is valid under base 0 only when all of it is zeros.
    let mut leading_zero_rule = false;
    if base == 0 {
        if s.get(i) != Some(&b'0') {
            base = 10;
        } else {
            match s.get(i + 1).map(|b| prefix_of(*b)) {
                Some(p) if p != 0 => base = p,
                _ => {
                    base = 10;
                    leading_zero_rule = true;
                }
            }
        }
    }
    let mut prefixed = false;
    if s.get(i) == Some(&b'0') && s.get(i + 1).is_some_and(|b| prefix_of(*b) == base && base != 10) {
        i += 2;
        prefixed = true;
    }
    if prefixed && s.get(i) == Some(&b'_') {
        i += 1; // "0x_1f": one underscore may follow the prefix
    }
    let is_digit = |b: u8| digit_value(b) < base;
    let mut digits = Vec::new();
    if i < s.len() && is_digit(s[i]) {
        while i < s.len() {
            if is_digit(s[i]) {
                digits.push(s[i]);
                i += 1;
            } else if s[i] == b'_' && s.get(i + 1).is_some_and(|b| is_digit(*b)) {
                i += 1; // a single underscore between digits
            } else {
                break;
            }
        }
    }
    if digits.is_empty() {
        return Err((if i >= s.len() { s.len() } else { i }, if leading_zero_rule { 0 } else { base }));
    }
    let reported_base = if leading_zero_rule { 0 } else { base };
    if leading_zero_rule && digits.iter().any(|d| *d != b'0') {
        return Err((s.len(), reported_base));
    }
    let mut end = i;
    while end < s.len() && is_space(s[end]) {
        end += 1;
    }
    if end != s.len() {
        return Err((end, base));
    }
    let text = std::str::from_utf8(&digits).unwrap();
    let mut value = BigInt::parse_bytes(text.as_bytes(), base).unwrap_or_else(BigInt::zero);
    if negative {
        value = -value;
    }
    Ok((value, end, digits.len(), base))
}

/// An int as the nearest double, or CPython's OverflowError.
pub(crate) fn int_to_f64(v: &BigInt, vm: &VirtualMachine) -> PyResult<f64> {
    match v.to_f64() {
        Some(f) if f.is_finite() => Ok(f),
        _ => Err(vm.new_overflow_error("int too large to convert to float".to_owned())),
    }
}

/// An int from `n` bytes (as `int.from_bytes`).
#[cpython_api]
unsafe fn _PyLong_FromByteArray(vm: &VirtualMachine, bytes: *const u8, n: usize, little_endian: c_int, is_signed: c_int) -> PyResult<*mut PyObject> {
    let data = if n == 0 { &[][..] } else { std::slice::from_raw_parts(bytes, n) };
    let mut ordered = data.to_vec();
    if little_endian == 0 {
        ordered.reverse();
    }
    let negative = is_signed != 0 && ordered.last().is_some_and(|b| b & 0x80 != 0);
    let mut value = BigInt::from(0u8);
    for (i, byte) in ordered.iter().enumerate() {
        value += BigInt::from(*byte) << (8 * i as u64);
    }
    if negative {
        value -= BigInt::from(1u8) << (8 * n as u64);
    }
    Ok(new_int(vm, value))
}

#[cpython_api]
unsafe fn PyLong_AsLongLongAndOverflow(obj: *mut PyObject, overflow_flag: *mut c_int) -> c_longlong {
    PyLong_AsLongAndOverflow(obj, overflow_flag)
}

/// An int that fits a C int (OverflowError otherwise).
#[cpython_api]
fn _PyLong_AsInt(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<c_int> {
    let v = int_value(vm, obj, true)?;
    v.as_bigint()
        .to_i32()
        .ok_or_else(|| overflow(vm, "Python int too large to convert to C int"))
}
