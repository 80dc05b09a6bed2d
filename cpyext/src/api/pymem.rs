//! pymem.h. All domains use the C heap (a request for 0 bytes gets a
//! distinct non-NULL block, as in CPython) until C installs an allocator of
//! its own for a domain with PyMem_SetAllocator.
use super::tracemalloc;
use crate::ffi::{self, Py_ssize_t};
use cpyext_macros::cpython_api;
use std::ffi::c_void;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

const MAX_REQUEST: usize = Py_ssize_t::MAX as usize;

pub(crate) fn malloc(size: usize) -> *mut c_void {
    if size > MAX_REQUEST { std::ptr::null_mut() } else { unsafe { libc::malloc(size.max(1)) } }
}

pub(crate) fn calloc(nelem: usize, elsize: usize) -> *mut c_void {
    match nelem.checked_mul(elsize) {
        Some(total) if total <= MAX_REQUEST => unsafe { libc::calloc(nelem.max(1), elsize.max(1)) },
        _ => std::ptr::null_mut(),
    }
}

pub(crate) fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    if size > MAX_REQUEST { std::ptr::null_mut() } else { unsafe { libc::realloc(ptr, size.max(1)) } }
}

pub(crate) fn free(ptr: *mut c_void) {
    unsafe { libc::free(ptr) }
}

// --- the domains' allocators ------------------------------------------------

pub(crate) const DOMAIN_RAW: usize = 0;
pub(crate) const DOMAIN_MEM: usize = 1;
pub(crate) const DOMAIN_OBJ: usize = 2;

unsafe extern "C" fn default_malloc(_ctx: *mut c_void, size: usize) -> *mut c_void {
    malloc(size)
}
unsafe extern "C" fn default_calloc(_ctx: *mut c_void, nelem: usize, elsize: usize) -> *mut c_void {
    calloc(nelem, elsize)
}
unsafe extern "C" fn default_realloc(_ctx: *mut c_void, ptr: *mut c_void, size: usize) -> *mut c_void {
    realloc(ptr, size)
}
unsafe extern "C" fn default_free(_ctx: *mut c_void, ptr: *mut c_void) {
    free(ptr)
}

fn default_allocator() -> ffi::PyMemAllocatorEx {
    ffi::PyMemAllocatorEx {
        ctx: std::ptr::null_mut(),
        malloc: Some(default_malloc),
        calloc: Some(default_calloc),
        realloc: Some(default_realloc),
        free: Some(default_free),
    }
}

/// Allocators C installed, per domain (None: the C heap directly). A flag
/// per domain keeps the common path free of the lock.
static CUSTOM: [AtomicBool; 3] = [AtomicBool::new(false), AtomicBool::new(false), AtomicBool::new(false)];
static INSTALLED: RwLock<[Option<Allocator>; 3]> = RwLock::new([None, None, None]);

#[derive(Clone, Copy)]
struct Allocator(ffi::PyMemAllocatorEx);
// SAFETY: an allocator is a table of C function pointers and a context that
// CPython's contract lets any thread use.
unsafe impl Send for Allocator {}
unsafe impl Sync for Allocator {}

fn installed(domain: usize) -> Option<ffi::PyMemAllocatorEx> {
    if !CUSTOM[domain].load(Ordering::Acquire) {
        return None;
    }
    INSTALLED.read().unwrap()[domain].map(|a| a.0)
}

// Each domain function tells tracemalloc about the block when it is tracing
// (one relaxed load when it is not), whichever allocator made the block.

pub(crate) fn domain_malloc(domain: usize, size: usize) -> *mut c_void {
    let block = match installed(domain) {
        None => malloc(size),
        // SAFETY: the allocator C installed for this domain, called as specified.
        Some(a) => unsafe { a.malloc.map_or(std::ptr::null_mut(), |f| f(a.ctx, size)) },
    };
    if tracemalloc::is_tracing() {
        tracemalloc::on_alloc(block, size);
    }
    block
}

pub(crate) fn domain_calloc(domain: usize, nelem: usize, elsize: usize) -> *mut c_void {
    let block = match installed(domain) {
        None => calloc(nelem, elsize),
        // SAFETY: as for domain_malloc.
        Some(a) => unsafe { a.calloc.map_or(std::ptr::null_mut(), |f| f(a.ctx, nelem, elsize)) },
    };
    if tracemalloc::is_tracing() {
        // A block was made only if the product fits.
        tracemalloc::on_alloc(block, nelem.wrapping_mul(elsize));
    }
    block
}

