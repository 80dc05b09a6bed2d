//! structseq.h: struct sequences. The host class is a tuple subclass whose
//! instances hold every field, hidden ones last (as RustPython's own struct
//! sequences do); its length, items, iteration, hash and comparisons see only
//! the first `n_sequence_fields`. Named fields are read-only attributes.
//! An instance made in C is a tuple proxy of all the fields, filled with the
//! tuple macros, that becomes an instance of the class when it reaches Python.
use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use crate::proxy::{self, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyDict, PyStr, PyTuple, PyTupleRef, PyType, PyTypeRef};
use rustpython_vm::function::{Either, FuncArgs, ItemDoc, PyComparisonValue, PyMethodDef, PyMethodFlags};
use rustpython_vm::protocol::{PyMappingMethods, PySequenceMethods};
use rustpython_vm::types::{PyComparisonOp, PyTypeFlags, PyTypeSlots};
use rustpython_vm::{AsObject, Py, PyObject as HostObject, PyObjectRef, PyPayload, PyRef, PyResult, VirtualMachine};
use std::collections::HashMap;
use std::ffi::{CStr, c_char, c_int};
use std::sync::{LazyLock, Mutex};

/// A C `const char *` in a static (C reads the pointer itself).
#[repr(transparent)]
pub struct CStrPointer(*const c_char);
// SAFETY: it points at an immutable string literal.
unsafe impl Sync for CStrPointer {}

/// The name a field gets for index access only.
#[unsafe(no_mangle)]
pub static PyStructSequence_UnnamedField: CStrPointer = CStrPointer(c"unnamed field".as_ptr());
inventory::submit! { crate::boundary::ApiData { name: "PyStructSequence_UnnamedField" } }

/// What the layer remembers of a struct sequence type.
struct SequenceInfo {
    /// CPython's tp_name: the descriptor's name, "module.Name".
    tp_name: String,
    /// The names of the named fields, in order (CPython's tp_members).
    member_names: Vec<String>,
    n_sequence_fields: usize,
    n_fields: usize,
    n_unnamed_fields: usize,
}

/// Host class address -> its info. Types are never freed.
static SEQUENCES: LazyLock<Mutex<HashMap<usize, &'static SequenceInfo>>> = LazyLock::new(Default::default);

fn info_of(cls: &Py<PyType>) -> Option<&'static SequenceInfo> {
    let sequences = SEQUENCES.lock().unwrap();
    cls.iter_base_chain().find_map(|c| sequences.get(&(c as *const Py<PyType> as usize)).copied())
}

fn info_for(vm: &VirtualMachine, obj: &HostObject) -> PyResult<&'static SequenceInfo> {
    info_of(obj.class()).ok_or_else(|| vm.new_type_error("not a struct sequence".to_owned()))
}

/// The fields a struct sequence shows as a tuple.
fn visible(vm: &VirtualMachine, obj: &HostObject) -> PyResult<PyTupleRef> {
    let info = info_for(vm, obj)?;
    let tuple = obj.downcast_ref::<PyTuple>().ok_or_else(|| vm.new_type_error("expected a tuple".to_owned()))?;
    let shown = tuple.as_slice().iter().take(info.n_sequence_fields).cloned().collect();
    Ok(vm.ctx.new_tuple(shown))
}

fn seq_length(seq: rustpython_vm::protocol::PySequence<'_>, vm: &VirtualMachine) -> PyResult<usize> {
    Ok(info_for(vm, seq.obj)?.n_sequence_fields)
}

fn seq_item(seq: rustpython_vm::protocol::PySequence<'_>, i: isize, vm: &VirtualMachine) -> PyResult {
    let shown = visible(vm, seq.obj)?;
    shown.as_object().get_item(vm.ctx.new_int(i).as_object(), vm)
}

fn seq_contains(seq: rustpython_vm::protocol::PySequence<'_>, needle: &HostObject, vm: &VirtualMachine) -> PyResult<bool> {
    let shown = visible(vm, seq.obj)?;
    vm._contains(shown.as_object(), needle)
}

fn seq_concat(seq: rustpython_vm::protocol::PySequence<'_>, other: &HostObject, vm: &VirtualMachine) -> PyResult {
    let shown = visible(vm, seq.obj)?;
    vm._add(shown.as_object(), other)
}

