//! io.BytesIO's struct (CPython 3.11's `bytesio` of Modules/_io/bytesio.c).
//! It is private to CPython, but C reads it: Apache Thrift's `fastbinary`
//! decodes straight from a transport's BytesIO, taking `buf`, `pos` and
//! `string_size` and advancing `pos` itself, as it does on CPython. So a
//! BytesIO proxy carries the struct, as an array.array's carries
//! `arrayobject`:
//! - `buf` is an owned bytes object with the contents (`getvalue()`) when
//!   something is left to read, empty at or past the end (see
//!   `write_struct`), NULL once the BytesIO is closed (as CPython's);
//! - `pos` and `string_size` are `tell()` and the length;
//! - the struct is written when the proxy is made and each time it is
//!   handed to C again, and a `pos` C changed is carried over (`seek`) as
//!   the call ends and before Python uses the object.
//! C writing into `buf`'s bytes is not carried over (CPython shares them
//! only while `exports` is 0 and the bytes are not shared; thrift only
//! reads).
use crate::ffi::{PyObject, Py_ssize_t};
use crate::proxy::new_ref;
use rustpython_vm::builtins::PyType;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};
use dashmap::DashMap;
use std::sync::{LazyLock, OnceLock};

#[repr(C)]
pub(crate) struct BytesIOObject {
    pub ob_base: PyObject,
    pub buf: *mut PyObject,
    pub pos: Py_ssize_t,
    pub string_size: Py_ssize_t,
    pub dict: *mut PyObject,
    pub weakreflist: *mut PyObject,
    pub exports: Py_ssize_t,
}

pub(crate) const BYTESIO_OBJECT_SIZE: usize = size_of::<BytesIOObject>();

/// The host's `_io.BytesIO`, found at start-up.
static BYTESIO_CLASS: OnceLock<PyRef<PyType>> = OnceLock::new();

pub(crate) fn init(vm: &VirtualMachine) -> PyResult<()> {
    let module = crate::types::import_for_layer(vm, "_io")?;
    let cls = module.get_attr("BytesIO", vm)?.downcast::<PyType>().map_err(|_| super::bad_internal_call(vm))?;
    let _ = BYTESIO_CLASS.set(cls);
    Ok(())
}

pub(crate) fn is_bytesio(obj: &rustpython_vm::PyObject) -> bool {
    BYTESIO_CLASS.get().is_some_and(|cls| obj.class().fast_issubclass(cls))
}

/// `ProxyBody::size` for BytesIO objects.
pub(crate) fn proxy_struct_size(_vm: &VirtualMachine, obj: &PyObjectRef) -> Option<usize> {
    is_bytesio(obj).then_some(BYTESIO_OBJECT_SIZE)
}

/// `BytesIO.<name>(obj, ...)` past any override in a subclass.
fn call(vm: &VirtualMachine, obj: &PyObjectRef, name: &'static str, args: impl rustpython_vm::function::IntoFuncArgs) -> PyResult {
    let cls = BYTESIO_CLASS.get().ok_or_else(|| super::bad_internal_call(vm))?;
    let mut args = args.into_args(vm);
    args.prepend_arg(obj.clone());
    cls.as_object().get_attr(name, vm)?.call(args, vm)
}

/// The host's length of `obj`'s contents, without copying them.
fn host_len(vm: &VirtualMachine, obj: &PyObjectRef) -> PyResult<Py_ssize_t> {
    let view = call(vm, obj, "getbuffer", ())?;
    let len = view.get_attr("nbytes", vm)?.try_into_value(vm);
    vm.call_method(&view, "release", ())?;
    len
}

