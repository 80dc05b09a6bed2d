//! codecs.h: the codec registry and error handlers, through the host's
//! `_codecs` module, so C and Python share one registry.
use super::unicodeobject::codecs_call;
use super::{bad_internal_call, c_str_arg};
use crate::boundary::ApiData;
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyTuple;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// "0123456789abcdef", for C code that formats hexadecimal.
#[unsafe(no_mangle)]
pub static mut Py_hexdigits: *const c_char = c"0123456789abcdef".as_ptr();
inventory::submit! { ApiData { name: "Py_hexdigits" } }

fn str_arg(vm: &VirtualMachine, s: *const c_char) -> PyResult<PyObjectRef> {
    Ok(vm.ctx.new_str(c_str_arg(vm, s)?).into())
}

/// An optional `errors` argument: "strict" when NULL.
fn errors_or_strict(vm: &VirtualMachine, errors: *const c_char) -> PyResult<PyObjectRef> {
    if errors.is_null() { Ok(vm.ctx.new_str("strict").into()) } else { str_arg(vm, errors) }
}

/// The codec info tuple of an encoding (`codecs.lookup`).
fn lookup(vm: &VirtualMachine, encoding: *const c_char) -> PyResult<PyObjectRef> {
    if encoding.is_null() {
        return Err(bad_internal_call(vm));
    }
    lookup_name(vm, c_str_arg(vm, encoding)?)
}

/// `codecs.lookup(name)`; an unknown encoding is reported under the name
/// as given, as CPython does (the host names its normalised form).
pub(crate) fn lookup_name(vm: &VirtualMachine, name: &str) -> PyResult<PyObjectRef> {
    codecs_call(vm, "lookup", (vm.ctx.new_str(name),)).map_err(|e| {
        if e.fast_isinstance(vm.ctx.exceptions.lookup_error)
            && e.as_object().str(vm).is_ok_and(|m| m.as_wtf8().to_string().starts_with("unknown encoding")) {
            vm.new_lookup_error(format!("unknown encoding: {name}"))
        } else {
            e
        }
    })
}

/// A codec that converts str to bytes and back (`_is_text_encoding`),
/// for the str methods; others are refused with CPython's message.
pub(crate) fn lookup_text_encoding(vm: &VirtualMachine, name: &str, alternate_command: &str) -> PyResult<PyObjectRef> {
    let info = lookup_name(vm, name)?;
    let is_text = match info.get_attr("_is_text_encoding", vm) {
        Ok(flag) => flag.try_to_bool(vm)?,
        Err(_) => true,
    };
    if !is_text {
        return Err(vm.new_lookup_error(format!(
            "'{name}' is not a text encoding; use {alternate_command} to handle arbitrary codecs"
        )));
    }
    Ok(info)
}

/// Whether CPython would re-raise an exception from a codec as "encoding
/// with 'x' codec failed (...)": only exceptions that carry nothing but
/// their message (a builtin of the plain kind, or a subclass of one that
/// adds no constructor).
fn is_plain_exception(vm: &VirtualMachine, exc: &rustpython_vm::builtins::PyBaseExceptionRef) -> bool {
    let e = &vm.ctx.exceptions;
    let plain = [
        e.exception_type, e.type_error, e.value_error, e.lookup_error, e.index_error, e.key_error,
        e.runtime_error, e.not_implemented_error, e.assertion_error, e.arithmetic_error, e.overflow_error,
        e.zero_division_error, e.buffer_error, e.eof_error,
    ];
    let class = exc.class();
    if exc.as_object().dict().is_some_and(|d| !d.is_empty()) {
        return false;
    }
    for ty in class.iter_base_chain() {
        if plain.iter().any(|p| ty.is(*p)) {
            return true;
        }
        // A class of its own making: only if it defines no constructor.
        let module = ty.get_attr(vm.ctx.intern_str("__module__")).and_then(|m| m.downcast::<rustpython_vm::builtins::PyStr>().ok());
        if module.is_some_and(|m| m.as_wtf8() == "builtins") {
            return false;
        }
        if ty.get_direct_attr(vm.ctx.intern_str("__init__")).is_some() || ty.get_direct_attr(vm.ctx.intern_str("__new__")).is_some() {
            return false;
        }
    }
    false
}

