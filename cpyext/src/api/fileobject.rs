//! fileobject.h: file objects from C, through the io module and the
//! objects' own methods, as CPython does.
use super::c_str_arg;
use crate::boundary::ApiData;
use crate::ffi::PyObject;
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyBytes, PyStr, PyStrRef};
use rustpython_vm::{AsObject, PyObjectRef, PyResult, VirtualMachine};
use crate::boundary::{CFunction, call_into_c_with, check_object};
use crate::error_indicator;
use std::ffi::{c_char, c_int, c_void};
use std::sync::OnceLock;

/// The filesystem encoding and its error handler (UTF-8 and
/// surrogateescape on this platform, as CPython in a UTF-8 locale).
#[unsafe(no_mangle)]
pub static mut Py_FileSystemDefaultEncoding: *const c_char = c"utf-8".as_ptr();
inventory::submit! { ApiData { name: "Py_FileSystemDefaultEncoding" } }
#[unsafe(no_mangle)]
pub static mut Py_FileSystemDefaultEncodeErrors: *const c_char = c"surrogateescape".as_ptr();
inventory::submit! { ApiData { name: "Py_FileSystemDefaultEncodeErrors" } }
#[unsafe(no_mangle)]
pub static mut Py_HasFileSystemDefaultEncoding: c_int = 0;
inventory::submit! { ApiData { name: "Py_HasFileSystemDefaultEncoding" } }
/// Whether UTF-8 mode is on. The host always works in UTF-8 and says so in
/// sys.flags.utf8_mode (1), so C sees the same.
#[unsafe(no_mangle)]
pub static mut Py_UTF8Mode: c_int = 1;
inventory::submit! { ApiData { name: "Py_UTF8Mode" } }

const PY_PRINT_RAW: c_int = 1;

fn optional_str(vm: &VirtualMachine, s: *const c_char) -> PyResult<PyObjectRef> {
    Ok(if s.is_null() { vm.ctx.none() } else { vm.ctx.new_str(c_str_arg(vm, s)?).into() })
}

/// open(fd, mode, buffering, encoding, errors, newline, closefd); `name`
/// is not used, as in CPython.
/// # Safety
/// The strings must be NULL or NUL-terminated.
#[cpython_api]
#[allow(clippy::too_many_arguments)]
unsafe fn PyFile_FromFd(vm: &VirtualMachine, fd: c_int, _name: *const c_char, mode: *const c_char, buffering: c_int, encoding: *const c_char, errors: *const c_char, newline: *const c_char, closefd: c_int) -> PyResult<*mut PyObject> {
    let io = crate::types::import_for_layer(vm, "io")?;
    // CPython hands a NULL mode to open() as None, which refuses it.
    if mode.is_null() {
        return Err(vm.new_type_error("open() argument 'mode' must be str, not None".to_owned()));
    }
    let mode = optional_str(vm, mode)?;
    let args: Vec<PyObjectRef> = vec![
        vm.ctx.new_int(fd).into(),
        mode,
        vm.ctx.new_int(buffering).into(),
        optional_str(vm, encoding)?,
        optional_str(vm, errors)?,
        optional_str(vm, newline)?,
        vm.ctx.new_bool(closefd != 0).into(),
    ];
    let file = io.get_attr("open", vm)?.call(args, vm)?;
    Ok(into_ref(vm, file))
}