/// Writes the struct from the host object; the old `buf` is released.
/// Only a BytesIO with something left to read gets its contents copied
/// into `buf` (a reader such as thrift's takes bytes from `pos` on); at or
/// past the end, `buf` is empty, so that a writer crossing into C again and
/// again (`ujson.dump(x, f)` in a loop) is not copied each time.
fn write_struct(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) -> PyResult<()> {
    let s = proxy as *mut BytesIOObject;
    // A closed BytesIO refuses both, and CPython's buf is then NULL.
    let (buf, pos, size) = match host_len(vm, obj) {
        Ok(size) => {
            let pos: Py_ssize_t = call(vm, obj, "tell", ())?.try_into_value(vm)?;
            let value = if pos < size { call(vm, obj, "getvalue", ())? } else { vm.ctx.empty_bytes.clone().into() };
            (new_ref(vm, &value), pos, size)
        }
        Err(_) => (std::ptr::null_mut(), 0, 0),
    };
    // SAFETY: a BytesIO proxy of BYTESIO_OBJECT_SIZE bytes, written under the GIL (I1).
    let old = unsafe {
        (*s).pos = pos;
        (*s).string_size = size;
        std::mem::replace(&mut (*s).buf, buf)
    };
    crate::proxy::xdecref(old);
    LAST_POS.insert(proxy as usize, pos);
    Ok(())
}

/// proxy -> the `pos` the layer last wrote, to see what C changed. Not per
/// thread: a proxy may be handed to C on one thread and released on another.
static LAST_POS: LazyLock<DashMap<usize, Py_ssize_t>> = LazyLock::new(DashMap::new);

/// `ProxyBody::fill` for BytesIO objects.
pub(crate) fn fill_proxy_struct(vm: &VirtualMachine, obj: &PyObjectRef, proxy: *mut PyObject) {
    if is_bytesio(obj) {
        if let Err(e) = write_struct(vm, proxy, obj) {
            vm.run_unraisable(e, Some("cpyext: reading a BytesIO".to_owned()), obj.clone());
        }
        // A `pos` C changes is carried over as the call ends.
        super::watch_during_call(proxy, obj);
    }
}

/// Carries a `pos` C changed over to the host (`seek`).
pub(crate) fn sync_from_c(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) -> PyResult<()> {
    let Some(last) = LAST_POS.get(&(proxy as usize)).map(|p| *p) else { return Ok(()) };
    // SAFETY: a BytesIO proxy the layer filled (it is in LAST_POS), read under the GIL.
    let (buf, pos) = unsafe { ((*(proxy as *mut BytesIOObject)).buf, (*(proxy as *mut BytesIOObject)).pos) };
    if buf.is_null() || pos == last {
        return Ok(());
    }
    call(vm, obj, "seek", (pos.max(0),))?;
    LAST_POS.insert(proxy as usize, pos);
    Ok(())
}

/// As the proxy is handed to C again: C's change first, then the struct
/// follows the host (Python may have read or written meanwhile).
pub(crate) fn refresh_struct(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) {
    if let Err(e) = sync_from_c(vm, proxy, obj).and_then(|()| write_struct(vm, proxy, obj)) {
        vm.run_unraisable(e, Some("cpyext: bringing a BytesIO's struct up to date".to_owned()), obj.clone());
    }
}

/// Gives back `buf` as the proxy is freed.
pub(crate) fn release_struct(host: &PyObjectRef, proxy: *mut PyObject) {
    if is_bytesio(host) {
        LAST_POS.remove(&(proxy as usize));
        give_back_buf(proxy);
    }
}

/// `release_struct` for a proxy whose host died first: a BytesIO's if the
/// layer wrote its struct.
pub(crate) fn release_hostless(proxy: *mut PyObject) {
    if LAST_POS.remove(&(proxy as usize)).is_some() {
        give_back_buf(proxy);
    }
}

fn give_back_buf(proxy: *mut PyObject) {
    // SAFETY: a BytesIO proxy being freed, under the GIL.
    let buf = unsafe { std::mem::replace(&mut (*(proxy as *mut BytesIOObject)).buf, std::ptr::null_mut()) };
    crate::proxy::xdecref(buf);
}
