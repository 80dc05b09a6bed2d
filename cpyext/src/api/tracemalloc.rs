//! tracemalloc.h and the `_tracemalloc` module the host lacks (its
//! `tracemalloc.py` imports it). What is traced: blocks C reports with
//! `PyTraceMalloc_Track`, and what the PyMem, PyMem_Raw and PyObject
//! allocators hand out (domain 0; pymem.rs calls the hooks below). The host's
//! own objects come from Rust's allocator and are not traced.
//!
//! Each trace keeps the Python frames of the allocating thread (read from
//! the host's per-thread frame chain, so no GIL and no Python object is
//! needed), most recent first, up to the limit `start()` set.
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyModule, PyModuleDef, PyModuleSlots, PyStrInterned};
use rustpython_vm::function::FuncArgs;
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::collections::{HashMap, HashSet};
use std::ffi::{c_int, c_uint, c_void};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

/// The domain of the PyMem, PyMem_Raw and PyObject allocators.
const DEFAULT_DOMAIN: c_uint = 0;
/// The largest frame limit `start()` accepts (CPython's, a 16-bit count).
const MAX_NFRAME: u32 = 65535;

/// Whether tracing is on: the only thing an allocation reads when it is off.
static TRACING: AtomicBool = AtomicBool::new(false);
/// The frame limit of `start()`, kept after `stop()` as CPython does.
static MAX_FRAMES: AtomicU32 = AtomicU32::new(1);

/// One frame: the code's file name (an interned host string, which lives
/// as long as the process; 0 for none) and the line.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Frame {
    filename: usize,
    lineno: u32,
}

#[derive(PartialEq, Eq, Hash)]
struct Traceback {
    frames: Box<[Frame]>,
    total_nframe: u16,
}

struct Trace {
    size: usize,
    traceback: Arc<Traceback>,
}

#[derive(Default)]
struct Tables {
    traces: HashMap<(c_uint, usize), Trace>,
    /// Equal tracebacks are shared, as one line allocates again and again.
    tracebacks: HashSet<Arc<Traceback>>,
    traced: usize,
    peak: usize,
}

static TABLES: LazyLock<Mutex<Tables>> = LazyLock::new(Default::default);

fn tables() -> MutexGuard<'static, Tables> {
    TABLES.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether allocations are being traced; the allocators check this before
/// calling the hooks below.
#[inline(always)]
pub(crate) fn is_tracing() -> bool {
    TRACING.load(Ordering::Relaxed)
}

/// The calling thread's Python frames, most recent first. A thread running
/// no Python code gets CPython's `("<unknown>", 0)`.
fn current_traceback() -> Traceback {
    let limit = MAX_FRAMES.load(Ordering::Relaxed) as usize;
    let mut frames = Vec::new();
    let mut total: u16 = 0;
    let mut frame = rustpython_vm::vm::thread::get_current_frame();
    while !frame.is_null() {
        // SAFETY: the chain of this thread's executing frames, which stay
        // alive while the thread is in here (it runs none of them meanwhile).
        let iframe = unsafe { &*frame };
        if frames.len() < limit {
            let code = iframe.code();
            // lasti is the index of the next code unit; the one running is
            // before it (as FrameObject computes f_lineno).
            let lasti = iframe.get_lasti();
            let offset = if lasti == 0 { 0 } else { (lasti as i32 - 1) * 2 };
            let filename: &'static PyStrInterned = code.source_path();
            frames.push(Frame { filename: filename as *const PyStrInterned as usize, lineno: code.addr2line(offset).max(0) as u32 });
        }
        total = total.saturating_add(1);
        frame = iframe.previous();
    }
    if frames.is_empty() {
        return Traceback { frames: Box::new([Frame { filename: 0, lineno: 0 }]), total_nframe: 1 };
    }
    Traceback { frames: frames.into_boxed_slice(), total_nframe: total }
}

/// Records a block (replacing a trace of the same address). False when
/// tracing stopped meanwhile.
fn add_trace(domain: c_uint, ptr: usize, size: usize) -> bool {
    let traceback = current_traceback();
    let mut t = tables();
    if !is_tracing() {
        return false;
    }
    let traceback = match t.tracebacks.get(&traceback) {
        Some(shared) => shared.clone(),
        None => {
            let shared = Arc::new(traceback);
            t.tracebacks.insert(shared.clone());
            shared
        }
    };
    if let Some(old) = t.traces.insert((domain, ptr), Trace { size, traceback }) {
        t.traced -= old.size;
    }
    t.traced += size;
    t.peak = t.peak.max(t.traced);
    true
}

fn remove_trace(domain: c_uint, ptr: usize) {
    let mut t = tables();
    if let Some(old) = t.traces.remove(&(domain, ptr)) {
        t.traced -= old.size;
    }
}

/// A block the allocators handed out (NULL: nothing was).
pub(crate) fn on_alloc(block: *mut c_void, size: usize) {
    if !block.is_null() {
        add_trace(DEFAULT_DOMAIN, block as usize, size);
    }
}

