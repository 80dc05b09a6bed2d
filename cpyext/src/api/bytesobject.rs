//! bytesobject.h. These work on the proxy's own copy of the data, which is
//! also what C may fill in for bytes made with a NULL buffer.
use super::{bad_internal_call, has_type_flag};
use crate::ffi::{self, PyObject, Py_ssize_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_void};

fn check_bytes(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut ffi::PyBytesObject> {
    if o.is_null() {
        return Err(bad_internal_call(vm));
    }
    if has_type_flag(o, ffi::Py_TPFLAGS_BYTES_SUBCLASS) {
        return Ok(o as *mut ffi::PyBytesObject);
    }
    let found = crate::types::tp_name(vm, to_host(vm, o)?.class());
    Err(vm.new_type_error(format!("expected bytes, {found} found")))
}

#[cpython_api]
unsafe fn PyBytes_FromStringAndSize(vm: &VirtualMachine, v: *const c_char, len: Py_ssize_t) -> PyResult<*mut PyObject> {
    if len < 0 {
        return Err(vm.new_system_error("Negative size passed to PyBytes_FromStringAndSize".to_owned()));
    }
    // SAFETY: C's contract: `v` is NULL or has `len` bytes; `len` >= 0.
    unsafe { new_pending_bytes(vm, v, len) }
}

/// A pending bytes proxy of `len` bytes, holding a copy of `v` if it is not
/// NULL. C may change a new bytes object in place through
/// `PyBytes_AS_STRING` until it first shares it (pylzma's `delta_encode`
/// fills one made from the input), so the host bytes is built only when
/// the object crosses into Python, from what C left in the buffer.
///
/// # Safety
/// `v` is NULL or points at `len` readable bytes; `len` is not negative.
unsafe fn new_pending_bytes(vm: &VirtualMachine, v: *const c_char, len: Py_ssize_t) -> PyResult<*mut PyObject> {
    if len as usize > isize::MAX as usize - proxy::bytes_size(0) {
        return Err(vm.new_overflow_error("byte string is too large".to_owned()));
    }
    let p = proxy::try_new_pending(proxy::Layout::Bytes, proxy::bytes_size(len as usize), &raw mut crate::types::PyBytes_Type)
        .ok_or_else(|| crate::error_indicator::no_memory(vm))?;
    let b = p as *mut ffi::PyBytesObject;
    // SAFETY: a fresh, zeroed bytes proxy with room for `len` bytes and the
    // terminating NUL; `v` has `len` bytes by the caller's contract.
    unsafe {
        (*b).ob_base.ob_size = len;
        (*b).ob_shash = -1;
        if !v.is_null() {
            std::ptr::copy_nonoverlapping(v, (*b).ob_sval.as_mut_ptr(), len as usize);
        }
    }
    Ok(p)
}

#[cpython_api]
unsafe fn PyBytes_FromString(vm: &VirtualMachine, v: *const c_char) -> PyResult<*mut PyObject> {
    if v.is_null() {
        return Err(bad_internal_call(vm));
    }
    // SAFETY: C passes a NUL-terminated string.
    let n = unsafe { std::ffi::CStr::from_ptr(v) }.to_bytes().len();
    // SAFETY: `v` has `n` bytes before its NUL.
    unsafe { new_pending_bytes(vm, v, n as Py_ssize_t) }
}

/// Also without the GIL (see `read_maybe_without_gil`).
#[cpython_api(no_gil)]
unsafe fn PyBytes_AsString(o: *mut PyObject) -> PyResult<*mut c_char> {
    super::read_maybe_without_gil(
        // SAFETY: check_bytes checked the layout.
        |vm| Ok(unsafe { (*check_bytes(vm, o)?).ob_sval.as_mut_ptr() }),
        // SAFETY: C passes bytes it holds (I8): the data is in place.
        || unsafe { (*(o as *mut ffi::PyBytesObject)).ob_sval.as_mut_ptr() },
    )
}

#[cpython_api]
unsafe fn PyBytes_AsStringAndSize(vm: &VirtualMachine, obj: *mut PyObject, buffer: *mut *mut c_char, length: *mut Py_ssize_t) -> PyResult<c_int> {
    if buffer.is_null() {
        return Err(bad_internal_call(vm));
    }
    let b = check_bytes(vm, obj)?;
    let n = (*b).ob_base.ob_size as usize;
    let data = (*b).ob_sval.as_mut_ptr();
    if length.is_null() {
        if std::slice::from_raw_parts(data as *const u8, n).contains(&0) {
            return Err(vm.new_value_error("embedded null byte".to_owned()));
        }
    } else {
        *length = n as Py_ssize_t;
    }
    *buffer = data;
    Ok(0)
}

/// Also without the GIL (see `read_maybe_without_gil`).
#[cpython_api(no_gil)]
unsafe fn PyBytes_Size(o: *mut PyObject) -> PyResult<Py_ssize_t> {
    super::read_maybe_without_gil(
        // SAFETY: check_bytes checked the layout.
        |vm| Ok(unsafe { (*check_bytes(vm, o)?).ob_base.ob_size }),
        // SAFETY: C passes bytes it holds (I8): the size is in place.
        || unsafe { (*(o as *mut ffi::PyBytesObject)).ob_base.ob_size },
    )
}

/// Resizes bytes that only C's one reference holds (count 1, as CPython
/// demands): a new object with the old contents replaces `*pv`, so a host
/// object Python may still see is never changed. On failure `*pv` is
/// released and set to NULL, as in CPython.
#[cpython_api]
unsafe fn _PyBytes_Resize(vm: &VirtualMachine, pv: *mut *mut PyObject, newsize: Py_ssize_t) -> PyResult<c_int> {
    let old = *pv;
    let fresh = !old.is_null()
        && has_type_flag(old, ffi::Py_TPFLAGS_BYTES_SUBCLASS)
        && (*old).ob_refcnt == 1;
    if !fresh || newsize < 0 {
        proxy::xdecref(old);
        *pv = std::ptr::null_mut();
        return Err(bad_internal_call(vm));
    }
    let new = PyBytes_FromStringAndSize(std::ptr::null(), newsize);
    if new.is_null() {
        proxy::decref(old);
        *pv = std::ptr::null_mut();
        return Ok(-1);
    }
    let keep = ((*(old as *mut ffi::PyBytesObject)).ob_base.ob_size).min(newsize) as usize;
    std::ptr::copy_nonoverlapping(
        (*(old as *mut ffi::PyBytesObject)).ob_sval.as_ptr(),
        (*(new as *mut ffi::PyBytesObject)).ob_sval.as_mut_ptr(),
        keep,
    );
    proxy::decref(old);
    *pv = new;
    Ok(0)
}

/// The data of a bytes proxy (read from the proxy, so bytes C is still
/// filling count too), else of any buffer exporter; None if `o` is neither.
fn buffer_data(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Option<Vec<u8>>> {
    if has_type_flag(o, ffi::Py_TPFLAGS_BYTES_SUBCLASS) {
        let b = o as *mut ffi::PyBytesObject;
        // SAFETY: a bytes proxy holds ob_size bytes at ob_sval.
        let data = unsafe { std::slice::from_raw_parts((*b).ob_sval.as_ptr() as *const u8, (*b).ob_base.ob_size as usize) };
        return Ok(Some(data.to_vec()));
    }
    let host = to_host(vm, o)?;
    if host.class().slots.as_buffer.load().is_none() {
        return Ok(None);
    }
    let view = vm.ctx.types.memoryview_type.as_object().call((host,), vm)?;
    let bytes = vm.call_method(&view, "tobytes", ())?;
    Ok(bytes.downcast_ref::<rustpython_vm::builtins::PyBytes>().map(|b| b.as_bytes().to_vec()))
}

fn type_name(vm: &VirtualMachine, o: *mut PyObject) -> String {
    to_host(vm, o).map(|h| crate::types::tp_name(vm, h.class())).unwrap_or_default()
}

fn new_bytes(vm: &VirtualMachine, data: Vec<u8>) -> *mut PyObject {
    into_ref(vm, vm.ctx.new_bytes(data).into())
}

/// bytes(o) for a buffer or an iterable of ints, refusing str and int.
#[cpython_api]
unsafe fn PyBytes_FromObject(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Err(bad_internal_call(vm));
    }
    if crate::proxy::header_mut(o).is_some() && has_type_flag(o, ffi::Py_TPFLAGS_BYTES_SUBCLASS) {
        let host = to_host(vm, o)?;
        if host.class().is(vm.ctx.types.bytes_type) {
            proxy::incref(o);
            return Ok(o);
        }
    }
    if let Some(data) = buffer_data(vm, o)? {
        return Ok(new_bytes(vm, data));
    }
    let host = to_host(vm, o)?;
    let iterable = !host.fast_isinstance(vm.ctx.types.str_type)
        && host.class().get_attr(vm.ctx.intern_str("__iter__")).is_some_and(|m| !vm.is_none(&m));
    if !iterable {
        return Err(vm.new_type_error(format!("cannot convert '{}' object to bytes", crate::types::tp_name(vm, host.class()))));
    }
    let items = vm.ctx.types.list_type.as_object().call((host,), vm)?;
    let bytes = vm.ctx.types.bytes_type.as_object().call((items,), vm)?;
    Ok(into_ref(vm, bytes))
}

/// `*pv + w` replaces `*pv`; on error `*pv` is released and set to NULL.
///
/// # Safety
/// `pv` must be a valid pointer to an owned reference (or NULL).
#[cpython_api]
unsafe fn PyBytes_Concat(vm: &VirtualMachine, pv: *mut *mut PyObject, w: *mut PyObject) {
    if pv.is_null() {
        crate::error_indicator::set_from_exception(bad_internal_call(vm));
        return;
    }
    // SAFETY: the caller passes a valid pointer.
    let left = unsafe { *pv };
    if left.is_null() {
        return;
    }
    if w.is_null() {
        proxy::decref(left);
        // SAFETY: as above.
        unsafe { *pv = std::ptr::null_mut() };
        return;
    }
    let joined = (|| -> PyResult<*mut PyObject> {
        let (Some(mut a), Some(b)) = (buffer_data(vm, left)?, buffer_data(vm, w)?) else {
            return Err(vm.new_type_error(format!("can't concat {} to {}", type_name(vm, w), type_name(vm, left))));
        };
        a.extend_from_slice(&b);
        Ok(new_bytes(vm, a))
    })();
    proxy::decref(left);
    // SAFETY: as above.
    unsafe {
        *pv = match joined {
            Ok(joined) => joined,
            Err(e) => {
                crate::error_indicator::set_from_exception(e);
                std::ptr::null_mut()
            }
        }
    };
}

/// PyBytes_Concat, then releases `w`.
///
/// # Safety
/// As for `PyBytes_Concat`; `w` is an owned reference (or NULL).
#[cpython_api]
unsafe fn PyBytes_ConcatAndDel(pv: *mut *mut PyObject, w: *mut PyObject) {
    // SAFETY: the caller's promises are PyBytes_Concat's.
    unsafe { PyBytes_Concat(pv, w) };
    proxy::xdecref(w);
}

/// repr() of bytes; with `smartquotes` 0 always in single quotes.
#[cpython_api]
fn PyBytes_Repr(vm: &VirtualMachine, o: *mut PyObject, smartquotes: c_int) -> PyResult<*mut PyObject> {
    let b = check_bytes(vm, o)?;
    // SAFETY: a bytes proxy holds ob_size bytes at ob_sval.
    let data = unsafe { std::slice::from_raw_parts((*b).ob_sval.as_ptr() as *const u8, (*b).ob_base.ob_size as usize) };
    let quote = if smartquotes != 0 && data.contains(&b'\'') && !data.contains(&b'"') { b'"' } else { b'\'' };
    let mut text = String::with_capacity(data.len() + 3);
    text.push('b');
    text.push(quote as char);
    for &c in data {
        match c {
            b'\\' => text.push_str("\\\\"),
            b'\t' => text.push_str("\\t"),
            b'\n' => text.push_str("\\n"),
            b'\r' => text.push_str("\\r"),
            _ if c == quote => {
                text.push('\\');
                text.push(c as char);
            }
            0x20..=0x7e => text.push(c as char),
            _ => text.push_str(&format!("\\x{c:02x}")),
        }
    }
    text.push(quote as char);
    Ok(into_ref(vm, vm.ctx.new_str(text).into()))
}

/// Decodes the escapes of a bytes literal. Returns the bytes and the offset
/// of the first invalid escape (the character after its backslash; an
/// octal escape above 0o377 counts, as in 3.11).
fn decode_escapes(vm: &VirtualMachine, s: &[u8], errors: Option<&str>) -> PyResult<(Vec<u8>, Option<usize>)> {
    let mut out = Vec::with_capacity(s.len());
    let mut first_invalid = None;
    let mut i = 0;
    let is_octal = |b: u8| (b'0'..=b'7').contains(&b);
    while i < s.len() {
        if s[i] != b'\\' {
            out.push(s[i]);
            i += 1;
            continue;
        }
        let backslash = i;
        i += 1;
        let Some(&c) = s.get(i) else {
            return Err(vm.new_value_error("Trailing \\ in string".to_owned()));
        };
        i += 1;
        match c {
            b'\n' => {}
            b'\\' | b'\'' | b'"' => out.push(c),
            b'b' => out.push(0x08),
            b'f' => out.push(0x0c),
            b't' => out.push(b'\t'),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b'v' => out.push(0x0b),
            b'a' => out.push(0x07),
            b'0'..=b'7' => {
                let mut value = (c - b'0') as u32;
                for _ in 0..2 {
                    match s.get(i) {
                        Some(&d) if is_octal(d) => {
                            value = value * 8 + (d - b'0') as u32;
                            i += 1;
                        }
                        _ => break,
                    }
                }
                if value > 0o377 {
                    first_invalid.get_or_insert(backslash + 1);
                }
                out.push(value as u8);
            }
            b'x' => {
                let hex = |at: usize| s.get(at).and_then(|d| (*d as char).to_digit(16));
                if let (Some(high), Some(low)) = (hex(i), hex(i + 1)) {
                    out.push((high * 16 + low) as u8);
                    i += 2;
                    continue;
                }
                match errors {
                    None | Some("strict") => {
                        return Err(vm.new_value_error(format!("invalid \\x escape at position {backslash}")));
                    }
                    Some("replace") => out.push(b'?'),
                    Some("ignore") => {}
                    Some(other) => {
                        return Err(vm.new_value_error(format!("decoding error; unknown error handling code: {other}")));
                    }
                }
                if hex(i).is_some() {
                    i += 1;
                }
            }
            _ => {
                first_invalid.get_or_insert(backslash + 1);
                out.push(b'\\');
                i -= 1; // the character after the backslash is kept as it is
            }
        }
    }
    Ok((out, first_invalid))
}

/// # Safety
/// `s` must point at `len` readable bytes; `errors` be NULL or a C string.
unsafe fn escape_input<'a>(vm: &VirtualMachine, s: *const c_char, len: Py_ssize_t, errors: *const c_char) -> PyResult<(&'a [u8], Option<&'a str>)> {
    // SAFETY: the caller passes len readable bytes.
    let data = if len <= 0 { &[][..] } else { unsafe { std::slice::from_raw_parts(s as *const u8, len as usize) } };
    let errors = if errors.is_null() { None } else { Some(super::c_str_arg(vm, errors)?) };
    Ok((data, errors))
}

