//! longobject.h: int conversions, with CPython 3.11's range checks and
//! messages (which differ from function to function).
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use malachite_bigint::{BigInt, Sign};
use num_traits::{FromPrimitive, ToPrimitive, Zero};
use rustpython_vm::builtins::{PyInt, PyIntRef};
use rustpython_vm::{AsObject, PyPayload, PyResult, VirtualMachine};
use std::ffi::{c_char, c_double, c_int, c_long, c_longlong, c_ulong, c_ulonglong};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The proxy of a new int with value `v`. A value CPython caches (-5..=256)
/// is the host's cached int, whose proxy is immortal (I7) and kept in
/// `SMALL_INTS` once made: no host int and no identity-table search. Any
/// other value that fits 64 bits is a pending proxy (`pending_int`); a
/// larger one a new host int that nothing else has seen, so it has no proxy
/// to look for either.
fn new_int<T: Into<BigInt> + ToPrimitive>(vm: &VirtualMachine, v: T) -> *mut PyObject {
    let range = rustpython_vm::Context::INT_CACHE_POOL_RANGE;
    if let Some(small) = v.to_i32().filter(|i| range.contains(i)) {
        return small_int(vm, small);
    }
    if let Some(x) = v.to_i64() {
        return pending_int(x < 0, x.unsigned_abs());
    }
    if let Some(x) = v.to_u64() {
        return pending_int(false, x);
    }
    proxy::into_ref_fresh(vm, PyInt::from(v.into()).into_ref(&vm.ctx).into())
}

/// A new int made in C as a pending proxy: its ob_size and digits written,
/// as C reads them, but no host int and no identity entry until it crosses
/// into Python or an API function needs the object (`long_from_digits`,
/// the `_PyLong_New` path). Most such ints (a row a driver fetches) go into
/// a tuple and cross with it; making the host int there costs the same,
/// and one C drops first never gets one.
fn pending_int(negative: bool, magnitude: u64) -> *mut PyObject {
    let count = (u64::BITS - magnitude.leading_zeros()).div_ceil(DIGIT_BITS) as usize;
    let bytes = std::mem::offset_of!(crate::ffi::PyLongObject, ob_digit) + size_of::<u32>() * count.max(1);
    let p = proxy::new_pending(proxy::Layout::Long, bytes, &raw mut crate::types::PyLong_Type) as *mut crate::ffi::PyLongObject;
    // SAFETY: a fresh int proxy with room for `count` digits (at least one).
    unsafe {
        let digits = (&raw mut (*p).ob_digit) as *mut u32;
        let mut rest = magnitude;
        for i in 0..count {
            *digits.add(i) = (rest & DIGIT_MASK) as u32;
            rest >>= DIGIT_BITS;
        }
        (*p).ob_base.ob_size = if negative { -(count as Py_ssize_t) } else { count as Py_ssize_t };
    }
    p as *mut PyObject
}

/// Proxies of the cached small ints, by value - INT_CACHE_POOL_MIN; 0 until made.
static SMALL_INTS: [AtomicUsize; SMALL_INT_COUNT] = [const { AtomicUsize::new(0) }; SMALL_INT_COUNT];
const SMALL_INT_COUNT: usize =
    (*rustpython_vm::Context::INT_CACHE_POOL_RANGE.end() - *rustpython_vm::Context::INT_CACHE_POOL_RANGE.start() + 1) as usize;

