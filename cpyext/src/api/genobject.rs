//! genobject.h: the StopIteration helpers generator-like C types use.
//! (Generators themselves come from running host frames: `PyGen_New` and
//! friends are declared but not provided.)
use crate::error_indicator;
use crate::ffi::PyObject;
use crate::proxy::{into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::{AsObject, PyResult, VirtualMachine};
use std::ffi::c_int;

/// Sets StopIteration carrying `value` as a generator's return value.
#[cpython_api]
fn _PyGen_SetStopIterationValue(vm: &VirtualMachine, value: *mut PyObject) -> PyResult<c_int> {
    let value = to_host(vm, value)?;
    let stop_iteration = vm.ctx.exceptions.stop_iteration.as_object();
    let exception = if vm.is_none(&value) { stop_iteration.call((), vm)? } else { stop_iteration.call((value,), vm)? };
    let exception = exception.downcast::<rustpython_vm::builtins::PyBaseException>().map_err(|_| super::bad_internal_call(vm))?;
    error_indicator::set_from_exception(exception);
    Ok(0)
}

/// Takes a pending StopIteration's value (None without one) into `*pvalue`;
/// -1, leaving it pending, for any other error.
///
/// # Safety
/// `pvalue` must be writable.
#[cpython_api]
unsafe fn _PyGen_FetchStopIterationValue(vm: &VirtualMachine, pvalue: *mut *mut PyObject) -> PyResult<c_int> {
    let stop_iteration = vm.ctx.exceptions.stop_iteration;
    let value = match error_indicator::current_type() {
        None => vm.ctx.none(),
        Some(ty) if ty.downcast_ref::<rustpython_vm::builtins::PyType>().is_some_and(|t| t.fast_issubclass(stop_iteration)) => {
            let exception: PyBaseExceptionRef = error_indicator::take_exception(vm).ok_or_else(|| super::bad_internal_call(vm))?;
            exception.as_object().get_attr("value", vm)?
        }
        Some(_) => return Ok(-1),
    };
    // SAFETY: the caller passes a writable pointer.
    unsafe { *pvalue = into_ref(vm, value) };
    Ok(0)
}

/// Whether a coroutine has a frame that has not run yet.
fn never_started(vm: &VirtualMachine, coroutine: &rustpython_vm::PyObjectRef) -> PyResult<bool> {
    let frame = coroutine.get_attr("cr_frame", vm)?;
    if vm.is_none(&frame) || coroutine.get_attr("cr_running", vm)?.try_to_bool(vm)? {
        return Ok(false);
    }
    let lasti: i64 = frame.get_attr("f_lasti", vm)?.try_into_value(vm)?;
    Ok(lasti == 0)
}

/// What a generator, coroutine or asynchronous generator does as it is
/// destroyed (the host's finalizer of its type): one still suspended is
/// closed (its `finally` blocks run; an error goes to sys.unraisablehook),
/// a coroutine never started only warns that it was never awaited, and an
/// asynchronous generator with a finalizer hook is handed to it. The
/// pending error, if any, is kept. Anything else is left alone.
#[cpython_api]
fn _PyGen_Finalize(vm: &VirtualMachine, self_: *mut PyObject) -> PyResult<()> {
    let object = to_host(vm, self_)?;
    let types = &vm.ctx.types;
    let kinds = [types.generator_type, types.coroutine_type, types.async_generator];
    if !kinds.iter().any(|t| object.class().is(*t)) {
        return Ok(());
    }
    let pending = error_indicator::fetch();
    let result = if object.class().is(types.coroutine_type) && never_started(vm, &object)? {
        // Only the warning, as CPython 3.11 does: the coroutine stays as it is.
        crate::types::import_for_layer(vm, "warnings").and_then(|w| w.get_attr("_warn_unawaited_coroutine", vm)).and_then(|warn| warn.call((object.clone(),), vm)).map(drop)
    } else {
        object.class().slots.del.load().map_or(Ok(()), |del| del(&object, vm))
    };
    error_indicator::set(pending);
    if let Err(e) = result {
        vm.run_unraisable(e, None, object);
    }
    Ok(())
}

/// CPython 3.11's frame states, as `gi_frame_state` shows them.
const FRAME_CREATED: i8 = -2;
const FRAME_SUSPENDED: i8 = -1;
const FRAME_EXECUTING: i8 = 0;
const FRAME_COMPLETED: i8 = 1;

/// The attribute prefix of a generator, coroutine or asynchronous
/// generator (`gi`, `cr`, `ag`), or None for anything else.
fn generator_prefix(vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef) -> Option<&'static str> {
    let types = &vm.ctx.types;
    let class = obj.class();
    if class.is(types.generator_type) {
        Some("gi")
    } else if class.is(types.coroutine_type) {
        Some("cr")
    } else if class.is(types.async_generator) {
        Some("ag")
    } else {
        None
    }
}

