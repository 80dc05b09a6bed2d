//! pythonrun.h: running Python source from C.
use super::c_str_arg;
use crate::ffi::{self, PyObject};
use crate::proxy::{into_ref, opt_to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// Runs `source` as a module body (Py_file_input), an expression
/// (Py_eval_input) or an interactive statement (Py_single_input), with the
/// given namespaces; returns the expression's value or None.
#[cpython_api]
fn PyRun_StringFlags(vm: &VirtualMachine, source: *const c_char, start: c_int, globals: *mut PyObject, locals: *mut PyObject, _flags: *mut ffi::PyCompilerFlags) -> PyResult<*mut PyObject> {
    let source = vm.ctx.new_str(c_str_arg(vm, source)?);
    let globals = opt_to_host(vm, globals)?.unwrap_or_else(|| vm.ctx.none());
    let locals = opt_to_host(vm, locals)?.unwrap_or_else(|| globals.clone());
    let (mode, runner) = match start as u32 {
        ffi::Py_eval_input => ("eval", "eval"),
        ffi::Py_file_input => ("exec", "exec"),
        ffi::Py_single_input => ("single", "exec"),
        _ => return Err(vm.new_system_error("invalid input type for PyRun_String".to_owned())),
    };
    let code = vm.builtins.get_attr("compile", vm)?.call((source, "<string>", mode), vm)?;
    let result = vm.builtins.get_attr(runner, vm)?.call((code, globals, locals), vm)?;
    Ok(into_ref(vm, result))
}