fn seq_repeat(seq: rustpython_vm::protocol::PySequence<'_>, n: isize, vm: &VirtualMachine) -> PyResult {
    let shown = visible(vm, seq.obj)?;
    vm._mul(shown.as_object(), vm.ctx.new_int(n).as_object())
}

/// The visible part of a struct sequence operand, any other operand as is.
fn operand(vm: &VirtualMachine, obj: &HostObject) -> PyResult<PyObjectRef> {
    if info_of(obj.class()).is_some() { Ok(visible(vm, obj)?.into()) } else { Ok(obj.to_owned()) }
}

fn number_add(a: &HostObject, b: &HostObject, vm: &VirtualMachine) -> PyResult {
    vm._add(operand(vm, a)?.as_object(), operand(vm, b)?.as_object())
}

fn number_multiply(a: &HostObject, b: &HostObject, vm: &VirtualMachine) -> PyResult {
    vm._mul(operand(vm, a)?.as_object(), operand(vm, b)?.as_object())
}

fn map_length(mapping: rustpython_vm::protocol::PyMapping<'_>, vm: &VirtualMachine) -> PyResult<usize> {
    Ok(info_for(vm, mapping.obj)?.n_sequence_fields)
}

fn map_subscript(mapping: rustpython_vm::protocol::PyMapping<'_>, needle: &HostObject, vm: &VirtualMachine) -> PyResult {
    let shown = visible(vm, mapping.obj)?;
    shown.as_object().get_item(needle, vm)
}

fn sequence_iter(zelf: PyObjectRef, vm: &VirtualMachine) -> PyResult {
    let shown: PyObjectRef = visible(vm, &zelf)?.into();
    Ok(shown.get_iter(vm)?.into())
}

fn sequence_hash(zelf: &HostObject, vm: &VirtualMachine) -> PyResult<rustpython_vm::common::hash::PyHash> {
    visible(vm, zelf)?.as_object().hash(vm)
}

fn sequence_richcompare(zelf: &HostObject, other: &HostObject, op: PyComparisonOp, vm: &VirtualMachine) -> PyResult<Either<PyObjectRef, PyComparisonValue>> {
    if other.downcast_ref::<PyTuple>().is_none() {
        return Ok(Either::B(PyComparisonValue::NotImplemented));
    }
    let other: PyObjectRef = if info_of(other.class()).is_some() { visible(vm, other)?.into() } else { other.to_owned() };
    let shown = visible(vm, zelf)?;
    Ok(Either::A(shown.as_object().rich_compare(&other, op, vm)?))
}

/// "module.Name(field=value, ...)" over the visible fields. Like CPython, the
/// i-th visible field is shown with the i-th *named* field's name.
fn sequence_repr(zelf: &HostObject, vm: &VirtualMachine) -> PyResult<PyRef<PyStr>> {
    let info = info_for(vm, zelf)?;
    let tuple = zelf.downcast_ref::<PyTuple>().ok_or_else(|| vm.new_type_error("expected a tuple".to_owned()))?;
    let mut parts = Vec::with_capacity(info.n_sequence_fields);
    for (i, value) in tuple.as_slice().iter().take(info.n_sequence_fields).enumerate() {
        let Some(name) = info.member_names.get(i) else {
            return Err(vm.new_system_error(format!(
                "In structseq_repr(), member {i} name is NULL for type {}",
                info.tp_name
            )));
        };
        parts.push(format!("{name}={}", value.repr(vm)?));
    }
    Ok(vm.ctx.new_str(format!("{}({})", info.tp_name, parts.join(", "))))
}

