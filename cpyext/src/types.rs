//! Type objects as C sees them.
//!
//! The builtin types are exported statics (`PyLong_Type`, ...) that the layer
//! fills at start-up and registers as the proxies of the host types. Any other
//! host class gets a leaked, immortal `PyTypeObject` the first time C meets it.
//! `tp_flags` carries the fast-subclass bits computed from the host MRO, so
//! `PyLong_Check` and friends work inline, also for Python subclasses.
use crate::boundary::ApiData;
use crate::ffi::{self, PyObject, PyTypeObject};
use crate::proxy::{self, IDENTITY};
use rustpython_vm::builtins::PyType;
use rustpython_vm::types::PyTypeFlags;
use rustpython_vm::{AsObject, Context, Py, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::CString;
use std::sync::Once;

macro_rules! static_types {
    ($($sym:ident => $field:ident),* $(,)?) => {
        $(
            #[unsafe(no_mangle)]
            // SAFETY: all-zero bytes are a valid PyTypeObject (integers,
            // NULL pointers, None for every optional function pointer).
            pub static mut $sym: PyTypeObject = unsafe { std::mem::zeroed() };
            inventory::submit! { ApiData { name: stringify!($sym) } }
        )*
        fn static_type_table(ctx: &Context) -> Vec<(*mut PyTypeObject, &'static Py<PyType>)> {
            vec![$((&raw mut $sym, ctx.types.$field)),*]
        }
    };
}

// PyType_Type and PyBaseObject_Type come first: every other type refers to them.
static_types! {
    PyType_Type => type_type,
    PyBaseObject_Type => object_type,
    PyLong_Type => int_type,
    PyBool_Type => bool_type,
    PyFloat_Type => float_type,
    PyComplex_Type => complex_type,
    PyUnicode_Type => str_type,
    PyUnicodeIter_Type => str_iterator_type,
    PyBytes_Type => bytes_type,
    PyBytesIter_Type => bytes_iterator_type,
    PyByteArray_Type => bytearray_type,
    PyTuple_Type => tuple_type,
    PyList_Type => list_type,
    PyListIter_Type => list_iterator_type,
    PyDict_Type => dict_type,
    PySet_Type => set_type,
    PyFrozenSet_Type => frozenset_type,
    PySlice_Type => slice_type,
    PyRange_Type => range_type,
    PyModule_Type => module_type,
    PyCFunction_Type => builtin_function_or_method_type,
    PyFunction_Type => function_type,
    PyMethod_Type => bound_method_type,
    PyMemoryView_Type => memoryview_type,
    PyProperty_Type => property_type,
    PyStaticMethod_Type => staticmethod_type,
    PyClassMethod_Type => classmethod_type,
    PyClassMethodDescr_Type => classmethod_descriptor_type,
    PyGetSetDescr_Type => getset_type,
    PyMemberDescr_Type => member_descriptor_type,
    PyMethodDescr_Type => method_descriptor_type,
    PyWrapperDescr_Type => wrapper_descriptor_type,
    PyDictProxy_Type => mappingproxy_type,
    PySuper_Type => super_type,
    _PyWeakref_RefType => weakref_type,
    _PyWeakref_ProxyType => weakproxy_type,
    _PyWeakref_CallableProxyType => weakcallableproxy_type,
    PyCell_Type => cell_type,
    PyCode_Type => code_type,
    PyFrame_Type => frame_type,
    PyTraceBack_Type => traceback_type,
    PyGen_Type => generator_type,
    PyCoro_Type => coroutine_type,
    PyAsyncGen_Type => async_generator,
    _PyAsyncGenASend_Type => async_generator_asend,
    _PyAsyncGenAThrow_Type => async_generator_athrow,
    _PyAsyncGenWrappedValue_Type => async_generator_wrapped_value,
    _PyCoroWrapper_Type => coroutine_wrapper_type,
    Py_GenericAliasType => generic_alias_type,
    _PyMethodWrapper_Type => method_wrapper_type,
    PyEnum_Type => enumerate_type,
    PyReversed_Type => reverse_iter_type,
    PySeqIter_Type => iter_type,
    PyCallIter_Type => callable_iterator,
    PyFilter_Type => filter_type,
    PyMap_Type => map_type,
    PyZip_Type => zip_type,
    _PyNone_Type => none_type,
    _PyNotImplemented_Type => not_implemented_type,
    PyEllipsis_Type => ellipsis_type,
    PySetIter_Type => set_iterator_type,
    PyByteArrayIter_Type => bytearray_iterator_type,
    PyListRevIter_Type => list_reverseiterator_type,
    PyTupleIter_Type => tuple_iterator_type,
    PyRangeIter_Type => range_iterator_type,
    PyLongRangeIter_Type => long_range_iterator_type,
    PyDictKeys_Type => dict_keys_type,
    PyDictValues_Type => dict_values_type,
    PyDictItems_Type => dict_items_type,
    PyDictIterKey_Type => dict_keyiterator_type,
    PyDictIterValue_Type => dict_valueiterator_type,
    PyDictIterItem_Type => dict_itemiterator_type,
    PyDictRevIterKey_Type => dict_reversekeyiterator_type,
    PyDictRevIterValue_Type => dict_reversevalueiterator_type,
    PyDictRevIterItem_Type => dict_reverseitemiterator_type,
}

/// Types that live in a stdlib module rather than in the host's type zoo.
macro_rules! module_types {
    ($($sym:ident => ($module:literal, $name:literal)),* $(,)?) => {
        $(
            #[unsafe(no_mangle)]
            // SAFETY: all-zero bytes are a valid PyTypeObject (NULL pointers,
            // zero sizes); start-up fills it before C can see it.
            pub static mut $sym: PyTypeObject = unsafe { std::mem::zeroed() };
            inventory::submit! { ApiData { name: stringify!($sym) } }
        )*
        fn module_type_table() -> Vec<(*mut PyTypeObject, &'static str, &'static str)> {
            vec![$((&raw mut $sym, $module, $name)),*]
        }
    };
}

module_types! {
    PyContext_Type => ("_contextvars", "Context"),
    PyContextVar_Type => ("_contextvars", "ContextVar"),
    PyContextToken_Type => ("_contextvars", "Token"),
}

/// The C-side header of module definitions: not a host type. `PyModuleDef_Init`
/// stamps it on a definition so the loader can tell one from a module.
#[unsafe(no_mangle)]
// SAFETY: all-zero bytes are a valid PyTypeObject (see static_types!).
pub static mut PyModuleDef_Type: PyTypeObject = unsafe { std::mem::zeroed() };
inventory::submit! { ApiData { name: "PyModuleDef_Type" } }

// The singletons. Their ob_type is filled at start-up.
#[unsafe(no_mangle)]
pub static mut _Py_NoneStruct: PyObject = PyObject {
    ob_refcnt: ffi::IMMORTAL_REFCNT,
    ob_type: std::ptr::null_mut(),
};
#[unsafe(no_mangle)]
pub static mut _Py_NotImplementedStruct: PyObject = PyObject {
    ob_refcnt: ffi::IMMORTAL_REFCNT,
    ob_type: std::ptr::null_mut(),
};
#[unsafe(no_mangle)]
pub static mut _Py_EllipsisObject: PyObject = PyObject {
    ob_refcnt: ffi::IMMORTAL_REFCNT,
    ob_type: std::ptr::null_mut(),
};
#[unsafe(no_mangle)]
pub static mut _Py_TrueStruct: ffi::PyLongObject = bool_struct(1);
#[unsafe(no_mangle)]
pub static mut _Py_FalseStruct: ffi::PyLongObject = bool_struct(0);
/// True and False as ints in CPython's digit layout (one digit 1; no digits).
const fn bool_struct(value: u32) -> ffi::PyLongObject {
    ffi::PyLongObject {
        ob_base: ffi::PyVarObject { ob_base: PyObject { ob_refcnt: ffi::IMMORTAL_REFCNT, ob_type: std::ptr::null_mut() }, ob_size: value as ffi::Py_ssize_t },
        ob_digit: [value],
    }
}
inventory::submit! { ApiData { name: "_Py_NoneStruct" } }
inventory::submit! { ApiData { name: "_Py_NotImplementedStruct" } }
inventory::submit! { ApiData { name: "_Py_EllipsisObject" } }
inventory::submit! { ApiData { name: "_Py_TrueStruct" } }
inventory::submit! { ApiData { name: "_Py_FalseStruct" } }

macro_rules! exception_objects {
    ($($sym:ident => $name:literal),* $(,)?) => {
        $(
            #[unsafe(no_mangle)]
            pub static mut $sym: *mut PyObject = std::ptr::null_mut();
            inventory::submit! { ApiData { name: stringify!($sym) } }
        )*
        fn exception_table() -> Vec<(*mut *mut PyObject, &'static str)> {
            vec![$((&raw mut $sym, $name)),*]
        }
    };
}

exception_objects! {
    PyExc_BaseException => "BaseException",
    PyExc_Exception => "Exception",
    PyExc_BaseExceptionGroup => "BaseExceptionGroup",
    PyExc_ExceptionGroup => "ExceptionGroup",
    PyExc_StopAsyncIteration => "StopAsyncIteration",
    PyExc_StopIteration => "StopIteration",
    PyExc_GeneratorExit => "GeneratorExit",
    PyExc_ArithmeticError => "ArithmeticError",
    PyExc_LookupError => "LookupError",
    PyExc_AssertionError => "AssertionError",
    PyExc_AttributeError => "AttributeError",
    PyExc_BufferError => "BufferError",
    PyExc_EOFError => "EOFError",
    PyExc_FloatingPointError => "FloatingPointError",
    PyExc_OSError => "OSError",
    PyExc_ImportError => "ImportError",
    PyExc_ModuleNotFoundError => "ModuleNotFoundError",
    PyExc_IndexError => "IndexError",
    PyExc_KeyError => "KeyError",
    PyExc_KeyboardInterrupt => "KeyboardInterrupt",
    PyExc_MemoryError => "MemoryError",
    PyExc_NameError => "NameError",
    PyExc_OverflowError => "OverflowError",
    PyExc_RuntimeError => "RuntimeError",
    PyExc_RecursionError => "RecursionError",
    PyExc_NotImplementedError => "NotImplementedError",
    PyExc_SyntaxError => "SyntaxError",
    PyExc_IndentationError => "IndentationError",
    PyExc_TabError => "TabError",
    PyExc_ReferenceError => "ReferenceError",
    PyExc_SystemError => "SystemError",
    PyExc_SystemExit => "SystemExit",
    PyExc_TypeError => "TypeError",
    PyExc_UnboundLocalError => "UnboundLocalError",
    PyExc_UnicodeError => "UnicodeError",
    PyExc_UnicodeEncodeError => "UnicodeEncodeError",
    PyExc_UnicodeDecodeError => "UnicodeDecodeError",
    PyExc_UnicodeTranslateError => "UnicodeTranslateError",
    PyExc_ValueError => "ValueError",
    PyExc_ZeroDivisionError => "ZeroDivisionError",
    PyExc_BlockingIOError => "BlockingIOError",
    PyExc_BrokenPipeError => "BrokenPipeError",
    PyExc_ChildProcessError => "ChildProcessError",
    PyExc_ConnectionError => "ConnectionError",
    PyExc_ConnectionAbortedError => "ConnectionAbortedError",
    PyExc_ConnectionRefusedError => "ConnectionRefusedError",
    PyExc_ConnectionResetError => "ConnectionResetError",
    PyExc_FileExistsError => "FileExistsError",
    PyExc_FileNotFoundError => "FileNotFoundError",
    PyExc_InterruptedError => "InterruptedError",
    PyExc_IsADirectoryError => "IsADirectoryError",
    PyExc_NotADirectoryError => "NotADirectoryError",
    PyExc_PermissionError => "PermissionError",
    PyExc_ProcessLookupError => "ProcessLookupError",
    PyExc_TimeoutError => "TimeoutError",
    PyExc_EnvironmentError => "EnvironmentError",
    PyExc_IOError => "IOError",
    PyExc_Warning => "Warning",
    PyExc_UserWarning => "UserWarning",
    PyExc_DeprecationWarning => "DeprecationWarning",
    PyExc_PendingDeprecationWarning => "PendingDeprecationWarning",
    PyExc_SyntaxWarning => "SyntaxWarning",
    PyExc_RuntimeWarning => "RuntimeWarning",
    PyExc_FutureWarning => "FutureWarning",
    PyExc_ImportWarning => "ImportWarning",
    PyExc_UnicodeWarning => "UnicodeWarning",
    PyExc_BytesWarning => "BytesWarning",
    PyExc_ResourceWarning => "ResourceWarning",
    PyExc_EncodingWarning => "EncodingWarning",
}

/// `tp_as_buffer` of host types that export a buffer: every buffer goes
/// through `PyObject_GetBuffer`; those whose host exporter must be told
/// when a buffer ends also have a `bf_releasebuffer` (as in CPython, bytes
/// has none, bytearray and memoryview have one).
static mut BUFFER_PROCS: ffi::PyBufferProcs = ffi::PyBufferProcs {
    bf_getbuffer: Some(crate::api::pybuffer::PyObject_GetBuffer),
    bf_releasebuffer: None,
};
static mut BUFFER_PROCS_WITH_RELEASE: ffi::PyBufferProcs = ffi::PyBufferProcs {
    bf_getbuffer: Some(crate::api::pybuffer::PyObject_GetBuffer),
    bf_releasebuffer: Some(crate::api::pybuffer::host_releasebuffer),
};

static INIT: Once = Once::new();

/// Fills the static type objects, singletons and exception pointers. Runs
/// once, before the first extension is loaded.
pub fn init(vm: &VirtualMachine) {
    // SAFETY: runs once (the Once), on the thread that starts the layer,
    // before any extension is loaded: nothing else reads or writes these
    // statics yet. Each pointer is the address of one of our statics.
    INIT.call_once(|| unsafe {
        for (tp, cls) in static_type_table(&vm.ctx) {
            proxy::register_static(cls.to_owned().into(), tp as *mut PyObject);
        }
        // A tuple's proxy gets the tuple layout by its type's flags, so
        // tuple's flags come first: the types filled before it got their
        // tp_bases and tp_mro as bare headers, with no ob_size or items.
        (*(&raw mut PyTuple_Type)).tp_flags = type_flags(vm, vm.ctx.types.tuple_type);
        for (tp, cls) in static_type_table(&vm.ctx) {
            fill_type(vm, tp, cls);
        }
        for (tp, cls) in static_type_table(&vm.ctx) {
            record_subclass(vm, tp, cls);
        }
        for (tp, module, name) in module_type_table() {
            let cls = vm.import(module, 0).and_then(|m| m.get_attr(name, vm));
            match cls.ok().and_then(|c| c.downcast::<PyType>().ok()) {
                Some(cls) => {
                    proxy::register_static(cls.clone().into(), tp as *mut PyObject);
                    fill_type(vm, tp, &cls);
                }
                // Left zeroed: the name is listed as missing.
                None => {}
            }
        }
        let def_type = &raw mut PyModuleDef_Type;
        (*def_type).ob_base.ob_base.ob_refcnt = ffi::IMMORTAL_REFCNT;
        (*def_type).ob_base.ob_base.ob_type = &raw mut PyType_Type;
        (*def_type).tp_name = c"moduledef".as_ptr();
        (*def_type).tp_basicsize = size_of::<ffi::PyModuleDef>() as ffi::Py_ssize_t;
        (*def_type).tp_flags = ffi::Py_TPFLAGS_DEFAULT as u64 | ffi::Py_TPFLAGS_READY as u64;

        let singletons: [(*mut PyObject, PyObjectRef); 5] = [
            (&raw mut _Py_NoneStruct, vm.ctx.none()),
            (&raw mut _Py_NotImplementedStruct, vm.ctx.not_implemented()),
            (&raw mut _Py_EllipsisObject, vm.ctx.ellipsis.clone().into()),
            (
                &raw mut _Py_TrueStruct as *mut PyObject,
                vm.ctx.new_bool(true).into(),
            ),
            (
                &raw mut _Py_FalseStruct as *mut PyObject,
                vm.ctx.new_bool(false).into(),
            ),
        ];
        for (p, obj) in singletons {
            (*p).ob_type = type_proxy(vm, obj.class());
            proxy::register_static(obj, p);
        }
        for (slot, name) in exception_table() {
            match vm.builtins.get_attr(name, vm) {
                Ok(cls) => match cls.downcast_ref::<PyType>() {
                    Some(cls) => *slot = type_proxy(vm, cls) as *mut PyObject,
                    None => crate::boundary::fatal(&format!("builtins.{name} is not a type")),
                },
                // A name the host lacks stays NULL; it is listed as missing.
                Err(_) => {}
            }
        }
    });
}

/// Makes an exported static type object the proxy of a host class that is
/// not in the context's type table (one found in a stdlib module).
pub(crate) fn register_static_type(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>) {
    proxy::register_static(cls.to_owned().into(), tp as *mut PyObject);
    // SAFETY: `tp` is an exported static type object, registered just above,
    // that nothing else fills; start-up runs under the GIL.
    unsafe {
        fill_type(vm, tp, cls);
        record_subclass(vm, tp, cls);
    }
}

/// The proxy of a host class: a static builtin type object, or an immortal
/// `PyTypeObject` made on first use.
pub fn type_proxy(vm: &VirtualMachine, cls: &Py<PyType>) -> *mut PyTypeObject {
    // The types that cross most often, without a map lookup.
    let types = &vm.ctx.types;
    if cls.is(types.int_type) {
        return &raw mut PyLong_Type;
    } else if cls.is(types.str_type) {
        return &raw mut PyUnicode_Type;
    } else if cls.is(types.tuple_type) {
        return &raw mut PyTuple_Type;
    } else if cls.is(types.float_type) {
        return &raw mut PyFloat_Type;
    } else if cls.is(types.dict_type) {
        return &raw mut PyDict_Type;
    } else if cls.is(types.list_type) {
        return &raw mut PyList_Type;
    } else if cls.is(types.bytes_type) {
        return &raw mut PyBytes_Type;
    } else if cls.is(types.bool_type) {
        return &raw mut PyBool_Type;
    }
    if let Some(p) = IDENTITY.get(&proxy::host_addr(cls.as_object())).map(|p| *p) {
        return p as *mut PyTypeObject;
    }
    // A PyHeapTypeObject's room: C may read a heap class's names there. A
    // class of a C metaclass gets the metaclass's size, whose fields follow;
    // the metaclass's own type object says how large (a Python subclass of a
    // C metaclass may have grown it), as C finds the members after it.
    let metaclass_size = if crate::ctype::c_type_of(cls.class()).is_some() {
        let meta = type_proxy(vm, cls.class());
        // SAFETY: a type proxy is filled before it is returned and lives for ever (I7).
        unsafe { (*meta).tp_basicsize as usize }
    } else {
        0
    }
    .max(size_of::<ffi::PyHeapTypeObject>());
    // Then, as in CPython, the member table of the `__slots__` laid out in
    // the instances' C struct.
    let struct_slots = struct_slots(vm, cls);
    let members_size = match &struct_slots {
        Some(slots) if !slots.names.is_empty() => (slots.names.len() + 1) * size_of::<ffi::PyMemberDef>(),
        _ => 0,
    };
    let size = metaclass_size + members_size;
    // SAFETY: all-zero bytes are a valid PyHeapTypeObject (see static_types!);
    // the block is leaked, as type objects are immortal.
    let heap = unsafe {
        std::alloc::alloc_zeroed(std::alloc::Layout::from_size_align(size, 16).expect("a type object's size"))
    } as *mut ffi::PyHeapTypeObject;
    if heap.is_null() {
        crate::boundary::fatal("out of memory allocating a type object");
    }
    let tp = heap as *mut PyTypeObject;
    proxy::register_static(cls.to_owned().into(), tp as *mut PyObject);
    FILLING.with(|n| n.set(n.get() + 1));
    // SAFETY: a fresh, leaked type object, filled under the GIL (I1).
    unsafe { fill_type(vm, tp, cls) };
    if let Some(slots) = struct_slots {
        // SAFETY: the members' room follows the metaclass's part of `tp`.
        unsafe { lay_out_struct_slots(vm, tp, cls, &slots, metaclass_size) };
    }
    if cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE) {
        crate::api::typeobject::fill_class_names(vm, heap, cls);
    }
    // SAFETY: the type object filled above, under the GIL.
    if unsafe { (*tp).tp_dictoffset != 0 || (*tp).tp_flags & ffi::Py_TPFLAGS_MANAGED_DICT as u64 != 0 } {
        CLASSES_SHOWN_WITH_DICT.insert(tp as usize);
    }
    // Last: the subclasses it already has get their type objects now, and
    // those read this one's finished fields (a Python subclass's size).
    // SAFETY: the type object filled above.
    unsafe { record_subclass(vm, tp, cls) };
    FILLING.with(|n| n.set(n.get() - 1));
    make_waiting_subclasses(vm);
    // A metatype with a tp_alloc of its own fills in each of its classes
    // (SIP's wrappertype), as CPython's type.__new__ has it allocate them.
    crate::ctype::metatype_alloc::run(vm, tp, cls);
    tp
}

