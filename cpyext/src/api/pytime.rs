//! cpython/pytime.h: CPython's private clock API (`_PyTime_t`, nanoseconds),
//! which `pythoncapi_compat.h` builds the 3.13 `PyTime_*` API on.
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use num_traits::ToPrimitive;
use rustpython_vm::builtins::{PyBaseExceptionRef, PyFloat, PyInt};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_long};

// The header's types (bindgen reads only the `Py*` names).
#[allow(non_camel_case_types)]
type _PyTime_t = i64;
#[allow(non_camel_case_types)]
type _PyTime_round_t = c_int;
const ROUND_FLOOR: c_int = 0;
const ROUND_CEILING: c_int = 1;
const ROUND_HALF_EVEN: c_int = 2;
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct _Py_clock_info_t {
    implementation: *const c_char,
    monotonic: c_int,
    adjustable: c_int,
    resolution: f64,
}

const NS_PER_SECOND: i64 = 1_000_000_000;

/// `t / unit`, rounded as `round` says (CPython's four modes).
fn divide(t: i64, unit: i64, round: _PyTime_round_t) -> i64 {
    let (q, r) = (t.div_euclid(unit), t.rem_euclid(unit));
    if r == 0 {
        return q;
    }
    match round {
        // Toward minus infinity: the Euclidean quotient already is.
        ROUND_FLOOR => q,
        ROUND_CEILING => q + 1,
        ROUND_HALF_EVEN => {
            let twice = 2 * r;
            if twice > unit || (twice == unit && q % 2 != 0) { q + 1 } else { q }
        }
        // Away from zero.
        _ => {
            if t >= 0 { q + 1 } else { q }
        }
    }
}

#[cpython_api(no_gil)]
fn _PyTime_FromSeconds(seconds: c_int) -> _PyTime_t {
    seconds as i64 * NS_PER_SECOND
}

#[cpython_api(no_gil)]
fn _PyTime_FromNanoseconds(ns: _PyTime_t) -> _PyTime_t {
    ns
}

#[cpython_api(no_gil)]
fn _PyTime_AsSecondsDouble(t: _PyTime_t) -> f64 {
    // Whole seconds and the rest apart, so large values lose no precision
    // in the division.
    if t % NS_PER_SECOND == 0 { (t / NS_PER_SECOND) as f64 } else { t as f64 / 1e9 }
}

#[cpython_api(no_gil)]
fn _PyTime_AsMilliseconds(t: _PyTime_t, round: _PyTime_round_t) -> _PyTime_t {
    divide(t, 1_000_000, round)
}

#[cpython_api(no_gil)]
fn _PyTime_AsMicroseconds(t: _PyTime_t, round: _PyTime_round_t) -> _PyTime_t {
    divide(t, 1_000, round)
}

#[cpython_api(no_gil)]
fn _PyTime_AsNanoseconds(t: _PyTime_t) -> _PyTime_t {
    t
}

/// `t1 + t2`, clamped to the range of `_PyTime_t`.
#[cpython_api(no_gil)]
fn _PyTime_Add(t1: _PyTime_t, t2: _PyTime_t) -> _PyTime_t {
    t1.saturating_add(t2)
}

/// `ticks * mul / div` without intermediate overflow (as CPython computes it).
#[cpython_api(no_gil)]
fn _PyTime_MulDiv(ticks: _PyTime_t, mul: _PyTime_t, div: _PyTime_t) -> _PyTime_t {
    let (whole, rest) = (ticks / div, ticks % div);
    whole.saturating_mul(mul).saturating_add(rest * mul / div)
}

/// One clock: its `clock_gettime` id and what it reports about itself.
struct Clock {
    id: libc::clockid_t,
    implementation: &'static std::ffi::CStr,
    monotonic: bool,
    adjustable: bool,
}

const SYSTEM: Clock = Clock { id: libc::CLOCK_REALTIME, implementation: c"clock_gettime(CLOCK_REALTIME)", monotonic: false, adjustable: true };
const MONOTONIC: Clock = Clock { id: libc::CLOCK_MONOTONIC, implementation: c"clock_gettime(CLOCK_MONOTONIC)", monotonic: true, adjustable: false };

fn read(clock: &Clock) -> _PyTime_t {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write; both clock ids exist on Linux.
    unsafe { libc::clock_gettime(clock.id, &mut ts) };
    (ts.tv_sec as i64).saturating_mul(NS_PER_SECOND).saturating_add(ts.tv_nsec as i64)
}

