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
fn PyUnicode_FromString(vm: &VirtualMachine, u: *const c_char) -> PyResult<*mut PyObject> {
    if u.is_null() {
        return Err(bad_internal_call(vm));
    }
    let bytes = std::ffi::CStr::from_ptr(u).to_bytes();
    Ok(into_ref(vm, decode_utf8(vm, bytes)?))
}

#[cpython_api]
fn PyUnicode_FromStringAndSize(vm: &VirtualMachine, u: *const c_char, size: Py_ssize_t) -> PyResult<*mut PyObject> {
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
fn PyUnicode_AsUTF8AndSize(vm: &VirtualMachine, unicode: *mut PyObject, size: *mut Py_ssize_t) -> PyResult<*const c_char> {
    let s = as_str(vm, unicode)?;
    if let Some(h) = proxy::header(unicode) {
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
    match proxy::header(unicode) {
        Some(h) => h.set_utf8(buffer),
        None => return Err(bad_internal_call(vm)),
    }
    if !size.is_null() {
        *size = len as Py_ssize_t;
    }
    Ok(ptr)
}

#[cpython_api]
fn PyUnicode_AsUTF8(unicode: *mut PyObject) -> *const c_char {
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
fn PyUnicode_CompareWithASCIIString(vm: &VirtualMachine, left: *mut PyObject, right: *const c_char) -> PyResult<c_int> {
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
fn PyUnicode_FromWideChar(vm: &VirtualMachine, w: *const libc::wchar_t, size: Py_ssize_t) -> PyResult<*mut PyObject> {
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
fn PyUnicode_DecodeUTF8(vm: &VirtualMachine, s: *const c_char, size: Py_ssize_t, errors: *const c_char) -> PyResult<*mut PyObject> {
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