thread_local! {
    /// How many type objects this thread is filling: making one makes its
    /// bases', metaclass's and the bases tuple's, and those record their
    /// own subclasses, among which may be a subclass of the one half filled.
    static FILLING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Subclasses whose type objects wait until no fill is in progress, so
    /// that each reads its bases' finished fields (its size after a Python
    /// base's; PyTables' `class IndexesTableG(NotLoggedMixin, Group)`).
    static WAITING_SUBCLASSES: std::cell::RefCell<Vec<rustpython_vm::builtins::PyTypeRef>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes the type objects of the subclasses `record_subclass` queued, once
/// no type object is being filled on this thread.
fn make_waiting_subclasses(vm: &VirtualMachine) {
    if FILLING.with(|n| n.get()) != 0 {
        return;
    }
    while let Some(sub) = WAITING_SUBCLASSES.with(|w| w.borrow_mut().pop()) {
        // Its type object records it in its bases' as it is filled.
        type_proxy(vm, &sub);
    }
}

/// After Python set or deleted a dunder on `cls` (`mro.rs` wraps `type`'s
/// setattro): the type objects C has of it and of its subclasses take the
/// slots that now follow, as CPython's update_slot changes the class's and
/// its subclasses' slots. A class with a C base keeps the slots its C type
/// gave it; a class C has not seen gets them when its type object is made.
pub fn refresh_python_class_slots(vm: &VirtualMachine, cls: &Py<PyType>) {
    let mut pending: Vec<rustpython_vm::builtins::PyTypeRef> = vec![cls.to_owned()];
    let mut seen = std::collections::HashSet::new();
    let mut seen_by_c = Vec::new();
    while let Some(c) = pending.pop() {
        if !seen.insert(proxy::host_addr(c.as_object())) {
            continue;
        }
        let python_class = c.slots.flags.has_feature(PyTypeFlags::HEAPTYPE) && crate::ctype::c_type_of(&c).is_none();
        if python_class && let Some(p) = IDENTITY.get(&proxy::host_addr(c.as_object())).map(|p| *p) {
            seen_by_c.push((p as *mut PyTypeObject, c.clone()));
        }
        for weak in c.subclasses.read().iter() {
            if let Some(sub) = weak.upgrade().and_then(|s| s.downcast::<PyType>().ok()) {
                pending.push(sub);
            }
        }
    }
    if seen_by_c.is_empty() {
        return;
    }
    // Python code runs without the GIL; C reads these slots under it.
    let _gil = crate::gil::GilGuard::acquire(vm);
    for (tp, c) in seen_by_c {
        // SAFETY: the filled, immortal type proxy of a Python class (I7), under the GIL.
        unsafe { crate::slots::c_calls_python::fill_dunder_slots(vm, tp, &c) };
    }
}

/// Type objects of Python classes that C was first shown with an instance
/// dict (a tp_dictoffset or Py_TPFLAGS_MANAGED_DICT).
/// Classes made by a metatype C called, with the bases tuple C passed (a
/// tuple C made), until the class's type object is made.
static BASES_GIVEN: std::sync::LazyLock<dashmap::DashMap<usize, PyObjectRef>> = std::sync::LazyLock::new(dashmap::DashMap::new);

/// Notes the bases tuple a new class was made with, if C made it: that
/// tuple becomes the class's tp_bases, as in CPython, where C may go on
/// using a tuple the call stole (PyGObject's `"sNN"` to its metatype).
pub fn remember_bases_given(class: &Py<PyType>, bases: &PyObjectRef) {
    if IDENTITY.contains_key(&proxy::host_addr(bases)) {
        BASES_GIVEN.insert(class as *const Py<PyType> as usize, bases.clone());
    }
}

/// A class's bases as the tuple its tp_bases holds: the one it was made
/// with when C gave it (and it still lists the bases), else a new one.
fn bases_tuple(vm: &VirtualMachine, cls: &Py<PyType>) -> PyObjectRef {
    let bases: Vec<PyObjectRef> = cls.bases.read().iter().map(|b| b.as_object().to_owned()).collect();
    if let Some((_, given)) = BASES_GIVEN.remove(&(cls as *const Py<PyType> as usize)) {
        let same = given.downcast_ref::<rustpython_vm::builtins::PyTuple>().is_some_and(|t| {
            t.len() == bases.len() && t.iter().zip(&bases).all(|(a, b)| a.is(b))
        });
        if same {
            return given;
        }
    }
    vm.ctx.new_tuple(bases).into()
}

static CLASSES_SHOWN_WITH_DICT: std::sync::LazyLock<dashmap::DashSet<usize>> = std::sync::LazyLock::new(dashmap::DashSet::new);

/// Whether C took away the instance dict of a Python class it was shown
/// with one: a metatype that clears tp_dictoffset of a class it just made
/// (ExtensionClass's NoInstanceDictionaryBase).
pub(crate) fn dict_taken_away_by_c(tp: *mut PyTypeObject) -> bool {
    CLASSES_SHOWN_WITH_DICT.contains(&(tp as usize))
        // SAFETY: a type object in the set is a filled, immortal type proxy (I7).
        && unsafe { (*tp).tp_dictoffset == 0 && (*tp).tp_flags & ffi::Py_TPFLAGS_MANAGED_DICT as u64 == 0 }
}

/// `PyProperty_Type.tp_members`, as CPython's (`fget`, `fset`, `fdel`
/// read-only, `__doc__` writable). Only its names and flags are used: a C
/// subtype that lists it gets the host property's descriptors
/// (`ctype::add_members`); the offsets are never read.
static mut PROPERTY_MEMBERS: [ffi::PyMemberDef; 5] = [
    property_member(c"fget", ffi::READONLY as std::ffi::c_int),
    property_member(c"fset", ffi::READONLY as std::ffi::c_int),
    property_member(c"fdel", ffi::READONLY as std::ffi::c_int),
    property_member(c"__doc__", 0),
    ffi::PyMemberDef { name: std::ptr::null(), type_: 0, offset: 0, flags: 0, doc: std::ptr::null() },
];

const fn property_member(name: &'static std::ffi::CStr, flags: std::ffi::c_int) -> ffi::PyMemberDef {
    ffi::PyMemberDef {
        name: name.as_ptr(),
        type_: ffi::T_OBJECT as std::ffi::c_int,
        offset: 0,
        flags,
        doc: std::ptr::null(),
    }
}

pub(crate) fn property_members() -> *mut ffi::PyMemberDef {
    (&raw mut PROPERTY_MEMBERS).cast()
}

/// Keeps `tp_subclasses` of the type objects C sees as CPython 3.11 does: a
/// dict from the address of a subclass's type object to a weak reference to
/// the subclass, NULL while a type has no subclass. C tests the field for
/// NULL to skip a walk of `__subclasses__()` (nanobind's trampoline cache
/// invalidation). `cls` goes into its bases' dicts, and the subclasses a
/// heap type already has into its own (a builtin's many subclasses are
/// recorded as C meets them); a subclass made later that C never sees is
/// not recorded (differences.md).
///
/// # Safety
/// `tp` is the type object of `cls`, being filled or readied.
pub(crate) unsafe fn record_subclass(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>) {
    let bases: Vec<_> = cls.bases.read().iter().map(|b| b.to_owned()).collect();
    for base in bases {
        // SAFETY: the type object of a class C has seen or is about to (I7).
        unsafe { add_subclass(vm, type_proxy(vm, &base), tp, cls) };
    }
    if cls.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) {
        let existing: Vec<_> = cls.subclasses.read().iter().filter_map(|w| w.upgrade()).collect();
        let existing = existing.into_iter().filter_map(|sub| sub.downcast::<PyType>().ok());
        WAITING_SUBCLASSES.with(|w| w.borrow_mut().extend(existing));
        make_waiting_subclasses(vm);
    }
}

