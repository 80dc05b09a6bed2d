//! pystrtod.h: text to double and back, independent of the C locale, with
//! CPython's grammar (no leading whitespace, no underscores, inf/nan words)
//! and its formatting rules for repr() and the e/f/g format codes.
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::to_host;
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{CStr, c_char, c_double, c_int};

const DTSF_SIGN: c_int = 0x01;
const DTSF_ADD_DOT_0: c_int = 0x02;
const DTSF_ALT: c_int = 0x04;
const DTSF_NO_NEG_0: c_int = 0x08;
const DTST_FINITE: c_int = 0;
const DTST_INFINITE: c_int = 1;
const DTST_NAN: c_int = 2;

/// "inf", "infinity" or "nan" in any case after an optional sign, at the
/// start of `s`: the value and the bytes used.
fn parse_inf_or_nan(s: &[u8]) -> Option<(f64, usize)> {
    let (negative, start) = match s.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let rest = &s[start..];
    let starts_with = |word: &[u8]| rest.len() >= word.len() && rest[..word.len()].eq_ignore_ascii_case(word);
    let (value, used) = if starts_with(b"infinity") {
        (f64::INFINITY, 8)
    } else if starts_with(b"inf") {
        (f64::INFINITY, 3)
    } else if starts_with(b"nan") {
        (f64::NAN, 3)
    } else {
        return None;
    };
    Some((if negative { -value } else { value }, start + used))
}

/// The longest decimal float at the start of `s`: [sign] digits [. digits]
/// [e [sign] digits], with at least one mantissa digit. Its value (correctly
/// rounded, infinite when too large) and length.
fn parse_decimal(s: &[u8]) -> Option<(f64, usize)> {
    let mut i = 0;
    if matches!(s.first(), Some(b'-' | b'+')) {
        i += 1;
    }
    let digits_from = |mut j: usize| {
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let int_end = digits_from(i);
    let mut mantissa_digits = int_end - i;
    i = int_end;
    if s.get(i) == Some(&b'.') {
        let frac_end = digits_from(i + 1);
        mantissa_digits += frac_end - (i + 1);
        if mantissa_digits > 0 {
            i = frac_end;
        }
    }
    if mantissa_digits == 0 {
        return None;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(s.get(j), Some(b'-' | b'+')) {
            j += 1;
        }
        let exp_end = digits_from(j);
        if exp_end > j {
            i = exp_end;
        }
    }
    let text = std::str::from_utf8(&s[..i]).ok()?;
    Some((text.parse::<f64>().ok()?, i))
}

/// A float at the start of `s`, as `_PyOS_ascii_strtod` reads it.
fn parse_double(s: &[u8]) -> Option<(f64, usize)> {
    parse_inf_or_nan(s).or_else(|| parse_decimal(s))
}

/// # Safety
/// `s` must be NUL-terminated; `endptr`, if not NULL, writable.
#[cpython_api]
unsafe fn PyOS_string_to_double(vm: &VirtualMachine, s: *const c_char, endptr: *mut *mut c_char, overflow_exception: *mut PyObject) -> PyResult<c_double> {
    if s.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(s) }.to_bytes();
    let parsed = parse_double(bytes);
    let used = parsed.map_or(0, |(_, n)| n);
    if !endptr.is_null() {
        // SAFETY: used <= the string's length; the caller owns *endptr.
        unsafe { *endptr = s.add(used) as *mut c_char };
    }
    let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
    let Some((value, used)) = parsed.filter(|(_, n)| !endptr.is_null() || *n == bytes.len()) else {
        return Err(vm.new_value_error(format!("could not convert string to float: '{shown}'")));
    };
    let overflowed = value.is_infinite() && parse_inf_or_nan(&bytes[..used]).is_none();
    if overflowed && !overflow_exception.is_null() {
        let exception_type = to_host(vm, overflow_exception)?;
        let exception = exception_type.call((format!("value too large to convert to float: '{shown}'"),), vm)?;
        return Err(exception.downcast().map_err(|_| vm.new_type_error("exceptions must derive from BaseException".to_owned()))?);
    }
    Ok(value)
}

