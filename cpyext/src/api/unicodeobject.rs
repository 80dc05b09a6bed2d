//! unicodeobject.h. The text stays in the host str; the NUL-terminated UTF-8
//! that `PyUnicode_AsUTF8` hands out is made once and kept with the proxy.
use super::{bad_internal_call, c_str_arg};
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyStr, PyStrRef};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// Decodes UTF-8 strictly; on bad input the host's own decoder raises the
/// UnicodeDecodeError, so its details match Python's.
fn decode_utf8(vm: &VirtualMachine, bytes: &[u8]) -> PyResult<PyObjectRef> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(vm.ctx.new_str(s).into()),
        Err(_) => {
            let b: PyObjectRef = vm.ctx.new_bytes(bytes.to_vec()).into();
            vm.call_method(&b, "decode", ("utf-8",))
        }
    }
}

fn as_str(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<PyStrRef> {
    if o.is_null() {
        return Err(bad_internal_call(vm));
    }
    to_host(vm, o)?
        .downcast::<PyStr>()
        .map_err(|_| vm.new_type_error("bad argument type for built-in operation".to_owned()))
}

#[cpython_api]
unsafe fn PyUnicode_FromString(vm: &VirtualMachine, u: *const c_char) -> PyResult<*mut PyObject> {
    if u.is_null() {
        return Err(bad_internal_call(vm));
    }
    let bytes = std::ffi::CStr::from_ptr(u).to_bytes();
    Ok(into_ref(vm, decode_utf8(vm, bytes)?))
}

#[cpython_api]
unsafe fn PyUnicode_FromStringAndSize(vm: &VirtualMachine, u: *const c_char, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(vm.new_system_error("Negative size passed to PyUnicode_FromStringAndSize".to_owned()));
    }
    if u.is_null() {
        if size == 0 {
            return Ok(into_ref(vm, vm.ctx.new_str("").into()));
        }
        return Err(vm.new_system_error(
            "NULL string with positive size with NULL passed to PyUnicode_FromStringAndSize".to_owned(),
        ));
    }
    let bytes = std::slice::from_raw_parts(u as *const u8, size as usize);
    Ok(into_ref(vm, decode_utf8(vm, bytes)?))
}

#[cpython_api]
unsafe fn PyUnicode_AsUTF8AndSize(vm: &VirtualMachine, unicode: *mut PyObject, size: *mut Py_ssize_t) -> PyResult<*const c_char> {
    let s = as_str(vm, unicode)?;
    if let Some(h) = proxy::header_mut(unicode) {
        if let Some(utf8) = h.utf8() {
            if !size.is_null() {
                *size = (utf8.len() - 1) as Py_ssize_t;
            }
            return Ok(utf8.as_ptr() as *const c_char);
        }
    }
    let text = match s.to_str() {
        Some(t) => t.to_owned(),
        // Lone surrogates: let the host's encoder raise UnicodeEncodeError.
        None => {
            let err = vm.call_method(s.as_object(), "encode", ("utf-8",)).err();
            return Err(err.unwrap_or_else(|| vm.new_system_error("str is not valid UTF-8".to_owned())));
        }
    };
    let mut buffer = text.into_bytes();
    let len = buffer.len();
    buffer.push(0);
    let buffer = buffer.into_boxed_slice();
    let ptr = buffer.as_ptr() as *const c_char;
    match proxy::header_mut(unicode) {
        Some(h) => h.set_utf8(buffer),
        None => return Err(bad_internal_call(vm)),
    }
    if !size.is_null() {
        *size = len as Py_ssize_t;
    }
    Ok(ptr)
}

#[cpython_api]
unsafe fn PyUnicode_AsUTF8(unicode: *mut PyObject) -> *const c_char {
    PyUnicode_AsUTF8AndSize(unicode, std::ptr::null_mut())
}