/// f.readline() (n < 0: the newline is stripped, and EOF raises EOFError)
/// or f.readline(n).
#[cpython_api]
fn PyFile_GetLine(vm: &VirtualMachine, f: *mut PyObject, n: c_int) -> PyResult<*mut PyObject> {
    let Some(file) = opt_to_host(vm, f)? else {
        return Err(super::bad_internal_call(vm));
    };
    let line = if n <= 0 { vm.call_method(&file, "readline", ())? } else { vm.call_method(&file, "readline", (n,))? };
    let is_str = line.downcast_ref::<PyStr>().is_some();
    let is_bytes = line.downcast_ref::<PyBytes>().is_some();
    if !is_str && !is_bytes {
        return Err(vm.new_type_error("object.readline() returned non-string".to_owned()));
    }
    if n < 0 {
        let length = line.length(vm)?;
        if length == 0 {
            return Err(vm.new_exception_msg(vm.ctx.exceptions.eof_error.to_owned(), "EOF when reading a line".to_owned().into()));
        }
        if let Some(text) = line.downcast_ref::<PyStr>() {
            if let Some(stripped) = text.as_wtf8().as_bytes().strip_suffix(b"\n") {
                // SAFETY: removing a trailing ASCII byte keeps the WTF-8 valid.
                let stripped = unsafe { rustpython_vm::common::wtf8::Wtf8::from_bytes_unchecked(stripped) };
                return Ok(into_ref(vm, vm.ctx.new_str(stripped).into()));
            }
        } else if let Some(stripped) = line.downcast_ref::<PyBytes>().unwrap().as_bytes().strip_suffix(b"\n") {
            return Ok(into_ref(vm, vm.ctx.new_bytes(stripped.to_vec()).into()));
        }
    }
    Ok(into_ref(vm, line))
}

/// f.write(str(obj)) with Py_PRINT_RAW, else f.write(repr(obj)).
#[cpython_api]
fn PyFile_WriteObject(vm: &VirtualMachine, obj: *mut PyObject, f: *mut PyObject, flags: c_int) -> PyResult<c_int> {
    let Some(file) = opt_to_host(vm, f)? else {
        return Err(vm.new_type_error("writeobject with NULL file".to_owned()));
    };
    let obj = to_host(vm, obj)?;
    let text: PyObjectRef = if flags & PY_PRINT_RAW != 0 { obj.str(vm)?.into() } else { obj.repr(vm)?.into() };
    let write = file.get_attr("write", vm)?;
    crate::gil::without_gil(vm, || write.call((text,), vm))?;
    Ok(0)
}

/// f.write(s); -1 at once if an error is already pending.
/// # Safety
/// `s` must be a NUL-terminated string.
#[cpython_api]
unsafe fn PyFile_WriteString(vm: &VirtualMachine, s: *const c_char, f: *mut PyObject) -> PyResult<c_int> {
    if f.is_null() {
        if !crate::error_indicator::occurred() {
            return Err(vm.new_system_error("null file for PyFile_WriteString".to_owned()));
        }
        return Ok(-1);
    }
    if crate::error_indicator::occurred() {
        return Ok(-1);
    }
    let file = to_host(vm, f)?;
    let text = vm.ctx.new_str(c_str_arg(vm, s)?);
    let write = file.get_attr("write", vm)?;
    crate::gil::without_gil(vm, || write.call((text,), vm))?;
    Ok(0)
}

/// An int, or what o.fileno() returns (an int, not negative).
#[cpython_api]
fn PyObject_AsFileDescriptor(vm: &VirtualMachine, o: *mut PyObject) -> PyResult<c_int> {
    let o = to_host(vm, o)?;
    let value = if o.fast_isinstance(vm.ctx.types.int_type) {
        o
    } else {
        match vm.get_attribute_opt(&*o, "fileno")? {
            Some(fileno) => {
                let result = fileno.call((), vm)?;
                if !result.fast_isinstance(vm.ctx.types.int_type) {
                    return Err(vm.new_type_error("fileno() returned a non-integer".to_owned()));
                }
                result
            }
            None => return Err(vm.new_type_error("argument must be an int, or have a fileno() method.".to_owned())),
        }
    };
    let fd: c_int = value
        .try_into_value::<rustpython_vm::builtins::PyIntRef>(vm)?
        .as_bigint()
        .try_into()
        .map_err(|_| vm.new_overflow_error("Python int too large to convert to C int".to_owned()))?;
    if fd < 0 {
        return Err(vm.new_value_error(format!("file descriptor cannot be a negative integer ({fd})")));
    }
    Ok(fd)
}

