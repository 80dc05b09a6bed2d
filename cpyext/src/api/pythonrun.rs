//! pythonrun.h: compiling and running Python source from C, through the
//! host's compile() and eval().
use super::c_str_arg;
use crate::ffi::{self, PyObject};
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};
use std::sync::Mutex;

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
            let external = crate::types::import_for_layer(vm, "_frozen_importlib_external")?;
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
        let text = format!("TypeError: print_exception(): Exception expected for value, {} found\n", crate::types::tp_name(vm, value.class()));
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

// --- reading a line for input() ----------------------------------------------------

type ReadlineFunction = unsafe extern "C" fn(*mut libc::FILE, *mut libc::FILE, *const c_char) -> *mut c_char;

/// Called while a line is awaited, if C sets it (the layer's own reader
/// calls it before each read).
#[unsafe(no_mangle)]
pub static mut PyOS_InputHook: Option<unsafe extern "C" fn() -> c_int> = None;
inventory::submit! { crate::boundary::ApiData { name: "PyOS_InputHook" } }

/// The reader PyOS_Readline calls; C may replace it (as readline modules do).
#[unsafe(no_mangle)]
pub static mut PyOS_ReadlineFunctionPointer: Option<ReadlineFunction> = Some(stdio_readline);
inventory::submit! { crate::boundary::ApiData { name: "PyOS_ReadlineFunctionPointer" } }

/// The default reader: the prompt to stderr, then one line (any length,
/// newline kept) from `input` into PyMem_RawMalloc memory; "" at end of file.
unsafe extern "C" fn stdio_readline(input: *mut libc::FILE, _output: *mut libc::FILE, prompt: *const c_char) -> *mut c_char {
    // SAFETY: C streams and a NUL-terminated prompt, as PyOS_Readline's
    // caller guarantees; the buffer grows before every write.
    unsafe {
        let stderr = crate::api::pythonrun::c_stderr();
        if !prompt.is_null() {
            libc::fputs(prompt, stderr);
        }
        libc::fflush(stderr);
        let mut line: Vec<u8> = Vec::new();
        loop {
            if let Some(hook) = PyOS_InputHook {
                hook();
            }
            let c = libc::fgetc(input);
            if c == libc::EOF {
                break;
            }
            line.push(c as u8);
            if c == b'\n' as c_int {
                break;
            }
        }
        let out = super::pymem::domain_malloc(super::pymem::DOMAIN_RAW, line.len() + 1) as *mut c_char;
        if out.is_null() {
            return std::ptr::null_mut();
        }
        std::ptr::copy_nonoverlapping(line.as_ptr() as *const c_char, out, line.len());
        *out.add(line.len()) = 0;
        out
    }
}

/// The C library's stderr stream.
pub(crate) fn c_stderr() -> *mut libc::FILE {
    unsafe extern "C" {
        static mut stderr: *mut libc::FILE;
    }
    // SAFETY: reading the C library's stream pointer.
    unsafe { stderr }
}

/// The thread state of the thread inside PyOS_Readline (NULL outside it),
/// with which a reader takes the GIL back (PyEval_RestoreThread) to run
/// Python code, releasing it again before it returns.
#[unsafe(no_mangle)]
pub static mut _PyOS_ReadlineTState: *mut ffi::PyThreadState = std::ptr::null_mut();
inventory::submit! { crate::boundary::ApiData { name: "_PyOS_ReadlineTState" } }

