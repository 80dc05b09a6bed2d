//! frameobject.h and pyframe.h: frame objects.
//!
//! Frames are the host's. A frame's proxy carries CPython 3.11's
//! `struct _frame` (include/internal/pycore_frame.h), of which only
//! `f_lineno` means something: C (Cython) may set it, and then it is the
//! frame's line for `PyFrame_GetLineNumber`, as in CPython (tracebacks
//! take the line of the frame's instruction, in CPython 3.11 too).
//!
//! `PyFrame_New` makes a host frame over C's code object that has not run
//! and never will (`FrameObject::new_unstarted`, a patch of the host): no
//! last instruction, no caller, as CPython's.
use super::code::code_arg;
use crate::ffi::{PyCodeObject, PyFrameObject, PyObject, PyThreadState};
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyCode, PyDict, PyDictRef, PyModule};
use rustpython_vm::frame::FrameObject;
use rustpython_vm::function::ArgMapping;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, TryFromObject, VirtualMachine};
use std::ffi::{c_char, c_int, c_void};

/// CPython 3.11's `struct _frame`, the body of a frame's proxy.
#[repr(C)]
pub(crate) struct FrameStruct {
    pub ob_base: PyObject,
    pub f_back: *mut PyObject,
    pub f_frame: *mut c_void,
    pub f_trace: *mut PyObject,
    pub f_lineno: c_int,
    pub f_trace_lines: c_char,
    pub f_trace_opcodes: c_char,
    pub f_fast_as_locals: c_char,
    pub f_frame_data: [*mut PyObject; 1],
}

pub(crate) const FRAME_STRUCT_SIZE: usize = size_of::<FrameStruct>();

/// Fills the struct of a new frame proxy (zeroed memory).
pub(crate) fn fill_frame_struct(proxy: *mut PyObject) {
    // SAFETY: `proxy` was just allocated with FRAME_STRUCT_SIZE bytes.
    unsafe { (*(proxy as *mut FrameStruct)).f_trace_lines = 1 };
}

