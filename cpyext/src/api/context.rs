//! cpython/context.h: context variables (PEP 567) on the host's
//! `_contextvars`.
use crate::ffi::PyObject;
use crate::proxy::{self, into_ref, to_host};
use crate::types;
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// The object behind `op` if its type is exactly `tp`, else CPython's
/// TypeError ("an instance of {what} was expected").
fn exactly(vm: &VirtualMachine, op: *mut PyObject, tp: *mut crate::ffi::PyTypeObject, what: &str) -> PyResult<PyObjectRef> {
    // SAFETY: a non-NULL proxy's ob_type is a type object.
    if op.is_null() || unsafe { (*op).ob_type } != tp {
        return Err(vm.new_type_error(format!("an instance of {what} was expected")));
    }
    to_host(vm, op)
}

fn context_class(vm: &VirtualMachine) -> PyResult<PyObjectRef> {
    to_host(vm, &raw mut types::PyContext_Type as *mut PyObject)
}

/// A new, empty context.
#[cpython_api]
fn PyContext_New(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, context_class(vm)?.call((), vm)?))
}

#[cpython_api]
fn PyContext_Copy(vm: &VirtualMachine, ctx: *mut PyObject) -> PyResult<*mut PyObject> {
    let ctx = exactly(vm, ctx, &raw mut types::PyContext_Type, "Context")?;
    Ok(into_ref(vm, vm.call_method(&ctx, "copy", ())?))
}

/// A copy of the current thread's context (`contextvars.copy_context()`).
#[cpython_api]
fn PyContext_CopyCurrent(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    let copy = crate::types::import_for_layer(vm, "_contextvars")?.get_attr("copy_context", vm)?.call((), vm)?;
    Ok(into_ref(vm, copy))
}

/// Makes `ctx` the current context of this thread until `PyContext_Exit`.
#[cpython_api]
fn PyContext_Enter(vm: &VirtualMachine, ctx: *mut PyObject) -> PyResult<c_int> {
    let ctx = exactly(vm, ctx, &raw mut types::PyContext_Type, "Context")?;
    let mut stack = vm.context_stack.borrow_mut();
    if stack.iter().any(|c| c.is(&ctx)) {
        drop(stack);
        return Err(vm.new_runtime_error(format!("cannot enter context: {} is already entered", ctx.repr(vm)?)));
    }
    stack.push(ctx);
    Ok(0)
}

/// Leaves `ctx`, which must be the current context.
#[cpython_api]
fn PyContext_Exit(vm: &VirtualMachine, ctx: *mut PyObject) -> PyResult<c_int> {
    let ctx = exactly(vm, ctx, &raw mut types::PyContext_Type, "Context")?;
    let mut stack = vm.context_stack.borrow_mut();
    if !stack.iter().any(|c| c.is(&ctx)) {
        drop(stack);
        return Err(vm.new_runtime_error(format!("cannot exit context: {} has not been entered", ctx.repr(vm)?)));
    }
    if !stack.last().is_some_and(|c| c.is(&ctx)) {
        return Err(vm.new_runtime_error("cannot exit context: thread state references a different context object".to_owned()));
    }
    let left = stack.pop();
    drop(stack);
    drop(left); // outside the borrow: dropping may run Python code
    Ok(0)
}

/// `contextvars.ContextVar(name)`, with `default` when not NULL.
#[cpython_api]
fn PyContextVar_New(vm: &VirtualMachine, name: *const c_char, default: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = vm.ctx.new_str(super::c_str_arg(vm, name)?);
    let class = to_host(vm, &raw mut types::PyContextVar_Type as *mut PyObject)?;
    let mut args = rustpython_vm::function::FuncArgs::from(vec![name.into()]);
    if let Some(default) = proxy::opt_to_host(vm, default)? {
        args.kwargs.insert("default".into(), default);
    }
    let var = class.call(args, vm)?;
    Ok(into_ref(vm, var))
}

/// The variable's value in the current context, else `default`, else the
/// variable's default, else NULL; always 0 unless an error occurs.
///
/// # Safety
/// `value` must be writable.
#[cpython_api]
unsafe fn PyContextVar_Get(vm: &VirtualMachine, var: *mut PyObject, default: *mut PyObject, value: *mut *mut PyObject) -> PyResult<c_int> {
    let var = exactly(vm, var, &raw mut types::PyContextVar_Type, "ContextVar")?;
    let found = match proxy::opt_to_host(vm, default)? {
        Some(default) => Some(vm.call_method(&var, "get", (default,))?),
        None => match vm.call_method(&var, "get", ()) {
            Ok(v) => Some(v),
            Err(e) if e.fast_isinstance(vm.ctx.exceptions.lookup_error) => None,
            Err(e) => return Err(e),
        },
    };
    // SAFETY: the caller passes a writable pointer.
    unsafe { *value = found.map_or(std::ptr::null_mut(), |v| into_ref(vm, v)) };
    Ok(0)
}

/// Sets the variable in the current context; returns the Token that
/// `PyContextVar_Reset` takes.
#[cpython_api]
fn PyContextVar_Set(vm: &VirtualMachine, var: *mut PyObject, value: *mut PyObject) -> PyResult<*mut PyObject> {
    let var = exactly(vm, var, &raw mut types::PyContextVar_Type, "ContextVar")?;
    let value = to_host(vm, value)?;
    Ok(into_ref(vm, vm.call_method(&var, "set", (value,))?))
}

#[cpython_api]
fn PyContextVar_Reset(vm: &VirtualMachine, var: *mut PyObject, token: *mut PyObject) -> PyResult<c_int> {
    let var = exactly(vm, var, &raw mut types::PyContextVar_Type, "ContextVar")?;
    let token = exactly(vm, token, &raw mut types::PyContextToken_Type, "Token")?;
    // Checked here for CPython's message, which names the token.
    let used = vm.call_method(&token, "__repr__", ())?.str(vm)?.to_string().starts_with("<Token used");
    if !used && !token.get_attr("var", vm)?.is(&var) {
        return Err(vm.new_value_error(format!("{} was created by a different ContextVar", token.repr(vm)?)));
    }
    vm.call_method(&var, "reset", (token,))?;
    Ok(0)
}
