//! The edges between Rust and C, both ways.
//! - C calls the API: `enter_api` (behind `#[cpython_api]`) checks the GIL,
//!   converts errors and contains panics; the registry lists what the layer
//!   implements.
//! - Rust calls C: `call_into_c` is the only way in, and `check_object` /
//!   `check_status` apply CPython's rules to what C returned.
use crate::borrow::CallFrame;
use crate::ffi::{PyObject, PyTypeObject};
use crate::{error_indicator, gil, proxy};
use rustpython_vm::{PyObject as HostObject, PyResult, VirtualMachine};
use std::cell::Cell;
use std::ffi::{CStr, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// One exported C-API function, registered by `#[cpython_api]`.
pub struct ApiFunction {
    pub name: &'static str,
    pub signature: &'static str,
}
inventory::collect!(ApiFunction);

// The functions defined in C (c_shims/), registered by build.rs, and the
// trampolines that export them from the library under their C-API names.
include!(concat!(env!("OUT_DIR"), "/shims.rs"));
include!(concat!(env!("OUT_DIR"), "/shim_trampolines.rs"));

/// One exported C-API data symbol (type objects, singletons, `PyExc_*`).
pub struct ApiData {
    pub name: &'static str,
}
inventory::collect!(ApiData);

pub fn implemented_names() -> impl Iterator<Item = &'static str> {
    inventory::iter::<ApiFunction>
        .into_iter()
        .map(|f| f.name)
        .chain(inventory::iter::<ApiData>.into_iter().map(|d| d.name))
}

/// The value a C-API function returns to signal an error.
pub trait CReturn {
    fn error_value() -> Self;
}
impl<T> CReturn for *mut T {
    fn error_value() -> Self {
        std::ptr::null_mut()
    }
}
impl<T> CReturn for *const T {
    fn error_value() -> Self {
        std::ptr::null()
    }
}
macro_rules! minus_one {
    ($($t:ty),*) => { $(impl CReturn for $t { fn error_value() -> Self { (-1i64) as $t } })* };
}
minus_one!(i32, i64, isize, u32, u64, usize, f64);
impl CReturn for () {
    fn error_value() -> Self {}
}

/// The extension code a call from Rust into C runs, to name it when
/// something goes fatally wrong. Named lazily: a slot's name is read from its
/// type object only when a message needs it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CFunction {
    /// No extension code is running.
    None,
    /// A function known by name (`mod.func`, `mod.PyInit_mod`, `Type.attr`).
    Named(&'static str),
    /// A slot of a type (`tp_repr`, `nb_add`, `tp_dealloc`...).
    Slot(*const PyTypeObject, &'static str),
}

// SAFETY: the pointer names an immortal type object, and is only read (for
// its tp_name) when a message is written.
unsafe impl Send for CFunction {}
// SAFETY: as for Send; a CFunction is never written through.
unsafe impl Sync for CFunction {}

impl std::fmt::Display for CFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            CFunction::None => Ok(()),
            CFunction::Named(name) => f.write_str(name),
            CFunction::Slot(tp, slot) => {
                // SAFETY: type objects are immortal, and tp_name is a C string
                // (or NULL) for as long as the type exists.
                let name = unsafe {
                    if tp.is_null() || (*tp).tp_name.is_null() {
                        None
                    } else {
                        Some(CStr::from_ptr((*tp).tp_name))
                    }
                };
                match name {
                    Some(name) => write!(f, "{}.{slot}", name.to_string_lossy()),
                    None => write!(f, "?.{slot}"),
                }
            }
        }
    }
}

thread_local! {
    /// The C function this thread is running for Python, to name culprits.
    static CURRENT_C_FUNCTION: Cell<CFunction> = const { Cell::new(CFunction::None) };
}

/// The extension function this thread is running, as text ("" if none).
pub fn current_c_function() -> String {
    CURRENT_C_FUNCTION.with(|c| c.get()).to_string()
}

/// Records which extension function runs until the guard drops.
struct RunningFunction(CFunction);
impl RunningFunction {
    fn enter(function: CFunction) -> Self {
        RunningFunction(CURRENT_C_FUNCTION.with(|c| c.replace(function)))
    }
}
impl Drop for RunningFunction {
    fn drop(&mut self) {
        CURRENT_C_FUNCTION.with(|c| c.set(self.0));
    }
}

