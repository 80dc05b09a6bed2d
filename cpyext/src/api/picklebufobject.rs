//! cpython/picklebufobject.h: pickle.PickleBuffer, the host's own class
//! (from `_pickle`). The `Py_buffer` C gets is kept by the layer until the
//! PickleBuffer is released or dies.
use super::bad_internal_call;
use super::pybuffer::{export_into, forget_kept_view, kept_view};
use crate::boundary::ApiData;
use crate::ffi::{PyObject, PyTypeObject, Py_buffer};
use crate::proxy::{self, into_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyType;
use rustpython_vm::protocol::{BufferFlags, PyBuffer};
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};
use std::ffi::c_int;
use std::sync::OnceLock;

#[unsafe(no_mangle)]
pub static mut PyPickleBuffer_Type: PyTypeObject = unsafe { std::mem::zeroed() };
inventory::submit! { ApiData { name: "PyPickleBuffer_Type" } }

static PICKLE_BUFFER_CLASS: OnceLock<PyRef<PyType>> = OnceLock::new();

/// Makes `PyPickleBuffer_Type` the proxy of `_pickle.PickleBuffer`.
pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    let cls = crate::types::import_for_layer(vm, "_pickle")?.get_attr("PickleBuffer", vm)?;
    let cls = cls.downcast::<PyType>().map_err(|_| bad_internal_call(vm))?;
    crate::types::register_static_type(vm, &raw mut PyPickleBuffer_Type, &cls);
    let _ = PICKLE_BUFFER_CLASS.set(cls);
    Ok(())
}

fn pickle_buffer_class(vm: &VirtualMachine) -> PyResult<&'static PyRef<PyType>> {
    PICKLE_BUFFER_CLASS.get().ok_or_else(|| vm.new_system_error("pickle.PickleBuffer is not available".to_owned()))
}

/// The PickleBuffer behind `p` (exactly that type, as CPython checks).
fn as_pickle_buffer(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyObjectRef> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    let host = to_host(vm, p)?;
    if !host.class().is(pickle_buffer_class(vm)?) {
        return Err(vm.new_type_error(format!("expected PickleBuffer, {} found", crate::types::tp_name(vm, host.class()))));
    }
    Ok(host)
}

/// `pickle.PickleBuffer(obj)`.
#[cpython_api]
fn PyPickleBuffer_FromObject(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<*mut PyObject> {
    let obj = to_host(vm, obj)?;
    Ok(into_ref(vm, pickle_buffer_class(vm)?.as_object().call((obj,), vm)?))
}

/// The wrapped buffer; ValueError once released.
#[cpython_api]
fn PyPickleBuffer_GetBuffer(vm: &VirtualMachine, picklebuf: *mut PyObject) -> PyResult<*const Py_buffer> {
    let host = as_pickle_buffer(vm, picklebuf)?;
    // Asking for the buffer again tells whether it was released (from
    // Python too), with CPython's message.
    let buffer = PyBuffer::from_object(vm, &host, BufferFlags::FULL_RO)?;
    let view = kept_view(vm, &host, move |filled| {
        let exporter_proxy = proxy::new_ref(vm, &buffer.obj.clone());
        // SAFETY: `filled` is a zeroed Py_buffer owned by the kept view.
        let outcome = unsafe { export_into(vm, filled, exporter_proxy, buffer, BufferFlags::FULL_RO, "PickleBuffer") };
        proxy::decref(exporter_proxy);
        outcome?;
        // The object's own export keeps the memory; C's view follows it.
        // SAFETY: just filled by export_into.
        unsafe { super::pybuffer::detach_export(filled) };
        Ok(())
    })?;
    Ok(view as *const Py_buffer)
}

/// Releases the wrapped buffer (PickleBuffer.release()).
#[cpython_api]
fn PyPickleBuffer_Release(vm: &VirtualMachine, picklebuf: *mut PyObject) -> PyResult<c_int> {
    let host = as_pickle_buffer(vm, picklebuf)?;
    forget_kept_view(vm, proxy::host_addr(&host));
    vm.call_method(&host, "release", ())?;
    Ok(0)
}
