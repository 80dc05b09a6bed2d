//! pystate.h: finding the module made from a definition.
use crate::ffi::{self, PyObject};
use cpyext_macros::cpython_api;

/// Borrowed: the module single-phase init made from `def`, or NULL.
#[cpython_api]
fn PyState_FindModule(def: *mut ffi::PyModuleDef) -> *mut PyObject {
    super::moduleobject::module_of_def(def)
}
