//! The layer's start-up: runs once, before the first extension is loaded.
//!
//! It connects the layers (registering with the object model what it needs
//! from above, see `hooks.rs`), then fills the static type objects,
//! singletons and exception pointers, and installs the collector callbacks.
use crate::hooks::{LayoutHooks, ObjectModelHooks};
use crate::proxy::Layout;
use rustpython_vm::{AsObject, VirtualMachine};
use std::sync::Once;
use std::sync::atomic::Ordering;

/// What `sys.getrefcount` reports for None, True, False, Ellipsis and
/// NotImplemented (the `sys.getrefcount` this start-up installs).
const SINGLETON_REFCOUNT: usize = 4096;

static START: Once = Once::new();

/// The host interpreter the layer serves: its global state's address. The
/// layer keeps one identity table, one arena and one set of type objects,
/// so C extensions load in that interpreter only.
static LAYER_INTERPRETER: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

fn interpreter_key(vm: &VirtualMachine) -> usize {
    &*vm.state as *const _ as usize
}

/// Whether `vm` belongs to the interpreter the layer started in (not a
/// subinterpreter made with `concurrent.interpreters`).
pub fn is_layer_interpreter(vm: &VirtualMachine) -> bool {
    LAYER_INTERPRETER.get().is_none_or(|key| *key == interpreter_key(vm))
}

pub fn init(vm: &VirtualMachine) {
    LAYER_INTERPRETER.get_or_init(|| interpreter_key(vm));
    crate::api::pylifecycle::remember_global_state(vm);
    START.call_once(|| {
        let mut layouts = [LayoutHooks::default(); Layout::COUNT];
        layouts[Layout::Str as usize] = LayoutHooks {
            proxy_size: Some(crate::api::unicodeobject::str_proxy_size),
            fill: Some(crate::api::unicodeobject::fill_str_proxy),
            materialize: Some(crate::api::unicodeobject::str_from_proxy),
            ..LayoutHooks::default()
        };
        layouts[Layout::List as usize] = LayoutHooks {
            proxy_size: Some(crate::api::listobject::list_proxy_size),
            fill: Some(crate::api::listobject::fill_list_proxy),
            sync_from_c: Some(crate::api::listobject::sync_list_size),
            materialize: Some(crate::api::listobject::list_from_proxy),
            refresh: Some(crate::api::listobject::refresh_list_proxy),
            release_owned: Some(crate::api::listobject::release_list_items),
            ..LayoutHooks::default()
        };
        layouts[Layout::Plain as usize] = LayoutHooks {
            fill: Some(crate::api::fill_plain_proxy),
            before_free: Some(crate::api::release_plain_proxy),
            refresh: Some(crate::api::refresh_plain_proxy),
            sync_from_c: Some(crate::api::sync_plain_proxy),
            materialize: Some(crate::api::materialize_plain_proxy),
            ..LayoutHooks::default()
        };
        layouts[Layout::Long as usize] = LayoutHooks {
            proxy_size: Some(long_proxy_size),
            fill: Some(fill_long_proxy),
            materialize: Some(long_from_digits),
            ..LayoutHooks::default()
        };
        layouts[Layout::Instance as usize].before_free = Some(crate::ctype::before_instance_free);
        layouts[Layout::Instance as usize].rebuild_from_c = Some(crate::ctype::value_written_in_c);
        layouts[Layout::Instance as usize].release_owned = Some(crate::ctype::instance_released_by_c);
        layouts[Layout::Function as usize] = LayoutHooks {
            fill: Some(fill_function_proxy),
            before_free: Some(crate::api::methodobject::release_function_proxy),
            ..LayoutHooks::default()
        };
        crate::hooks::register(ObjectModelHooks {
            type_proxy: crate::types::type_proxy,
            layout_of,
            adopt_static_instance: crate::ctype::adopt_static_instance,
            revive_instance: crate::ctype::revive_instance,
            after_c_call,
            check_result: crate::api::listobject::check_returned_list,
            layouts,
        });
        // A VM of the interpreter, for threads made in C (PyGILState_Ensure).
        let _ = crate::gil::MAIN_VM.compare_exchange(
            std::ptr::null_mut(),
            vm as *const VirtualMachine as *mut VirtualMachine,
            Ordering::AcqRel,
            Ordering::Acquire,
        );
        crate::types::init(vm);
        crate::api::pyhash::init_hash_secret(vm);
        // Counts C's references too, as CPython's does: tests of extensions
        // compare counts before and after storing an object in C.
        let getrefcount = vm.new_function("getrefcount", |obj: rustpython_vm::PyObjectRef, vm: &VirtualMachine| {
            // The host keeps no count for its singletons. CPython 3.11 does,
            // and tests loop that many times (llist's "does not release
            // extra None refs"): a count of 3.11's order, never 2**32 - 1.
            let ctx = &vm.ctx;
            let singletons = [ctx.none.as_object(), ctx.true_value.as_object(), ctx.false_value.as_object(), ctx.ellipsis.as_object(), ctx.not_implemented.as_object()];
            if singletons.iter().any(|s| s.is(&obj)) {
                return SINGLETON_REFCOUNT;
            }
            // A host export C holds (a `Py_buffer` of a bytearray or an
            // array) holds the object too, beside `view.obj`, C's count.
            let counted = crate::proxy::python_and_c_refs(&obj);
            let exports = crate::api::pybuffer::exports_holding(&obj);
            if exports == 0 { counted } else { counted.saturating_sub(exports).max(1) }
        });
        if let Err(e) = vm.sys_module.set_attr("getrefcount", getrefcount, vm) {
            vm.print_exception(&e);
        }
        install_getsizeof(vm);
        crate::api::pylifecycle::install_os_exit(vm);
        if let Err(e) = crate::ctype::gc::install(vm) {
            vm.print_exception(&e);
        }
        if let Err(e) = crate::api::methodobject::install_live_docs(vm) {
            vm.print_exception(&e);
        }
        crate::ctype::install_weaklist_field();
        crate::ctype::install_generic_getattro();
        // A frame's pinned proxy goes when the frame does (`proxy::pin_frame`).
        rustpython_vm::frame::set_frame_death_hook(crate::proxy::frame_died);
        // A hook an embedder set before start-up.
        if let Err(e) = crate::api::fileobject::install_open_code_hook(vm) {
            vm.print_exception(&e);
        }
        if let Err(e) = crate::api::pycapsule::init(vm) {
            vm.print_exception(&e);
        }
        // Type objects of classes that live in stdlib modules, and what the
        // host's own types lack for C (a constructor for PyReversed_Type).
        for result in [crate::ctype::install_static_type_names(vm), crate::ctype::install_object_dir(vm), crate::api::odictobject::init(vm), crate::api::picklebufobject::init(vm), crate::api::enumobject::init(vm), crate::api::typeobject::init(vm), crate::api::memoryobject::init(vm), crate::api::bytesio::init(vm), crate::api::methodobject::init(vm), crate::api::fileobject::ready_std_printer_type(vm)] {
            if let Err(e) = result {
                vm.print_exception(&e);
            }
        }
    });
}

