//! pythread.h: locks, threads started from C, thread identity and
//! thread-specific storage (pthreads keys).
use crate::ffi;
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{c_int, c_ulong, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// Waits for the lock at most `microseconds` (negative: for ever).
/// Interrupts are not reported: PY_LOCK_INTR is never returned.
/// # Safety
/// `lock` must come from PyThread_allocate_lock.
#[cpython_api(no_gil)]
unsafe fn PyThread_acquire_lock_timed(lock: *mut c_void, microseconds: i64, _intr_flag: c_int) -> u32 {
    // SAFETY: the caller passes a live lock.
    let lock = unsafe { &*(lock as *const Lock) };
    let mut locked = lock.locked.lock().unwrap();
    if microseconds < 0 {
        while *locked {
            locked = lock.released.wait(locked).unwrap();
        }
    } else {
        let deadline = std::time::Instant::now() + std::time::Duration::from_micros(microseconds as u64);
        while *locked {
            let now = std::time::Instant::now();
            if now >= deadline {
                return ffi::PyLockStatus_PY_LOCK_FAILURE;
            }
            locked = lock.released.wait_timeout(locked, deadline - now).unwrap().0;
        }
    }
    *locked = true;
    ffi::PyLockStatus_PY_LOCK_ACQUIRED
}

/// Threads need no set-up (CPython 3.7 and later initialise them at start).
#[cpython_api(no_gil)]
fn PyThread_init_thread() {}

/// The stack size of threads PyThread_start_new_thread starts; 0 is the
/// system default.
static STACK_SIZE: AtomicUsize = AtomicUsize::new(0);
/// The smallest stack CPython accepts on Linux.
const THREAD_STACK_MIN: usize = 0x8000;

#[cpython_api(no_gil)]
fn PyThread_get_stacksize() -> usize {
    STACK_SIZE.load(Ordering::Relaxed)
}

/// 0 resets to the default; a size below 32 KiB, or one pthreads refuses, is -1.
#[cpython_api(no_gil)]
fn PyThread_set_stacksize(size: usize) -> c_int {
    if size == 0 {
        STACK_SIZE.store(0, Ordering::Relaxed);
        return 0;
    }
    if size < THREAD_STACK_MIN {
        return -1;
    }
    // SAFETY: a local attribute object, initialised and destroyed here.
    let accepted = unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_attr_init(&mut attr) != 0 {
            return -1;
        }
        let rc = libc::pthread_attr_setstacksize(&mut attr, size);
        libc::pthread_attr_destroy(&mut attr);
        rc == 0
    };
    if !accepted {
        return -1;
    }
    STACK_SIZE.store(size, Ordering::Relaxed);
    0
}

struct ThreadStart {
    func: unsafe extern "C" fn(*mut c_void),
    arg: *mut c_void,
}

extern "C" fn thread_entry(start: *mut c_void) -> *mut c_void {
    // SAFETY: `start` is the Box PyThread_start_new_thread leaked for us.
    let start = unsafe { Box::from_raw(start as *mut ThreadStart) };
    // SAFETY: the function and argument C gave to run on this thread.
    unsafe { (start.func)(start.arg) };
    std::ptr::null_mut()
}

/// Starts a detached OS thread running func(arg); its ident, or
/// PYTHREAD_INVALID_THREAD_ID. The thread is not attached to the
/// interpreter: it takes the GIL with PyGILState_Ensure.
#[cpython_api(no_gil)]
fn PyThread_start_new_thread(func: Option<unsafe extern "C" fn(*mut c_void)>, arg: *mut c_void) -> c_ulong {
    let Some(func) = func else { return c_ulong::MAX };
    let start = Box::into_raw(Box::new(ThreadStart { func, arg })) as *mut c_void;
    // SAFETY: attribute and thread handle are locals, set up before use.
    unsafe {
        let mut attr: libc::pthread_attr_t = std::mem::zeroed();
        if libc::pthread_attr_init(&mut attr) != 0 {
            drop(Box::from_raw(start as *mut ThreadStart));
            return c_ulong::MAX;
        }
        let size = STACK_SIZE.load(Ordering::Relaxed);
        if size != 0 {
            libc::pthread_attr_setstacksize(&mut attr, size);
        }
        libc::pthread_attr_setdetachstate(&mut attr, libc::PTHREAD_CREATE_DETACHED);
        let mut thread: libc::pthread_t = 0;
        let rc = libc::pthread_create(&mut thread, &attr, thread_entry, start);
        libc::pthread_attr_destroy(&mut attr);
        if rc != 0 {
            drop(Box::from_raw(start as *mut ThreadStart));
            return c_ulong::MAX;
        }
        thread as c_ulong
    }
}

/// Ends the calling thread (one started by PyThread_start_new_thread).
#[cpython_api(no_gil)]
fn PyThread_exit_thread() {
    // SAFETY: ends this thread, as CPython's does; nothing Rust-owned on a
    // thread started in C is left to unwind.
    unsafe { libc::pthread_exit(std::ptr::null_mut()) }
}

#[cpython_api(no_gil)]
fn PyThread_get_thread_native_id() -> c_ulong {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::gettid() as c_ulong }
}

/// New reference: sys.thread_info.
#[cpython_api]
fn PyThread_GetInfo(vm: &VirtualMachine) -> PyResult<*mut ffi::PyObject> {
    Ok(crate::proxy::into_ref(vm, vm.sys_module.get_attr("thread_info", vm)?))
}