pub(crate) fn domain_realloc(domain: usize, ptr: *mut c_void, size: usize) -> *mut c_void {
    let block = match installed(domain) {
        None => realloc(ptr, size),
        // SAFETY: as for domain_malloc.
        Some(a) => unsafe { a.realloc.map_or(std::ptr::null_mut(), |f| f(a.ctx, ptr, size)) },
    };
    if tracemalloc::is_tracing() {
        tracemalloc::on_realloc(ptr, block, size);
    }
    block
}

pub(crate) fn domain_free(domain: usize, ptr: *mut c_void) {
    // Before the free: another thread may get the address back at once.
    if tracemalloc::is_tracing() {
        tracemalloc::on_free(ptr);
    }
    match installed(domain) {
        None => free(ptr),
        // SAFETY: as for domain_malloc.
        Some(a) => unsafe {
            if let Some(f) = a.free {
                f(a.ctx, ptr)
            }
        },
    }
}

fn domain_index(domain: u32) -> Option<usize> {
    (domain < 3).then_some(domain as usize)
}

/// The allocator of a domain: the one C installed, or the layer's own
/// (the C heap). An unknown domain gives a table of NULLs, as CPython.
/// # Safety
/// `allocator` must point to a writable PyMemAllocatorEx.
#[cpython_api(no_gil)]
unsafe fn PyMem_GetAllocator(domain: u32, allocator: *mut ffi::PyMemAllocatorEx) {
    let table = match domain_index(domain) {
        Some(d) => installed(d).unwrap_or_else(default_allocator),
        None => ffi::PyMemAllocatorEx { ctx: std::ptr::null_mut(), malloc: None, calloc: None, realloc: None, free: None },
    };
    // SAFETY: the caller passes a writable table.
    unsafe { *allocator = table };
}

/// Installs an allocator for a domain; from then on that domain's
/// functions call it. (CPython's contract: blocks must be freed by the
/// allocator that made them, so a new one usually wraps the old one.)
/// # Safety
/// `allocator` must point to a PyMemAllocatorEx whose functions work as
/// CPython specifies (the RAW one from any thread).
#[cpython_api(no_gil)]
unsafe fn PyMem_SetAllocator(domain: u32, allocator: *mut ffi::PyMemAllocatorEx) {
    let Some(d) = domain_index(domain) else { return };
    // SAFETY: the caller passes a valid table; it is copied.
    let table = unsafe { *allocator };
    INSTALLED.write().unwrap()[d] = Some(Allocator(table));
    CUSTOM[d].store(true, Ordering::Release);
}

/// The PyMem domain without the GIL. CPython requires the GIL here (its
/// debug hooks stop the process), but its release build does not check,
/// and under `PYTHONMALLOC=malloc` (which the layer's allocator is) the
/// call is safe: extensions free blocks after `PyGILState_Release`
/// (simpleaudio's playback thread frees its list item and blob so). It
/// stays a fatal error where the GIL matters: an allocator C installed for
/// the domain (CPython calls it under the GIL only), or an array's host
/// storage (resized through the VM).
fn check_mem_gil(name: &str, ptr: *mut c_void) {
    if !crate::gil::held()
        && (CUSTOM[DOMAIN_MEM].load(Ordering::Acquire) || (!ptr.is_null() && super::arraymodule::is_host_storage(ptr)))
    {
        crate::boundary::fatal_without_gil(name);
    }
}

#[cpython_api(no_gil)]
fn PyMem_Malloc(size: usize) -> *mut c_void {
    check_mem_gil("PyMem_Malloc", std::ptr::null_mut());
    domain_malloc(DOMAIN_MEM, size)
}

#[cpython_api(no_gil)]
fn PyMem_Calloc(nelem: usize, elsize: usize) -> *mut c_void {
    check_mem_gil("PyMem_Calloc", std::ptr::null_mut());
    domain_calloc(DOMAIN_MEM, nelem, elsize)
}

#[cpython_api(no_gil)]
fn PyMem_Realloc(ptr: *mut c_void, new_size: usize) -> *mut c_void {
    check_mem_gil("PyMem_Realloc", ptr);
    // An array's storage is the host's: resizing it resizes the array.
    if let Some(resized) = super::arraymodule::resize_host_storage(ptr, new_size) {
        return resized;
    }
    domain_realloc(DOMAIN_MEM, ptr, new_size)
}

