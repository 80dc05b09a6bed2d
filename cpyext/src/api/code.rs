//! code.h: code objects.
//!
//! Code objects are the host's. C gets CPython's `PyCodeObject` layout with
//! the descriptive fields filled in when the proxy is made (code objects are
//! immutable, so they never go stale); the bytecode fields stay NULL, since
//! RustPython's bytecode is not CPython's.
//!
//! `PyCode_NewEmpty` makes a code object whose body fetches its own frame.
//! `PyFrame_New` (api/frameobject.rs) runs it to get a real host frame for
//! the code, which is the only way to make a frame from outside the VM.
use super::c_str_arg;
use crate::ffi::{PyCodeObject, PyObject};
use crate::proxy::{into_ref, new_ref, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyBytes, PyCode, PyStr, PyTuple};
use rustpython_vm::compiler::Mode;
use rustpython_vm::function::{FuncArgs, KwArgs};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// The co_flags bits CPython 3.11 defines; RustPython has a few of its own
/// above them, which C must not see.
const CPYTHON_CO_FLAGS: u32 = 0x03bf | 0x01fe_0000;

/// The code object behind a `PyCodeObject *`, or CPython's SystemError.
pub(crate) fn code_arg(vm: &VirtualMachine, code: *mut PyCodeObject) -> PyResult<PyRef<PyCode>> {
    to_host(vm, code as *mut PyObject)?.downcast::<PyCode>().map_err(|_| super::bad_internal_call(vm))
}

/// A C file name, decoded as CPython's `PyUnicode_DecodeFSDefault` does.
pub(crate) fn fs_decode(vm: &VirtualMachine, name: *const c_char) -> PyResult<PyObjectRef> {
    if name.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: the caller passes a NUL-terminated C string (checked non-NULL above).
    let raw = unsafe { std::ffi::CStr::from_ptr(name) }.to_bytes();
    match std::str::from_utf8(raw) {
        Ok(text) => Ok(vm.ctx.new_str(text).into()),
        Err(_) => {
            let bytes: PyObjectRef = vm.ctx.new_bytes(raw.to_vec()).into();
            crate::types::import_for_layer(vm, "os")?.get_attr("fsdecode", vm)?.call((bytes,), vm)
        }
    }
}

/// `code.replace(**changes)`.
fn replace(vm: &VirtualMachine, code: &PyRef<PyCode>, changes: Vec<(&str, PyObjectRef)>) -> PyResult<PyRef<PyCode>> {
    let mut kwargs = KwArgs::default();
    for (key, value) in changes {
        kwargs.insert(key.into(), value);
    }
    let replaced = vm.call_method(code.as_object(), "replace", FuncArgs::new(Vec::new(), kwargs))?;
    replaced.downcast::<PyCode>().map_err(|_| vm.new_type_error("code.replace() did not return a code object".to_owned()))
}

fn compile(vm: &VirtualMachine, source: &str, mode: Mode, filename: &PyObjectRef) -> PyResult<PyRef<PyCode>> {
    let path = filename.str(vm)?.as_wtf8().to_string();
    let code = vm.compile(source, mode, path).map_err(|e| e.into_pyexception(vm, Some(source)))?;
    // The compiler takes a Rust string; a file name that is not valid
    // Unicode (surrogates from fsdecode) is put back as it was.
    replace(vm, &code, vec![("co_filename", filename.clone())])
}

/// An empty code object at `filename:firstlineno` named `name`
/// (`PyCode_NewEmpty`'s): its body is the host's `None`, which uses no
/// names.
pub(crate) fn empty_code(vm: &VirtualMachine, filename: &PyObjectRef, name: &PyObjectRef, firstlineno: c_int) -> PyResult<PyRef<PyCode>> {
    let code = compile(vm, "None", Mode::Eval, filename)?;
    // Every instruction is at the first line (as the one instruction of
    // CPython's empty code), so a traceback entry at any of them, and the
    // frame's line, is `firstlineno`. The host has no line 0.
    let units = code.code.instructions.len();
    let linetable = vm.ctx.new_bytes(single_line_table(units));
    replace(
        vm,
        &code,
        vec![
            ("co_name", name.clone()),
            ("co_qualname", name.clone()),
            ("co_firstlineno", vm.ctx.new_int(firstlineno.max(1)).into()),
            ("co_linetable", linetable.into()),
        ],
    )
}

