//! pythonrun.h: compiling and running Python source from C, through the
//! host's compile() and eval().
use super::c_str_arg;
use crate::ffi::{self, PyObject};
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

const PYCF_SOURCE_IS_UTF8: c_int = 0x0100;
const PYCF_IGNORE_COOKIE: c_int = 0x0800;
const PY_FUNC_TYPE_INPUT: c_int = 345;

/// compile()'s mode for a start symbol.
fn mode_of(vm: &VirtualMachine, start: c_int) -> PyResult<&'static str> {
    Ok(match start {
        s if s == ffi::Py_eval_input as c_int => "eval",
        s if s == ffi::Py_file_input as c_int => "exec",
        s if s == ffi::Py_single_input as c_int => "single",
        PY_FUNC_TYPE_INPUT => "func_type",
        _ => return Err(vm.new_value_error("compile() mode must be 'exec', 'eval' or 'single'".to_owned())),
    })
}

/// compile(source, filename, mode, flags, dont_inherit=True, optimize): a
/// code object, or an AST with PyCF_ONLY_AST.
/// # Safety
/// `flags` must be NULL or point to a PyCompilerFlags.
unsafe fn compile_source(vm: &VirtualMachine, source: &str, filename: PyObjectRef, start: c_int, flags: *mut ffi::PyCompilerFlags, optimize: c_int) -> PyResult<PyObjectRef> {
    let mode = mode_of(vm, start)?;
    // SAFETY: the caller passes NULL or a valid PyCompilerFlags.
    let cf_flags = if flags.is_null() { 0 } else { unsafe { (*flags).cf_flags } };
    // The source is always text here, so the encoding flags have no meaning
    // for compile() (which would refuse them).
    let cf_flags = cf_flags & !(PYCF_SOURCE_IS_UTF8 | PYCF_IGNORE_COOKIE);
    let compile = vm.builtins.get_attr("compile", vm)?;
    let args = rustpython_vm::function::FuncArgs::new(
        vec![vm.ctx.new_str(source).into(), filename, vm.ctx.new_str(mode).into(), vm.ctx.new_int(cf_flags).into(), vm.ctx.new_bool(true).into(), vm.ctx.new_int(optimize).into()],
        rustpython_vm::function::KwArgs::default(),
    );
    compile.call(args, vm)
}

/// Runs a code object: the value of an expression, else None.
fn run_code(vm: &VirtualMachine, code: PyObjectRef, globals: PyObjectRef, locals: PyObjectRef) -> PyResult<PyObjectRef> {
    vm.builtins.get_attr("eval", vm)?.call((code, globals, locals), vm)
}

/// # Safety
/// `str` and `filename` must be NUL-terminated; `flags` NULL or valid.
#[cpython_api]
unsafe fn Py_CompileStringExFlags(vm: &VirtualMachine, source: *const c_char, filename: *const c_char, start: c_int, flags: *mut ffi::PyCompilerFlags, optimize: c_int) -> PyResult<*mut PyObject> {
    let source = c_str_arg(vm, source)?;
    let filename = vm.ctx.new_str(c_str_arg(vm, filename)?).into();
    // SAFETY: forwarded under the caller's contract.
    Ok(into_ref(vm, unsafe { compile_source(vm, source, filename, start, flags, optimize)? }))
}

/// # Safety
/// As for `Py_CompileStringExFlags`, with `filename` an object.
#[cpython_api]
unsafe fn Py_CompileStringObject(vm: &VirtualMachine, source: *const c_char, filename: *mut PyObject, start: c_int, flags: *mut ffi::PyCompilerFlags, optimize: c_int) -> PyResult<*mut PyObject> {
    let source = c_str_arg(vm, source)?;
    let filename = to_host(vm, filename)?;
    // SAFETY: forwarded under the caller's contract.
    Ok(into_ref(vm, unsafe { compile_source(vm, source, filename, start, flags, optimize)? }))
}

