//! `ctypes.pythonapi`: the C API reachable from Python code, as on CPython.
//!
//! The host's ctypes knows nothing of the layer. Its `py_object` is the
//! host's own object pointer, and it never takes the layer's GIL, so a call
//! such as `pythonapi.PyLong_FromLong(42)` stopped the process. We extend
//! the host's built-in `_ctypes` module: its `CFuncPtr` becomes a subclass
//! (`pythonapi.py`) whose calls of functions flagged `FUNCFLAG_PYTHONAPI`
//! (every `PyDLL` function, `PYFUNCTYPE` prototypes) go through
//! `call_with_proxies`. That runs the call inside the boundary (GIL held,
//! call frame open), passes `py_object` arguments as borrowed proxies, takes
//! over a `py_object` result's new reference and raises a pending exception:
//! CPython's rules for `PyDLL`. Other ctypes calls are the host's, unchanged.
use crate::boundary::{self, CFunction};
use crate::loader::{self, ModuleExec};
use crate::{borrow, error_indicator, proxy};
use rustpython_vm::builtins::{PyModule, PyTuple};
use rustpython_vm::compiler::Mode;
use rustpython_vm::function::FuncArgs;
use rustpython_vm::scope::Scope;
use rustpython_vm::{Py, PyObjectRef, PyResult, VirtualMachine};
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

static HOST_EXEC: OnceLock<ModuleExec> = OnceLock::new();
const INSTALLER: &str = include_str!("pythonapi.py");

pub fn install(builder: rustpython::InterpreterBuilder) -> rustpython::InterpreterBuilder {
    loader::extend_builtin_module(builder, "_ctypes", &HOST_EXEC, exec_ctypes)
}

fn exec_ctypes(vm: &VirtualMachine, module: &Py<PyModule>) -> PyResult<()> {
    (HOST_EXEC.get().unwrap())(vm, module)?;
    // C reads `b_ptr` of ctypes instances: their proxies carry `CDataObject`.
    crate::api::ctypesobject::register_module(vm, &module.to_owned().into())?;
    let code = vm
        .compile(INSTALLER, Mode::Exec, "<cpyext pythonapi>".to_owned())
        .map_err(|e| e.into_pyexception(vm, Some(INSTALLER)))?;
    let scope = Scope::with_builtins(None, vm.ctx.new_dict(), vm);
    vm.run_code_obj(code, scope.clone())?;
    let install = scope.globals.get_item("install", vm)?;
    install.call(
        (
            module.to_owned(),
            vm.new_function("call_with_proxies", call_with_proxies),
            vm.new_function("read_pointer", read_pointer),
        ),
        vm,
    )?;
    Ok(())
}

/// The pointer stored at `address`: where a ctypes function object keeps the
/// address of the C function it calls.
fn read_pointer(address: usize, vm: &VirtualMachine) -> PyResult<usize> {
    if address == 0 {
        return Err(vm.new_value_error("NULL address".to_owned()));
    }
    // SAFETY: `address` is what `_ctypes.addressof` returned for a live
    // function object: its buffer, whose first word is the function pointer.
    Ok(unsafe { std::ptr::read_unaligned(address as *const usize) })
}

/// Names the C function for fatal messages; interned, as `CFunction` keeps
/// `'static` names and the same few functions are called again and again.
fn interned(name: &str) -> &'static str {
    static NAMES: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    let names = names.get_or_insert_with(HashSet::new);
    if let Some(known) = names.get(name) {
        return known;
    }
    let name: &'static str = Box::leak(format!("ctypes function {name}").into_boxed_str());
    names.insert(name);
    name
}

/// `call_with_proxies(twin, values, object_positions, c_void_p,
/// returns_object, name)`: calls `twin` (a plain cdecl ctypes function at
/// the same address) inside the boundary, with each value at
/// `object_positions` passed as `c_void_p(borrowed proxy)`.
fn call_with_proxies(args: FuncArgs, vm: &VirtualMachine) -> PyResult {
    let (twin, values, positions, c_void_p, returns_object, name): (
        PyObjectRef,
        Vec<PyObjectRef>,
        rustpython_vm::PyRef<PyTuple>,
        PyObjectRef,
        bool,
        PyObjectRef,
    ) = args.bind(vm)?;
    let positions: Vec<usize> = positions
        .iter()
        .map(|p| p.try_to_value::<usize>(vm))
        .collect::<PyResult<_>>()?;
    let name = name.str(vm).map(|s| s.to_string()).unwrap_or_default();
    // The C API may be reached here before any extension was loaded.
    crate::startup::init(vm);
    boundary::call_into_c(vm, CFunction::Named(interned(&name)), || {
        let mut values = values;
        for &i in &positions {
            let address = borrow::borrowed(vm, &values[i]) as usize;
            values[i] = c_void_p.call((address,), vm)?;
        }
        let result = twin.call(values, vm);
        // CPython raises the exception C left pending, whatever C returned.
        let pending = error_indicator::take_exception(vm);
        let result = match (result, pending) {
            (Err(host_error), _) => return Err(host_error),
            (Ok(result), Some(exception)) => {
                if returns_object && let Some(address) = address_of(vm, &result)? {
                    proxy::decref(address as *mut crate::ffi::PyObject);
                }
                return Err(exception);
            }
            (Ok(result), None) => result,
        };
        if !returns_object {
            return Ok(result);
        }
        match address_of(vm, &result)? {
            None => Err(vm.new_value_error("PyObject is NULL".to_owned())),
            Some(address) => proxy::take(vm, address as *mut crate::ffi::PyObject),
        }
    })
}

/// A `c_void_p` result as an address: None is NULL.
fn address_of(vm: &VirtualMachine, result: &PyObjectRef) -> PyResult<Option<usize>> {
    if vm.is_none(result) {
        return Ok(None);
    }
    let address: usize = result.try_to_value(vm)?;
    Ok((address != 0).then_some(address))
}
