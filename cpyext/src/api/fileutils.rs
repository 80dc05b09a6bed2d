//! fileutils.h: between the locale encoding and wide strings. The layer
//! runs in a UTF-8 locale: text is UTF-8, and undecodable bytes become lone
//! surrogates U+DC80..U+DCFF (surrogateescape), as CPython does there.
use super::pymem::{DOMAIN_MEM, DOMAIN_RAW, domain_malloc};
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
