//! The method tables of the builtin types' type objects.
//!
//! C may take a builtin's method from its type object and call the C
//! function it finds (atom calls `PyList_Type`'s `extend`, `pop` and
//! `remove` on its list subclass). Each builtin type object here lists the
//! methods CPython 3.11's lists, with the same names and calling
//! conventions (`builtin_methods_table.rs`, generated from the reference
//! interpreter), and each entry's function runs the host builtin's own
//! method of that name: the builtin's, never an override of a subclass,
//! as a direct call of CPython's C function would.
//!
//! Every trampoline has its entry's index as a constant, since a C method
//! function receives no pointer to its definition.
use super::builtin_methods_table::TABLES;
use crate::api::r#abstract::{call_host_unchecked, vector_args};
use crate::boundary::enter_api;
use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use crate::proxy::to_host;
use rustpython_vm::builtins::PyType;
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::{AsObject, Py, PyResult, VirtualMachine};
use std::ffi::{CStr, c_int};
use std::sync::LazyLock;

/// One method of a builtin type: its name, METH_* flags, and the function
/// C finds in `ml_meth`.
pub(super) struct Entry {
    pub name: &'static CStr,
    pub flags: u32,
    pub meth: ffi::PyCFunction,
}

/// Every entry in table order (the order of the trampolines' indices), with
/// the index of its type's table.
static FLAT: LazyLock<Vec<(usize, &'static Entry)>> =
    LazyLock::new(|| TABLES.iter().enumerate().flat_map(|(table, (_, _, entries))| entries.iter().map(move |e| (table, e))).collect());

/// The type object each table was given to, by table index.
static FILLED: LazyLock<dashmap::DashMap<usize, usize>> = LazyLock::new(dashmap::DashMap::new);

/// Gives a builtin type object its method table, if CPython's has one:
/// the entries whose method the host's class has.
///
/// # Safety
/// `tp` must be the static type object of `cls`, being filled at start-up.
pub unsafe fn fill(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>) {
    if cls.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) {
        return;
    }
    // SAFETY: the caller's contract; tp_name was set from the class.
    let Some(name) = (unsafe { (*tp).tp_name.as_ref() }).map(|n| unsafe { CStr::from_ptr(n) }) else { return };
    let Some(table) = TABLES.iter().position(|(_, tp_name, _)| tp_name.as_bytes() == name.to_bytes()) else { return };
    let mut defs: Vec<ffi::PyMethodDef> = TABLES[table]
        .2
        .iter()
        .filter(|e| e.name.to_str().is_ok_and(|n| cls.get_direct_attr(vm.ctx.intern_str(n)).is_some()))
        .map(|e| ffi::PyMethodDef { ml_name: e.name.as_ptr(), ml_meth: e.meth, ml_flags: e.flags as c_int, ml_doc: std::ptr::null() })
        .collect();
    defs.push(ffi::PyMethodDef { ml_name: std::ptr::null(), ml_meth: None, ml_flags: 0, ml_doc: std::ptr::null() });
    FILLED.insert(table, tp as usize);
    // SAFETY: as above; the table lives as long as the immortal type object.
    unsafe { (*tp).tp_methods = Box::leak(defs.into_boxed_slice()).as_mut_ptr() };
}

/// Runs entry `index`'s method of its builtin on `slf` (the class, for a
/// class method) with the arguments `args` makes.
fn run(index: usize, slf: *mut PyObject, args: impl FnOnce(&VirtualMachine) -> PyResult<FuncArgs>) -> *mut PyObject {
    let (table, entry) = FLAT[index];
    let name = entry.name.to_str().unwrap_or("method");
    enter_api(name, true, |vm| {
        let tp = *FILLED.get(&table).ok_or_else(|| crate::api::bad_internal_call(vm))?;
        let cls = to_host(vm, tp as *mut PyObject)?.downcast::<PyType>().map_err(|_| crate::api::bad_internal_call(vm))?;
        let descriptor = cls
            .get_direct_attr(vm.ctx.intern_str(name))
            .ok_or_else(|| vm.new_attribute_error(format!("type object '{}' has no attribute '{name}'", cls.name())))?;
        let mut call = args(vm)?;
        let callable = if entry.flags & (ffi::METH_CLASS | ffi::METH_STATIC) != 0 {
            // Bound to the class C passed (a class method), or to the
            // builtin itself (a static one, whose `self` is NULL).
            let owner = if entry.flags & ffi::METH_CLASS != 0 { to_host(vm, slf)? } else { cls.as_object().to_owned() };
            vm.call_get_descriptor_specific(&descriptor, None, Some(&owner)).unwrap_or_else(|| Ok(descriptor.clone()))?
        } else {
            call.args.insert(0, to_host(vm, slf)?);
            descriptor
        };
        call_host_unchecked(vm, &callable, call)
    })
}

