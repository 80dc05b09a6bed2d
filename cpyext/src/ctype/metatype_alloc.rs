//! The `tp_alloc` of a C metatype, run for each class of that metatype.
//!
//! CPython's `type.__new__` makes a class's type object with its
//! metatype's `tp_alloc`, so a metatype can fill in each class before
//! `type.__new__` readies it. SIP's `wrappertype` does: its alloc links the
//! class to SIP's description of the C++ class (a field of the metatype's
//! struct), sets `tp_doc` and writes the class's slots (`tp_repr`, and
//! `nb_add`, `sq_length`... in the `PyHeapTypeObject`'s own tables), which
//! readying then turns into the dunders `__repr__`, `__add__`, `__len__`.
//!
//! Here the host makes the class and `types::type_proxy` its type object.
//! For a class whose metatype has a `tp_alloc` of its own, the type object
//! is then handed to that alloc: its call of type's `tp_alloc` (the generic
//! one) returns the type object instead of new memory. What the alloc wrote
//! becomes the class's, as readying would have made it: a dunder for each
//! slot it filled that the class does not define itself, and `__doc__`.
//! The alloc runs once per class, when C is first shown the class (at the
//! latest as the metatype's `tp_init` runs, before `type(...)` returns).
//! Buffer slots it writes are not taken (the host's buffer protocol of a
//! Python class is its `__buffer__`).

use super::{slot_dunder, PROTOCOL_DUNDERS};
use crate::boundary::{self, CFunction};
use crate::ffi::{self, PyTypeObject};
use rustpython_vm::builtins::PyType;
use rustpython_vm::function::PySetterValue;
use rustpython_vm::{AsObject, Py, VirtualMachine};

thread_local! {
    /// The type object whose metatype's tp_alloc is running: the generic
    /// tp_alloc gives it out (once) instead of new memory.
    static CLASS_BEING_ALLOCATED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The type object `run` is handing to a metatype's tp_alloc, if any; the
/// generic tp_alloc of a metatype returns it (CPython's type.__new__ would
/// have had that alloc make it).
pub(crate) fn take_class_being_allocated() -> Option<*mut ffi::PyObject> {
    let tp = CLASS_BEING_ALLOCATED.with(|c| c.replace(0));
    (tp != 0).then_some(tp as *mut ffi::PyObject)
}

/// Runs the own tp_alloc of `cls`'s metatype, if it has one, on `tp`, the
/// type object `types::type_proxy` has just made for `cls`.
pub fn run(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>) {
    let metaclass = cls.class();
    if super::c_type_of(metaclass).is_none() || !cls.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) {
        return;
    }
    let meta = crate::types::type_proxy(vm, metaclass);
    // SAFETY: a type proxy is filled before it is returned and lives for ever (I7).
    let Some(alloc) = (unsafe { (*meta).tp_alloc }) else { return };
    if alloc as usize == crate::api::typeobject::PyType_GenericAlloc as *const () as usize {
        return;
    }
    // What the alloc writes is what differs from this copy.
    // SAFETY: `tp` is the filled type object of `cls` (the caller's), read under the GIL.
    let before: PyTypeObject = unsafe { *tp };
    CLASS_BEING_ALLOCATED.with(|c| c.set(tp as usize));
    let made = boundary::call_into_c(vm, CFunction::Slot(meta, "tp_alloc"), || {
        // SAFETY: the metatype's own tp_alloc, with its declared signature;
        // its call of the generic alloc gets `tp` back.
        unsafe { alloc(meta, 0) }
    });
    let unused = take_class_being_allocated().is_some();
    let culprit = || -> rustpython_vm::PyObjectRef { cls.to_owned().into() };
    if made.is_null() {
        let e = crate::error_indicator::take_exception(vm).unwrap_or_else(|| vm.new_system_error("tp_alloc failed".to_owned()));
        vm.run_unraisable(e, Some("the metatype's tp_alloc of a new class".to_owned()), culprit());
        return;
    }
    if made != tp as *mut ffi::PyObject || unused {
        // An alloc that made the type object some other way: its memory is
        // left alone, and the class keeps the type object it has.
        let e = vm.new_system_error("a metatype's tp_alloc did not allocate through type's tp_alloc".to_owned());
        vm.run_unraisable(e, None, culprit());
        return;
    }
    // SAFETY: as above; the alloc has returned.
    unsafe { take_what_alloc_wrote(vm, tp, cls, &before) };
}

