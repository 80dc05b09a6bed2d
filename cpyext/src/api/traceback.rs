//! traceback.h: traceback entries for the pending error.
//!
//! An entry is a host traceback object, made through the traceback type's
//! constructor, put in front of the error indicator's traceback. When the
//! error reaches Python, the calling frames are added in front of that, as
//! in CPython, so `traceback.format_exception` shows C's entries innermost.
use super::code::{empty_code, fs_decode};
use super::frameobject::{frame_arg, traceback_position};
use crate::error_indicator;
use crate::ffi::{PyFrameObject, PyObject};
use crate::proxy::{into_ref, opt_to_host, to_host};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::PyTraceback;
use rustpython_vm::frame::FrameObject;
use rustpython_vm::{AsObject, PyObjectRef, PyRef, PyResult, VirtualMachine};
use std::ffi::{c_char, c_int};

/// Puts an entry for `frame` at (lasti, lineno) in front of the pending
/// error's traceback. Without a pending error there is nothing to do.
fn add_entry(vm: &VirtualMachine, frame: PyRef<FrameObject>, lasti: c_int, lineno: c_int) -> PyResult<()> {
    let Some(mut triple) = error_indicator::fetch() else { return Ok(()) };
    let next = triple.traceback.take().filter(|tb| !vm.is_none(tb));
    let made = (|| {
        if next.as_ref().is_some_and(|tb| tb.downcast_ref::<PyTraceback>().is_none()) {
            return Err(super::bad_internal_call(vm));
        }
        let next = next.clone().unwrap_or_else(|| vm.ctx.none());
        // The host has no line 0 (CPython would print "line 0").
        let tb_type = vm.ctx.types.traceback_type.as_object();
        tb_type.call((next, frame, lasti, lineno.max(1)), vm)
    })();
    match made {
        Ok(tb) => {
            triple.traceback = Some(tb);
            error_indicator::set(Some(triple));
            Ok(())
        }
        Err(e) => {
            // The new error is raised with the pending one as its context.
            triple.traceback = next;
            if let Ok(pending) = error_indicator::normalize(vm, triple) {
                e.set_context(Some(pending));
            }
            Err(e)
        }
    }
}

#[cpython_api]
fn PyTraceBack_Here(vm: &VirtualMachine, frame: *mut PyFrameObject) -> PyResult<c_int> {
    let host = frame_arg(vm, frame)?;
    let (lasti, lineno) = traceback_position(vm, &host)?;
    add_entry(vm, host, lasti, lineno)?;
    Ok(0)
}

/// An entry "File filename, line lineno, in funcname" for code that has no
/// frame of its own (CPython's zlib and expat modules use it).
///
/// # Safety
/// `funcname` and `filename` are NUL-terminated strings.
#[cpython_api]
unsafe fn _PyTraceback_Add(vm: &VirtualMachine, funcname: *const c_char, filename: *const c_char, lineno: c_int) -> PyResult<()> {
    // Called with the error pending that the entry is for.
    let code = error_indicator::with_pending_set_aside(vm, || {
        let filename = fs_decode(vm, filename)?;
        let name: PyObjectRef = vm.ctx.new_str(super::c_str_arg(vm, funcname)?).into();
        empty_code(vm, &filename, &name, lineno)
    })?;
    let frame = super::frameobject::unstarted_frame(vm, code, vm.ctx.new_dict(), None)?;
    add_entry(vm, frame, 0, lineno)
}

/// Writes the traceback to `file` as CPython 3.11's C printer does: a
/// header, then the last `sys.tracebacklimit` (default 1000) entries, each
/// with its source line when the file can be found (by its name or on
/// sys.path, not through a module's loader), and a run of more than three
/// identical entries folded into "[Previous line repeated N more times]".
#[cpython_api]
fn PyTraceBack_Print(vm: &VirtualMachine, tb: *mut PyObject, file: *mut PyObject) -> PyResult<c_int> {
    let Some(tb) = opt_to_host(vm, tb)? else { return Ok(0) };
    if tb.downcast_ref::<PyTraceback>().is_none() {
        return Err(super::bad_internal_call(vm));
    }
    let file = to_host(vm, file)?;
    let mut limit: usize = 1000;
    if let Ok(value) = vm.sys_module.get_attr("tracebacklimit", vm) {
        if let Some(int) = value.downcast_ref::<rustpython_vm::builtins::PyInt>() {
            use num_traits::{Signed, ToPrimitive};
            if !int.as_bigint().is_positive() {
                return Ok(0);
            }
            limit = int.as_bigint().to_usize().unwrap_or(usize::MAX);
        }
    }
    // (file name, line, function name) of each entry, outermost first.
    let mut entries = Vec::new();
    let mut cursor = Some(tb);
    while let Some(tb) = cursor {
        let code = tb.get_attr("tb_frame", vm)?.get_attr("f_code", vm)?;
        let line: i64 = tb.get_attr("tb_lineno", vm)?.try_into_value(vm)?;
        entries.push((code.get_attr("co_filename", vm)?, line, code.get_attr("co_name", vm)?));
        let next = tb.get_attr("tb_next", vm)?;
        cursor = if vm.is_none(&next) { None } else { Some(next) };
    }
    let skip = entries.len().saturating_sub(limit);
    let write = |text: String| vm.call_method(&file, "write", (text,)).map(drop);
    const CUTOFF: usize = 3;
    let repeated = |count: usize| {
        let more = count - CUTOFF;
        format!("  [Previous line repeated {more} more time{}]\n", if more > 1 { "s" } else { "" })
    };
    write("Traceback (most recent call last):\n".to_owned())?;
    let mut last: Option<(PyObjectRef, i64, PyObjectRef)> = None;
    let mut count = 0;
    for (filename, line, name) in entries.into_iter().skip(skip) {
        let same = last.as_ref().is_some_and(|(f, l, n)| f.is(&filename) && *l == line && n.is(&name));
        if !same {
            if count > CUTOFF {
                write(repeated(count))?;
            }
            last = Some((filename.clone(), line, name.clone()));
            count = 0;
        }
        count += 1;
        if count > CUTOFF {
            continue;
        }
        write(format!("  File \"{}\", line {line}, in {}\n", filename.str(vm)?, name.str(vm)?))?;
        if let Some(source) = source_line(vm, &filename.str(vm)?.to_string(), line) {
            let source = source.trim_start_matches([' ', '\t', '\x0c']);
            if !source.is_empty() {
                write(format!("    {source}\n"))?;
            }
        }
    }
    if count > CUTOFF {
        write(repeated(count))?;
    }
    Ok(0)
}