#[cpython_api]
fn PyUnicode_AsUTF8String(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<*mut PyObject> {
    let s = as_str(vm, unicode)?;
    Ok(into_ref(vm, vm.call_method(s.as_object(), "encode", ("utf-8",))?))
}

#[cpython_api]
fn PyUnicode_GetLength(vm: &VirtualMachine, unicode: *mut PyObject) -> PyResult<Py_ssize_t> {
    Ok(as_str(vm, unicode)?.char_len() as Py_ssize_t)
}

#[cpython_api]
fn PyUnicode_Concat(vm: &VirtualMachine, left: *mut PyObject, right: *mut PyObject) -> PyResult<*mut PyObject> {
    let (l, r) = (to_host(vm, left)?, to_host(vm, right)?);
    let (Some(ls), Some(rs)) = (l.downcast_ref::<PyStr>(), r.downcast_ref::<PyStr>()) else {
        let culprit = if l.downcast_ref::<PyStr>().is_none() { &l } else { &r };
        return Err(vm.new_type_error(format!(
            "can only concatenate str (not \"{}\") to str",
            culprit.class().name()
        )));
    };
    let mut joined = ls.as_wtf8().to_owned();
    joined.push_wtf8(rs.as_wtf8());
    Ok(into_ref(vm, vm.ctx.new_str(joined).into()))
}

/// -1, 0 or 1 by code point; -1 with TypeError for a non-str.
#[cpython_api]
fn PyUnicode_Compare(vm: &VirtualMachine, left: *mut PyObject, right: *mut PyObject) -> PyResult<c_int> {
    let (l, r) = (to_host(vm, left)?, to_host(vm, right)?);
    match (l.downcast_ref::<PyStr>(), r.downcast_ref::<PyStr>()) {
        (Some(a), Some(b)) => Ok(match a.as_wtf8().code_points().cmp(b.as_wtf8().code_points()) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }),
        _ => Err(vm.new_type_error(format!(
            "Can't compare {} and {}",
            l.class().name(),
            r.class().name()
        ))),
    }
}

#[cpython_api]
unsafe fn PyUnicode_CompareWithASCIIString(vm: &VirtualMachine, left: *mut PyObject, right: *const c_char) -> PyResult<c_int> {
    let s = as_str(vm, left)?;
    let right = std::ffi::CStr::from_ptr(right).to_bytes();
    let ours = s.as_wtf8().code_points().map(|c| c.to_u32());
    let theirs = right.iter().map(|b| *b as u32);
    Ok(match ours.cmp(theirs) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    })
}

/// Interned through `sys.intern`, so C and Python share one table.
#[cpython_api]
fn PyUnicode_InternFromString(vm: &VirtualMachine, u: *const c_char) -> PyResult<*mut PyObject> {
    let s = vm.ctx.new_str(c_str_arg(vm, u)?);
    let interned = vm.sys_module.get_attr("intern", vm)?.call((s,), vm)?;
    Ok(into_ref(vm, interned))
}


/// The code point at `index`; (Py_UCS4)-1 with an exception on failure.
#[cpython_api]
fn PyUnicode_ReadChar(vm: &VirtualMachine, unicode: *mut PyObject, index: Py_ssize_t) -> PyResult<u32> {
    let s = as_str(vm, unicode)?;
    if index < 0 || index as usize >= s.char_len() {
        return Err(vm.new_index_error("string index out of range".to_owned()));
    }
    Ok(s.as_wtf8().code_points().nth(index as usize).map_or(0, |c| c.to_u32()))
}

/// `str.encode(encoding, errors)`, UTF-8 and "strict" when NULL; the codec
/// must be a text encoding and return bytes.
#[cpython_api]
fn PyUnicode_AsEncodedString(vm: &VirtualMachine, unicode: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    let s = as_str(vm, unicode)?;
    let encoding = if encoding.is_null() { "utf-8" } else { c_str_arg(vm, encoding)? };
    let errors = if errors.is_null() { "strict" } else { c_str_arg(vm, errors)? };
    let encoded = vm.call_method(s.as_object(), "encode", (encoding, errors))?;
    if encoded.downcast_ref::<rustpython_vm::builtins::PyBytes>().is_none() {
        return Err(vm.new_type_error(format!(
            "'{encoding}' encoder returned '{}' instead of 'bytes'; use codecs.encode() to encode to arbitrary types",
            encoded.class().name()
        )));
    }
    Ok(into_ref(vm, encoded))
}