/// A location table (CPython 3.11's format, which the host shares) that
/// puts `units` code units all at co_firstlineno, with no columns: entries
/// of the "no columns" kind (13) for up to 8 units each, line delta 0.
fn single_line_table(units: usize) -> Vec<u8> {
    const NO_COLUMNS: u8 = 13;
    let mut table = Vec::new();
    let mut left = units;
    while left > 0 {
        let length = left.min(8);
        table.push(0x80 | (NO_COLUMNS << 3) | (length as u8 - 1));
        table.push(0); // signed varint 0: same line as before
        left -= length;
    }
    table
}

/// # Safety
/// `filename` and `funcname` are NUL-terminated strings.
#[cpython_api]
unsafe fn PyCode_NewEmpty(vm: &VirtualMachine, filename: *const c_char, funcname: *const c_char, firstlineno: c_int) -> PyResult<*mut PyCodeObject> {
    let filename = fs_decode(vm, filename)?;
    let name: PyObjectRef = vm.ctx.new_str(c_str_arg(vm, funcname)?).into();
    let code = empty_code(vm, &filename, &name, firstlineno)?;
    Ok(into_ref(vm, code.into()) as *mut PyCodeObject)
}

/// The arguments of PyCode_New*, checked as CPython checks them.
struct CodeParts {
    argcount: c_int,
    posonlyargcount: c_int,
    kwonlyargcount: c_int,
    nlocals: c_int,
    stacksize: c_int,
    flags: c_int,
    names: PyObjectRef,
    varnames: PyObjectRef,
    freevars: PyObjectRef,
    cellvars: PyObjectRef,
    filename: PyObjectRef,
    name: PyObjectRef,
    qualname: PyObjectRef,
    firstlineno: c_int,
}

#[allow(clippy::too_many_arguments)]
fn new_code(vm: &VirtualMachine, parts: CodeParts, code: *mut PyObject, consts: *mut PyObject, linetable: *mut PyObject, exceptiontable: *mut PyObject) -> PyResult<*mut PyCodeObject> {
    let is = |p: *mut PyObject, check: fn(&PyObjectRef) -> bool| -> PyResult<bool> {
        Ok(!p.is_null() && check(&to_host(vm, p)?))
    };
    let is_bytes = |o: &PyObjectRef| o.downcast_ref::<PyBytes>().is_some();
    let is_tuple = |o: &PyObjectRef| o.downcast_ref::<PyTuple>().is_some();
    let is_str = |o: &PyObjectRef| o.downcast_ref::<PyStr>().is_some();
    let valid = parts.argcount >= parts.posonlyargcount
        && parts.posonlyargcount >= 0
        && parts.kwonlyargcount >= 0
        && parts.nlocals >= 0
        && parts.stacksize >= 0
        && parts.flags >= 0
        && is(code, is_bytes)?
        && is(consts, is_tuple)?
        && is_tuple(&parts.names)
        && is_tuple(&parts.varnames)
        && is_tuple(&parts.freevars)
        && is_tuple(&parts.cellvars)
        && is_str(&parts.name)
        && is_str(&parts.qualname)
        && is_str(&parts.filename)
        && is(linetable, is_bytes)?
        && is(exceptiontable, is_bytes)?;
    if !valid {
        return Err(super::bad_internal_call(vm));
    }
    // The body is the host's `pass`: CPython bytecode cannot run here, and
    // the constants, line table and exception table that go with it would
    // describe other instructions, so the template's are kept.
    let template = compile(vm, "pass", Mode::Exec, &parts.filename)?;
    let nlocals = parts.varnames.downcast_ref::<PyTuple>().map_or(0, |t| t.len());
    let int = |v: c_int| -> PyObjectRef { vm.ctx.new_int(v).into() };
    let made = replace(
        vm,
        &template,
        vec![
            ("co_argcount", int(parts.argcount)),
            ("co_posonlyargcount", int(parts.posonlyargcount)),
            ("co_kwonlyargcount", int(parts.kwonlyargcount)),
            ("co_nlocals", vm.ctx.new_int(nlocals).into()),
            ("co_stacksize", int(parts.stacksize.max(1))),
            ("co_flags", int(parts.flags)),
            ("co_names", parts.names),
            ("co_varnames", parts.varnames),
            ("co_freevars", parts.freevars),
            ("co_cellvars", parts.cellvars),
            ("co_name", parts.name),
            ("co_qualname", parts.qualname),
            ("co_firstlineno", int(parts.firstlineno.max(1))),
        ],
    )?;
    Ok(into_ref(vm, made.into()) as *mut PyCodeObject)
}

