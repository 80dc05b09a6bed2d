//! traceback.h: traceback entries for the pending error.
//!
//! An entry is a host traceback object, made through the traceback type's
//! constructor, put in front of the error indicator's traceback. When the
//! error reaches Python, the calling frames are added in front of that, as
//! in CPython, so `traceback.format_exception` shows C's entries innermost.
use super::code::{frame_maker, fs_decode};
use super::frameobject::{frame_arg, traceback_position};
use crate::error_indicator;
use crate::ffi::{PyFrameObject, PyObject};
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyTraceback;
use rustpython_vm::frame::FrameObject;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// Puts an entry for `frame` at (lasti, lineno) in front of the pending
/// error's traceback. Without a pending error there is nothing to do.
fn add_entry(vm: &VirtualMachine, frame: PyRef<FrameObject>, lasti: c_int, lineno: c_int) -> PyResult<()> {
    let Some(mut triple) = error_indicator::fetch() else { return Ok(()) };
    let next = triple.traceback.take().filter(|tb| !vm.is_none(tb));
    let made = (|| {
        if next.as_ref().is_some_and(|tb| tb.downcast_ref::<PyTraceback>().is_none()) {
            return Err(super::bad_internal_call(vm));
        }
        let next = next.clone().unwrap_or_else(|| vm.ctx.none());
        // The host has no line 0 (CPython would print "line 0").
        let tb_type = vm.ctx.types.traceback_type.as_object();
        tb_type.call((next, frame, lasti, lineno.max(1)), vm)
    })();
    match made {
        Ok(tb) => {
            triple.traceback = Some(tb);
            error_indicator::set(Some(triple));
            Ok(())
        }
        Err(e) => {
            // The new error is raised with the pending one as its context.
            triple.traceback = next;
            if let Ok(pending) = error_indicator::normalize(vm, triple) {
                e.set_context(Some(pending));
            }
            Err(e)
        }
    }
}

#[cpython_api]
fn PyTraceBack_Here(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<c_int> {
    let host = frame_arg(vm, frame)?;
    let (lasti, lineno) = traceback_position(vm, frame, &host)?;
    add_entry(vm, host, lasti, lineno)?;
    Ok(0)
}

/// An entry "File filename, line lineno, in funcname" for code that has no
/// frame of its own (CPython's zlib and expat modules use it).
///
/// # Safety
/// `funcname` and `filename` are NUL-terminated strings.
#[cpython_api]
unsafe fn _PyTraceback_Add(vm: &VirtualMachine, funcname: *const c_char, filename: *const c_char, lineno: c_int) -> PyResult<()> {
    // Making the frame runs Python code, which must not see the pending error.
    let pending = error_indicator::fetch();
    let frame = (|| -> PyResult<PyRef<FrameObject>> {
        let filename = fs_decode(vm, filename)?;
        let name: PyObjectRef = vm.ctx.new_str(super::c_str_arg(vm, funcname)?).into();
        let code = frame_maker(vm, &filename, &name, lineno)?;
        let getter = vm.sys_module.get_attr("_getframe", vm)?;
        let scratch = vm.ctx.new_dict();
        scratch.set_item(super::code::FRAME_GETTER_NAME, getter, vm)?;
        let locals = rustpython_vm::function::ArgMapping::from_dict_exact(scratch.clone());
        let scope = rustpython_vm::scope::Scope::new(Some(locals), vm.ctx.new_dict());
        let frame = vm.run_code_obj(code, scope)?;
        vm.call_method(scratch.as_object(), "clear", ())?;
        frame.downcast::<FrameObject>().map_err(|_| vm.new_system_error("_PyTraceback_Add: no frame".to_owned()))
    })();
    error_indicator::set(pending);
    match frame {
        Ok(frame) => add_entry(vm, frame, -2, lineno),
        Err(e) => {
            // As CPython's _PyErr_ChainExceptions: the failure is raised
            // with the pending error as its context.
            if let Some(pending) = error_indicator::take_exception(vm) {
                e.set_context(Some(pending));
            }
            Err(e)
        }
    }
}

/// Writes the traceback to `file` as CPython 3.11's printer does: a
/// header, then the last `sys.tracebacklimit` (default 1000) entries.
#[cpython_api]
fn PyTraceBack_Print(vm: &VirtualMachine, tb: *mut PyObject, file: *mut PyObject) -> PyResult<c_int> {
    let Some(tb) = opt_to_host(vm, tb)? else { return Ok(0) };
    if tb.downcast_ref::<PyTraceback>().is_none() {
        return Err(super::bad_internal_call(vm));
    }
    let file = to_host(vm, file)?;
    let mut limit: i64 = 1000;
    if let Ok(value) = vm.sys_module.get_attr("tracebacklimit", vm) {
        if let Some(int) = value.downcast_ref::<rustpython_vm::builtins::PyInt>() {
            use num_traits::ToPrimitive;
            limit = int.as_bigint().to_i64().unwrap_or(if int.as_bigint().sign() == malachite_bigint::Sign::Minus { 0 } else { i64::MAX });
            if limit <= 0 {
                return Ok(0);
            }
        }
    }
    let traceback = vm.import("traceback", 0)?;
    // A negative limit keeps the last entries, as CPython's C printer does.
    let negative_limit = vm.ctx.new_int(-(limit.min(i64::MAX - 1)));
    let entries = traceback.get_attr("extract_tb", vm)?.call((tb, negative_limit), vm)?;
    let lines = traceback.get_attr("format_list", vm)?.call((entries,), vm)?;
    vm.call_method(&file, "write", ("Traceback (most recent call last):\n",))?;
    for line in lines.get_iter(vm)?.iter::<PyObjectRef>(vm)? {
        vm.call_method(&file, "write", (line?,))?;
    }
    Ok(0)
}

/// For other areas (PyEval_GetFrame, PyThreadState_GetFrame): a new
/// reference to the frame of the innermost Python code running on this
/// thread, or NULL.
#[allow(dead_code)]
pub(crate) fn current_frame(vm: &VirtualMachine) -> *mut PyFrameObject {
    match vm.current_frame() {
        Some(frame) => into_ref(vm, frame.into()) as *mut PyFrameObject,
        None => std::ptr::null_mut(),
    }
}
