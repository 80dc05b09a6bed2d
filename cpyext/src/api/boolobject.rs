//! boolobject.h.
use crate::ffi::PyObject;
use crate::proxy;
use crate::types::{_Py_FalseStruct, _Py_TrueStruct};
use cpyext_macros::cpython_api;
use std::ffi::c_long;

#[cpython_api]
fn PyBool_FromLong(ok: c_long) -> *mut PyObject {
    let singleton = if ok != 0 { &raw mut _Py_TrueStruct } else { &raw mut _Py_FalseStruct } as *mut PyObject;
    proxy::incref(singleton);
    singleton
}