/// Line `lineno` of the file as CPython's C printer finds it: the name as
/// it stands, else its last component in each sys.path directory.
fn source_line(vm: &VirtualMachine, filename: &str, lineno: i64) -> Option<String> {
    let index = usize::try_from(lineno).ok()?.checked_sub(1)?;
    let read = |path: &std::path::Path| std::fs::read(path).ok().and_then(|b| String::from_utf8(b).ok());
    let mut text = read(std::path::Path::new(filename));
    if text.is_none() {
        let tail = std::path::Path::new(filename).file_name()?;
        let sys_path = vm.sys_module.get_attr("path", vm).ok()?;
        for entry in sys_path.get_iter(vm).ok()?.iter::<PyObjectRef>(vm).ok()? {
            let Some(dir) = entry.ok().and_then(|e| e.downcast::<rustpython_vm::builtins::PyStr>().ok()).and_then(|d| d.to_str().map(str::to_owned)) else { continue };
            text = read(&std::path::Path::new(&dir).join(tail));
            if text.is_some() {
                break;
            }
        }
    }
    text?.lines().nth(index).map(str::to_owned)
}

/// Fills the struct of a new traceback proxy: `tb_next` and `tb_frame` are
/// references the proxy owns (given back by `release_traceback_struct`),
/// so C can walk the chain as in CPython; `tb_lineno` is -1, as CPython
/// 3.11 leaves it. A later `tb.tb_next = ...` from Python is not seen by a
/// proxy made before it.
pub(crate) fn fill_traceback_struct(vm: &VirtualMachine, obj: &PyObjectRef, out: *mut crate::ffi::PyTracebackObject) {
    let Some(tb) = obj.downcast_ref::<PyTraceback>() else { return };
    let next: Option<PyObjectRef> = tb.next.lock().clone().map(Into::into);
    let next = match next {
        None => std::ptr::null_mut(),
        Some(next) if crate::proxy::IDENTITY.contains_key(&crate::proxy::host_addr(&next)) => crate::proxy::new_ref(vm, &next),
        Some(next) => {
            // The entries after `next` get their proxies first, last one
            // first, so that each finds its successor made: no recursion
            // down a long chain (a RecursionError has a thousand entries).
            let mut rest = Vec::new();
            let mut cursor = next.downcast_ref::<PyTraceback>().and_then(|t| t.next.lock().clone());
            while let Some(t) = cursor {
                cursor = t.next.lock().clone();
                rest.push(PyObjectRef::from(t));
            }
            let made: Vec<*mut PyObject> = rest.iter().rev().map(|t| crate::proxy::new_ref(vm, t)).collect();
            let next = crate::proxy::new_ref(vm, &next);
            // Each is now held by its predecessor's struct.
            made.into_iter().for_each(crate::proxy::decref);
            next
        }
    };
    let frame = crate::proxy::new_ref(vm, &tb.frame.clone().into());
    // SAFETY: `out` is the zeroed struct of a proxy just made with room for
    // a PyTracebackObject; the GIL is held.
    unsafe {
        (*out).tb_next = next as *mut crate::ffi::PyTracebackObject;
        (*out).tb_frame = frame as *mut PyFrameObject;
        (*out).tb_lasti = tb.lasti;
        // CPython 3.11 computes a traceback's line on demand and leaves -1
        // in the field (its own readers check for that).
        (*out).tb_lineno = -1;
    }
}