/// Reads `clock` into `*t` and describes it in `*info` (if not NULL).
///
/// # Safety
/// `t` is writable; `info` is NULL or writable.
unsafe fn read_with_info(clock: &Clock, t: *mut _PyTime_t, info: *mut _Py_clock_info_t) -> c_int {
    let now = read(clock);
    let mut resolution = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: as above.
    unsafe { libc::clock_getres(clock.id, &mut resolution) };
    // SAFETY: the caller's contract.
    unsafe {
        *t = now;
        if !info.is_null() {
            (*info).implementation = clock.implementation.as_ptr();
            (*info).monotonic = clock.monotonic as c_int;
            (*info).adjustable = clock.adjustable as c_int;
            (*info).resolution = resolution.tv_sec as f64 + resolution.tv_nsec as f64 * 1e-9;
        }
    }
    0
}

#[cpython_api(no_gil)]
fn _PyTime_GetSystemClock() -> _PyTime_t {
    read(&SYSTEM)
}

/// # Safety
/// `t` is writable; `info` is NULL or writable.
#[cpython_api(no_gil)]
unsafe fn _PyTime_GetSystemClockWithInfo(t: *mut _PyTime_t, info: *mut _Py_clock_info_t) -> c_int {
    read_with_info(&SYSTEM, t, info)
}

#[cpython_api(no_gil)]
fn _PyTime_GetMonotonicClock() -> _PyTime_t {
    read(&MONOTONIC)
}

/// # Safety
/// `t` is writable; `info` is NULL or writable.
#[cpython_api(no_gil)]
unsafe fn _PyTime_GetMonotonicClockWithInfo(t: *mut _PyTime_t, info: *mut _Py_clock_info_t) -> c_int {
    read_with_info(&MONOTONIC, t, info)
}

/// The performance counter is the monotonic clock on Linux, as in CPython.
#[cpython_api(no_gil)]
fn _PyTime_GetPerfCounter() -> _PyTime_t {
    read(&MONOTONIC)
}

/// # Safety
/// `t` is writable; `info` is NULL or writable.
#[cpython_api(no_gil)]
unsafe fn _PyTime_GetPerfCounterWithInfo(t: *mut _PyTime_t, info: *mut _Py_clock_info_t) -> c_int {
    read_with_info(&MONOTONIC, t, info)
}

// --- conversions to and from Python objects and C structs ----------------------

const NS_PER_MS: i64 = 1_000_000;
const NS_PER_US: i64 = 1_000;
const US_PER_SECOND: i64 = 1_000_000;

fn time_t_overflow(vm: &VirtualMachine) -> PyBaseExceptionRef {
    vm.new_overflow_error("timestamp out of range for platform time_t".to_owned())
}

fn pytime_overflow(vm: &VirtualMachine) -> PyBaseExceptionRef {
    vm.new_overflow_error("timestamp too large to convert to C _PyTime_t".to_owned())
}

/// `d` rounded to an integral value as `round` says.
fn round_double(d: f64, round: _PyTime_round_t) -> f64 {
    match round {
        ROUND_HALF_EVEN => d.round_ties_even(),
        ROUND_CEILING => d.ceil(),
        ROUND_FLOOR => d.floor(),
        _ => {
            if d >= 0.0 { d.ceil() } else { d.floor() }
        }
    }
}

/// Whether an integral double fits a 64-bit signed integer: 2**63 itself
/// does not, though `i64::MAX as f64` rounds to it.
fn fits_i64(d: f64) -> bool {
    (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&d)
}

/// A float (or float subclass) argument's value: Some for a float (an
/// error for NaN), None for anything else.
fn float_value(vm: &VirtualMachine, obj: &PyObjectRef) -> PyResult<Option<f64>> {
    match obj.downcast_ref::<PyFloat>() {
        Some(f) => {
            let d = f.to_f64();
            if d.is_nan() {
                return Err(vm.new_value_error("Invalid value NaN (not a number)".to_owned()));
            }
            Ok(Some(d))
        }
        None => Ok(None),
    }
}

/// An integer argument (or one with `__index__`) as a 64-bit value; None
/// when it does not fit.
fn index_value(vm: &VirtualMachine, obj: &PyObjectRef) -> PyResult<Option<i64>> {
    let int = match obj.clone().downcast::<PyInt>() {
        Ok(int) => int,
        Err(obj) => obj.try_index(vm)?,
    };
    Ok(int.as_bigint().to_i64())
}