/// A str from code points, lone surrogates included (as CPython's str may
/// hold them); ValueError for a value beyond U+10FFFF.
fn from_code_points(vm: &VirtualMachine, points: impl Iterator<Item = i64>) -> PyResult<*mut PyObject> {
    use rustpython_vm::common::wtf8::{CodePoint, Wtf8Buf};
    let mut text = Wtf8Buf::new();
    for value in points {
        match u32::try_from(value).ok().and_then(CodePoint::from_u32) {
            Some(c) => text.push(c),
            None => {
                return Err(vm.new_value_error(format!(
                    "character U+{:x} is not in range [U+0000; U+10ffff]",
                    value as u32
                )));
            }
        }
    }
    Ok(into_ref(vm, vm.ctx.new_str(text).into()))
}

#[cpython_api]
fn PyUnicode_FromOrdinal(vm: &VirtualMachine, ordinal: c_int) -> PyResult<*mut PyObject> {
    if !(0..=0x10FFFF).contains(&ordinal) {
        return Err(vm.new_value_error("chr() arg not in range(0x110000)".to_owned()));
    }
    from_code_points(vm, std::iter::once(ordinal as i64))
}

/// `size` wide characters (UTF-32 here), or up to the NUL when it is -1.
#[cpython_api]
unsafe fn PyUnicode_FromWideChar(vm: &VirtualMachine, w: *const libc::wchar_t, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if w.is_null() {
        if size == 0 {
            return Ok(into_ref(vm, vm.ctx.new_str("").into()));
        }
        return Err(bad_internal_call(vm));
    }
    let len = if size == -1 { libc::wcslen(w) } else if size < 0 { return Err(bad_internal_call(vm)) } else { size as usize };
    let units = std::slice::from_raw_parts(w, len);
    from_code_points(vm, units.iter().map(|u| *u as u32 as i64))
}

/// Code points `start` to `end` (clipped to the length).
#[cpython_api]
fn PyUnicode_Substring(vm: &VirtualMachine, unicode: *mut PyObject, start: Py_ssize_t, end: Py_ssize_t) -> PyResult<*mut PyObject> {
    let s = as_str(vm, unicode)?;
    if start < 0 || end < 0 {
        return Err(vm.new_index_error("string index out of range".to_owned()));
    }
    let len = s.char_len();
    let (start, end) = ((start as usize).min(len), (end as usize).min(len));
    if start == 0 && end == len && s.class().is(vm.ctx.types.str_type) {
        return Ok(into_ref(vm, s.into()));
    }
    if start >= end {
        return Ok(into_ref(vm, vm.ctx.new_str("").into()));
    }
    from_code_points(vm, s.as_wtf8().code_points().skip(start).take(end - start).map(|c| c.to_u32() as i64))
}

/// `separator.join(seq)`; a NULL separator is a space.
#[cpython_api]
fn PyUnicode_Join(vm: &VirtualMachine, separator: *mut PyObject, seq: *mut PyObject) -> PyResult<*mut PyObject> {
    let separator: PyObjectRef = match crate::proxy::opt_to_host(vm, separator)? {
        Some(s) => s,
        None => vm.ctx.new_str(" ").into(),
    };
    let iter = to_host(vm, seq)?.get_iter(vm).map_err(|e| {
        if e.fast_isinstance(vm.ctx.exceptions.type_error) {
            vm.new_type_error("can only join an iterable".to_owned())
        } else {
            e
        }
    })?;
    let items: Vec<PyObjectRef> = iter.iter::<PyObjectRef>(vm)?.collect::<PyResult<_>>()?;
    // One exact str is the result itself; the separator is not looked at.
    if let [only] = items.as_slice() {
        if only.class().is(vm.ctx.types.str_type) {
            return Ok(into_ref(vm, only.clone()));
        }
    }
    if separator.downcast_ref::<PyStr>().is_none() {
        return Err(vm.new_type_error(format!(
            "separator: expected str instance, {} found",
            separator.class().name()
        )));
    }
    let list: PyObjectRef = vm.ctx.new_list(items).into();
    Ok(into_ref(vm, vm.call_method(&separator, "join", (list,))?))
}

