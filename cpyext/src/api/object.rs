//! object.h: reference counting, identity, the generic object protocol.
use super::{bad_internal_call, c_str_arg};
use crate::ffi::{self, PyObject, PyTypeObject, Py_hash_t};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyType;
use rustpython_vm::types::PyComparisonOp;
use rustpython_vm::{AsObject, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_ulong};

#[cpython_api]
fn _Py_Dealloc(op: *mut PyObject) {
    proxy::dealloc(op)
}

#[cpython_api]
fn Py_Is(x: *mut PyObject, y: *mut PyObject) -> c_int {
    (x == y) as c_int
}

#[cpython_api]
fn Py_IsNone(x: *mut PyObject) -> c_int {
    (x == &raw mut crate::types::_Py_NoneStruct) as c_int
}

#[cpython_api]
fn Py_IsTrue(x: *mut PyObject) -> c_int {
    (x == &raw mut crate::types::_Py_TrueStruct as *mut PyObject) as c_int
}

#[cpython_api]
fn Py_IsFalse(x: *mut PyObject) -> c_int {
    (x == &raw mut crate::types::_Py_FalseStruct as *mut PyObject) as c_int
}

#[cpython_api]
fn PyType_IsSubtype(vm: &VirtualMachine, a: *mut PyTypeObject, b: *mut PyTypeObject) -> PyResult<c_int> {
    if a == b {
        return Ok(1);
    }
    let a = to_host(vm, a as *mut PyObject)?;
    let b = to_host(vm, b as *mut PyObject)?;
    match (a.downcast_ref::<PyType>(), b.downcast_ref::<PyType>()) {
        (Some(a), Some(b)) => Ok(a.fast_issubclass(b) as c_int),
        _ => Err(bad_internal_call(vm)),
    }
}

#[cpython_api]
unsafe fn PyType_GetFlags(t: *mut PyTypeObject) -> c_ulong {
    (*t).tp_flags
}

#[cpython_api]
fn PyObject_Repr(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Ok(into_ref(vm, vm.ctx.new_str("<NULL>").into()));
    }
    let repr = to_host(vm, o)?.repr(vm)?;
    Ok(into_ref(vm, repr.into()))
}

/// `ascii(o)`; "<NULL>" for NULL, as `PyObject_Repr` does.
#[cpython_api]
fn PyObject_ASCII(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Ok(into_ref(vm, vm.ctx.new_str("<NULL>").into()));
    }
    let ascii = vm.builtins.get_attr("ascii", vm)?.call((to_host(vm, o)?,), vm)?;
    Ok(into_ref(vm, ascii))
}

#[cpython_api]
fn PyObject_Str(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut PyObject> {
    if o.is_null() {
        return Ok(into_ref(vm, vm.ctx.new_str("<NULL>").into()));
    }
    let s = to_host(vm, o)?.str(vm)?;
    Ok(into_ref(vm, s.into()))
}

fn comparison_op(vm: &VirtualMachine, op: c_int) -> PyResult<PyComparisonOp> {
    Ok(match op as u32 {
        ffi::Py_LT => PyComparisonOp::Lt,
        ffi::Py_LE => PyComparisonOp::Le,
        ffi::Py_EQ => PyComparisonOp::Eq,
        ffi::Py_NE => PyComparisonOp::Ne,
        ffi::Py_GT => PyComparisonOp::Gt,
        ffi::Py_GE => PyComparisonOp::Ge,
        _ => return Err(bad_internal_call(vm)),
    })
}

#[cpython_api]
fn PyObject_RichCompare(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<*mut PyObject> {
    let op = comparison_op(vm, op)?;
    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
    Ok(into_ref(vm, a.rich_compare(b, op, vm)?))
}

#[cpython_api]
fn PyObject_RichCompareBool(vm: &VirtualMachine, a: *mut PyObject, b: *mut PyObject, op: c_int) -> PyResult<c_int> {
    let op = comparison_op(vm, op)?;
    // Identity implies equality here, as in CPython (so nan == nan).
    if a == b {
        match op {
            PyComparisonOp::Eq => return Ok(1),
            PyComparisonOp::Ne => return Ok(0),
            _ => {}
        }
    }
    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
    Ok(a.rich_compare(b, op, vm)?.is_true(vm)? as c_int)
}

fn attr_name(vm: &VirtualMachine, name: *const c_char) -> PyResult<rustpython_vm::builtins::PyStrRef> {
    Ok(vm.ctx.new_str(c_str_arg(vm, name)?))
}

fn name_object(vm: &VirtualMachine, name: *mut PyObject) -> PyResult<rustpython_vm::builtins::PyStrRef> {
    let name = to_host(vm, name)?;
    name.downcast::<rustpython_vm::builtins::PyStr>().map_err(|n| {
        vm.new_type_error(format!("attribute name must be string, not '{}'", n.class().name()))
    })
}

#[cpython_api]
fn PyObject_GetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = name_object(vm, name)?;
    Ok(into_ref(vm, to_host(vm, o)?.get_attr(&name, vm)?))
}

#[cpython_api]
fn PyObject_GetAttrString(vm: &VirtualMachine, o: *mut PyObject, name: *const c_char) -> PyResult<*mut PyObject> {
    let name = attr_name(vm, name)?;
    Ok(into_ref(vm, to_host(vm, o)?.get_attr(&name, vm)?))
}

fn set_or_delete(vm: &VirtualMachine, o: *mut PyObject, name: rustpython_vm::builtins::PyStrRef, v: *mut PyObject) -> PyResult<c_int> {
    let o = to_host(vm, o)?;
    if v.is_null() {
        o.del_attr(&name, vm)?;
    } else {
        o.set_attr(&name, to_host(vm, v)?, vm)?;
        crate::proxy::pin_to_host(vm, v);
    }
    Ok(0)
}

#[cpython_api]
fn PyObject_SetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> PyResult<c_int> {
    let name = name_object(vm, name)?;
    set_or_delete(vm, o, name, v)
}

#[cpython_api]
fn PyObject_SetAttrString(vm: &VirtualMachine, o: *mut PyObject, name: *const c_char, v: *mut PyObject) -> PyResult<c_int> {
    let name = attr_name(vm, name)?;
    set_or_delete(vm, o, name, v)
}

/// CPython's HasAttr functions report any failure as "no such attribute".
#[cpython_api]
fn PyObject_HasAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject) -> c_int {
    let found = || -> PyResult<bool> {
        let name = name_object(vm, name)?;
        Ok(to_host(vm, o)?.get_attr(&name, vm).is_ok())
    };
    found().unwrap_or(false) as c_int
}