fn object_to_time_t(vm: &VirtualMachine, obj: &PyObjectRef) -> PyResult<libc::time_t> {
    index_value(vm, obj)?.ok_or_else(|| time_t_overflow(vm))
}

/// An int or float number of seconds as whole seconds and a count of
/// `1/denominator` fractions in `[0, denominator)`.
fn object_to_denominator(vm: &VirtualMachine, obj: &PyObjectRef, denominator: i64, round: _PyTime_round_t) -> PyResult<(libc::time_t, i64)> {
    let Some(d) = float_value(vm, obj)? else {
        return Ok((object_to_time_t(vm, obj)?, 0));
    };
    let (mut whole, fraction) = (d.trunc(), d.fract());
    let scale = denominator as f64;
    let mut part = round_double(fraction * scale, round);
    if part >= scale {
        part -= scale;
        whole += 1.0;
    } else if part < 0.0 {
        part += scale;
        whole -= 1.0;
    }
    if !fits_i64(whole) {
        return Err(time_t_overflow(vm));
    }
    Ok((whole as libc::time_t, part as i64))
}

/// Seconds (int or float) times `unit_to_ns`, as a `_PyTime_t`.
fn object_to_pytime(vm: &VirtualMachine, obj: &PyObjectRef, round: _PyTime_round_t, unit_to_ns: i64) -> PyResult<_PyTime_t> {
    if let Some(d) = float_value(vm, obj)? {
        let ns = round_double(d * unit_to_ns as f64, round);
        if !fits_i64(ns) {
            return Err(time_t_overflow(vm));
        }
        return Ok(ns as i64);
    }
    let units = match index_value(vm, obj) {
        Ok(Some(units)) => units,
        Ok(None) => return Err(pytime_overflow(vm)),
        Err(e) => return Err(e),
    };
    units.checked_mul(unit_to_ns).ok_or_else(|| pytime_overflow(vm))
}

/// Writes `value` through `out` (a C out-parameter).
///
/// # Safety
/// `out` is valid for a write of `T`.
unsafe fn store<T>(out: *mut T, value: T) {
    // SAFETY: the caller's contract.
    unsafe { out.write(value) }
}

#[cpython_api]
fn _PyLong_FromTime_t(vm: &VirtualMachine, t: libc::time_t) -> *mut PyObject {
    into_ref(vm, vm.ctx.new_int(t).into())
}

/// An int (or an object with `__index__`) as a `time_t`.
#[cpython_api]
fn _PyLong_AsTime_t(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<libc::time_t> {
    object_to_time_t(vm, &to_host(vm, obj)?)
}

/// An int or a float as whole seconds, the float rounded as `round` says.
/// # Safety
/// `sec` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_ObjectToTime_t(vm: &VirtualMachine, obj: *mut PyObject, sec: *mut libc::time_t, round: _PyTime_round_t) -> PyResult<c_int> {
    let obj = to_host(vm, obj)?;
    let value = match float_value(vm, &obj)? {
        Some(d) => {
            let whole = round_double(d, round).trunc();
            if !fits_i64(whole) {
                return Err(time_t_overflow(vm));
            }
            whole as libc::time_t
        }
        None => object_to_time_t(vm, &obj)?,
    };
    // SAFETY: the caller's contract.
    unsafe { store(sec, value) };
    Ok(0)
}

/// An int or a float as seconds and microseconds (in `[0, 10**6)`).
/// # Safety
/// `sec` and `usec` are valid for writing.
#[cpython_api]
unsafe fn _PyTime_ObjectToTimeval(vm: &VirtualMachine, obj: *mut PyObject, sec: *mut libc::time_t, usec: *mut c_long, round: _PyTime_round_t) -> PyResult<c_int> {
    let (s, us) = object_to_denominator(vm, &to_host(vm, obj)?, US_PER_SECOND, round)?;
    // SAFETY: the caller's contract.
    unsafe {
        store(sec, s);
        store(usec, us as c_long);
    }
    Ok(0)
}

/// An int or a float as seconds and nanoseconds (in `[0, 10**9)`).
/// # Safety
/// `sec` and `nsec` are valid for writing.
#[cpython_api]
unsafe fn _PyTime_ObjectToTimespec(vm: &VirtualMachine, obj: *mut PyObject, sec: *mut libc::time_t, nsec: *mut c_long, round: _PyTime_round_t) -> PyResult<c_int> {
    let (s, ns) = object_to_denominator(vm, &to_host(vm, obj)?, NS_PER_SECOND, round)?;
    // SAFETY: the caller's contract.
    unsafe {
        store(sec, s);
        store(nsec, ns as c_long);
    }
    Ok(0)
}

