//! What the object model needs from the layers above it, registered there.
//!
//! The object model (proxies, identity, lifetimes, the GIL, the error
//! indicator) sits at the bottom of the crate and imports nothing above it.
//! Where it needs behaviour that belongs higher up (which type object C sees
//! for a host class, how a str filled in C becomes a host str, what freeing
//! an instance of a C type involves), the higher layer registers a function
//! here at start-up (`startup.rs`), in the manner of PyPy's `make_typedescr`:
//! one table for the whole model, plus one entry per proxy layout.
use crate::ffi::{PyObject, PyTypeObject};
use crate::proxy::Layout;
use rustpython_vm::builtins::PyType;
use rustpython_vm::{Py, PyObjectRef, PyResult, VirtualMachine};
use std::sync::OnceLock;

/// Behaviour tied to one proxy layout.
#[derive(Clone, Copy, Default)]
pub struct LayoutHooks {
    /// The object bytes a proxy of this layout needs for `obj`.
    pub proxy_size: Option<fn(&VirtualMachine, &PyObjectRef) -> usize>,
    /// Fills a new proxy's body from `obj`; the flag says whether the proxy
    /// is the object's only holder (so C may still modify it, as CPython
    /// lets C modify a str it just made).
    pub fill: Option<unsafe fn(&VirtualMachine, *mut PyObject, &PyObjectRef, bool)>,
    /// Builds the host object of a proxy that C made and filled (a str from
    /// `PyUnicode_New`) the first time it crosses into Python.
    pub materialize: Option<fn(&VirtualMachine, *mut PyObject) -> PyResult<PyObjectRef>>,
    /// Runs just before the memory of a proxy with a struct beyond the
    /// object header is freed (always, for an instance of a C type).
    pub before_free: Option<fn(*mut PyObject)>,
    /// Brings the body of a proxy that mirrors a mutable host object (a
    /// list's items) up to date as the proxy is handed to C again.
    pub refresh: Option<unsafe fn(&VirtualMachine, *mut PyObject, &PyObjectRef)>,
    /// Carries over to the host object a change C made to the proxy's body
    /// directly (a list's `ob_size`), before the host object is used.
    pub sync_from_c: Option<fn(&VirtualMachine, *mut PyObject, &rustpython_vm::PyObject)>,
    /// Drops the references a proxy's body owns when C's count reaches
    /// zero, also for a pinned proxy, whose memory stays. For an instance
    /// of a C type (never released through the deferred path) it runs only
    /// when the instance has no host left: its tp_dealloc.
    pub release_owned: Option<fn(*mut PyObject)>,
    /// A new host object for a body C filled in after the host was made (a
    /// C subtype of str whose constructor writes the text itself), as the
    /// proxy crosses into Python; None when the host stands.
    pub rebuild_from_c: Option<fn(&VirtualMachine, *mut PyObject, &PyObjectRef) -> PyResult<Option<PyObjectRef>>>,
}

/// The object model's view of the layers above it.
pub struct ObjectModelHooks {
    /// The `PyTypeObject` C sees for a host class (`types.rs`).
    pub type_proxy: fn(&VirtualMachine, &Py<PyType>) -> *mut PyTypeObject,
    /// The layout and object size of a new proxy for an object none of the
    /// object model's own layouts covers (`Layout::Plain` at its smallest).
    pub layout_of: fn(&VirtualMachine, &PyObjectRef) -> (Layout, usize),
    /// Adopts an object the layer has never seen whose memory C owns: a
    /// statically allocated instance of a C type (`static PyObject x =
    /// {PyObject_HEAD_INIT(&MyType)}`), as CPython accepts. None if the
    /// object is not one (its type is not a known C type).
    pub adopt_static_instance: unsafe fn(&VirtualMachine, *mut PyObject) -> Option<PyResult<PyObjectRef>>,
    /// Gives a new host to an instance of a C type whose host died while C
    /// kept its struct (a type's own free list, parked by tp_dealloc) and
    /// took a reference again (`ctype.rs`). None if it is not one.
    pub revive_instance: unsafe fn(&VirtualMachine, *mut PyObject) -> Option<PyResult<PyObjectRef>>,
    /// Runs as a call frame ends, with its id, after its late fills and
    /// before its keep-alives go (types made during the call take the
    /// slots C wrote into them).
    pub after_c_call: fn(u64),
    /// Checks an object C returned, once it is a host object (a list C
    /// left items of unset).
    pub check_result: fn(&VirtualMachine, &PyObjectRef) -> PyResult<()>,
    /// Per-layout behaviour, indexed by `Layout as usize`.
    pub layouts: [LayoutHooks; Layout::COUNT],
}

static HOOKS: OnceLock<ObjectModelHooks> = OnceLock::new();

/// Installs the hooks; the first registration wins (start-up runs once).
pub fn register(hooks: ObjectModelHooks) {
    let _ = HOOKS.set(hooks);
}

/// The registered hooks. No proxy exists before start-up registers them, so
/// a call before that is a bug in the layer.
#[inline]
pub fn get() -> &'static ObjectModelHooks {
    match HOOKS.get() {
        Some(hooks) => hooks,
        None => {
            crate::boundary::fatal("the object model was used before start-up registered its hooks")
        }
    }
}

/// The hooks of one layout; none before start-up (the object model's own
/// unit tests run without the layers above it).
#[inline]
pub fn layout(layout: Layout) -> &'static LayoutHooks {
    static NONE: LayoutHooks = LayoutHooks {
        proxy_size: None,
        fill: None,
        materialize: None,
        before_free: None,
        refresh: None,
        sync_from_c: None,
        release_owned: None,
        rebuild_from_c: None,
    };
    match HOOKS.get() {
        Some(hooks) => &hooks.layouts[layout as usize],
        None => &NONE,
    }
}

/// What runs as a call frame ends; nothing before start-up (the object
/// model's own unit tests open frames without the layers above it).
#[inline]
pub fn after_c_call(frame: u64) {
    if let Some(hooks) = HOOKS.get() {
        (hooks.after_c_call)(frame);
    }
}

/// Checks an object C returned; nothing before start-up.
#[inline]
pub fn check_result(vm: &VirtualMachine, object: &PyObjectRef) -> PyResult<()> {
    crate::proxy::check_returned_tuple(vm, object)?;
    match HOOKS.get() {
        Some(hooks) => (hooks.check_result)(vm, object),
        None => Ok(()),
    }
}