/// As a call frame ends: classes made during the call take the slots C
/// wrote into them; bytearrays C got take what C did to their structs.
fn after_c_call(frame: u64) {
    crate::ctype::after_c_call(frame);
    crate::api::after_c_call(frame);
}

/// The object bytes of an int proxy: ob_size and the value's digits.
fn long_proxy_size(_vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef) -> usize {
    let int = obj.downcast_ref::<rustpython_vm::builtins::PyInt>().expect("an int proxy");
    crate::api::longobject::long_size(int.as_bigint())
}

/// Writes an int's digits into its new proxy.
///
/// # Safety
/// `proxy` is a new int proxy of `long_proxy_size(obj)` object bytes.
unsafe fn fill_long_proxy(_vm: &VirtualMachine, proxy: *mut crate::ffi::PyObject, obj: &rustpython_vm::PyObjectRef, _fresh: bool) {
    let int = obj.downcast_ref::<rustpython_vm::builtins::PyInt>().expect("an int proxy");
    // SAFETY: the caller gives a proxy sized for this int's digits.
    unsafe { crate::api::longobject::write_digits(int.as_bigint(), proxy as *mut crate::ffi::PyLongObject) };
}

/// The layout of a proxy for an object the object model has no layout of its
/// own for: builtin functions and method descriptors carry
/// `PyCFunctionObject`/`PyMethodDescrObject`, code objects and frames their
/// structs; anything else is a bare `PyObject`.
fn layout_of(vm: &VirtualMachine, obj: &rustpython_vm::PyObjectRef) -> (Layout, usize) {
    if crate::api::methodobject::has_function_layout(vm, obj) {
        (Layout::Function, crate::api::methodobject::FUNCTION_PROXY_SIZE)
    } else {
        (Layout::Plain, crate::api::plain_proxy_size(vm, obj))
    }
}

/// Fills a function proxy's `PyCFunctionObject` or `PyMethodDescrObject`.
///
/// # Safety
/// `proxy` is a new function proxy of `FUNCTION_PROXY_SIZE` object bytes.
unsafe fn fill_function_proxy(vm: &VirtualMachine, proxy: *mut crate::ffi::PyObject, obj: &rustpython_vm::PyObjectRef, _fresh: bool) {
    crate::api::methodobject::fill_function_proxy(vm, proxy, obj);
}

/// The host int of an int proxy C filled itself (`_PyLong_New`): a new
/// object, as in CPython, never one of the host's cached small ints (which
/// have proxies of their own; this one would take over the cached int's
/// identity entry and, parked behind a host that never dies, never be freed).
fn long_from_digits(vm: &VirtualMachine, proxy: *mut crate::ffi::PyObject) -> rustpython_vm::PyResult<rustpython_vm::PyObjectRef> {
    // SAFETY: the object model calls this on a live pending int proxy whose
    // ob_size and digits C has written.
    let value = unsafe { crate::api::longobject::value_from_digits(proxy as *const crate::ffi::PyLongObject) };
    let int = rustpython_vm::builtins::PyInt::from(value);
    Ok(rustpython_vm::PyPayload::into_ref(int, &vm.ctx).into())
}

/// `sys.getsizeof` that reports instances of C types as CPython does (see
/// `ctype::getsizeof`), and everything else as before.
fn install_getsizeof(vm: &VirtualMachine) {
    let Ok(host_getsizeof) = vm.sys_module.get_attr("getsizeof", vm) else { return };
    let getsizeof = vm.new_function(
        "getsizeof",
        move |args: rustpython_vm::function::FuncArgs, vm: &VirtualMachine| -> rustpython_vm::PyResult {
            if let Some(obj) = args.args.first() {
                match crate::ctype::getsizeof(vm, obj) {
                    Some(Ok(n)) => return Ok(vm.ctx.new_int(n).into()),
                    Some(Err(e)) => return args.args.get(1).cloned().ok_or(e),
                    None => {}
                }
            }
            host_getsizeof.call(args, vm)
        },
    );
    if let Err(e) = vm.sys_module.set_attr("getsizeof", getsizeof, vm) {
        vm.print_exception(&e);
    }
}