/// Decodes backslash escapes; an unknown one stays as it is, with a
/// DeprecationWarning. `unicode` and `recode_encoding` are unused, as in 3.11.
///
/// # Safety
/// `s` must point at `len` readable bytes; `errors` be NULL or a C string.
#[cpython_api]
unsafe fn PyBytes_DecodeEscape(vm: &VirtualMachine, s: *const c_char, len: Py_ssize_t, errors: *const c_char, unicode: Py_ssize_t, recode_encoding: *const c_char) -> PyResult<*mut PyObject> {
    let _ = (unicode, recode_encoding);
    // SAFETY: as the caller promises.
    let (data, errors) = unsafe { escape_input(vm, s, len, errors)? };
    let (decoded, first_invalid) = decode_escapes(vm, data, errors)?;
    if let Some(at) = first_invalid {
        let message = format!("invalid escape sequence '\\{}'", data[at] as char);
        let warn = crate::types::import_for_layer(vm, "warnings")?.get_attr("warn", vm)?;
        warn.call((message, vm.ctx.exceptions.deprecation_warning.to_owned(), 1), vm)?;
    }
    Ok(new_bytes(vm, decoded))
}

/// # Safety
/// As for `PyBytes_DecodeEscape`; `first_invalid_escape` must be writable.
#[cpython_api]
unsafe fn _PyBytes_DecodeEscape(vm: &VirtualMachine, s: *const c_char, len: Py_ssize_t, errors: *const c_char, first_invalid_escape: *mut *const c_char) -> PyResult<*mut PyObject> {
    // SAFETY: as the caller promises.
    let (data, errors) = unsafe { escape_input(vm, s, len, errors)? };
    let (decoded, first_invalid) = decode_escapes(vm, data, errors)?;
    // SAFETY: a writable pointer; the offset is within the input.
    unsafe { *first_invalid_escape = first_invalid.map_or(std::ptr::null(), |at| s.add(at)) };
    Ok(new_bytes(vm, decoded))
}