/// fgets for at most n-1 bytes that turns "\r\n" and "\r" into "\n".
/// NULL at end of file with nothing read.
/// # Safety
/// `buf` must hold `n` bytes; `stream` must be a readable FILE.
#[cpython_api(no_gil)]
unsafe fn Py_UniversalNewlineFgets(buf: *mut c_char, n: c_int, stream: *mut libc::FILE, _fobj: *mut PyObject) -> *mut c_char {
    if n <= 0 || buf.is_null() || stream.is_null() {
        return std::ptr::null_mut();
    }
    let mut written = 0usize;
    let limit = (n - 1) as usize;
    // SAFETY: the caller passes a readable stream and a buffer of n bytes;
    // at most n-1 bytes and the NUL are written.
    unsafe {
                while written < limit {
            let c = libc::fgetc(stream);
            if c == libc::EOF {
                break;
            }
            let c = if c == b'\r' as c_int {
                // "\r\n" is one newline; a lone "\r" is one too.
                let next = libc::fgetc(stream);
                if next != b'\n' as c_int && next != libc::EOF {
                    libc::ungetc(next, stream);
                }
                b'\n' as c_int
            } else {
                c
            };
            *buf.add(written) = c as c_char;
            written += 1;
            if c == b'\n' as c_int {
                break;
            }
        }
        *buf.add(written) = 0;
    }
    if written == 0 { std::ptr::null_mut() } else { buf }
}

// --- open_code: how the interpreter opens code it runs or imports ---------------

/// A hook `PyFile_SetOpenCodeHook` installs: opens `path` (a str) for
/// reading bytes, or sets an exception and returns NULL.
pub type OpenCodeHook = unsafe extern "C" fn(path: *mut PyObject, user_data: *mut c_void) -> *mut PyObject;

/// The process's one open_code hook and its user data (an address).
static OPEN_CODE_HOOK: OnceLock<(OpenCodeHook, usize)> = OnceLock::new();

/// Opens `path` as `io.open_code` does: through the hook C set, if any,
/// else with `io.open(path, "rb")`.
fn open_code(vm: &VirtualMachine, path: PyStrRef) -> PyResult {
    let Some(&(hook, user_data)) = OPEN_CODE_HOOK.get() else {
        return vm.call_method(crate::types::import_for_layer(vm, "io")?.as_object(), "open", (path, "rb"));
    };
    let path: PyObjectRef = path.into();
    let result = call_into_c_with(vm, CFunction::Named("open_code hook"), &[&path], |args| {
        // SAFETY: the hook's contract (PyFile_SetOpenCodeHook): a str path
        // and the user data it was installed with.
        unsafe { hook(args[0], user_data as *mut c_void) }
    });
    check_object(vm, "open_code hook", result)
}

/// Points the Python-level `io.open_code` (and `_io.open_code`, which
/// importlib reads source through) at `open_code`, so the hook C installed
/// sees every file the interpreter opens as code, as in CPython. Nothing to
/// do while no hook is set: the host's own function is the same then.
pub(crate) fn install_open_code_hook(vm: &VirtualMachine) -> PyResult<()> {
    if OPEN_CODE_HOOK.get().is_none() {
        return Ok(());
    }
    let function = vm.new_function("open_code", |path: PyObjectRef, vm: &VirtualMachine| {
        // The argument check of CPython's io.open_code, in its words.
        let path = path.downcast::<PyStr>().map_err(|path| {
            vm.new_type_error(format!("open_code() argument 'path' must be str, not {}", crate::types::tp_name(vm, path.class())))
        })?;
        open_code(vm, path)
    });
    for module in ["_io", "io"] {
        vm.import(module, 0)?.set_attr("open_code", function.clone(), vm)?;
    }
    Ok(())
}

/// Stores the process's hook; false if one is already set. NULL stores
/// nothing, and is refused only once a hook is set.
fn set_open_code_hook(hook: Option<OpenCodeHook>, user_data: *mut c_void) -> bool {
    match hook {
        Some(hook) => OPEN_CODE_HOOK.set((hook, user_data as usize)).is_ok(),
        None => OPEN_CODE_HOOK.get().is_none(),
    }
}

/// `PyFile_SetOpenCodeHook` in a running interpreter: audited, refused with
/// a SystemError, and installed for Python code at once.
fn set_open_code_hook_running(vm: &VirtualMachine, hook: Option<OpenCodeHook>, user_data: *mut c_void) -> PyResult<()> {
    super::sysmodule::audit(vm, "setopencodehook", Vec::new())?;
    if !set_open_code_hook(hook, user_data) {
        return Err(vm.new_system_error("failed to change existing open_code hook".to_owned()));
    }
    install_open_code_hook(vm)
}