/// `Type(sequence, dict=None)`: the visible fields from the sequence, then
/// hidden ones from it or from the dict (None when absent).
fn sequence_new(cls: PyTypeRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let info = info_of(&cls).ok_or_else(|| vm.new_type_error("not a struct sequence".to_owned()))?;
    let tp_name = &info.tp_name;
    let mut positional = args.args.into_iter();
    let mut keywords = args.kwargs;
    let sequence = positional.next().or_else(|| keywords.swap_remove("sequence"));
    let dict = positional.next().or_else(|| keywords.swap_remove("dict"));
    if positional.next().is_some() || !keywords.is_empty() {
        return Err(vm.new_type_error(format!("{tp_name}() takes at most 2 arguments")));
    }
    let sequence = sequence.ok_or_else(|| vm.new_type_error("structseq() missing required argument 'sequence' (pos 1)".to_owned()))?;
    let items: Vec<PyObjectRef> = match sequence.try_to_value(vm) {
        Ok(items) => items,
        Err(_) => return Err(vm.new_type_error("constructor requires a sequence".to_owned())),
    };
    let dict = match dict.filter(|d| !vm.is_none(d)) {
        None => None,
        Some(d) => Some(d.downcast::<PyDict>().map_err(|_| vm.new_type_error(format!("{tp_name}() takes a dict as second arg, if any")))?),
    };
    let (min_len, max_len, len) = (info.n_sequence_fields, info.n_fields, items.len());
    if len < min_len || len > max_len {
        let message = if min_len == max_len {
            format!("{tp_name}() takes a {min_len}-sequence ({len}-sequence given)")
        } else if len < min_len {
            format!("{tp_name}() takes an at least {min_len}-sequence ({len}-sequence given)")
        } else {
            format!("{tp_name}() takes an at most {max_len}-sequence ({len}-sequence given)")
        };
        return Err(vm.new_type_error(message));
    }
    let mut fields = items;
    for i in len..max_len {
        let name = &info.member_names[i - info.n_unnamed_fields];
        let value = match &dict {
            Some(d) => d.get_item_opt(name.as_str(), vm)?,
            None => None,
        };
        fields.push(value.unwrap_or_else(|| vm.ctx.none()));
    }
    Ok(PyTuple::new_unchecked(fields.into_boxed_slice()).into_ref_with_type(vm, cls)?.into())
}

/// (type, (visible fields,), {hidden field: value}).
fn sequence_reduce(zelf: PyObjectRef, vm: &VirtualMachine) -> PyResult<PyTupleRef> {
    let info = info_for(vm, &zelf)?;
    let tuple = zelf.downcast_ref::<PyTuple>().ok_or_else(|| vm.new_type_error("expected a tuple".to_owned()))?;
    let hidden = vm.ctx.new_dict();
    for (i, value) in tuple.as_slice().iter().enumerate().skip(info.n_sequence_fields) {
        hidden.set_item(info.member_names[i - info.n_unnamed_fields].as_str(), value.clone(), vm)?;
    }
    let shown: PyObjectRef = visible(vm, &zelf)?.into();
    let arguments = vm.ctx.new_tuple(vec![shown, hidden.into()]);
    Ok(vm.ctx.new_tuple(vec![zelf.class().to_owned().into(), arguments.into()]))
}

/// tuple.count and tuple.index over the visible fields.
fn sequence_count(zelf: PyObjectRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    vm.call_method(visible(vm, &zelf)?.as_object(), "count", args)
}

fn sequence_index(zelf: PyObjectRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    vm.call_method(visible(vm, &zelf)?.as_object(), "index", args)
}

static COUNT: PyMethodDef = PyMethodDef::new_const("count", sequence_count, PyMethodFlags::METHOD, ItemDoc::NONE);
static INDEX: PyMethodDef = PyMethodDef::new_const("index", sequence_index, PyMethodFlags::METHOD, ItemDoc::NONE);
static REDUCE: PyMethodDef = PyMethodDef::new_const("__reduce__", sequence_reduce, PyMethodFlags::METHOD, ItemDoc::NONE);

static SEQUENCE_METHODS: PySequenceMethods = PySequenceMethods {
    length: Some(seq_length),
    concat: Some(seq_concat),
    repeat: Some(seq_repeat),
    item: Some(seq_item),
    ass_item: None,
    contains: Some(seq_contains),
    inplace_concat: None,
    inplace_repeat: None,
};

static MAPPING_METHODS: PyMappingMethods = PyMappingMethods { length: Some(map_length), subscript: Some(map_subscript), ass_subscript: None };

/// A C string of a descriptor, or None for NULL.
///
/// # Safety
/// `s` must be NULL or NUL-terminated and live as long as the descriptor.
unsafe fn c_text(s: *const c_char) -> Option<String> {
    // SAFETY: as the caller promises.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_string_lossy().into_owned())
}

