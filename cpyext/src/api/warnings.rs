//! warnings.h. Warnings go through the `warnings` module, so its filters,
//! registries and `catch_warnings` apply as they do for Python code.
use super::c_str_arg;
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::{opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

fn warn(vm: &VirtualMachine, category: *mut PyObject, message: PyObjectRef, stack_level: Py_ssize_t) -> PyResult<c_int> {
    let category = opt_to_host(vm, category)?
        .unwrap_or_else(|| vm.ctx.exceptions.runtime_warning.to_owned().into());
    warn_host(vm, category, message, stack_level).map(|_| 0)
}

/// `warnings.warn(message, category, stack_level)`, for the layer's own
/// warnings (the ones CPython's C code issues).
pub(crate) fn warn_host(vm: &VirtualMachine, category: PyObjectRef, message: PyObjectRef, stack_level: Py_ssize_t) -> PyResult<()> {
    let warn = crate::types::import_for_layer(vm, "warnings")?.get_attr("warn", vm)?;
    warn.call((message, category, vm.ctx.new_int(stack_level.max(1) as i64)), vm)?;
    Ok(())
}

/// Issues a warning through the `warnings` module; -1 when it became an error.
#[cpython_api]
fn PyErr_WarnEx(vm: &VirtualMachine, category: *mut PyObject, message: *const c_char, stack_level: Py_ssize_t) -> PyResult<c_int> {
    let message = vm.ctx.new_str(c_str_arg(vm, message)?);
    warn(vm, category, message.into(), stack_level)
}

/// For `PyErr_WarnFormat` (c_shims/warnings.c): a warning whose message is
/// already a str. Not part of the C API.
#[unsafe(no_mangle)]
pub extern "C" fn cpyext_warn_unicode(category: *mut PyObject, message: *mut PyObject, stack_level: Py_ssize_t) -> c_int {
    crate::boundary::enter_api("PyErr_WarnFormat", true, |vm| {
        let message = to_host(vm, message)?;
        warn(vm, category, message, stack_level)
    })
}

/// `warnings.warn_explicit`: the warning is attributed to `filename` and
/// `lineno` (and `module`, else the module the filename names) instead of
/// the calling frame. A NULL category is `RuntimeWarning`.
#[cpython_api]
unsafe fn PyErr_WarnExplicit(vm: &VirtualMachine, category: *mut PyObject, message: *const c_char, filename: *const c_char, lineno: c_int, module: *const c_char, registry: *mut PyObject) -> PyResult<c_int> {
    let category = opt_to_host(vm, category)?
        .unwrap_or_else(|| vm.ctx.exceptions.runtime_warning.to_owned().into());
    let message = vm.ctx.new_str(c_str_arg(vm, message)?);
    if filename.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let filename = {
        let raw = std::ffi::CStr::from_ptr(filename).to_bytes();
        let bytes: PyObjectRef = vm.ctx.new_bytes(raw.to_vec()).into();
        crate::types::import_for_layer(vm, "os")?.get_attr("fsdecode", vm)?.call((bytes,), vm)?
    };
    // A NULL module or registry is left out, not passed as None: the module
    // is then derived from the filename (an explicit None means no module).
    let mut keywords = KwArgs::default();
    if !module.is_null() {
        keywords.insert("module".into(), vm.ctx.new_str(c_str_arg(vm, module)?).into());
    }
    if let Some(registry) = opt_to_host(vm, registry)? {
        keywords.insert("registry".into(), registry);
    }
    let positional: Vec<PyObjectRef> = vec![message.into(), category, filename, vm.ctx.new_int(lineno).into()];
    let warn_explicit = crate::types::import_for_layer(vm, "warnings")?.get_attr("warn_explicit", vm)?;
    warn_explicit.call(FuncArgs::new(positional, keywords), vm)?;
    Ok(0)
}

/// `warnings.warn_explicit` with objects: `message` is a str or a Warning
/// instance, `module` NULL derives the module from the filename.
#[cpython_api]
fn PyErr_WarnExplicitObject(vm: &VirtualMachine, category: *mut PyObject, message: *mut PyObject, filename: *mut PyObject, lineno: c_int, module: *mut PyObject, registry: *mut PyObject) -> PyResult<c_int> {
    let category = opt_to_host(vm, category)?
        .unwrap_or_else(|| vm.ctx.exceptions.runtime_warning.to_owned().into());
    let message = to_host(vm, message)?;
    let filename = to_host(vm, filename)?;
    let mut keywords = KwArgs::default();
    if let Some(module) = opt_to_host(vm, module)? {
        keywords.insert("module".into(), module);
    }
    if let Some(registry) = opt_to_host(vm, registry)? {
        keywords.insert("registry".into(), registry);
    }
    let positional: Vec<PyObjectRef> = vec![message, category, filename, vm.ctx.new_int(lineno).into()];
    let warn_explicit = crate::types::import_for_layer(vm, "warnings")?.get_attr("warn_explicit", vm)?;
    warn_explicit.call(FuncArgs::new(positional, keywords), vm)?;
    Ok(0)
}