/// sep.join(x).
#[cpython_api]
fn _PyBytes_Join(vm: &VirtualMachine, sep: *mut PyObject, x: *mut PyObject) -> PyResult<*mut PyObject> {
    let joined = vm.call_method(to_host(vm, sep)?.as_object(), "join", (to_host(vm, x)?,))?;
    Ok(into_ref(vm, joined))
}

/// bytes.fromhex(string), or bytearray.fromhex.
#[cpython_api]
fn _PyBytes_FromHex(vm: &VirtualMachine, string: *mut PyObject, use_bytearray: c_int) -> PyResult<*mut PyObject> {
    let class = if use_bytearray != 0 { vm.ctx.types.bytearray_type } else { vm.ctx.types.bytes_type };
    let result = vm.call_method(class.as_object(), "fromhex", (to_host(vm, string)?,))?;
    Ok(into_ref(vm, result))
}

/// The `%` operator of bytes on a C format, giving bytes or a bytearray.
///
/// # Safety
/// `format` must point at `format_len` readable bytes.
#[cpython_api]
unsafe fn _PyBytes_FormatEx(vm: &VirtualMachine, format: *const c_char, format_len: Py_ssize_t, args: *mut PyObject, use_bytearray: c_int) -> PyResult<*mut PyObject> {
    // SAFETY: the caller passes format_len readable bytes.
    let (data, _) = unsafe { escape_input(vm, format, format_len, std::ptr::null())? };
    let template: rustpython_vm::PyObjectRef = vm.ctx.new_bytes(data.to_vec()).into();
    let mut result = vm._mod(&template, to_host(vm, args)?.as_object())?;
    if use_bytearray != 0 {
        result = vm.ctx.types.bytearray_type.as_object().call((result,), vm)?;
    }
    Ok(into_ref(vm, result))
}