/// # Safety
/// `base_tp` and `sub_tp` (of `sub`) are type objects the layer made or
/// readied (I7).
unsafe fn add_subclass(vm: &VirtualMachine, base_tp: *mut PyTypeObject, sub_tp: *mut PyTypeObject, sub: &Py<PyType>) {
    // SAFETY: the caller's type object, under the GIL.
    unsafe {
        if (*base_tp).tp_subclasses.is_null() {
            (*base_tp).tp_subclasses = proxy::into_ref(vm, vm.ctx.new_dict().into());
            proxy::make_immortal((*base_tp).tp_subclasses);
        }
        let Ok(dict) = proxy::to_host(vm, (*base_tp).tp_subclasses) else { return };
        let Ok(weak) = sub.as_object().downgrade(None, vm) else { return };
        let key = vm.ctx.new_int(sub_tp as usize);
        let _ = dict.set_item(key.as_object(), weak.into(), vm);
    }
}

/// Fills the type object C sees for `cls`.
///
/// # Safety
/// `tp` must point at a type object that is being set up (not yet used by
/// C, or one of our statics at start-up) and registered as `cls`'s proxy;
/// the caller holds the GIL.
unsafe fn fill_type(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>) {
    // SAFETY: the caller's contract; `c_base` is a readied C type (I7).
    unsafe {
        (*tp).ob_base.ob_base.ob_refcnt = ffi::IMMORTAL_REFCNT;
        (*tp).ob_base.ob_base.ob_type = if cls.class().is(vm.ctx.types.type_type) {
            &raw mut PyType_Type
        } else {
            type_proxy(vm, cls.class())
        };
        (*tp).tp_name = CString::new(tp_name(vm, cls))
            .unwrap_or_default()
            .into_raw();
        let (basicsize, itemsize) = instance_sizes(vm, cls);
        (*tp).tp_basicsize = basicsize as ffi::Py_ssize_t;
        (*tp).tp_itemsize = itemsize as ffi::Py_ssize_t;
        (*tp).tp_flags = type_flags(vm, cls);
        // A class statement's docstring, as CPython's type.__new__ copies it.
        if cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE)
            && let Some(doc) = cls.attributes.get(vm.ctx.intern_str("__doc__"))
            && let Some(text) = doc.downcast_ref::<rustpython_vm::builtins::PyStr>().and_then(|d| d.to_str())
            && let Ok(text) = CString::new(text)
        {
            (*tp).tp_doc = text.into_raw();
        }
        if let Some(base) = cls.base.deref() {
            (*tp).tp_base = type_proxy(vm, &base);
        }
        // The bases and the MRO as tuples of type objects, as PyType_Ready
        // leaves them (pybind11 walks tp_bases up to object's empty one).
        (*tp).tp_bases = proxy::into_ref(vm, bases_tuple(vm, cls));
        proxy::make_immortal((*tp).tp_bases);
        let mro: Vec<PyObjectRef> = cls.mro_collect().into_iter().map(Into::into).collect();
        (*tp).tp_mro = proxy::into_ref(vm, vm.ctx.new_tuple(mro).into());
        proxy::make_immortal((*tp).tp_mro);
        crate::slots::builtin_methods::fill(vm, tp, cls);
        if cls.is(vm.ctx.types.property_type) {
            (*tp).tp_members = property_members();
        }
        if cls.is(vm.ctx.types.object_type) {
            crate::slots::c_calls_python::fill_object(tp);
            // Every ready type has its namespace there (orjson looks for
            // `__dataclass_fields__` in `Py_TYPE(o)->tp_dict`).
            (*tp).tp_dict = crate::ctype::type_dict(vm, vm.ctx.types.object_type);
        } else {
            crate::slots::c_calls_python::fill(vm, tp, cls);
            if cls.is(vm.ctx.types.type_type) {
                crate::slots::c_calls_python::fill_type(tp);
            }
        }
        if let Some(c_base) = crate::ctype::c_type_of(cls) {
            // A Python subclass of a C type: its instances are the C base's
            // structs, made and freed by the C base's functions.
            // After the fields of its nearest base (which may be a Python
            // class whose slots extended the C base's struct).
            let parent = (*tp).tp_base;
            let parent_is_struct = cls.base.deref().is_some_and(|b| crate::ctype::c_type_of(&b).is_some());
            (*tp).tp_basicsize = if parent_is_struct && !parent.is_null() { (*parent).tp_basicsize } else { (*c_base).tp_basicsize };
            (*tp).tp_itemsize = (*c_base).tp_itemsize;
            (*tp).tp_alloc = (*c_base).tp_alloc;
            (*tp).tp_free = (*c_base).tp_free;
            // CPython's subtype_dealloc, which runs the C base's: C tells
            // its own types' instances from a Python subclass's by
            // comparing `Py_TYPE(o)->tp_dealloc` with its own function
            // (PyGLM's PyGLM_GET_TYPE, then its fields of the static type).
            (*tp).tp_dealloc = Some(crate::ctype::subtype_dealloc);
            // The base's, unless the Python part defines `__new__`: then
            // CPython's slot_tp_new, which C can tell from the base's
            // (persistent keeps the `__slots__` of such classes as it
            // ghostifies them: `Py_TYPE(self)->tp_new == Pertype.tp_new`).
            (*tp).tp_new = if crate::slots::c_calls_python::python_part_defines(vm, cls, "__new__") {
                Some(crate::slots::c_calls_python::subclass_new)
            } else {
                (*c_base).tp_new
            };
            // The base's, unless the Python part defines `__init__`.
            (*tp).tp_init = if crate::slots::c_calls_python::python_part_defines(vm, cls, "__init__") {
                Some(crate::slots::c_calls_python::subclass_init)
            } else {
                (*c_base).tp_init
            };
            (*tp).tp_traverse = (*c_base).tp_traverse;
            (*tp).tp_clear = (*c_base).tp_clear;
            // Where the nearest base has them (lay_out_struct_slots adds
            // this class's own).
            let layout_parent = if parent_is_struct && !parent.is_null() { parent } else { c_base };
            (*tp).tp_dictoffset = (*layout_parent).tp_dictoffset;
            (*tp).tp_weaklistoffset = (*layout_parent).tp_weaklistoffset;
            // The instances are the C base's structs, so its vectorcall
            // pointer is where the base says (a C base whose tp_call is
            // PyVectorcall_Call reads it through the instance's type).
            (*tp).tp_vectorcall_offset = (*c_base).tp_vectorcall_offset;
            (*tp).tp_flags |= (*c_base).tp_flags & (ffi::Py_TPFLAGS_HAVE_GC | ffi::Py_TPFLAGS_HAVE_VECTORCALL) as u64;
            crate::ctype::remember_slots_at_birth(tp);
            crate::ctype::inherit_item_slots_of_c_base(vm, cls);
        } else if cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE) {
            // A Python class: C tests these for "has a __dict__" and
            // "supports weak references". The host keeps both outside the
            // proxy, so the dict is "managed" (no C address) as in CPython
            // 3.11, and the weak list offset is never followed by the layer.
            let flags = &cls.slots.flags;
            let mut struct_end = (*tp).tp_basicsize as usize;
            if flags.has_feature(PyTypeFlags::HAS_WEAKREF) && (*tp).tp_itemsize == 0 {
                (*tp).tp_weaklistoffset = (*tp).tp_basicsize;
                struct_end += size_of::<*mut PyObject>();
            }
            if flags.has_feature(PyTypeFlags::HAS_DICT) {
                (*tp).tp_dictoffset = managed_dict_offset(struct_end);
                (*tp).tp_flags |= ffi::Py_TPFLAGS_MANAGED_DICT as u64;
            }
        }
        if cls.fast_issubclass(vm.ctx.types.type_type) && crate::ctype::c_type_of(cls).is_none() {
            // Instances of `type` and its Python subclasses are type objects:
            // their dict is tp_dict and their weak list tp_weaklist, as
            // CPython states (Cython's Limited API code reads a class's dict
            // through `type.__dictoffset__`).
            (*tp).tp_dictoffset = std::mem::offset_of!(PyTypeObject, tp_dict) as ffi::Py_ssize_t;
            (*tp).tp_weaklistoffset = std::mem::offset_of!(PyTypeObject, tp_weaklist) as ffi::Py_ssize_t;
        }
        if cls.slots.as_buffer.load().is_some() || cls.fast_issubclass(vm.ctx.types.bytes_type) {
            (*tp).tp_as_buffer = if cls.slots.has_release_buffer.load() {
                &raw mut BUFFER_PROCS_WITH_RELEASE
            } else {
                &raw mut BUFFER_PROCS
            };
        } else if cls.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) {
            // A class statement's type has buffer slots of its own in
            // CPython (empty unless a base fills them), which C may fill in
            // (cffi's tests do); C's exporter then serves PyObject_GetBuffer.
            (*tp).tp_as_buffer = Box::leak(Box::new(ffi::PyBufferProcs { bf_getbuffer: None, bf_releasebuffer: None }));
        }
    }
}