/// Calls a codec's encoder (0) or decoder (1) on `object`; the result must
/// be a 2-tuple, whose first item is returned.
pub(crate) fn run_codec(vm: &VirtualMachine, info: &PyObjectRef, index: usize, object: PyObjectRef, errors: Option<&str>, encoding: &str) -> PyResult<PyObjectRef> {
    let key: PyObjectRef = vm.ctx.new_int(index).into();
    let coder = info.get_item(&*key, vm)?;
    let result = match errors {
        Some(errors) => coder.call((object, vm.ctx.new_str(errors)), vm),
        None => coder.call((object,), vm),
    };
    let verb = if index == 0 { "encoding" } else { "decoding" };
    let result = result.map_err(|exc| {
        if !is_plain_exception(vm, &exc) {
            return exc;
        }
        let message = format!(
            "{verb} with '{encoding}' codec failed ({}: {})",
            crate::types::tp_name(vm, exc.class()),
            exc.as_object().str(vm).map(|s| s.as_wtf8().to_string()).unwrap_or_default()
        );
        match exc.class().as_object().call((message,), vm).ok().and_then(|e| e.downcast::<rustpython_vm::builtins::PyBaseException>().ok()) {
            Some(wrapped) => {
                wrapped.set_cause(Some(exc));
                wrapped
            }
            None => exc,
        }
    })?;
    match result.downcast_ref::<PyTuple>() {
        Some(t) if t.len() == 2 => Ok(t[0].clone()),
        _ => Err(vm.new_type_error(format!(
            "{} must return a tuple (object, integer)",
            if index == 0 { "encoder" } else { "decoder" }
        ))),
    }
}

/// Item `index` of a codec info, which is a tuple of at least 4 items.
fn codec_item(vm: &VirtualMachine, encoding: *const c_char, index: usize) -> PyResult<PyObjectRef> {
    let info = lookup(vm, encoding)?;
    let tuple = info
        .downcast_ref::<PyTuple>()
        .filter(|t| t.len() >= 4)
        .ok_or_else(|| vm.new_type_error("codec search functions must return 4-tuples".to_owned()))?;
    Ok(tuple[index].clone())
}

#[cpython_api]
fn PyCodec_Register(vm: &VirtualMachine, search_function: *mut PyObject) -> PyResult<c_int> {
    codecs_call(vm, "register", (to_host(vm, search_function)?,))?;
    Ok(0)
}

#[cpython_api]
fn PyCodec_Unregister(vm: &VirtualMachine, search_function: *mut PyObject) -> PyResult<c_int> {
    codecs_call(vm, "unregister", (to_host(vm, search_function)?,))?;
    Ok(0)
}

#[cpython_api]
fn _PyCodec_Lookup(vm: &VirtualMachine, encoding: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, lookup(vm, encoding)?))
}

#[cpython_api]
fn _PyCodec_Forget(vm: &VirtualMachine, encoding: *const c_char) -> PyResult<c_int> {
    codecs_call(vm, "_forget_codec", (str_arg(vm, encoding)?,))?;
    Ok(0)
}

/// 1 if a codec is registered for the encoding, else 0 (never an error).
#[cpython_api]
fn PyCodec_KnownEncoding(vm: &VirtualMachine, encoding: *const c_char) -> c_int {
    lookup(vm, encoding).is_ok() as c_int
}

/// Any object through a codec's encoder (0) or decoder (1); `errors` NULL
/// passes no errors argument (the codec's default, "strict").
pub(crate) fn codec_apply(vm: &VirtualMachine, object: *mut PyObject, encoding: *const c_char, errors: *const c_char, index: usize) -> PyResult<PyObjectRef> {
    let object = to_host(vm, object)?;
    let info = lookup(vm, encoding)?;
    let errors = if errors.is_null() { None } else { Some(c_str_arg(vm, errors)?) };
    run_codec(vm, &info, index, object, errors, c_str_arg(vm, encoding)?)
}

#[cpython_api]
fn PyCodec_Encode(vm: &VirtualMachine, object: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, codec_apply(vm, object, encoding, errors, 0)?))
}

#[cpython_api]
fn PyCodec_Decode(vm: &VirtualMachine, object: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, codec_apply(vm, object, encoding, errors, 1)?))
}

#[cpython_api]
fn PyCodec_Encoder(vm: &VirtualMachine, encoding: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, codec_item(vm, encoding, 0)?))
}

#[cpython_api]
fn PyCodec_Decoder(vm: &VirtualMachine, encoding: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, codec_item(vm, encoding, 1)?))
}

/// `codec_info.<attribute>(errors)`, or with no argument when NULL.
fn incremental(vm: &VirtualMachine, info: PyObjectRef, attribute: &'static str, errors: *const c_char) -> PyResult<*mut PyObject> {
    let factory = info.get_attr(attribute, vm)?;
    let coder = if errors.is_null() { factory.call((), vm)? } else { factory.call((str_arg(vm, errors)?,), vm)? };
    Ok(into_ref(vm, coder))
}

#[cpython_api]
fn PyCodec_IncrementalEncoder(vm: &VirtualMachine, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    incremental(vm, lookup(vm, encoding)?, "incrementalencoder", errors)
}

#[cpython_api]
fn PyCodec_IncrementalDecoder(vm: &VirtualMachine, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    incremental(vm, lookup(vm, encoding)?, "incrementaldecoder", errors)
}