/// Makes the host class for `desc` and registers its info.
///
/// # Safety
/// `desc` must be a valid descriptor whose field list ends with a NULL name.
unsafe fn make_class(vm: &VirtualMachine, desc: *const ffi::PyStructSequence_Desc) -> PyResult<PyTypeRef> {
    if desc.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a valid descriptor.
    let desc = unsafe { &*desc };
    // SAFETY: as above.
    let tp_name = unsafe { c_text(desc.name) }.ok_or_else(|| super::bad_internal_call(vm))?;
    let unnamed = PyStructSequence_UnnamedField.0;
    let mut field_names: Vec<Option<String>> = Vec::new();
    let mut field = desc.fields;
    // SAFETY: the list ends with a NULL name.
    while !field.is_null() && unsafe { !(*field).name.is_null() } {
        // SAFETY: field is within the list.
        let name = unsafe { (*field).name };
        // SAFETY: as above.
        field_names.push(if name == unnamed { None } else { unsafe { c_text(name) } });
        // SAFETY: the terminator has not been reached.
        field = unsafe { field.add(1) };
    }
    let n_fields = field_names.len();
    let n_sequence_fields = (desc.n_in_sequence.max(0) as usize).min(n_fields);
    let n_unnamed_fields = field_names.iter().filter(|n| n.is_none()).count();
    let member_names: Vec<String> = field_names.iter().flatten().cloned().collect();

    let (module, name) = match tp_name.rsplit_once('.') {
        Some((module, name)) => (module.to_owned(), name.to_owned()),
        None => ("builtins".to_owned(), tp_name.clone()),
    };
    let slot_name: &'static str = Box::leak(tp_name.clone().into_boxed_str());
    let slots = PyTypeSlots::new(slot_name, PyTypeFlags::from_slice(&[PyTypeFlags::HEAPTYPE]));
    let cls = PyType::new_heap(&name, vec![vm.ctx.types.tuple_type.to_owned()], Default::default(), slots, vm.ctx.types.type_type.to_owned(), &vm.ctx)
        .map_err(|e| vm.new_type_error(e))?;
    let class: &'static Py<PyType> = Box::leak(Box::new(cls.clone()));

    let info: &'static SequenceInfo = Box::leak(Box::new(SequenceInfo {
        tp_name: tp_name.clone(),
        member_names: member_names.clone(),
        n_sequence_fields,
        n_fields,
        n_unnamed_fields,
    }));
    SEQUENCES.lock().unwrap().insert(class as *const Py<PyType> as usize, info);

    let ctx = &vm.ctx;
    let cls_obj = cls.as_object();
    cls_obj.set_attr("__module__", ctx.new_str(module), vm)?;
    cls_obj.set_attr("__qualname__", ctx.new_str(name.as_str()), vm)?;
    // SAFETY: the descriptor's doc is NULL or a C string.
    let doc: PyObjectRef = match unsafe { c_text(desc.doc) } {
        Some(doc) => ctx.new_str(doc).into(),
        None => ctx.none(),
    };
    cls_obj.set_attr("__doc__", doc, vm)?;
    for (index, field_name) in field_names.iter().enumerate() {
        if let Some(field_name) = field_name {
            let member = ctx.new_readonly_tuple_member(field_name, class, index, ItemDoc::NONE);
            class.set_attr(ctx.intern_str(field_name.as_str()), member.into());
        }
    }
    let match_args: Vec<PyObjectRef> = field_names[..n_sequence_fields].iter().flatten().map(|n| ctx.new_str(n.as_str()).into()).collect();
    class.set_attr(ctx.intern_str("__match_args__"), ctx.new_tuple(match_args).into());
    class.set_attr(ctx.intern_str("n_sequence_fields"), ctx.new_int(n_sequence_fields).into());
    class.set_attr(ctx.intern_str("n_fields"), ctx.new_int(n_fields).into());
    class.set_attr(ctx.intern_str("n_unnamed_fields"), ctx.new_int(n_unnamed_fields).into());
    for method in [&REDUCE, &COUNT, &INDEX] {
        class.set_attr(ctx.intern_str(method.name), method.to_proper_method(class, ctx));
    }

    let slots = &class.slots;
    slots.as_sequence.copy_from(&SEQUENCE_METHODS);
    slots.as_mapping.copy_from(&MAPPING_METHODS);
    slots.as_number.add.store(Some(number_add));
    slots.as_number.right_add.store(Some(number_add));
    slots.as_number.multiply.store(Some(number_multiply));
    slots.as_number.right_multiply.store(Some(number_multiply));
    slots.iter.store(Some(sequence_iter));
    slots.hash.store(Some(sequence_hash));
    slots.richcompare.store(Some(sequence_richcompare));
    slots.repr.store(Some(sequence_repr));
    slots.new.store(Some(sequence_new));
    Ok(cls)
}