#[cpython_api(no_gil)]
fn PyMem_Free(ptr: *mut c_void) {
    check_mem_gil("PyMem_Free", ptr);
    if super::arraymodule::is_host_storage(ptr) {
        return; // the host array's storage, which the array frees
    }
    domain_free(DOMAIN_MEM, ptr)
}

// The Raw family may be used without the GIL.
#[cpython_api(no_gil)]
fn PyMem_RawMalloc(size: usize) -> *mut c_void {
    domain_malloc(DOMAIN_RAW, size)
}

#[cpython_api(no_gil)]
fn PyMem_RawCalloc(nelem: usize, elsize: usize) -> *mut c_void {
    domain_calloc(DOMAIN_RAW, nelem, elsize)
}

#[cpython_api(no_gil)]
fn PyMem_RawRealloc(ptr: *mut c_void, new_size: usize) -> *mut c_void {
    domain_realloc(DOMAIN_RAW, ptr, new_size)
}

#[cpython_api(no_gil)]
fn PyMem_RawFree(ptr: *mut c_void) {
    domain_free(DOMAIN_RAW, ptr)
}

/// A copy of a C string in `domain`'s memory, or NULL.
/// # Safety
/// `s` must be a NUL-terminated string.
unsafe fn strdup_in(domain: usize, s: *const std::ffi::c_char) -> *mut std::ffi::c_char {
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes_with_nul();
    let copy = domain_malloc(domain, bytes.len()) as *mut std::ffi::c_char;
    if !copy.is_null() {
        // SAFETY: `copy` has room for the bytes and the NUL.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr() as *const std::ffi::c_char, copy, bytes.len()) };
    }
    copy
}

/// # Safety
/// `s` must be a NUL-terminated string.
#[cpython_api(no_gil)]
unsafe fn _PyMem_RawStrdup(s: *const std::ffi::c_char) -> *mut std::ffi::c_char {
    // SAFETY: forwarded under the caller's contract.
    unsafe { strdup_in(DOMAIN_RAW, s) }
}

/// # Safety
/// `s` must be a NUL-terminated string.
#[cpython_api]
unsafe fn _PyMem_Strdup(s: *const std::ffi::c_char) -> *mut std::ffi::c_char {
    // SAFETY: forwarded under the caller's contract.
    unsafe { strdup_in(DOMAIN_MEM, s) }
}

/// # Safety
/// `s` must be a NUL-terminated wide string.
#[cpython_api(no_gil)]
unsafe fn _PyMem_RawWcsdup(s: *const libc::wchar_t) -> *mut libc::wchar_t {
    // SAFETY: the caller passes a NUL-terminated wide string.
    let len = unsafe { libc::wcslen(s) } + 1;
    let Some(bytes) = len.checked_mul(std::mem::size_of::<libc::wchar_t>()) else { return std::ptr::null_mut() };
    let copy = domain_malloc(DOMAIN_RAW, bytes) as *mut libc::wchar_t;
    if !copy.is_null() {
        // SAFETY: `copy` has room for `len` wide characters.
        unsafe { std::ptr::copy_nonoverlapping(s, copy, len) };
    }
    copy
}

/// Whether a table is the layer's own allocator (a C allocator put back
/// counts too).
fn is_default(table: &ffi::PyMemAllocatorEx) -> bool {
    let default = default_allocator();
    let address = |f: Option<usize>| f.unwrap_or(0);
    table.ctx == default.ctx
        && address(table.malloc.map(|f| f as usize)) == address(default.malloc.map(|f| f as usize))
        && address(table.calloc.map(|f| f as usize)) == address(default.calloc.map(|f| f as usize))
        && address(table.realloc.map(|f| f as usize)) == address(default.realloc.map(|f| f as usize))
        && address(table.free.map(|f| f as usize)) == address(default.free.map(|f| f as usize))
}

/// The name of the allocators in use: "malloc" (every domain uses the C
/// heap, as CPython's PYTHONMALLOC=malloc), or NULL once C installed an
/// allocator of its own for any domain.
#[cpython_api(no_gil)]
fn _PyMem_GetCurrentAllocatorName() -> *const std::ffi::c_char {
    let own = (0..3).all(|d| installed(d).is_none_or(|table| is_default(&table)));
    if own { c"malloc".as_ptr() } else { std::ptr::null() }
}