/// Reads a line, the GIL released: with PyOS_ReadlineFunctionPointer when
/// both streams are terminals, else with the plain reader (as CPython); the
/// result is PyMem_Malloc memory ("" at end of file), or NULL with an
/// exception (KeyboardInterrupt, or MemoryError). While the reader runs,
/// _PyOS_ReadlineTState holds the caller's thread state; a call from inside
/// a reader on the same thread is a RuntimeError.
/// # Safety
/// `input` and `output` must be open streams; `prompt` NULL or NUL-terminated.
#[cpython_api]
unsafe fn PyOS_Readline(vm: &VirtualMachine, input: *mut libc::FILE, output: *mut libc::FILE, prompt: *const c_char) -> PyResult<*mut c_char> {
    let tstate = super::pystate::this_thread_state();
    // SAFETY: the exported pointer is only written under the GIL, held here.
    if unsafe { _PyOS_ReadlineTState } == tstate {
        return Err(vm.new_runtime_error("can't re-enter readline".to_owned()));
    }
    // SAFETY: the caller passes open streams; reading the exported pointer.
    let terminals = unsafe { libc::isatty(libc::fileno(input)) != 0 && libc::isatty(libc::fileno(output)) != 0 };
    let reader = if terminals { unsafe { PyOS_ReadlineFunctionPointer }.unwrap_or(stdio_readline) } else { stdio_readline };
    // Only one thread reads at a time (CPython's readline lock), taken
    // without the GIL.
    static READING: Mutex<()> = Mutex::new(());
    // SAFETY: under the GIL (see above); the reader may read the pointer.
    unsafe { _PyOS_ReadlineTState = tstate };
    // The GIL is left as Py_BEGIN_ALLOW_THREADS leaves it, so that the
    // reader can take it back with PyEval_RestoreThread(_PyOS_ReadlineTState)
    // (and leave it again with PyEval_SaveThread) before returning.
    // SAFETY: API functions called on this thread, which holds the GIL.
    let saved = unsafe { super::ceval::PyEval_SaveThread() };
    let lock = READING.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: the reader is called as specified, with the caller's streams.
    let raw = unsafe { reader(input, output, prompt) };
    drop(lock);
    // SAFETY: the state PyEval_SaveThread returned above, on this thread.
    unsafe { super::ceval::PyEval_RestoreThread(saved) };
    // SAFETY: the GIL is held again.
    unsafe { _PyOS_ReadlineTState = std::ptr::null_mut() };
    if raw.is_null() {
        if crate::error_indicator::occurred() {
            return Ok(std::ptr::null_mut());
        }
        return Err(vm.new_exception_empty(vm.ctx.exceptions.keyboard_interrupt.to_owned()));
    }
    // SAFETY: the reader returned a NUL-terminated PyMem_RawMalloc string.
    let length = unsafe { libc::strlen(raw) };
    let copy = super::pymem::domain_malloc(super::pymem::DOMAIN_MEM, length + 1) as *mut c_char;
    if !copy.is_null() {
        // SAFETY: `copy` holds length + 1 bytes.
        unsafe { std::ptr::copy_nonoverlapping(raw, copy, length + 1) };
    }
    super::pymem::domain_free(super::pymem::DOMAIN_RAW, raw as *mut std::ffi::c_void);
    if copy.is_null() {
        return Err(crate::error_indicator::no_memory(vm));
    }
    Ok(copy)
}

// --- interactive input -----------------------------------------------------------

/// PyRun_InteractiveOne's result at end of input (CPython's E_EOF).
const END_OF_INPUT: c_int = 11;

/// The C library's stdout stream.
fn c_stdout() -> *mut libc::FILE {
    unsafe extern "C" {
        static mut stdout: *mut libc::FILE;
    }
    // SAFETY: reading the C library's stream pointer.
    unsafe { stdout }
}

/// str(sys.NAME), or "" when sys has no such attribute.
fn sys_prompt(vm: &VirtualMachine, name: &'static str) -> PyResult<String> {
    match vm.sys_module.get_attr(name, vm) {
        Ok(prompt) => Ok(prompt.str(vm)?.to_string()),
        Err(_) => Ok(String::new()),
    }
}

/// One line of `fp` through PyOS_Readline, after `prompt`; None at end of
/// input.
/// # Safety
/// `fp` must be a readable stream.
unsafe fn read_interactive_line(vm: &VirtualMachine, fp: *mut libc::FILE, prompt: &str) -> PyResult<Option<String>> {
    let prompt = std::ffi::CString::new(prompt.replace('\0', "")).unwrap_or_default();
    // SAFETY: a readable stream, the C library's stdout and a C string.
    let line = unsafe { PyOS_Readline(fp, c_stdout(), prompt.as_ptr()) };
    if line.is_null() {
        return Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| super::bad_internal_call(vm)));
    }
    // SAFETY: PyOS_Readline returns a NUL-terminated PyMem_Malloc string.
    let text = unsafe { std::ffi::CStr::from_ptr(line) }.to_string_lossy().into_owned();
    super::pymem::domain_free(super::pymem::DOMAIN_MEM, line as *mut std::ffi::c_void);
    Ok((!text.is_empty()).then_some(text))
}