/// An int number of nanoseconds (no float, no `__index__`).
/// # Safety
/// `t` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_FromNanosecondsObject(vm: &VirtualMachine, t: *mut _PyTime_t, obj: *mut PyObject) -> PyResult<c_int> {
    let obj = to_host(vm, obj)?;
    let Some(int) = obj.downcast_ref::<PyInt>() else {
        return Err(vm.new_type_error(format!("expect int, got {}", crate::types::tp_name(vm, obj.class()))));
    };
    let ns = int.as_bigint().to_i64().ok_or_else(|| pytime_overflow(vm))?;
    // SAFETY: the caller's contract.
    unsafe { store(t, ns) };
    Ok(0)
}

/// An int or float number of seconds as nanoseconds.
/// # Safety
/// `t` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_FromSecondsObject(vm: &VirtualMachine, t: *mut _PyTime_t, obj: *mut PyObject, round: _PyTime_round_t) -> PyResult<c_int> {
    let ns = object_to_pytime(vm, &to_host(vm, obj)?, round, NS_PER_SECOND)?;
    // SAFETY: the caller's contract.
    unsafe { store(t, ns) };
    Ok(0)
}

/// An int or float number of milliseconds as nanoseconds.
/// # Safety
/// `t` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_FromMillisecondsObject(vm: &VirtualMachine, t: *mut _PyTime_t, obj: *mut PyObject, round: _PyTime_round_t) -> PyResult<c_int> {
    let ns = object_to_pytime(vm, &to_host(vm, obj)?, round, NS_PER_MS)?;
    // SAFETY: the caller's contract.
    unsafe { store(t, ns) };
    Ok(0)
}

#[cpython_api]
fn _PyTime_AsNanosecondsObject(vm: &VirtualMachine, t: _PyTime_t) -> *mut PyObject {
    into_ref(vm, vm.ctx.new_int(t).into())
}

/// `secs * SEC + fraction * unit` clamped, and whether it overflowed.
fn from_parts(secs: i64, fraction: i64, unit: i64) -> (i64, bool) {
    let (scaled, over1) = match secs.checked_mul(NS_PER_SECOND) {
        Some(v) => (v, false),
        None => (if secs < 0 { i64::MIN } else { i64::MAX }, true),
    };
    let part = fraction.saturating_mul(unit);
    match scaled.checked_add(part) {
        Some(v) => (v, over1),
        None => (scaled.saturating_add(part), true),
    }
}

/// A `timeval` as nanoseconds (clamped, and OverflowError, when too large).
/// # Safety
/// `tp` is valid for writing; `tv` for reading.
#[cpython_api]
unsafe fn _PyTime_FromTimeval(vm: &VirtualMachine, tp: *mut _PyTime_t, tv: *mut libc::timeval) -> PyResult<c_int> {
    // SAFETY: the caller's contract.
    let tv = unsafe { tv.read() };
    let (t, overflowed) = from_parts(tv.tv_sec, tv.tv_usec, NS_PER_US);
    // SAFETY: the caller's contract.
    unsafe { store(tp, t) };
    if overflowed { Err(pytime_overflow(vm)) } else { Ok(0) }
}

/// A `timespec` as nanoseconds (clamped, and OverflowError, when too large).
/// # Safety
/// `tp` is valid for writing; `ts` for reading.
#[cpython_api]
unsafe fn _PyTime_FromTimespec(vm: &VirtualMachine, tp: *mut _PyTime_t, ts: *mut libc::timespec) -> PyResult<c_int> {
    // SAFETY: the caller's contract.
    let ts = unsafe { ts.read() };
    let (t, overflowed) = from_parts(ts.tv_sec, ts.tv_nsec, 1);
    // SAFETY: the caller's contract.
    unsafe { store(tp, t) };
    if overflowed { Err(pytime_overflow(vm)) } else { Ok(0) }
}

/// Seconds and microseconds in `[0, 10**6)`, the microseconds rounded as
/// `round` says. A 64-bit `time_t` holds every result, so this cannot fail.
fn timeval_parts(t: _PyTime_t, round: _PyTime_round_t) -> (i64, i64) {
    let us = divide(t, NS_PER_US, round);
    (us.div_euclid(US_PER_SECOND), us.rem_euclid(US_PER_SECOND))
}