/// Installs the hook through which the interpreter opens every file it
/// runs or imports as code. Once per process: -1 for a second hook (with a
/// SystemError once the interpreter runs). Callable before start-up.
/// # Safety
/// `hook` must accept any str path with `user_data` for the rest of the
/// process.
#[cpython_api(no_gil)]
unsafe fn PyFile_SetOpenCodeHook(hook: Option<OpenCodeHook>, user_data: *mut c_void) -> c_int {
    let running = crate::gil::held()
        .then(|| rustpython_vm::vm::thread::try_with_current_vm(|vm| set_open_code_hook_running(vm, hook, user_data)))
        .flatten();
    match running {
        Some(Ok(())) => 0,
        Some(Err(e)) => {
            error_indicator::set_from_exception(e);
            -1
        }
        None if set_open_code_hook(hook, user_data) => 0,
        None => -1,
    }
}

/// The file `path` (a str) opened for reading bytes, through the open_code hook if one is set.
#[cpython_api]
fn PyFile_OpenCodeObject(vm: &VirtualMachine, path: *mut PyObject) -> PyResult<*mut PyObject> {
    let path = to_host(vm, path)?.downcast::<PyStr>().map_err(|path| {
        vm.new_type_error(format!("'path' must be 'str', not '{}'", crate::types::tp_name(vm, path.class())))
    })?;
    Ok(into_ref(vm, open_code(vm, path)?))
}

/// # Safety
/// `utf8path` must be a NUL-terminated string.
#[cpython_api]
unsafe fn PyFile_OpenCode(vm: &VirtualMachine, utf8path: *const c_char) -> PyResult<*mut PyObject> {
    let path = vm.ctx.new_str(c_str_arg(vm, utf8path)?);
    Ok(into_ref(vm, open_code(vm, path)?))
}

/// Py_UniversalNewlineFgets that also reports the number of bytes read.
/// # Safety
/// As for `Py_UniversalNewlineFgets`; `size` must be writable.
#[cpython_api(no_gil)]
unsafe fn _Py_UniversalNewlineFgetsWithSize(buf: *mut c_char, n: c_int, stream: *mut libc::FILE, fobj: *mut PyObject, size: *mut usize) -> *mut c_char {
    // SAFETY: forwarded under the caller's contract.
    let result = unsafe { Py_UniversalNewlineFgets(buf, n, stream, fobj) };
    // SAFETY: a non-NULL result is the NUL-terminated buffer; size is writable.
    unsafe { *size = if result.is_null() { 0 } else { libc::strlen(buf) } };
    result
}

/// An "O&" converter: stores `PyObject_AsFileDescriptor(o)` in `*(int *)ptr`;
/// 1, or 0 with the exception set.
/// # Safety
/// `ptr` must point at a writable int.
#[cpython_api]
unsafe fn _PyLong_FileDescriptor_Converter(o: *mut PyObject, ptr: *mut std::ffi::c_void) -> c_int {
    // SAFETY: an API function, called with C's own argument; -1 is only its
    // error value (a descriptor is never negative).
    let fd = unsafe { PyObject_AsFileDescriptor(o) };
    if fd == -1 {
        return 0;
    }
    // SAFETY: the caller passes a writable int.
    unsafe { *(ptr as *mut c_int) = fd };
    1
}

/// `stderrprinter`: the minimal file CPython writes to fd 1 or 2 before
/// `sys.stdout` and `sys.stderr` exist. The host has none, so it is a C type
/// of the layer's own (as instancemethod is), laid out as CPython's
/// `PyStdPrinter_Object`.
#[unsafe(no_mangle)]
pub static mut PyStdPrinter_Type: crate::ffi::PyTypeObject = unsafe { std::mem::zeroed() };
inventory::submit! { ApiData { name: "PyStdPrinter_Type" } }

#[repr(C)]
struct StdPrinter {
    ob_base: PyObject,
    fd: c_int,
}

static STD_PRINTER_READY: std::sync::Once = std::sync::Once::new();

