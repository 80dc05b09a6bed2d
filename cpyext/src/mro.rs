//! CPython's method resolution order for the classes the host makes.
//!
//! The host's C3 merge leaves out the list of direct bases (the "local
//! precedence order"), so `class C(B1, B2)` can get an MRO in which a class
//! reached through `B1` comes before `B2` itself; a later class then fails
//! with "Cannot create a consistent method resolution order" where CPython
//! succeeds (SQLAlchemy's `sql.roles` at import). `type`'s tp_new is wrapped:
//! after the host makes a class, its MRO is merged again as C3 has it and
//! replaced when it differs, and the slots of the dunders that now resolve
//! elsewhere are remade. A class whose bases C3 cannot order is refused with
//! CPython's TypeError.
use rustpython_vm::builtins::{PyType, PyTypeRef};
use rustpython_vm::function::{FuncArgs, PySetterValue};
use rustpython_vm::{AsObject, Py, PyResult, VirtualMachine};
use std::sync::OnceLock;

type NewSlot = fn(PyTypeRef, FuncArgs, &VirtualMachine) -> PyResult;

static HOST_TYPE_NEW: OnceLock<NewSlot> = OnceLock::new();

type SetattroSlot = fn(&rustpython_vm::PyObject, &Py<rustpython_vm::builtins::PyStr>, PySetterValue, &VirtualMachine) -> PyResult<()>;

static HOST_TYPE_SETATTRO: OnceLock<SetattroSlot> = OnceLock::new();

/// The dunders that fill a type slot besides the protocol ones
/// (`ctype::PROTOCOL_DUNDERS`): with those, the ones whose resolution
/// decides a slot, and so must be looked up again when the MRO changes.
const OTHER_SLOT_DUNDERS: &[&str] = &[
    "__getattribute__", "__getattr__", "__setattr__", "__delattr__", "__set__", "__delete__", "__init__",
    "__new__", "__del__", "__await__", "__aiter__", "__anext__", "__buffer__", "__release_buffer__",
];

/// Wraps `type`'s tp_new; called once, early in start-up (before any
/// metaclass is made, so that metaclasses inherit the wrapper).
pub fn install(vm: &VirtualMachine) {
    let slots = &vm.ctx.types.type_type.slots;
    let Some(host_new) = slots.new.load() else { return };
    if HOST_TYPE_NEW.set(host_new).is_err() {
        return;
    }
    slots.new.store(Some(type_new_with_c3));
    // Setting or deleting a dunder on a class changes the slots of the type
    // objects C has of it (and of its subclasses), as in CPython.
    if let Some(host_setattro) = slots.setattro.load()
        && HOST_TYPE_SETATTRO.set(host_setattro).is_ok()
    {
        slots.setattro.store(Some(type_setattro_updating_slots));
        rewrap_type_setattr(vm);
    }
    // `type.mro()`, which a metaclass's own mro() may call through super().
    let type_type = vm.ctx.types.type_type;
    let mro = vm.ctx.new_method_def(
        "mro",
        |args: FuncArgs, vm: &VirtualMachine| -> PyResult {
            let (class,): (PyTypeRef,) = args.bind(vm)?;
            let order = c3(&class).map_err(|message| vm.new_type_error(message))?;
            Ok(vm.ctx.new_list(order.into_iter().map(Into::into).collect()).into())
        },
        rustpython_vm::function::PyMethodFlags::METHOD,
        rustpython_vm::function::ItemDoc::static_text("mro($self, /)\n--\n\nReturn a type's method resolution order."),
    );
    type_type.set_attr(vm.ctx.intern_str("mro"), mro.build_method(type_type, vm).into());
}

fn type_setattro_updating_slots(
    class: &rustpython_vm::PyObject,
    name: &Py<rustpython_vm::builtins::PyStr>,
    value: PySetterValue,
    vm: &VirtualMachine,
) -> PyResult<()> {
    let host_setattro = HOST_TYPE_SETATTRO.get().expect("installed before use");
    host_setattro(class, name, value, vm)?;
    let Some(name) = name.to_str() else { return Ok(()) };
    // Only the dunders that decide a slot (`__doc__`, `__module__`... do not).
    let decides_a_slot = crate::ctype::PROTOCOL_DUNDERS.contains(&name) || OTHER_SLOT_DUNDERS.contains(&name);
    if decides_a_slot && let Some(class) = class.downcast_ref::<PyType>() {
        crate::types::refresh_python_class_slots(vm, class);
    }
    Ok(())
}