/// A block about to be freed.
pub(crate) fn on_free(block: *mut c_void) {
    if !block.is_null() {
        remove_trace(DEFAULT_DOMAIN, block as usize);
    }
}

/// A block resized from `old` to `new` (NULL: it failed and `old` stands).
pub(crate) fn on_realloc(old: *mut c_void, new: *mut c_void, size: usize) {
    if new.is_null() {
        return;
    }
    if !old.is_null() {
        remove_trace(DEFAULT_DOMAIN, old as usize);
    }
    add_trace(DEFAULT_DOMAIN, new as usize, size);
}

/// 0, or -2 when tracemalloc is not tracing. Tracking an address again
/// replaces its trace.
#[cpython_api(no_gil)]
fn PyTraceMalloc_Track(domain: c_uint, ptr: usize, size: usize) -> c_int {
    if is_tracing() && add_trace(domain, ptr, size) { 0 } else { -2 }
}

/// 0 (also for a block not tracked), or -2 when not tracing.
#[cpython_api(no_gil)]
fn PyTraceMalloc_Untrack(domain: c_uint, ptr: usize) -> c_int {
    if !is_tracing() {
        return -2;
    }
    remove_trace(domain, ptr);
    0
}

/// The traceback of a traced block as a tuple of `(filename, lineno)`,
/// most recent first, or None.
fn traceback_tuple(vm: &VirtualMachine, traceback: &Traceback) -> PyObjectRef {
    let frames = traceback
        .frames
        .iter()
        .map(|f| {
            let filename: PyObjectRef = if f.filename == 0 {
                vm.ctx.new_str("<unknown>").into()
            } else {
                // SAFETY: the address of an interned host string, which is never freed.
                let s = unsafe { &*(f.filename as *const PyStrInterned) };
                s.to_owned().into()
            };
            vm.ctx.new_tuple(vec![filename, vm.ctx.new_int(f.lineno).into()]).into()
        })
        .collect();
    vm.ctx.new_tuple(frames).into()
}

fn traceback_of(domain: c_uint, ptr: usize) -> Option<Arc<Traceback>> {
    if !is_tracing() {
        return None;
    }
    tables().traces.get(&(domain, ptr)).map(|t| t.traceback.clone())
}

/// New reference: the block's traceback, or None when it is not traced.
#[cpython_api]
fn _PyTraceMalloc_GetTraceback(vm: &rustpython_vm::VirtualMachine, domain: c_uint, ptr: usize) -> *mut crate::ffi::PyObject {
    let tb = traceback_of(domain, ptr).map_or_else(|| vm.ctx.none(), |tb| traceback_tuple(vm, &tb));
    crate::proxy::new_ref(vm, &tb)
}

// ---------------------------------------------------------------------------
// The `_tracemalloc` module.

/// Registers `_tracemalloc` among the host's built-in modules.
pub(crate) fn install(builder: rustpython::InterpreterBuilder) -> rustpython::InterpreterBuilder {
    let ctx = &builder.ctx;
    let def: &'static PyModuleDef = Box::leak(Box::new(PyModuleDef {
        name: ctx.intern_str("_tracemalloc"),
        doc: Some(ctx.intern_str("Debug module to trace memory blocks allocated by Python.")),
        methods: &[],
        slots: PyModuleSlots { create: None, exec: Some(exec_module) },
    }));
    builder.add_native_module(def)
}

/// CPython's checks of a function that takes no arguments, with its messages.
fn no_arguments(vm: &VirtualMachine, name: &str, args: &FuncArgs) -> PyResult<()> {
    if !args.kwargs.is_empty() {
        return Err(vm.new_type_error(format!("_tracemalloc.{name}() takes no keyword arguments")));
    }
    if !args.args.is_empty() {
        return Err(vm.new_type_error(format!("_tracemalloc.{name}() takes no arguments ({} given)", args.args.len())));
    }
    Ok(())
}

fn start(args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
    if !args.kwargs.is_empty() {
        return Err(vm.new_type_error("_tracemalloc.start() takes no keyword arguments".to_owned()));
    }
    if args.args.len() > 1 {
        return Err(vm.new_type_error(format!("start expected at most 1 argument, got {}", args.args.len())));
    }
    let nframe = match args.args.first() {
        None => 1,
        Some(n) => {
            let n = n.try_index(vm)?;
            i32::try_from(n.as_bigint()).map_err(|_| vm.new_overflow_error("Python int too large to convert to C int".to_owned()))?
        }
    };
    if nframe < 1 || nframe as u32 > MAX_NFRAME {
        return Err(vm.new_value_error(format!("the number of frames must be in range [1; {MAX_NFRAME}]")));
    }
    let _t = tables();
    // Already tracing: the limit stays what it was (CPython's behaviour).
    if !is_tracing() {
        MAX_FRAMES.store(nframe as u32, Ordering::Relaxed);
        TRACING.store(true, Ordering::Relaxed);
    }
    Ok(())
}

fn stop(args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
    no_arguments(vm, "stop", &args)?;
    let mut t = tables();
    TRACING.store(false, Ordering::Relaxed);
    *t = Tables::default();
    Ok(())
}