/// Gives back the references of a traceback proxy's struct.
pub(crate) fn release_traceback_struct(tb: *mut crate::ffi::PyTracebackObject) {
    // SAFETY: `tb` is a traceback proxy being freed, whose struct was filled
    // by `fill_traceback_struct`; the GIL is held.
    let (next, frame) = unsafe {
        (std::mem::replace(&mut (*tb).tb_next, std::ptr::null_mut()), std::mem::replace(&mut (*tb).tb_frame, std::ptr::null_mut()))
    };
    crate::proxy::xdecref(next as *mut PyObject);
    crate::proxy::xdecref(frame as *mut PyObject);
}

/// For other areas (PyEval_GetFrame, PyThreadState_GetFrame): a new
/// reference to the frame of the innermost Python code running on this
/// thread, or NULL.
#[allow(dead_code)]
pub(crate) fn current_frame(vm: &VirtualMachine) -> *mut PyFrameObject {
    match vm.current_frame() {
        Some(frame) => into_ref(vm, frame.into()) as *mut PyFrameObject,
        None => std::ptr::null_mut(),
    }
}

/// The file a traceback names, opened for reading bytes: the name itself,
/// else its last component in each str entry of sys.path (as CPython looks
/// for sources of relative names). None if neither opens.
fn open_source(vm: &VirtualMachine, filename: &PyObjectRef) -> Option<PyObjectRef> {
    let open = crate::types::import_for_layer(vm, "io").ok()?.get_attr("open", vm).ok()?;
    if let Ok(file) = open.call((filename.clone(), "rb"), vm) {
        return Some(file);
    }
    let name = filename.downcast_ref::<rustpython_vm::builtins::PyStr>()?.to_string();
    let tail = name.rsplit('/').next().unwrap_or(&name).to_owned();
    let path = vm.sys_module.get_attr("path", vm).ok()?;
    let entries: Vec<PyObjectRef> = path.try_to_value(vm).ok()?;
    entries.iter().filter_map(|e| e.downcast_ref::<rustpython_vm::builtins::PyStr>().map(|s| s.to_string())).find_map(|dir| {
        let candidate = if dir.is_empty() || dir.ends_with('/') { format!("{dir}{tail}") } else { format!("{dir}/{tail}") };
        open.call((candidate, "rb"), vm).ok()
    })
}

/// Line `lineno` (from 1) of a source file, decoded with its coding
/// declaration (UTF-8 by default), newline included; None if there is no
/// such file or line.
fn display_source_line(vm: &VirtualMachine, filename: &PyObjectRef, lineno: c_int) -> Option<String> {
    if lineno < 1 {
        return None;
    }
    let binary = open_source(vm, filename)?;
    let read = || -> PyResult<Option<String>> {
        let readline = binary.get_attr("readline", vm)?;
        let detected = crate::types::import_for_layer(vm, "tokenize")?.get_attr("detect_encoding", vm)?.call((readline,), vm);
        let encoding: PyObjectRef = match detected {
            Ok(found) => found.get_item(&*PyObjectRef::from(vm.ctx.new_int(0)), vm)?,
            Err(_) => vm.ctx.new_str("utf-8").into(),
        };
        vm.call_method(&binary, "seek", (0,))?;
        let text = crate::types::import_for_layer(vm, "io")?.get_attr("TextIOWrapper", vm)?.call((binary.clone(), encoding), vm)?;
        let mut line = String::new();
        for _ in 0..lineno {
            line = vm.call_method(&text, "readline", ())?.str(vm)?.to_string();
            if line.is_empty() {
                return Ok(None);
            }
        }
        Ok(Some(line))
    };
    let line = read();
    let _ = vm.call_method(&binary, "close", ());
    line.ok().flatten()
}

/// Writes line `lineno` of the source file `filename` to the file `f`,
/// its leading blanks replaced by `indent` spaces, with a newline. 0, or
/// -1 without an exception when there is no such file or line, or -1 with
/// the exception of a failed write. `*truncation` (if not NULL) becomes
/// the number of blanks taken off less `indent`, `*line` (if not NULL) a
/// new reference to the line without its newline.
/// # Safety
/// `truncation` and `line` must each be NULL or writable.
#[cpython_api]
unsafe fn _Py_DisplaySourceLine(
    vm: &VirtualMachine,
    f: *mut PyObject,
    filename: *mut PyObject,
    lineno: c_int,
    indent: c_int,
    truncation: *mut c_int,
    line: *mut *mut PyObject,
) -> PyResult<c_int> {
    let f = to_host(vm, f)?;
    let filename = to_host(vm, filename)?;
    let Some(text) = display_source_line(vm, &filename, lineno) else { return Ok(-1) };
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let stripped = text.trim_start_matches([' ', '\t', '\x0c']);
    let taken = (text.chars().count() - stripped.chars().count()) as c_int;
    if !truncation.is_null() {
        // SAFETY: the caller passes NULL or a writable int.
        unsafe { *truncation = taken - indent };
    }
    if !line.is_null() {
        // SAFETY: the caller passes NULL or a writable pointer.
        unsafe { *line = into_ref(vm, vm.ctx.new_str(text).into()) };
    }
    let out = format!("{}{stripped}\n", " ".repeat(indent.max(0) as usize));
    vm.call_method(&f, "write", (out,))?;
    Ok(0)
}
