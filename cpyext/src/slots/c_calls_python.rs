//! Python classes seen from C.
//!
//! The `PyTypeObject` the layer makes for a class defined in Python (or a
//! builtin without a static type object) gets slot functions that run the
//! class's own behaviour through the host, so C code that calls
//! `Py_TYPE(o)->tp_repr(o)` or `tp_as_number->nb_add` runs the Python
//! method, overrides included. Only what the class defines is filled, so C
//! code that tests a slot (`if (tp->tp_iter)`) learns what it can do.
//!
//! The slot functions here are only called by C, through the type objects
//! they are stored in, with the arguments of the slot's CPython signature:
//! that is their (shared) safety contract, and they hand the pointers on to
//! the API functions of the same contract.
use crate::api::{r#abstract as abs, object as obj};
use crate::boundary::enter_api;
use crate::ffi::{self, Py_hash_t, Py_ssize_t, PyObject, PyTypeObject};
use crate::proxy::{into_ref, to_host};
use dashmap::DashSet;
use rustpython_vm::builtins::PyType;
use rustpython_vm::{AsObject, Py, VirtualMachine};
use std::ffi::c_int;
use std::sync::LazyLock;

/// Type objects filled with these wrappers (a C type must not inherit them:
/// its trampolines would call straight back into itself).
static PYTHON_CLASS_TYPES: LazyLock<DashSet<usize>> = LazyLock::new(DashSet::new);

pub fn is_python_class_type(tp: *mut PyTypeObject) -> bool {
    PYTHON_CLASS_TYPES.contains(&(tp as usize))
}

/// Whether C calls one of these slots on an instance of a C type. C reaches
/// them through a base's type object (`PyProperty_Type.tp_descr_get(self,
/// ...)` in pybind11's static property): a super-call, which must run the
/// base's own behaviour; dispatching on the instance would call the C
/// type's own slot, which called this one, again.
///
/// # Safety
/// `o` must be a live object.
unsafe fn is_super_call(o: *mut PyObject) -> bool {
    // SAFETY: the caller's contract.
    let tp = unsafe { (*o).ob_type };
    !is_python_class_type(tp) && tp != &raw mut crate::types::PyBaseObject_Type
}

/// The class whose own slot a super-call runs: the first in the instance's
/// MRO that is not a C type. In the MRO, not the tp_base chain: a builtin
/// may come in through tp_bases (numpy's float64, whose tp_hash is
/// PyFloat_Type's, has `floating` as tp_base and float as a further base).
fn super_slot_owner(obj: &rustpython_vm::PyObject) -> rustpython_vm::builtins::PyTypeRef {
    let cls = obj.class();
    if !crate::ctype::is_own_c_type(cls) {
        return cls.to_owned();
    }
    cls.mro.read().iter().find(|c| !crate::ctype::is_own_c_type(c)).cloned().unwrap_or_else(|| cls.to_owned())
}

unsafe extern "C" fn tp_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("tp_repr", true, |vm| {
                let host = to_host(vm, o)?;
                match super_slot_owner(&host).slots.repr.load() {
                    Some(repr) => Ok(into_ref(vm, repr(&host, vm)?.into())),
                    None => Ok(into_ref(vm, host.repr(vm)?.into())),
                }
            });
        }
        obj::PyObject_Repr(o)
    }
}
unsafe extern "C" fn tp_str(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("tp_str", true, |vm| {
                let host = to_host(vm, o)?;
                match super_slot_owner(&host).slots.str.load() {
                    Some(str) => Ok(into_ref(vm, str(&host, vm)?.into())),
                    None => Ok(into_ref(vm, host.str(vm)?.into())),
                }
            });
        }
        obj::PyObject_Str(o)
    }
}
unsafe extern "C" fn tp_hash(o: *mut PyObject) -> Py_hash_t {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("tp_hash", true, |vm| {
                let host = to_host(vm, o)?;
                let hash = match super_slot_owner(&host).slots.hash.load() {
                    Some(hash) => hash(&host, vm)?,
                    None => host.hash(vm)?,
                };
                Ok(hash as Py_hash_t)
            });
        }
        obj::PyObject_Hash(o)
    }
}
unsafe extern "C" fn tp_call(
    o: *mut PyObject,
    args: *mut PyObject,
    kwargs: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("tp_call", true, |vm| {
                let host = to_host(vm, o)?;
                let (positional, keywords) = call_args(vm, args, kwargs)?;
                let call = super_slot_owner(&host).slots.call.load().ok_or_else(|| {
                    vm.new_type_error(format!("'{}' object is not callable", host.class().name()))
                })?;
                Ok(into_ref(vm, call(&host, rustpython_vm::function::FuncArgs::new(positional, keywords), vm)?))
            });
        }
        abs::PyObject_Call(o, args, kwargs)
    }
}
unsafe extern "C" fn tp_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(a) {
            // The builtin's own comparison (a C type whose tp_richcompare
            // is PyBytes_Type's, as numpy's bytes_): dispatching on `a`
            // would reach this slot again.
            return enter_api("tp_richcompare", true, |vm| {
                let name = match op as u32 {
                    ffi::Py_LT => "__lt__",
                    ffi::Py_LE => "__le__",
                    ffi::Py_EQ => "__eq__",
                    ffi::Py_NE => "__ne__",
                    ffi::Py_GT => "__gt__",
                    ffi::Py_GE => "__ge__",
                    _ => return Err(vm.new_system_error("tp_richcompare: bad comparison operator".to_owned())),
                };
                let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
                let method = super_slot_owner(&a).as_object().get_attr(name, vm)?;
                Ok(into_ref(vm, method.call((a, b), vm)?))
            });
        }
        obj::PyObject_RichCompare(a, b, op)
    }
}
unsafe extern "C" fn tp_iter(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyObject_GetIter(o) }
}
/// NULL without an exception at the end, as tp_iternext may return; but a
/// StopIteration that carries a value (a generator's return value) stays
/// set, as CPython's slot for `__next__` leaves it.
unsafe extern "C" fn tp_iternext(o: *mut PyObject) -> *mut PyObject {
    enter_api("tp_iternext", true, |vm| {
        let o = to_host(vm, o)?;
        match rustpython_vm::protocol::PyIter::new(o).next(vm)? {
            rustpython_vm::protocol::PyIterReturn::Return(item) => Ok(into_ref(vm, item)),
            rustpython_vm::protocol::PyIterReturn::StopIteration(None) => Ok(std::ptr::null_mut()),
            rustpython_vm::protocol::PyIterReturn::StopIteration(Some(value)) => Err(vm.new_stop_iteration(Some(value))),
        }
    })
}
/// `descr.__get__(obj, type)` through the host class's own slot (a function
/// binds, a property reads); a NULL object or type is absent, as in CPython.
unsafe extern "C" fn tp_descr_get(descr: *mut PyObject, obj: *mut PyObject, cls: *mut PyObject) -> *mut PyObject {
    enter_api("tp_descr_get", true, |vm| {
        let descr = to_host(vm, descr)?;
        let obj = crate::proxy::opt_to_host(vm, obj)?;
        let cls = crate::proxy::opt_to_host(vm, cls)?;
        let Some(get) = super_slot_owner(&descr).slots.descr_get.load() else {
            return Ok(into_ref(vm, descr));
        };
        Ok(into_ref(vm, get(&descr, obj.as_deref(), cls.as_deref(), vm)?))
    })
}
/// `descr.__set__(obj, value)`, or `descr.__delete__(obj)` for a NULL value.
unsafe extern "C" fn tp_descr_set(descr: *mut PyObject, obj: *mut PyObject, value: *mut PyObject) -> c_int {
    enter_api("tp_descr_set", true, |vm| {
        let descr = to_host(vm, descr)?;
        let obj = to_host(vm, obj)?;
        let value = match crate::proxy::opt_to_host(vm, value)? {
            Some(v) => rustpython_vm::function::PySetterValue::Assign(v),
            None => rustpython_vm::function::PySetterValue::Delete,
        };
        let set = super_slot_owner(&descr).slots.descr_set.load().ok_or_else(|| {
            vm.new_attribute_error(format!("'{}' object has no attribute '__set__'", descr.class().name()))
        })?;
        set(&descr, obj, value, vm)?;
        Ok(0)
    })
}
unsafe extern "C" fn tp_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("tp_getattro", true, |vm| {
                let host = to_host(vm, o)?;
                let name = attribute_name(vm, name)?;
                match super_slot_owner(&host).slots.getattro.load() {
                    Some(getattro) => Ok(into_ref(vm, getattro(&host, &name, vm)?)),
                    None => Ok(into_ref(vm, host.get_attr(&name, vm)?)),
                }
            });
        }
        obj::PyObject_GetAttr(o, name)
    }
}
unsafe extern "C" fn tp_setattro(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("tp_setattro", true, |vm| {
                let host = to_host(vm, o)?;
                let name = attribute_name(vm, name)?;
                let value = match crate::proxy::opt_to_host(vm, v)? {
                    Some(v) => rustpython_vm::function::PySetterValue::Assign(v),
                    None => rustpython_vm::function::PySetterValue::Delete,
                };
                let setattro = super_slot_owner(&host).slots.setattro.load().ok_or_else(|| {
                    vm.new_attribute_error(format!("'{}' object has no attributes", host.class().name()))
                })?;
                setattro(&host, &name, value, vm)?;
                Ok(0)
            });
        }
        obj::PyObject_SetAttr(o, name, v)
    }
}