/// A new reference to the proxy of the cached int `i` (in INT_CACHE_POOL_RANGE).
fn small_int(vm: &VirtualMachine, i: i32) -> *mut PyObject {
    let index = (i - *rustpython_vm::Context::INT_CACHE_POOL_RANGE.start()) as usize;
    // Written and read under the GIL (I1): relaxed is enough.
    let known = SMALL_INTS[index].load(Ordering::Relaxed) as *mut PyObject;
    if !known.is_null() {
        proxy::incref(known);
        return known;
    }
    let made = into_ref(vm, vm.ctx.int_cache_pool[index].clone().into());
    // Only an immortal proxy (made by make_proxy for a cached int) may be
    // kept: it is never freed.
    // SAFETY: `made` is the live proxy just returned, read under the GIL (I1).
    if unsafe { (*made).ob_refcnt } >= crate::ffi::IMMORTAL_REFCNT / 2 {
        SMALL_INTS[index].store(made as usize, Ordering::Relaxed);
    }
    made
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

// ---- CPython's digit representation, kept in int proxies ----

const DIGIT_BITS: u32 = 30;
const DIGIT_MASK: u64 = (1 << DIGIT_BITS) - 1;

/// Bytes of a `PyLongObject` proxy for `v`: the header and its digits (at
/// least one, as CPython allocates).
pub(crate) fn long_size(v: &BigInt) -> usize {
    let digits = v.bits().div_ceil(DIGIT_BITS as u64).max(1) as usize;
    std::mem::offset_of!(crate::ffi::PyLongObject, ob_digit) + digits * size_of::<u32>()
}

/// Writes `ob_size` (signed digit count) and the 30-bit digits of `v`.
///
/// # Safety
/// `out` must point at a proxy of at least `long_size(v)` bytes.
pub(crate) unsafe fn write_digits(v: &BigInt, out: *mut crate::ffi::PyLongObject) {
    // SAFETY: the caller sized the block with long_size, which counts every digit.
    let digits = unsafe { (&raw mut (*out).ob_digit) as *mut u32 };
    let mut count = 0usize;
    let mut push = |d: u64| {
        // SAFETY: at most ceil(bits / 30) digits are written, as allocated.
        unsafe { *digits.add(count) = d as u32 };
        count += 1;
    };
    if let Some(small) = v.to_i64() {
        let mut magnitude = small.unsigned_abs();
        while magnitude != 0 {
            push(magnitude & DIGIT_MASK);
            magnitude >>= DIGIT_BITS;
        }
    } else {
        // Regroup the 32-bit limbs, least significant first, into 30-bit digits.
        let mut pending: u64 = 0;
        let mut pending_bits = 0u32;
        for limb in v.magnitude().iter_u32_digits() {
            pending |= (limb as u64) << pending_bits;
            pending_bits += 32;
            while pending_bits >= DIGIT_BITS {
                push(pending & DIGIT_MASK);
                pending >>= DIGIT_BITS;
                pending_bits -= DIGIT_BITS;
            }
        }
        if pending != 0 {
            push(pending);
        }
    }
    // A normalized int has no leading zero digits.
    // SAFETY: only the digits written above are read.
    while count > 0 && unsafe { *digits.add(count - 1) } == 0 {
        count -= 1;
    }
    let size = if v.sign() == Sign::Minus { -(count as Py_ssize_t) } else { count as Py_ssize_t };
    // SAFETY: as above; ob_size is in the header part of the block.
    unsafe { (*out).ob_base.ob_size = size };
}

// ---- the rest of longobject.h ----

/// `int(u, base)` for a str, with PyLong_FromString's check of the base.
#[cpython_api]
fn PyLong_FromUnicodeObject(vm: &VirtualMachine, u: *mut PyObject, base: c_int) -> PyResult<*mut PyObject> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(vm.new_value_error("int() arg 2 must be >= 2 and <= 36".to_owned()));
    }
    let text = to_host(vm, u)?;
    if text.downcast_ref::<rustpython_vm::builtins::PyStr>().is_none() {
        return Err(super::bad_internal_call(vm));
    }
    let int_type = rustpython_vm::AsObject::as_object(vm.ctx.types.int_type);
    Ok(into_ref(vm, int_type.call((text, base), vm)?))
}

#[cpython_api]
fn PyLong_FromVoidPtr(vm: &VirtualMachine, p: *mut std::ffi::c_void) -> *mut PyObject {
    new_int(vm, p as usize as u64)
}

