//! pythread.h: the simple locks and thread identity C extensions use.
use cpyext_macros::cpython_api;
use std::ffi::{c_int, c_ulong, c_void};
use std::sync::{Condvar, Mutex};

/// A lock that any thread may release (as CPython's are), unlike a mutex
/// guard: a flag under a mutex, with a condvar for waiters.
struct Lock {
    locked: Mutex<bool>,
    released: Condvar,
}

// The lock functions take no GIL: extensions call them with it released.
#[cpython_api(no_gil)]
fn PyThread_allocate_lock() -> *mut c_void {
    Box::into_raw(Box::new(Lock { locked: Mutex::new(false), released: Condvar::new() })) as *mut c_void
}

#[cpython_api(no_gil)]
unsafe fn PyThread_free_lock(lock: *mut c_void) {
    if !lock.is_null() {
        drop(Box::from_raw(lock as *mut Lock));
    }
}

/// 1 if acquired; with `waitflag` 0 it does not wait.
#[cpython_api(no_gil)]
unsafe fn PyThread_acquire_lock(lock: *mut c_void, waitflag: c_int) -> c_int {
    let lock = &*(lock as *const Lock);
    let mut locked = lock.locked.lock().unwrap();
    if waitflag == 0 {
        if *locked {
            return 0;
        }
    } else {
        while *locked {
            locked = lock.released.wait(locked).unwrap();
        }
    }
    *locked = true;
    1
}

#[cpython_api(no_gil)]
unsafe fn PyThread_release_lock(lock: *mut c_void) {
    let lock = &*(lock as *const Lock);
    *lock.locked.lock().unwrap() = false;
    lock.released.notify_one();
}

#[cpython_api(no_gil)]
unsafe fn PyThread_get_thread_ident() -> c_ulong {
    libc::pthread_self() as c_ulong
}