/// The `__slots__` a Python class whose instances are C structs (it has a
/// C base) declares itself, except `__dict__` and `__weakref__`: CPython
/// lays them out in the struct, after the base's fields, and C code reads
/// them there through the class's member table (msgspec's Struct).
struct StructSlots {
    /// Sorted and mangled, as CPython orders them.
    names: Vec<String>,
    /// The class adds an instance dict: CPython 3.11's managed one, or a
    /// pointer after the items of a variable-size base.
    adds_dict: bool,
    /// The class adds weak reference support, and CPython a pointer for it.
    adds_weakref: bool,
}

fn struct_slots(vm: &VirtualMachine, cls: &Py<PyType>) -> Option<StructSlots> {
    if !cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE)
        || crate::ctype::is_own_c_type(cls)
        || crate::ctype::c_type_of(cls).is_none()
    {
        return None;
    }
    // The host decided whether instances have a dict and weak references
    // as CPython does (no `__slots__`, or `__dict__`/`__weakref__` among
    // them, or a secondary base that has them); the class adds each one no
    // base has already.
    let flags = &cls.slots.flags;
    let adds_dict = flags.has_feature(PyTypeFlags::HAS_DICT)
        && !cls.base.deref().is_some_and(|b| b.slots.flags.has_feature(PyTypeFlags::HAS_DICT));
    let adds_weakref =
        flags.has_feature(PyTypeFlags::HAS_WEAKREF) && !cls.base.deref().is_some_and(|b| has_weakref(vm, &b));
    let Some(slots) = cls.get_direct_attr(vm.ctx.intern_str("__slots__")) else {
        return Some(StructSlots { names: Vec::new(), adds_dict, adds_weakref });
    };
    let names: Vec<PyObjectRef> = if slots.downcast_ref::<rustpython_vm::builtins::PyStr>().is_some() {
        vec![slots]
    } else {
        slots.try_to_value::<Vec<PyObjectRef>>(vm).ok()?
    };
    let names: Vec<String> = names
        .iter()
        .filter_map(|n| n.downcast_ref::<rustpython_vm::builtins::PyStr>().map(|s| s.to_string()))
        .collect();
    let class_name = cls.name().to_string();
    let mut names: Vec<String> = names
        .into_iter()
        .filter(|n| n != "__dict__" && n != "__weakref__")
        .map(|n| mangle(&class_name, n))
        .collect();
    names.sort();
    Some(StructSlots { names, adds_dict, adds_weakref })
}