#[cpython_api]
fn PyObject_HasAttrString(vm: &VirtualMachine, o: *mut PyObject, name: *const c_char) -> c_int {
    let found = || -> PyResult<bool> {
        let name = attr_name(vm, name)?;
        Ok(to_host(vm, o)?.get_attr(&name, vm).is_ok())
    };
    found().unwrap_or(false) as c_int
}

#[cpython_api]
fn PyObject_Hash(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_hash_t> {
    let hash = to_host(vm, o)?.hash(vm)?;
    // -1 is the error value, so a hash of -1 is reported as -2.
    Ok(if hash == -1 { -2 } else { hash as Py_hash_t })
}

#[cpython_api]
fn PyObject_IsTrue(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    Ok(to_host(vm, o)?.is_true(vm)? as c_int)
}

#[cpython_api]
fn PyObject_Not(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    Ok(!to_host(vm, o)?.is_true(vm)? as c_int)
}

#[cpython_api]
fn PyCallable_Check(vm: &VirtualMachine, o: *mut PyObject) -> c_int {
    if o.is_null() {
        return 0;
    }
    to_host(vm, o).map(|o| o.is_callable()).unwrap_or(false) as c_int
}


/// Attribute lookup without the type's own tp_getattro: `object.__getattribute__`.
#[cpython_api]
fn PyObject_GenericGetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject) -> PyResult<*mut PyObject> {
    let name = name_object(vm, name)?;
    let generic = vm.ctx.types.object_type.as_object().get_attr("__getattribute__", vm)?;
    Ok(into_ref(vm, generic.call((to_host(vm, o)?, name), vm)?))
}

#[cpython_api]
fn PyObject_GenericSetAttr(vm: &VirtualMachine, o: *mut PyObject, name: *mut PyObject, value: *mut PyObject) -> PyResult<c_int> {
    let name = name_object(vm, name)?;
    let o = to_host(vm, o)?;
    let object_type = vm.ctx.types.object_type.as_object();
    if value.is_null() {
        object_type.get_attr("__delattr__", vm)?.call((o, name), vm)?;
    } else {
        object_type.get_attr("__setattr__", vm)?.call((o, name, to_host(vm, value)?), vm)?;
    }
    Ok(0)
}

/// The tp_hash of unhashable types.
#[cpython_api]
fn PyObject_HashNotImplemented(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<Py_hash_t> {
    let o = to_host(vm, o)?;
    Err(vm.new_type_error(format!("unhashable type: '{}'", o.class().name())))
}

/// The tp_iter of iterators: the object itself.
#[cpython_api]
fn PyObject_SelfIter(o: *mut PyObject) -> *mut PyObject {
    proxy::incref(o);
    o
}

/// Writes the object's repr (or str, with Py_PRINT_RAW) to a C stream.
#[cpython_api]
unsafe fn PyObject_Print(vm: &VirtualMachine, o: *mut PyObject, fp: *mut libc::FILE, flags: c_int) -> PyResult<c_int> {
    let text = if o.is_null() {
        "<nil>".to_owned()
    } else {
        let o = to_host(vm, o)?;
        if flags & 1 != 0 { o.str(vm)?.to_string() } else { o.repr(vm)?.to_string() }
    };
    let text = std::ffi::CString::new(text).map_err(|_| vm.new_value_error("embedded null character".to_owned()))?;
    if libc::fputs(text.as_ptr(), fp) < 0 {
        return Err(vm.new_os_error("cannot write to the stream".to_owned()));
    }
    Ok(0)
}
