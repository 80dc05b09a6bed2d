//! enumobject.h: `PyEnum_Type` and `PyReversed_Type` (their type objects are
//! the host's, in `types.rs`).
//!
//! In CPython `reversed` is a type, and C makes a reverse iterator by calling
//! `PyReversed_Type` with a sequence. In the host `reversed` is a builtin
//! function and its generic iterator's type has no constructor, so calling
//! that type runs `reversed` itself.
use rustpython_vm::builtins::PyTypeRef;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{PyResult, VirtualMachine};

fn reversed_new(_cls: PyTypeRef, args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    vm.builtins.get_attr("reversed", vm)?.call(args, vm)
}

/// `reversed` did all the work (and `type.__call__` passes it the sequence again).
fn reversed_init(_zelf: &rustpython_vm::PyObject, _args: FuncArgs, _vm: &VirtualMachine) -> PyResult<()> {
    Ok(())
}

/// Gives the reverse iterator's type the constructor C calls.
pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    let slots = &vm.ctx.types.reverse_iter_type.slots;
    slots.new.store(Some(reversed_new));
    slots.init.store(Some(reversed_init));
    Ok(())
}
