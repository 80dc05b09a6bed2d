//! cpython/odictobject.h: collections.OrderedDict. On the host it is a dict
//! subclass that keeps its own order links, so the dict functions read it,
//! and the two writers here go through OrderedDict's own methods (CPython's
//! PyDict_SetItem on an OrderedDict would not update the order either).
use super::bad_internal_call;
use crate::boundary::ApiData;
use crate::ffi::{PyObject, PyTypeObject};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyType;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};
use std::ffi::c_int;
use std::sync::OnceLock;

macro_rules! odict_types {
    ($($sym:ident => $name:literal),* $(,)?) => {
        $(
            #[unsafe(no_mangle)]
            pub static mut $sym: PyTypeObject = unsafe { std::mem::zeroed() };
            inventory::submit! { ApiData { name: stringify!($sym) } }
        )*
        const ODICT_TYPES: &[(&str, fn() -> *mut PyTypeObject)] = &[$(($name, || &raw mut $sym)),*];
    };
}

odict_types! {
    PyODict_Type => "OrderedDict",
    PyODictIter_Type => "odict_iterator",
    PyODictKeys_Type => "odict_keys",
    PyODictValues_Type => "odict_values",
    PyODictItems_Type => "odict_items",
}

/// The host's OrderedDict class.
static ODICT_CLASS: OnceLock<PyRef<PyType>> = OnceLock::new();

/// Makes the exported type objects the proxies of `_collections`' classes
/// (at start-up, before any of them crosses into C).
pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    let module = crate::types::import_for_layer(vm, "_collections")?;
    for (name, type_object) in ODICT_TYPES {
        let cls = module.get_attr(*name, vm)?.downcast::<PyType>().map_err(|_| bad_internal_call(vm))?;
        crate::types::register_static_type(vm, type_object(), &cls);
        if *name == "OrderedDict" {
            let _ = ODICT_CLASS.set(cls);
        }
    }
    Ok(())
}

fn odict_class(vm: &VirtualMachine) -> PyResult<&'static PyRef<PyType>> {
    ODICT_CLASS.get().ok_or_else(|| vm.new_system_error("collections.OrderedDict is not available".to_owned()))
}

/// The OrderedDict (or subclass) behind `od`.
fn as_odict(vm: &VirtualMachine, od: *mut PyObject) -> PyResult<PyObjectRef> {
    if od.is_null() {
        return Err(bad_internal_call(vm));
    }
    let od = to_host(vm, od)?;
    if !od.class().fast_issubclass(odict_class(vm)?) {
        return Err(bad_internal_call(vm));
    }
    Ok(od)
}

#[cpython_api]
fn PyODict_New(vm: &VirtualMachine) -> PyResult<*mut PyObject> {
    Ok(into_ref(vm, odict_class(vm)?.as_object().call((), vm)?))
}

/// `OrderedDict.__setitem__`, past any override in a subclass.
#[cpython_api]
fn PyODict_SetItem(vm: &VirtualMachine, od: *mut PyObject, key: *mut PyObject, item: *mut PyObject) -> PyResult<c_int> {
    let od_host = as_odict(vm, od)?;
    let (key_host, item_host) = (to_host(vm, key)?, to_host(vm, item)?);
    let set_item = odict_class(vm)?.as_object().get_attr("__setitem__", vm)?;
    set_item.call((od_host, key_host, item_host), vm)?;
    proxy::pin_to_host(vm, key);
    proxy::pin_to_host(vm, item);
    Ok(0)
}

/// `OrderedDict.__delitem__`; KeyError when the key is missing.
#[cpython_api]
fn PyODict_DelItem(vm: &VirtualMachine, od: *mut PyObject, key: *mut PyObject) -> PyResult<c_int> {
    let od_host = as_odict(vm, od)?;
    let key = to_host(vm, key)?;
    let delete = odict_class(vm)?.as_object().get_attr("__delitem__", vm)?;
    delete.call((od_host, key), vm)?;
    Ok(0)
}