/// Whether instances of a class with a C base have CPython's weak
/// reference pointer: the C type's own, or one a Python class added.
fn has_weakref(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    if let Some(slots) = struct_slots(vm, cls) {
        return slots.adds_weakref || cls.base.deref().is_some_and(|b| has_weakref(vm, &b));
    }
    // SAFETY: a C type object is readied and immortal (I7).
    crate::ctype::c_type_of(cls).is_some_and(|tp| unsafe { (*tp).tp_weaklistoffset } != 0)
}

/// Python's private-name mangling: `__x` in class `C` is `_C__x`.
fn mangle(class_name: &str, name: String) -> String {
    if !name.starts_with("__") || name.ends_with("__") {
        return name;
    }
    let class_name = class_name.trim_start_matches('_');
    if class_name.is_empty() { name } else { format!("_{class_name}{name}") }
}

/// Gives each slot an object field at the end of the instances'
/// struct, an entry in the member table after the metaclass's part of the
/// type object (`Py_SIZE(type)` entries, as CPython's heap types have), and
/// a member descriptor on the class reading that field, in place of the
/// host's own slot storage.
///
/// # Safety
/// `tp` must be the type object `type_proxy` just made for `cls`, with
/// room for `slots.len() + 1` member entries at `members_offset`.
unsafe fn lay_out_struct_slots(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>, layout: &StructSlots, members_offset: usize) {
    let slots = &layout.names;
    let class: &'static Py<PyType> = Box::leak(Box::new(cls.to_owned()));
    // SAFETY: the caller's contract; the table is zeroed, so it ends in a
    // NULL entry.
    unsafe {
        let members = (tp as *mut u8).add(members_offset) as *mut ffi::PyMemberDef;
        let mut offset = ((*tp).tp_basicsize as usize).next_multiple_of(size_of::<*mut PyObject>());
        for (i, name) in slots.iter().enumerate() {
            let member = members.add(i);
            *member = ffi::PyMemberDef {
                name: CString::new(name.as_str()).unwrap_or_default().into_raw(),
                type_: ffi::T_OBJECT_EX as i32,
                offset: offset as ffi::Py_ssize_t,
                flags: 0,
                doc: std::ptr::null(),
            };
            offset += size_of::<*mut PyObject>();
            match crate::api::structmember::member_descriptor(vm, member, class) {
                Ok(descriptor) => cls.set_attr(vm.ctx.intern_str(name.as_str()), descriptor),
                Err(e) => vm.print_exception(&e),
            }
        }
        let var_sized = (*tp).tp_itemsize != 0;
        if layout.adds_dict && var_sized {
            // After the items, as CPython counts a negative offset; the
            // host keeps the dict (`_PyObject_GetDictPtr` gives it).
            (*tp).tp_dictoffset = -(size_of::<*mut PyObject>() as ffi::Py_ssize_t);
            offset += size_of::<*mut PyObject>();
        }
        if layout.adds_weakref {
            // CPython's room for the weak reference list; the host keeps
            // weak references itself, so it stays NULL.
            (*tp).tp_weaklistoffset = offset as ffi::Py_ssize_t;
            offset += size_of::<*mut PyObject>();
        }
        if layout.adds_dict && !var_sized {
            // CPython 3.11's managed dict, kept outside the struct: here
            // the host keeps it.
            (*tp).tp_dictoffset = managed_dict_offset(offset);
            (*tp).tp_flags |= ffi::Py_TPFLAGS_MANAGED_DICT as u64;
        }
        (*tp).tp_basicsize = offset as ffi::Py_ssize_t;
        (*tp).ob_base.ob_size = slots.len() as ffi::Py_ssize_t;
    }
    if !slots.is_empty() {
        STRUCT_SLOT_TYPES.insert(tp as usize);
        // Its instances hold references of their own now, which the
        // collector must follow (CPython makes such a subclass a GC type).
        // SAFETY: as above.
        unsafe { (*tp).tp_flags |= ffi::Py_TPFLAGS_HAVE_GC as u64 };
    }
}