/// Reads one interactive statement from `fp` (prompting with sys.ps1, then
/// sys.ps2 while it is incomplete, as the interactive shell does) and runs
/// it in __main__, printing an expression's value. Ok(END_OF_INPUT) at the
/// end of the input.
/// # Safety
/// `fp` must be a readable stream; `flags` NULL or valid.
unsafe fn interactive_statement(vm: &VirtualMachine, fp: *mut libc::FILE, filename: PyObjectRef, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    let codeop = crate::types::import_for_layer(vm, "codeop")?;
    let compile_command = codeop.get_attr("compile_command", vm)?;
    let mut source = String::new();
    // A compound statement ends at a blank line, as in the shell.
    let mut compound = false;
    loop {
        let prompt = sys_prompt(vm, if source.is_empty() { "ps1" } else { "ps2" })?;
        // SAFETY: forwarded under the caller's contract.
        let Some(line) = (unsafe { read_interactive_line(vm, fp, &prompt)? }) else {
            if source.is_empty() {
                return Ok(END_OF_INPUT);
            }
            break;
        };
        let blank = line.trim().is_empty();
        if source.is_empty() && blank {
            continue;
        }
        source.push_str(&line);
        // codeop answers None while more lines are needed; a syntax error
        // shows in the compile below.
        match compile_command.call((source.as_str(), filename.clone(), "single"), vm) {
            Ok(code) if vm.is_none(&code) => compound = true,
            Ok(_) if compound && !blank => {}
            _ => break,
        }
    }
    let globals = main_dict(vm)?;
    // SAFETY: forwarded under the caller's contract.
    let code = unsafe { compile_source(vm, &source, filename, ffi::Py_single_input as c_int, flags, -1)? };
    run_code(vm, code, globals.clone(), globals)?;
    if let Ok(out) = vm.sys_module.get_attr("stdout", vm) {
        let _ = vm.call_method(&out, "flush", ());
    }
    Ok(0)
}

/// Reads and runs one statement: 0, -1 after printing an exception, or
/// E_EOF (11) at the end of the input.
/// # Safety
/// `fp` must be a readable stream; `flags` NULL or valid.
#[cpython_api]
unsafe fn PyRun_InteractiveOneObject(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *mut PyObject, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    if fp.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    let filename = to_host(vm, filename)?;
    // SAFETY: forwarded under the caller's contract.
    match unsafe { interactive_statement(vm, fp, filename, flags) } {
        Ok(status) => Ok(status),
        Err(e) => {
            print_error(vm, e);
            Ok(-1)
        }
    }
}

/// # Safety
/// As for `PyRun_InteractiveOneObject`, with `filename` NUL-terminated.
#[cpython_api]
unsafe fn PyRun_InteractiveOneFlags(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *const c_char, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    let name = crate::borrow::borrowed(vm, &vm.ctx.new_str(c_str_arg(vm, filename)?).into());
    // SAFETY: forwarded under the caller's contract.
    Ok(unsafe { PyRun_InteractiveOneObject(fp, name, flags) })
}

/// # Safety
/// As for `PyRun_InteractiveOneFlags`.
#[cpython_api]
unsafe fn PyRun_InteractiveOne(fp: *mut libc::FILE, filename: *const c_char) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_InteractiveOneFlags(fp, filename, std::ptr::null_mut()) }
}

/// Reads and runs statements until the end of the input, printing each
/// error and going on; sys.ps1 and sys.ps2 get their usual values if
/// unset. Returns 0.
/// # Safety
/// As for `PyRun_InteractiveOneFlags`.
#[cpython_api]
unsafe fn PyRun_InteractiveLoopFlags(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *const c_char, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    for (name, value) in [("ps1", ">>> "), ("ps2", "... ")] {
        if vm.sys_module.get_attr(name, vm).is_err() {
            vm.sys_module.set_attr(name, vm.ctx.new_str(value), vm)?;
        }
    }
    let name = crate::borrow::borrowed(vm, &vm.ctx.new_str(c_str_arg(vm, filename)?).into());
    loop {
        // SAFETY: forwarded under the caller's contract.
        if unsafe { PyRun_InteractiveOneObject(fp, name, flags) } == END_OF_INPUT {
            return Ok(0);
        }
    }
}