/// `size` bytes of UTF-8, with the named error handler ("strict" if NULL).
#[cpython_api]
unsafe fn PyUnicode_DecodeUTF8(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
    if size < 0 || (s.is_null() && size > 0) {
        return Err(bad_internal_call(vm));
    }
    let bytes = if size == 0 { &[][..] } else { std::slice::from_raw_parts(s as *const u8, size as usize) };
    if errors.is_null() {
        return Ok(into_ref(vm, decode_utf8(vm, bytes)?));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(into_ref(vm, vm.ctx.new_str(text).into()));
    }
    let errors = c_str_arg(vm, errors)?;
    let raw: PyObjectRef = vm.ctx.new_bytes(bytes.to_vec()).into();
    Ok(into_ref(vm, vm.call_method(&raw, "decode", ("utf-8", errors))?))
}

// --- PEP 393: the canonical text form ---------------------------------------

use rustpython_vm::common::wtf8::{CodePoint, Wtf8Buf};

/// A str from text in canonical form (`kind` bytes per character).
pub(crate) fn str_from_canonical(vm: &VirtualMachine, kind: u8, text: &[u8]) -> PyResult<PyObjectRef> {
    let mut out = Wtf8Buf::with_capacity(text.len());
    for unit in text.chunks_exact(kind as usize) {
        let c = match kind {
            1 => unit[0] as u32,
            2 => u16::from_ne_bytes([unit[0], unit[1]]) as u32,
            _ => u32::from_ne_bytes([unit[0], unit[1], unit[2], unit[3]]),
        };
        let cp = CodePoint::from_u32(c)
            .ok_or_else(|| vm.new_system_error(format!("character U+{c:x} is not in range [U+0000; U+10ffff]")))?;
        out.push(cp);
    }
    Ok(vm.ctx.new_str(out).into())
}

fn kind_for(max_char: u32) -> u8 {
    if max_char < 0x100 { 1 } else if max_char < 0x10000 { 2 } else { 4 }
}

fn encode_canonical(kind: u8, chars: impl Iterator<Item = u32>, len: usize) -> Box<[u8]> {
    let mut buffer = vec![0u8; (len + 1) * kind as usize];
    for (i, c) in chars.enumerate() {
        let at = i * kind as usize;
        match kind {
            1 => buffer[at] = c as u8,
            2 => buffer[at..at + 2].copy_from_slice(&(c as u16).to_ne_bytes()),
            _ => buffer[at..at + 4].copy_from_slice(&c.to_ne_bytes()),
        }
    }
    buffer.into_boxed_slice()
}

/// The canonical text of a str proxy, made on first use.
fn canonical_text(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<(u8, *mut u8)> {
    // SAFETY: C's str (I8 in proxy.rs), under the GIL; no code runs while the reference lives.
    if let Some((kind, text)) = unsafe { proxy::header_mut(o) }.and_then(|h| h.text()) {
        return Ok((kind, text.as_mut_ptr()));
    }
    let s = as_str(vm, o)?;
    let max_char = s.as_wtf8().code_points().map(|c| c.to_u32()).max().unwrap_or(0);
    let kind = kind_for(max_char);
    let buffer = encode_canonical(kind, s.as_wtf8().code_points().map(|c| c.to_u32()), s.char_len());
    // SAFETY: as above.
    let h = unsafe { proxy::header_mut(o) }.ok_or_else(|| bad_internal_call(vm))?;
    h.set_text(kind, buffer);
    Ok((kind, h.text().unwrap().1.as_mut_ptr()))
}

/// PyUnicode_KIND: 1, 2 or 4 bytes per character.
#[cpython_api]
fn _PyUnicode_Kind(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    Ok(canonical_text(vm, o)?.0 as c_int)
}

/// PyUnicode_DATA: the text in canonical form (valid while the proxy lives).
#[cpython_api]
fn _PyUnicode_Data(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut std::ffi::c_void> {
    Ok(canonical_text(vm, o)?.1 as *mut std::ffi::c_void)
}

/// PyUnicode_MAX_CHAR_VALUE: the largest character the kind can hold (0x7f
/// for ASCII text).
#[cpython_api]
unsafe fn _PyUnicode_MaxCharValue(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<u32> {
    let (kind, data) = canonical_text(vm, o)?;
    Ok(match kind {
        1 => {
            let len = proxy::header_mut(o).and_then(|h| h.text()).map_or(0, |(_, t)| t.len() - 1);
            let bytes = std::slice::from_raw_parts(data, len);
            if bytes.iter().all(|b| *b < 0x80) { 0x7f } else { 0xff }
        }
        2 => 0xffff,
        _ => 0x10ffff,
    })
}

/// A new str of `size` characters up to `maxchar`, for C to fill through
/// PyUnicode_DATA/PyUnicode_WRITE before it crosses into Python.
#[cpython_api]
fn PyUnicode_New(vm: &VirtualMachine, size: Py_ssize_t, maxchar: u32) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(vm.new_system_error("Negative size passed to PyUnicode_New".to_owned()));
    }
    if maxchar > 0x10ffff {
        return Err(vm.new_system_error("invalid maximum character passed to PyUnicode_New".to_owned()));
    }
    let kind = kind_for(maxchar);
    let p = proxy::new_pending(proxy::Layout::Str, size_of::<PyObject>(), &raw mut crate::types::PyUnicode_Type);
    let buffer = vec![0u8; (size as usize + 1) * kind as usize].into_boxed_slice();
    // SAFETY: the proxy just made, under the GIL.
    unsafe { proxy::header_mut(p) }.ok_or_else(|| bad_internal_call(vm))?.set_text(kind, buffer);
    Ok(p)
}

#[cpython_api]
unsafe fn PyUnicode_FromKindAndData(vm: &VirtualMachine, kind: c_int, buffer: *const std::ffi::c_void, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(vm.new_value_error("size must be positive".to_owned()));
    }
    if !matches!(kind, 1 | 2 | 4) {
        return Err(vm.new_system_error("invalid kind".to_owned()));
    }
    let bytes = std::slice::from_raw_parts(buffer as *const u8, size as usize * kind as usize);
    Ok(into_ref(vm, str_from_canonical(vm, kind as u8, bytes)?))
}