/// The `tp_dictoffset` CPython 3.11 gives a class with a managed dict
/// whose struct ends at `struct_end`: the dict sits before the object.
fn managed_dict_offset(struct_end: usize) -> ffi::Py_ssize_t {
    -(struct_end as ffi::Py_ssize_t) - 3 * size_of::<*mut PyObject>() as ffi::Py_ssize_t
}

/// The type objects `lay_out_struct_slots` gave a member table.
static STRUCT_SLOT_TYPES: std::sync::LazyLock<dashmap::DashSet<usize>> = std::sync::LazyLock::new(dashmap::DashSet::new);

/// The object fields `lay_out_struct_slots` gave the classes of `object`
/// (its own and its Python bases'), each released as the struct is freed,
/// as CPython's subtype_dealloc clears slots.
///
/// # Safety
/// `object` must be an instance of a C type whose tp_dealloc has run, under
/// the GIL.
pub unsafe fn release_struct_slots(object: *mut PyObject) {
    // SAFETY: the caller's contract.
    unsafe {
        visit_struct_fields(object, |field| proxy::xdecref(std::mem::replace(&mut *field, std::ptr::null_mut())));
    }
}

/// Runs `f` on each object field `lay_out_struct_slots` gave the classes of
/// `object`: their slots (what CPython's subtype_traverse visits and
/// subtype_clear clears).
///
/// # Safety
/// `object` must be a live instance of a C type, under the GIL or in the
/// collector.
pub unsafe fn visit_struct_fields(object: *mut PyObject, mut f: impl FnMut(*mut *mut PyObject)) {
    // SAFETY: the caller's contract; heap type objects and their member
    // tables live as long as their instances.
    unsafe {
        let mut tp = (*object).ob_type;
        while !tp.is_null() && (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0 {
            let count = (*tp).ob_base.ob_size;
            if count > 0 && STRUCT_SLOT_TYPES.contains(&(tp as usize)) {
                let meta = (*tp).ob_base.ob_base.ob_type;
                let members = (tp as *mut u8).add((*meta).tp_basicsize as usize) as *const ffi::PyMemberDef;
                for i in 0..count as usize {
                    f((object as *mut u8).add((*members.add(i)).offset as usize) as *mut *mut PyObject);
                }
            }
            tp = (*tp).tp_base;
        }
    }
}

/// CPython's `tp_name`: a static type outside builtins names its module
/// ("array.array"), a heap type is its `__name__`.
pub(crate) fn tp_name(vm: &VirtualMachine, cls: &Py<PyType>) -> String {
    let name = cls.slot_name().to_string();
    if name.contains('.') || cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE) {
        return name;
    }
    let module = cls
        .get_direct_attr(vm.ctx.intern_str("__module__"))
        .and_then(|m| {
            m.downcast_ref::<rustpython_vm::builtins::PyStr>()
                .map(|s| s.to_string())
        });
    match module {
        Some(module) if module != "builtins" => format!("{module}.{name}"),
        _ => name,
    }
}