/// Negative ints convert as C long, others as unsigned long (so both
/// halves of the address space round-trip).
#[cpython_api]
fn PyLong_AsVoidPtr(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<*mut std::ffi::c_void> {
    let host = to_host(vm, obj)?;
    let negative = host.downcast_ref::<PyInt>().is_some_and(|i| i.as_bigint().sign() == Sign::Minus);
    let v = int_value(vm, obj, false)?;
    let address = if negative {
        v.as_bigint().to_i64().ok_or_else(|| overflow(vm, "Python int too large to convert to C long"))? as usize
    } else {
        v.as_bigint().to_u64().ok_or_else(|| overflow(vm, "Python int too large to convert to C unsigned long"))? as usize
    };
    Ok(address as *mut std::ffi::c_void)
}

#[cpython_api]
fn PyLong_AsSize_t(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<usize> {
    let v = int_value(vm, obj, false)?;
    if v.as_bigint().sign() == Sign::Minus {
        return Err(overflow(vm, "can't convert negative value to size_t"));
    }
    v.as_bigint().to_usize().ok_or_else(|| overflow(vm, "Python int too large to convert to C size_t"))
}

#[cpython_api]
fn PyLong_GetInfo(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, vm.sys_module.get_attr("int_info", vm)?))
}

/// The digits PyOS_strtoul accepts in `base` at the start of `s`, and what
/// they add up to (None on overflow of unsigned long).
fn scan_unsigned(s: &[u8], base: u32) -> (usize, Option<u64>) {
    let mut value: Option<u64> = Some(0);
    let mut i = 0;
    while i < s.len() && digit_value(s[i]) < base {
        value = value.and_then(|v| v.checked_mul(base as u64)).and_then(|v| v.checked_add(digit_value(s[i]) as u64));
        i += 1;
    }
    (i, value)
}

/// PyOS_strtoul without the C pointers: (value, bytes consumed, overflowed).
fn strtoul_bytes(s: &[u8], mut base: u32) -> (u64, usize, bool) {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let prefix_base = |b: u8| match b {
        b'x' | b'X' => 16,
        b'o' | b'O' => 8,
        b'b' | b'B' => 2,
        _ => 0,
    };
    if s.get(i) == Some(&b'0') {
        let marked = s.get(i + 1).map_or(0, |b| prefix_base(*b));
        if base == 0 && marked == 0 {
            // "0", "000" or an old-style octal literal: the value is the zeros.
            while s.get(i) == Some(&b'0') {
                i += 1;
            }
            while i < s.len() && is_space(s[i]) {
                i += 1;
            }
            return (0, i, false);
        }
        if marked != 0 && (base == 0 || base == marked) {
            // A prefix needs a digit after it; otherwise nothing is parsed.
            if s.get(i + 2).is_none_or(|b| digit_value(*b) >= marked) {
                return (0, i + 1, false); // just the "0"
            }
            base = marked;
            i += 2;
        }
    } else if base == 0 {
        base = 10;
    }
    if !(2..=36).contains(&base) {
        return (0, i, false);
    }
    let (n, value) = scan_unsigned(&s[i..], base);
    match value {
        Some(v) => (v, i + n, false),
        None => (u64::MAX, i + n, true),
    }
}

fn set_errno(value: c_int) {
    // SAFETY: __errno_location returns this thread's errno.
    unsafe { *libc::__errno_location() = value };
}

/// Pure C string parsing: callable without the GIL, as in CPython (numpy
/// parses text with the GIL released).
///
/// # Safety
/// `s` must be a NUL-terminated string; `ptr`, if not NULL, writable.
#[cpython_api(no_gil)]
unsafe fn PyOS_strtoul(s: *const c_char, ptr: *mut *mut c_char, base: c_int) -> c_ulong {
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes();
    let (value, used, overflowed) = strtoul_bytes(bytes, base as u32);
    if !ptr.is_null() {
        // SAFETY: `used` is within the string; the caller owns *ptr.
        unsafe { *ptr = s.add(used) as *mut c_char };
    }
    if overflowed {
        set_errno(libc::ERANGE);
    }
    value
}