/// The printer's descriptor.
///
/// # Safety
/// `o` must be a stderrprinter (the layer calls its methods on one only).
unsafe fn printer_fd(o: *mut PyObject) -> c_int {
    // SAFETY: the caller's contract.
    unsafe { (*(o as *mut StdPrinter)).fd }
}

/// `write(str)`: the text in UTF-8 (a lone surrogate backslash-escaped),
/// written to the descriptor at once; the count of bytes written, None if
/// the descriptor would block.
unsafe extern "C" fn printer_write(o: *mut PyObject, args: *mut PyObject) -> *mut PyObject {
    crate::boundary::enter_api("stderrprinter.write", true, |vm| {
        // SAFETY: called as a method of a stderrprinter.
        let fd = unsafe { printer_fd(o) };
        if fd < 0 {
            return Ok(into_ref(vm, vm.ctx.none()));
        }
        let args = to_host(vm, args)?;
        let args = args.downcast_ref::<rustpython_vm::builtins::PyTuple>().ok_or_else(|| super::bad_internal_call(vm))?;
        if args.len() != 1 {
            return Err(vm.new_type_error(format!("function takes exactly 1 argument ({} given)", args.len())));
        }
        let Some(text) = args[0].downcast_ref::<PyStr>() else {
            return Err(vm.new_type_error(format!("argument 1 must be str, not {}", args[0].class().name())));
        };
        let mut bytes = Vec::with_capacity(text.byte_len());
        for cp in text.as_wtf8().code_points() {
            match cp.to_char() {
                Some(c) => bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
                None => bytes.extend_from_slice(format!("\\u{:04x}", cp.to_u32()).as_bytes()),
            }
        }
        let written = loop {
            // SAFETY: writes from a live buffer of that length.
            let n = unsafe { libc::write(fd, bytes.as_ptr() as *const c_void, bytes.len()) };
            let err = std::io::Error::last_os_error();
            if n >= 0 {
                break n;
            }
            match err.raw_os_error() {
                Some(libc::EINTR) => rustpython_vm::signal::check_signals(vm)?,
                Some(libc::EAGAIN) => return Ok(into_ref(vm, vm.ctx.none())),
                _ => return Err(rustpython_vm::convert::IntoPyException::into_pyexception(err, vm)),
            }
        };
        Ok(into_ref(vm, vm.ctx.new_int(written).into()))
    })
}

unsafe extern "C" fn printer_fileno(o: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    // SAFETY: called as a method of a stderrprinter.
    let fd = unsafe { printer_fd(o) };
    crate::boundary::enter_api("stderrprinter.fileno", true, |vm| Ok(into_ref(vm, vm.ctx.new_int(fd).into())))
}

/// `flush()` and `close()`: nothing to do, as in CPython.
unsafe extern "C" fn printer_noop(_o: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    crate::boundary::enter_api("stderrprinter.flush", true, |vm| Ok(into_ref(vm, vm.ctx.none())))
}

unsafe extern "C" fn printer_isatty(o: *mut PyObject, _unused: *mut PyObject) -> *mut PyObject {
    // SAFETY: called as a method of a stderrprinter; isatty has no
    // precondition.
    let tty = unsafe { libc::isatty(printer_fd(o)) } == 1;
    crate::boundary::enter_api("stderrprinter.isatty", true, |vm| Ok(into_ref(vm, vm.ctx.new_bool(tty).into())))
}

unsafe extern "C" fn printer_closed(_o: *mut PyObject, _closure: *mut c_void) -> *mut PyObject {
    crate::boundary::enter_api("stderrprinter.closed", true, |vm| Ok(into_ref(vm, vm.ctx.new_bool(false).into())))
}

unsafe extern "C" fn printer_encoding(_o: *mut PyObject, _closure: *mut c_void) -> *mut PyObject {
    crate::boundary::enter_api("stderrprinter.encoding", true, |vm| Ok(into_ref(vm, vm.ctx.none())))
}

unsafe extern "C" fn printer_mode(_o: *mut PyObject, _closure: *mut c_void) -> *mut PyObject {
    crate::boundary::enter_api("stderrprinter.mode", true, |vm| Ok(into_ref(vm, vm.ctx.new_str("w").into())))
}