fn instance_sizes(vm: &VirtualMachine, cls: &Py<PyType>) -> (usize, usize) {
    let types = &vm.ctx.types;
    if cls.fast_issubclass(types.tuple_type) {
        (size_of::<ffi::PyVarObject>(), size_of::<*mut PyObject>())
    } else if cls.fast_issubclass(types.bytes_type) {
        (std::mem::offset_of!(ffi::PyBytesObject, ob_sval) + 1, 1)
    } else if cls.fast_issubclass(types.float_type) {
        (size_of::<ffi::PyFloatObject>(), 0)
    } else if cls.fast_issubclass(types.str_type) {
        (crate::api::unicodeobject::STR_BASICSIZE, 0)
    } else if cls.is(types.bool_type) {
        // CPython 3.11's PyBool_Type says sizeof(struct _longobject) (one
        // digit included), not int's offsetof(ob_digit): Cython 0.29's
        // `from cpython cimport bool` (PyBoolObject = PyLongObject) refuses a
        // smaller bool ("builtins.bool size changed ... Expected 32").
        (size_of::<ffi::PyLongObject>(), size_of::<u32>())
    } else if cls.fast_issubclass(types.int_type) {
        (std::mem::offset_of!(ffi::PyLongObject, ob_digit), size_of::<u32>())
    } else if cls.fast_issubclass(types.complex_type) {
        (size_of::<ffi::PyComplexObject>(), 0)
    } else if cls.fast_issubclass(types.type_type) {
        // CPython's sizes for type objects; Cython checks them when a module
        // cimports `type` (any `from cpython cimport ...`).
        (size_of::<ffi::PyHeapTypeObject>(), size_of::<ffi::PyMemberDef>())
    } else if cls.fast_issubclass(types.list_type) {
        // The structs of our headers: Cython checks that a builtin base of a
        // cdef class is at least as large as the struct it compiled against.
        (size_of::<ffi::PyListObject>(), 0)
    } else if cls.fast_issubclass(types.bytearray_type) {
        (size_of::<ffi::PyByteArrayObject>(), 0)
    } else if cls.fast_issubclass(types.set_type) || cls.fast_issubclass(types.frozenset_type) {
        (size_of::<ffi::PySetObject>(), 0)
    } else if cls.fast_issubclass(types.dict_type) {
        (size_of::<ffi::PyDictObject>(), 0)
    } else if cls.fast_issubclass(vm.ctx.exceptions.base_exception_type) {
        (exception_size(vm, cls), 0)
    } else if cls.fast_issubclass(types.weakref_type) {
        // Cython checks a cdef subclass of weakref.ref against it.
        (size_of::<ffi::PyWeakReference>(), 0)
    } else if let Some(sizes) = crate::api::code::struct_type_sizes(vm, cls) {
        // Code objects, frames, tracebacks and generators: proxies with a C
        // struct, whose size Cython checks when a module declares the type
        // (`ctypedef class types.CodeType [object PyCodeObject]`).
        sizes
    } else if crate::api::arraymodule::is_array_class(cls) {
        // CPython's arrayobject, which Cython's cpython/array.pxd checks.
        (crate::api::arraymodule::ARRAY_OBJECT_SIZE, 0)
    } else {
        // Room for the `__slots__` of a Python class where CPython keeps
        // them, at the offsets their member descriptors give C
        // (`slot_member_offset`).
        (size_of::<PyObject>() + cls.slots.member_count * size_of::<*mut PyObject>(), 0)
    }
}

