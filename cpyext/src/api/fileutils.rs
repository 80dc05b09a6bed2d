//! fileutils.h (and internal/pycore_fileutils.h, the descriptor helpers
//! at the end): between the locale encoding and wide strings. The layer
//! runs in a UTF-8 locale: text is UTF-8, and undecodable bytes become lone
//! surrogates U+DC80..U+DCFF (surrogateescape), as CPython does there.
use super::pymem::{DOMAIN_MEM, DOMAIN_RAW, domain_malloc};
use super::pyerrors::{last_errno, set_errno};
use cpyext_macros::cpython_api;
use std::ffi::{CStr, c_char, c_void};

/// The wide characters of a byte string.
fn decode_units(bytes: &[u8]) -> Vec<libc::wchar_t> {
    let mut units = Vec::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        units.extend(chunk.valid().chars().map(|c| c as libc::wchar_t));
        units.extend(chunk.invalid().iter().map(|&b| (0xDC00 + b as u32) as libc::wchar_t));
    }
    units
}

/// A PyMem_RawMalloc'ed, NUL-terminated wide copy of `units`.
fn raw_wide(units: &[libc::wchar_t]) -> Option<*mut libc::wchar_t> {
    let bytes = (units.len() + 1).checked_mul(std::mem::size_of::<libc::wchar_t>())?;
    let out = domain_malloc(DOMAIN_RAW, bytes) as *mut libc::wchar_t;
    if out.is_null() {
        return None;
    }
    // SAFETY: `out` holds units.len() + 1 wide characters.
    unsafe {
        std::ptr::copy_nonoverlapping(units.as_ptr(), out, units.len());
        *out.add(units.len()) = 0;
    }
    Some(out)
}

/// Decodes a C string; None when memory runs out.
/// # Safety
/// `text` must be a NUL-terminated string.
pub(crate) unsafe fn decode_locale(text: *const c_char) -> Option<*mut libc::wchar_t> {
    // SAFETY: the caller passes a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(text) }.to_bytes();
    raw_wide(&decode_units(bytes))
}

/// Free the result with PyMem_RawFree. With surrogateescape nothing fails
/// to decode, so NULL means no memory (*size is then (size_t)-1).
/// # Safety
/// `arg` must be a NUL-terminated string; `size` NULL or writable.
#[cpython_api(no_gil)]
unsafe fn Py_DecodeLocale(arg: *const c_char, size: *mut usize) -> *mut libc::wchar_t {
    // SAFETY: the caller passes a NUL-terminated string.
    let units = decode_units(unsafe { CStr::from_ptr(arg) }.to_bytes());
    let result = raw_wide(&units);
    if !size.is_null() {
        // SAFETY: the caller passes a writable size.
        unsafe { *size = if result.is_some() { units.len() } else { usize::MAX } };
    }
    result.unwrap_or(std::ptr::null_mut())
}

/// Encodes to UTF-8, turning U+DC80..U+DCFF back into bytes. Free the
/// result with PyMem_Free. Another surrogate (or a value beyond U+10FFFF)
/// cannot be encoded: NULL, and *error_pos is its index.
/// # Safety
/// `text` must be a NUL-terminated wide string; `error_pos` NULL or writable.
#[cpython_api(no_gil)]
unsafe fn Py_EncodeLocale(text: *const libc::wchar_t, error_pos: *mut usize) -> *mut c_char {
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        // SAFETY: the caller passes a NUL-terminated wide string.
        let unit = unsafe { *text.add(i) } as u32;
        if unit == 0 {
            break;
        }
        if (0xDC80..=0xDCFF).contains(&unit) {
            out.push((unit - 0xDC00) as u8);
        } else if let Some(c) = char::from_u32(unit) {
            let mut buffer = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
        } else {
            if !error_pos.is_null() {
                // SAFETY: the caller passes a writable position.
                unsafe { *error_pos = i };
            }
            return std::ptr::null_mut();
        }
        i += 1;
    }
    out.push(0);
    let result = domain_malloc(DOMAIN_MEM, out.len()) as *mut c_char;
    if result.is_null() {
        if !error_pos.is_null() {
            // SAFETY: as above.
            unsafe { *error_pos = usize::MAX };
        }
        return std::ptr::null_mut();
    }
    // SAFETY: `result` holds out.len() bytes.
    unsafe { std::ptr::copy_nonoverlapping(out.as_ptr() as *const c_void, result as *mut c_void, out.len()) };
    if !error_pos.is_null() {
        // SAFETY: as above.
        unsafe { *error_pos = usize::MAX };
    }
    result
}