/// # Safety
/// `str` and `filename` must be NUL-terminated.
#[cpython_api]
unsafe fn Py_CompileString(source: *const c_char, filename: *const c_char, start: c_int) -> *mut PyObject {
    // SAFETY: forwarded under the caller's contract.
    unsafe { Py_CompileStringExFlags(source, filename, start, std::ptr::null_mut(), -1) }
}

/// Runs `source` as a module body (Py_file_input), an expression
/// (Py_eval_input) or an interactive statement (Py_single_input), with the
/// given namespaces; returns the expression's value or None.
/// # Safety
/// `source` must be NUL-terminated; `flags` NULL or valid.
#[cpython_api]
unsafe fn PyRun_StringFlags(vm: &VirtualMachine, source: *const c_char, start: c_int, globals: *mut PyObject, locals: *mut PyObject, flags: *mut ffi::PyCompilerFlags) -> PyResult<*mut PyObject> {
    let source = c_str_arg(vm, source)?;
    let globals = opt_to_host(vm, globals)?.unwrap_or_else(|| vm.ctx.none());
    let locals = opt_to_host(vm, locals)?.unwrap_or_else(|| globals.clone());
    // SAFETY: forwarded under the caller's contract.
    let code = unsafe { compile_source(vm, source, vm.ctx.new_str("<string>").into(), start, flags, -1)? };
    Ok(into_ref(vm, run_code(vm, code, globals, locals)?))
}

/// # Safety
/// As for `PyRun_StringFlags`.
#[cpython_api]
unsafe fn PyRun_String(source: *const c_char, start: c_int, globals: *mut PyObject, locals: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_StringFlags(source, start, globals, locals, std::ptr::null_mut()) }
}

/// The __main__ module's dict.
fn main_dict(vm: &VirtualMachine) -> PyResult<PyObjectRef> {
    let modules = vm.sys_module.get_attr("modules", vm)?;
    let main = match modules.get_item("__main__", vm) {
        Ok(m) => m,
        Err(_) => {
            let m = super::moduleobject::new_module(vm, "__main__");
            modules.set_item("__main__", m.clone(), vm)?;
            m
        }
    };
    main.get_attr("__dict__", vm)
}

/// Prints the pending exception as PyErr_Print does.
fn print_error(vm: &VirtualMachine, error: rustpython_vm::builtins::PyBaseExceptionRef) {
    let _ = vm;
    crate::error_indicator::set_from_exception(error);
    // SAFETY: an API function with no arguments, called with the GIL held.
    unsafe { super::pyerrors::PyErr_Print() };
}

/// Runs `command` in __main__; 0, or -1 after printing the exception.
/// # Safety
/// `command` must be NUL-terminated; `flags` NULL or valid.
#[cpython_api]
unsafe fn PyRun_SimpleStringFlags(vm: &VirtualMachine, command: *const c_char, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    let command = c_str_arg(vm, command)?;
    let dict = main_dict(vm)?;
    // SAFETY: forwarded under the caller's contract.
    let run = || -> PyResult<PyObjectRef> {
        let code = unsafe { compile_source(vm, command, vm.ctx.new_str("<string>").into(), ffi::Py_file_input as c_int, flags, -1)? };
        run_code(vm, code, dict.clone(), dict.clone())
    };
    match run() {
        Ok(_) => Ok(0),
        Err(e) => {
            print_error(vm, e);
            Ok(-1)
        }
    }
}

/// # Safety
/// `command` must be NUL-terminated.
#[cpython_api]
unsafe fn PyRun_SimpleString(command: *const c_char) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_SimpleStringFlags(command, std::ptr::null_mut()) }
}

