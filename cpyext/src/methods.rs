//! C functions (`PyMethodDef`) as host callables, and the Python-to-C call.
//!
//! Every call from Python into C goes through `call_c_function`: it takes
//! the GIL, opens a call frame (for borrowed references), converts the
//! arguments for the function's calling convention, and checks the result
//! against the error indicator the way CPython does.
use crate::borrow::CallFrame;
use crate::boundary::RunningFunction;
use crate::ffi::{self, PyObject};
use crate::{error_indicator, gil, proxy};
use rustpython_vm::function::{Callee, FuncArgs, ItemDoc, PyMethodFlags};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{CStr, c_int};

const CONVENTION_MASK: c_int =
    ffi::METH_VARARGS as c_int | ffi::METH_KEYWORDS as c_int | ffi::METH_NOARGS as c_int | ffi::METH_O as c_int | ffi::METH_FASTCALL as c_int;

/// What a host function needs to call one C function.
#[derive(Clone, Copy)]
struct CFunction {
    meth: usize,
    convention: c_int,
    /// The proxy passed as `self` (the module, for module functions).
    self_proxy: usize,
    name: &'static str,
    qualified: &'static str,
}

pub fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

pub unsafe fn c_str<'a>(p: *const std::ffi::c_char) -> Option<&'a str> {
    if p.is_null() { None } else { unsafe { CStr::from_ptr(p) }.to_str().ok() }
}

/// Builds the host function for one `PyMethodDef` of a module. Called once
/// per function at module creation (the definitions it leaks live as long as
/// the extension).
pub fn module_function(
    vm: &VirtualMachine,
    def: *const ffi::PyMethodDef,
    module: &PyObjectRef,
    module_name: &str,
) -> PyResult<PyObjectRef> {
    let def = unsafe { &*def };
    let name = unsafe { c_str(def.ml_name) }
        .ok_or_else(|| vm.new_system_error("a PyMethodDef has no valid ml_name".to_owned()))?;
    let convention = def.ml_flags & CONVENTION_MASK;
    let known = [
        ffi::METH_NOARGS,
        ffi::METH_O,
        ffi::METH_VARARGS,
        ffi::METH_VARARGS | ffi::METH_KEYWORDS,
        ffi::METH_FASTCALL,
        ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
    ];
    if !known.iter().any(|k| *k as c_int == convention) {
        return Err(vm.new_system_error(format!("{name}() method: bad call flags")));
    }
    let Some(meth) = def.ml_meth else {
        return Err(vm.new_system_error(format!("{name}() method: ml_meth is NULL")));
    };
    let module_proxy = proxy::new_ref(vm, module);
    proxy::make_immortal(module_proxy);
    let cfunc = CFunction {
        meth: meth as usize,
        convention,
        self_proxy: module_proxy as usize,
        name: leak_str(name.to_owned()),
        qualified: leak_str(format!("{module_name}.{name}")),
    };
    let doc = unsafe { c_str(def.ml_doc) }.map(|d| leak_str(d.to_owned()));
    let host_def = Box::leak(Box::new(rustpython_vm::function::PyMethodDef {
        name: cfunc.name,
        func: Box::leak(Box::new(move |vm: &VirtualMachine, args: FuncArgs, _: Callee| {
            call_c_function(vm, cfunc, args)
        })),
        flags: PyMethodFlags::empty(),
        doc: ItemDoc { text: doc, ..ItemDoc::NONE }.text,
    }));
    let function = host_def.to_function().with_module_object(module.clone()).into_ref(&vm.ctx);
    function.as_object().set_attr("__module__", vm.ctx.new_str(module_name), vm)?;
    Ok(function.into())
}

type NoArgs = unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject;
type WithKeywords = unsafe extern "C" fn(*mut PyObject, *mut PyObject, *mut PyObject) -> *mut PyObject;
type Fast = unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, ffi::Py_ssize_t) -> *mut PyObject;
type FastWithKeywords =
    unsafe extern "C" fn(*mut PyObject, *const *mut PyObject, ffi::Py_ssize_t, *mut PyObject) -> *mut PyObject;