// ---- _PyBytesWriter: a growing output buffer that C writes through a
// moving pointer. It starts in the writer's own small buffer, then moves to
// bytes that C is filling (resized with _PyBytes_Resize). ----

/// CPython's `_PyBytesWriter`, field for field.
#[repr(C)]
pub struct BytesWriter {
    buffer: *mut PyObject,
    allocated: Py_ssize_t,
    min_size: Py_ssize_t,
    use_bytearray: c_int,
    overallocate: c_int,
    use_small_buffer: c_int,
    small_buffer: [c_char; 512],
}

/// Where the writer's data starts.
///
/// # Safety
/// `w` must be an initialized writer.
unsafe fn writer_start(w: *mut BytesWriter) -> *mut c_char {
    // SAFETY: an initialized writer has either its small buffer in use or a bytes proxy.
    unsafe {
        if (*w).use_small_buffer != 0 {
            (*w).small_buffer.as_mut_ptr()
        } else if (*w).buffer.is_null() {
            std::ptr::null_mut()
        } else {
            (*((*w).buffer as *mut ffi::PyBytesObject)).ob_sval.as_mut_ptr()
        }
    }
}

/// # Safety
/// `w` must point at writable memory for a writer.
#[cpython_api]
unsafe fn _PyBytesWriter_Init(w: *mut BytesWriter) {
    // SAFETY: writable, as the caller promises; the small buffer is left as it is.
    unsafe {
        (*w).buffer = std::ptr::null_mut();
        (*w).allocated = 0;
        (*w).min_size = 0;
        (*w).use_bytearray = 0;
        (*w).overallocate = 0;
        (*w).use_small_buffer = 0;
    }
}