/// The arguments of a METH_VARARGS call: C's tuple and keyword dict.
fn tuple_and_dict(vm: &VirtualMachine, args: *mut PyObject, kwargs: *mut PyObject) -> PyResult<FuncArgs> {
    let (positional, keywords) = super::c_calls_python::call_args(vm, args, kwargs)?;
    Ok(FuncArgs::new(positional, keywords))
}

// The trampolines, one per calling convention. C calls them as the
// convention's function type, with the arguments of its CPython signature.

pub(super) unsafe extern "C" fn noargs<const I: usize>(slf: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    run(I, slf, |_| Ok(FuncArgs::default()))
}

pub(super) unsafe extern "C" fn one<const I: usize>(slf: *mut PyObject, arg: *mut PyObject) -> *mut PyObject {
    run(I, slf, |vm| Ok(FuncArgs::new(vec![to_host(vm, arg)?], KwArgs::default())))
}

pub(super) unsafe extern "C" fn varargs<const I: usize>(slf: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    run(I, slf, |vm| tuple_and_dict(vm, args, std::ptr::null_mut()))
}

pub(super) unsafe extern "C" fn varargs_keywords<const I: usize>(slf: *mut PyObject, args: *mut PyObject, kwargs: *mut PyObject) -> *mut PyObject {
    run(I, slf, |vm| tuple_and_dict(vm, args, kwargs))
}

pub(super) unsafe extern "C" fn fastcall<const I: usize>(slf: *mut PyObject, args: *const *mut PyObject, nargs: Py_ssize_t) -> *mut PyObject {
    // SAFETY: C passes `nargs` arguments, the convention's contract.
    run(I, slf, |vm| unsafe { vector_args(vm, args, nargs.max(0) as usize, std::ptr::null_mut()) })
}

pub(super) unsafe extern "C" fn fastcall_keywords<const I: usize>(
    slf: *mut PyObject,
    args: *const *mut PyObject,
    nargs: Py_ssize_t,
    kwnames: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: C passes `nargs` arguments and one value per keyword name.
    run(I, slf, |vm| unsafe { vector_args(vm, args, nargs.max(0) as usize, kwnames) })
}

/// `ml_meth` for entry `$index` of convention `$kind`: the trampoline as a
/// `PyCFunction`, the type `PyMethodDef` stores every convention's function
/// as (C casts it back by the flags).
macro_rules! trampoline {
    (noargs, $index:literal) => {
        $crate::slots::builtin_methods::as_method($crate::slots::builtin_methods::noargs::<$index>)
    };
    (one, $index:literal) => {
        $crate::slots::builtin_methods::as_method($crate::slots::builtin_methods::one::<$index>)
    };
    (varargs, $index:literal) => {
        $crate::slots::builtin_methods::as_method($crate::slots::builtin_methods::varargs::<$index>)
    };
    (varargs_keywords, $index:literal) => {
        // SAFETY: a function pointer stored as PyCFunction, called as its own type (METH_KEYWORDS).
        Some(unsafe {
            std::mem::transmute::<
                unsafe extern "C" fn(*mut $crate::ffi::PyObject, *mut $crate::ffi::PyObject, *mut $crate::ffi::PyObject) -> *mut $crate::ffi::PyObject,
                unsafe extern "C" fn(*mut $crate::ffi::PyObject, *mut $crate::ffi::PyObject) -> *mut $crate::ffi::PyObject,
            >($crate::slots::builtin_methods::varargs_keywords::<$index>)
        })
    };
    (fastcall, $index:literal) => {
        // SAFETY: a function pointer stored as PyCFunction, called as its own type (METH_FASTCALL).
        Some(unsafe {
            std::mem::transmute::<
                unsafe extern "C" fn(*mut $crate::ffi::PyObject, *const *mut $crate::ffi::PyObject, $crate::ffi::Py_ssize_t) -> *mut $crate::ffi::PyObject,
                unsafe extern "C" fn(*mut $crate::ffi::PyObject, *mut $crate::ffi::PyObject) -> *mut $crate::ffi::PyObject,
            >($crate::slots::builtin_methods::fastcall::<$index>)
        })
    };
    (fastcall_keywords, $index:literal) => {
        // SAFETY: a function pointer stored as PyCFunction, called as its own type.
        Some(unsafe {
            std::mem::transmute::<
                unsafe extern "C" fn(*mut $crate::ffi::PyObject, *const *mut $crate::ffi::PyObject, $crate::ffi::Py_ssize_t, *mut $crate::ffi::PyObject) -> *mut $crate::ffi::PyObject,
                unsafe extern "C" fn(*mut $crate::ffi::PyObject, *mut $crate::ffi::PyObject) -> *mut $crate::ffi::PyObject,
            >($crate::slots::builtin_methods::fastcall_keywords::<$index>)
        })
    };
}
pub(super) use trampoline;

/// A two-argument trampoline as the `PyCFunction` it already is.
pub(super) const fn as_method(f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject) -> ffi::PyCFunction {
    Some(f)
}
