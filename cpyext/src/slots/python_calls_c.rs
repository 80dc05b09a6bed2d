//! The protocol tables of a C type (`tp_as_number`, `tp_as_sequence`,
//! `tp_as_mapping`) as host slots.
//!
//! A binary operator's slot is called for either operand (`a + b` tries
//! a's type, then b's), always with (a, b) in that order, as CPython calls
//! `nb_add`. So each binary slot has a left and a right trampoline, which
//! differ only in whose C type they ask.
use rustpython_vm::function::FuncArgs;
use crate::error_indicator;
use crate::ffi::{self, PyObject, PyTypeObject};
use rustpython_vm::builtins::{PyStrInterned, PyType};
use rustpython_vm::protocol::{PyMapping, PyNumber, PySequence};
use rustpython_vm::{Py, PyObject as HostObject, PyObjectRef, PyResult, VirtualMachine};

/// Calls `owner`'s C slot `slot` through the boundary, with owned
/// references to `args`.
fn call_c<R>(
    vm: &VirtualMachine,
    owner: &HostObject,
    slot: &'static str,
    args: &[&HostObject],
    f: impl FnOnce(&[*mut PyObject]) -> R,
) -> R {
    let tp = type_of(owner).unwrap_or(std::ptr::null_mut());
    crate::boundary::call_into_c_with(vm, crate::boundary::CFunction::Slot(tp, slot), args, f)
}

fn type_of(owner: &HostObject) -> Option<*mut PyTypeObject> {
    crate::ctype::c_type_of(owner.class())
}

/// The C type whose slot serves `dunder` for `owner`: its own type, or,
/// for a Python class with several C bases (`class C(Shim, ndarray)`), the
/// first C type along the MRO whose namespace has the dunder, as CPython's
/// slot inheritance picks it; the C base with the layout otherwise.
fn type_defining(owner: &HostObject, dunder: &'static PyStrInterned) -> Option<*mut PyTypeObject> {
    let cls = owner.class();
    if crate::ctype::is_own_c_type(cls) {
        return type_of(owner);
    }
    let found = {
        let mro = cls.mro.read();
        let definer = mro.iter().find(|c| c.get_direct_attr(dunder).is_some());
        definer.filter(|d| crate::ctype::is_own_c_type(d)).and_then(|d| crate::ctype::c_type_of(d))
    };
    found.or_else(|| type_of(owner))
}

/// A host slot whose C slot is gone (a subclass cleared it): raise, never panic.
fn missing_slot(
    vm: &VirtualMachine,
    obj: &HostObject,
    slot: &str,
) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_type_error(format!("'{}' object has no {slot}", obj.class().name()))
}

fn not_implemented(vm: &VirtualMachine) -> PyResult {
    Ok(vm.ctx.not_implemented())
}

/// A `Py_ssize_t` or `int` status from C: -1 (or any negative) is an error.
fn checked<T: Copy + PartialOrd + Default>(
    vm: &VirtualMachine,
    value: T,
    what: &str,
) -> PyResult<T> {
    if let Some(e) = error_indicator::take_exception(vm) {
        return Err(e);
    }
    if value < T::default() {
        return Err(vm.new_system_error(format!(
            "{what} returned an error without setting an exception"
        )));
    }
    Ok(value)
}

// --- numbers -----------------------------------------------------------------

fn number_methods(owner: &HostObject) -> Option<&'static ffi::PyNumberMethods> {
    let tp = type_of(owner)?;
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    unsafe { (*tp).tp_as_number.as_ref() }
}

fn binary(
    vm: &VirtualMachine,
    owner: &HostObject,
    a: &HostObject,
    b: &HostObject,
    slot: &'static str,
    pick: fn(&ffi::PyNumberMethods) -> ffi::binaryfunc,
) -> PyResult {
    let Some(f) = number_methods(owner).and_then(pick) else {
        return not_implemented(vm);
    };
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, owner, slot, &[a, b], |p| unsafe { f(p[0], p[1]) });
    crate::boundary::check_object(vm, "number slot", r)
}

fn ternary(
    vm: &VirtualMachine,
    owner: &HostObject,
    a: &HostObject,
    b: &HostObject,
    c: &HostObject,
    slot: &'static str,
    pick: fn(&ffi::PyNumberMethods) -> ffi::ternaryfunc,
) -> PyResult {
    let Some(f) = number_methods(owner).and_then(pick) else {
        return not_implemented(vm);
    };
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, owner, slot, &[a, b, c], |p| unsafe {
        f(p[0], p[1], p[2])
    });
    crate::boundary::check_object(vm, "number slot", r)
}

fn unary(
    vm: &VirtualMachine,
    a: &HostObject,
    slot: &'static str,
    pick: fn(&ffi::PyNumberMethods) -> ffi::unaryfunc,
) -> PyResult {
    let Some(f) = number_methods(a).and_then(pick) else {
        return Err(vm.new_type_error(format!(
            "bad operand type for unary operation: '{}'",
            a.class().name()
        )));
    };
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, a, slot, &[a], |p| unsafe { f(p[0]) });
    crate::boundary::check_object(vm, "number slot", r)
}

macro_rules! binary_slots {
    ($(($field:ident, $host:ident, $host_right:ident, $left:ident, $right:ident)),* $(,)?) => {
        $(
            fn $left(a: &HostObject, b: &HostObject, vm: &VirtualMachine) -> PyResult {
                binary(vm, a, a, b, stringify!($field), |n| n.$field)
            }
            fn $right(a: &HostObject, b: &HostObject, vm: &VirtualMachine) -> PyResult {
                binary(vm, b, a, b, stringify!($field), |n| n.$field)
            }
        )*
        fn install_binary(n: &ffi::PyNumberMethods, class: &Py<PyType>) {
            let slots = &class.slots.as_number;
            $(
                if n.$field.is_some() {
                    slots.$host.store(Some($left));
                    slots.$host_right.store(Some($right));
                }
            )*
        }
    };
}