/// The size of a generator's proxy: CPython's struct, which profilers read
/// (`gi_frame_state`, yappi's test for a suspended generator).
pub(crate) fn proxy_struct_size(vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef) -> Option<usize> {
    generator_prefix(vm, obj).map(|_| size_of::<crate::ffi::PyGenObject>())
}

/// Fills (and, when the proxy is handed to C again, refreshes) a
/// generator's `_frame_state` from the host's: running, suspended at a
/// `yield`, finished, or not started. The object fields (`gi_code`,
/// `gi_name`...) stay NULL: C reads those through the attributes.
pub(crate) fn fill_proxy_struct(vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef, proxy: *mut PyObject) {
    let Some(prefix) = generator_prefix(vm, obj) else { return };
    let attribute = |name: &str| {
        let name = vm.ctx.new_str(format!("{prefix}_{name}"));
        obj.get_attr(&name, vm).ok()
    };
    let flag = |name: &str| attribute(name).is_some_and(|v| v.try_to_bool(vm).unwrap_or(false));
    let finished = attribute("frame").is_some_and(|f| vm.is_none(&f));
    let yielding = || attribute("frame").is_some_and(|f| YieldingFrame::is(&f));
    let state = if flag("running") && !yielding() {
        FRAME_EXECUTING
    } else if flag("running") {
        FRAME_SUSPENDED
    } else if finished {
        FRAME_COMPLETED
    } else if flag("suspended") {
        FRAME_SUSPENDED
    } else {
        FRAME_CREATED
    };
    // SAFETY: a generator's proxy has room for CPython's struct (its size
    // came from `proxy_struct_size`); written under the GIL.
    unsafe { (*(proxy as *mut crate::ffi::PyGenObject)).gi_frame_state = state };
}

thread_local! {
    /// The frame whose `yield` a trace or profile function is being told
    /// of (its `return` event), or 0.
    static YIELDING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Marks, for the span of a `return` event, a generator frame that leaves
/// at a `yield`: its generator reads suspended there, as in CPython, which
/// marks it so before it calls the trace or profile function. The host
/// still has it running then.
pub(crate) struct YieldingFrame(usize);

impl YieldingFrame {
    /// Marks `frame` if it stands at a `yield`.
    pub(crate) fn enter(frame: &rustpython_vm::PyObjectRef) -> Self {
        use rustpython_vm::bytecode::Instruction;
        let at_yield = frame.downcast_ref::<rustpython_vm::frame::FrameObject>().is_some_and(|f| {
            let lasti = f.lasti() as usize;
            let code = f.f_code();
            // lasti is the instruction after the one running.
            lasti > 0
                && code.code.instructions.get(lasti - 1).is_some_and(|u| {
                    matches!(u.op, Instruction::YieldValue { .. } | Instruction::InstrumentedYieldValue)
                })
        });
        let marked = if at_yield { frame.get_id() } else { 0 };
        Self(YIELDING.with(|y| y.replace(marked)))
    }

    /// Whether `frame` is the marked one.
    fn is(frame: &rustpython_vm::PyObjectRef) -> bool {
        let marked = YIELDING.with(|y| y.get());
        marked != 0 && marked == frame.get_id()
    }
}

impl Drop for YieldingFrame {
    fn drop(&mut self) {
        YIELDING.with(|y| y.set(self.0));
    }
}
