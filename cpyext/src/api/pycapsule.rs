//! pycapsule.h: capsules, a C type of the layer's own (readied like any
//! extension's), so that they carry their pointer in C memory.
use super::{bad_internal_call, c_str_arg};
use crate::boundary::ApiData;
use crate::ffi::{self, PyObject, PyTypeObject};
use crate::methods::c_str;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int, c_void};

#[repr(C)]
struct Capsule {
    ob_base: PyObject,
    pointer: *mut c_void,
    name: *const c_char,
    context: *mut c_void,
    destructor: ffi::PyCapsule_Destructor,
}

#[unsafe(no_mangle)]
pub static mut PyCapsule_Type: PyTypeObject = unsafe { std::mem::zeroed() };
inventory::submit! { ApiData { name: "PyCapsule_Type" } }

unsafe extern "C" fn capsule_dealloc(o: *mut PyObject) {
    unsafe {
        let c = o as *mut Capsule;
        if let Some(destructor) = (*c).destructor {
            destructor(o);
        }
        crate::api::objimpl::PyObject_Free(o as *mut c_void);
    }
}

unsafe extern "C" fn capsule_repr(o: *mut PyObject) -> *mut PyObject {
    crate::boundary::enter_api("capsule.__repr__", true, |vm| unsafe {
        let c = o as *mut Capsule;
        let name = match c_str((*c).name) {
            Some(n) => format!("\"{n}\""),
            None => "NULL".to_owned(),
        };
        Ok(into_ref(vm, vm.ctx.new_str(format!("<capsule object {name} at {o:p}>")).into()))
    })
}

/// Readies the capsule type (with the other start-up work).
pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    unsafe {
        let tp = &raw mut PyCapsule_Type;
        (*tp).ob_base.ob_base.ob_refcnt = 1;
        (*tp).tp_name = c"PyCapsule".as_ptr();
        (*tp).tp_doc = c"Capsule objects let you wrap a C \"void *\" pointer in a Python object.".as_ptr();
        (*tp).tp_basicsize = size_of::<Capsule>() as ffi::Py_ssize_t;
        (*tp).tp_flags = ffi::Py_TPFLAGS_DEFAULT as u64;
        (*tp).tp_dealloc = Some(capsule_dealloc);
        (*tp).tp_repr = Some(capsule_repr);
        crate::ctype::ready(vm, tp)
    }
}