#[cpython_api]
unsafe fn PyStructSequence_NewType(vm: &VirtualMachine, desc: *mut ffi::PyStructSequence_Desc) -> PyResult<*mut PyTypeObject> {
    // SAFETY: the caller passes a valid descriptor.
    let cls = unsafe { make_class(vm, desc)? };
    let tp = crate::types::type_proxy(vm, &cls);
    // SAFETY: type proxies live forever; tp_name points at the leaked slot name.
    unsafe {
        (*tp).tp_name = (*desc).name;
        (*tp).tp_doc = (*desc).doc;
    }
    Ok(tp)
}

/// Makes `type` (static memory of C's) the type object of a new struct
/// sequence class, as a static type: CPython's fields, not a heap type.
///
/// # Safety
/// `type_` must be writable memory for a PyTypeObject that outlives the
/// interpreter; `desc` a valid descriptor.
#[cpython_api]
unsafe fn PyStructSequence_InitType2(vm: &VirtualMachine, type_: *mut PyTypeObject, desc: *mut ffi::PyStructSequence_Desc) -> PyResult<c_int> {
    if type_.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a valid descriptor.
    let cls = unsafe { make_class(vm, desc)? };
    let made = crate::types::type_proxy(vm, &cls);
    // SAFETY: both are PyTypeObjects; C's copy becomes the class's proxy.
    unsafe {
        std::ptr::copy_nonoverlapping(made, type_, 1);
        (*type_).tp_name = (*desc).name;
        (*type_).tp_doc = (*desc).doc;
        (*type_).tp_flags &= !(ffi::Py_TPFLAGS_HEAPTYPE as u64);
    }
    proxy::register_static(cls.into(), type_ as *mut PyObject);
    Ok(0)
}

/// InitType2 without a result: a failure leaves its exception set.
///
/// # Safety
/// As for `PyStructSequence_InitType2`.
#[cpython_api]
unsafe fn PyStructSequence_InitType(type_: *mut PyTypeObject, desc: *mut ffi::PyStructSequence_Desc) {
    // SAFETY: the caller's promises are those of InitType2.
    unsafe { PyStructSequence_InitType2(type_, desc) };
}

/// A new instance with all fields NULL, for C to fill.
#[cpython_api]
fn PyStructSequence_New(vm: &VirtualMachine, type_: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let cls = to_host(vm, type_ as *mut PyObject)?.downcast::<PyType>().map_err(|_| super::bad_internal_call(vm))?;
    let info = info_of(&cls).ok_or_else(|| super::bad_internal_call(vm))?;
    Ok(super::tupleobject::new_tuple_of_type(info.n_fields, type_))
}

/// Steals `v`; for instances C is still filling.
///
/// # Safety
/// `p` must be a struct sequence with more than `pos` fields.
#[cpython_api]
unsafe fn PyStructSequence_SetItem(p: *mut PyObject, pos: Py_ssize_t, v: *mut PyObject) {
    // SAFETY: the caller passes a struct sequence and an index in range.
    unsafe {
        let slot = (*(p as *mut ffi::PyTupleObject)).ob_item.as_mut_ptr().add(pos as usize);
        let old = std::mem::replace(&mut *slot, v);
        proxy::xdecref(old);
    }
}

/// Borrowed.
///
/// # Safety
/// As for `PyStructSequence_SetItem`.
#[cpython_api]
unsafe fn PyStructSequence_GetItem(p: *mut PyObject, pos: Py_ssize_t) -> *mut PyObject {
    // SAFETY: the caller passes a struct sequence and an index in range.
    unsafe { *(*(p as *mut ffi::PyTupleObject)).ob_item.as_ptr().add(pos as usize) }
}