/// # Safety
/// As for `PyOS_strtoul`.
#[cpython_api(no_gil)]
unsafe fn PyOS_strtol(s: *const c_char, ptr: *mut *mut c_char, base: c_int) -> c_long {
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes();
    let mut i = 0;
    while i < bytes.len() && is_space(bytes[i]) {
        i += 1;
    }
    let negative = bytes.get(i) == Some(&b'-');
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let (magnitude, used, overflowed) = strtoul_bytes(&bytes[i..], base as u32);
    if !ptr.is_null() {
        // SAFETY: within the string, as above.
        unsafe { *ptr = s.add(i + used) as *mut c_char };
    }
    if overflowed {
        set_errno(libc::ERANGE);
    }
    if magnitude <= c_long::MAX as u64 {
        let v = magnitude as c_long;
        if negative { -v } else { v }
    } else if negative && magnitude == c_long::MIN.unsigned_abs() {
        c_long::MIN
    } else {
        set_errno(libc::ERANGE);
        c_long::MAX
    }
}

/// The shared part of the unsigned O& converters: refuses negative ints
/// with ValueError, as CPython's do, before converting.
fn unsigned_for_converter(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<()> {
    let host = to_host(vm, obj)?;
    if host.downcast_ref::<PyInt>().is_some_and(|i| i.as_bigint().sign() == Sign::Minus) {
        return Err(vm.new_value_error("value must be positive".to_owned()));
    }
    Ok(())
}

/// Runs a converter body; 1 on success, 0 with the error set.
fn converter_result(result: PyResult<()>) -> c_int {
    match result {
        Ok(()) => 1,
        Err(e) => {
            crate::error_indicator::set_from_exception(e);
            0
        }
    }
}

/// # Safety
/// `ptr` must point at an `unsigned short`.
#[cpython_api]
unsafe fn _PyLong_UnsignedShort_Converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut std::ffi::c_void) -> c_int {
    converter_result((|| {
        unsigned_for_converter(vm, obj)?;
        let v = int_value(vm, obj, false)?;
        let v = v.as_bigint().to_u64().ok_or_else(|| overflow(vm, "Python int too large to convert to C unsigned long"))?;
        let v = u16::try_from(v).map_err(|_| overflow(vm, "Python int too large for C unsigned short"))?;
        // SAFETY: the caller passes a pointer to an unsigned short.
        unsafe { *(ptr as *mut u16) = v };
        Ok(())
    })())
}

/// # Safety
/// `ptr` must point at an `unsigned int`.
#[cpython_api]
unsafe fn _PyLong_UnsignedInt_Converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut std::ffi::c_void) -> c_int {
    converter_result((|| {
        unsigned_for_converter(vm, obj)?;
        let v = int_value(vm, obj, false)?;
        let v = v.as_bigint().to_u64().ok_or_else(|| overflow(vm, "Python int too large to convert to C unsigned long"))?;
        let v = u32::try_from(v).map_err(|_| overflow(vm, "Python int too large for C unsigned int"))?;
        // SAFETY: the caller passes a pointer to an unsigned int.
        unsafe { *(ptr as *mut u32) = v };
        Ok(())
    })())
}

/// # Safety
/// `ptr` must point at an `unsigned long`.
#[cpython_api]
unsafe fn _PyLong_UnsignedLong_Converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut std::ffi::c_void) -> c_int {
    converter_result((|| {
        unsigned_for_converter(vm, obj)?;
        let v = int_value(vm, obj, false)?;
        let v = v.as_bigint().to_u64().ok_or_else(|| overflow(vm, "Python int too large to convert to C unsigned long"))?;
        // SAFETY: the caller passes a pointer to an unsigned long.
        unsafe { *(ptr as *mut c_ulong) = v };
        Ok(())
    })())
}

/// # Safety
/// `ptr` must point at an `unsigned long long`.
#[cpython_api]
unsafe fn _PyLong_UnsignedLongLong_Converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut std::ffi::c_void) -> c_int {
    converter_result((|| {
        unsigned_for_converter(vm, obj)?;
        let v = int_value(vm, obj, false)?;
        let v = v.as_bigint().to_u64().ok_or_else(|| overflow(vm, "int too big to convert"))?;
        // SAFETY: the caller passes a pointer to an unsigned long long.
        unsafe { *(ptr as *mut c_ulonglong) = v };
        Ok(())
    })())
}