macro_rules! binary_wrappers {
    ($($wrapper:ident => $api:ident, $special:literal),* $(,)?) => {
        $(
            unsafe extern "C" fn $wrapper(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
                // SAFETY: C calls this slot with two objects, the contract of
                // the API function it forwards to.
                unsafe {
                    if is_super_call(a) {
                        // `PySet_Type.tp_as_number->nb_inplace_subtract(self, ...)`
                        // from a C subtype's own slot: the builtin's method.
                        return enter_api(stringify!($wrapper), true, |vm| {
                            let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
                            Ok(into_ref(vm, owner_special(vm, &a, $special, vec![b])?))
                        });
                    }
                    abs::$api(a, b)
                }
            }
        )*
    };
}

binary_wrappers! {
    nb_add => PyNumber_Add, "__add__", nb_subtract => PyNumber_Subtract, "__sub__",
    nb_multiply => PyNumber_Multiply, "__mul__", nb_remainder => PyNumber_Remainder, "__mod__",
    nb_divmod => PyNumber_Divmod, "__divmod__", nb_lshift => PyNumber_Lshift, "__lshift__",
    nb_rshift => PyNumber_Rshift, "__rshift__", nb_and => PyNumber_And, "__and__",
    nb_xor => PyNumber_Xor, "__xor__", nb_or => PyNumber_Or, "__or__",
    nb_floor_divide => PyNumber_FloorDivide, "__floordiv__", nb_true_divide => PyNumber_TrueDivide, "__truediv__",
    nb_matrix_multiply => PyNumber_MatrixMultiply, "__matmul__", sq_concat => PyNumber_Add, "__add__",
    nb_inplace_add => PyNumber_InPlaceAdd, "__iadd__", nb_inplace_subtract => PyNumber_InPlaceSubtract, "__isub__",
    nb_inplace_multiply => PyNumber_InPlaceMultiply, "__imul__", nb_inplace_remainder => PyNumber_InPlaceRemainder, "__imod__",
    nb_inplace_lshift => PyNumber_InPlaceLshift, "__ilshift__", nb_inplace_rshift => PyNumber_InPlaceRshift, "__irshift__",
    nb_inplace_and => PyNumber_InPlaceAnd, "__iand__", nb_inplace_xor => PyNumber_InPlaceXor, "__ixor__",
    nb_inplace_or => PyNumber_InPlaceOr, "__ior__",
    nb_inplace_floor_divide => PyNumber_InPlaceFloorDivide, "__ifloordiv__",
    nb_inplace_true_divide => PyNumber_InPlaceTrueDivide, "__itruediv__",
    nb_inplace_matrix_multiply => PyNumber_InPlaceMatrixMultiply, "__imatmul__",
}

/// The builtin class along `o`'s MRO (not a Python class, not a C type)
/// whose own namespace defines `name`, with that method.
fn builtin_defining(vm: &VirtualMachine, o: &rustpython_vm::PyObject, name: &'static str) -> Option<rustpython_vm::PyObjectRef> {
    let name = vm.ctx.intern_str(name);
    let heap = rustpython_vm::types::PyTypeFlags::HEAPTYPE;
    o.class()
        .mro
        .read()
        .iter()
        .filter(|c| !c.slots.flags.has_feature(heap) && !crate::ctype::is_own_c_type(c))
        .find_map(|c| c.get_direct_attr(name))
}

/// A builtin type's own binary operation, as CPython's builtin slots are
/// (`long_and`, `set_ior`...): the builtin along `a`'s MRO runs `special`
/// on (a, b); failing that, the one along `b`'s runs `reflected` on (b, a).
/// Never a dispatch on the operands' classes, whose own slot may be what
/// called this (PyGObject's flags: `PyLong_Type.tp_as_number->nb_and(a, b)`
/// from the flags type's nb_and).
fn builtin_binary(vm: &VirtualMachine, a: &rustpython_vm::PyObjectRef, b: &rustpython_vm::PyObjectRef, special: &'static str, reflected: Option<&'static str>) -> rustpython_vm::PyResult {
    if let Some(method) = builtin_defining(vm, a, special) {
        let result = method.call((a.clone(), b.clone()), vm)?;
        if !result.is(&vm.ctx.not_implemented) {
            return Ok(result);
        }
    }
    match reflected.and_then(|name| builtin_defining(vm, b, name)) {
        Some(method) => method.call((b.clone(), a.clone()), vm),
        None => Ok(vm.ctx.not_implemented()),
    }
}

macro_rules! builtin_binary_wrappers {
    ($($field:ident => $wrapper:ident, $special:literal, $reflected:expr),* $(,)?) => {
        $(
            unsafe extern "C" fn $wrapper(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
                enter_api(stringify!($field), true, |vm| {
                    let (a, b) = (to_host(vm, a)?, to_host(vm, b)?);
                    Ok(into_ref(vm, builtin_binary(vm, &a, &b, $special, $reflected)?))
                })
            }
        )*
        /// Gives the number table of a builtin type (int, set, float...) the
        /// builtin's own operations in place of the dispatching wrappers.
        fn use_builtin_operations(number: &mut ffi::PyNumberMethods) {
            $( if number.$field.is_some() { number.$field = Some($wrapper); } )*
        }
    };
}