#[cpython_api]
fn _PyCodecInfo_GetIncrementalEncoder(vm: &VirtualMachine, codec_info: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    incremental(vm, to_host(vm, codec_info)?, "incrementalencoder", errors)
}

#[cpython_api]
fn _PyCodecInfo_GetIncrementalDecoder(vm: &VirtualMachine, codec_info: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    incremental(vm, to_host(vm, codec_info)?, "incrementaldecoder", errors)
}

/// `codec_info[index](stream, errors)`: the stream reader (2) or writer (3).
fn stream_coder(vm: &VirtualMachine, encoding: *const c_char, index: usize, stream: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    let factory = codec_item(vm, encoding, index)?;
    let stream = to_host(vm, stream)?;
    let coder = if errors.is_null() {
        factory.call((stream,), vm)?
    } else {
        factory.call((stream, str_arg(vm, errors)?), vm)?
    };
    Ok(into_ref(vm, coder))
}

#[cpython_api]
fn PyCodec_StreamReader(vm: &VirtualMachine, encoding: *const c_char, stream: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    stream_coder(vm, encoding, 2, stream, errors)
}

#[cpython_api]
fn PyCodec_StreamWriter(vm: &VirtualMachine, encoding: *const c_char, stream: *mut PyObject, errors: *const c_char) -> PyResult<*mut PyObject> {
    stream_coder(vm, encoding, 3, stream, errors)
}

#[cpython_api]
fn PyCodec_RegisterError(vm: &VirtualMachine, name: *const c_char, error: *mut PyObject) -> PyResult<c_int> {
    codecs_call(vm, "register_error", (str_arg(vm, name)?, to_host(vm, error)?))?;
    Ok(0)
}

/// The error handler registered under `name` ("strict" when NULL).
#[cpython_api]
fn PyCodec_LookupError(vm: &VirtualMachine, name: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, codecs_call(vm, "lookup_error", (errors_or_strict(vm, name)?,))?))
}

/// Calls the built-in handler `name` on a Unicode*Error.
fn handle(vm: &VirtualMachine, name: &str, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    let handler = codecs_call(vm, "lookup_error", (name,))?;
    Ok(into_ref(vm, handler.call((to_host(vm, exc)?,), vm)?))
}

#[cpython_api]
fn PyCodec_StrictErrors(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    handle(vm, "strict", exc)
}

#[cpython_api]
fn PyCodec_IgnoreErrors(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    handle(vm, "ignore", exc)
}

#[cpython_api]
fn PyCodec_ReplaceErrors(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    handle(vm, "replace", exc)
}

#[cpython_api]
fn PyCodec_XMLCharRefReplaceErrors(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    handle(vm, "xmlcharrefreplace", exc)
}

#[cpython_api]
fn PyCodec_BackslashReplaceErrors(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    handle(vm, "backslashreplace", exc)
}

#[cpython_api]
fn PyCodec_NameReplaceErrors(vm: &VirtualMachine, exc: *mut PyObject) -> PyResult<*mut PyObject> {
    handle(vm, "namereplace", exc)
}

/// The codec info of a text encoding; LookupError for an unknown or
/// non-text codec (naming `alternate_command`).
#[cpython_api]
fn _PyCodec_LookupTextEncoding(vm: &VirtualMachine, encoding: *const c_char, alternate_command: *const c_char) -> PyResult<*mut PyObject> {
    let name = c_str_arg(vm, encoding)?;
    let alternate = c_str_arg(vm, alternate_command)?;
    Ok(into_ref(vm, lookup_text_encoding(vm, name, alternate)?))
}

/// Encodes through a text encoding ("strict" when `errors` is NULL).
#[cpython_api]
fn _PyCodec_EncodeText(vm: &VirtualMachine, object: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    let name = c_str_arg(vm, encoding)?;
    let info = lookup_text_encoding(vm, name, "codecs.encode()")?;
    let errors = if errors.is_null() { None } else { Some(c_str_arg(vm, errors)?) };
    Ok(into_ref(vm, run_codec(vm, &info, 0, to_host(vm, object)?, errors, name)?))
}

/// Decodes through a text encoding ("strict" when `errors` is NULL).
#[cpython_api]
fn _PyCodec_DecodeText(vm: &VirtualMachine, object: *mut PyObject, encoding: *const c_char, errors: *const c_char) -> PyResult<*mut PyObject> {
    let name = c_str_arg(vm, encoding)?;
    let info = lookup_text_encoding(vm, name, "codecs.decode()")?;
    let errors = if errors.is_null() { None } else { Some(c_str_arg(vm, errors)?) };
    Ok(into_ref(vm, run_codec(vm, &info, 1, to_host(vm, object)?, errors, name)?))
}
