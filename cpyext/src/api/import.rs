//! import.h.
use super::c_str_arg;
use crate::borrow::borrowed;
use crate::ffi::PyObject;
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::c_char;

/// `import name` and the module `name` names (for "a.b", module b).
fn import(vm: &VirtualMachine, name: &str) -> PyResult<PyObjectRef> {
    let module_name = vm.ctx.new_str(name);
    vm.import(&module_name, 0)?;
    vm.sys_module.get_attr("modules", vm)?.get_item(name, vm)
}

#[cpython_api]
fn PyImport_ImportModule(vm: &VirtualMachine, name: *const c_char) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, import(vm, c_str_arg(vm, name)?)?))
}

#[cpython_api]
fn PyImport_Import(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = to_host(vm, name)?;
    let Some(name) = name.downcast_ref::<rustpython_vm::builtins::PyStr>() else {
        return Err(vm.new_type_error(format!("module name must be str, not {}", name.class().name())));
    };
    Ok(into_ref(vm, import(vm, &name.to_string())?))
}

/// Borrowed: the module in sys.modules, made (empty) if it is not there.
#[cpython_api]
fn PyImport_AddModuleObject(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = to_host(vm, name)?.str(vm)?;
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let module = match modules.get_item(name.expect_str(), vm) {
        Ok(m) if m.downcast_ref::<rustpython_vm::builtins::PyModule>().is_some() => m,
        _ => {
            let m = super::moduleobject::new_module(vm, name.expect_str());
            modules.set_item(name.expect_str(), m.clone(), vm)?;
            m
        }
    };
    let p = borrowed(vm, &module);
    proxy::make_immortal(p);
    Ok(p)
}

#[cpython_api]
unsafe fn PyImport_AddModule(vm: &VirtualMachine, name: *const c_char) -> PyResult<*mut PyObject> {
    let name = into_ref(vm, vm.ctx.new_str(c_str_arg(vm, name)?).into());
    let module = PyImport_AddModuleObject(name);
    proxy::decref(name);
    Ok(module)
}

/// Borrowed: sys.modules.
#[cpython_api]
fn PyImport_GetModuleDict(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    let p = borrowed(vm, &vm.sys_module.get_attr("modules", vm)?);
    proxy::make_immortal(p);
    Ok(p)
}

/// A new reference from sys.modules, or NULL (no error) when absent.
#[cpython_api]
fn PyImport_GetModule(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = to_host(vm, name)?;
    let modules = vm.sys_module.get_attr("modules", vm)?;
    Ok(match modules.get_item(&*name, vm) {
        Ok(m) => into_ref(vm, m),
        Err(e) if e.fast_isinstance(vm.ctx.exceptions.key_error) => std::ptr::null_mut(),
        Err(e) => return Err(e),
    })
}