builtin_binary_wrappers! {
    nb_add => builtin_nb_add, "__add__", Some("__radd__"), nb_subtract => builtin_nb_subtract, "__sub__", Some("__rsub__"),
    nb_multiply => builtin_nb_multiply, "__mul__", Some("__rmul__"), nb_remainder => builtin_nb_remainder, "__mod__", Some("__rmod__"),
    nb_divmod => builtin_nb_divmod, "__divmod__", Some("__rdivmod__"), nb_lshift => builtin_nb_lshift, "__lshift__", Some("__rlshift__"),
    nb_rshift => builtin_nb_rshift, "__rshift__", Some("__rrshift__"), nb_and => builtin_nb_and, "__and__", Some("__rand__"),
    nb_xor => builtin_nb_xor, "__xor__", Some("__rxor__"), nb_or => builtin_nb_or, "__or__", Some("__ror__"),
    nb_floor_divide => builtin_nb_floor_divide, "__floordiv__", Some("__rfloordiv__"),
    nb_true_divide => builtin_nb_true_divide, "__truediv__", Some("__rtruediv__"),
    nb_matrix_multiply => builtin_nb_matrix_multiply, "__matmul__", Some("__rmatmul__"),
    nb_inplace_add => builtin_nb_inplace_add, "__iadd__", None, nb_inplace_subtract => builtin_nb_inplace_subtract, "__isub__", None,
    nb_inplace_multiply => builtin_nb_inplace_multiply, "__imul__", None, nb_inplace_remainder => builtin_nb_inplace_remainder, "__imod__", None,
    nb_inplace_lshift => builtin_nb_inplace_lshift, "__ilshift__", None, nb_inplace_rshift => builtin_nb_inplace_rshift, "__irshift__", None,
    nb_inplace_and => builtin_nb_inplace_and, "__iand__", None, nb_inplace_xor => builtin_nb_inplace_xor, "__ixor__", None,
    nb_inplace_or => builtin_nb_inplace_or, "__ior__", None,
    nb_inplace_floor_divide => builtin_nb_inplace_floor_divide, "__ifloordiv__", None,
    nb_inplace_true_divide => builtin_nb_inplace_true_divide, "__itruediv__", None,
    nb_inplace_matrix_multiply => builtin_nb_inplace_matrix_multiply, "__imatmul__", None,
}

unsafe extern "C" fn nb_inplace_power(a: *mut PyObject, b: *mut PyObject, c: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_InPlacePower(a, b, c) }
}

unsafe extern "C" fn nb_power(
    a: *mut PyObject,
    b: *mut PyObject,
    c: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_Power(a, b, c) }
}
unsafe extern "C" fn nb_negative(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_Negative(o) }
}
unsafe extern "C" fn nb_positive(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_Positive(o) }
}
unsafe extern "C" fn nb_absolute(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_Absolute(o) }
}
unsafe extern "C" fn nb_invert(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_Invert(o) }
}
unsafe extern "C" fn nb_int(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_Long(o) }
}
unsafe extern "C" fn nb_float(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { abs::PyNumber_Float(o) }
}
unsafe extern "C" fn nb_bool(o: *mut PyObject) -> c_int {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { obj::PyObject_IsTrue(o) }
}
/// `type(o).<name>(o)`: a special method, looked up on the type as the
/// interpreter does.
fn call_special(vm: &VirtualMachine, o: *mut PyObject, name: &'static str) -> rustpython_vm::PyResult<*mut PyObject> {
    let o = to_host(vm, o)?;
    let Some(method) = o.class().get_attr(vm.ctx.intern_str(name)) else {
        return Err(vm.new_attribute_error(format!("'{}' object has no attribute '{name}'", o.class().name())));
    };
    Ok(into_ref(vm, method.call((o,), vm)?))
}
unsafe extern "C" fn am_await(o: *mut PyObject) -> *mut PyObject {
    enter_api("am_await", true, |vm| call_special(vm, o, "__await__"))
}
unsafe extern "C" fn am_aiter(o: *mut PyObject) -> *mut PyObject {
    enter_api("am_aiter", true, |vm| call_special(vm, o, "__aiter__"))
}
unsafe extern "C" fn am_anext(o: *mut PyObject) -> *mut PyObject {
    enter_api("am_anext", true, |vm| call_special(vm, o, "__anext__"))
}
unsafe extern "C" fn nb_index(o: *mut PyObject) -> *mut PyObject {
    enter_api("nb_index", true, |vm| {
        let o = to_host(vm, o)?;
        Ok(into_ref(vm, o.try_index(vm)?.into()))
    })
}
/// A super-call of a protocol slot (`PyDict_Type.tp_as_mapping->
/// mp_ass_subscript(self, ...)` from a C subtype's own slot): the builtin's
/// special method `name`, from the first class in the instance's MRO that
/// is not a C type, called on `o` with `args`. Dispatching on the instance
/// would run the C subtype's slot, which called this one, again.
fn owner_special(vm: &VirtualMachine, o: &rustpython_vm::PyObjectRef, name: &'static str, args: Vec<rustpython_vm::PyObjectRef>) -> rustpython_vm::PyResult {
    let owner = super_slot_owner(o);
    let Some(method) = owner.get_attr(vm.ctx.intern_str(name)) else {
        return Err(vm.new_attribute_error(format!("type object '{}' has no attribute '{name}'", owner.name())));
    };
    let mut all = Vec::with_capacity(args.len() + 1);
    all.push(o.clone());
    all.extend(args);
    method.call(all, vm)
}
unsafe extern "C" fn len(o: *mut PyObject) -> Py_ssize_t {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("sq_length", true, |vm| {
                let host = to_host(vm, o)?;
                owner_special(vm, &host, "__len__", vec![])?.try_into_value(vm)
            });
        }
        abs::PyObject_Size(o)
    }
}
unsafe extern "C" fn mp_subscript(o: *mut PyObject, key: *mut PyObject) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("mp_subscript", true, |vm| {
                let (host, key) = (to_host(vm, o)?, to_host(vm, key)?);
                Ok(into_ref(vm, owner_special(vm, &host, "__getitem__", vec![key])?))
            });
        }
        abs::PyObject_GetItem(o, key)
    }
}
/// `base.name(o, arg)` for the builtin sequence type `o` derives from
/// (list, tuple, str, bytes or bytearray): the table's repeat and
/// in-place slots run the builtin's own method, as CPython's do, never a
/// subclass's override (which may itself call the slot).
fn builtin_sequence_call(slot: &'static str, o: *mut PyObject, name: &'static str, arg: impl FnOnce(&VirtualMachine) -> rustpython_vm::PyResult) -> *mut PyObject {
    enter_api(slot, true, |vm| {
        let o = to_host(vm, o)?;
        let types = &vm.ctx.types;
        let base = [types.list_type, types.bytearray_type, types.tuple_type, types.str_type, types.bytes_type]
            .into_iter()
            .find(|t| o.class().fast_issubclass(*t))
            .ok_or_else(|| vm.new_type_error(format!("'{}' object is not a builtin sequence", o.class().name())))?;
        let method = base.as_object().get_attr(name, vm)?;
        Ok(into_ref(vm, method.call((o, arg(vm)?), vm)?))
    })
}
unsafe extern "C" fn sq_repeat(o: *mut PyObject, count: Py_ssize_t) -> *mut PyObject {
    builtin_sequence_call("sq_repeat", o, "__mul__", |vm| Ok(vm.ctx.new_int(count).into()))
}
unsafe extern "C" fn sq_inplace_repeat(o: *mut PyObject, count: Py_ssize_t) -> *mut PyObject {
    builtin_sequence_call("sq_inplace_repeat", o, "__imul__", |vm| Ok(vm.ctx.new_int(count).into()))
}
unsafe extern "C" fn sq_inplace_concat(a: *mut PyObject, b: *mut PyObject) -> *mut PyObject {
    builtin_sequence_call("sq_inplace_concat", a, "__iadd__", |vm| to_host(vm, b))
}
/// Sets item `i`, or deletes it when `v` is NULL, as the slot does.
unsafe extern "C" fn sq_ass_item(o: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) -> c_int {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("sq_ass_item", true, |vm| {
                let host = to_host(vm, o)?;
                let index: rustpython_vm::PyObjectRef = vm.ctx.new_int(i).into();
                match v.is_null() {
                    true => owner_special(vm, &host, "__delitem__", vec![index])?,
                    false => owner_special(vm, &host, "__setitem__", vec![index, to_host(vm, v)?])?,
                };
                Ok(0)
            });
        }
        if v.is_null() { abs::PySequence_DelItem(o, i) } else { abs::PySequence_SetItem(o, i, v) }
    }
}
unsafe extern "C" fn sq_item(o: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: C calls this slot with a live object.
    let super_call = unsafe { is_super_call(o) };
    enter_api("sq_item", true, |vm| {
        let o = to_host(vm, o)?;
        let index: rustpython_vm::PyObjectRef = vm.ctx.new_int(i).into();
        if super_call {
            return Ok(into_ref(vm, owner_special(vm, &o, "__getitem__", vec![index])?));
        }
        Ok(into_ref(vm, o.get_item(&*index, vm)?))
    })
}
unsafe extern "C" fn sq_contains(o: *mut PyObject, v: *mut PyObject) -> c_int {
    // SAFETY: C calls this slot with a live object.
    let super_call = unsafe { is_super_call(o) };
    enter_api("sq_contains", true, |vm| {
        let (o, v) = (to_host(vm, o)?, to_host(vm, v)?);
        if super_call {
            return owner_special(vm, &o, "__contains__", vec![v])?.try_to_bool(vm).map(c_int::from);
        }
        Ok(vm._contains(&o, &v)? as c_int)
    })
}
unsafe extern "C" fn mp_ass_subscript(
    o: *mut PyObject,
    key: *mut PyObject,
    v: *mut PyObject,
) -> c_int {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe {
        if is_super_call(o) {
            return enter_api("mp_ass_subscript", true, |vm| {
                let (host, key) = (to_host(vm, o)?, to_host(vm, key)?);
                match v.is_null() {
                    true => owner_special(vm, &host, "__delitem__", vec![key])?,
                    false => owner_special(vm, &host, "__setitem__", vec![key, to_host(vm, v)?])?,
                };
                Ok(0)
            });
        }
        if v.is_null() {
            abs::PyObject_DelItem(o, key)
        } else {
            abs::PyObject_SetItem(o, key, v)
        }
    }
}