fn arg(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyObjectRef> {
    if p.is_null() { Err(super::bad_internal_call(vm)) } else { to_host(vm, p) }
}

/// # Safety
/// Every object argument is NULL or a live object.
#[allow(clippy::too_many_arguments)]
#[cpython_api]
unsafe fn PyCode_NewWithPosOnlyArgs(
    vm: &VirtualMachine,
    argcount: c_int,
    posonlyargcount: c_int,
    kwonlyargcount: c_int,
    nlocals: c_int,
    stacksize: c_int,
    flags: c_int,
    code: *mut PyObject,
    consts: *mut PyObject,
    names: *mut PyObject,
    varnames: *mut PyObject,
    freevars: *mut PyObject,
    cellvars: *mut PyObject,
    filename: *mut PyObject,
    name: *mut PyObject,
    qualname: *mut PyObject,
    firstlineno: c_int,
    linetable: *mut PyObject,
    exceptiontable: *mut PyObject,
) -> PyResult<*mut PyCodeObject> {
    let parts = CodeParts {
        argcount,
        posonlyargcount,
        kwonlyargcount,
        nlocals,
        stacksize,
        flags,
        names: arg(vm, names)?,
        varnames: arg(vm, varnames)?,
        freevars: arg(vm, freevars)?,
        cellvars: arg(vm, cellvars)?,
        filename: arg(vm, filename)?,
        name: arg(vm, name)?,
        qualname: arg(vm, qualname)?,
        firstlineno,
    };
    new_code(vm, parts, code, consts, linetable, exceptiontable)
}

/// # Safety
/// Every object argument is NULL or a live object.
#[allow(clippy::too_many_arguments)]
#[cpython_api]
unsafe fn PyCode_New(
    vm: &VirtualMachine,
    argcount: c_int,
    kwonlyargcount: c_int,
    nlocals: c_int,
    stacksize: c_int,
    flags: c_int,
    code: *mut PyObject,
    consts: *mut PyObject,
    names: *mut PyObject,
    varnames: *mut PyObject,
    freevars: *mut PyObject,
    cellvars: *mut PyObject,
    filename: *mut PyObject,
    name: *mut PyObject,
    qualname: *mut PyObject,
    firstlineno: c_int,
    linetable: *mut PyObject,
    exceptiontable: *mut PyObject,
) -> PyResult<*mut PyCodeObject> {
    let parts = CodeParts {
        argcount,
        posonlyargcount: 0,
        kwonlyargcount,
        nlocals,
        stacksize,
        flags,
        names: arg(vm, names)?,
        varnames: arg(vm, varnames)?,
        freevars: arg(vm, freevars)?,
        cellvars: arg(vm, cellvars)?,
        filename: arg(vm, filename)?,
        name: arg(vm, name)?,
        qualname: arg(vm, qualname)?,
        firstlineno,
    };
    new_code(vm, parts, code, consts, linetable, exceptiontable)
}

/// The line of the instruction at byte offset `addrq`; a negative offset
/// (no instruction run yet) is the first line.
#[cpython_api]
fn PyCode_Addr2Line(vm: &VirtualMachine, code: *mut PyCodeObject, addrq: c_int) -> PyResult<c_int> {
    Ok(code_arg(vm, code)?.addr2line(addrq))
}

/// # Safety
/// The four output pointers are valid for writes.
#[cpython_api]
unsafe fn PyCode_Addr2Location(vm: &VirtualMachine, code: *mut PyCodeObject, addrq: c_int, start_line: *mut c_int, start_column: *mut c_int, end_line: *mut c_int, end_column: *mut c_int) -> PyResult<c_int> {
    let code = code_arg(vm, code)?;
    let (line, column, last_line, last_column) = if addrq < 0 {
        let first = code.code.first_line_number.map_or(0, |n| n.get() as c_int);
        (first, 0, first, 0)
    } else {
        // co_positions() has one (line, end_line, column, end_column) per
        // instruction; None is CPython's -1.
        let positions = vm.call_method(code.as_object(), "co_positions", ())?;
        let entry = positions.get_iter(vm)?.iter::<PyObjectRef>(vm)?.nth(addrq as usize / 2).transpose()?;
        let field = |t: &PyObjectRef, i: usize| -> PyResult<c_int> {
            let v = t.get_item(&i, vm)?;
            if vm.is_none(&v) { Ok(-1) } else { v.try_into_value::<c_int>(vm) }
        };
        match entry {
            Some(t) => (field(&t, 0)?, field(&t, 2)?, field(&t, 1)?, field(&t, 3)?),
            None => (-1, -1, -1, -1),
        }
    };
    // SAFETY: the caller passes four writable int pointers.
    unsafe {
        *start_line = line;
        *start_column = column;
        *end_line = last_line;
        *end_column = last_column;
    }
    Ok(1)
}

/// Returns `code` (a new reference): RustPython's compiler has already
/// optimised it, as CPython 3.11's does.
#[cpython_api]
fn PyCode_Optimize(vm: &VirtualMachine, code: *mut PyObject, _consts: *mut PyObject, _names: *mut PyObject, _lnotab: *mut PyObject) -> PyResult<*mut PyObject> {
    Ok(new_ref(vm, &to_host(vm, code)?))
}

fn code_attr(vm: &VirtualMachine, code: *mut PyCodeObject, name: &'static str) -> PyResult<*mut PyObject> {
    let code = code_arg(vm, code)?;
    Ok(into_ref(vm, code.as_object().get_attr(name, vm)?))
}

include!(concat!(env!("OUT_DIR"), "/opcodes_311.rs"));

/// The host's opcode numbers (3.14's) mapped to CPython 3.11's by name, the
/// numbers `include/opcode.h` gives C; an opcode 3.11 lacks becomes NOP.
static HOST_TO_311: std::sync::OnceLock<[u8; 256]> = std::sync::OnceLock::new();

fn opcode_translation(vm: &VirtualMachine) -> PyResult<&'static [u8; 256]> {
    if let Some(table) = HOST_TO_311.get() {
        return Ok(table);
    }
    let names: Vec<String> = crate::types::import_for_layer(vm, "opcode")?.get_attr("opname", vm)?.try_to_value(vm)?;
    let nop = OPCODES_311.iter().find(|(n, _)| *n == "NOP").map_or(9, |(_, v)| *v);
    let mut table = [nop; 256];
    for (host, name) in names.iter().enumerate().take(256) {
        if let Some((_, ours)) = OPCODES_311.iter().find(|(n, _)| n == name) {
            table[host] = *ours;
        }
    }
    Ok(HOST_TO_311.get_or_init(|| table))
}