/// fopen() of a path given as str (encoded with the filesystem encoding)
/// or bytes; OSError with the file name when it fails. The descriptor is
/// not inherited by child processes, as CPython's.
#[cpython_api]
fn _Py_fopen_obj(vm: &rustpython_vm::VirtualMachine, path: *mut crate::ffi::PyObject, mode: *const c_char) -> rustpython_vm::PyResult<*mut libc::FILE> {
    let path_obj = crate::proxy::to_host(vm, path)?;
    let os = crate::types::import_for_layer(vm, "os")?;
    let encoded = vm.call_method(&os, "fsencode", (path_obj.clone(),))?;
    let Some(bytes) = encoded.downcast_ref::<rustpython_vm::builtins::PyBytes>() else {
        return Err(super::bad_internal_call(vm));
    };
    let c_path = std::ffi::CString::new(bytes.as_bytes().to_vec())
        .map_err(|_| vm.new_value_error("embedded null byte".to_owned()))?;
    let mode = super::c_str_arg(vm, mode)?;
    let c_mode = std::ffi::CString::new(format!("{mode}e")).unwrap_or_default();
    // SAFETY: two valid NUL-terminated strings.
    let file = unsafe { libc::fopen(c_path.as_ptr(), c_mode.as_ptr()) };
    if file.is_null() {
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        let oserror: rustpython_vm::PyObjectRef = vm.ctx.exceptions.os_error.to_owned().into();
        let strerror = std::io::Error::from_raw_os_error(errno).to_string();
        let strerror = strerror.split(" (os error").next().unwrap_or("").to_owned();
        let exc = oserror.call((errno, strerror, path_obj), vm)?;
        return Err(exc.downcast().map_err(|_| super::bad_internal_call(vm))?);
    }
    Ok(file)
}

// internal/pycore_fileutils.h: the file-descriptor helpers. Each retries a
// call interrupted by a signal after running the Python signal handlers.

/// OSError (or the subclass errno calls for) with `filename` if given.
fn os_error(vm: &rustpython_vm::VirtualMachine, errno: i32, filename: Option<rustpython_vm::PyObjectRef>) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let oserror: rustpython_vm::PyObjectRef = vm.ctx.exceptions.os_error.to_owned().into();
    match oserror.call(super::pyerrors::errno_args(vm, errno, filename, None), vm) {
        Ok(exc) => exc.downcast().unwrap_or_else(|_| super::bad_internal_call(vm)),
        Err(e) => e,
    }
}

/// Runs `call` until it is not interrupted; Err(errno) when it fails. With
/// a VM, signal handlers run between tries and their exception ends it.
fn retry<T: PartialOrd + Default>(vm: Option<&rustpython_vm::VirtualMachine>, mut call: impl FnMut() -> T) -> rustpython_vm::PyResult<Result<T, i32>> {
    loop {
        let r = call();
        if r >= T::default() {
            return Ok(Ok(r));
        }
        let errno = last_errno();
        if errno != libc::EINTR {
            return Ok(Err(errno));
        }
        if let Some(vm) = vm {
            rustpython_vm::signal::check_signals(vm)?;
        }
    }
}

/// # Safety
/// `status` points to a writable `struct stat`.
#[cpython_api(no_gil)]
unsafe fn _Py_fstat_noraise(fd: i32, status: *mut libc::stat) -> i32 {
    // SAFETY: the caller passes a writable stat struct.
    unsafe { libc::fstat(fd, status) }
}

