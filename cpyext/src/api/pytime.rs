//! cpython/pytime.h: CPython's private clock API (`_PyTime_t`, nanoseconds),
//! which `pythoncapi_compat.h` builds the 3.13 `PyTime_*` API on.
use cpyext_macros::cpython_api;
use std::ffi::{c_char, c_int};

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
