//! genericaliasobject.h: `types.GenericAlias`.
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyResult, VirtualMachine};

/// `types.GenericAlias(origin, args)` (a non-tuple `args` is one argument).
#[cpython_api]
fn Py_GenericAlias(vm: &VirtualMachine, origin: *mut PyObject, args: *mut PyObject) -> PyResult<*mut PyObject> {
    let origin = to_host(vm, origin)?;
    let args = to_host(vm, args)?;
    let alias = vm.ctx.types.generic_alias_type.as_object().call((origin, args), vm)?;
    Ok(into_ref(vm, alias))
}