/// # Safety
/// `w` must be an initialized writer.
#[cpython_api]
unsafe fn _PyBytesWriter_Dealloc(w: *mut BytesWriter) {
    // SAFETY: an initialized writer owns its buffer reference.
    unsafe {
        proxy::xdecref((*w).buffer);
        (*w).buffer = std::ptr::null_mut();
    }
}

/// Room for `size` bytes from the start; the pointer to write at.
///
/// # Safety
/// `w` must be an initialized writer.
#[cpython_api]
unsafe fn _PyBytesWriter_Alloc(w: *mut BytesWriter, size: Py_ssize_t) -> *mut c_void {
    // SAFETY: an initialized writer.
    unsafe {
        (*w).use_small_buffer = 1;
        (*w).allocated = (*w).small_buffer.len() as Py_ssize_t;
        _PyBytesWriter_Prepare(w, (*w).small_buffer.as_mut_ptr() as *mut c_void, size)
    }
}

/// Room for `size` more bytes at `str`; the (possibly moved) pointer.
///
/// # Safety
/// `w` must be an initialized writer and `str` point into its data.
#[cpython_api]
unsafe fn _PyBytesWriter_Prepare(vm: &VirtualMachine, w: *mut BytesWriter, str: *mut c_void, size: Py_ssize_t) -> PyResult<*mut c_void> {
    if size == 0 {
        return Ok(str);
    }
    // SAFETY: an initialized writer.
    unsafe {
        if (*w).min_size > Py_ssize_t::MAX - size {
            _PyBytesWriter_Dealloc(w);
            return Err(crate::error_indicator::no_memory(vm));
        }
        (*w).min_size += size;
        if (*w).min_size <= (*w).allocated {
            return Ok(str);
        }
        let wanted = (*w).min_size;
        match _PyBytesWriter_Resize(w, str, wanted) {
            p if p.is_null() => Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| crate::error_indicator::no_memory(vm))),
            p => Ok(p),
        }
    }
}