/// The offset C sees for a member descriptor of a Python class's
/// `__slots__`: CPython's, after the object header, in slot order (a base
/// class's first). None for any other member.
pub fn slot_member_offset(vm: &VirtualMachine, descriptor: &rustpython_vm::PyObject) -> Option<usize> {
    use rustpython_vm::builtins::descriptor::{MemberKind, PyMemberDescriptor};
    static FIRST_SLOT: std::sync::OnceLock<isize> = std::sync::OnceLock::new();
    let member = &descriptor.downcast_ref::<PyMemberDescriptor>()?.member;
    if !matches!(member.kind, MemberKind::ObjectEx) || member.offset >= 0 {
        return None;
    }
    // The host counts its slot cells backwards from a fixed point; the
    // first slot of a one-slot class tells where.
    let first = *FIRST_SLOT.get_or_init(|| {
        let probe = || -> PyResult<isize> {
            let namespace = vm.ctx.new_dict();
            namespace.set_item("__slots__", vm.ctx.new_tuple(vec![vm.ctx.new_str("a").into()]).into(), vm)?;
            let cls = vm.ctx.types.type_type.as_object().call(("_slot_probe", vm.ctx.new_tuple(vec![]), namespace), vm)?;
            let a = cls.get_attr("a", vm)?;
            Ok(a.downcast_ref::<PyMemberDescriptor>().map_or(0, |d| d.member.offset))
        };
        probe().unwrap_or(0)
    });
    let cell = size_of::<*mut PyObject>() as isize;
    let index = (first - member.offset) / cell;
    (first < 0 && index >= 0).then(|| size_of::<PyObject>() + index as usize * cell as usize)
}

/// The struct of an exception class in our headers (pyerrors.h): the base
/// one, or the larger struct of its family.
fn exception_size(vm: &VirtualMachine, cls: &Py<PyType>) -> usize {
    let e = &vm.ctx.exceptions;
    let families: [(&Py<PyType>, usize); 9] = [
        (e.syntax_error, size_of::<ffi::PySyntaxErrorObject>()),
        (e.import_error, size_of::<ffi::PyImportErrorObject>()),
        (e.unicode_error, size_of::<ffi::PyUnicodeErrorObject>()),
        (e.system_exit, size_of::<ffi::PySystemExitObject>()),
        (e.os_error, size_of::<ffi::PyOSErrorObject>()),
        (e.stop_iteration, size_of::<ffi::PyStopIterationObject>()),
        (e.name_error, size_of::<ffi::PyNameErrorObject>()),
        (e.attribute_error, size_of::<ffi::PyAttributeErrorObject>()),
        (e.base_exception_group, size_of::<ffi::PyBaseExceptionGroupObject>()),
    ];
    families
        .iter()
        .find(|(family, _)| cls.fast_issubclass(*family))
        .map_or(size_of::<ffi::PyBaseExceptionObject>(), |(_, size)| *size)
}

fn type_flags(vm: &VirtualMachine, cls: &Py<PyType>) -> u64 {
    let mut flags = (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_READY) as u64;
    let host_flags = &cls.slots.flags;
    if host_flags.has_feature(PyTypeFlags::BASETYPE) {
        flags |= ffi::Py_TPFLAGS_BASETYPE as u64;
    }
    if host_flags.has_feature(PyTypeFlags::HEAPTYPE) {
        flags |= ffi::Py_TPFLAGS_HEAPTYPE as u64;
    }
    if is_gc_class(vm, cls) {
        flags |= ffi::Py_TPFLAGS_HAVE_GC as u64;
    }
    flags | subclass_flags(vm, cls)
}

/// Whether CPython's collector would follow instances of a host class (C
/// checks `PyObject_IS_GC` before tracking or walking a value): every
/// Python class and every builtin that can hold references. A Python
/// subclass of a C type takes the C base's flag instead (see `fill_type`).
pub(crate) fn is_gc_class(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    let types = &vm.ctx.types;
    if cls.slots.flags.has_feature(PyTypeFlags::HEAPTYPE) {
        return crate::ctype::c_type_of(cls).is_none();
    }
    let atomic: [&Py<PyType>; 13] = [
        types.object_type, types.int_type, types.bool_type, types.float_type, types.complex_type, types.str_type,
        types.bytes_type, types.bytearray_type, types.none_type, types.range_type, types.slice_type,
        types.ellipsis_type, types.not_implemented_type,
    ];
    !atomic.iter().any(|t| cls.is(*t)) && crate::ctype::c_type_of(cls).is_none()
}

/// The fast-subclass bits (`Py_TPFLAGS_LONG_SUBCLASS`, ...) of a class.
pub fn subclass_flags(vm: &VirtualMachine, cls: &Py<PyType>) -> u64 {
    let types = &vm.ctx.types;
    let mut flags = 0;
    let subclass_bits: [(&Py<PyType>, u64); 8] = [
        (types.int_type, ffi::Py_TPFLAGS_LONG_SUBCLASS as u64),
        (types.list_type, ffi::Py_TPFLAGS_LIST_SUBCLASS as u64),
        (types.tuple_type, ffi::Py_TPFLAGS_TUPLE_SUBCLASS as u64),
        (types.bytes_type, ffi::Py_TPFLAGS_BYTES_SUBCLASS as u64),
        (types.str_type, ffi::Py_TPFLAGS_UNICODE_SUBCLASS as u64),
        (types.dict_type, ffi::Py_TPFLAGS_DICT_SUBCLASS as u64),
        (
            vm.ctx.exceptions.base_exception_type,
            ffi::Py_TPFLAGS_BASE_EXC_SUBCLASS as u64,
        ),
        (types.type_type, ffi::Py_TPFLAGS_TYPE_SUBCLASS as u64),
    ];
    for (base, bit) in subclass_bits {
        if cls.fast_issubclass(base) {
            flags |= bit;
        }
    }
    flags
}

/// A module the layer itself uses (`_codecs`, `warnings`, `_imp`...): from
/// `sys.modules`, else imported through the interpreter's own `__import__`.
/// Not through the running frame's builtins, as `vm.import` does: code run
/// with `{"__builtins__": {}}` (namedtuple's `eval`) still calls C that
/// decodes text, and CPython's C does that without importing anything.
pub fn import_for_layer(vm: &VirtualMachine, name: &'static str) -> rustpython_vm::PyResult {
    if let Ok(module) = vm.sys_module.get_attr("modules", vm).and_then(|m| m.get_item(name, vm)) {
        if !vm.is_none(&module) {
            return Ok(module);
        }
    }
    vm.builtins.get_attr("__import__", vm)?.call((name,), vm)
}