/// # Safety
/// `status` points to a writable `struct stat`.
#[cpython_api]
unsafe fn _Py_fstat(vm: &rustpython_vm::VirtualMachine, fd: i32, status: *mut libc::stat) -> rustpython_vm::PyResult<i32> {
    let status = status as usize;
    // SAFETY: the caller passes a writable stat struct.
    let r = crate::gil::without_gil(vm, || unsafe { libc::fstat(fd, status as *mut libc::stat) });
    if r != 0 {
        return Err(os_error(vm, last_errno(), None));
    }
    Ok(0)
}

/// open() with O_CLOEXEC; Err(errno) when it fails.
/// # Safety
/// `pathname` is a NUL-terminated string.
unsafe fn open_cloexec(vm: Option<&rustpython_vm::VirtualMachine>, pathname: *const c_char, flags: i32) -> rustpython_vm::PyResult<Result<i32, i32>> {
    // SAFETY: the caller passes a NUL-terminated path.
    retry(vm, || unsafe { libc::open(pathname, flags | libc::O_CLOEXEC, 0o666) })
}

/// # Safety
/// `pathname` is a NUL-terminated string.
#[cpython_api]
unsafe fn _Py_open(vm: &rustpython_vm::VirtualMachine, pathname: *const c_char, flags: i32) -> rustpython_vm::PyResult<i32> {
    // SAFETY: the caller passes a NUL-terminated path.
    match unsafe { open_cloexec(Some(vm), pathname, flags) }? {
        Ok(fd) => Ok(fd),
        Err(errno) => {
            let name = super::code::fs_decode(vm, pathname)?;
            Err(os_error(vm, errno, Some(name)))
        }
    }
}

/// # Safety
/// `pathname` is a NUL-terminated string.
#[cpython_api(no_gil)]
unsafe fn _Py_open_noraise(pathname: *const c_char, flags: i32) -> i32 {
    // SAFETY: the caller passes a NUL-terminated path.
    match unsafe { open_cloexec(None, pathname, flags) } {
        Ok(Ok(fd)) => fd,
        Ok(Err(errno)) => {
            set_errno(errno);
            -1
        }
        Err(_) => -1,
    }
}

/// read() and write() take at most PY_SSIZE_T_MAX bytes, so that the count
/// fits the result.
fn clamp(count: usize) -> usize {
    count.min(isize::MAX as usize)
}

/// # Safety
/// `buf` holds `count` writable bytes.
#[cpython_api]
unsafe fn _Py_read(vm: &rustpython_vm::VirtualMachine, fd: i32, buf: *mut c_void, count: usize) -> rustpython_vm::PyResult<isize> {
    let (addr, count) = (buf as usize, clamp(count));
    // SAFETY: the caller passes a buffer of `count` bytes.
    let r = retry(Some(vm), || crate::gil::without_gil(vm, || unsafe { libc::read(fd, addr as *mut c_void, count) }))?;
    r.map_err(|errno| os_error(vm, errno, None))
}

/// # Safety
/// `buf` holds `count` readable bytes.
#[cpython_api]
unsafe fn _Py_write(vm: &rustpython_vm::VirtualMachine, fd: i32, buf: *const c_void, count: usize) -> rustpython_vm::PyResult<isize> {
    let (addr, count) = (buf as usize, clamp(count));
    // SAFETY: the caller passes a buffer of `count` bytes.
    let r = retry(Some(vm), || crate::gil::without_gil(vm, || unsafe { libc::write(fd, addr as *const c_void, count) }))?;
    r.map_err(|errno| os_error(vm, errno, None))
}

/// # Safety
/// `buf` holds `count` readable bytes.
#[cpython_api(no_gil)]
unsafe fn _Py_write_noraise(fd: i32, buf: *const c_void, count: usize) -> isize {
    let count = clamp(count);
    // SAFETY: the caller passes a buffer of `count` bytes.
    match retry(None, || unsafe { libc::write(fd, buf, count) }) {
        Ok(Ok(n)) => n,
        Ok(Err(errno)) => {
            set_errno(errno);
            -1
        }
        Err(_) => -1,
    }
}