/// # Safety
/// As for `PyRun_InteractiveLoopFlags`.
#[cpython_api]
unsafe fn PyRun_InteractiveLoop(fp: *mut libc::FILE, filename: *const c_char) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_InteractiveLoopFlags(fp, filename, std::ptr::null_mut()) }
}

/// An interactive stream (Py_FdIsInteractive) runs statement by statement,
/// anything else as a file in __main__.
/// # Safety
/// As for `PyRun_SimpleFileExFlags`; `filename` may be NULL ("???").
#[cpython_api]
unsafe fn PyRun_AnyFileExFlags(fp: *mut libc::FILE, filename: *const c_char, closeit: c_int, flags: *mut ffi::PyCompilerFlags) -> c_int {
    let filename = if filename.is_null() { c"???".as_ptr() } else { filename };
    // SAFETY: forwarded under the caller's contract.
    unsafe {
        if Py_FdIsInteractive(fp, filename) != 0 {
            let status = PyRun_InteractiveLoopFlags(fp, filename, flags);
            if closeit != 0 {
                libc::fclose(fp);
            }
            status
        } else {
            PyRun_SimpleFileExFlags(fp, filename, closeit, flags)
        }
    }
}

/// # Safety
/// As for `PyRun_AnyFileExFlags`.
#[cpython_api]
unsafe fn PyRun_AnyFile(fp: *mut libc::FILE, filename: *const c_char) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_AnyFileExFlags(fp, filename, 0, std::ptr::null_mut()) }
}

/// # Safety
/// As for `PyRun_AnyFileExFlags`.
#[cpython_api]
unsafe fn PyRun_AnyFileEx(fp: *mut libc::FILE, filename: *const c_char, closeit: c_int) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_AnyFileExFlags(fp, filename, closeit, std::ptr::null_mut()) }
}

/// # Safety
/// As for `PyRun_AnyFileExFlags`.
#[cpython_api]
unsafe fn PyRun_AnyFileFlags(fp: *mut libc::FILE, filename: *const c_char, flags: *mut ffi::PyCompilerFlags) -> c_int {
    // SAFETY: forwarded under the caller's contract.
    unsafe { PyRun_AnyFileExFlags(fp, filename, 0, flags) }
}

// --- the forms with a file name object (cpython/pythonrun.h) -------------------

/// A file name object as the C string the `const char *` forms take.
fn filename_text(vm: &VirtualMachine, filename: *mut PyObject) -> PyResult<std::ffi::CString> {
    let name = to_host(vm, filename)?;
    let Some(name) = name.downcast_ref::<rustpython_vm::builtins::PyStr>() else {
        return Err(vm.new_type_error(format!("expected str for the file name, not {}", crate::types::tp_name(vm, name.class()))));
    };
    std::ffi::CString::new(name.to_string_lossy().into_owned()).map_err(|_| vm.new_value_error("embedded null character".to_owned()))
}

/// PyRun_SimpleFileExFlags with the file name as a str object.
/// # Safety
/// As for `PyRun_SimpleFileExFlags`; `filename` a live str.
#[cpython_api]
unsafe fn _PyRun_SimpleFileObject(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *mut PyObject, closeit: c_int, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    let name = filename_text(vm, filename)?;
    // SAFETY: forwarded under the caller's contract.
    Ok(unsafe { PyRun_SimpleFileExFlags(fp, name.as_ptr(), closeit, flags) })
}

/// PyRun_InteractiveLoopFlags with the file name as an object.
/// # Safety
/// As for `PyRun_InteractiveOneObject`.
#[cpython_api]
unsafe fn _PyRun_InteractiveLoopObject(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *mut PyObject, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    let name = filename_text(vm, filename)?;
    // SAFETY: forwarded under the caller's contract.
    Ok(unsafe { PyRun_InteractiveLoopFlags(fp, name.as_ptr(), flags) })
}

