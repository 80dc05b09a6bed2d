//! The type functions of object.h: readying C types, generic allocation.
use crate::ctype;
use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use cpyext_macros::cpython_api;
use rustpython_vm::AsObject;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{c_int, c_void};

#[cpython_api]
fn PyType_Ready(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<c_int> {
    ctype::ready(vm, tp)?;
    Ok(0)
}

#[cpython_api]
fn PyType_GenericAlloc(vm: &VirtualMachine, tp: *mut PyTypeObject, nitems: Py_ssize_t) -> PyResult<*mut PyObject> {
    ctype::alloc_instance(vm, tp, nitems)
}

#[cpython_api]
unsafe fn PyType_GenericNew(vm: &VirtualMachine, tp: *mut PyTypeObject, _args: *mut PyObject, _kwds: *mut PyObject) -> PyResult<*mut PyObject> {
    match (*tp).tp_alloc {
        Some(alloc) => Ok(alloc(tp, 0)),
        None => ctype::alloc_instance(vm, tp, 0),
    }
}

/// The layer reads type slots when it calls them, so there is no cache to
/// invalidate; a slot C wrote into a Python class gets its host trampoline.
#[cpython_api]
fn PyType_Modified(tp: *mut PyTypeObject) {
    // A Python subclass of a C type whose slots C has just written.
    ctype::install_slots_written_by_c(tp)
}

#[derive(Clone, Copy, PartialEq)]
enum SlotKind {
    Type,
    Number,
    Sequence,
    Mapping,
    Async,
    Buffer,
    Unknown,
}

unsafe fn table_exists(tp: *mut PyTypeObject, id: u32) -> bool {
    unsafe {
        match load_slot_kind(id) {
            SlotKind::Number => !(*tp).tp_as_number.is_null(),
            SlotKind::Sequence => !(*tp).tp_as_sequence.is_null(),
            SlotKind::Mapping => !(*tp).tp_as_mapping.is_null(),
            SlotKind::Async => !(*tp).tp_as_async.is_null(),
            SlotKind::Buffer => !(*tp).tp_as_buffer.is_null(),
            SlotKind::Type | SlotKind::Unknown => false,
        }
    }
}

/// Where each slot id of a `PyType_Spec` lands in a type object and its
/// protocol tables; used to build heap types and by `PyType_GetSlot`.
macro_rules! slot_table {
    (
        type: [$(($t_id:ident, $t_field:ident)),* $(,)?],
        number: [$(($n_id:ident, $n_field:ident)),* $(,)?],
        sequence: [$(($s_id:ident, $s_field:ident)),* $(,)?],
        mapping: [$(($m_id:ident, $m_field:ident)),* $(,)?],
        async: [$(($a_id:ident, $a_field:ident)),* $(,)?],
        buffer: [$(($b_id:ident, $b_field:ident)),* $(,)?] $(,)?
    ) => {
        /// Stores a slot; the protocol tables must exist. False for an
        /// unknown id.
        unsafe fn store_slot(tp: *mut PyTypeObject, id: u32, value: *mut c_void) -> bool {
            unsafe {
                match id {
                    $( ffi::$t_id => (*tp).$t_field = std::mem::transmute(value), )*
                    $( ffi::$n_id => (*(*tp).tp_as_number).$n_field = std::mem::transmute(value), )*
                    $( ffi::$s_id => (*(*tp).tp_as_sequence).$s_field = std::mem::transmute(value), )*
                    $( ffi::$m_id => (*(*tp).tp_as_mapping).$m_field = std::mem::transmute(value), )*
                    $( ffi::$a_id => (*(*tp).tp_as_async).$a_field = std::mem::transmute(value), )*
                    $( ffi::$b_id => (*(*tp).tp_as_buffer).$b_field = std::mem::transmute(value), )*
                    _ => return false,
                }
            }
            true
        }

        fn load_slot_kind(id: u32) -> SlotKind {
            match id {
                $( ffi::$t_id => SlotKind::Type, )*
                $( ffi::$n_id => SlotKind::Number, )*
                $( ffi::$s_id => SlotKind::Sequence, )*
                $( ffi::$m_id => SlotKind::Mapping, )*
                $( ffi::$a_id => SlotKind::Async, )*
                $( ffi::$b_id => SlotKind::Buffer, )*
                _ => SlotKind::Unknown,
            }
        }

        /// Reads a slot (NULL where the type or its table has none); None
        /// for an unknown id.
        unsafe fn load_slot(tp: *mut PyTypeObject, id: u32) -> Option<*mut c_void> {
            unsafe {
                Some(match id {
                    $( ffi::$t_id => std::mem::transmute((*tp).$t_field), )*
                    $( ffi::$n_id => (*tp).tp_as_number.as_ref().map_or(std::ptr::null_mut(), |t| std::mem::transmute(t.$n_field)), )*
                    $( ffi::$s_id => (*tp).tp_as_sequence.as_ref().map_or(std::ptr::null_mut(), |t| std::mem::transmute(t.$s_field)), )*
                    $( ffi::$m_id => (*tp).tp_as_mapping.as_ref().map_or(std::ptr::null_mut(), |t| std::mem::transmute(t.$m_field)), )*
                    $( ffi::$a_id => (*tp).tp_as_async.as_ref().map_or(std::ptr::null_mut(), |t| std::mem::transmute(t.$a_field)), )*
                    $( ffi::$b_id => (*tp).tp_as_buffer.as_ref().map_or(std::ptr::null_mut(), |t| std::mem::transmute(t.$b_field)), )*
                    _ => return None,
                })
            }
        }
    };
}

slot_table! {
    type: [
        (Py_tp_alloc, tp_alloc), (Py_tp_call, tp_call), (Py_tp_clear, tp_clear), (Py_tp_dealloc, tp_dealloc),
        (Py_tp_del, tp_del), (Py_tp_descr_get, tp_descr_get), (Py_tp_descr_set, tp_descr_set),
        (Py_tp_getattr, tp_getattr), (Py_tp_getattro, tp_getattro), (Py_tp_hash, tp_hash), (Py_tp_init, tp_init),
        (Py_tp_is_gc, tp_is_gc), (Py_tp_iter, tp_iter), (Py_tp_iternext, tp_iternext), (Py_tp_methods, tp_methods),
        (Py_tp_new, tp_new), (Py_tp_repr, tp_repr), (Py_tp_richcompare, tp_richcompare), (Py_tp_setattr, tp_setattr),
        (Py_tp_setattro, tp_setattro), (Py_tp_str, tp_str), (Py_tp_traverse, tp_traverse), (Py_tp_members, tp_members),
        (Py_tp_getset, tp_getset), (Py_tp_free, tp_free), (Py_tp_finalize, tp_finalize), (Py_tp_doc, tp_doc),
        (Py_tp_base, tp_base), (Py_tp_bases, tp_bases),
    ],
    number: [
        (Py_nb_absolute, nb_absolute), (Py_nb_add, nb_add), (Py_nb_and, nb_and), (Py_nb_bool, nb_bool),
        (Py_nb_divmod, nb_divmod), (Py_nb_float, nb_float), (Py_nb_floor_divide, nb_floor_divide),
        (Py_nb_index, nb_index), (Py_nb_inplace_add, nb_inplace_add), (Py_nb_inplace_and, nb_inplace_and),
        (Py_nb_inplace_floor_divide, nb_inplace_floor_divide), (Py_nb_inplace_lshift, nb_inplace_lshift),
        (Py_nb_inplace_multiply, nb_inplace_multiply), (Py_nb_inplace_or, nb_inplace_or),
        (Py_nb_inplace_power, nb_inplace_power), (Py_nb_inplace_remainder, nb_inplace_remainder),
        (Py_nb_inplace_rshift, nb_inplace_rshift), (Py_nb_inplace_subtract, nb_inplace_subtract),
        (Py_nb_inplace_true_divide, nb_inplace_true_divide), (Py_nb_inplace_xor, nb_inplace_xor),
        (Py_nb_int, nb_int), (Py_nb_invert, nb_invert), (Py_nb_lshift, nb_lshift), (Py_nb_multiply, nb_multiply),
        (Py_nb_negative, nb_negative), (Py_nb_or, nb_or), (Py_nb_positive, nb_positive), (Py_nb_power, nb_power),
        (Py_nb_remainder, nb_remainder), (Py_nb_rshift, nb_rshift), (Py_nb_subtract, nb_subtract),
        (Py_nb_true_divide, nb_true_divide), (Py_nb_xor, nb_xor), (Py_nb_matrix_multiply, nb_matrix_multiply),
        (Py_nb_inplace_matrix_multiply, nb_inplace_matrix_multiply),
    ],
    sequence: [
        (Py_sq_ass_item, sq_ass_item), (Py_sq_concat, sq_concat), (Py_sq_contains, sq_contains),
        (Py_sq_inplace_concat, sq_inplace_concat), (Py_sq_inplace_repeat, sq_inplace_repeat),
        (Py_sq_item, sq_item), (Py_sq_length, sq_length), (Py_sq_repeat, sq_repeat),
    ],
    mapping: [(Py_mp_ass_subscript, mp_ass_subscript), (Py_mp_length, mp_length), (Py_mp_subscript, mp_subscript)],
    async: [(Py_am_await, am_await), (Py_am_aiter, am_aiter), (Py_am_anext, am_anext), (Py_am_send, am_send)],
    buffer: [(Py_bf_getbuffer, bf_getbuffer), (Py_bf_releasebuffer, bf_releasebuffer)],
}

/// Fills the NULL entries of a type's own protocol tables from its base's,
/// entry by entry, as CPython's slot inheritance does.
pub(crate) unsafe fn inherit_protocol_entries(tp: *mut PyTypeObject, base: *mut PyTypeObject) {
    unsafe {
        for id in 1..=ffi::Py_am_send {
            if !table_exists(tp, id) {
                continue; // type slots follow their own rules; absent tables are shared
            }
            if let (Some(mine), Some(theirs)) = (load_slot(tp, id), load_slot(base, id)) {
                if mine.is_null() && !theirs.is_null() {
                    store_slot(tp, id, theirs);
                }
            }
        }
    }
}

/// Heap type -> the module it was made for (PyType_GetModule).
static MODULE_OF: std::sync::LazyLock<dashmap::DashMap<usize, usize>> = std::sync::LazyLock::new(dashmap::DashMap::new);

fn from_spec(vm: &VirtualMachine, metaclass: *mut PyTypeObject, module: *mut PyObject, spec: *mut ffi::PyType_Spec, bases: *mut PyObject) -> PyResult<*mut PyObject> {
    unsafe {
        let spec = &*spec;
        let name = crate::methods::c_str(spec.name).ok_or_else(|| vm.new_system_error("PyType_Spec has no name".to_owned()))?;
        // Heap types are never freed: their instances and the identity table refer to them.
        let heap = new_heap_type();
        let tp: *mut PyTypeObject = &raw mut (*heap).ht_type;
        (*tp).tp_name = std::ffi::CString::new(name).unwrap_or_default().into_raw();
        (*tp).tp_basicsize = spec.basicsize as Py_ssize_t;
        (*tp).tp_itemsize = spec.itemsize as Py_ssize_t;
        (*tp).tp_flags = spec.flags as u64 | ffi::Py_TPFLAGS_HEAPTYPE as u64;
        let mut slot = spec.slots;
        while !slot.is_null() && (*slot).slot != 0 {
            let id = (*slot).slot as u32;
            if id == ffi::Py_tp_doc {
                // The spec's docstring need not outlive the call.
                let doc = crate::methods::c_str((*slot).pfunc as *const std::ffi::c_char).unwrap_or("");
                (*tp).tp_doc = std::ffi::CString::new(doc).unwrap_or_default().into_raw();
            } else if !store_slot(tp, id, (*slot).pfunc) {
                return Err(vm.new_runtime_error(format!("invalid slot offset {id}")));
            }
            slot = slot.add(1);
        }
        // Offsets given as special members, as PyType_FromSpec reads them.
        let mut member = (*tp).tp_members;
        while !member.is_null() && !(*member).name.is_null() {
            match crate::methods::c_str((*member).name) {
                Some("__dictoffset__") => (*tp).tp_dictoffset = (*member).offset,
                Some("__weaklistoffset__") => (*tp).tp_weaklistoffset = (*member).offset,
                Some("__vectorcalloffset__") => (*tp).tp_vectorcall_offset = (*member).offset,
                _ => {}
            }
            member = member.add(1);
        }
        // Bases: the argument (a type or a tuple of types), else the slots.
        let mut base_list: Vec<*mut PyObject> = Vec::new();
        let bases_arg = if bases.is_null() { (*tp).tp_bases } else { bases };
        if !bases_arg.is_null() {
            let b = crate::proxy::to_host(vm, bases_arg)?;
            match b.downcast_ref::<rustpython_vm::builtins::PyTuple>() {
                Some(t) => base_list.extend(t.iter().map(|x| crate::proxy::new_ref(vm, x))),
                None => base_list.push(crate::proxy::new_ref(vm, &b)),
            }
        } else if !(*tp).tp_base.is_null() {
            crate::proxy::incref((*tp).tp_base as *mut PyObject);
            base_list.push((*tp).tp_base as *mut PyObject);
        }
        if base_list.len() > 1 {
            base_list.iter().for_each(|b| crate::proxy::decref(*b));
            return Err(vm.new_type_error(format!("{name}: cpyext supports one base class for a C type")));
        }
        (*tp).tp_bases = std::ptr::null_mut();
        (*tp).tp_base = base_list.first().map_or(std::ptr::null_mut(), |b| *b as *mut PyTypeObject);
        base_list.into_iter().for_each(crate::proxy::decref);
        (*tp).ob_base.ob_base.ob_type = if metaclass.is_null() {
            if (*tp).tp_base.is_null() { &raw mut crate::types::PyType_Type } else { (*(*tp).tp_base).ob_base.ob_base.ob_type }
        } else {
            metaclass
        };
        ctype::ready(vm, tp)?;
        if !module.is_null() {
            crate::proxy::make_immortal(module);
            MODULE_OF.insert(tp as usize, module as usize);
        }
        fill_heap_type_names(vm, heap, module)?;
        crate::proxy::incref(tp as *mut PyObject);
        Ok(tp as *mut PyObject)
    }
}

#[cpython_api]
fn PyType_FromMetaclass(vm: &VirtualMachine, metaclass: *mut PyTypeObject, module: *mut PyObject, spec: *mut ffi::PyType_Spec, bases: *mut PyObject) -> PyResult<*mut PyObject> {
    from_spec(vm, metaclass, module, spec, bases)
}

#[cpython_api]
fn PyType_FromModuleAndSpec(vm: &VirtualMachine, module: *mut PyObject, spec: *mut ffi::PyType_Spec, bases: *mut PyObject) -> PyResult<*mut PyObject> {
    from_spec(vm, std::ptr::null_mut(), module, spec, bases)
}

#[cpython_api]
fn PyType_FromSpecWithBases(vm: &VirtualMachine, spec: *mut ffi::PyType_Spec, bases: *mut PyObject) -> PyResult<*mut PyObject> {
    from_spec(vm, std::ptr::null_mut(), std::ptr::null_mut(), spec, bases)
}

#[cpython_api]
fn PyType_FromSpec(vm: &VirtualMachine, spec: *mut ffi::PyType_Spec) -> PyResult<*mut PyObject> {
    from_spec(vm, std::ptr::null_mut(), std::ptr::null_mut(), spec, std::ptr::null_mut())
}

/// The function (or pointer) a type has in slot `slot`; NULL if it has none.
#[cpython_api]
unsafe fn PyType_GetSlot(vm: &VirtualMachine, tp: *mut PyTypeObject, slot: c_int) -> PyResult<*mut c_void> {
    match load_slot(tp, slot as u32) {
        Some(value) => Ok(value),
        None => Err(super::bad_internal_call(vm)),
    }
}

fn type_name(tp: *mut PyTypeObject) -> String {
    unsafe { crate::methods::c_str((*tp).tp_name).unwrap_or("?").to_owned() }
}

/// Borrowed: the module a heap type was made for.
#[cpython_api]
unsafe fn PyType_GetModule(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    match MODULE_OF.get(&(tp as usize)) {
        Some(m) => Ok(*m as *mut PyObject),
        None if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 == 0 => Err(vm.new_type_error(format!(
            "PyType_GetModule: Type '{}' is not a heap type",
            type_name(tp)
        ))),
        None => Err(vm.new_type_error(format!("PyType_GetModule: Type '{}' has no associated module", type_name(tp)))),
    }
}

#[cpython_api]
unsafe fn PyType_GetModuleState(tp: *mut PyTypeObject) -> *mut c_void {
    let module = PyType_GetModule(tp);
    if module.is_null() {
        return std::ptr::null_mut();
    }
    super::moduleobject::PyModule_GetState(module)
}

/// Borrowed: the module with definition `def` of the first class in the MRO
/// of `tp` that was made for one.
#[cpython_api]
unsafe fn PyType_GetModuleByDef(vm: &VirtualMachine, tp: *mut PyTypeObject, def: *mut ffi::PyModuleDef) -> PyResult<*mut PyObject> {
    let cls = crate::proxy::to_host(vm, tp as *mut PyObject)?
        .downcast::<rustpython_vm::builtins::PyType>()
        .map_err(|_| super::bad_internal_call(vm))?;
    for class in cls.mro_collect() {
        let class_tp = crate::types::type_proxy(vm, &class);
        if let Some(module) = MODULE_OF.get(&(class_tp as usize)).map(|m| *m as *mut PyObject) {
            if super::moduleobject::PyModule_GetDef(module) == def {
                return Ok(module);
            }
        }
    }
    Err(vm.new_type_error(format!(
        "PyType_GetModuleByDef: No superclass of '{}' has the given module",
        type_name(tp)
    )))
}

/// A zeroed `PyHeapTypeObject` whose type object points at its own
/// protocol tables, as CPython lays out a heap type. Never freed: instances
/// and the identity table refer to it.
fn new_heap_type() -> *mut ffi::PyHeapTypeObject {
    // SAFETY: every field of PyHeapTypeObject is a pointer, an integer or
    // an optional function, for which zero is a valid value.
    let heap: &'static mut ffi::PyHeapTypeObject = Box::leak(Box::new(unsafe { std::mem::zeroed() }));
    heap.ht_type.tp_as_async = &raw mut heap.as_async;
    heap.ht_type.tp_as_number = &raw mut heap.as_number;
    heap.ht_type.tp_as_mapping = &raw mut heap.as_mapping;
    heap.ht_type.tp_as_sequence = &raw mut heap.as_sequence;
    heap.ht_type.tp_as_buffer = &raw mut heap.as_buffer;
    heap
}

/// Stores `ht_name`, `ht_qualname` and `ht_module` (strong references, as
/// in CPython; the type is never freed).
fn fill_heap_type_names(vm: &VirtualMachine, heap: *mut ffi::PyHeapTypeObject, module: *mut PyObject) -> PyResult<()> {
    let cls = crate::proxy::to_host(vm, heap as *mut PyObject)?;
    let name = cls.get_attr("__name__", vm)?;
    let qualname = cls.get_attr("__qualname__", vm)?;
    // SAFETY: `heap` is the heap type just made and readied.
    unsafe {
        (*heap).ht_name = crate::proxy::into_ref(vm, name);
        (*heap).ht_qualname = crate::proxy::into_ref(vm, qualname);
        if !module.is_null() {
            crate::proxy::incref(module);
            (*heap).ht_module = module;
        }
    }
    Ok(())
}

/// `tp_name` without its module part.
pub(crate) fn short_name(tp: *mut PyTypeObject) -> String {
    let full = type_name(tp);
    full.rsplit('.').next().unwrap_or(&full).to_owned()
}

fn type_class(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<rustpython_vm::PyRef<rustpython_vm::builtins::PyType>> {
    crate::proxy::to_host(vm, tp as *mut PyObject)?
        .downcast::<rustpython_vm::builtins::PyType>()
        .map_err(|_| super::bad_internal_call(vm))
}

/// `type.__name__`.
#[cpython_api]
fn PyType_GetName(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let cls = type_class(vm, tp)?;
    Ok(crate::proxy::into_ref(vm, cls.as_object().get_attr("__name__", vm)?))
}

/// `type.__qualname__`.
#[cpython_api]
fn PyType_GetQualName(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let cls = type_class(vm, tp)?;
    Ok(crate::proxy::into_ref(vm, cls.as_object().get_attr("__qualname__", vm)?))
}

/// The part of `tp_name` after its last dot (a pointer into `tp_name`).
///
/// # Safety
/// `tp` must be a type object with a NUL-terminated `tp_name`.
#[cpython_api]
unsafe fn _PyType_Name(tp: *mut PyTypeObject) -> *const std::ffi::c_char {
    // SAFETY: the caller passes a type object with a C string as tp_name.
    unsafe {
        let full = (*tp).tp_name;
        let bytes = std::ffi::CStr::from_ptr(full).to_bytes();
        match bytes.iter().rposition(|b| *b == b'.') {
            Some(dot) => full.add(dot + 1),
            None => full,
        }
    }
}

/// Borrowed: `name` as found in the type's MRO, without calling
/// descriptors; NULL, with no exception set, when no class has it.
#[cpython_api]
fn _PyType_Lookup(vm: &VirtualMachine, tp: *mut PyTypeObject, name: *mut PyObject) -> *mut PyObject {
    let found = || -> PyResult<Option<rustpython_vm::PyObjectRef>> {
        let cls = type_class(vm, tp)?;
        let name = crate::proxy::to_host(vm, name)?;
        let Some(name) = name.downcast_ref::<rustpython_vm::builtins::PyStr>() else { return Ok(None) };
        Ok(cls.get_attr(vm.ctx.intern_str(name.as_wtf8())))
    };
    match found() {
        Ok(Some(value)) => crate::borrow::borrowed(vm, &value),
        _ => std::ptr::null_mut(),
    }
}

/// The layer keeps no method cache (slots are read when called), so there
/// is nothing to clear; the version tag it reports is always 0.
#[cpython_api]
fn PyType_ClearCache() -> std::ffi::c_uint {
    0
}

/// `ht_name` and `ht_qualname` of the type object the layer made for a
/// Python class (laid out as a `PyHeapTypeObject`): the names it had when
/// C first met it, held for ever as the type object is. They are read from
/// the type itself, as CPython stores them, so a metaclass's
/// `__getattribute__` cannot hide them.
pub(crate) fn fill_class_names(vm: &VirtualMachine, heap: *mut ffi::PyHeapTypeObject, cls: &rustpython_vm::Py<rustpython_vm::builtins::PyType>) {
    let name: rustpython_vm::PyObjectRef = cls.__name__(vm).into();
    let qualname = cls.__qualname__(vm);
    // SAFETY: `heap` is the zeroed PyHeapTypeObject just made for `cls`.
    unsafe {
        (*heap).ht_name = crate::proxy::into_ref(vm, name);
        (*heap).ht_qualname = crate::proxy::into_ref(vm, qualname);
    }
}

/// Gives `type` the layout attributes as CPython's states them, read from
/// the type object C sees: `__dictoffset__` and `__weakrefoffset__` (tests
/// compare them with 0 to check that a class has a dict or weak
/// references), `__basicsize__` and `__itemsize__`.
pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    fn offset_getter(read: fn(&PyTypeObject) -> Py_ssize_t) -> impl Fn(rustpython_vm::PyObjectRef, &VirtualMachine) -> PyResult {
        move |obj, vm| {
            let cls = obj
                .downcast_ref::<rustpython_vm::builtins::PyType>()
                .ok_or_else(|| vm.new_type_error("descriptor needs a type".to_owned()))?;
            let tp = crate::types::type_proxy(vm, cls);
            // SAFETY: a type proxy is filled when made and lives for ever (I7).
            Ok(vm.ctx.new_int(read(unsafe { &*tp })).into())
        }
    }
    let type_type = vm.ctx.types.type_type;
    // The sizes replace the host's own figures: C compares them with its
    // structs (Cython's Limited API code checks its shared types' size).
    let attributes: [(&'static str, fn(&PyTypeObject) -> Py_ssize_t, bool); 4] = [
        ("__dictoffset__", |t| t.tp_dictoffset, false),
        ("__weakrefoffset__", |t| t.tp_weaklistoffset, false),
        ("__basicsize__", |t| t.tp_basicsize, true),
        ("__itemsize__", |t| t.tp_itemsize, true),
    ];
    for (name, read, replace) in attributes {
        if replace || type_type.get_attr(vm.ctx.intern_str(name)).is_none() {
            let descriptor = ctype::documented_getset!(vm, name, type_type, None::<&str>, offset_getter(read), |_: rustpython_vm::PyObjectRef, _: rustpython_vm::function::PySetterValue, vm: &VirtualMachine| -> PyResult<()> {
                Err(vm.new_attribute_error("readonly attribute".to_owned()))
            });
            type_type.set_attr(vm.ctx.intern_str(name), descriptor);
        }
    }
    // A C type's flags are its type object's: copyreg refuses to pickle an
    // instance of a static (non-HEAPTYPE) type with protocols 0 and 1, as
    // CPython does. Other classes keep the host's figure.
    let flags = ctype::documented_getset!(vm, "__flags__", type_type, None::<&str>, |obj: rustpython_vm::PyObjectRef, vm: &VirtualMachine| -> PyResult {
        let cls = obj
            .downcast_ref::<rustpython_vm::builtins::PyType>()
            .ok_or_else(|| vm.new_type_error("descriptor needs a type".to_owned()))?;
        match ctype::c_type_of(cls).filter(|_| ctype::is_own_c_type(cls)) {
            // SAFETY: a readied C type object is immortal (I7).
            Some(tp) => Ok(vm.ctx.new_int(unsafe { (*tp).tp_flags }).into()),
            None => Ok(vm.ctx.new_int(cls.slots.flags.as_bits().load(std::sync::atomic::Ordering::Relaxed)).into()),
        }
    }, |_: rustpython_vm::PyObjectRef, _: rustpython_vm::function::PySetterValue, vm: &VirtualMachine| -> PyResult<()> {
        Err(vm.new_attribute_error("readonly attribute".to_owned()))
    });
    type_type.set_attr(vm.ctx.intern_str("__flags__"), flags);
    Ok(())
}
