//! The edge every C-API call crosses: GIL check, error conversion, panic
//! containment, and the registry of what the layer implements.
use crate::{error_indicator, gil};
use rustpython_vm::{PyResult, VirtualMachine};
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// One exported C-API function, registered by `#[cpython_api]`.
pub struct ApiFunction {
    pub name: &'static str,
    pub signature: &'static str,
}
inventory::collect!(ApiFunction);

// The functions defined in C (c_shims/), registered by build.rs.
include!(concat!(env!("OUT_DIR"), "/shims.rs"));

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

thread_local! {
    /// The C function this thread is running for Python, to name culprits.
    static CURRENT_C_FUNCTION: Cell<&'static str> = const { Cell::new("") };
}

pub fn current_c_function() -> &'static str {
    CURRENT_C_FUNCTION.with(|c| c.get())
}

/// Records which extension function runs until the guard drops.
pub struct RunningFunction(&'static str);
impl RunningFunction {
    pub fn enter(name: &'static str) -> Self {
        RunningFunction(CURRENT_C_FUNCTION.with(|c| c.replace(name)))
    }
}
impl Drop for RunningFunction {
    fn drop(&mut self) {
        CURRENT_C_FUNCTION.with(|c| c.set(self.0));
    }
}

/// Stops the process with a message naming the culprit: for faults after
/// which memory can no longer be trusted.
pub fn fatal(message: &str) -> ! {
    let culprit = current_c_function();
    if culprit.is_empty() {
        eprintln!("Fatal Python error: {message}");
    } else {
        eprintln!("Fatal Python error: {message}\n(while running the extension function {culprit})");
    }
    std::process::abort()
}

/// Runs the body of a C-API function that needs the VM.
#[inline]
pub fn enter_api<R: CReturn>(
    name: &'static str,
    needs_gil: bool,
    body: impl FnOnce(&VirtualMachine) -> PyResult<R>,
) -> R {
    if needs_gil && !gil::held() {
        fatal(&format!(
            "{name} called from a thread that does not hold the GIL \
             (call it between PyGILState_Ensure/Release or outside Py_BEGIN_ALLOW_THREADS)"
        ));
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
        fatal(&format!(
            "{name} called from a thread that does not hold the GIL \
             (call it between PyGILState_Ensure/Release or outside Py_BEGIN_ALLOW_THREADS)"
        ));
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
