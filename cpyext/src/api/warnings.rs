//! warnings.h.
use super::c_str_arg;
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::opt_to_host;
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// Issues a warning through the `warnings` module; -1 when it became an error.
#[cpython_api]
fn PyErr_WarnEx(vm: &VirtualMachine, category: *mut PyObject, message: *const c_char, stack_level: Py_ssize_t) -> PyResult<c_int> {
    let category = opt_to_host(vm, category)?
        .unwrap_or_else(|| vm.ctx.exceptions.runtime_warning.to_owned().into());
    let message = vm.ctx.new_str(c_str_arg(vm, message)?);
    let warn = vm.import("warnings", 0)?.get_attr("warn", vm)?;
    warn.call((message, category, vm.ctx.new_int(stack_level.max(1) as i64)), vm)?;
    Ok(0)
}