/// # Safety
/// `ptr` must point at a `size_t`.
#[cpython_api]
unsafe fn _PyLong_Size_t_Converter(vm: &VirtualMachine, obj: *mut PyObject, ptr: *mut std::ffi::c_void) -> c_int {
    converter_result((|| {
        unsigned_for_converter(vm, obj)?;
        let v = int_value(vm, obj, false)?;
        let v = v.as_bigint().to_usize().ok_or_else(|| overflow(vm, "Python int too large to convert to C size_t"))?;
        // SAFETY: the caller passes a pointer to a size_t.
        unsafe { *(ptr as *mut usize) = v };
        Ok(())
    })())
}

/// The int as x * 2**e with 0.5 <= |x| < 1, x rounded half to even to 53
/// bits (so that it is exact when the int has at most 53 bits).
///
/// # Safety
/// `e` must be writable.
#[cpython_api]
unsafe fn _PyLong_Frexp(vm: &VirtualMachine, a: *mut crate::ffi::PyLongObject, e: *mut Py_ssize_t) -> PyResult<c_double> {
    let v = int_value(vm, a as *mut PyObject, false)?;
    let v = v.as_bigint();
    let bits = v.bits();
    if bits == 0 {
        // SAFETY: the caller passes a writable exponent.
        unsafe { *e = 0 };
        return Ok(0.0);
    }
    let magnitude = v.magnitude();
    let (mantissa, exponent) = if bits <= 53 {
        (magnitude.to_u64().unwrap(), bits)
    } else {
        let drop = bits - 53;
        let mut m = (magnitude >> drop).to_u64().unwrap();
        let rest = magnitude - (malachite_bigint::BigUint::from(m) << drop);
        let half = malachite_bigint::BigUint::from(1u8) << (drop - 1);
        if rest > half || (rest == half && m & 1 == 1) {
            m += 1;
        }
        if m == 1 << 53 { (1u64 << 52, bits + 1) } else { (m, bits) }
    };
    let shift = if bits <= 53 { bits } else { 53 };
    let x = mantissa as f64 / (2f64).powi(shift as i32);
    // SAFETY: as above.
    unsafe { *e = exponent as Py_ssize_t };
    Ok(if v.sign() == Sign::Minus { -x } else { x })
}

/// `int(bytes, base)`; the message shows the bytes (at most 200 of them).
///
/// # Safety
/// `s` must point at `len` readable bytes.
#[cpython_api]
unsafe fn _PyLong_FromBytes(vm: &VirtualMachine, s: *const c_char, len: Py_ssize_t, base: c_int) -> PyResult<*mut PyObject> {
    if base != 0 && !(2..=36).contains(&base) {
        return Err(vm.new_value_error("int() arg 2 must be >= 2 and <= 36".to_owned()));
    }
    // SAFETY: the caller passes len readable bytes.
    let data = unsafe { std::slice::from_raw_parts(s as *const u8, len.max(0) as usize) };
    let text = String::from_utf8_lossy(data);
    match parse_int_literal(text.as_bytes(), base as u32) {
        Ok((value, ..)) if !data.contains(&0) && std::str::from_utf8(data).is_ok() => Ok(new_int(vm, value)),
        _ => {
            let shown = vm.ctx.new_bytes(data[..data.len().min(200)].to_vec());
            let repr = rustpython_vm::AsObject::as_object(&shown).repr(vm)?;
            Err(vm.new_value_error(format!("invalid literal for int() with base {base}: {repr}")))
        }
    }
}

#[cpython_api]
fn _PyLong_Sign(vm: &VirtualMachine, v: *mut PyObject) -> PyResult<c_int> {
    let v = int_value(vm, v, false)?;
    Ok(match v.as_bigint().sign() {
        Sign::Minus => -1,
        Sign::NoSign => 0,
        Sign::Plus => 1,
    })
}

