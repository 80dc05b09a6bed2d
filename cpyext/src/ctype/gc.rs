//! Cycle collection through C objects.
//!
//! The host's collector asks each C instance for its references
//! (`try_traverse`) and, for unreachable ones, to drop them (`try_clear`).
//! The host requires every edge reported to stand for exactly one strong
//! reference. A C struct holds *C* references to proxies; a proxy holds one
//! strong reference to its host object however many C references it has.
//! So a visited proxy is reported only when its count is 1 (this C
//! reference is the only one, and stands for the proxy's host reference).
//! A proxy shared by several C references is treated as referenced from
//! outside: such cycles are kept, never freed while reachable.
//!
//! An explicit `gc.collect()` does better: its "start" callback takes the
//! GIL (held until "stop", so no C code changes counts meanwhile) and gives
//! every proxy with C count n > 1 another n - 1 host references, so that each
//! C reference stands for one strong reference; edges through shared proxies
//! are then reported too, and the extra references go at "stop". Objects a
//! collection freed through tp_clear die at that point.
//!
//! The collector stops every other thread first, so C's tp_traverse and
//! tp_clear run here without taking the GIL (a thread holding it may be
//! parked mid-call); the thread counts as holding it meanwhile.
use crate::ffi::{self, PyObject};
use crate::{gil, proxy};
use rustpython_vm::builtins::PyStrRef;
use rustpython_vm::object::TraverseFn;
use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_int, c_void};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

fn tracked_gc_type(object: *mut PyObject) -> Option<*mut ffi::PyTypeObject> {
    let h = proxy::header(object)?;
    if !h.gc_tracked {
        return None;
    }
    let tp = unsafe { (*object).ob_type };
    (unsafe { (*tp).tp_flags } & ffi::Py_TPFLAGS_HAVE_GC as u64 != 0).then_some(tp)
}

/// Extra host references taken at "start": (host object, how many).
static TOPPED_UP: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());
static EXACT: AtomicBool = AtomicBool::new(false);

fn on_collection(phase: PyStrRef, _info: PyObjectRef, vm: &VirtualMachine) {
    match phase.as_wtf8().to_string().as_str() {
        "start" if !EXACT.load(Ordering::Acquire) => {
            gil::acquire(Some(vm));
            let mut extra = Vec::new();
            proxy::for_each_holding_proxy(|object, h| {
                let count = unsafe { (*object).ob_refcnt };
                if count > 1 && count < ffi::IMMORTAL_REFCNT / 2 {
                    let n = (count - 1) as usize;
                    let host = unsafe { &*h.host };
                    for _ in 0..n {
                        std::mem::forget(host.to_owned());
                    }
                    extra.push((h.host as usize, n));
                }
            });
            *TOPPED_UP.lock().unwrap() = extra;
            EXACT.store(true, Ordering::Release);
        }
        "stop" if EXACT.load(Ordering::Acquire) => {
            EXACT.store(false, Ordering::Release);
            let extra = std::mem::take(&mut *TOPPED_UP.lock().unwrap());
            for (host, n) in extra {
                for _ in 0..n {
                    let host = host as *mut rustpython_vm::PyObject;
                    drop(unsafe { PyObjectRef::from_raw(std::ptr::NonNull::new_unchecked(host)) });
                }
            }
            gil::release();
        }
        _ => {}
    }
}

/// Registers the collection hooks in `gc.callbacks`.
pub fn install(vm: &VirtualMachine) -> PyResult<()> {
    let callbacks = vm.import("gc", 0)?.get_attr("callbacks", vm)?;
    let hook = vm.new_function("_cpyext_gc_hook", on_collection);
    vm.call_method(&callbacks, "append", (hook,))?;
    Ok(())
}

unsafe extern "C" fn report_edge(child: *mut PyObject, arg: *mut c_void) -> c_int {
    unsafe {
        if child.is_null() {
            return 0;
        }
        let count = (*child).ob_refcnt;
        let exact = count == 1 || (EXACT.load(Ordering::Relaxed) && count > 1 && count < ffi::IMMORTAL_REFCNT / 2);
        if !exact {
            return 0;
        }
        if let Some(h) = proxy::header(child) {
            if h.holds_host && !h.host.is_null() {
                let report = &mut *(arg as *mut &mut TraverseFn<'_>);
                report(&*h.host);
            }
        }
    }
    0
}

pub fn traverse(object: *mut PyObject, traverse_fn: &mut TraverseFn<'_>) {
    let Some(tp) = tracked_gc_type(object) else { return };
    let Some(tp_traverse) = (unsafe { (*tp).tp_traverse }) else { return };
    let mut report: &mut TraverseFn<'_> = traverse_fn;
    gil::as_collector(|| unsafe {
        tp_traverse(object, Some(report_edge), &mut report as *mut &mut TraverseFn<'_> as *mut c_void);
    });
}

pub fn clear(object: *mut PyObject, out: &mut Vec<PyObjectRef>) {
    // The host also asks a payload to clear when it deallocates the object
    // normally (its count is zero then); CPython runs tp_clear only to break
    // cycles, and tp_dealloc does the rest.
    let dying = proxy::header(object).is_none_or(|h| h.host.is_null() || unsafe { (*h.host).strong_count() } == 0);
    if dying {
        return;
    }
    let Some(tp) = tracked_gc_type(object) else { return };
    let Some(tp_clear) = (unsafe { (*tp).tp_clear }) else { return };
    let released = proxy::collect_releases(|| {
        // SAFETY: the object is a live, tracked instance of a GC type whose
        // tp_clear C provided; the collector has stopped every other thread.
        gil::as_collector(|| unsafe {
            tp_clear(object);
        })
    });
    out.extend(released);
}