binary_slots! {
    (nb_add, add, right_add, add_left, add_right),
    (nb_subtract, subtract, right_subtract, subtract_left, subtract_right),
    (nb_multiply, multiply, right_multiply, multiply_left, multiply_right),
    (nb_remainder, remainder, right_remainder, remainder_left, remainder_right),
    (nb_divmod, divmod, right_divmod, divmod_left, divmod_right),
    (nb_lshift, lshift, right_lshift, lshift_left, lshift_right),
    (nb_rshift, rshift, right_rshift, rshift_left, rshift_right),
    (nb_and, and, right_and, and_left, and_right),
    (nb_xor, xor, right_xor, xor_left, xor_right),
    (nb_or, or, right_or, or_left, or_right),
    (nb_floor_divide, floor_divide, right_floor_divide, floor_divide_left, floor_divide_right),
    (nb_true_divide, true_divide, right_true_divide, true_divide_left, true_divide_right),
    (nb_matrix_multiply, matrix_multiply, right_matrix_multiply, matrix_multiply_left, matrix_multiply_right),
}

macro_rules! inplace_slots {
    ($(($field:ident, $host:ident, $tramp:ident)),* $(,)?) => {
        $(
            fn $tramp(a: &HostObject, b: &HostObject, vm: &VirtualMachine) -> PyResult {
                binary(vm, a, a, b, stringify!($field), |n| n.$field)
            }
        )*
        fn install_inplace(n: &ffi::PyNumberMethods, class: &Py<PyType>) {
            $( if n.$field.is_some() { class.slots.as_number.$host.store(Some($tramp)); } )*
        }
    };
}

inplace_slots! {
    (nb_inplace_add, inplace_add, inplace_add_slot),
    (nb_inplace_subtract, inplace_subtract, inplace_subtract_slot),
    (nb_inplace_multiply, inplace_multiply, inplace_multiply_slot),
    (nb_inplace_remainder, inplace_remainder, inplace_remainder_slot),
    (nb_inplace_lshift, inplace_lshift, inplace_lshift_slot),
    (nb_inplace_rshift, inplace_rshift, inplace_rshift_slot),
    (nb_inplace_and, inplace_and, inplace_and_slot),
    (nb_inplace_xor, inplace_xor, inplace_xor_slot),
    (nb_inplace_or, inplace_or, inplace_or_slot),
    (nb_inplace_floor_divide, inplace_floor_divide, inplace_floor_divide_slot),
    (nb_inplace_true_divide, inplace_true_divide, inplace_true_divide_slot),
    (nb_inplace_matrix_multiply, inplace_matrix_multiply, inplace_matrix_multiply_slot),
}

macro_rules! unary_slots {
    ($(($field:ident, $host:ident, $tramp:ident)),* $(,)?) => {
        $(
            fn $tramp(n: PyNumber<'_>, vm: &VirtualMachine) -> PyResult {
                unary(vm, n.obj, stringify!($field), |m| m.$field)
            }
        )*
        fn install_unary(n: &ffi::PyNumberMethods, class: &Py<PyType>) {
            $( if n.$field.is_some() { class.slots.as_number.$host.store(Some($tramp)); } )*
        }
    };
}

unary_slots! {
    (nb_negative, negative, negative_slot),
    (nb_positive, positive, positive_slot),
    (nb_absolute, absolute, absolute_slot),
    (nb_invert, invert, invert_slot),
    (nb_int, int, int_slot),
    (nb_float, float, float_slot),
    (nb_index, index, index_slot),
}

fn power_left(a: &HostObject, b: &HostObject, c: &HostObject, vm: &VirtualMachine) -> PyResult {
    ternary(vm, a, a, b, c, "nb_power", |n| n.nb_power)
}
fn power_right(a: &HostObject, b: &HostObject, c: &HostObject, vm: &VirtualMachine) -> PyResult {
    ternary(vm, b, a, b, c, "nb_power", |n| n.nb_power)
}
fn inplace_power_slot(
    a: &HostObject,
    b: &HostObject,
    c: &HostObject,
    vm: &VirtualMachine,
) -> PyResult {
    ternary(vm, a, a, b, c, "nb_inplace_power", |n| n.nb_inplace_power)
}

fn bool_slot(n: PyNumber<'_>, vm: &VirtualMachine) -> PyResult<bool> {
    let Some(f) = number_methods(n.obj).and_then(|m| m.nb_bool) else {
        return Ok(true);
    };
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, n.obj, "nb_bool", &[n.obj], |p| unsafe { f(p[0]) });
    Ok(checked(vm, r, "__bool__")? != 0)
}

fn install_number(n: &ffi::PyNumberMethods, class: &Py<PyType>) {
    install_binary(n, class);
    install_inplace(n, class);
    install_unary(n, class);
    let slots = &class.slots.as_number;
    if n.nb_power.is_some() {
        slots.power.store(Some(power_left));
        slots.right_power.store(Some(power_right));
    }
    if n.nb_inplace_power.is_some() {
        slots.inplace_power.store(Some(inplace_power_slot));
    }
    if n.nb_bool.is_some() {
        slots.boolean.store(Some(bool_slot));
    }
}

// --- sequences ---------------------------------------------------------------

