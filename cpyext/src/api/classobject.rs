//! classobject.h: bound methods (`types.MethodType`).
use crate::borrow::borrowed;
use crate::ffi::{self, PyObject};
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};

/// `types.MethodType(func, self)`; `self` may not be NULL.
#[cpython_api]
fn PyMethod_New(vm: &VirtualMachine, func: *mut PyObject, self_object: *mut PyObject) -> PyResult<*mut PyObject> {
    if self_object.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let func = to_host(vm, func)?;
    let self_object = to_host(vm, self_object)?;
    let method = vm.ctx.types.bound_method_type.as_object().call((func, self_object), vm)?;
    Ok(into_ref(vm, method))
}

fn method(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<PyObjectRef> {
    let m = to_host(vm, op)?;
    if !m.class().is(vm.ctx.types.bound_method_type) {
        return Err(super::bad_internal_call(vm));
    }
    Ok(m)
}

/// Borrowed: the method's function (valid while the method lives).
#[cpython_api]
fn PyMethod_Function(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let function = method(vm, op)?.get_attr("__func__", vm)?;
    Ok(borrowed(vm, &function))
}

/// Borrowed: the object the method is bound to.
#[cpython_api]
fn PyMethod_Self(vm: &VirtualMachine, op: *mut PyObject) -> PyResult<*mut PyObject> {
    let bound = method(vm, op)?.get_attr("__self__", vm)?;
    Ok(borrowed(vm, &bound))
}

/// `instancemethod`: a callable that binds like a function. The host has
/// no such type, so it is a C type of the layer's own (as capsules are),
/// laid out as CPython's `PyInstanceMethodObject`; readied on first use.
#[unsafe(no_mangle)]
pub static mut PyInstanceMethod_Type: ffi::PyTypeObject = unsafe { std::mem::zeroed() };
inventory::submit! { crate::boundary::ApiData { name: "PyInstanceMethod_Type" } }

static INSTANCE_METHOD_READY: std::sync::Once = std::sync::Once::new();

static mut INSTANCE_METHOD_MEMBERS: [ffi::PyMemberDef; 2] = [
    ffi::PyMemberDef {
        name: c"__func__".as_ptr(),
        type_: ffi::T_OBJECT as std::ffi::c_int,
        offset: std::mem::offset_of!(ffi::PyInstanceMethodObject, func) as ffi::Py_ssize_t,
        flags: ffi::READONLY as std::ffi::c_int,
        doc: std::ptr::null(),
    },
    ffi::PyMemberDef { name: std::ptr::null(), type_: 0, offset: 0, flags: 0, doc: std::ptr::null() },
];

/// `__doc__` is the function's.
unsafe extern "C" fn instance_method_doc(o: *mut PyObject, _closure: *mut std::ffi::c_void) -> *mut PyObject {
    // SAFETY: `o` is an instancemethod, whose func is set.
    unsafe { super::object::PyObject_GetAttrString((*(o as *mut ffi::PyInstanceMethodObject)).func, c"__doc__".as_ptr()) }
}

static mut INSTANCE_METHOD_GETSETS: [ffi::PyGetSetDef; 2] = [
    ffi::PyGetSetDef {
        name: c"__doc__".as_ptr(),
        get: Some(instance_method_doc),
        set: None,
        doc: std::ptr::null(),
        closure: std::ptr::null_mut(),
    },
    ffi::PyGetSetDef { name: std::ptr::null(), get: None, set: None, doc: std::ptr::null(), closure: std::ptr::null_mut() },
];

unsafe extern "C" fn instance_method_dealloc(o: *mut PyObject) {
    // SAFETY: called by the layer on an instancemethod whose last
    // reference went; `func` is the reference it owns.
    unsafe {
        let im = o as *mut ffi::PyInstanceMethodObject;
        crate::proxy::xdecref(std::mem::replace(&mut (*im).func, std::ptr::null_mut()));
        super::objimpl::PyObject_Free(o as *mut std::ffi::c_void);
    }
}

unsafe extern "C" fn instance_method_call(o: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    // SAFETY: `o` is an instancemethod, whose func is set.
    unsafe { super::r#abstract::PyObject_Call((*(o as *mut ffi::PyInstanceMethodObject)).func, args, kwargs) }
}

/// Through the class: the function itself; through an instance: a bound
/// method (None counts as no instance).
unsafe extern "C" fn instance_method_get(o: *mut PyObject, obj: *mut PyObject, _cls: *mut PyObject) -> *mut PyObject {
    // SAFETY: `o` is an instancemethod, whose func is set.
    let func = unsafe { (*(o as *mut ffi::PyInstanceMethodObject)).func };
    if obj.is_null() || obj == &raw mut crate::types::_Py_NoneStruct {
        crate::proxy::incref(func);
        return func;
    }
    // SAFETY: both are live objects.
    unsafe { PyMethod_New(func, obj) }
}

/// Attributes of the type first, then the function's (`__name__`, `__doc__`).
/// `__module__` is the function's too: CPython's static type has none in its
/// dict, where the host class keeps one.
unsafe extern "C" fn instance_method_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: live objects, passed on.
    unsafe {
        let func = (*(o as *mut ffi::PyInstanceMethodObject)).func;
        if super::unicodeobject::PyUnicode_CompareWithASCIIString(name, c"__module__".as_ptr()) == 0 {
            return super::object::PyObject_GetAttr(func, name);
        }
        let found = super::object::PyObject_GenericGetAttr(o, name);
        if !found.is_null() || super::pyerrors::PyErr_ExceptionMatches(crate::types::PyExc_AttributeError) == 0 {
            return found;
        }
        super::pyerrors::PyErr_Clear();
        super::object::PyObject_GetAttr(func, name)
    }
}

fn ready_instance_method_type(vm: &VirtualMachine) -> PyResult<()> {
    let mut result = Ok(());
    INSTANCE_METHOD_READY.call_once(|| {
        let tp = &raw mut PyInstanceMethod_Type;
        // SAFETY: the static is filled once, here, before anything uses it.
        unsafe {
            (*tp).ob_base.ob_base.ob_refcnt = 1;
            (*tp).tp_name = c"instancemethod".as_ptr();
            (*tp).tp_doc = c"Bind a function to a class.".as_ptr();
            (*tp).tp_basicsize = size_of::<ffi::PyInstanceMethodObject>() as ffi::Py_ssize_t;
            (*tp).tp_flags = ffi::Py_TPFLAGS_DEFAULT as u64;
            (*tp).tp_dealloc = Some(instance_method_dealloc);
            (*tp).tp_call = Some(instance_method_call);
            (*tp).tp_descr_get = Some(instance_method_get);
            (*tp).tp_getattro = Some(instance_method_getattro);
            (*tp).tp_members = (&raw mut INSTANCE_METHOD_MEMBERS).cast();
            (*tp).tp_getset = (&raw mut INSTANCE_METHOD_GETSETS).cast();
        }
        result = crate::ctype::ready(vm, tp);
    });
    result
}

/// An instancemethod wrapping `func` (any callable).
#[cpython_api]
fn PyInstanceMethod_New(vm: &VirtualMachine, func: *mut PyObject) -> PyResult<*mut PyObject> {
    if func.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    ready_instance_method_type(vm)?;
    let o = crate::ctype::alloc_instance(vm, &raw mut PyInstanceMethod_Type, 0)?;
    crate::proxy::incref(func);
    // SAFETY: `o` is a fresh instancemethod struct.
    unsafe { (*(o as *mut ffi::PyInstanceMethodObject)).func = func };
    Ok(o)
}

/// Borrowed: the function an instancemethod wraps.
#[cpython_api]
fn PyInstanceMethod_Function(vm: &VirtualMachine, im: *mut PyObject) -> PyResult<*mut PyObject> {
    // SAFETY: a non-NULL object's ob_type is a type object.
    if im.is_null() || unsafe { (*im).ob_type } != &raw mut PyInstanceMethod_Type {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: checked to be an instancemethod.
    Ok(unsafe { (*(im as *mut ffi::PyInstanceMethodObject)).func })
}