/// Everything left in a C stream, as text.
/// # Safety
/// `fp` must be a readable FILE.
unsafe fn read_stream(vm: &VirtualMachine, fp: *mut libc::FILE) -> PyResult<String> {
    if fp.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        // SAFETY: the caller passes a readable stream; chunk is writable.
        let n = unsafe { libc::fread(chunk.as_mut_ptr().cast(), 1, chunk.len(), fp) };
        bytes.extend_from_slice(&chunk[..n]);
        if n < chunk.len() {
            break;
        }
    }
    String::from_utf8(bytes).map_err(|e| {
        let raw = vm.ctx.new_bytes(e.into_bytes());
        vm.call_method(raw.as_ref(), "decode", ("utf-8",)).err().unwrap_or_else(|| super::bad_internal_call(vm))
    })
}

/// Runs the rest of a C stream as source named `filename`; `closeit`
/// closes the stream afterwards.
/// # Safety
/// `fp` must be a readable FILE, `filename` NUL-terminated, `flags` NULL or valid.
#[cpython_api]
#[allow(clippy::too_many_arguments)]
unsafe fn PyRun_FileExFlags(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *const c_char, start: c_int, globals: *mut PyObject, locals: *mut PyObject, closeit: c_int, flags: *mut ffi::PyCompilerFlags) -> PyResult<*mut PyObject> {
    // SAFETY: forwarded under the caller's contract.
    let source = unsafe { read_stream(vm, fp) };
    if closeit != 0 && !fp.is_null() {
        // SAFETY: the caller gave the stream to be closed.
        unsafe { libc::fclose(fp) };
    }
    let source = source?;
    let filename: PyObjectRef = vm.ctx.new_str(c_str_arg(vm, filename)?).into();
    let globals = to_host(vm, globals)?;
    let locals = opt_to_host(vm, locals)?.unwrap_or_else(|| globals.clone());
    // SAFETY: forwarded under the caller's contract.
    let code = unsafe { compile_source(vm, &source, filename, start, flags, -1)? };
    Ok(into_ref(vm, run_code(vm, code, globals, locals)?))
}

/// # Safety
/// As for `PyRun_FileExFlags`.
#[cpython_api]
unsafe fn PyRun_File(fp: *mut libc::FILE, filename: *const c_char, start: c_int, globals: *mut PyObject, locals: *mut PyObject) -> *mut PyObject {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_FileExFlags(fp, filename, start, globals, locals, 0, std::ptr::null_mut()) }
}

/// # Safety
/// As for `PyRun_FileExFlags`.
#[cpython_api]
unsafe fn PyRun_FileEx(fp: *mut libc::FILE, filename: *const c_char, start: c_int, globals: *mut PyObject, locals: *mut PyObject, closeit: c_int) -> *mut PyObject {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_FileExFlags(fp, filename, start, globals, locals, closeit, std::ptr::null_mut()) }
}

/// # Safety
/// As for `PyRun_FileExFlags`.
#[cpython_api]
unsafe fn PyRun_FileFlags(fp: *mut libc::FILE, filename: *const c_char, start: c_int, globals: *mut PyObject, locals: *mut PyObject, flags: *mut ffi::PyCompilerFlags) -> *mut PyObject {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_FileExFlags(fp, filename, start, globals, locals, 0, flags) }
}

/// Runs a source file in __main__, with __file__ and __cached__ set for
/// the run when __main__ has no __file__, and __loader__ a
/// SourceFileLoader (except for "<stdin>"); 0, or -1 after printing the
/// exception.
/// # Safety
/// As for `PyRun_FileExFlags`.
#[cpython_api]
unsafe fn PyRun_SimpleFileExFlags(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *const c_char, closeit: c_int, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    let name = c_str_arg(vm, filename)?;
    let dict = main_dict(vm)?;
    let set_file_name = dict.get_item("__file__", vm).is_err();
    if set_file_name {
        dict.set_item("__file__", vm.ctx.new_str(name).into(), vm)?;
        dict.set_item("__cached__", vm.ctx.none(), vm)?;
    }
    let run = || -> PyResult<PyObjectRef> {
        if name != "<stdin>" {
            let external = vm.import("_frozen_importlib_external", 0)?;
            let loader = external.get_attr("SourceFileLoader", vm)?.call(("__main__", name), vm)?;
            dict.set_item("__loader__", loader, vm)?;
        }
        // SAFETY: forwarded under the caller's contract.
        let result = unsafe { PyRun_FileExFlags(fp, filename, ffi::Py_file_input as c_int, proxy_of(vm, &dict), proxy_of(vm, &dict), closeit, flags) };
        match crate::error_indicator::take_exception(vm) {
            Some(e) => Err(e),
            None => crate::proxy::take(vm, result),
        }
    };
    let status = match run() {
        Ok(_) => 0,
        Err(e) => {
            print_error(vm, e);
            -1
        }
    };
    if set_file_name {
        let _ = dict.del_item("__file__", vm);
        let _ = dict.del_item("__cached__", vm);
    }
    Ok(status)
}