unsafe extern "C" fn printer_repr(o: *mut PyObject) -> *mut PyObject {
    // SAFETY: the type's repr slot, called on a stderrprinter.
    let fd = unsafe { printer_fd(o) };
    crate::boundary::enter_api("stderrprinter.__repr__", true, |vm| Ok(into_ref(vm, vm.ctx.new_str(format!("<stdprinter(fd={fd}) object at {o:p}>")).into())))
}

const fn method(name: &'static std::ffi::CStr, f: unsafe extern "C" fn(*mut PyObject, *mut PyObject) -> *mut PyObject, flags: u32) -> crate::ffi::PyMethodDef {
    crate::ffi::PyMethodDef { ml_name: name.as_ptr(), ml_meth: Some(f), ml_flags: flags as c_int, ml_doc: std::ptr::null() }
}

static mut STD_PRINTER_METHODS: [crate::ffi::PyMethodDef; 6] = [
    method(c"close", printer_noop, crate::ffi::METH_NOARGS),
    method(c"flush", printer_noop, crate::ffi::METH_NOARGS),
    method(c"fileno", printer_fileno, crate::ffi::METH_NOARGS),
    method(c"isatty", printer_isatty, crate::ffi::METH_NOARGS),
    method(c"write", printer_write, crate::ffi::METH_VARARGS),
    crate::ffi::PyMethodDef { ml_name: std::ptr::null(), ml_meth: None, ml_flags: 0, ml_doc: std::ptr::null() },
];

type Getter = unsafe extern "C" fn(*mut PyObject, *mut c_void) -> *mut PyObject;

const fn getter(name: &'static std::ffi::CStr, get: Getter, doc: &'static std::ffi::CStr) -> crate::ffi::PyGetSetDef {
    crate::ffi::PyGetSetDef { name: name.as_ptr(), get: Some(get), set: None, doc: doc.as_ptr(), closure: std::ptr::null_mut() }
}

static mut STD_PRINTER_GETSETS: [crate::ffi::PyGetSetDef; 4] = [
    getter(c"closed", printer_closed, c"True if the file is closed"),
    getter(c"encoding", printer_encoding, c"Encoding of the file"),
    getter(c"mode", printer_mode, c"String giving the file mode"),
    crate::ffi::PyGetSetDef { name: std::ptr::null(), get: None, set: None, doc: std::ptr::null(), closure: std::ptr::null_mut() },
];

/// Readies `PyStdPrinter_Type` (start-up does, so C may name it first).
pub(crate) fn ready_std_printer_type(vm: &VirtualMachine) -> PyResult<()> {
    let mut result = Ok(());
    STD_PRINTER_READY.call_once(|| {
        let tp = &raw mut PyStdPrinter_Type;
        // SAFETY: the static is filled once, here, before anything uses it.
        unsafe {
            (*tp).ob_base.ob_base.ob_refcnt = 1;
            (*tp).tp_name = c"stderrprinter".as_ptr();
            (*tp).tp_basicsize = size_of::<StdPrinter>() as crate::ffi::Py_ssize_t;
            (*tp).tp_flags = crate::ffi::Py_TPFLAGS_DEFAULT as u64;
            (*tp).tp_repr = Some(printer_repr);
            (*tp).tp_methods = (&raw mut STD_PRINTER_METHODS).cast();
            (*tp).tp_getset = (&raw mut STD_PRINTER_GETSETS).cast();
        }
        result = crate::ctype::ready(vm, tp);
    });
    result
}

/// A stderrprinter writing to `fd`, which must be that of C's stdout or
/// stderr: for any other, NULL with no exception set, as CPython (whose
/// early start-up has no exceptions to raise).
#[cpython_api]
fn PyFile_NewStdPrinter(vm: &VirtualMachine, fd: c_int) -> PyResult<*mut PyObject> {
    if fd != libc::STDOUT_FILENO && fd != libc::STDERR_FILENO {
        return Ok(std::ptr::null_mut());
    }
    ready_std_printer_type(vm)?;
    let o = crate::ctype::alloc_instance(vm, &raw mut PyStdPrinter_Type, 0)?;
    // SAFETY: `o` is a fresh stderrprinter struct.
    unsafe { (*(o as *mut StdPrinter)).fd = fd };
    Ok(o)
}
