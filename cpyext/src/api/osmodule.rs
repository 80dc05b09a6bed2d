//! osmodule.h: os.fspath() from C.
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyBytes, PyStr};
use rustpython_vm::{PyResult, VirtualMachine};

/// str and bytes as they are; else type(path).__fspath__(path), which must
/// give str or bytes.
#[cpython_api]
fn PyOS_FSPath(vm: &VirtualMachine, path: *mut PyObject) -> PyResult<*mut PyObject> {
    let path = to_host(vm, path)?;
    if path.downcast_ref::<PyStr>().is_some() || path.downcast_ref::<PyBytes>().is_some() {
        return Ok(into_ref(vm, path));
    }
    let class = path.class().to_owned();
    let Some(fspath) = class.get_attr(vm.ctx.intern_str("__fspath__")) else {
        return Err(vm.new_type_error(format!("expected str, bytes or os.PathLike object, not {}", class.name())));
    };
    let result = fspath.call((path,), vm)?;
    if result.downcast_ref::<PyStr>().is_none() && result.downcast_ref::<PyBytes>().is_none() {
        return Err(vm.new_type_error(format!(
            "expected {}.__fspath__() to return str or bytes, not {}",
            class.name(),
            result.class().name()
        )));
    }
    Ok(into_ref(vm, result))
}