fn call_c_function(vm: &VirtualMachine, f: CFunction, args: FuncArgs) -> PyResult {
    let _gil = gil::GilGuard::acquire(vm);
    let _frame = CallFrame::enter();
    let _running = RunningFunction::enter(f.qualified);
    let self_proxy = f.self_proxy as *mut PyObject;
    let FuncArgs { args, kwargs } = args;
    let result = unsafe {
        match f.convention as u32 {
            ffi::METH_NOARGS => {
                if !args.is_empty() || !kwargs.is_empty() {
                    if !kwargs.is_empty() {
                        return Err(vm.new_type_error(format!("{}() takes no keyword arguments", f.name)));
                    }
                    return Err(vm.new_type_error(format!("{}() takes no arguments ({} given)", f.name, args.len())));
                }
                std::mem::transmute::<usize, NoArgs>(f.meth)(self_proxy, std::ptr::null_mut())
            }
            ffi::METH_O => {
                if !kwargs.is_empty() {
                    return Err(vm.new_type_error(format!("{}() takes no keyword arguments", f.name)));
                }
                if args.len() != 1 {
                    return Err(vm.new_type_error(format!(
                        "{}() takes exactly one argument ({} given)",
                        f.name,
                        args.len()
                    )));
                }
                let arg = proxy::new_ref(vm, &args[0]);
                let r = std::mem::transmute::<usize, NoArgs>(f.meth)(self_proxy, arg);
                proxy::decref(arg);
                r
            }
            ffi::METH_VARARGS => {
                if !kwargs.is_empty() {
                    return Err(vm.new_type_error(format!("{}() takes no keyword arguments", f.name)));
                }
                let tuple = args_tuple(vm, &args);
                let r = std::mem::transmute::<usize, NoArgs>(f.meth)(self_proxy, tuple);
                proxy::decref(tuple);
                r
            }
            x if x == ffi::METH_VARARGS | ffi::METH_KEYWORDS => {
                let tuple = args_tuple(vm, &args);
                let dict = if kwargs.is_empty() {
                    std::ptr::null_mut()
                } else {
                    let d = vm.ctx.new_dict();
                    for (k, v) in kwargs {
                        let key: PyObjectRef = vm.ctx.new_str(k).into();
                        d.set_item(&*key, v, vm)?;
                    }
                    proxy::into_ref(vm, d.into())
                };
                let r = std::mem::transmute::<usize, WithKeywords>(f.meth)(self_proxy, tuple, dict);
                proxy::decref(tuple);
                proxy::xdecref(dict);
                r
            }
            ffi::METH_FASTCALL => {
                if !kwargs.is_empty() {
                    return Err(vm.new_type_error(format!("{}() takes no keyword arguments", f.name)));
                }
                let stack: Vec<*mut PyObject> = args.iter().map(|a| proxy::new_ref(vm, a)).collect();
                let r = std::mem::transmute::<usize, Fast>(f.meth)(self_proxy, stack.as_ptr(), stack.len() as isize);
                stack.into_iter().for_each(proxy::decref);
                r
            }
            _ => {
                let nargs = args.len();
                let mut stack: Vec<*mut PyObject> = args.iter().map(|a| proxy::new_ref(vm, a)).collect();
                let kwnames = if kwargs.is_empty() {
                    std::ptr::null_mut()
                } else {
                    let mut names = Vec::with_capacity(kwargs.len());
                    for (k, v) in kwargs {
                        names.push(vm.ctx.new_str(k).into());
                        stack.push(proxy::into_ref(vm, v));
                    }
                    proxy::into_ref(vm, vm.ctx.new_tuple(names).into())
                };
                let r = std::mem::transmute::<usize, FastWithKeywords>(f.meth)(
                    self_proxy,
                    stack.as_ptr(),
                    nargs as isize,
                    kwnames,
                );
                stack.into_iter().for_each(proxy::decref);
                proxy::xdecref(kwnames);
                r
            }
        }
    };
    check_result(vm, f.name, result)
}

/// The argument tuple for METH_VARARGS, made directly as a C tuple: a host
/// tuple is built only if C passes it back into Python.
fn args_tuple(vm: &VirtualMachine, args: &[PyObjectRef]) -> *mut PyObject {
    let tuple = proxy::new_pending(proxy::Layout::Tuple, proxy::tuple_size(args.len()), &raw mut crate::types::PyTuple_Type);
    unsafe {
        let t = tuple as *mut ffi::PyTupleObject;
        (*t).ob_base.ob_size = args.len() as isize;
        let items = (*t).ob_item.as_mut_ptr();
        for (i, a) in args.iter().enumerate() {
            *items.add(i) = proxy::new_ref(vm, a);
        }
    }
    tuple
}

/// Applies CPython's rules to what a C function returned.
pub fn check_result(vm: &VirtualMachine, name: &str, result: *mut PyObject) -> PyResult {
    if result.is_null() {
        return Err(error_indicator::take_exception(vm).unwrap_or_else(|| {
            vm.new_system_error(format!("<built-in function {name}> returned NULL without setting an exception"))
        }));
    }
    if let Some(cause) = error_indicator::take_exception(vm) {
        proxy::decref(result);
        let err = vm.new_system_error(format!("<built-in function {name}> returned a result with an exception set"));
        err.set_cause(Some(cause.clone()));
        err.set_context(Some(cause));
        return Err(err);
    }
    proxy::take(vm, result)
}