/// The one way from Rust into C. Takes the GIL, opens a call frame
/// (borrowed references made during the call live until it returns, and
/// proxies released in it are freed as it ends), records the running C
/// function so a fatal error can name it, and runs `call`. The caller then
/// checks what C returned with `check_object` or `check_status`.
#[inline]
pub fn call_into_c<R>(vm: &VirtualMachine, function: CFunction, call: impl FnOnce() -> R) -> R {
    let _gil = gil::GilGuard::acquire(vm);
    // Declared before the frame, so that what runs as the frame ends can
    // still name the function.
    let _running = RunningFunction::enter(function);
    let _frame = CallFrame::enter();
    call()
}

/// `call_into_c` for reading C memory with no C code run and no proxy
/// handed out (a member's number): no call frame, whose only work would be
/// its end.
#[inline]
pub fn read_from_c<R>(vm: &VirtualMachine, function: CFunction, read: impl FnOnce() -> R) -> R {
    let _gil = gil::GilGuard::acquire(vm);
    let _running = RunningFunction::enter(function);
    read()
}

/// `call_into_c` with owned proxies of `args`, released after the call.
#[inline]
pub fn call_into_c_with<R>(
    vm: &VirtualMachine,
    function: CFunction,
    args: &[&HostObject],
    call: impl FnOnce(&[*mut PyObject]) -> R,
) -> R {
    call_into_c(vm, function, || {
        let proxies: Vec<*mut PyObject> = args
            .iter()
            .map(|a| proxy::new_ref(vm, &(*a).to_owned()))
            .collect();
        let result = call(&proxies);
        proxies.into_iter().for_each(proxy::decref);
        result
    })
}

/// CPython's rules for an object C returned: NULL needs an exception, and a
/// result must come without one. Takes over C's reference to the result.
pub fn check_object(vm: &VirtualMachine, function: &str, result: *mut PyObject) -> PyResult {
    check_object_named(vm, || Ok(format!("<built-in function {function}>")), result)
}

/// `check_object` naming the function as `culprit` says (a method
/// descriptor's repr, `<method 'f' of 'T' objects>`).
pub fn check_object_as(vm: &VirtualMachine, culprit: &str, result: *mut PyObject) -> PyResult {
    check_object_named(vm, || Ok(culprit.to_owned()), result)
}

/// `check_object` for what a call of `callable` returned: a mistake is
/// reported naming the callable by its repr, as CPython's
/// `_Py_CheckFunctionResult` does ("<cyfunction f at 0x...> returned a
/// result with an exception set").
/// `callable` is asked for only then (a call's hot path makes no host
/// object for it).
pub fn check_call_result(vm: &VirtualMachine, callable: impl FnOnce() -> PyResult<rustpython_vm::PyObjectRef>, result: *mut PyObject) -> PyResult {
    check_object_named(vm, || Ok(callable()?.repr(vm)?.to_string()), result)
}

/// The rules of `check_object`, a mistake naming `culprit`.
pub fn check_object_named(vm: &VirtualMachine, culprit: impl FnOnce() -> PyResult<String>, result: *mut PyObject) -> PyResult {
    // Releasing the result's proxy touches its count: under the GIL, also
    // when a slot trampoline calls this after leaving C.
    let _gil = gil::GilGuard::acquire(vm);
    let result = check_returned(vm, result, culprit)?;
    let object = proxy::take_returned(vm, result)?;
    crate::hooks::check_result(vm, &object)?;
    Ok(object)
}

/// CPython's rules for an object C returned: NULL must come with an
/// exception (which is then the error), and a result must come without one;
/// either mistake is a SystemError naming `culprit`, with the pending
/// exception as its cause. On a mistake the result's reference is given up.
pub fn check_returned(vm: &VirtualMachine, result: *mut PyObject, culprit: impl FnOnce() -> PyResult<String>) -> PyResult<*mut PyObject> {
    if result.is_null() {
        return Err(match error_indicator::take_exception(vm) {
            Some(exception) => exception,
            None => vm.new_system_error(format!("{} returned NULL without setting an exception", culprit()?)),
        });
    }
    if let Some(cause) = error_indicator::take_exception(vm) {
        proxy::decref(result);
        return Err(result_with_exception_set(vm, &culprit()?, cause));
    }
    if let Some(exc) = error_indicator::take_async_exception(vm) {
        proxy::decref(result);
        return Err(exc);
    }
    Ok(result)
}