/// `co_code` with CPython 3.11's opcode numbers, which C compares against
/// `include/opcode.h` (coverage checks for RESUME after YIELD_VALUE). Each
/// code unit keeps its place and argument, so `f_lasti` still lines up.
#[cpython_api]
fn PyCode_GetCode(vm: &VirtualMachine, code: *mut PyCodeObject) -> PyResult<*mut PyObject> {
    let code = code_arg(vm, code)?;
    let host = code.as_object().get_attr("co_code", vm)?;
    let Some(bytes) = host.downcast_ref::<rustpython_vm::builtins::PyBytes>() else {
        return Ok(into_ref(vm, host));
    };
    let table = opcode_translation(vm)?;
    let mut units = bytes.as_bytes().to_vec();
    for unit in units.chunks_mut(2) {
        unit[0] = table[unit[0] as usize];
    }
    Ok(into_ref(vm, vm.ctx.new_bytes(units).into()))
}

#[cpython_api]
fn PyCode_GetVarnames(vm: &VirtualMachine, code: *mut PyCodeObject) -> PyResult<*mut PyObject> {
    code_attr(vm, code, "co_varnames")
}

#[cpython_api]
fn PyCode_GetCellvars(vm: &VirtualMachine, code: *mut PyCodeObject) -> PyResult<*mut PyObject> {
    code_attr(vm, code, "co_cellvars")
}