/// PyRun_AnyFileExFlags with the file name as an object (NULL: "???").
/// # Safety
/// As for `PyRun_AnyFileExFlags`; `filename` NULL or a live str.
#[cpython_api]
unsafe fn _PyRun_AnyFileObject(vm: &VirtualMachine, fp: *mut libc::FILE, filename: *mut PyObject, closeit: c_int, flags: *mut ffi::PyCompilerFlags) -> PyResult<c_int> {
    let name = if filename.is_null() { c"???".to_owned() } else { filename_text(vm, filename)? };
    // SAFETY: forwarded under the caller's contract.
    Ok(unsafe { PyRun_AnyFileExFlags(fp, name.as_ptr(), closeit, flags) })
}

/// The source text of `cmd` for compile()-like functions: a str (as UTF-8;
/// PyCF_IGNORE_COOKIE is added to `cf`), bytes, a bytearray or any object
/// with the buffer interface (copied to a new bytes object stored in
/// `*cmd_copy`, which the caller releases). TypeError names `funcname` and
/// `what` for anything else; SyntaxError if the text holds a NUL.
/// # Safety
/// `cmd` a live object; `funcname` and `what` NUL-terminated; `cf` and
/// `cmd_copy` writable.
#[cpython_api]
unsafe fn _Py_SourceAsString(vm: &VirtualMachine, cmd: *mut PyObject, funcname: *const c_char, what: *const c_char, cf: *mut ffi::PyCompilerFlags, cmd_copy: *mut *mut PyObject) -> PyResult<*const c_char> {
    use rustpython_vm::builtins::{PyByteArray, PyBytes, PyStr};
    // SAFETY: the caller's contract.
    unsafe { *cmd_copy = std::ptr::null_mut() };
    let object = to_host(vm, cmd)?;
    let taken = |p: *const c_char| {
        if p.is_null() { Err(crate::error_indicator::take_exception(vm).unwrap_or_else(|| super::bad_internal_call(vm))) } else { Ok(p) }
    };
    let (text, size) = if object.downcast_ref::<PyStr>().is_some() {
        // SAFETY: the caller's contract.
        unsafe { (*cf).cf_flags |= PYCF_IGNORE_COOKIE };
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: a live str and a local out-parameter.
        (taken(unsafe { super::unicodeobject::PyUnicode_AsUTF8AndSize(cmd, &mut size) })?, size as usize)
    } else if let Some(bytes) = object.downcast_ref::<PyBytes>() {
        // SAFETY: a live bytes object.
        (taken(unsafe { super::bytesobject::PyBytes_AsString(cmd) } as *const c_char)?, bytes.as_bytes().len())
    } else if let Some(array) = object.downcast_ref::<PyByteArray>() {
        // SAFETY: a live bytearray.
        (taken(unsafe { super::bytearrayobject::PyByteArray_AsString(cmd) } as *const c_char)?, array.borrow_buf().len())
    } else if let Ok(buffer) = <rustpython_vm::protocol::PyBuffer as rustpython_vm::TryFromBorrowedObject>::try_from_borrowed_object(vm, &object) {
        let data = buffer.contiguous_or_collect(|b| b.to_vec());
        let copy = into_ref(vm, vm.ctx.new_bytes(data.clone()).into());
        // SAFETY: the caller's contract; the caller owns the new reference.
        unsafe { *cmd_copy = copy };
        // SAFETY: the new bytes object, alive while the caller holds it.
        (taken(unsafe { super::bytesobject::PyBytes_AsString(copy) } as *const c_char)?, data.len())
    } else {
        let funcname = c_str_arg(vm, funcname)?;
        let what = c_str_arg(vm, what)?;
        return Err(vm.new_type_error(format!("{funcname}() arg 1 must be a {what} object")));
    };
    // SAFETY: every branch gave a NUL-terminated buffer of `size` bytes.
    if unsafe { libc::strlen(text) } != size {
        // SAFETY: the caller's contract; the copy (if any) is ours to drop.
        unsafe {
            crate::proxy::xdecref(*cmd_copy);
            *cmd_copy = std::ptr::null_mut();
        }
        return Err(vm.new_exception_msg(vm.ctx.exceptions.syntax_error.to_owned(), "source code string cannot contain null bytes".to_owned().into()));
    }
    Ok(text)
}
