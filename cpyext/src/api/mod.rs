//! The C-API functions, one module per header in `include/`.
pub mod r#abstract;
pub mod arraymodule;
pub mod boolobject;
pub mod bytearrayobject;
pub mod bytesio;
pub mod cellobject;
pub mod classobject;
pub mod context;
pub mod ctypesobject;
pub mod bytesobject;
pub mod ceval;
pub mod codecs;
pub mod code;
pub mod descrobject;
pub mod enumobject;
pub mod compile;
pub mod complexobject;
pub mod datetime;
pub mod dictobject;
pub mod fileobject;
pub mod fileutils;
pub mod floatobject;
pub mod frameobject;
pub mod funcobject;
pub mod genericaliasobject;
pub mod genobject;
pub mod import;
pub mod iterobject;
pub mod initconfig;
pub mod intrcheck;
pub mod listobject;
pub mod longobject;
pub mod memoryobject;
pub mod marshal;
pub mod methodobject;
pub mod moduleobject;
pub mod modsupport;
pub mod object;
pub mod objimpl;
pub mod odictobject;
pub mod osmodule;
pub mod pybuffer;
pub mod pyerrors;
pub mod picklebufobject;
pub mod pyarena;
pub mod pycapsule;
pub mod pyctype;
pub mod pyhash;
pub mod pydebug;
pub mod pylifecycle;
pub mod pypy;
pub mod pymem;
pub mod pystate;
pub mod pystrcmp;
pub mod pystrtod;
pub mod pythonrun;
pub mod pythread;
pub mod pytime;
pub mod setobject;
pub mod sliceobject;
pub mod traceback;
pub mod structseq;
pub mod structmember;
pub mod sysmodule;
pub mod tracemalloc;
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

/// The host object of a proxy, read without the GIL or a VM: for the size
/// macros, which CPython lets C use without the GIL (Cython tests a
/// container's truth inside `with nogil`). None for a proxy with no host yet.
///
/// # Safety
/// `p` must be a live proxy that the caller holds (so its host, set before
/// C could see the proxy, stays put while the reference lasts).
pub(crate) unsafe fn host_without_gil<'a>(p: *mut PyObject) -> Option<&'a rustpython_vm::PyObject> {
    let h = crate::proxy::header(p)?;
    // SAFETY: the caller's contract: a word read of a pointer that does not
    // change while the caller holds the object; the host it points at is
    // held by the proxy (I3).
    unsafe {
        let host = h.as_ref().host;
        (!host.is_null()).then(|| &*host)
    }
}

/// For the functions CPython implements as plain reads of an object's
/// fields (sizes, data pointers), which C calls without the GIL: Cython does
/// inside `with nogil` (a container's truth, a bytearray's bytes). With the
/// GIL and a VM, `checked` runs, with its errors; without, `lite` reads what
/// it can without either.
pub(crate) fn read_maybe_without_gil<R>(checked: impl FnOnce(&VirtualMachine) -> PyResult<R>, lite: impl FnOnce() -> R) -> PyResult<R> {
    if crate::gil::held() {
        if let Some(result) = rustpython_vm::vm::thread::try_with_current_vm(checked) {
            return result;
        }
    }
    Ok(lite())
}

/// Replaces the attribute `name` of the host class `class` with a property
/// whose getter is `get`: given the object and a way to read the host's own
/// value, for what C made differently (a doc C wrote later, the exporter
/// behind a view of C memory). Setting and deleting go to the host's
/// descriptor as before (`cls.__module__ = ...`).
pub(crate) fn override_host_getter(
    vm: &VirtualMachine,
    class: &'static rustpython_vm::Py<rustpython_vm::builtins::PyType>,
    name: &'static str,
    get: impl Fn(&VirtualMachine, &rustpython_vm::PyObjectRef, &dyn Fn() -> PyResult) -> PyResult + Send + Sync + 'static,
) -> PyResult<()> {
    let name = vm.ctx.intern_str(name);
    let Some(host_value) = class.get_direct_attr(name) else { return Ok(()) };
    let (for_set, for_delete) = (host_value.clone(), host_value.clone());
    let getter = vm.new_function(name.as_str(), move |object: rustpython_vm::PyObjectRef, vm: &VirtualMachine| -> PyResult {
        let host = || {
            let owner: rustpython_vm::PyObjectRef = object.class().to_owned().into();
            vm.call_get_descriptor_specific(&host_value, Some(&object), Some(&owner)).unwrap_or_else(|| Ok(host_value.clone()))
        };
        get(vm, &object, &host)
    });
    let setter = vm.new_function(name.as_str(), move |object: rustpython_vm::PyObjectRef, value: rustpython_vm::PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
        vm.call_method(&for_set, "__set__", (object, value)).map(drop)
    });
    let deleter = vm.new_function(name.as_str(), move |object: rustpython_vm::PyObjectRef, vm: &VirtualMachine| -> PyResult<()> {
        vm.call_method(&for_delete, "__delete__", (object,)).map(drop)
    });
    let property = rustpython_vm::AsObject::as_object(vm.ctx.types.property_type).call((getter, setter, deleter), vm)?;
    class.set_attr(name, property);
    Ok(())
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