// --- thread-specific storage ---------------------------------------------

#[cpython_api(no_gil)]
fn PyThread_tss_alloc() -> *mut ffi::Py_tss_t {
    // SAFETY: a zeroed Py_tss_t is Py_tss_NEEDS_INIT.
    unsafe { libc::calloc(1, std::mem::size_of::<ffi::Py_tss_t>()) as *mut ffi::Py_tss_t }
}

/// # Safety
/// `key` must be NULL or come from PyThread_tss_alloc.
#[cpython_api(no_gil)]
unsafe fn PyThread_tss_free(key: *mut ffi::Py_tss_t) {
    if !key.is_null() {
        // SAFETY: the caller passes an allocated key.
        unsafe {
            PyThread_tss_delete(key);
            libc::free(key as *mut c_void);
        }
    }
}

/// # Safety
/// `key` must point to a Py_tss_t.
#[cpython_api(no_gil)]
unsafe fn PyThread_tss_is_created(key: *mut ffi::Py_tss_t) -> c_int {
    // SAFETY: the caller passes a valid key.
    unsafe { (*key)._is_initialized }
}

/// 0, also when the key exists already; -1 if pthreads has no key left.
/// # Safety
/// `key` must point to a Py_tss_t.
#[cpython_api(no_gil)]
unsafe fn PyThread_tss_create(key: *mut ffi::Py_tss_t) -> c_int {
    // SAFETY: the caller passes a valid key.
    unsafe {
        if (*key)._is_initialized != 0 {
            return 0;
        }
        if libc::pthread_key_create(&mut (*key)._key, None) != 0 {
            return -1;
        }
        (*key)._is_initialized = 1;
    }
    0
}

/// # Safety
/// `key` must point to a Py_tss_t.
#[cpython_api(no_gil)]
unsafe fn PyThread_tss_delete(key: *mut ffi::Py_tss_t) {
    // SAFETY: the caller passes a valid key.
    unsafe {
        if (*key)._is_initialized == 0 {
            return;
        }
        libc::pthread_key_delete((*key)._key);
        (*key)._is_initialized = 0;
    }
}

/// # Safety
/// `key` must point to a created Py_tss_t.
#[cpython_api(no_gil)]
unsafe fn PyThread_tss_set(key: *mut ffi::Py_tss_t, value: *mut c_void) -> c_int {
    // SAFETY: the caller passes a created key.
    (unsafe { libc::pthread_setspecific((*key)._key, value) } != 0) as c_int * -1
}

/// # Safety
/// `key` must point to a created Py_tss_t.
#[cpython_api(no_gil)]
unsafe fn PyThread_tss_get(key: *mut ffi::Py_tss_t) -> *mut c_void {
    // SAFETY: the caller passes a created key.
    unsafe { libc::pthread_getspecific((*key)._key) }
}

// --- the old int-keyed API -------------------------------------------------

/// A new key, or -1 (also when pthreads' key does not fit an int).
#[cpython_api(no_gil)]
fn PyThread_create_key() -> c_int {
    let mut key: libc::pthread_key_t = 0;
    // SAFETY: `key` is a local out-parameter.
    if unsafe { libc::pthread_key_create(&mut key, None) } != 0 {
        return -1;
    }
    if key > c_int::MAX as libc::pthread_key_t {
        // SAFETY: the key was just created.
        unsafe { libc::pthread_key_delete(key) };
        return -1;
    }
    key as c_int
}

#[cpython_api(no_gil)]
fn PyThread_delete_key(key: c_int) {
    // SAFETY: deleting an unknown key only returns an error code.
    unsafe { libc::pthread_key_delete(key as libc::pthread_key_t) };
}

/// Sets this thread's value (replacing any); 0, or -1 on failure.
#[cpython_api(no_gil)]
fn PyThread_set_key_value(key: c_int, value: *mut c_void) -> c_int {
    // SAFETY: pthread_setspecific reports a bad key as an error code.
    if unsafe { libc::pthread_setspecific(key as libc::pthread_key_t, value) } != 0 { -1 } else { 0 }
}

#[cpython_api(no_gil)]
fn PyThread_get_key_value(key: c_int) -> *mut c_void {
    // SAFETY: an unknown key gives NULL.
    unsafe { libc::pthread_getspecific(key as libc::pthread_key_t) }
}

#[cpython_api(no_gil)]
fn PyThread_delete_key_value(key: c_int) {
    // SAFETY: as for PyThread_set_key_value.
    unsafe { libc::pthread_setspecific(key as libc::pthread_key_t, std::ptr::null()) };
}

/// Nothing to redo after fork with pthreads keys (as in CPython).
#[cpython_api(no_gil)]
fn PyThread_ReInitTLS() {}

/// Replaces `*lock` (which fork() may have left held by a thread that no
/// longer exists) with a new unlocked lock; the old one is left alone, as
/// in CPython. 0, or -1 if no lock could be made.
/// # Safety
/// `lock` must point to a lock pointer.
#[cpython_api(no_gil)]
unsafe fn _PyThread_at_fork_reinit(lock: *mut *mut c_void) -> c_int {
    let fresh = PyThread_allocate_lock();
    if fresh.is_null() {
        return -1;
    }
    // SAFETY: the caller's contract.
    unsafe { *lock = fresh };
    0
}
