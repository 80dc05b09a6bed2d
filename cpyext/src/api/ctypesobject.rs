//! ctypes instances as C sees them: CPython 3.11's `CDataObject`
//! (Modules/_ctypes/ctypes.h). It has no public header, but extensions
//! read its `b_ptr` to reach the memory of a ctypes value without the
//! buffer protocol: PyGLM reads `((ctypes_helper *)o)->b_ptr` of
//! `c_float`, `c_int32`... (`glm.array(glm.float32(1), ...)`,
//! `glm.bitfieldReverse(glm.int32(1))`), PyOpenGL's accelerators and
//! others do the same.
//!
//! A proxy of a host ctypes instance (any instance of `_ctypes._CData`:
//! simple values, structures, unions, arrays, pointers, function pointers)
//! carries the struct, with `b_ptr` pointing at the host's own buffer (what
//! `ctypes.addressof` returns), so C reads and writes the memory Python
//! sees, and `b_size` is `ctypes.sizeof` of the object. Both are written
//! again each time the object is handed to C (a `c_char_p` given a new
//! value gets a new buffer). The fields that own references in CPython
//! (`b_base`, `b_objects`) stay NULL: the host keeps those objects alive
//! itself. `b_needsfree` is 0 (the host frees its buffer), `b_value` is
//! unused (`b_ptr` never points into it).
use crate::ffi::{self, PyObject, Py_ssize_t};
use rustpython_vm::builtins::PyTypeRef;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};
use std::sync::OnceLock;

/// The fields of CPython 3.11's `CDataObject` up to `b_objects`; its last
/// field, `union value b_value` (16 bytes, aligned as `long double`), is
/// never written here, so it is only counted in the size.
#[repr(C)]
pub(crate) struct CDataObject {
    ob_base: ffi::PyObject,
    b_ptr: *mut c_char,
    b_needsfree: c_int,
    b_base: *mut PyObject,
    b_size: Py_ssize_t,
    b_length: Py_ssize_t,
    b_index: Py_ssize_t,
    b_objects: *mut PyObject,
}

/// `sizeof(CDataObject)` on x86-64 (`_ctypes._SimpleCData.__basicsize__`
/// under CPython 3.11): the fields above, then `b_value` at offset 80.
pub(crate) const CDATA_OBJECT_SIZE: usize = 96;

const _: () = assert!(size_of::<CDataObject>() == 72);

/// What the layer needs of the host's `_ctypes`, taken as the module
/// executes (`pythonapi::exec_ctypes`): no ctypes instance exists before.
struct Ctypes {
    cdata: PyTypeRef,
    addressof: PyObjectRef,
    sizeof: PyObjectRef,
}

static CTYPES: OnceLock<Ctypes> = OnceLock::new();

/// Called once `_ctypes` has run: remembers `_CData`, `addressof` and `sizeof`.
pub(crate) fn register_module(vm: &VirtualMachine, module: &PyObjectRef) -> PyResult<()> {
    if CTYPES.get().is_some() {
        return Ok(());
    }
    let cdata = module.get_attr("_CData", vm)?.downcast::<rustpython_vm::builtins::PyType>().map_err(|_| vm.new_type_error("_ctypes._CData is not a type".to_owned()))?;
    let addressof = module.get_attr("addressof", vm)?;
    let sizeof = module.get_attr("sizeof", vm)?;
    let _ = CTYPES.set(Ctypes { cdata, addressof, sizeof });
    Ok(())
}

fn is_cdata(obj: &PyObjectRef) -> bool {
    CTYPES.get().is_some_and(|c| obj.class().fast_issubclass(&c.cdata))
}

/// `ProxyBody::size` for ctypes instances.
pub(crate) fn proxy_struct_size(_vm: &VirtualMachine, obj: &PyObjectRef) -> Option<usize> {
    is_cdata(obj).then_some(CDATA_OBJECT_SIZE)
}

/// Writes `b_ptr` and `b_size` of the struct of `proxy` from the host object.
fn write_struct(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) -> PyResult<()> {
    let Some(c) = CTYPES.get() else { return Ok(()) };
    let address: usize = c.addressof.call((obj.clone(),), vm)?.try_into_value(vm)?;
    let size: Py_ssize_t = c.sizeof.call((obj.clone(),), vm)?.try_into_value(vm)?;
    let s = proxy as *mut CDataObject;
    // SAFETY: a ctypes proxy of CDATA_OBJECT_SIZE bytes (proxy_struct_size),
    // written under the GIL (I1).
    unsafe {
        (*s).b_ptr = address as *mut c_char;
        (*s).b_size = size;
        (*s).b_length = 0;
        (*s).b_index = 0;
        (*s).b_needsfree = 0;
    }
    Ok(())
}

/// `ProxyBody::fill` for ctypes instances: the same writes as a refresh.
pub(crate) fn fill_proxy_struct(vm: &VirtualMachine, obj: &PyObjectRef, proxy: *mut PyObject) {
    refresh_struct(vm, proxy, obj);
}

/// A ctypes proxy handed to C again: its buffer may have moved.
/// Returns false (and does nothing) for any other object.
pub(crate) fn refresh_struct(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) -> bool {
    if !is_cdata(obj) {
        return false;
    }
    if let Err(e) = write_struct(vm, proxy, obj) {
        vm.run_unraisable(e, Some("cpyext: reading a ctypes object's buffer".to_owned()), obj.clone());
    }
    true
}