/// # Safety
/// `p` must be NUL-terminated; `endptr` writable.
#[cpython_api]
unsafe fn _Py_parse_inf_or_nan(p: *const c_char, endptr: *mut *mut c_char) -> c_double {
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    let (value, used) = parse_inf_or_nan(bytes).unwrap_or((-1.0, 0));
    // SAFETY: used is within the string; the caller passes a writable endptr.
    unsafe { *endptr = p.add(used) as *mut c_char };
    value
}

/// Significant digits of |x| (no leading or trailing zeros; "0" for zero)
/// and the position of the decimal point relative to them, as dtoa's modes
/// give them: 0 shortest round-trip, 2 `ndigits` significant digits, 3
/// `ndigits` digits after the point.
fn decimal_digits(x: f64, mode: u8, ndigits: usize) -> (String, i32) {
    let x = x.abs();
    let (mut digits, mut point) = match mode {
        3 => {
            let text = format!("{x:.ndigits$}");
            let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
            (format!("{int_part}{frac_part}"), int_part.len() as i32)
        }
        _ => {
            let text = if mode == 0 { format!("{x:e}") } else { format!("{x:.prec$e}", prec = ndigits.max(1) - 1) };
            let (mantissa, exponent) = text.split_once('e').unwrap();
            let exponent: i32 = exponent.parse().unwrap();
            (mantissa.replace('.', ""), exponent + 1)
        }
    };
    let leading = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..leading);
    point -= leading as i32;
    digits.truncate(digits.trim_end_matches('0').len());
    if digits.is_empty() {
        digits.push('0');
        point = 1;
    }
    (digits, point)
}

/// PyOS_double_to_string without the C allocation: the text and its Py_DTST_ type.
fn double_to_string(val: f64, format_code: u8, precision: i32, flags: c_int) -> Option<(String, c_int)> {
    let upper = matches!(format_code, b'E' | b'F' | b'G');
    let alt = flags & DTSF_ALT != 0;
    let add_dot_0 = flags & DTSF_ADD_DOT_0 != 0;
    let precision = precision.max(0);
    let mut sign = val.is_sign_negative();
    let always_sign = flags & DTSF_SIGN != 0;
    if !val.is_finite() {
        let (word, kind) = if val.is_nan() {
            sign = false; // the sign of a NaN is not shown
            ("nan", DTST_NAN)
        } else {
            ("inf", DTST_INFINITE)
        };
        let word = if upper { word.to_ascii_uppercase() } else { word.to_owned() };
        let prefix = if sign { "-" } else if always_sign { "+" } else { "" };
        return Some((format!("{prefix}{word}"), kind));
    }
    // How many digits, whether to use an exponent, and how far to pad.
    let (digits, mut point, use_exp, padded_end) = match format_code.to_ascii_lowercase() {
        b'e' => {
            let (d, p) = decimal_digits(val, 2, precision as usize + 1);
            (d, p, true, precision + 1)
        }
        b'f' => {
            let (d, p) = decimal_digits(val, 3, precision as usize);
            let end = p + precision;
            (d, p, false, end)
        }
        b'g' => {
            let precision = precision.max(1);
            let (d, p) = decimal_digits(val, 2, precision as usize);
            let limit = if add_dot_0 { precision - 1 } else { precision };
            let use_exp = p <= -4 || p > limit;
            let end = if alt { precision } else { d.len() as i32 };
            (d, p, use_exp, end)
        }
        b'r' if format_code == b'r' => {
            if precision != 0 {
                return None;
            }
            let (d, p) = decimal_digits(val, 0, 0);
            let use_exp = p <= -4 || p > 16;
            let end = d.len() as i32;
            (d, p, use_exp, end)
        }
        _ => return None,
    };
    if flags & DTSF_NO_NEG_0 != 0 && digits == "0" {
        sign = false;
    }
    let mut exponent = 0;
    if use_exp {
        exponent = point - 1;
        point = 1;
    }
    // Digit positions run from `start` to `end`: position p < 0 is a zero
    // between the point and the digits, p >= len a padding zero, and the
    // point goes before position `point`.
    let digit_count = digits.len() as i32;
    let start = if point <= 0 { point - 1 } else { 0 };
    let end = padded_end.max(digit_count).max(if !use_exp && add_dot_0 { point + 1 } else { point });
    let mut out = String::new();
    if sign {
        out.push('-');
    } else if always_sign {
        out.push('+');
    }
    let digit_bytes = digits.as_bytes();
    for position in start..end {
        if position == point {
            out.push('.');
        }
        let digit = if (0..digit_count).contains(&position) { digit_bytes[position as usize] as char } else { '0' };
        out.push(digit);
    }
    if end == point {
        out.push('.');
    }
    if out.ends_with('.') && !alt {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        out.push(if exponent < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exponent.abs()));
    }
    Some((out, DTST_FINITE))
}