/// tp_new of builtin and Python classes. For a C subtype (a C type whose
/// base is this class) it allocates through the subtype's tp_alloc, as
/// CPython's builtin tp_new functions do; an exception also gets its args.
unsafe extern "C" fn python_new(
    subtype: *mut PyTypeObject,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: `subtype` is C's type object (I8); its tp_alloc returns a new object or NULL.
    enter_api("tp_new", true, |vm| unsafe {
        let cls = to_host(vm, subtype as *mut PyObject)?
            .downcast::<PyType>()
            .map_err(|_| vm.new_type_error("tp_new: not a type".to_owned()))?;
        if cls.fast_issubclass(vm.ctx.types.type_type) && crate::ctype::c_type_of(&cls).is_some() {
            // A C metaclass's tp_new calling PyType_Type.tp_new: type.__new__
            // makes the class, whose type object has the metaclass's size.
            let (positional, keywords) = call_args(vm, args, kwds)?;
            let type_new = vm.ctx.types.type_type.slots.new.load().expect("type has __new__");
            return Ok(into_ref(vm, type_new(cls, rustpython_vm::function::FuncArgs::new(positional, keywords), vm)?));
        }
        if crate::ctype::c_type_of(&cls).is_some() {
            // Converted only for a builtin that takes them in `__new__`.
            let builtin_args = || {
                let (positional, keywords) = call_args(vm, args, kwds)?;
                Ok(rustpython_vm::function::FuncArgs::new(positional, keywords))
            };
            if let Some(object) = crate::ctype::new_on_builtin_base(vm, subtype, cls.clone(), builtin_args)? {
                return Ok(object);
            }
            let alloc = (*subtype)
                .tp_alloc
                .unwrap_or(crate::api::typeobject::PyType_GenericAlloc);
            let object = alloc(subtype, 0);
            if object.is_null() {
                return Err(crate::error_indicator::take_exception(vm)
                    .unwrap_or_else(|| vm.new_system_error("tp_alloc failed".to_owned())));
            }
            if cls.fast_issubclass(vm.ctx.exceptions.base_exception_type) && !args.is_null() {
                to_host(vm, object)?.set_attr("args", to_host(vm, args)?, vm)?;
            }
            return Ok(object);
        }
        let (positional, keywords) = call_args(vm, args, kwds)?;
        let new = cls.as_object().get_attr("__new__", vm)?;
        let mut all = vec![cls.into()];
        all.extend(positional);
        Ok(into_ref(
            vm,
            new.call(rustpython_vm::function::FuncArgs::new(all, keywords), vm)?,
        ))
    })
}