#[cpython_api]
fn _PyLong_NumBits(vm: &VirtualMachine, v: *mut PyObject) -> PyResult<usize> {
    let v = int_value(vm, v, false)?;
    Ok(v.as_bigint().bits() as usize)
}

/// divmod(a, b) with the quotient rounded half to even instead of down.
#[cpython_api]
fn _PyLong_DivmodNear(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
    let (Some(ai), Some(bi)) = (a.downcast_ref::<PyInt>(), b.downcast_ref::<PyInt>()) else {
        return Err(vm.new_type_error("non-integer arguments in division".to_owned()));
    };
    let b = bi.as_bigint().clone();
    if b.is_zero() {
        return Err(vm.new_zero_division_error("integer division or modulo by zero".to_owned()));
    }
    // Floor division, then step up by one where the remainder is past half.
    let floor = vm._divmod(ai.as_object(), bi.as_object())?;
    let floor = floor.downcast_ref::<rustpython_vm::builtins::PyTuple>().ok_or_else(|| super::bad_internal_call(vm))?;
    let part = |i: usize| floor.as_slice()[i].downcast_ref::<PyInt>().map(|v| v.as_bigint().clone()).ok_or_else(|| super::bad_internal_call(vm));
    let (mut q, mut r) = (part(0)?, part(1)?);
    let twice = &r * BigInt::from(2u8);
    let (twice_abs, b_abs) = (twice.magnitude().clone(), b.magnitude().clone());
    let q_odd = (&q & BigInt::from(1u8)) == BigInt::from(1u8);
    if twice_abs > b_abs || (twice_abs == b_abs && q_odd) {
        q += 1;
        r -= &b;
    }
    let pair = vm.ctx.new_tuple(vec![vm.ctx.new_int(q).into(), vm.ctx.new_int(r).into()]);
    Ok(into_ref(vm, pair.into()))
}

/// The int in `n` bytes, two's complement when `is_signed`. On overflow the
/// low `n` bytes are still written.
///
/// # Safety
/// `bytes` must point at `n` writable bytes.
#[cpython_api]
unsafe fn _PyLong_AsByteArray(vm: &VirtualMachine, v: *mut crate::ffi::PyLongObject, bytes: *mut u8, n: usize, little_endian: c_int, is_signed: c_int) -> PyResult<c_int> {
    let v = int_value(vm, v as *mut PyObject, false)?;
    let v = v.as_bigint();
    let negative = v.sign() == Sign::Minus;
    if negative && is_signed == 0 {
        return Err(overflow(vm, "can't convert negative int to unsigned"));
    }
    let modulus = BigInt::from(1u8) << (8 * n as u64);
    let mut wrapped = v % &modulus;
    if wrapped.sign() == Sign::Minus {
        wrapped += &modulus;
    }
    let mut low_first: Vec<u8> = wrapped.magnitude().to_bytes_le();
    low_first.resize(n, 0);
    // SAFETY: the caller passes n writable bytes.
    let out = unsafe { std::slice::from_raw_parts_mut(bytes, n) };
    for (i, byte) in low_first.iter().take(n).enumerate() {
        out[if little_endian != 0 { i } else { n - 1 - i }] = *byte;
    }
    let fits = if is_signed != 0 {
        n > 0 && {
            let limit = BigInt::from(1u8) << (8 * n as u64 - 1);
            v < &limit && v >= &-limit
        } || v.is_zero()
    } else {
        v < &modulus
    };
    if !fits {
        return Err(overflow(vm, "int too big to convert"));
    }
    Ok(0)
}

/// bin(), oct(), str() or hex() of an int.
#[cpython_api]
fn _PyLong_Format(vm: &VirtualMachine, obj: *mut PyObject, base: c_int) -> PyResult<*mut PyObject> {
    let builtin = match base {
        2 => "bin",
        8 => "oct",
        10 => "str",
        16 => "hex",
        _ => return Err(super::bad_internal_call(vm)),
    };
    let function = vm.builtins.get_attr(builtin, vm)?;
    Ok(into_ref(vm, function.call((to_host(vm, obj)?,), vm)?))
}