/// The frame behind a `PyFrameObject *`, or CPython's SystemError.
pub(crate) fn frame_arg(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<PyRef<FrameObject>> {
    to_host(vm, frame as *mut PyObject)?.downcast::<FrameObject>().map_err(|_| super::bad_internal_call(vm))
}

/// The line C set in the frame's struct (`frame->f_lineno`), or 0.
fn line_set_by_c(frame: *mut PyFrameObject) -> c_int {
    // SAFETY: `frame` is a frame proxy (checked by `frame_arg` before every
    // call), and every frame proxy carries a FrameStruct.
    unsafe { (*(frame as *mut FrameStruct)).f_lineno }
}

/// Whether the frame was made by `PyFrame_New` (it has run no code).
fn is_made_in_c(frame: &FrameObject) -> bool {
    frame.is_unstarted()
}

fn first_line(frame: &FrameObject) -> c_int {
    frame.f_code().code.first_line_number.map_or(0, |n| n.get() as c_int)
}

/// CPython's PyFrame_GetLineNumber: C's f_lineno if set, else the line of
/// the last instruction run (the first line when none has run).
fn line_number(frame_ptr: *mut PyFrameObject, frame: &FrameObject) -> c_int {
    match line_set_by_c(frame_ptr) {
        0 if is_made_in_c(frame) => first_line(frame),
        0 => frame.lineno(),
        line => line,
    }
}

/// The byte offset of the last instruction run. A frame made by
/// PyFrame_New is at its first instruction, as in CPython 3.11.
fn last_instruction(vm: &VirtualMachine, frame: &PyRef<FrameObject>) -> PyResult<c_int> {
    if is_made_in_c(frame) {
        return Ok(0);
    }
    frame.as_object().get_attr("f_lasti", vm)?.try_into_value(vm)
}

/// The (tb_lasti, tb_lineno) of a traceback entry for `frame`, as
/// CPython 3.11's PyTraceBack_Here computes them: the line of the last
/// instruction, whatever C wrote to f_lineno.
pub(crate) fn traceback_position(vm: &VirtualMachine, frame: &PyRef<FrameObject>) -> PyResult<(c_int, c_int)> {
    let line = if is_made_in_c(frame) { first_line(frame) } else { frame.lineno() };
    Ok((last_instruction(vm, frame)?, line))
}

/// The builtins a frame over `globals` gets, as CPython 3.11 finds them:
/// `globals["__builtins__"]` (a module's dict for a module), else the
/// interpreter's.
fn builtins_for(vm: &VirtualMachine, globals: &PyDictRef) -> PyResult<PyObjectRef> {
    match globals.get_item_opt("__builtins__", vm)? {
        Some(builtins) => match builtins.downcast_ref::<PyModule>() {
            Some(module) => Ok(module.dict().into()),
            None => Ok(builtins),
        },
        None => Ok(vm.builtins.dict().into()),
    }
}

/// A frame of `code` that has not run, over `globals` and `locals` (a new
/// dict, or a function's own variables, if None): `PyFrame_New`'s and
/// `_PyTraceback_Add`'s. C calls for it with an error pending (Cython adds
/// traceback entries so); a collection the allocation starts must not see
/// it, so it is set aside meanwhile.
pub(crate) fn unstarted_frame(vm: &VirtualMachine, code: PyRef<PyCode>, globals: PyDictRef, locals: Option<PyObjectRef>) -> PyResult<PyRef<FrameObject>> {
    let builtins = builtins_for(vm, &globals)?;
    let locals = locals.map(|locals| ArgMapping::try_from_object(vm, locals)).transpose()?;
    crate::error_indicator::with_pending_set_aside(vm, || Ok(FrameObject::new_unstarted(code, globals, builtins, locals, vm)))
}

/// # Safety
/// `code`, `globals` and `locals` are NULL or live objects.
#[cpython_api]
unsafe fn PyFrame_New(vm: &VirtualMachine, _tstate: *mut PyThreadState, code: *mut PyCodeObject, globals: *mut PyObject, locals: *mut PyObject) -> PyResult<*mut PyFrameObject> {
    let code = code_arg(vm, code)?;
    let globals = to_host(vm, globals)?.downcast::<PyDict>().map_err(|_| super::bad_internal_call(vm))?;
    let locals = opt_to_host(vm, locals)?;
    let frame = unstarted_frame(vm, code, globals, locals)?;
    Ok(into_ref(vm, frame.into()) as *mut PyFrameObject)
}

/// 1: the host runs each frame in an evaluator call of its own (RustPython
/// does not inline Python-to-Python calls as CPython 3.11 does), which is
/// what an entry frame is. C asks to tell such frames apart in native stacks
/// (memray's native-trace merging).
#[cpython_api]
fn _PyFrame_IsEntryFrame(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<c_int> {
    frame_arg(vm, frame)?;
    Ok(1)
}

#[cpython_api]
fn PyFrame_GetLineNumber(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<c_int> {
    let host = frame_arg(vm, frame)?;
    Ok(line_number(frame, &host))
}

#[cpython_api]
fn PyFrame_GetLasti(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<c_int> {
    last_instruction(vm, &frame_arg(vm, frame)?)
}

#[cpython_api]
fn PyFrame_GetCode(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<*mut PyCodeObject> {
    let code = frame_arg(vm, frame)?.f_code();
    Ok(into_ref(vm, code.into()) as *mut PyCodeObject)
}

/// The calling frame, or NULL (a frame made by PyFrame_New has none).
#[cpython_api]
fn PyFrame_GetBack(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<*mut PyFrameObject> {
    let frame = frame_arg(vm, frame)?;
    if is_made_in_c(&frame) {
        return Ok(std::ptr::null_mut());
    }
    let back = frame.as_object().get_attr("f_back", vm)?;
    Ok(if vm.is_none(&back) { std::ptr::null_mut() } else { into_ref(vm, back) as *mut PyFrameObject })
}

/// The locals as a mapping: for a function's frame, a dict of the current
/// values of its variables, as CPython 3.11's f_locals.
#[cpython_api]
fn PyFrame_GetLocals(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<*mut PyObject> {
    let locals = frame_arg(vm, frame)?.locals(vm)?;
    Ok(into_ref(vm, locals.obj().to_owned()))
}

fn frame_attr(vm: &VirtualMachine, frame: *mut PyFrameObject, name: &'static str) -> PyResult<PyObjectRef> {
    frame_arg(vm, frame)?.as_object().get_attr(name, vm)
}

#[cpython_api]
fn PyFrame_GetGlobals(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, frame_attr(vm, frame, "f_globals")?))
}

#[cpython_api]
fn PyFrame_GetBuiltins(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, frame_attr(vm, frame, "f_builtins")?))
}

/// The generator or coroutine running in the frame, or NULL.
#[cpython_api]
fn PyFrame_GetGenerator(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<*mut PyObject> {
    let generator = frame_attr(vm, frame, "f_generator")?;
    Ok(if vm.is_none(&generator) { std::ptr::null_mut() } else { into_ref(vm, generator) })
}

/// The host keeps a frame's locals and its variables in step by itself
/// (PyFrame_GetLocals reads the variables), so there is nothing to copy;
/// this checks the frame and that its locals can be read.
#[cpython_api]
fn PyFrame_FastToLocalsWithError(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<c_int> {
    frame_arg(vm, frame)?.locals(vm)?;
    Ok(0)
}

#[cpython_api]
fn PyFrame_FastToLocals(vm: &VirtualMachine, frame: *mut PyFrameObject) {
    // CPython drops the error of this variant.
    let _ = frame_arg(vm, frame).and_then(|f| f.locals(vm).map(drop));
}

/// The other way: `frame.f_locals` writes through to the variables already
/// (PEP 667's proxy in the host), so a value stored there is in place.
#[cpython_api]
fn PyFrame_LocalsToFast(vm: &VirtualMachine, frame: *mut PyFrameObject, _clear: c_int) {
    let _ = frame_arg(vm, frame);
}