#[cpython_api]
fn PyCode_GetFreevars(vm: &VirtualMachine, code: *mut PyCodeObject) -> PyResult<*mut PyObject> {
    code_attr(vm, code, "co_freevars")
}

/// `tp_basicsize` and `tp_itemsize` of the types whose proxies carry a C
/// struct ending in a variable part (code, frame, generator kinds), as
/// CPython counts them: the fixed part, then one item. Their sum covers the
/// header's struct, which the proxy holds, so Cython's size check passes.
pub(crate) fn struct_type_sizes(vm: &VirtualMachine, cls: &Py<rustpython_vm::builtins::PyType>) -> Option<(usize, usize)> {
    let types = &vm.ctx.types;
    if cls.is(types.code_type) {
        // Items are _Py_CODEUNITs (u16), which bindgen leaves out.
        Some((std::mem::offset_of!(PyCodeObject, co_code_adaptive), size_of::<u16>()))
    } else if cls.is(types.frame_type) {
        Some((std::mem::offset_of!(super::frameobject::FrameStruct, f_frame_data), size_of::<*mut PyObject>()))
    } else if cls.is(types.traceback_type) {
        Some((size_of::<crate::ffi::PyTracebackObject>(), 0))
    } else if [types.generator_type, types.coroutine_type, types.async_generator].iter().any(|t| cls.is(*t)) {
        Some((std::mem::offset_of!(crate::ffi::PyGenObject, gi_iframe), size_of::<*mut PyObject>()))
    } else {
        None
    }
}

/// The size of the C struct a proxy of `obj` carries, for the host objects
/// whose proxies have one beyond the header (code objects, frames,
/// tracebacks and StopIteration).
/// Called by `proxy::make_proxy`.
pub(crate) fn proxy_struct_size(vm: &VirtualMachine, obj: &PyObjectRef) -> Option<usize> {
    let class = obj.class();
    if class.is(vm.ctx.types.code_type) {
        Some(size_of::<PyCodeObject>())
    } else if class.is(vm.ctx.types.frame_type) {
        Some(super::frameobject::FRAME_STRUCT_SIZE)
    } else if class.is(vm.ctx.types.traceback_type) {
        Some(size_of::<crate::ffi::PyTracebackObject>())
    } else if class.fast_issubclass(vm.ctx.exceptions.stop_iteration) {
        // Cython reads `((PyStopIterationObject *)exc)->value` directly.
        Some(size_of::<crate::ffi::PyStopIterationObject>())
    } else {
        None
    }
}

/// Fills the struct of a new proxy of a code object, frame, traceback or
/// StopIteration (zeroed memory of `proxy_struct_size` bytes). Called by
/// `proxy::make_proxy`.
pub(crate) fn fill_proxy_struct(vm: &VirtualMachine, obj: &PyObjectRef, proxy: *mut PyObject) {
    if let Some(code) = obj.downcast_ref::<PyCode>() {
        fill_code_struct(vm, code, proxy as *mut PyCodeObject);
    } else if obj.class().is(vm.ctx.types.frame_type) {
        super::frameobject::fill_frame_struct(proxy);
    } else if obj.class().is(vm.ctx.types.traceback_type) {
        super::traceback::fill_traceback_struct(vm, obj, proxy as *mut crate::ffi::PyTracebackObject);
    } else {
        fill_stop_iteration_struct(vm, obj, proxy as *mut crate::ffi::PyStopIterationObject);
    }
}

/// Gives back the references a proxy's struct owns, as its proxy is freed
/// (a traceback's `tb_next` and `tb_frame`). Called by `proxy::release_now`
/// while the proxy still has its host.
pub(crate) fn release_proxy_struct(host: &PyObjectRef, proxy: *mut PyObject) {
    if host.downcast_ref::<rustpython_vm::builtins::PyTraceback>().is_some() {
        super::traceback::release_traceback_struct(proxy as *mut crate::ffi::PyTracebackObject);
    }
}