/// The descriptor's flags (F_GETFD or F_GETFL); Err(errno) when it fails.
fn fd_flags(fd: i32, command: i32) -> Result<i32, i32> {
    // SAFETY: fcntl with a get command only reads the descriptor's state.
    let flags = unsafe { libc::fcntl(fd, command) };
    if flags < 0 { Err(last_errno()) } else { Ok(flags) }
}

#[cpython_api]
fn _Py_get_inheritable(vm: &rustpython_vm::VirtualMachine, fd: i32) -> rustpython_vm::PyResult<i32> {
    let flags = fd_flags(fd, libc::F_GETFD).map_err(|errno| os_error(vm, errno, None))?;
    Ok((flags & libc::FD_CLOEXEC == 0) as i32)
}

/// Sets or clears FD_CLOEXEC; Err(errno) when it fails.
fn set_inheritable(fd: i32, inheritable: i32, atomic_flag_works: *mut i32) -> Result<(), i32> {
    let flags = fd_flags(fd, libc::F_GETFD)?;
    if !atomic_flag_works.is_null() && inheritable == 0 {
        // SAFETY: the caller passes a writable int or NULL. -1 means not
        // known yet: the flag works if the descriptor, opened with
        // O_CLOEXEC, has FD_CLOEXEC; once it does, there is nothing to set.
        unsafe {
            if *atomic_flag_works == -1 {
                *atomic_flag_works = (flags & libc::FD_CLOEXEC != 0) as i32;
            }
            if *atomic_flag_works != 0 {
                return Ok(());
            }
        }
    }
    let wanted = if inheritable != 0 { flags & !libc::FD_CLOEXEC } else { flags | libc::FD_CLOEXEC };
    // SAFETY: F_SETFD changes only the descriptor's close-on-exec flag.
    if wanted != flags && unsafe { libc::fcntl(fd, libc::F_SETFD, wanted) } < 0 {
        return Err(last_errno());
    }
    Ok(())
}

/// # Safety
/// `atomic_flag_works` is NULL or a writable int.
#[cpython_api]
unsafe fn _Py_set_inheritable(vm: &rustpython_vm::VirtualMachine, fd: i32, inheritable: i32, atomic_flag_works: *mut i32) -> rustpython_vm::PyResult<i32> {
    set_inheritable(fd, inheritable, atomic_flag_works).map_err(|errno| os_error(vm, errno, None))?;
    Ok(0)
}

/// # Safety
/// `atomic_flag_works` is NULL or a writable int.
#[cpython_api(no_gil)]
unsafe fn _Py_set_inheritable_async_safe(fd: i32, inheritable: i32, atomic_flag_works: *mut i32) -> i32 {
    match set_inheritable(fd, inheritable, atomic_flag_works) {
        Ok(()) => 0,
        Err(errno) => {
            set_errno(errno);
            -1
        }
    }
}

#[cpython_api]
fn _Py_dup(vm: &rustpython_vm::VirtualMachine, fd: i32) -> rustpython_vm::PyResult<i32> {
    // SAFETY: F_DUPFD_CLOEXEC makes a new descriptor and touches no memory.
    let r = retry(Some(vm), || unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0) })?;
    r.map_err(|errno| os_error(vm, errno, None))
}

#[cpython_api]
fn _Py_get_blocking(vm: &rustpython_vm::VirtualMachine, fd: i32) -> rustpython_vm::PyResult<i32> {
    let flags = fd_flags(fd, libc::F_GETFL).map_err(|errno| os_error(vm, errno, None))?;
    Ok((flags & libc::O_NONBLOCK == 0) as i32)
}

#[cpython_api]
fn _Py_set_blocking(vm: &rustpython_vm::VirtualMachine, fd: i32, blocking: i32) -> rustpython_vm::PyResult<i32> {
    let flags = fd_flags(fd, libc::F_GETFL).map_err(|errno| os_error(vm, errno, None))?;
    let wanted = if blocking != 0 { flags & !libc::O_NONBLOCK } else { flags | libc::O_NONBLOCK };
    // SAFETY: F_SETFL changes only the descriptor's status flags.
    if unsafe { libc::fcntl(fd, libc::F_SETFL, wanted) } < 0 {
        return Err(os_error(vm, last_errno(), None));
    }
    Ok(0)
}