/// The SystemError for a result that came with an exception set, as
/// CPython's `_Py_CheckFunctionResult` raises it: naming `culprit`, with the
/// pending exception as its cause.
pub fn result_with_exception_set(vm: &VirtualMachine, culprit: &str, cause: rustpython_vm::builtins::PyBaseExceptionRef) -> rustpython_vm::builtins::PyBaseExceptionRef {
    let err = vm.new_system_error(format!("{culprit} returned a result with an exception set"));
    err.set_cause(Some(cause.clone()));
    err.set_context(Some(cause));
    err
}

/// CPython's rules for an int status C returned: negative needs an
/// exception; an exception set with a success status is raised.
pub fn check_status(vm: &VirtualMachine, status: c_int, function: &str) -> PyResult<c_int> {
    if status < 0 {
        return Err(error_indicator::take_exception(vm).unwrap_or_else(|| {
            vm.new_system_error(format!(
                "{function} returned an error without setting an exception"
            ))
        }));
    }
    if let Some(exc) = error_indicator::take_exception(vm).or_else(|| error_indicator::take_async_exception(vm)) {
        return Err(exc);
    }
    Ok(status)
}

/// Stops the process with a message naming the culprit: for faults after
/// which memory can no longer be trusted.
pub fn fatal(message: &str) -> ! {
    let culprit = current_c_function();
    if culprit.is_empty() {
        eprintln!("Fatal Python error: {message}");
    } else {
        eprintln!(
            "Fatal Python error: {message}\n(while running the extension function {culprit})"
        );
    }
    std::process::abort()
}

/// The fatal error of a C-API function called without the GIL.
pub fn fatal_without_gil(name: &str) -> ! {
    fatal(&format!(
        "{name} called from a thread that does not hold the GIL \
         (call it between PyGILState_Ensure/Release or outside Py_BEGIN_ALLOW_THREADS)"
    ))
}

/// Runs the body of a C-API function that needs the VM.
#[inline]
pub fn enter_api<R: CReturn>(
    name: &'static str,
    needs_gil: bool,
    body: impl FnOnce(&VirtualMachine) -> PyResult<R>,
) -> R {
    if needs_gil && !gil::held() {
        if gil::MAIN_VM.load(std::sync::atomic::Ordering::Acquire).is_null() {
            fatal(&format!("{name} called before Py_Initialize: the interpreter is not running"));
        }
        fatal_without_gil(name);
    }
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        rustpython_vm::vm::thread::with_current_vm(|vm| match body(vm) {
            Ok(value) => value,
            Err(exc) => {
                error_indicator::set_from_exception(exc);
                R::error_value()
            }
        })
    }));
    outcome.unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("panic");
        let reported = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
            let exc = vm.new_system_error(format!("cpyext internal error in {name}: {detail}"));
            error_indicator::set_from_exception(exc);
        });
        if reported.is_none() {
            fatal(&format!("cpyext internal error in {name}: {detail}"));
        }
        R::error_value()
    })
}

/// Runs the body of a C-API function that needs no VM (allocators, the GIL
/// functions, which must work on threads that are not attached yet).
#[inline]
pub fn enter_api_without_vm<R: CReturn>(
    name: &'static str,
    needs_gil: bool,
    body: impl FnOnce(()) -> PyResult<R>,
) -> R {
    if needs_gil && !gil::held() {
        fatal_without_gil(name);
    }
    match catch_unwind(AssertUnwindSafe(|| body(()))) {
        Ok(Ok(value)) => value,
        Ok(Err(exc)) => {
            error_indicator::set_from_exception(exc);
            R::error_value()
        }
        Err(_) => fatal(&format!("cpyext internal error in {name}")),
    }
}