/// math.gcd of two ints (never negative).
#[cpython_api]
fn _PyLong_GCD(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject) -> PyResult<*mut PyObject> {
    let (a, b) = (int_value(vm, a, false)?, int_value(vm, b, false)?);
    let gcd = crate::types::import_for_layer(vm, "math")?.get_attr("gcd", vm)?.call((a, b), vm)?;
    return Ok(into_ref(vm, gcd));
}

#[cpython_api]
fn _PyLong_Rshift(vm: &VirtualMachine, a: *mut PyObject, shiftby: usize) -> PyResult<*mut PyObject> {
    let a = int_value(vm, a, false)?;
    let shifted = vm._rshift(a.as_object(), vm.ctx.new_int(shiftby).as_object())?;
    Ok(into_ref(vm, shifted))
}

#[cpython_api]
fn _PyLong_Lshift(vm: &VirtualMachine, a: *mut PyObject, shiftby: usize) -> PyResult<*mut PyObject> {
    let a = int_value(vm, a, false)?;
    let shifted = vm._lshift(a.as_object(), vm.ctx.new_int(shiftby).as_object())?;
    Ok(into_ref(vm, shifted))
}

/// A new exact int with the value of `src` (an int or a subclass).
#[cpython_api]
fn _PyLong_Copy(vm: &VirtualMachine, src: *mut crate::ffi::PyLongObject) -> PyResult<*mut PyObject> {
    let v = int_value(vm, src as *mut PyObject, false)?;
    Ok(new_int(vm, v.as_bigint().clone()))
}

/// The value of the digits C wrote into an int made by `_PyLong_New`.
///
/// # Safety
/// `p` must be an int proxy with |ob_size| digits.
pub(crate) unsafe fn value_from_digits(p: *const crate::ffi::PyLongObject) -> BigInt {
    // SAFETY: the caller passes an int proxy with its digits.
    let size = unsafe { (*p).ob_base.ob_size };
    // SAFETY: as above.
    let digits = unsafe { std::slice::from_raw_parts((&raw const (*p).ob_digit) as *const u32, size.unsigned_abs()) };
    if digits.len() <= 4 {
        // Up to 120 bits (every int `pending_int` makes): one machine
        // integer, not a BigInt shift and add per digit.
        let magnitude = digits.iter().rev().fold(0u128, |acc, d| acc << DIGIT_BITS | (*d & DIGIT_MASK as u32) as u128);
        let value = BigInt::from(magnitude);
        return if size < 0 { -value } else { value };
    }
    let mut value = BigInt::from(0u8);
    for digit in digits.iter().rev() {
        value = (value << DIGIT_BITS) + BigInt::from(*digit & DIGIT_MASK as u32);
    }
    if size < 0 { -value } else { value }
}

/// An int of `size` zero digits for C to fill (digits and the sign of
/// ob_size); it takes its value when it first reaches Python or the API.
#[cpython_api]
fn _PyLong_New(vm: &VirtualMachine, size: Py_ssize_t) -> PyResult<*mut crate::ffi::PyLongObject> {
    // CPython's limit: the bit count must fit a Py_ssize_t.
    let max_digits = (Py_ssize_t::MAX as usize - std::mem::offset_of!(crate::ffi::PyLongObject, ob_digit)) / size_of::<u32>();
    if size < 0 || size as usize > max_digits {
        return Err(vm.new_overflow_error("too many digits in integer".to_owned()));
    }
    let bytes = std::mem::offset_of!(crate::ffi::PyLongObject, ob_digit) + size_of::<u32>() * (size as usize).max(1);
    let p = crate::proxy::new_pending(crate::proxy::Layout::Long, bytes, &raw mut crate::types::PyLong_Type) as *mut crate::ffi::PyLongObject;
    // SAFETY: a fresh, zeroed int proxy.
    unsafe { (*p).ob_base.ob_size = size };
    Ok(p)
}