fn names_match(a: *const c_char, b: *const c_char) -> bool {
    match (unsafe { c_str(a) }, unsafe { c_str(b) }) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// The capsule behind `o` if it is one whose name is `name`, else the
/// ValueError CPython raises.
unsafe fn capsule(vm: &VirtualMachine, o: *mut PyObject, name: *const c_char, what: &str) -> PyResult<*mut Capsule> {
    unsafe {
        if o.is_null() || (*o).ob_type != &raw mut PyCapsule_Type || (*(o as *mut Capsule)).pointer.is_null() {
            return Err(vm.new_value_error(format!("{what} called with invalid PyCapsule object")));
        }
        let c = o as *mut Capsule;
        if !names_match((*c).name, name) {
            return Err(vm.new_value_error(format!("{what} called with incorrect name")));
        }
        Ok(c)
    }
}

#[cpython_api]
unsafe fn PyCapsule_New(vm: &VirtualMachine, pointer: *mut c_void, name: *const c_char, destructor: ffi::PyCapsule_Destructor) -> PyResult<*mut PyObject> {
    if pointer.is_null() {
        return Err(vm.new_value_error("PyCapsule_New called with null pointer".to_owned()));
    }
    let o = crate::ctype::alloc_instance(vm, &raw mut PyCapsule_Type, 0)?;
    let c = o as *mut Capsule;
    (*c).pointer = pointer;
    (*c).name = name;
    (*c).destructor = destructor;
    Ok(o)
}

/// Also without the GIL, as CPython's is in practice a read of C memory
/// (numpy calls it inside `Py_BEGIN_ALLOW_THREADS`): then a capsule of
/// another name, or not a capsule, gives NULL with no exception set.
#[cpython_api(no_gil)]
unsafe fn PyCapsule_GetPointer(o: *mut PyObject, name: *const c_char) -> PyResult<*mut c_void> {
    super::read_maybe_without_gil(
        // SAFETY: C passes an object it holds (I8), or NULL.
        |vm| Ok(unsafe { (*capsule(vm, o, name, "PyCapsule_GetPointer")?).pointer }),
        // SAFETY: as above; a capsule's fields are C memory of its own.
        || unsafe {
            let is_capsule = !o.is_null() && (*o).ob_type == &raw mut PyCapsule_Type;
            if is_capsule && names_match((*(o as *mut Capsule)).name, name) {
                (*(o as *mut Capsule)).pointer
            } else {
                std::ptr::null_mut()
            }
        },
    )
}

#[cpython_api]
unsafe fn PyCapsule_GetName(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*const c_char> {
    let c = o as *mut Capsule;
    let name = if o.is_null() { std::ptr::null() } else { (*c).name };
    Ok((*capsule(vm, o, name, "PyCapsule_GetName")?).name)
}

#[cpython_api]
unsafe fn PyCapsule_GetContext(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut c_void> {
    let name = if o.is_null() { std::ptr::null() } else { (*(o as *mut Capsule)).name };
    Ok((*capsule(vm, o, name, "PyCapsule_GetContext")?).context)
}

#[cpython_api]
unsafe fn PyCapsule_SetContext(vm: &VirtualMachine, o: *mut PyObject, context: *mut c_void) -> PyResult<c_int> {
    let name = if o.is_null() { std::ptr::null() } else { (*(o as *mut Capsule)).name };
    (*capsule(vm, o, name, "PyCapsule_SetContext")?).context = context;
    Ok(0)
}

#[cpython_api]
unsafe fn PyCapsule_SetPointer(vm: &VirtualMachine, o: *mut PyObject, pointer: *mut c_void) -> PyResult<c_int> {
    if pointer.is_null() {
        return Err(vm.new_value_error("PyCapsule_SetPointer called with null pointer".to_owned()));
    }
    let name = if o.is_null() { std::ptr::null() } else { (*(o as *mut Capsule)).name };
    (*capsule(vm, o, name, "PyCapsule_SetPointer")?).pointer = pointer;
    Ok(0)
}

/// 1 if `o` is a valid capsule named `name`; never sets an exception.
#[cpython_api]
unsafe fn PyCapsule_IsValid(o: *mut PyObject, name: *const c_char) -> c_int {
    (!o.is_null()
        && (*o).ob_type == &raw mut PyCapsule_Type
        && !(*(o as *mut Capsule)).pointer.is_null()
        && names_match((*(o as *mut Capsule)).name, name)) as c_int
}

/// Imports "package.module.attribute" and returns the capsule's pointer.
#[cpython_api]
unsafe fn PyCapsule_Import(vm: &VirtualMachine, name: *const c_char, _no_block: c_int) -> PyResult<*mut c_void> {
    let full = c_str_arg(vm, name)?;
    let mut parts = full.split('.');
    let first = parts.next().ok_or_else(|| bad_internal_call(vm))?;
    // An ImportError is replaced by CPython's own message.
    let mut object = vm.import(&*vm.ctx.new_str(first), 0).map_err(|e| {
        if e.fast_isinstance(vm.ctx.exceptions.import_error) {
            vm.new_import_error(format!("PyCapsule_Import could not import module \"{first}\""), vm.ctx.new_str(first))
        } else {
            e
        }
    })?;
    // As CPython: the first component is imported, the rest are attributes.
    for part in parts {
        object = object.get_attr(part, vm)?;
    }
    let p = crate::proxy::new_ref(vm, &object);
    let result = if PyCapsule_IsValid(p, name) == 1 {
        Ok((*(p as *mut Capsule)).pointer)
    } else {
        Err(vm.new_attribute_error(format!("PyCapsule_Import \"{full}\" is not valid")))
    };
    crate::proxy::decref(p);
    let _ = to_host;
    result
}

/// The capsule's destructor (NULL if it has none), returned as a data
/// pointer: the ABI of a function pointer is the same.
///
/// # Safety
/// `o` must be NULL or an object pointer (it is checked to be a capsule).
#[cpython_api]
unsafe fn PyCapsule_GetDestructor(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<*mut c_void> {
    // SAFETY: a non-NULL `o` is checked to be a capsule before use.
    let name = if o.is_null() { std::ptr::null() } else { unsafe { (*(o as *mut Capsule)).name } };
    // SAFETY: `capsule` checked the type.
    let destructor = unsafe { (*capsule(vm, o, name, "PyCapsule_GetDestructor")?).destructor };
    Ok(destructor.map_or(std::ptr::null_mut(), |d| d as *mut c_void))
}

/// # Safety
/// `o` must be NULL or an object pointer (it is checked to be a capsule).
#[cpython_api]
unsafe fn PyCapsule_SetDestructor(vm: &VirtualMachine, o: *mut PyObject, destructor: ffi::PyCapsule_Destructor) -> PyResult<c_int> {
    // SAFETY: as in PyCapsule_GetDestructor.
    let name = if o.is_null() { std::ptr::null() } else { unsafe { (*(o as *mut Capsule)).name } };
    // SAFETY: `capsule` checked the type.
    unsafe { (*capsule(vm, o, name, "PyCapsule_SetDestructor")?).destructor = destructor };
    Ok(0)
}

/// The name is not copied: it must outlive the capsule, as in CPython.
///
/// # Safety
/// `o` must be NULL or an object pointer (it is checked to be a capsule).
#[cpython_api]
unsafe fn PyCapsule_SetName(vm: &VirtualMachine, o: *mut PyObject, new_name: *const c_char) -> PyResult<c_int> {
    // SAFETY: as in PyCapsule_GetDestructor.
    let name = if o.is_null() { std::ptr::null() } else { unsafe { (*(o as *mut Capsule)).name } };
    // SAFETY: `capsule` checked the type.
    unsafe { (*capsule(vm, o, name, "PyCapsule_SetName")?).name = new_name };
    Ok(0)
}