/// Gives `cls` what readying makes of the slots and tp_doc its metatype's
/// alloc wrote: dunders the class does not define itself, and `__doc__`.
/// C reading the class's tables then finds the alloc's functions, as the
/// tables are the `PyHeapTypeObject`'s own in CPython.
///
/// # Safety
/// `tp` must be the type object of `cls`, laid out as a PyHeapTypeObject
/// (`types::type_proxy`), under the GIL.
unsafe fn take_what_alloc_wrote(
    vm: &VirtualMachine,
    tp: *mut PyTypeObject,
    cls: &Py<PyType>,
    before: &PyTypeObject,
) {
    let heap = tp as *mut ffi::PyHeapTypeObject;
    // A type object that holds only what the alloc wrote, for the lookup
    // and calls of `python_calls_c` (a slot wrapper runs the function of the
    // type that defines it).
    // SAFETY: all-zero bytes are a valid PyTypeObject (see static_types!).
    let written: &'static mut PyTypeObject = Box::leak(Box::new(unsafe { std::mem::zeroed() }));
    // SAFETY: the caller's contract.
    unsafe {
        written.tp_name = (*tp).tp_name;
        // The top-level slots whose dunders readying adds, each taken if
        // the alloc changed it (the protocol tables are the heap type's).
        macro_rules! take_changed {
            ($($slot:ident),*) => {$(
                if (*tp).$slot.map(|f| f as usize) != before.$slot.map(|f| f as usize) {
                    written.$slot = (*tp).$slot;
                }
            )*};
        }
        take_changed!(tp_repr, tp_str, tp_hash, tp_richcompare, tp_iter, tp_iternext, tp_call, tp_descr_get);
        written.tp_as_number = &raw mut (*heap).as_number;
        written.tp_as_sequence = &raw mut (*heap).as_sequence;
        written.tp_as_mapping = &raw mut (*heap).as_mapping;
    }
    let class: &'static Py<PyType> = Box::leak(Box::new(cls.to_owned()));
    let owner: &'static PyTypeObject = written;
    let owner = owner as *const PyTypeObject as usize;
    let setattro = vm.ctx.types.type_type.slots.setattro.load().expect("type has a setattro slot");
    for &dunder in PROTOCOL_DUNDERS {
        let name = vm.ctx.intern_str(dunder);
        if class.attributes.contains(name)
            || !crate::slots::python_calls_c::defines_dunder_slot(owner as *mut PyTypeObject, std::ptr::null_mut(), dunder)
        {
            continue;
        }
        let descriptor = slot_dunder(vm, class, dunder, move |obj, mut args, vm| {
            args.prepend_arg(obj);
            crate::slots::python_calls_c::call_dunder(vm, owner as *mut PyTypeObject, name.as_str(), args)
                .unwrap_or_else(|| Err(vm.new_type_error(format!("{name} is not supported"))))
        });
        // Through type's setattro: the host's slot and the slots of the
        // type objects C has follow the new dunder.
        if let Err(e) = setattro(class.as_object(), name, PySetterValue::Assign(descriptor), vm) {
            vm.run_unraisable(e, Some(format!("adding {dunder} written by a metatype's tp_alloc")), cls.to_owned().into());
        }
    }
    // C reads the tables of the class's type object: the alloc's functions
    // go there too, in the tables the layer made for it.
    // SAFETY: the caller's contract; each table is a struct of function
    // pointers, read and written as words.
    unsafe {
        copy_table(&raw const (*heap).as_number, &mut (*tp).tp_as_number);
        copy_table(&raw const (*heap).as_sequence, &mut (*tp).tp_as_sequence);
        copy_table(&raw const (*heap).as_mapping, &mut (*tp).tp_as_mapping);
        copy_table(&raw const (*heap).as_async, &mut (*tp).tp_as_async);
    }
    // SAFETY: as above; tp_doc is NULL or a C string the alloc set.
    let doc = unsafe { (*tp).tp_doc };
    if !doc.is_null() && doc != before.tp_doc {
        let doc_name = vm.ctx.intern_str("__doc__");
        let own = class.attributes.get(doc_name);
        if own.is_none_or(|d| vm.is_none(&d)) {
            // SAFETY: tp_name and tp_doc are C strings.
            match unsafe { crate::api::object::type_doc_from_internal_doc(vm, (*tp).tp_name, doc) } {
                Ok(text) => class.set_attr(doc_name, text),
                Err(e) => vm.run_unraisable(e, None, cls.to_owned().into()),
            }
        }
    }
}

/// Copies the functions set in `from` (a PyHeapTypeObject's own table)
/// into the table `to` points at, or points `to` at `from` when it has none.
///
/// # Safety
/// `from` must be a table of function pointers of type `T` (only
/// pointer-sized fields), and `*to` NULL or a table of the same type.
unsafe fn copy_table<T>(from: *const T, to: &mut *mut T) {
    let words = size_of::<T>() / size_of::<usize>();
    // SAFETY: the caller's contract: T is `words` pointer-sized fields.
    unsafe {
        let source = std::slice::from_raw_parts(from as *const usize, words);
        if source.iter().all(|&w| w == 0) {
            return;
        }
        if to.is_null() {
            *to = from as *mut T;
            return;
        }
        let target = std::slice::from_raw_parts_mut(*to as *mut usize, words);
        for (t, &s) in target.iter_mut().zip(source) {
            if s != 0 {
                *t = s;
            }
        }
    }
}