/// `type.__setattr__` and `type.__delattr__` wrap the slot function; the
/// host refuses one that wraps another than the class's own (its
/// "hackcheck": `super().__delattr__(name)` in enum's metaclass). So they
/// are made again around the new slot, and only they: the host adds a
/// wrapper for every slot missing from the dict.
fn rewrap_type_setattr(vm: &VirtualMachine) {
    let type_type = vm.ctx.types.type_type;
    let rewrapped = [vm.ctx.intern_str("__setattr__"), vm.ctx.intern_str("__delattr__")];
    let before = type_type.attributes.interned_names(&vm.ctx);
    for name in rewrapped {
        type_type.attributes.remove(name);
    }
    rustpython_vm::class::add_operators(type_type, &vm.ctx, &[]);
    for name in type_type.attributes.interned_names(&vm.ctx) {
        if !before.iter().any(|b| b.as_str() == name.as_str()) && !rewrapped.iter().any(|r| r.as_str() == name.as_str()) {
            type_type.attributes.remove(name);
        }
    }
}

/// CPython's wording of the error, on two lines as CPython 3.11 has it.
fn inconsistent(bases: &str) -> String {
    format!("Cannot create a consistent method resolution\norder (MRO) for bases {bases}")
}

fn type_new_with_c3(metatype: PyTypeRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    // type(name, bases, dict) makes a class; type(x) only answers a question.
    let makes_class = args.args.len() == 3;
    let host_new = HOST_TYPE_NEW.get().expect("installed before use");
    let bases_given = if makes_class { args.args.get(1).cloned() } else { None };
    let made = host_new(metatype, args, vm).map_err(|e| {
        // The host's own check of the bases' order, in CPython's words.
        let host_words = "Cannot create a consistent method resolution order (MRO) for bases ";
        match e.args().first().and_then(|a| a.downcast_ref::<rustpython_vm::builtins::PyStr>().map(|s| s.to_string())) {
            Some(message) if e.class().is(vm.ctx.exceptions.type_error) && message.starts_with(host_words) => {
                vm.new_type_error(inconsistent(&message[host_words.len()..]))
            }
            _ => e,
        }
    })?;
    if makes_class {
        if let Some(class) = made.downcast_ref::<PyType>() {
            correct_mro(class, vm)?;
            if let Some(bases) = &bases_given {
                crate::types::remember_bases_given(class, bases);
            }
        }
    }
    Ok(made)
}

/// C3: the class, then the merge of its bases' MROs and of the bases list.
fn c3(class: &Py<PyType>) -> Result<Vec<PyTypeRef>, String> {
    let bases: Vec<PyTypeRef> = class.bases.read().iter().cloned().collect();
    let mut sequences: Vec<Vec<PyTypeRef>> = bases.iter().map(|b| b.mro.read().clone()).collect();
    sequences.push(bases);
    let mut merged = vec![class.to_owned()];
    loop {
        sequences.retain(|s| !s.is_empty());
        if sequences.is_empty() {
            return Ok(merged);
        }
        let in_a_tail = |candidate: &PyTypeRef| sequences.iter().any(|s| s[1..].iter().any(|c| c.is(candidate)));
        let Some(next) = sequences.iter().map(|s| s[0].clone()).find(|head| !in_a_tail(head)) else {
            let mut heads: Vec<String> = Vec::new();
            for s in &sequences {
                let name = s[0].name().to_string();
                if !heads.contains(&name) {
                    heads.push(name);
                }
            }
            return Err(inconsistent(&heads.join(", ")));
        };
        for s in sequences.iter_mut() {
            if s[0].is(&next) {
                s.remove(0);
            }
        }
        merged.push(next);
    }
}

fn correct_mro(class: &Py<PyType>, vm: &VirtualMachine) -> PyResult<()> {
    // A metaclass with an mro() of its own decides the order itself.
    let type_mro = vm.ctx.types.type_type.get_direct_attr(vm.ctx.intern_str("mro"));
    let own_mro = class.class().get_attr(vm.ctx.intern_str("mro"));
    if !matches!((&type_mro, &own_mro), (Some(a), Some(b)) if a.is(b)) {
        return Ok(());
    }
    let expected = c3(class).map_err(|message| vm.new_type_error(message))?;
    let current = class.mro.read().clone();
    if current.len() == expected.len() && current.iter().zip(&expected).all(|(a, b)| a.is(b)) {
        return Ok(());
    }
    *class.mro.write() = expected;
    class.modified();
    refresh_slots(class, vm)
}

/// Remakes the slots of the dunders the class inherits, now that they
/// resolve along the corrected MRO: each is set on the class (the host
/// recomputes the slot from it) and taken out of its dict again.
fn refresh_slots(class: &Py<PyType>, vm: &VirtualMachine) -> PyResult<()> {
    let setattro = vm.ctx.types.type_type.slots.setattro.load().expect("type has a setattro slot");
    for &dunder in crate::ctype::PROTOCOL_DUNDERS.iter().chain(OTHER_SLOT_DUNDERS) {
        let name = vm.ctx.intern_str(dunder);
        if class.attributes.contains(name) {
            continue;
        }
        let Some(value) = class.get_attr(name) else { continue };
        setattro(class.as_object(), name, PySetterValue::Assign(value), vm)?;
        class.attributes.remove(name);
    }
    class.modified();
    Ok(())
}