/// Grows the data to `size` bytes (a quarter more when overallocating).
///
/// # Safety
/// `w` must be an initialized writer and `str` point into its data.
#[cpython_api]
unsafe fn _PyBytesWriter_Resize(vm: &VirtualMachine, w: *mut BytesWriter, str: *mut c_void, size: Py_ssize_t) -> PyResult<*mut c_void> {
    // SAFETY: an initialized writer; str points into its data.
    unsafe {
        let start = writer_start(w);
        let position = if start.is_null() { 0 } else { (str as *mut c_char).offset_from(start) as usize };
        let size = if (*w).overallocate != 0 && size <= Py_ssize_t::MAX / 4 { size + size / 4 } else { size };
        if (*w).buffer.is_null() {
            let fresh = PyBytes_FromStringAndSize(std::ptr::null(), size);
            if fresh.is_null() {
                return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| crate::error_indicator::no_memory(vm)));
            }
            if (*w).use_small_buffer != 0 {
                let data = (*(fresh as *mut ffi::PyBytesObject)).ob_sval.as_mut_ptr();
                std::ptr::copy_nonoverlapping((*w).small_buffer.as_ptr(), data, position);
            }
            (*w).buffer = fresh;
        } else if _PyBytes_Resize(&mut (*w).buffer, size) < 0 {
            return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| crate::error_indicator::no_memory(vm)));
        }
        (*w).use_small_buffer = 0;
        (*w).allocated = size;
        Ok(writer_start(w).add(position) as *mut c_void)
    }
}

/// Copies `size` bytes at `str`; the pointer after them.
///
/// # Safety
/// `w` must be an initialized writer, `str` point into its data and
/// `bytes` at `size` readable bytes.
#[cpython_api]
unsafe fn _PyBytesWriter_WriteBytes(w: *mut BytesWriter, str: *mut c_void, bytes: *const c_void, size: Py_ssize_t) -> *mut c_void {
    // SAFETY: as the caller promises; Prepare made room for size bytes.
    unsafe {
        let at = _PyBytesWriter_Prepare(w, str, size);
        if at.is_null() {
            return at;
        }
        std::ptr::copy_nonoverlapping(bytes as *const u8, at as *mut u8, size as usize);
        (at as *mut u8).add(size as usize) as *mut c_void
    }
}

/// The bytes (or bytearray) written up to `str`; the writer is emptied.
///
/// # Safety
/// `w` must be an initialized writer and `str` point into its data.
#[cpython_api]
unsafe fn _PyBytesWriter_Finish(vm: &VirtualMachine, w: *mut BytesWriter, str: *mut c_void) -> PyResult<*mut PyObject> {
    // SAFETY: an initialized writer; str points into its data.
    unsafe {
        let start = writer_start(w);
        let size = if start.is_null() { 0 } else { (str as *mut c_char).offset_from(start) };
        let as_bytes: *mut PyObject = if (*w).use_small_buffer != 0 || (*w).buffer.is_null() {
            let data = if size == 0 { &[][..] } else { std::slice::from_raw_parts(start as *const u8, size as usize) };
            _PyBytesWriter_Dealloc(w);
            new_bytes(vm, data.to_vec())
        } else {
            let mut result = std::mem::replace(&mut (*w).buffer, std::ptr::null_mut());
            if size != (*w).allocated && _PyBytes_Resize(&mut result, size) < 0 {
                return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| crate::error_indicator::no_memory(vm)));
            }
            result
        };
        if (*w).use_bytearray == 0 {
            return Ok(as_bytes);
        }
        let host = proxy::take(vm, as_bytes)?;
        let bytearray = vm.ctx.types.bytearray_type.as_object().call((host,), vm)?;
        Ok(into_ref(vm, bytearray))
    }
}