/// # Safety
/// `type_`, if not NULL, must be writable.
#[cpython_api]
unsafe fn PyOS_double_to_string(vm: &VirtualMachine, val: c_double, format_code: c_char, precision: c_int, flags: c_int, type_: *mut c_int) -> PyResult<*mut c_char> {
    let (text, kind) = double_to_string(val, format_code as u8, precision, flags).ok_or_else(|| super::bad_internal_call(vm))?;
    if !type_.is_null() {
        // SAFETY: the caller passes a writable int.
        unsafe { *type_ = kind };
    }
    // SAFETY: PyMem_Malloc returns len + 1 writable bytes (or NULL).
    let buffer = unsafe { super::pymem::PyMem_Malloc(text.len() + 1) } as *mut u8;
    if buffer.is_null() {
        return Err(crate::error_indicator::no_memory(vm));
    }
    // SAFETY: the buffer holds text.len() + 1 bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(text.as_ptr(), buffer, text.len());
        *buffer.add(text.len()) = 0;
    }
    Ok(buffer as *mut c_char)
}

/// The callback of `_Py_string_to_number_with_underscores`: text, length, arg.
type NumberParser = unsafe extern "C" fn(*const c_char, Py_ssize_t, *mut std::ffi::c_void) -> *mut PyObject;

/// Checks that underscores in `str` sit only between digits, and calls
/// `innerfunc` on the text without them.
///
/// # Safety
/// `s` must be NUL-terminated with `len` bytes before the NUL.
#[cpython_api]
unsafe fn _Py_string_to_number_with_underscores(
    vm: &VirtualMachine,
    s: *const c_char,
    len: Py_ssize_t,
    what: *const c_char,
    obj: *mut PyObject,
    arg: *mut std::ffi::c_void,
    innerfunc: Option<NumberParser>,
) -> PyResult<*mut PyObject> {
    let innerfunc = innerfunc.ok_or_else(|| super::bad_internal_call(vm))?;
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(s) }.to_bytes();
    if !bytes.contains(&b'_') {
        // SAFETY: the caller's own function, on its own arguments.
        return Ok(unsafe { innerfunc(s, len, arg) });
    }
    let mut kept = Vec::with_capacity(bytes.len() + 1);
    let mut previous = 0u8;
    let mut valid = bytes.len() == len as usize;
    for &b in bytes {
        if b == b'_' {
            valid &= previous.is_ascii_digit();
        } else {
            valid &= previous != b'_' || b.is_ascii_digit();
            kept.push(b);
        }
        previous = b;
    }
    valid &= previous != b'_';
    if !valid {
        let what = super::c_str_arg(vm, what)?;
        let repr = to_host(vm, obj)?.repr(vm)?;
        return Err(vm.new_value_error(format!("could not convert string to {what}: {repr}")));
    }
    let kept_len = kept.len();
    kept.push(0);
    // SAFETY: kept is NUL-terminated and lives across the call.
    Ok(unsafe { innerfunc(kept.as_ptr() as *const c_char, kept_len as Py_ssize_t, arg) })
}
