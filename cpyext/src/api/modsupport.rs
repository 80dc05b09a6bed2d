//! modsupport.h: creating modules and adding to them.
use super::c_str_arg;
use super::moduleobject;
use crate::ffi::{self, PyObject};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyModule;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_long};

#[cpython_api]
unsafe fn PyModule_Create2(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, _apiver: c_int) -> PyResult<*mut PyObject> {
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let module = moduleobject::create_from_def(vm, def)?;
    Ok(into_ref(vm, module))
}

#[cpython_api]
unsafe fn PyModule_AddFunctions(vm: &VirtualMachine, module: *mut PyObject, functions: *mut ffi::PyMethodDef) -> PyResult<c_int> {
    let m = to_host(vm, module)?;
    let name = m.get_attr("__name__", vm)?.str(vm)?.to_string();
    moduleobject::add_functions(vm, &m, functions, &name)?;
    super::methodobject::remember_added_table(&m, functions);
    Ok(0)
}

fn module_arg(vm: &VirtualMachine, module: *mut PyObject, caller: &str) -> PyResult<PyObjectRef> {
    let m = to_host(vm, module)?;
    if m.downcast_ref::<PyModule>().is_none() {
        return Err(vm.new_type_error(format!("{caller}() first argument must be a module")));
    }
    Ok(m)
}

#[cpython_api]
fn PyModule_AddObjectRef(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> PyResult<c_int> {
    let m = module_arg(vm, module, "PyModule_AddObjectRef")?;
    if value.is_null() {
        if !crate::error_indicator::occurred() {
            return Err(vm.new_system_error(
                "PyModule_AddObjectRef() must be called with an exception raised if value is NULL".to_owned(),
            ));
        }
        return Ok(-1);
    }
    let name = c_str_arg(vm, name)?;
    m.set_attr(name, to_host(vm, value)?, vm)?;
    proxy::pin_to_host(vm, value);
    Ok(0)
}

/// Steals `value` only when it succeeds.
#[cpython_api]
unsafe fn PyModule_AddObject(module: *mut PyObject, name: *const c_char, value: *mut PyObject) -> c_int {
    let status = PyModule_AddObjectRef(module, name, value);
    if status == 0 {
        proxy::decref(value);
    }
    status
}

#[cpython_api]
unsafe fn PyModule_AddIntConstant(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: c_long) -> c_int {
    let v = into_ref(vm, vm.ctx.new_int(value).into());
    let status = PyModule_AddObjectRef(module, name, v);
    proxy::decref(v);
    status
}

#[cpython_api]
unsafe fn PyModule_AddStringConstant(vm: &VirtualMachine, module: *mut PyObject, name: *const c_char, value: *const c_char) -> PyResult<c_int> {
    let v = into_ref(vm, vm.ctx.new_str(c_str_arg(vm, value)?).into());
    let status = PyModule_AddObjectRef(module, name, v);
    proxy::decref(v);
    Ok(status)
}

#[cpython_api]
fn PyModule_SetDocString(vm: &VirtualMachine, module: *mut PyObject, doc: *const c_char) -> PyResult<c_int> {
    let m = to_host(vm, module)?;
    m.set_attr("__doc__", vm.ctx.new_str(c_str_arg(vm, doc)?), vm)?;
    Ok(0)
}

/// Adds `type` under its name without the module part (readying it first).
///
/// # Safety
/// `tp` must point to a type object.
#[cpython_api]
unsafe fn PyModule_AddType(vm: &VirtualMachine, module: *mut PyObject, tp: *mut ffi::PyTypeObject) -> PyResult<c_int> {
    // SAFETY: the caller passes a type object.
    let ready = unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_READY as u64 != 0;
    if !ready {
        crate::ctype::ready(vm, tp)?;
    }
    let name = super::typeobject::short_name(tp);
    let name = std::ffi::CString::new(name).map_err(|_| vm.new_value_error("embedded null character".to_owned()))?;
    let status = PyModule_AddObjectRef(module, name.as_ptr(), tp as *mut PyObject);
    Ok(status)
}

/// Multi-phase init by hand: the module `def` describes, for `spec`,
/// before its exec slots run (`PyModule_ExecDef`).
///
/// # Safety
/// `def` must point to a valid module definition that outlives the module.
#[cpython_api]
unsafe fn PyModule_FromDefAndSpec2(vm: &VirtualMachine, def: *mut ffi::PyModuleDef, spec: *mut PyObject, _module_api_version: c_int) -> PyResult<*mut PyObject> {
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    crate::api::moduleobject::PyModuleDef_Init(def);
    let spec = to_host(vm, spec)?;
    let module = moduleobject::module_from_def_and_spec(vm, def, &spec)?;
    Ok(into_ref(vm, module))
}

/// # Safety
/// `def` must point to a valid module definition.
#[cpython_api]
unsafe fn PyModule_ExecDef(vm: &VirtualMachine, module: *mut PyObject, def: *mut ffi::PyModuleDef) -> PyResult<c_int> {
    let module = to_host(vm, module)?;
    if def.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a valid definition.
    unsafe { moduleobject::exec_def(vm, &module, def)? };
    Ok(0)
}