/// StopIteration's `value`, as a borrowed reference (valid until the
/// current call from Python returns, like the layer's other borrowed
/// references); the other exception fields stay NULL.
fn fill_stop_iteration_struct(vm: &VirtualMachine, obj: &PyObjectRef, out: *mut crate::ffi::PyStopIterationObject) {
    let value = obj.get_attr("value", vm).unwrap_or_else(|_| vm.ctx.none());
    let value = crate::borrow::borrowed(vm, &value);
    // SAFETY: `out` is the zeroed struct of a proxy just made with
    // `proxy_struct_size` bytes for this StopIteration; the GIL is held.
    unsafe { (*out).value = value };
}

/// A proxy for an interned string that is never freed: the host keeps
/// interned strings for ever, so C may hold the pointer without a reference.
fn immortal_str(vm: &VirtualMachine, s: &Py<PyStr>) -> *mut PyObject {
    let proxy = new_ref(vm, &s.to_owned().into());
    crate::proxy::make_immortal(proxy);
    proxy
}

fn fill_code_struct(vm: &VirtualMachine, code: &PyCode, out: *mut PyCodeObject) {
    let c = &code.code;
    let varnames: Vec<&str> = c.varnames.iter().map(|s| s.as_str()).collect();
    let args = (c.arg_count + c.kwonlyarg_count) as usize
        + c.flags.contains(rustpython_vm::bytecode::CodeFlags::VARARGS) as usize
        + c.flags.contains(rustpython_vm::bytecode::CodeFlags::VARKEYWORDS) as usize;
    // A cell that is also an argument shares the argument's slot.
    let arg_cells = c.cellvars.iter().filter(|cell| varnames.iter().take(args).any(|v| *v == cell.as_str())).count();
    let plain_cells = c.cellvars.len() - arg_cells;
    // SAFETY: `out` is the zeroed struct of a proxy just made with
    // `proxy_struct_size` bytes for this code object; the GIL is held.
    unsafe {
        (*out).co_flags = (c.flags.bits() & CPYTHON_CO_FLAGS) as c_int;
        (*out).co_argcount = c.arg_count as c_int;
        (*out).co_posonlyargcount = c.posonlyarg_count as c_int;
        (*out).co_kwonlyargcount = c.kwonlyarg_count as c_int;
        (*out).co_stacksize = c.max_stackdepth as c_int;
        (*out).co_firstlineno = c.first_line_number.map_or(0, |n| n.get() as c_int);
        (*out).co_nlocals = varnames.len() as c_int;
        (*out).co_ncellvars = c.cellvars.len() as c_int;
        (*out).co_nplaincellvars = plain_cells as c_int;
        (*out).co_nfreevars = c.freevars.len() as c_int;
        (*out).co_nlocalsplus = (varnames.len() + plain_cells + c.freevars.len()) as c_int;
        (*out).co_filename = immortal_str(vm, code.source_path());
        (*out).co_name = immortal_str(vm, c.obj_name);
        (*out).co_qualname = immortal_str(vm, c.qualname);
        (*out)._co_firsttraceable = 0;
    }
}

// --- extra slots (_PyEval_RequestCodeExtraIndex, _PyCode_SetExtra) ---------------

/// CPython's MAX_CO_EXTRA_USERS: indexes run from 0 to one less than it,
/// exclusive.
const MAX_CO_EXTRA_USERS: usize = 255;

/// The free functions of the indexes handed out, in order.
static EXTRA_FREE_FUNCS: std::sync::Mutex<Vec<crate::ffi::freefunc>> = std::sync::Mutex::new(Vec::new());

/// What C stored in one code object; `CODE_DEATHS` frees it when the code
/// object goes.
struct CodeExtras {
    values: Vec<usize>,
}

/// The watches of code objects with extras: the code object's address.
static CODE_DEATHS: crate::death_watch::DeathWatches<usize> =
    crate::death_watch::DeathWatches::new("_cpyext_code_extras", code_with_extras_died);