fn sequence_methods(owner: &HostObject, dunder: &'static PyStrInterned) -> Option<&'static ffi::PySequenceMethods> {
    let tp = type_defining(owner, dunder)?;
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    unsafe { (*tp).tp_as_sequence.as_ref() }
}

fn sq_length_slot(s: PySequence<'_>, vm: &VirtualMachine) -> PyResult<usize> {
    let f = sequence_methods(s.obj, vm.ctx.names.__len__)
        .and_then(|m| m.sq_length)
        .ok_or_else(|| missing_slot(vm, s.obj, "sq_length"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let n = call_c(vm, s.obj, "sq_length", &[s.obj], |p| unsafe { f(p[0]) });
    Ok(checked(vm, n, "__len__")? as usize)
}

fn sq_concat_slot(s: PySequence<'_>, other: &HostObject, vm: &VirtualMachine) -> PyResult {
    let f = sequence_methods(s.obj, vm.ctx.names.__add__)
        .and_then(|m| m.sq_concat)
        .ok_or_else(|| missing_slot(vm, s.obj, "sq_concat"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, s.obj, "sq_concat", &[s.obj, other], |p| unsafe {
        f(p[0], p[1])
    });
    crate::boundary::check_object(vm, "sq_concat", r)
}

fn sq_inplace_concat_slot(s: PySequence<'_>, other: &HostObject, vm: &VirtualMachine) -> PyResult {
    let f = sequence_methods(s.obj, vm.ctx.names.__iadd__)
        .and_then(|m| m.sq_inplace_concat)
        .ok_or_else(|| missing_slot(vm, s.obj, "sq_inplace_concat"))?;
    let r = call_c(
        vm,
        s.obj,
        "sq_inplace_concat",
        &[s.obj, other],
        // SAFETY: the C type's own slot, with the signature its table declares, called on live
        // proxies of its arguments under the GIL (call_c).
        |p| unsafe { f(p[0], p[1]) },
    );
    crate::boundary::check_object(vm, "sq_inplace_concat", r)
}

fn sq_repeat_slot(s: PySequence<'_>, n: isize, vm: &VirtualMachine) -> PyResult {
    let f = sequence_methods(s.obj, vm.ctx.names.__mul__)
        .and_then(|m| m.sq_repeat)
        .ok_or_else(|| missing_slot(vm, s.obj, "sq_repeat"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, s.obj, "sq_repeat", &[s.obj], |p| unsafe { f(p[0], n) });
    crate::boundary::check_object(vm, "sq_repeat", r)
}

fn sq_inplace_repeat_slot(s: PySequence<'_>, n: isize, vm: &VirtualMachine) -> PyResult {
    let f = sequence_methods(s.obj, vm.ctx.names.__imul__)
        .and_then(|m| m.sq_inplace_repeat)
        .ok_or_else(|| missing_slot(vm, s.obj, "sq_inplace_repeat"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, s.obj, "sq_inplace_repeat", &[s.obj], |p| unsafe {
        f(p[0], n)
    });
    crate::boundary::check_object(vm, "sq_inplace_repeat", r)
}

/// A negative index counts from the end, as CPython's item wrappers make it
/// before they call sq_item/sq_ass_item.
fn adjust_index(vm: &VirtualMachine, s: &PySequence<'_>, i: isize) -> PyResult<isize> {
    if i >= 0 || sequence_methods(s.obj, vm.ctx.names.__len__).and_then(|m| m.sq_length).is_none() {
        return Ok(i);
    }
    Ok(i + sq_length_slot(PySequence { obj: s.obj }, vm)? as isize)
}

fn sq_item_slot(s: PySequence<'_>, i: isize, vm: &VirtualMachine) -> PyResult {
    let i = adjust_index(vm, &s, i)?;
    let f = sequence_methods(s.obj, vm.ctx.names.__getitem__)
        .and_then(|m| m.sq_item)
        .ok_or_else(|| missing_slot(vm, s.obj, "sq_item"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, s.obj, "sq_item", &[s.obj], |p| unsafe { f(p[0], i) });
    crate::boundary::check_object(vm, "sq_item", r)
}

fn sq_ass_item_slot(
    s: PySequence<'_>,
    i: isize,
    value: Option<PyObjectRef>,
    vm: &VirtualMachine,
) -> PyResult<()> {
    let Some(f) = sequence_methods(s.obj, vm.ctx.names.__setitem__).and_then(|m| m.sq_ass_item) else {
        return Err(vm.new_type_error(format!(
            "'{}' object does not support item assignment",
            s.obj.class().name()
        )));
    };
    let i = adjust_index(vm, &s, i)?;
    let status = match &value {
        // SAFETY: the C type's own slot, with the signature its table declares, called on live
        // proxies of its arguments under the GIL (call_c).
        Some(v) => call_c(vm, s.obj, "sq_ass_item", &[s.obj, v], |p| unsafe {
            f(p[0], i, p[1])
        }),
        // SAFETY: the C type's own slot, with the signature its table declares, called on live
        // proxies of its arguments under the GIL (call_c).
        None => call_c(vm, s.obj, "sq_ass_item", &[s.obj], |p| unsafe {
            f(p[0], i, std::ptr::null_mut())
        }),
    };
    checked(vm, status, "sq_ass_item").map(|_| ())
}

/// PySequence_GetItem on an object whose own type is a C type with sq_item:
/// CPython adds the length to a negative index once and hands the result to
/// sq_item even when it is still negative (numpy's array_item raises its own
/// IndexError from it), never to mp_subscript. None: not such an object.
pub(crate) fn c_sequence_item(vm: &VirtualMachine, obj: &HostObject, i: isize) -> Option<PyResult> {
    if !crate::ctype::is_own_c_type(obj.class()) {
        return None;
    }
    sequence_methods(obj, vm.ctx.names.__getitem__)?.sq_item?;
    // sq_item_slot adds the length once, as CPython's PySequence_GetItem.
    Some(sq_item_slot(PySequence { obj }, i, vm))
}

/// PySequence_SetItem/DelItem likewise through sq_ass_item (the length added
/// once, not again by the slot).
pub(crate) fn c_sequence_ass_item(
    vm: &VirtualMachine,
    obj: &HostObject,
    i: isize,
    value: Option<PyObjectRef>,
) -> Option<PyResult<()>> {
    if !crate::ctype::is_own_c_type(obj.class()) {
        return None;
    }
    sequence_methods(obj, vm.ctx.names.__setitem__)?.sq_ass_item?;
    Some(sq_ass_item_slot(PySequence { obj }, i, value, vm))
}

fn sq_contains_slot(s: PySequence<'_>, item: &HostObject, vm: &VirtualMachine) -> PyResult<bool> {
    let f = sequence_methods(s.obj, vm.ctx.names.__contains__)
        .and_then(|m| m.sq_contains)
        .ok_or_else(|| missing_slot(vm, s.obj, "sq_contains"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, s.obj, "sq_contains", &[s.obj, item], |p| unsafe {
        f(p[0], p[1])
    });
    Ok(checked(vm, r, "__contains__")? != 0)
}

/// `o[key]` on a C type whose item slot is `sq_item` alone: the host's own
/// subscript turns the key into an isize in its words (OverflowError,
/// "'str' object cannot be interpreted as an integer"); CPython's
/// PyObject_GetItem/SetItem/DelItem raise IndexError for an index too large
/// and "sequence index must be integer, not 'T'" for a key without __index__.
fn sequence_key(vm: &VirtualMachine, key: &HostObject) -> PyResult<isize> {
    let Some(i) = key.try_index_opt(vm) else {
        return Err(vm.new_type_error(format!(
            "sequence index must be integer, not '{}'",
            key.class().name()
        )));
    };
    i?.try_to_primitive::<isize>(vm).map_err(|_| {
        vm.new_index_error(format!("cannot fit '{}' into an index-sized integer", key.class().name()))
    })
}

pub(crate) fn sq_subscript_slot(m: PyMapping<'_>, key: &HostObject, vm: &VirtualMachine) -> PyResult {
    let i = sequence_key(vm, key)?;
    sq_item_slot(PySequence { obj: m.obj }, i, vm)
}

fn sq_ass_subscript_slot(
    m: PyMapping<'_>,
    key: &HostObject,
    value: Option<PyObjectRef>,
    vm: &VirtualMachine,
) -> PyResult<()> {
    let i = sequence_key(vm, key)?;
    sq_ass_item_slot(PySequence { obj: m.obj }, i, value, vm)
}

fn install_sequence(m: &ffi::PySequenceMethods, class: &Py<PyType>) {
    let slots = &class.slots.as_sequence;
    if m.sq_length.is_some() {
        slots.length.store(Some(sq_length_slot));
    }
    if m.sq_concat.is_some() {
        slots.concat.store(Some(sq_concat_slot));
    }
    if m.sq_repeat.is_some() {
        slots.repeat.store(Some(sq_repeat_slot));
    }
    if m.sq_item.is_some() {
        slots.item.store(Some(sq_item_slot));
        // No mp_subscript: o[key] converts the key as CPython does (an
        // mp_subscript installed afterwards by install_mapping replaces it).
        if class.slots.as_mapping.subscript.load().is_none() {
            class.slots.as_mapping.subscript.store(Some(sq_subscript_slot));
        }
    }
    if m.sq_ass_item.is_some() {
        slots.ass_item.store(Some(sq_ass_item_slot));
        if class.slots.as_mapping.ass_subscript.load().is_none() {
            class.slots.as_mapping.ass_subscript.store(Some(sq_ass_subscript_slot));
        }
    }
    if m.sq_contains.is_some() {
        slots.contains.store(Some(sq_contains_slot));
    }
    if m.sq_inplace_concat.is_some() {
        slots.inplace_concat.store(Some(sq_inplace_concat_slot));
    }
    if m.sq_inplace_repeat.is_some() {
        slots.inplace_repeat.store(Some(sq_inplace_repeat_slot));
    }
}

// --- mappings ----------------------------------------------------------------

fn mapping_methods(owner: &HostObject, dunder: &'static PyStrInterned) -> Option<&'static ffi::PyMappingMethods> {
    let tp = type_defining(owner, dunder)?;
    // SAFETY: a readied C type object: immortal, its tables live as long (I7).
    unsafe { (*tp).tp_as_mapping.as_ref() }
}

fn mp_length_slot(m: PyMapping<'_>, vm: &VirtualMachine) -> PyResult<usize> {
    let f = mapping_methods(m.obj, vm.ctx.names.__len__)
        .and_then(|t| t.mp_length)
        .ok_or_else(|| missing_slot(vm, m.obj, "mp_length"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let n = call_c(vm, m.obj, "mp_length", &[m.obj], |p| unsafe { f(p[0]) });
    Ok(checked(vm, n, "__len__")? as usize)
}

fn mp_subscript_slot(m: PyMapping<'_>, key: &HostObject, vm: &VirtualMachine) -> PyResult {
    let f = mapping_methods(m.obj, vm.ctx.names.__getitem__)
        .and_then(|t| t.mp_subscript)
        .ok_or_else(|| missing_slot(vm, m.obj, "mp_subscript"))?;
    // SAFETY: the C type's own slot, with the signature its table declares, called on live
    // proxies of its arguments under the GIL (call_c).
    let r = call_c(vm, m.obj, "mp_subscript", &[m.obj, key], |p| unsafe {
        f(p[0], p[1])
    });
    crate::boundary::check_object(vm, "mp_subscript", r)
}

fn mp_ass_subscript_slot(
    m: PyMapping<'_>,
    key: &HostObject,
    value: Option<PyObjectRef>,
    vm: &VirtualMachine,
) -> PyResult<()> {
    let Some(f) = mapping_methods(m.obj, vm.ctx.names.__setitem__).and_then(|t| t.mp_ass_subscript) else {
        return Err(vm.new_type_error(format!(
            "'{}' object does not support item assignment",
            m.obj.class().name()
        )));
    };
    let status = match &value {
        Some(v) => call_c(
            vm,
            m.obj,
            "mp_ass_subscript",
            &[m.obj, key, v],
            // SAFETY: the C type's own slot, with the signature its table declares, called on
            // live proxies of its arguments under the GIL (call_c).
            |p| unsafe { f(p[0], p[1], p[2]) },
        ),
        // SAFETY: the C type's own slot, with the signature its table declares, called on live
        // proxies of its arguments under the GIL (call_c).
        None => call_c(vm, m.obj, "mp_ass_subscript", &[m.obj, key], |p| unsafe {
            f(p[0], p[1], std::ptr::null_mut())
        }),
    };
    checked(vm, status, "mp_ass_subscript").map(|_| ())
}

fn install_mapping(m: &ffi::PyMappingMethods, class: &Py<PyType>) {
    let slots = &class.slots.as_mapping;
    if m.mp_length.is_some() {
        slots.length.store(Some(mp_length_slot));
    }
    if m.mp_subscript.is_some() {
        slots.subscript.store(Some(mp_subscript_slot));
    }
    if m.mp_ass_subscript.is_some() {
        slots.ass_subscript.store(Some(mp_ass_subscript_slot));
    }
}

/// Installs the trampolines for every protocol slot `tp` fills.
///
/// # Safety
/// `tp` must be the C type object being readied for `class`, with its
/// protocol tables (if any) living as long as the type.
pub unsafe fn install(tp: *mut PyTypeObject, class: &Py<PyType>) {
    // SAFETY: the caller's contract.
    unsafe {
        let host = host_ancestor(tp);
        let host_table = |pick: fn(*mut PyTypeObject) -> *mut u8| if host.is_null() { std::ptr::null() } else { pick(host) as *const u8 };
        if let Some(n) = (*tp).tp_as_number.as_ref() {
            let host = host_table(|t| (*t).tp_as_number.cast()).cast::<ffi::PyNumberMethods>();
            install_number(&without_host_entries(n, host.as_ref()), class);
        }
        if let Some(s) = (*tp).tp_as_sequence.as_ref() {
            let host = host_table(|t| (*t).tp_as_sequence.cast()).cast::<ffi::PySequenceMethods>();
            install_sequence(&without_host_entries(s, host.as_ref()), class);
        }
        if let Some(m) = (*tp).tp_as_mapping.as_ref() {
            let host = host_table(|t| (*t).tp_as_mapping.cast()).cast::<ffi::PyMappingMethods>();
            install_mapping(&without_host_entries(m, host.as_ref()), class);
        }
        // A C exporter of its own; not the layer's entry point that a C
        // subclass of bytes or bytearray inherits (that one asks the host).
        let layer_entry = crate::api::pybuffer::PyObject_GetBuffer as *const () as usize;
        if (*tp).tp_as_buffer.as_ref().and_then(|b| b.bf_getbuffer).is_some_and(|f| f as *const () as usize != layer_entry) {
            class.slots.as_buffer.store(Some(crate::api::memoryobject::c_type_as_buffer));
        }
    }
}

/// The nearest builtin or Python class among `tp`'s bases, or NULL.
///
/// # Safety
/// `tp` must be a type object whose bases are readied.
unsafe fn host_ancestor(tp: *mut PyTypeObject) -> *mut PyTypeObject {
    // SAFETY: the caller's contract; tp_base links end at object (NULL).
    let mut base = unsafe { (*tp).tp_base };
    while !base.is_null() && !crate::slots::c_calls_python::is_python_class_type(base) {
        // SAFETY: as above.
        base = unsafe { (*base).tp_base };
    }
    base
}

/// `own` without the entries it shares with a host type's table. Those
/// entries (a C subtype of list inherits list's `mp_ass_subscript`) call
/// back through the host, which would land in the trampoline installed
/// for them: installing them would loop.
fn without_host_entries<T: Copy>(own: &T, host: Option<&T>) -> T {
    let mut out = *own;
    if let Some(host) = host {
        let words = size_of::<T>() / size_of::<usize>();
        let (mine, theirs) = (&raw mut out as *mut usize, host as *const T as *const usize);
        for i in 0..words {
            // SAFETY: the protocol tables are structs of pointer-sized
            // entries (functions or NULL), so both are arrays of `words` words.
            unsafe {
                if *mine.add(i) == *theirs.add(i) {
                    *mine.add(i) = 0;
                }
            }
        }
    }
    out
}

// --- a type's own slot, called by its dunder ---------------------------------

/// Calls C slot `f` of `tp` on `args` through the boundary.
fn call_slot<R>(vm: &VirtualMachine, tp: *mut PyTypeObject, slot: &'static str, args: &[&HostObject], f: impl FnOnce(&[*mut PyObject]) -> R) -> R {
    crate::boundary::call_into_c_with(vm, crate::boundary::CFunction::Slot(tp, slot), args, f)
}

/// The C slot behind a protocol dunder.
#[derive(Clone, Copy)]
enum DunderSlot {
    /// `(self, other)`, or `(other, self)` when reflected (`__radd__`).
    Binary(unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject, bool),
    Unary(unsafe extern "C" fn(*mut PyObject) -> *mut PyObject),
    /// nb_power or nb_inplace_power; reflected for `__rpow__`.
    Power(unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject, bool),
    Bool(unsafe extern "C" fn(*mut PyObject) -> std::ffi::c_int),
    Len(unsafe extern "C" fn(*mut PyObject) -> ffi::Py_ssize_t),
    Contains(unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> std::ffi::c_int),
    Item(unsafe extern "C" fn(*mut PyObject, ffi::Py_ssize_t) -> *mut PyObject),
    /// sq_repeat or sq_inplace_repeat, for `__mul__`, `__rmul__`, `__imul__`.
    Repeat(unsafe extern "C" fn(*mut PyObject, ffi::Py_ssize_t) -> *mut PyObject),
    Assign(unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> std::ffi::c_int),
    AssignItem(unsafe extern "C" fn(*mut PyObject, ffi::Py_ssize_t, *mut PyObject) -> std::ffi::c_int),
    Hash(unsafe extern "C" fn(*mut PyObject) -> ffi::Py_hash_t),
    /// tp_richcompare with the operation of one comparison dunder.
    Compare(unsafe extern "C" fn(*mut PyObject, *mut PyObject, std::ffi::c_int) -> *mut PyObject, std::ffi::c_int),
    /// tp_iternext: NULL without an exception is the end.
    Next(unsafe extern "C" fn(*mut PyObject) -> *mut PyObject),
    Call(unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject),
    DescrGet(unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject),
}

impl DunderSlot {
    fn address(self) -> usize {
        match self {
            DunderSlot::Binary(f, _) => f as usize,
            DunderSlot::Unary(f) => f as usize,
            DunderSlot::Power(f, _) => f as usize,
            DunderSlot::Bool(f) => f as usize,
            DunderSlot::Len(f) => f as usize,
            DunderSlot::Contains(f) => f as usize,
            DunderSlot::Item(f) => f as usize,
            DunderSlot::Repeat(f) => f as usize,
            DunderSlot::Assign(f) => f as usize,
            DunderSlot::AssignItem(f) => f as usize,
            DunderSlot::Hash(f) => f as usize,
            DunderSlot::Compare(f, _) => f as usize,
            DunderSlot::Next(f) => f as usize,
            DunderSlot::Call(f) => f as usize,
            DunderSlot::DescrGet(f) => f as usize,
        }
    }
}

type Pick<F> = fn(&ffi::PyNumberMethods) -> Option<F>;
const BINARIES: [(&str, Pick<unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject>); 25] = [
    ("add", |n| n.nb_add), ("sub", |n| n.nb_subtract), ("mul", |n| n.nb_multiply), ("mod", |n| n.nb_remainder),
    ("divmod", |n| n.nb_divmod), ("lshift", |n| n.nb_lshift), ("rshift", |n| n.nb_rshift), ("and", |n| n.nb_and),
    ("xor", |n| n.nb_xor), ("or", |n| n.nb_or), ("floordiv", |n| n.nb_floor_divide), ("truediv", |n| n.nb_true_divide),
    ("matmul", |n| n.nb_matrix_multiply),
    ("iadd", |n| n.nb_inplace_add), ("isub", |n| n.nb_inplace_subtract), ("imul", |n| n.nb_inplace_multiply),
    ("imod", |n| n.nb_inplace_remainder), ("ilshift", |n| n.nb_inplace_lshift), ("irshift", |n| n.nb_inplace_rshift),
    ("iand", |n| n.nb_inplace_and), ("ixor", |n| n.nb_inplace_xor), ("ior", |n| n.nb_inplace_or),
    ("ifloordiv", |n| n.nb_inplace_floor_divide), ("itruediv", |n| n.nb_inplace_true_divide),
    ("imatmul", |n| n.nb_inplace_matrix_multiply),
];
const UNARIES: [(&str, Pick<unsafe extern "C" fn(*mut PyObject) -> *mut PyObject>); 7] = [
    ("neg", |n| n.nb_negative), ("pos", |n| n.nb_positive), ("abs", |n| n.nb_absolute), ("invert", |n| n.nb_invert),
    ("int", |n| n.nb_int), ("float", |n| n.nb_float), ("index", |n| n.nb_index),
];

/// The comparison dunders, with tp_richcompare's operation for each.
const COMPARISONS: [(&str, u32); 6] =
    [("lt", ffi::Py_LT), ("le", ffi::Py_LE), ("eq", ffi::Py_EQ), ("ne", ffi::Py_NE), ("gt", ffi::Py_GT), ("ge", ffi::Py_GE)];

/// The slot of `tp` that dunder `name` runs, if `tp` fills it: a protocol
/// table's entry, or one of the type's own slots (`__repr__`, `__hash__`,
/// `__eq__`...). `object`'s slots, which a C type inherits, are not its own.
fn dunder_slot(tp: *mut PyTypeObject, name: &str) -> Option<DunderSlot> {
    // SAFETY: a readied type object: immortal, its tables live as long (I7).
    let (number, sequence, mapping) = unsafe { ((*tp).tp_as_number.as_ref(), (*tp).tp_as_sequence.as_ref(), (*tp).tp_as_mapping.as_ref()) };
    let bare = name.strip_prefix("__")?.strip_suffix("__")?;
    // SAFETY: as above.
    let t = unsafe { &*tp };
    let not_objects = |f: usize| !crate::slots::c_calls_python::is_object_slot(f);
    if let Some((_, op)) = COMPARISONS.iter().find(|(o, _)| *o == bare) {
        return t.tp_richcompare.filter(|f| not_objects(*f as usize)).map(|f| DunderSlot::Compare(f, *op as std::ffi::c_int));
    }
    match bare {
        "repr" => return t.tp_repr.filter(|f| not_objects(*f as usize)).map(DunderSlot::Unary),
        "str" => return t.tp_str.filter(|f| not_objects(*f as usize)).map(DunderSlot::Unary),
        "iter" => return t.tp_iter.filter(|f| not_objects(*f as usize)).map(DunderSlot::Unary),
        "next" => return t.tp_iternext.filter(|f| not_objects(*f as usize)).map(DunderSlot::Next),
        "call" => return t.tp_call.map(DunderSlot::Call),
        "get" => return t.tp_descr_get.map(DunderSlot::DescrGet),
        "hash" => {
            let unhashable = crate::api::object::PyObject_HashNotImplemented as *const () as usize;
            return t.tp_hash.filter(|f| not_objects(*f as usize) && *f as usize != unhashable).map(DunderSlot::Hash);
        }
        _ => {}
    }
    if let Some((_, pick)) = BINARIES.iter().find(|(op, _)| *op == bare) {
        let own = number.and_then(pick).map(|f| DunderSlot::Binary(f, false));
        // The sequence table stands in for a number slot the type lacks, as
        // in CPython's slot table: concatenation and repetition.
        return own.or_else(|| match bare {
            "add" => sequence.and_then(|s| s.sq_concat).map(|f| DunderSlot::Binary(f, false)),
            "iadd" => sequence.and_then(|s| s.sq_inplace_concat).map(|f| DunderSlot::Binary(f, false)),
            "mul" => sequence.and_then(|s| s.sq_repeat).map(DunderSlot::Repeat),
            "imul" => sequence.and_then(|s| s.sq_inplace_repeat).map(DunderSlot::Repeat),
            _ => None,
        });
    }
    if bare == "rmul" && number.and_then(|n| n.nb_multiply).is_none() {
        return sequence.and_then(|s| s.sq_repeat).map(DunderSlot::Repeat);
    }
    if let Some(op) = bare.strip_prefix('r') {
        if let Some((_, pick)) = BINARIES[..13].iter().find(|(o, _)| *o == op) {
            return number.and_then(pick).map(|f| DunderSlot::Binary(f, true));
        }
    }
    if let Some((_, pick)) = UNARIES.iter().find(|(op, _)| *op == bare) {
        return number.and_then(pick).map(DunderSlot::Unary);
    }
    match bare {
        "pow" => number.and_then(|n| n.nb_power).map(|f| DunderSlot::Power(f, false)),
        "rpow" => number.and_then(|n| n.nb_power).map(|f| DunderSlot::Power(f, true)),
        "ipow" => number.and_then(|n| n.nb_inplace_power).map(|f| DunderSlot::Power(f, false)),
        "bool" => number.and_then(|n| n.nb_bool).map(DunderSlot::Bool),
        "len" => mapping.and_then(|m| m.mp_length).or_else(|| sequence.and_then(|s| s.sq_length)).map(DunderSlot::Len),
        "contains" => sequence.and_then(|s| s.sq_contains).map(DunderSlot::Contains),
        "getitem" => mapping
            .and_then(|m| m.mp_subscript)
            .map(|f| DunderSlot::Binary(f, false))
            .or_else(|| sequence.and_then(|s| s.sq_item).map(DunderSlot::Item)),
        "setitem" | "delitem" => mapping
            .and_then(|m| m.mp_ass_subscript)
            .map(DunderSlot::Assign)
            .or_else(|| sequence.and_then(|s| s.sq_ass_item).map(DunderSlot::AssignItem)),
        _ => None,
    }
}

/// Whether `tp` fills the slot behind `name` with a function of its own,
/// not the one it inherited from `base`.
pub(crate) fn defines_dunder_slot(tp: *mut PyTypeObject, base: *mut PyTypeObject, name: &str) -> bool {
    match dunder_slot(tp, name) {
        Some(own) => base.is_null() || dunder_slot(base, name).is_none_or(|inherited| inherited.address() != own.address()),
        None => false,
    }
}

/// `Base.__call__(obj, *args, **kwargs)`: the C type's own tp_call.
fn call_with_keywords(
    vm: &VirtualMachine,
    tp: *mut PyTypeObject,
    f: unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject,
    call: FuncArgs,
) -> PyResult {
    if call.args.is_empty() {
        return Err(vm.new_type_error("__call__() needs an argument".to_owned()));
    }
    let call = crate::api::r#abstract::VectorArgs::from_host(vm, call);
    let keywords: Option<PyObjectRef> = call.keyword_dict(vm)?.map(Into::into);
    let mut positional = call.into_positional();
    let this = positional.remove(0);
    let positional: PyObjectRef = vm.ctx.new_tuple(positional).into();
    let mut present: Vec<&HostObject> = vec![&*this, &*positional];
    if let Some(k) = &keywords {
        present.push(k);
    }
    let result = call_slot(vm, tp, "tp_call", &present, |p| {
        let kwargs = p.get(2).copied().unwrap_or(std::ptr::null_mut());
        // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
        unsafe { f(p[0], p[1], kwargs) }
    });
    crate::boundary::check_object(vm, "slot wrapper", result)
}

/// Runs the slot behind protocol dunder `name` of the C type `tp` with
/// `args` (self first), as CPython's wrapper descriptors run the slot of
/// the type that defines them. None if `tp` fills no such slot.
pub(crate) fn call_dunder(vm: &VirtualMachine, tp: *mut PyTypeObject, name: &str, call: FuncArgs) -> Option<PyResult> {
    let slot = dunder_slot(tp, name)?;
    if let DunderSlot::Call(f) = slot {
        return Some(call_with_keywords(vm, tp, f, call));
    }
    if !call.kwargs.is_empty() {
        return Some(Err(vm.new_type_error(format!("wrapper {name}() takes no keyword arguments"))));
    }
    let args = &call.args;
    let bare = name.trim_matches('_');
    let wanted = match slot {
        DunderSlot::Unary(_) | DunderSlot::Bool(_) | DunderSlot::Len(_) | DunderSlot::Hash(_) | DunderSlot::Next(_) => 1..=1,
        DunderSlot::Power(..) | DunderSlot::DescrGet(_) => 2..=3,
        DunderSlot::Assign(_) | DunderSlot::AssignItem(_) if bare == "setitem" => 3..=3,
        _ => 2..=2,
    };
    if !wanted.contains(&args.len()) {
        let given = args.len().saturating_sub(1);
        // CPython's wrappers word a fixed count so (check_num_args).
        let message = match wanted.start() - 1 {
            n if wanted.start() == wanted.end() => format!("expected {n} argument{}, got {given}", if n == 1 { "" } else { "s" }),
            n => format!("{name} expected {n} arguments, got {given}"),
        };
        return Some(Err(vm.new_type_error(message)));
    }
    let a: Vec<&HostObject> = args.iter().map(|o| &**o).collect();
    let object = |r: *mut PyObject| crate::boundary::check_object(vm, "slot wrapper", r);
    let index = |i: &HostObject| -> PyResult<ffi::Py_ssize_t> { i.to_owned().try_index(vm)?.try_to_primitive::<isize>(vm) };
    Some(match slot {
        DunderSlot::Binary(f, reflected) => {
            let order = if reflected { [a[1], a[0]] } else { [a[0], a[1]] };
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            object(call_slot(vm, tp, "binary slot", &order, |p| unsafe { f(p[0], p[1]) }))
        }
        // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
        DunderSlot::Unary(f) => object(call_slot(vm, tp, "unary slot", &[a[0]], |p| unsafe { f(p[0]) })),
        DunderSlot::Power(f, reflected) => {
            let none = vm.ctx.none();
            let third: &HostObject = a.get(2).copied().unwrap_or(&none);
            let order = if reflected { [a[1], a[0], third] } else { [a[0], a[1], third] };
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            object(call_slot(vm, tp, "nb_power", &order, |p| unsafe { f(p[0], p[1], p[2]) }))
        }
        DunderSlot::Bool(f) => {
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            let r = call_slot(vm, tp, "nb_bool", &[a[0]], |p| unsafe { f(p[0]) });
            checked(vm, r, name).map(|r| vm.ctx.new_bool(r != 0).into())
        }
        DunderSlot::Len(f) => {
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            let r = call_slot(vm, tp, "length slot", &[a[0]], |p| unsafe { f(p[0]) });
            checked(vm, r, name).map(|r| vm.ctx.new_int(r).into())
        }
        DunderSlot::Contains(f) => {
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            let r = call_slot(vm, tp, "sq_contains", &[a[0], a[1]], |p| unsafe { f(p[0], p[1]) });
            checked(vm, r, name).map(|r| vm.ctx.new_bool(r != 0).into())
        }
        // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
        DunderSlot::Item(f) => index(a[1]).and_then(|i| object(call_slot(vm, tp, "sq_item", &[a[0]], |p| unsafe { f(p[0], i) }))),
        // SAFETY: as above.
        DunderSlot::Repeat(f) => index(a[1]).and_then(|n| object(call_slot(vm, tp, "sq_repeat", &[a[0]], |p| unsafe { f(p[0], n) }))),
        DunderSlot::Assign(f) => {
            let r = if a.len() == 3 {
                // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
                call_slot(vm, tp, "mp_ass_subscript", &[a[0], a[1], a[2]], |p| unsafe { f(p[0], p[1], p[2]) })
            } else {
                // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
                call_slot(vm, tp, "mp_ass_subscript", &[a[0], a[1]], |p| unsafe { f(p[0], p[1], std::ptr::null_mut()) })
            };
            checked(vm, r, name).map(|_| vm.ctx.none())
        }
        DunderSlot::Hash(f) => {
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            let r = call_slot(vm, tp, "tp_hash", &[a[0]], |p| unsafe { f(p[0]) });
            // A negative hash is a hash, not an error (-1 included, when
            // no exception is set, as CPython's wrapper has it).
            match error_indicator::take_exception(vm) {
                Some(e) => Err(e),
                None => Ok(vm.ctx.new_int(r).into()),
            }
        }
        DunderSlot::Compare(f, op) => {
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            object(call_slot(vm, tp, "tp_richcompare", &[a[0], a[1]], |p| unsafe { f(p[0], p[1], op) }))
        }
        DunderSlot::DescrGet(f) => {
            // As CPython's wrapper: None stands for an absent instance or owner.
            let given = |i: usize| a.get(i).copied().filter(|o| !vm.is_none(o));
            let (instance, owner) = (given(1), given(2));
            if instance.is_none() && owner.is_none() {
                return Some(Err(vm.new_type_error("__get__(None, None) is invalid".to_owned())));
            }
            let present: Vec<&HostObject> = [Some(a[0]), instance, owner].into_iter().flatten().collect();
            object(call_slot(vm, tp, "tp_descr_get", &present, |p| {
                let mut p = p.iter().copied();
                let this = p.next().unwrap_or(std::ptr::null_mut());
                let instance = if instance.is_some() { p.next().unwrap_or(std::ptr::null_mut()) } else { std::ptr::null_mut() };
                let owner = if owner.is_some() { p.next().unwrap_or(std::ptr::null_mut()) } else { std::ptr::null_mut() };
                // SAFETY: the type's own slot, with its declared signature, on live proxies or NULL (call_slot).
                unsafe { f(this, instance, owner) }
            }))
        }
        DunderSlot::Call(_) => unreachable!("handled above"),
        DunderSlot::Next(f) => {
            // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
            let r = call_slot(vm, tp, "tp_iternext", &[a[0]], |p| unsafe { f(p[0]) });
            if r.is_null() {
                Err(error_indicator::take_exception(vm).unwrap_or_else(|| vm.new_stop_iteration(None)))
            } else {
                object(r)
            }
        }
        DunderSlot::AssignItem(f) => index(a[1]).and_then(|i| {
            let r = if a.len() == 3 {
                // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
                call_slot(vm, tp, "sq_ass_item", &[a[0], a[2]], |p| unsafe { f(p[0], i, p[1]) })
            } else {
                // SAFETY: the type's own slot, with its declared signature, on live proxies (call_slot).
                call_slot(vm, tp, "sq_ass_item", &[a[0]], |p| unsafe { f(p[0], i, std::ptr::null_mut()) })
            };
            checked(vm, r, name).map(|_| vm.ctx.none())
        }),
    })
}