/// tp_init of builtin and Python classes (so a C subtype that inherits it
/// runs its builtin base's initialisation).
unsafe extern "C" fn python_init(
    o: *mut PyObject,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> c_int {
    enter_api("tp_init", true, |vm| {
        let o = to_host(vm, o)?;
        // The class after the last C type in the MRO: the builtin (or Python)
        // base whose tp_init a C subtype inherited. Without C types, the
        // object's own class.
        let mro = o.class().mro_collect();
        let after_c = mro
            .iter()
            .rposition(|c| crate::ctype::is_own_c_type(c))
            .map_or(0, |i| i + 1);
        let cls = mro
            .get(after_c)
            .cloned()
            .unwrap_or_else(|| vm.ctx.types.object_type.to_owned());
        let init = cls.as_object().get_attr("__init__", vm)?;
        let object_init = vm.ctx.types.object_type.as_object().get_attr("__init__", vm)?;
        if init.is(&object_init) {
            // `object.__init__` ignores the arguments when the type has its
            // own tp_new (a C subtype of str or tuple, whose base's tp_new
            // took them), as CPython's object_init does; here the host would
            // see the C subtype and refuse them.
            return Ok(0);
        }
        call_init(vm, &init, o, args, kwds)?;
        Ok(0)
    })
}

/// `init(o, *args, **kwds)` with C's argument tuple and keyword dict.
fn call_init(
    vm: &VirtualMachine,
    init: &rustpython_vm::PyObjectRef,
    o: rustpython_vm::PyObjectRef,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> rustpython_vm::PyResult {
    let (positional, keywords) = call_args(vm, args, kwds)?;
    let mut all = vec![o];
    all.extend(positional);
    init.call(rustpython_vm::function::FuncArgs::new(all, keywords), vm)
}

/// tp_init of a Python subclass of a C type whose Python part defines
/// `__init__`: CPython's slot_tp_init, which runs the class's own
/// `__init__`. C compares a type's tp_init with its own to learn whether a
/// subclass overrides it (multidict's proxies skip their checks then).
pub unsafe extern "C" fn subclass_init(
    o: *mut PyObject,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> c_int {
    enter_api("tp_init", true, |vm| {
        let o = to_host(vm, o)?;
        let init = o.class().as_object().get_attr("__init__", vm)?;
        run_class_init(vm, &init, o, args, kwds)
    })
}

/// CPython's slot_tp_init once the class's `__init__` is found: runs it,
/// which must return None.
fn run_class_init(
    vm: &VirtualMachine,
    init: &rustpython_vm::PyObjectRef,
    o: rustpython_vm::PyObjectRef,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> rustpython_vm::PyResult<c_int> {
    let result = call_init(vm, init, o, args, kwds)?;
    if !vm.is_none(&result) {
        return Err(vm.new_type_error(format!(
            "__init__() should return None, not '{}'",
            result.class().name()
        )));
    }
    Ok(0)
}

/// Whether a class of the Python part of `cls` (its MRO up to the first C
/// type) defines `name` itself.
pub fn python_part_defines(vm: &VirtualMachine, cls: &Py<PyType>, name: &'static str) -> bool {
    let name = vm.ctx.intern_str(name);
    cls.mro_collect()
        .iter()
        .take_while(|c| !crate::ctype::is_own_c_type(c))
        .any(|c| c.get_direct_attr(name).is_some())
}

/// tp_new of a Python subclass of a C type whose Python part defines
/// `__new__`: CPython's slot_tp_new, which calls the class's own
/// `__new__(subtype, *args, **kwds)`. C compares a type's tp_new with its
/// base's to learn whether a subclass overrides `__new__`. (The host's own
/// calls of the class go through `__new__` and never reach this slot; the
/// `__new__` of the C base it reaches is the C base's tp_new.)
pub unsafe extern "C" fn subclass_new(
    subtype: *mut PyTypeObject,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> *mut PyObject {
    enter_api("tp_new", true, |vm| {
        let cls = to_host(vm, subtype as *mut PyObject)?;
        let new = cls.get_attr("__new__", vm)?;
        let (positional, keywords) = call_args(vm, args, kwds)?;
        let mut all = vec![cls];
        all.extend(positional);
        Ok(into_ref(vm, new.call(rustpython_vm::function::FuncArgs::new(all, keywords), vm)?))
    })
}

/// C's (args tuple, kwargs dict) as host call arguments.
pub(super) fn call_args(
    vm: &VirtualMachine,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> rustpython_vm::PyResult<(
    Vec<rustpython_vm::PyObjectRef>,
    rustpython_vm::function::KwArgs,
)> {
    let positional = match crate::proxy::opt_to_host(vm, args)? {
        Some(t) => t
            .downcast::<rustpython_vm::builtins::PyTuple>()
            .map_err(|_| vm.new_type_error("argument list must be a tuple".to_owned()))?
            .as_slice()
            .to_vec(),
        None => Vec::new(),
    };
    let mut keywords = rustpython_vm::function::KwArgs::default();
    if let Some(d) = crate::proxy::opt_to_host(vm, kwds)? {
        let d = d
            .downcast::<rustpython_vm::builtins::PyDict>()
            .map_err(|_| vm.new_type_error("keyword list must be a dictionary".to_owned()))?;
        for (k, v) in &d {
            crate::api::r#abstract::insert_keyword(vm, &mut keywords, &k, v)?;
        }
    }
    Ok((positional, keywords))
}

// `object`'s own slots: what a C type inherits from `object`. They call
// object's methods directly, never back through the type's slots.
fn object_method(vm: &VirtualMachine, name: &str) -> rustpython_vm::PyResult {
    vm.ctx
        .types
        .object_type
        .as_object()
        .get_attr(vm.ctx.intern_str(name), vm)
}
/// The builtin's own repr, for a builtin's static type object: C that calls
/// `PyFloat_Type.tp_repr(x)` or `PyLong_Type.tp_repr(x)` on an instance of
/// a subclass wants the float's or int's text, not the subclass's `__repr__`
/// (serializers do: rapidjson, simplejson).
fn builtin_own_repr(vm: &VirtualMachine, o: *mut PyObject, builtin: &Py<PyType>) -> rustpython_vm::PyResult<*mut PyObject> {
    let host = to_host(vm, o)?;
    match builtin.slots.repr.load() {
        Some(repr) if host.class().fast_issubclass(builtin) => Ok(into_ref(vm, repr(&host, vm)?.into())),
        _ => Ok(into_ref(vm, host.repr(vm)?.into())),
    }
}

macro_rules! builtin_repr_slots {
    ($($function:ident => $field:ident),* $(,)?) => {
        $(
            unsafe extern "C" fn $function(o: *mut PyObject) -> *mut PyObject {
                enter_api(concat!(stringify!($field), ".__repr__"), true, |vm| builtin_own_repr(vm, o, vm.ctx.types.$field))
            }
        )*
        /// The tp_repr of a builtin's static type object, if it has its own.
        fn builtin_repr_slot(vm: &VirtualMachine, cls: &Py<PyType>) -> Option<ffi::reprfunc> {
            $( if cls.is(vm.ctx.types.$field) { return Some(Some($function)); } )*
            None
        }
    };
}

builtin_repr_slots! {
    int_repr => int_type, bool_repr => bool_type, float_repr => float_type, complex_repr => complex_type,
    str_repr => str_type, bytes_repr => bytes_type, bytearray_repr => bytearray_type, list_repr => list_type,
    tuple_repr => tuple_type, dict_repr => dict_type, set_repr => set_type, frozenset_repr => frozenset_type,
}

unsafe extern "C" fn object_repr(o: *mut PyObject) -> *mut PyObject {
    enter_api("object.__repr__", true, |vm| {
        Ok(into_ref(
            vm,
            object_method(vm, "__repr__")?.call((to_host(vm, o)?,), vm)?,
        ))
    })
}
unsafe extern "C" fn object_str(o: *mut PyObject) -> *mut PyObject {
    enter_api("object.__str__", true, |vm| {
        Ok(into_ref(
            vm,
            object_method(vm, "__str__")?.call((to_host(vm, o)?,), vm)?,
        ))
    })
}
unsafe extern "C" fn object_hash(o: *mut PyObject) -> Py_hash_t {
    enter_api("object.__hash__", true, |vm| {
        let h = object_method(vm, "__hash__")?.call((to_host(vm, o)?,), vm)?;
        Ok(h.try_index(vm)?.as_bigint().try_into().unwrap_or(-2))
    })
}
unsafe extern "C" fn object_richcompare(
    a: *mut PyObject,
    b: *mut PyObject,
    op: c_int,
) -> *mut PyObject {
    // A Python class filled with this slot (it compared as object when C
    // first saw it) that Python has since given a comparison of its own:
    // CPython's type_setattro would have moved its slot to
    // slot_tp_richcompare, so the class's own comparison runs.
    // SAFETY: C passes a live object; its type object lives for ever (I7).
    if is_python_class_type(unsafe { (*a).ob_type })
        && enter_api("object.__eq__", true, |vm| Ok(c_int::from(!compares_as_object(vm, to_host(vm, a)?.class())))) == 1
    {
        // SAFETY: the caller's arguments, as PyObject_RichCompare takes them.
        return unsafe { obj::PyObject_RichCompare(a, b, op) };
    }
    enter_api("object.__eq__", true, |vm| {
        let name = match op as u32 {
            ffi::Py_EQ => "__eq__",
            ffi::Py_NE => "__ne__",
            _ => return Ok(into_ref(vm, vm.ctx.not_implemented())),
        };
        Ok(into_ref(
            vm,
            object_method(vm, name)?.call((to_host(vm, a)?, to_host(vm, b)?), vm)?,
        ))
    })
}
/// `object`'s tp_init, which C types inherit. Called as the tp_init of the
/// object's own type, it is CPython's slot_tp_init when Python gave the class
/// an `__init__` after C readied it: CPython's `type_setattro` would have
/// moved the slot then. mypyc constructs a native dataclass with
/// `CPyType_X->tp_init(self, args, kwargs)`, and `@dataclass` adds that
/// `__init__` to the ready type. Called as a super-call from another type's
/// tp_init, it does nothing, as CPython's object_init.
unsafe extern "C" fn object_init(
    o: *mut PyObject,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> c_int {
    // SAFETY: C passes a live object; its type object lives for ever (I7).
    let own_slot = unsafe { (*(*o).ob_type).tp_init }.is_some_and(|f| f as usize == object_init as *const () as usize);
    if !own_slot {
        return 0;
    }
    enter_api("tp_init", true, |vm| {
        let o = to_host(vm, o)?;
        let init = o.class().as_object().get_attr("__init__", vm)?;
        let object_init = vm.ctx.types.object_type.as_object().get_attr("__init__", vm)?;
        if init.is(&object_init) {
            return Ok(0);
        }
        run_class_init(vm, &init, o, args, kwds)
    })
}
unsafe extern "C" fn object_new(
    tp: *mut PyTypeObject,
    args: *mut PyObject,
    kwds: *mut PyObject,
) -> *mut PyObject {
    // SAFETY: C calls this slot with the arguments of its CPython signature, the contract of
    // the API function it forwards to.
    unsafe { crate::api::typeobject::PyType_GenericNew(tp, args, kwds) }
}

// `type`'s own call, getattro and setattro. A C metaclass's slots call them
// as `PyType_Type.tp_call(cls, ...)` (pybind11's metaclass does); they must
// run `type`'s behaviour, not go back through the metaclass's own slots.
unsafe extern "C" fn type_call(o: *mut PyObject, args: *mut PyObject, kwds: *mut PyObject) -> *mut PyObject {
    enter_api("type.__call__", true, |vm| {
        let (positional, keywords) = call_args(vm, args, kwds)?;
        let call = vm.ctx.types.type_type.slots.call.load().expect("type has a call slot");
        let result = call(&*to_host(vm, o)?, rustpython_vm::function::FuncArgs::new(positional, keywords), vm)?;
        Ok(into_ref(vm, result))
    })
}
unsafe extern "C" fn type_getattro(o: *mut PyObject, name: *mut PyObject) -> *mut PyObject {
    enter_api("type.__getattribute__", true, |vm| {
        let name = attribute_name(vm, name)?;
        let getattro = vm.ctx.types.type_type.slots.getattro.load().expect("type has a getattro slot");
        Ok(into_ref(vm, getattro(&*to_host(vm, o)?, &name, vm)?))
    })
}
unsafe extern "C" fn type_setattro(o: *mut PyObject, name: *mut PyObject, v: *mut PyObject) -> c_int {
    enter_api("type.__setattr__", true, |vm| {
        let name = attribute_name(vm, name)?;
        let value = match crate::proxy::opt_to_host(vm, v)? {
            Some(v) => rustpython_vm::function::PySetterValue::Assign(v),
            None => rustpython_vm::function::PySetterValue::Delete,
        };
        let setattro = vm.ctx.types.type_type.slots.setattro.load().expect("type has a setattro slot");
        setattro(&*to_host(vm, o)?, &name, value, vm)?;
        Ok(0)
    })
}

fn attribute_name(vm: &VirtualMachine, name: *mut PyObject) -> rustpython_vm::PyResult<rustpython_vm::PyRef<rustpython_vm::builtins::PyStr>> {
    to_host(vm, name)?.downcast::<rustpython_vm::builtins::PyStr>().map_err(|o| {
        vm.new_type_error(format!("attribute name must be string, not '{}'", o.class().name()))
    })
}

/// After `fill`, the slots of `PyType_Type` that must be `type`'s own.
///
/// # Safety
/// `tp` must be `PyType_Type`, being filled at start-up.
pub unsafe fn fill_type(tp: *mut PyTypeObject) {
    // SAFETY: the caller's contract.
    unsafe {
        (*tp).tp_call = Some(type_call);
        (*tp).tp_getattro = Some(type_getattro);
        (*tp).tp_setattro = Some(type_setattro);
    }
}

/// Whether `f` is one of `type`'s own slots set by `fill_type`. They run the
/// host type's behaviour directly, so a C metatype may inherit them, and
/// they are no behaviour of its own that the host must call back into.
pub fn is_type_slot(f: usize) -> bool {
    f == type_call as *const () as usize || f == type_getattro as *const () as usize || f == type_setattro as *const () as usize
}

/// The slots a C metatype (a C type whose base is `type` or derives from
/// it) takes from `type` when it leaves them NULL: they must look up and set
/// attributes along the class's MRO and call it as `type` does, not as
/// `object` does.
///
/// # Safety
/// `tp` must be a type object being readied, before C can see it.
pub unsafe fn inherit_type_slots(tp: *mut PyTypeObject) {
    // SAFETY: the caller's contract.
    unsafe {
        let t = &mut *tp;
        if t.tp_getattro.is_none() && t.tp_getattr.is_none() {
            t.tp_getattro = Some(type_getattro);
        }
        if t.tp_setattro.is_none() && t.tp_setattr.is_none() {
            t.tp_setattro = Some(type_setattro);
        }
        if t.tp_call.is_none() {
            t.tp_call = Some(type_call);
        }
    }
}

/// Whether `f` is `object`'s tp_new.
pub fn is_object_new(f: usize) -> bool {
    f == object_new as *const () as usize
}

/// Whether `f` is the tp_new of builtin and Python classes (`python_new`).
pub fn is_python_new(f: usize) -> bool {
    f == python_new as *const () as usize
}

/// Whether a slot function is one of `object`'s (no trampoline needed: the
/// host's default does the same).
pub fn is_object_slot(f: usize) -> bool {
    [
        object_repr as *const () as usize,
        object_str as *const () as usize,
        object_hash as *const () as usize,
        object_richcompare as *const () as usize,
        object_init as *const () as usize,
    ]
    .contains(&f)
}

unsafe extern "C" fn host_traverse(_o: *mut PyObject, _visit: ffi::visitproc, _arg: *mut std::ffi::c_void) -> c_int {
    0
}
unsafe extern "C" fn host_clear(_o: *mut PyObject) -> c_int {
    0
}

/// The slots of `PyBaseObject_Type`.
///
/// # Safety
/// `tp` must point at the type object being filled, at start-up, before C
/// can see it.
pub unsafe fn fill_object(tp: *mut PyTypeObject) {
    // SAFETY: the caller's contract.
    unsafe {
        let t = &mut *tp;
        t.tp_repr = Some(object_repr);
        t.tp_str = Some(object_str);
        t.tp_hash = Some(object_hash);
        t.tp_richcompare = Some(object_richcompare);
        t.tp_getattro = Some(obj::PyObject_GenericGetAttr);
        t.tp_setattro = Some(obj::PyObject_GenericSetAttr);
        t.tp_init = Some(object_init);
        t.tp_new = Some(object_new);
        t.tp_alloc = Some(crate::api::typeobject::PyType_GenericAlloc);
        t.tp_free = Some(crate::api::objimpl::PyObject_Free);
        t.tp_dealloc = Some(crate::ctype::default_dealloc);
    }
}

fn defines(vm: &VirtualMachine, cls: &Py<PyType>, name: &str) -> bool {
    let name = vm.ctx.intern_str(name);
    let found = |v: Option<rustpython_vm::PyObjectRef>| v.is_some_and(|v| !vm.is_none(&v));
    if found(cls.get_attr(name)) {
        return true;
    }
    // A class the host is still building has no MRO yet, so nothing is
    // found through it: a C metatype's `mro()` method (ExtensionClass's)
    // gets the class then, and its type object is filled at that moment and
    // kept (`class O(Base): def __get__` had no tp_descr_get, which
    // ExtensionClass's Base_getattro calls). Its own dict is set already; its
    // bases stand for the rest of the MRO it will have.
    cls.mro.read().is_empty()
        && (found(cls.get_direct_attr(name)) || cls.bases.read().iter().any(|base| found(base.get_attr(name))))
}

const COMPARISONS: [&str; 6] = ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"];

fn defines_own_comparison(vm: &VirtualMachine, c: &Py<PyType>) -> bool {
    // The host's NoneType has the comparisons CPython's inherits from object.
    if c.is(vm.ctx.types.none_type) {
        return false;
    }
    COMPARISONS.iter().any(|name| c.get_direct_attr(vm.ctx.intern_str(*name)).is_some())
}

/// Whether a builtin or Python class compares as `object` does: no class
/// before `object` in its MRO defines a comparison of its own, and no C type
/// comes first. CPython's slot inheritance then gives it object's
/// tp_richcompare itself (`type`, `NoneType`, a class with no `__eq__`),
/// and extensions compare the pointers: BTrees refuses a key whose
/// `Py_TYPE(key)->tp_richcompare` is `Py_TYPE(object)->tp_richcompare`
/// (type's, which is object's: "has default comparison"), and the one
/// generic slot that str, int and type shared made every key such.
fn compares_as_object(vm: &VirtualMachine, cls: &Py<PyType>) -> bool {
    for c in cls.mro.read().iter() {
        if c.is(vm.ctx.types.object_type) {
            return true;
        }
        if crate::ctype::is_own_c_type(c) || defines_own_comparison(vm, c) {
            return false;
        }
    }
    false
}

/// A Python class that defines no comparison of its own, down to the
/// first C type in its MRO, keeps that C type's `tp_richcompare`, as
/// CPython's slot inheritance gives it. Extensions compare the pointers to
/// tell their own objects from others (shapely: the same function means
/// a geometry), so a generic function shared with int and str would let
/// them read an int as their struct.
fn inherited_c_richcompare(vm: &VirtualMachine, cls: &Py<PyType>) -> ffi::richcmpfunc {
    let defines_own = |c: &Py<PyType>| defines_own_comparison(vm, c);
    if crate::ctype::is_own_c_type(cls) {
        return None;
    }
    // The MRO starts with the class itself.
    for c in cls.mro.read().iter() {
        if crate::ctype::is_own_c_type(c) {
            let tp = crate::ctype::c_type_of(c)?;
            // SAFETY: the type object of a live C type, read under the GIL.
            return unsafe { (*tp).tp_richcompare };
        }
        if defines_own(c) {
            return None;
        }
    }
    None
}

/// Fills the behaviour slots of the type object of a Python class.
///
/// # Safety
/// `tp` must point at the type object being filled for `cls`, before C can
/// see it; the caller holds the GIL.
pub unsafe fn fill(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>) {
    PYTHON_CLASS_TYPES.insert(tp as usize);
    // SAFETY: the caller's contract.
    unsafe {
        {
            let t = &mut *tp;
            t.tp_new = Some(python_new);
            t.tp_init = Some(python_init);
            // The host traces and clears its own objects; these are for a C
            // subtype's tp_traverse/tp_clear that ends by calling its base's
            // (psycopg2's Error calls PyExc_Exception->tp_clear).
            t.tp_traverse = Some(host_traverse);
            t.tp_clear = Some(host_clear);
            // What a C subtype's tp_dealloc calls as its base's: free the struct
            // (the host object, and so the builtin's state, is gone already).
            t.tp_alloc = Some(crate::api::typeobject::PyType_GenericAlloc);
            t.tp_free = Some(crate::api::objimpl::PyObject_Free);
            t.tp_dealloc = Some(crate::ctype::default_dealloc);
        }
        fill_dunder_slots(vm, tp, cls);
        let class: &'static Py<PyType> = Box::leak(Box::new(cls.to_owned()));
        (*tp).tp_dict = crate::ctype::type_dict(vm, class);
    }
}

/// Stores `table` as the protocol table `*slot` points at: into the table
/// it has already (C may keep a pointer to it), else a new one.
fn store_table<T>(slot: &mut *mut T, table: T) {
    if slot.is_null() {
        *slot = Box::leak(Box::new(table));
    } else {
        // SAFETY: a table this module leaked earlier for this type object,
        // which lives for ever (I7); written under the GIL.
        unsafe { **slot = table };
    }
}

/// The slots of a Python class's type object that follow from the dunders
/// it has (its own or inherited): set as the type object is made, and again
/// when Python sets or deletes a dunder on the class or a base afterwards,
/// as CPython's update_slot does (`types::refresh_python_class_slots`). C
/// tests the pointers before calling (PyGLM takes an object whose type has
/// `tp_as_number->nb_float` for a number).
///
/// # Safety
/// `tp` must point at the type object of `cls` (a Python class); the caller
/// holds the GIL.
pub unsafe fn fill_dunder_slots(vm: &VirtualMachine, tp: *mut PyTypeObject, cls: &Py<PyType>) {
    let has = |name: &str| defines(vm, cls, name);
    // SAFETY: the caller's contract.
    unsafe {
        let t = &mut *tp;
        t.tp_repr = builtin_repr_slot(vm, cls).unwrap_or(Some(tp_repr));
        t.tp_str = Some(tp_str);
        t.tp_richcompare = if compares_as_object(vm, cls) {
            Some(object_richcompare)
        } else {
            inherited_c_richcompare(vm, cls).or(Some(tp_richcompare))
        };
        // A class whose attribute access is object's gets object's
        // functions, as in CPython: C calls `PyTuple_Type.tp_getattro(self,
        // name)` from a subtype's own tp_getattro, which must not dispatch
        // on `self` again (PyGObject's result tuples).
        let same_as_object = |ours: Option<usize>, object: Option<usize>| ours.is_some() && ours == object;
        let object_slots = &vm.ctx.types.object_type.slots;
        t.tp_getattro = if same_as_object(cls.slots.getattro.load().map(|f| f as usize), object_slots.getattro.load().map(|f| f as usize)) {
            Some(obj::PyObject_GenericGetAttr)
        } else {
            Some(tp_getattro)
        };
        t.tp_setattro = if same_as_object(cls.slots.setattro.load().map(|f| f as usize), object_slots.setattro.load().map(|f| f as usize)) {
            Some(obj::PyObject_GenericSetAttr)
        } else {
            Some(tp_setattro)
        };
        t.tp_hash = if has("__hash__") {
            Some(tp_hash)
        } else {
            Some(obj::PyObject_HashNotImplemented)
        };
        t.tp_call = if cls.slots.call.load().is_some() { Some(tp_call) } else { None };
        t.tp_iter = if has("__iter__") { Some(tp_iter) } else { None };
        t.tp_descr_get = if has("__get__") { Some(tp_descr_get) } else { None };
        t.tp_descr_set = if has("__set__") || has("__delete__") { Some(tp_descr_set) } else { None };
        // Not an iterator, as CPython has it: a class defined in Python gets
        // `_PyObject_NextNotImplemented`, a builtin type NULL (C code tests
        // the slot for both: "X object is not an iterator").
        t.tp_iternext = if has("__next__") {
            Some(tp_iternext)
        } else if cls.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) {
            Some(crate::api::object::_PyObject_NextNotImplemented)
        } else {
            None
        };
        let mut number: ffi::PyNumberMethods = std::mem::zeroed();
        macro_rules! if_defines {
            ($table:ident, $($name:literal => $field:ident = $f:expr),* $(,)?) => {
                $( if has($name) { $table.$field = Some($f); } )*
            };
        }
        if_defines!(number,
            "__add__" => nb_add = nb_add, "__sub__" => nb_subtract = nb_subtract, "__mul__" => nb_multiply = nb_multiply,
            "__mod__" => nb_remainder = nb_remainder, "__divmod__" => nb_divmod = nb_divmod, "__pow__" => nb_power = nb_power,
            "__neg__" => nb_negative = nb_negative, "__pos__" => nb_positive = nb_positive, "__abs__" => nb_absolute = nb_absolute,
            "__bool__" => nb_bool = nb_bool, "__invert__" => nb_invert = nb_invert, "__lshift__" => nb_lshift = nb_lshift,
            "__rshift__" => nb_rshift = nb_rshift, "__and__" => nb_and = nb_and, "__xor__" => nb_xor = nb_xor,
            "__or__" => nb_or = nb_or, "__int__" => nb_int = nb_int, "__float__" => nb_float = nb_float,
            "__floordiv__" => nb_floor_divide = nb_floor_divide, "__truediv__" => nb_true_divide = nb_true_divide,
            "__index__" => nb_index = nb_index, "__matmul__" => nb_matrix_multiply = nb_matrix_multiply,
            // In place: C calls `PySet_Type.tp_as_number->nb_inplace_or` (Cython does).
            "__iadd__" => nb_inplace_add = nb_inplace_add, "__isub__" => nb_inplace_subtract = nb_inplace_subtract,
            "__imul__" => nb_inplace_multiply = nb_inplace_multiply, "__imod__" => nb_inplace_remainder = nb_inplace_remainder,
            "__ipow__" => nb_inplace_power = nb_inplace_power, "__ilshift__" => nb_inplace_lshift = nb_inplace_lshift,
            "__irshift__" => nb_inplace_rshift = nb_inplace_rshift, "__iand__" => nb_inplace_and = nb_inplace_and,
            "__ixor__" => nb_inplace_xor = nb_inplace_xor, "__ior__" => nb_inplace_or = nb_inplace_or,
            "__ifloordiv__" => nb_inplace_floor_divide = nb_inplace_floor_divide,
            "__itruediv__" => nb_inplace_true_divide = nb_inplace_true_divide,
            "__imatmul__" => nb_inplace_matrix_multiply = nb_inplace_matrix_multiply,
        );
        // A builtin sequence's own `+`, `*`, `+=` and `*=` are sequence
        // slots (sq_concat, sq_repeat, sq_inplace_* below), as in CPython,
        // where str, bytes, tuple and list have no nb_add or nb_multiply:
        // numpy repeats `' ' * np.int64(3)` only if str's nb_multiply is NULL.
        let types = &vm.ctx.types;
        let builtin_sequences = [types.list_type, types.bytearray_type, types.tuple_type, types.str_type, types.bytes_type];
        let from_builtin = |name: &str| {
            let name = vm.ctx.intern_str(name);
            builtin_sequences.iter().any(|b| {
                cls.fast_issubclass(*b) && cls.get_attr(name).zip(b.get_attr(name)).is_some_and(|(own, builtin)| own.is(&builtin))
            })
        };
        if from_builtin("__add__") {
            number.nb_add = None;
        }
        if from_builtin("__mul__") {
            number.nb_multiply = None;
        }
        if from_builtin("__iadd__") {
            number.nb_inplace_add = None;
        }
        if from_builtin("__imul__") {
            number.nb_inplace_multiply = None;
        }
        if !cls.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE) {
            use_builtin_operations(&mut number);
        }
        store_table(&mut t.tp_as_number, number);
        let mut sequence: ffi::PySequenceMethods = std::mem::zeroed();
        if_defines!(sequence, "__len__" => sq_length = len, "__getitem__" => sq_item = sq_item,
            "__contains__" => sq_contains = sq_contains);
        // The builtin sequences also repeat (and the mutable ones assign and
        // extend in place) through the table: C code calls
        // `PyList_Type.tp_as_sequence->sq_repeat` directly (Cython does).
        if builtin_sequences.iter().any(|t| cls.fast_issubclass(*t)) {
            // Concatenation and repetition are the builtin's, unless the
            // class overrides `+` or `*` (CPython's heap types then have
            // neither: their `__add__` and `__mul__` are number slots).
            if from_builtin("__add__") {
                sequence.sq_concat = Some(sq_concat);
            }
            if from_builtin("__mul__") {
                sequence.sq_repeat = Some(sq_repeat);
            }
            if cls.fast_issubclass(types.list_type) || cls.fast_issubclass(types.bytearray_type) {
                sequence.sq_ass_item = Some(sq_ass_item);
                sequence.sq_inplace_concat = Some(sq_inplace_concat);
                sequence.sq_inplace_repeat = Some(sq_inplace_repeat);
            }
        }
        store_table(&mut t.tp_as_sequence, sequence);
        let mut mapping: ffi::PyMappingMethods = std::mem::zeroed();
        if_defines!(mapping, "__len__" => mp_length = len, "__getitem__" => mp_subscript = mp_subscript,
            "__setitem__" => mp_ass_subscript = mp_ass_subscript);
        store_table(&mut t.tp_as_mapping, mapping);
        // C tests `tp_as_async->am_await` (and am_aiter, am_anext) of the
        // object's type to await or iterate it (lazy-object-proxy, Cython).
        let mut asynchronous: ffi::PyAsyncMethods = std::mem::zeroed();
        if_defines!(asynchronous, "__await__" => am_await = am_await, "__aiter__" => am_aiter = am_aiter,
            "__anext__" => am_anext = am_anext);
        store_table(&mut t.tp_as_async, asynchronous);
    }
}