/// A borrowed proxy for the duration of the call.
fn proxy_of(vm: &VirtualMachine, object: &PyObjectRef) -> *mut PyObject {
    crate::borrow::borrowed(vm, object)
}

/// # Safety
/// As for `PyRun_FileExFlags`.
#[cpython_api]
unsafe fn PyRun_SimpleFile(fp: *mut libc::FILE, filename: *const c_char) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_SimpleFileExFlags(fp, filename, 0, std::ptr::null_mut()) }
}

/// # Safety
/// As for `PyRun_FileExFlags`.
#[cpython_api]
unsafe fn PyRun_SimpleFileEx(fp: *mut libc::FILE, filename: *const c_char, closeit: c_int) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_SimpleFileExFlags(fp, filename, closeit, std::ptr::null_mut()) }
}

/// Prints an exception with its traceback to sys.stderr (without calling
/// sys.excepthook); to the C stderr when sys.stderr is None or missing.
#[cpython_api]
fn PyErr_Display(vm: &VirtualMachine, _type: *mut PyObject, value: *mut PyObject, tb: *mut PyObject) -> PyResult<()> {
    let value = to_host(vm, value)?;
    let Ok(exc) = value.clone().downcast::<rustpython_vm::builtins::PyBaseException>() else {
        // CPython prints the repr-less form for a non-exception value.
        let text = format!("TypeError: print_exception(): Exception expected for value, {} found\n", value.class().name());
        write_stderr(vm, &text);
        return Ok(());
    };
    if let Some(tb) = opt_to_host(vm, tb)? {
        if exc.__traceback__().is_none() && !vm.is_none(&tb) {
            let _ = exc.as_object().set_attr("__traceback__", tb, vm);
        }
    }
    let mut text = String::new();
    let _ = vm.write_exception(&mut text, &exc);
    write_stderr(vm, &text);
    Ok(())
}

fn write_stderr(vm: &VirtualMachine, text: &str) {
    match vm.sys_module.get_attr("stderr", vm) {
        Ok(stderr) if !vm.is_none(&stderr) => {
            let _ = vm.call_method(&stderr, "write", (text,));
            let _ = vm.call_method(&stderr, "flush", ());
        }
        _ => eprint!("{text}"),
    }
}

/// Whether a stream is a terminal (or, with Py_InteractiveFlag, stands for
/// standard input by its name).
/// # Safety
/// `fp` must be an open FILE; `filename` NULL or NUL-terminated.
#[cpython_api]
unsafe fn Py_FdIsInteractive(fp: *mut libc::FILE, filename: *const c_char) -> c_int {
    // SAFETY: the caller passes an open stream.
    if unsafe { libc::isatty(libc::fileno(fp)) } != 0 {
        return 1;
    }
    // SAFETY: reading an exported int.
    if unsafe { super::pydebug::Py_InteractiveFlag } == 0 {
        return 0;
    }
    if filename.is_null() {
        return 1;
    }
    // SAFETY: the caller passes a NUL-terminated name.
    let name = unsafe { std::ffi::CStr::from_ptr(filename) }.to_bytes();
    (name == b"<stdin>" || name == b"???") as c_int
}