/// A code object with extras died: its values go to their free functions.
fn code_with_extras_died(_watch: crate::death_watch::WatchKey, key: usize, vm: &VirtualMachine) {
    let gone = CODE_EXTRAS.lock().unwrap_or_else(|e| e.into_inner()).as_mut().and_then(|all| all.remove(&key));
    if let Some(gone) = gone {
        let _gil = crate::gil::GilGuard::acquire(vm);
        for (i, value) in gone.values.into_iter().enumerate() {
            free_extra(i, value);
        }
    }
}

/// The extras of live code objects, by host object address.
static CODE_EXTRAS: std::sync::Mutex<Option<std::collections::HashMap<usize, CodeExtras>>> = std::sync::Mutex::new(None);

/// A new extra index with its free function, or -1 when none are left.
pub(crate) fn request_extra_index(free: crate::ffi::freefunc) -> crate::ffi::Py_ssize_t {
    let mut funcs = EXTRA_FREE_FUNCS.lock().unwrap_or_else(|e| e.into_inner());
    if funcs.len() >= MAX_CO_EXTRA_USERS - 1 {
        return -1;
    }
    funcs.push(free);
    (funcs.len() - 1) as crate::ffi::Py_ssize_t
}

fn extra_free_func(index: usize) -> crate::ffi::freefunc {
    EXTRA_FREE_FUNCS.lock().unwrap_or_else(|e| e.into_inner()).get(index).copied().flatten()
}

/// Calls the free function of `index` on `value` (unless either is unset).
fn free_extra(index: usize, value: usize) {
    if value == 0 {
        return;
    }
    if let Some(free) = extra_free_func(index) {
        // SAFETY: the function C registered for this index, given a value C
        // stored under it, as CPython calls it.
        unsafe { free(value as *mut std::ffi::c_void) };
    }
}

/// The code object behind `code`, or SystemError (bad internal call).
fn exact_code(vm: &VirtualMachine, code: *mut PyObject) -> PyResult<PyRef<PyCode>> {
    if code.is_null() {
        return Err(super::bad_internal_call(vm));
    }
    to_host(vm, code)?.downcast::<PyCode>().map_err(|_| super::bad_internal_call(vm))
}

/// Reads the extra stored under `index` (NULL if none): 0, or -1 with
/// SystemError for an object that is not a code object.
/// # Safety
/// `extra` must be writable.
#[cpython_api]
unsafe fn _PyCode_GetExtra(vm: &VirtualMachine, code: *mut PyObject, index: crate::ffi::Py_ssize_t, extra: *mut *mut std::ffi::c_void) -> PyResult<c_int> {
    let code = exact_code(vm, code)?;
    let key = code.as_object() as *const _ as *const u8 as usize;
    let value = CODE_EXTRAS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .and_then(|all| all.get(&key))
        .and_then(|e| usize::try_from(index).ok().and_then(|i| e.values.get(i).copied()))
        .unwrap_or(0);
    // SAFETY: the caller passes writable storage.
    unsafe { *extra = value as *mut std::ffi::c_void };
    Ok(0)
}

/// Stores `extra` under an index from `_PyEval_RequestCodeExtraIndex`; a
/// value it replaces is given to the index's free function, and so is
/// every value still stored when the code object is destroyed. 0, or -1
/// with SystemError for a bad code object or index.
#[cpython_api]
fn _PyCode_SetExtra(vm: &VirtualMachine, code: *mut PyObject, index: crate::ffi::Py_ssize_t, extra: *mut std::ffi::c_void) -> PyResult<c_int> {
    let code = exact_code(vm, code)?;
    let issued = EXTRA_FREE_FUNCS.lock().unwrap_or_else(|e| e.into_inner()).len();
    let index = match usize::try_from(index) {
        Ok(i) if i < issued => i,
        _ => return Err(super::bad_internal_call(vm)),
    };
    let key = code.as_object() as *const _ as *const u8 as usize;
    let mut guard = CODE_EXTRAS.lock().unwrap_or_else(|e| e.into_inner());
    let all = guard.get_or_insert_with(Default::default);
    if !all.contains_key(&key) {
        drop(guard);
        CODE_DEATHS.watch(vm, code.as_object(), key)?;
        guard = CODE_EXTRAS.lock().unwrap_or_else(|e| e.into_inner());
        guard.get_or_insert_with(Default::default).insert(key, CodeExtras { values: Vec::new() });
    }
    let entry = guard.as_mut().and_then(|all| all.get_mut(&key)).ok_or_else(|| super::bad_internal_call(vm))?;
    if entry.values.len() <= index {
        entry.values.resize(index + 1, 0);
    }
    let old = std::mem::replace(&mut entry.values[index], extra as usize);
    drop(guard);
    free_extra(index, old);
    Ok(0)
}