/// # Safety
/// `tv` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_AsTimeval(t: _PyTime_t, tv: *mut libc::timeval, round: _PyTime_round_t) -> c_int {
    let (tv_sec, tv_usec) = timeval_parts(t, round);
    // SAFETY: the caller's contract.
    unsafe { store(tv, libc::timeval { tv_sec, tv_usec }) };
    0
}

/// # Safety
/// `tv` is valid for writing.
#[cpython_api(no_gil)]
unsafe fn _PyTime_AsTimeval_clamp(t: _PyTime_t, tv: *mut libc::timeval, round: _PyTime_round_t) {
    let (tv_sec, tv_usec) = timeval_parts(t, round);
    // SAFETY: the caller's contract.
    unsafe { store(tv, libc::timeval { tv_sec, tv_usec }) };
}

/// # Safety
/// `secs` and `us` are valid for writing.
#[cpython_api]
unsafe fn _PyTime_AsTimevalTime_t(t: _PyTime_t, secs: *mut libc::time_t, us: *mut c_int, round: _PyTime_round_t) -> c_int {
    let (s, u) = timeval_parts(t, round);
    // SAFETY: the caller's contract.
    unsafe {
        store(secs, s);
        store(us, u as c_int);
    }
    0
}

/// Seconds (rounded toward minus infinity) and nanoseconds in `[0, 10**9)`.
fn timespec_of(t: _PyTime_t) -> libc::timespec {
    libc::timespec { tv_sec: t.div_euclid(NS_PER_SECOND), tv_nsec: t.rem_euclid(NS_PER_SECOND) }
}

/// # Safety
/// `ts` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_AsTimespec(t: _PyTime_t, ts: *mut libc::timespec) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { store(ts, timespec_of(t)) };
    0
}

/// # Safety
/// `ts` is valid for writing.
#[cpython_api(no_gil)]
unsafe fn _PyTime_AsTimespec_clamp(t: _PyTime_t, ts: *mut libc::timespec) {
    // SAFETY: the caller's contract.
    unsafe { store(ts, timespec_of(t)) };
}

/// The broken-down time of `t` from `convert` (gmtime_r or localtime_r);
/// OSError from errno (EINVAL when the C library sets none).
/// # Safety
/// `tm` is valid for writing.
unsafe fn broken_down(vm: &VirtualMachine, t: libc::time_t, tm: *mut libc::tm, convert: unsafe extern "C" fn(*const libc::time_t, *mut libc::tm) -> *mut libc::tm) -> PyResult<c_int> {
    // SAFETY: `t` is a local, `tm` writable by the caller's contract.
    let failed = unsafe {
        *libc::__errno_location() = 0;
        convert(&t, tm).is_null()
    };
    if !failed {
        return Ok(0);
    }
    let errno = std::io::Error::last_os_error().raw_os_error().filter(|&e| e != 0).unwrap_or(libc::EINVAL);
    // SAFETY: strerror returns a NUL-terminated message, copied at once.
    let message = unsafe { std::ffi::CStr::from_ptr(libc::strerror(errno)) }.to_string_lossy().into_owned();
    // OSError(errno, message) picks the subclass for errno, as CPython's does.
    let error = vm.ctx.exceptions.os_error.as_object().call((errno, message), vm)?;
    Err(error.downcast().map_err(|_| super::bad_internal_call(vm))?)
}

/// # Safety
/// `tm` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_localtime(vm: &VirtualMachine, t: libc::time_t, tm: *mut libc::tm) -> PyResult<c_int> {
    // SAFETY: the caller's contract.
    unsafe { broken_down(vm, t, tm, libc::localtime_r) }
}

/// # Safety
/// `tm` is valid for writing.
#[cpython_api]
unsafe fn _PyTime_gmtime(vm: &VirtualMachine, t: libc::time_t, tm: *mut libc::tm) -> PyResult<c_int> {
    // SAFETY: the caller's contract.
    unsafe { broken_down(vm, t, tm, libc::gmtime_r) }
}

/// The monotonic clock plus `timeout`, clamped.
#[cpython_api(no_gil)]
fn _PyDeadline_Init(timeout: _PyTime_t) -> _PyTime_t {
    read(&MONOTONIC).saturating_add(timeout)
}

/// What is left until `deadline` on the monotonic clock (negative once it
/// passed), clamped.
#[cpython_api(no_gil)]
fn _PyDeadline_Get(deadline: _PyTime_t) -> _PyTime_t {
    deadline.saturating_sub(read(&MONOTONIC))
}