/// A family of host objects whose proxies carry CPython's struct beyond the
/// object header, so that C reading its fields gets true values.
pub(crate) struct ProxyBody {
    /// The struct's size if `obj` belongs to the family.
    pub size: fn(&VirtualMachine, &rustpython_vm::PyObjectRef) -> Option<usize>,
    /// Fills the zeroed struct of a new proxy of `obj`.
    pub fill: fn(&VirtualMachine, &rustpython_vm::PyObjectRef, *mut PyObject),
}

/// Every such family; the object model asks them through its hooks for
/// `Layout::Plain` (see `startup.rs`).
const PROXY_BODIES: &[ProxyBody] = &[
    // First: the dict is the family met most (a keyword call's dict).
    ProxyBody { size: dictobject::proxy_struct_size, fill: dictobject::fill_proxy_struct },
    ProxyBody { size: code::proxy_struct_size, fill: code::fill_proxy_struct },
    ProxyBody { size: bytearrayobject::proxy_struct_size, fill: bytearrayobject::fill_proxy_struct },
    ProxyBody { size: arraymodule::proxy_struct_size, fill: arraymodule::fill_proxy_struct },
    ProxyBody { size: bytesio::proxy_struct_size, fill: bytesio::fill_proxy_struct },
    ProxyBody { size: datetime::proxy_struct_size, fill: datetime::fill_proxy_struct },
    ProxyBody { size: genobject::proxy_struct_size, fill: genobject::fill_proxy_struct },
    ProxyBody { size: setobject::proxy_struct_size, fill: setobject::fill_proxy_struct },
    ProxyBody { size: ctypesobject::proxy_struct_size, fill: ctypesobject::fill_proxy_struct },
];

/// Object-model hook: a plain proxy handed to C again (a bytearray or a
/// dict, whose size Python may have changed meanwhile).
///
/// # Safety
/// `proxy` is the live proxy of `obj`.
pub(crate) unsafe fn refresh_plain_proxy(vm: &VirtualMachine, proxy: *mut PyObject, obj: &rustpython_vm::PyObjectRef) {
    if let Some(bytes) = obj.downcast_ref::<rustpython_vm::builtins::PyByteArray>() {
        bytearrayobject::refresh_struct(proxy, bytes);
        watch_during_call(proxy, obj);
    } else if let Some(dict) = obj.downcast_ref::<rustpython_vm::builtins::PyDict>() {
        // SAFETY: the caller's contract.
        unsafe { dictobject::sync_struct(proxy, dict) };
    } else if genobject::proxy_struct_size(vm, obj).is_some() {
        genobject::fill_proxy_struct(vm, obj, proxy);
    } else if setobject::proxy_struct_size(vm, obj).is_some() {
        // SAFETY: the caller's contract.
        unsafe { setobject::sync_struct(vm, proxy, obj) };
    } else if bytesio::is_bytesio(obj) {
        bytesio::refresh_struct(vm, proxy, obj);
        watch_during_call(proxy, obj);
    } else if !ctypesobject::refresh_struct(vm, proxy, obj) {
        arraymodule::refresh_struct(vm, proxy, obj);
    }
}

thread_local! {
    /// Bytearray proxies handed to C during a call, with their host's
    /// address.
    static HANDED_TO_C: crate::borrow::FrameScoped<(usize, usize)> = const { crate::borrow::FrameScoped::new() };
}

/// Remembers a bytearray proxy C gets during a call: what C does to its
/// struct directly (`Py_SET_SIZE` to drop unused room) is carried over as
/// the call ends, even if the proxy never crosses back.
fn watch_during_call(proxy: *mut PyObject, obj: &rustpython_vm::PyObjectRef) {
    HANDED_TO_C.with(|h| h.push_current((proxy as usize, crate::proxy::host_addr(obj))));
}

/// Runs as call frame `frame` ends (through `startup::after_c_call`):
/// checks the lists that crossed with unset items during it, and carries
/// over what C changed in the structs of the bytearrays it got.
pub(crate) fn after_c_call(frame: u64) {
    listobject::check_holes(frame);
    object::carry_over_dict_ptrs(frame);
    while let Some((proxy, host_addr)) = HANDED_TO_C.with(|h| h.pop_for(frame)) {
        let proxy = proxy as *mut PyObject;
        // SAFETY: a registered header, read under the GIL (the frame's).
        let host = crate::proxy::header(proxy).and_then(|h| unsafe { h.as_ref().host() });
        // The proxy must still be that bytearray's: one freed and reused since is another object.
        if let Some(host) = host.filter(|host| crate::proxy::host_addr(host) == host_addr) {
            if let Some(bytes) = host.downcast_ref::<rustpython_vm::builtins::PyByteArray>() {
                bytearrayobject::sync_from_c(proxy, bytes);
            } else if bytesio::is_bytesio(&host) {
                let _ = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
                    if let Err(e) = bytesio::sync_from_c(vm, proxy, &host) {
                        vm.run_unraisable(e, Some("cpyext: carrying over C's change to a BytesIO".to_owned()), host.clone());
                    }
                });
            }
        }
    }
}