// --- constant keys ------------------------------------------------------------------

/// The key the compiler would file the constant `op` under: `op` itself for
/// None, Ellipsis, int, str and code objects; `(type, op)` for bool, bytes,
/// float and complex, with a third item telling negative zeros apart;
/// `(keys, op)` for tuples and frozensets (the keys of their items); and
/// `(id(op), op)` for anything else.
fn constant_key(vm: &VirtualMachine, op: &PyObjectRef) -> PyResult<PyObjectRef> {
    use rustpython_vm::builtins::{PyComplex, PyFloat, PyFrozenSet};
    let types = &vm.ctx.types;
    let cls = op.class();
    let exact = |t: &Py<rustpython_vm::builtins::PyType>| cls.is(t);
    if vm.is_none(op) || op.is(&vm.ctx.ellipsis) || exact(types.int_type) || exact(types.str_type) || exact(types.code_type) {
        return Ok(op.clone());
    }
    let ty: PyObjectRef = cls.to_owned().into();
    let pair = |first: PyObjectRef| -> PyObjectRef { vm.ctx.new_tuple(vec![first, op.clone()]).into() };
    if exact(types.bool_type) || exact(types.bytes_type) {
        return Ok(pair(ty));
    }
    let negative_zero = |v: f64| v == 0.0 && v.is_sign_negative();
    if exact(types.float_type) {
        let value = op.downcast_ref::<PyFloat>().map_or(0.0, |f| f.to_f64());
        return Ok(if negative_zero(value) { vm.ctx.new_tuple(vec![ty, op.clone(), vm.ctx.none()]).into() } else { pair(ty) });
    }
    if exact(types.complex_type) {
        let value = op.downcast_ref::<PyComplex>().map(|c| c.as_complex()).unwrap_or_default();
        let third = match (negative_zero(value.re), negative_zero(value.im)) {
            (true, true) => Some(vm.ctx.new_bool(true).into()),
            (false, true) => Some(vm.ctx.new_bool(false).into()),
            (true, false) => Some(vm.ctx.none()),
            (false, false) => None,
        };
        return Ok(match third {
            Some(third) => vm.ctx.new_tuple(vec![ty, op.clone(), third]).into(),
            None => pair(ty),
        });
    }
    if exact(types.tuple_type) {
        let items = op.downcast_ref::<PyTuple>().map(|t| t.as_slice().to_vec()).unwrap_or_default();
        let keys = items.iter().map(|item| constant_key(vm, item)).collect::<PyResult<Vec<_>>>()?;
        return Ok(pair(vm.ctx.new_tuple(keys).into()));
    }
    if exact(types.frozenset_type) {
        let items = op.downcast_ref::<PyFrozenSet>().map(|s| s.elements()).unwrap_or_default();
        let keys = items.iter().map(|item| constant_key(vm, item)).collect::<PyResult<Vec<_>>>()?;
        let keys = types.frozenset_type.as_object().call((vm.ctx.new_list(keys),), vm)?;
        return Ok(pair(keys));
    }
    Ok(pair(vm.ctx.new_int(op.get_id()).into()))
}

/// New reference: the constant key of `obj` (see `constant_key`).
#[cpython_api]
fn _PyCode_ConstantKey(vm: &VirtualMachine, obj: *mut PyObject) -> PyResult<*mut PyObject> {
    let obj = to_host(vm, obj)?;
    Ok(into_ref(vm, constant_key(vm, &obj)?))
}