/// `bytes.decode(encoding, errors)` over C bytes (UTF-8 and strict when NULL).
#[cpython_api]
unsafe fn PyUnicode_Decode(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(bad_internal_call(vm));
    }
    let data = if size == 0 { &[][..] } else { std::slice::from_raw_parts(s as *const u8, size as usize) };
    let encoding = if encoding.is_null() { "utf-8" } else { c_str_arg(vm, encoding)? };
    let errors = if errors.is_null() { "strict" } else { c_str_arg(vm, errors)? };
    let bytes: PyObjectRef = vm.ctx.new_bytes(data.to_vec()).into();
    Ok(into_ref(vm, vm.call_method(&bytes, "decode", (encoding, errors))?))
}

/// An `O&` converter: a str or path-like becomes the bytes of its file
/// system encoding (bytes pass through); a NULL object releases `*result`.
#[cpython_api]
unsafe fn PyUnicode_FSConverter(vm: &VirtualMachine, arg: *mut PyObject, result: *mut *mut PyObject) -> PyResult<c_int> {
    if arg.is_null() {
        crate::proxy::xdecref(*(result as *mut *mut PyObject));
        *result = std::ptr::null_mut();
        return Ok(1);
    }
    let fsencode = vm.import("os", 0)?.get_attr("fsencode", vm)?;
    let encoded = fsencode.call((to_host(vm, arg)?,), vm)?;
    let data = encoded.downcast_ref::<rustpython_vm::builtins::PyBytes>().map(|b| b.as_bytes().to_vec()).unwrap_or_default();
    if data.contains(&0) {
        return Err(vm.new_value_error("embedded null byte".to_owned()));
    }
    *result = into_ref(vm, encoded);
    Ok(0x20000) // Py_CLEANUP_SUPPORTED
}

/// The host str of a str proxy C made with `PyUnicode_New` and filled: the
/// object model calls this (registered for `Layout::Str` at start-up) the
/// first time such a str crosses into Python.
pub(crate) fn materialize_str(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    // SAFETY: a live str proxy (the object model calls this), under the GIL.
    let header = unsafe { crate::proxy::header_mut(proxy) };
    let (kind, text) = header.and_then(|h| h.text()).ok_or_else(|| crate::proxy::dead_object(vm, proxy))?;
    str_from_canonical(vm, kind, &text[..text.len() - kind as usize])
}