/// Object-model hook: before Python uses the host object of a plain proxy
/// with a struct, what C changed in the struct is carried over (an array's
/// storage or size).
pub(crate) fn sync_plain_proxy(vm: &VirtualMachine, proxy: *mut PyObject, host: &rustpython_vm::PyObject) {
    // A dict's struct is only read by C, never written: nothing to carry
    // over (and PyDict_Next passes here on every step).
    if host.downcast_ref::<rustpython_vm::builtins::PyDict>().is_some() {
        return;
    }
    if let Some(bytes) = host.downcast_ref::<rustpython_vm::builtins::PyByteArray>() {
        bytearrayobject::sync_from_c(proxy, bytes);
        return;
    }
    let host = host.to_owned();
    if bytesio::is_bytesio(&host) {
        if let Err(e) = bytesio::sync_from_c(vm, proxy, &host) {
            vm.run_unraisable(e, Some("cpyext: carrying over C's change to a BytesIO".to_owned()), host);
        }
        return;
    }
    if let Err(e) = arraymodule::sync_from_c(vm, proxy, &host) {
        vm.run_unraisable(e, Some("cpyext: carrying over C's changes to an array".to_owned()), host);
    }
}

/// Object-model hook: the host object of a plain proxy C made with
/// `tp_alloc` of a builtin type (array.array, for Cython's arrays).
pub(crate) fn materialize_plain_proxy(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<rustpython_vm::PyObjectRef> {
    // SAFETY: the object model calls this on a live pending proxy.
    let ob_type = unsafe { (*proxy).ob_type };
    let cls = crate::proxy::to_host(vm, ob_type as *mut PyObject)?;
    match cls.downcast_ref::<rustpython_vm::builtins::PyType>() {
        Some(cls) if arraymodule::is_array_class(cls) => arraymodule::array_from_proxy(vm, proxy),
        Some(cls) if dictobject::is_dict_view_class(vm, cls) => dictobject::dict_view_from_proxy(vm, proxy),
        _ => Err(crate::proxy::dead_object(vm, proxy)),
    }
}

/// The object bytes a plain proxy of `obj` needs.
pub(crate) fn plain_proxy_size(vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef) -> usize {
    PROXY_BODIES.iter().find_map(|body| (body.size)(vm, obj)).unwrap_or(size_of::<PyObject>())
}

/// Gives back the references a plain proxy's struct owns (a traceback's
/// `tb_next` and `tb_frame`), just before the object model frees it.
pub(crate) fn release_plain_proxy(proxy: *mut PyObject) {
    // SAFETY: the object model calls this on a registered proxy it is about
    // to free, under the GIL, with no other view of its header live.
    let (host, size) = unsafe { crate::proxy::header_mut(proxy) }.map_or((None, 0), |h| (h.host(), h.size as usize));
    // The header's size counts the header itself.
    let size = size.saturating_sub(crate::proxy::HEADER);
    if size == dictobject::DICT_VIEW_SIZE {
        // A dict view C made (`PyObject_GC_New`), whether or not it reached
        // Python: its dv_dict reference.
        dictobject::release_view_struct(proxy);
    }
    match host {
        // A dict's struct owns nothing, and no family below is a dict.
        Some(host) if host.downcast_ref::<rustpython_vm::builtins::PyDict>().is_some() => {}
        Some(host) => {
            code::release_proxy_struct(&host, proxy);
            datetime::release_proxy_struct(&host, proxy);
            bytesio::release_struct(&host, proxy);
            arraymodule::release_struct(proxy);
        }
        // No host: an array C made (`tp_alloc`) and dropped before it
        // reached Python, or a pinned proxy whose host died first. Each
        // family knows its own by its records, not by the size: a BytesIO's
        // struct is as big as an array's, and its `pos` was freed as an
        // array's storage (indexed_gzip's pickling).
        None => {
            arraymodule::release_hostless(proxy);
            bytesio::release_hostless(proxy);
        }
    }
}

/// Fills the struct of a new plain proxy whose size `plain_proxy_size` gave.
///
/// # Safety
/// `proxy` is a new, zeroed proxy of `obj` with that many object bytes.
pub(crate) unsafe fn fill_plain_proxy(vm: &VirtualMachine, proxy: *mut PyObject, obj: &rustpython_vm::PyObjectRef, _fresh: bool) {
    if let Some(body) = PROXY_BODIES.iter().find(|body| (body.size)(vm, obj).is_some()) {
        (body.fill)(vm, obj, proxy);
    }
}