fn clear_traces(args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
    no_arguments(vm, "clear_traces", &args)?;
    let mut t = tables();
    if is_tracing() {
        *t = Tables::default();
    }
    Ok(())
}

fn reset_peak(args: FuncArgs, vm: &VirtualMachine) -> PyResult<()> {
    no_arguments(vm, "reset_peak", &args)?;
    let mut t = tables();
    if is_tracing() {
        t.peak = t.traced;
    }
    Ok(())
}

/// The size of the memory the tables take, estimated from their capacities.
fn tables_memory(t: &Tables) -> usize {
    use std::mem::size_of;
    let traces = t.traces.capacity() * (size_of::<(c_uint, usize)>() + size_of::<Trace>() + 1);
    let tracebacks: usize = t.tracebacks.iter().map(|tb| 2 * size_of::<usize>() + size_of::<Traceback>() + tb.frames.len() * size_of::<Frame>()).sum();
    size_of::<Tables>() + traces + t.tracebacks.capacity() * (size_of::<usize>() + 1) + tracebacks
}

fn exec_module(vm: &VirtualMachine, module: &Py<PyModule>) -> PyResult<()> {
    let m = module.as_object();
    m.set_attr("start", vm.new_function("start", start), vm)?;
    m.set_attr("stop", vm.new_function("stop", stop), vm)?;
    m.set_attr("clear_traces", vm.new_function("clear_traces", clear_traces), vm)?;
    m.set_attr("reset_peak", vm.new_function("reset_peak", reset_peak), vm)?;
    m.set_attr(
        "is_tracing",
        vm.new_function("is_tracing", |args: FuncArgs, vm: &VirtualMachine| -> PyResult<bool> {
            no_arguments(vm, "is_tracing", &args)?;
            Ok(is_tracing())
        }),
        vm,
    )?;
    m.set_attr(
        "get_traceback_limit",
        vm.new_function("get_traceback_limit", |args: FuncArgs, vm: &VirtualMachine| -> PyResult<u32> {
            no_arguments(vm, "get_traceback_limit", &args)?;
            Ok(MAX_FRAMES.load(Ordering::Relaxed))
        }),
        vm,
    )?;
    m.set_attr(
        "get_traced_memory",
        vm.new_function("get_traced_memory", |args: FuncArgs, vm: &VirtualMachine| -> PyResult<(usize, usize)> {
            no_arguments(vm, "get_traced_memory", &args)?;
            let t = tables();
            Ok(if is_tracing() { (t.traced, t.peak) } else { (0, 0) })
        }),
        vm,
    )?;
    m.set_attr(
        "get_tracemalloc_memory",
        vm.new_function("get_tracemalloc_memory", |args: FuncArgs, vm: &VirtualMachine| -> PyResult<usize> {
            no_arguments(vm, "get_tracemalloc_memory", &args)?;
            Ok(tables_memory(&tables()))
        }),
        vm,
    )?;
    m.set_attr(
        "_get_traces",
        vm.new_function("_get_traces", |args: FuncArgs, vm: &VirtualMachine| -> PyResult<PyObjectRef> {
            no_arguments(vm, "_get_traces", &args)?;
            // Copied out first: making the Python objects may run finalizers
            // that free C memory, which takes the lock.
            let traces: Vec<(c_uint, usize, Arc<Traceback>)> = {
                let t = tables();
                if !is_tracing() {
                    Vec::new()
                } else {
                    t.traces.iter().map(|(&(domain, _), trace)| (domain, trace.size, trace.traceback.clone())).collect()
                }
            };
            let mut converted: HashMap<*const Traceback, PyObjectRef> = HashMap::new();
            let list = traces
                .iter()
                .map(|(domain, size, tb)| {
                    let frames = converted.entry(Arc::as_ptr(tb)).or_insert_with(|| traceback_tuple(vm, tb)).clone();
                    vm.ctx
                        .new_tuple(vec![vm.ctx.new_int(*domain).into(), vm.ctx.new_int(*size).into(), frames, vm.ctx.new_int(tb.total_nframe).into()])
                        .into()
                })
                .collect();
            Ok(vm.ctx.new_list(list).into())
        }),
        vm,
    )?;
    m.set_attr(
        "_get_object_traceback",
        vm.new_function("_get_object_traceback", |args: FuncArgs, vm: &VirtualMachine| -> PyResult<PyObjectRef> {
            if !args.kwargs.is_empty() {
                return Err(vm.new_type_error("_tracemalloc._get_object_traceback() takes no keyword arguments".to_owned()));
            }
            let [obj] = args.args.as_slice() else {
                return Err(vm.new_type_error(format!("_tracemalloc._get_object_traceback() takes exactly one argument ({} given)", args.args.len())));
            };
            // Only an object whose memory C allocated with PyObject_Malloc
            // (and made an object with PyObject_Init) has a traced block.
            let tb = crate::proxy::existing_proxy(obj).and_then(|p| traceback_of(DEFAULT_DOMAIN, p as usize));
            Ok(tb.map_or_else(|| vm.ctx.none(), |tb| traceback_tuple(vm, &tb)))
        }),
        vm,
    )?;
    Ok(())
}
