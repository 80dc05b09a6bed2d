//! The C-API functions, one module per header in `include/`.
pub mod r#abstract;
pub mod boolobject;
pub mod bytesobject;
pub mod ceval;
pub mod descrobject;
pub mod complexobject;
pub mod dictobject;
pub mod floatobject;
pub mod import;
pub mod listobject;
pub mod longobject;
pub mod moduleobject;
pub mod modsupport;
pub mod object;
pub mod objimpl;
pub mod pybuffer;
pub mod pyerrors;
pub mod pycapsule;
pub mod pymem;
pub mod pystate;
pub mod pystrcmp;
pub mod pythonrun;
pub mod pythread;
pub mod sliceobject;
pub mod structmember;
pub mod tupleobject;
pub mod typeobject;
pub mod unicodeobject;
pub mod token;
pub mod warnings;
pub mod weakrefobject;

use crate::ffi::PyObject;
use rustpython_vm::builtins::PyBaseExceptionRef;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::{CStr, c_char};

/// A C string argument as UTF-8, or the error CPython would raise for it.
pub(crate) fn c_str_arg<'a>(vm: &VirtualMachine, s: *const c_char) -> PyResult<&'a str> {
    if s.is_null() {
        return Err(bad_internal_call(vm));
    }
    let bytes = unsafe { CStr::from_ptr(s) }.to_bytes();
    std::str::from_utf8(bytes).map_err(|_| {
        // The host's decoder raises the UnicodeDecodeError Python would.
        let raw = vm.ctx.new_bytes(bytes.to_vec());
        vm.call_method(raw.as_ref(), "decode", ("utf-8",))
            .err()
            .unwrap_or_else(|| vm.new_system_error("invalid UTF-8 in a C string".to_owned()))
    })
}

/// The SystemError of `PyErr_BadInternalCall`.
pub(crate) fn bad_internal_call(vm: &VirtualMachine) -> PyBaseExceptionRef {
    vm.new_system_error("bad argument to internal function".to_owned())
}

/// Checks the type bits C sees on a proxy's type object, without touching the
/// host object (which a tuple or bytes object made in C does not have yet).
pub(crate) fn has_type_flag(op: *mut PyObject, flag: u32) -> bool {
    !op.is_null() && unsafe { (*(*op).ob_type).tp_flags & flag as u64 != 0 }
}
