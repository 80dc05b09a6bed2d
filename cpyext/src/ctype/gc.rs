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
//! A list proxy's item mirror holds one C reference to each item proxy.
//! Mirrors are brought up to date at "start", and a list whose only C
//! reference is being visited reports its mirror's items as edges too.
//!
//! The collector stops every other thread for the walk, so C's tp_traverse
//! runs without taking the GIL (a thread holding it may be parked mid-call);
//! the thread counts as holding it meanwhile. tp_clear runs after the world
//! has restarted, so it takes the GIL, unless "start" took it already.
use crate::ffi::{self, PyObject};
use crate::{gil, proxy};
use rustpython_vm::builtins::{PyDict, PyStrRef, PyTuple};
use rustpython_vm::object::TraverseFn;
use rustpython_vm::{AsObject, PyObject as HostObject, PyObjectRef, PyResult, VirtualMachine};
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The type of a tracked instance of a GC type, or None.
///
/// # Safety
/// `object` must be the struct of a live instance of a C type.
unsafe fn tracked_gc_type(object: *mut PyObject) -> Option<*mut ffi::PyTypeObject> {
    let h = proxy::header(object)?;
    // SAFETY: the caller's contract; the collector runs as the GIL holder (I1).
    unsafe {
        if !h.as_ref().gc_tracked {
            return None;
        }
        let tp = (*object).ob_type;
        ((*tp).tp_flags & ffi::Py_TPFLAGS_HAVE_GC as u64 != 0).then_some(tp)
    }
}

/// How many collections have their hosts topped up (see "start" below):
/// while any has, a C reference counts as one edge whatever the count. A
/// count, not a flag: two threads' collections can be open at once (a
/// destructor inside one releases the GIL), and one's "stop" must not end
/// the other's.
static TOPPED_UP_COLLECTIONS: AtomicUsize = AtomicUsize::new(0);

/// The collection this thread opened with its outermost "start".
struct OpenCollection {
    /// How many "start"s without their "stop". A finalizer that calls
    /// `gc.collect()` during a collection (cysignals does) gets "start" and
    /// "stop" of its own although the host runs no second collection: only
    /// the outermost pair takes and gives back the GIL and the references.
    depth: usize,
    /// Extra host references the outermost "start" took: (host, how many).
    /// This thread's own: the host runs `gc.collect()`'s callbacks outside
    /// its collecting lock, so another thread's pair can open and close
    /// meanwhile, and a shared list (or a shared "GIL taken" flag) let one
    /// thread's "stop" give back what the other took, leaving the other
    /// holding the GIL for ever.
    topped_up: Vec<(usize, usize)>,
}

thread_local! {
    static OPEN: std::cell::RefCell<OpenCollection> = const { std::cell::RefCell::new(OpenCollection { depth: 0, topped_up: Vec::new() }) };
    /// Set while `gc.get_referrers` walks objects on this thread: it asks
    /// which references exist, not how many strong
    /// references each edge stands for, so a C reference to a proxy that
    /// other C references share is an edge too (pycurl's `duphandle` test:
    /// two handles holding one callback are both its referrers).
    static LISTING_EDGES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs one of the host's `gc.get_referrers`/`gc.get_referents` with every
/// C reference a tp_traverse visits reported as an edge, under the GIL (C
/// structs are read as a collection would read them, and no C code changes
/// them meanwhile).
fn listing_edges<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    gil::acquire(Some(vm));
    let was = LISTING_EDGES.with(|l| l.replace(true));
    let result = f();
    LISTING_EDGES.with(|l| l.set(was));
    gil::release();
    result
}

/// Whether this thread lists edges for `gc.get_referrers`/`get_referents`
/// and runs no collection of its own: a collection must count exactly.
fn listing_edges_now() -> bool {
    LISTING_EDGES.with(|l| l.get()) && OPEN.with(|o| o.borrow().depth == 0)
}

fn on_collection(phase: PyStrRef, _info: PyObjectRef, vm: &VirtualMachine) {
    match phase.as_wtf8().to_string().as_str() {
        "start" if OPEN.with(|o| {
            let mut open = o.borrow_mut();
            open.depth += 1;
            open.depth > 1
        }) => {}
        "start" => {
            gil::acquire(Some(vm));
            // SAFETY: just acquired; released at "stop".
            let token = unsafe { gil::GilToken::assume_held() };
            // What Python dropped since C let go of it must not be kept
            // alive through the collection by a parked proxy, nor by a
            // pinned one whose host died meanwhile (a bound method C got
            // from PyObject_GenericGetAttr holds its `self`).
            proxy::free_pins_whose_host_died(token);
            proxy::sweep_all_parked(token);
            // Lists C holds may have changed in Python since C last saw
            // them: their mirrors are brought up to date first, so that
            // items Python dropped are not kept alive by a stale mirror.
            let mut lists = Vec::new();
            proxy::for_each_holding_proxy(token, |object, h| {
                if h.layout == proxy::Layout::List {
                    lists.push(object);
                }
            });
            // Rebuilding one mirror releases the items it no longer holds,
            // which may free another list proxy on the list (a nested list
            // only that mirror held, as lxml's tests leave): each is held
            // for the loop.
            for &list in &lists {
                proxy::incref(list);
            }
            for &list in &lists {
                // SAFETY: a live list proxy holding its host (collected
                // above, and held since).
                unsafe { crate::api::listobject::resync_mirror(vm, list) };
            }
            for list in lists {
                proxy::decref(list);
            }
            let mut extra = Vec::new();
            proxy::for_each_holding_proxy(token, |object, h| {
                // SAFETY: a proxy whose header holds its host is live (I3).
                let count = unsafe { (*object).ob_refcnt };
                if count > 1 && count < ffi::IMMORTAL_REFCNT / 2 {
                    let n = (count - 1) as usize;
                    // SAFETY: `holds_host` makes `host` a live strong reference.
                    let host = unsafe { &*h.host };
                    for _ in 0..n {
                        std::mem::forget(host.to_owned());
                    }
                    extra.push((h.host as usize, n));
                }
            });
            OPEN.with(|o| o.borrow_mut().topped_up = extra);
            TOPPED_UP_COLLECTIONS.fetch_add(1, Ordering::AcqRel);
        }
        "stop" => {
            let extra = OPEN.with(|o| {
                let mut open = o.borrow_mut();
                match open.depth {
                    // A "stop" with no "start" on this thread (the hook was
                    // installed during a collection): nothing to undo.
                    0 => None,
                    1 => {
                        open.depth = 0;
                        Some(std::mem::take(&mut open.topped_up))
                    }
                    _ => {
                        open.depth -= 1;
                        None
                    }
                }
            });
            let Some(extra) = extra else { return };
            TOPPED_UP_COLLECTIONS.fetch_sub(1, Ordering::AcqRel);
            for (host, n) in extra {
                for _ in 0..n {
                    let host = host as *mut rustpython_vm::PyObject;
                    // SAFETY: each of these is one of the references that
                    // "start" leaked with `mem::forget`, given back once.
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
    let gc_module = crate::types::import_for_layer(vm, "gc")?;
    let callbacks = gc_module.get_attr("callbacks", vm)?;
    let hook = vm.new_function("_cpyext_gc_hook", on_collection);
    vm.call_method(&callbacks, "append", (hook,))?;
    let is_tracked = vm.new_function("is_tracked", |obj: PyObjectRef, vm: &VirtualMachine| is_tracked(vm, &obj));
    gc_module.set_attr("is_tracked", is_tracked, vm)?;
    let host_get_referents = gc_module.get_attr("get_referents", vm)?;
    let get_referents = vm.new_function("get_referents", move |args: rustpython_vm::function::PosArgs, vm: &VirtualMachine| -> PyResult {
        let objects = args.into_vec();
        // Not while listing edges: the host names a C instance's class
        // itself, and a heap C type's tp_traverse visits it too.
        let found = host_get_referents.call(objects.clone(), vm)?;
        let Ok(list) = found.downcast::<rustpython_vm::builtins::PyList>() else { return Err(vm.new_type_error("get_referents".to_owned())) };
        for obj in &objects {
            let Some(visited) = c_visits_of_builtin_based(vm, obj) else { continue };
            let mut items = list.borrow_vec_mut();
            // The C type's tp_traverse decides about the class, as in
            // CPython, where the host names it for every instance.
            let class: &rustpython_vm::PyObject = obj.class().as_object();
            if let Some(at) = items.iter().position(|i| i.is(class)) {
                items.remove(at);
            }
            items.extend(visited);
        }
        Ok(list.into())
    });
    gc_module.set_attr("get_referents", get_referents, vm)?;
    let host_get_referrers = gc_module.get_attr("get_referrers", vm)?;
    let get_referrers = vm.new_function("get_referrers", move |args: rustpython_vm::function::PosArgs, vm: &VirtualMachine| -> PyResult {
        listing_edges(vm, || host_get_referrers.call(args.into_vec(), vm))
    });
    gc_module.set_attr("get_referrers", get_referrers, vm)?;
    Ok(())
}

/// What the tp_traverse of a C type visits in an instance whose host is a
/// builtin's (a C subtype of list or dict): the host reports the builtin's
/// own references, and `gc.get_referents` adds these (atom's lists visit
/// their validator and type), as CPython's reports all of them. None for
/// any other object: a C instance with its own payload reports them
/// through its traverse already.
fn c_visits_of_builtin_based(vm: &VirtualMachine, obj: &PyObjectRef) -> Option<Vec<PyObjectRef>> {
    if super::c_type_of(obj.class()).is_none() || obj.downcast_ref::<super::CInstance>().is_some() {
        return None;
    }
    let object = super::instance_object(obj)?;
    // SAFETY: the struct of `obj`, which the caller holds.
    let traverse = unsafe { (*(*object).ob_type).tp_traverse }?;
    unsafe extern "C" fn collect(child: *mut PyObject, arg: *mut c_void) -> c_int {
        if !child.is_null() {
            // SAFETY: `arg` is the vector below, for the length of the call.
            unsafe { (*(arg as *mut Vec<*mut PyObject>)).push(child) };
        }
        0
    }
    let mut children: Vec<*mut PyObject> = Vec::new();
    let tp = super::super::types::type_proxy(vm, obj.class());
    crate::boundary::call_into_c(vm, crate::boundary::CFunction::Slot(tp, "tp_traverse"), || {
        // SAFETY: the C type's own tp_traverse on its live instance, with a
        // visitproc that only records what it is shown.
        unsafe { traverse(object, Some(collect), &mut children as *mut Vec<*mut PyObject> as *mut c_void) }
    });
    Some(children.into_iter().filter_map(|child| proxy::to_host(vm, child).ok()).collect())
}

/// `gc.is_tracked` as CPython answers it, which extensions and their tests
/// rely on (msgspec untracks structs that hold no containers):
/// - an instance of a C type: as C said (PyObject_GC_Track, UnTrack);
/// - a tuple or dict: once the collector has looked, only if it holds
///   something that may be tracked (CPython's `_PyObject_GC_MAY_BE_TRACKED`:
///   a GC object, except a tuple that is untracked itself; a dict keeps its
///   tuple tracked even when the dict is not);
/// - a type object: only a heap type (CPython's `type_is_gc`: `int` is not
///   tracked, a class is);
/// - anything else: whether its type is a GC type.
pub fn is_tracked(vm: &VirtualMachine, obj: &HostObject) -> bool {
    let cls = obj.class();
    if super::c_type_of(cls).is_some() {
        if let Some(object) = super::instance_object(obj) {
            // SAFETY: the live struct of `obj`, which the caller holds.
            return unsafe { tracked_gc_type(object) }.is_some();
        }
    }
    if cls.is(vm.ctx.types.tuple_type) {
        if let Some(tuple) = obj.downcast_ref::<PyTuple>() {
            return tuple.iter().any(|item| may_be_tracked(vm, item));
        }
    }
    if cls.is(vm.ctx.types.dict_type) {
        if let Some(dict) = obj.downcast_ref::<PyDict>() {
            return dict.into_iter().any(|(key, value)| may_be_tracked(vm, &key) || may_be_tracked(vm, &value));
        }
    }
    is_gc_object(vm, obj)
}

/// CPython's `_PyObject_GC_MAY_BE_TRACKED`: what keeps a tuple or dict
/// holding it tracked.
fn may_be_tracked(vm: &VirtualMachine, obj: &HostObject) -> bool {
    if obj.class().is(vm.ctx.types.tuple_type) {
        return is_tracked(vm, obj);
    }
    is_gc_object(vm, obj)
}

/// CPython's `PyObject_IS_GC`: the type has `Py_TPFLAGS_HAVE_GC` (for an
/// instance of a C type, its C type's flag, tracked or not), and a type
/// object is one only if it is a heap type.
fn is_gc_object(vm: &VirtualMachine, obj: &HostObject) -> bool {
    if let Some(t) = obj.downcast_ref::<rustpython_vm::builtins::PyType>() {
        return t.slots.flags.has_feature(rustpython_vm::types::PyTypeFlags::HEAPTYPE);
    }
    let cls = obj.class();
    if super::c_type_of(cls).is_some() {
        if let Some(object) = super::instance_object(obj) {
            // SAFETY: the live struct of `obj`, which the caller holds.
            return unsafe { (*(*object).ob_type).tp_flags } & ffi::Py_TPFLAGS_HAVE_GC as u64 != 0;
        }
    }
    crate::types::is_gc_class(vm, cls)
}

/// The `visitproc` handed to tp_traverse: reports a child as an edge.
///
/// # Safety
/// `child` must be NULL or a live object, and `arg` the `&mut TraverseFn`
/// that `traverse` passed to tp_traverse.
unsafe extern "C" fn report_edge(child: *mut PyObject, arg: *mut c_void) -> c_int {
    // SAFETY: the caller's contract (C's tp_traverse visits its own live
    // children with the arg it was given); the collector counts as the GIL
    // holder (I1).
    unsafe {
        if child.is_null() {
            return 0;
        }
        let report = &mut *(arg as *mut &mut TraverseFn<'_>);
        if !report_held_host(child, report) {
            return 0;
        }
        // A list's item mirror holds one C reference to each item proxy,
        // which no tp_traverse visits: reported as edges of the list, but
        // only when this C reference is the list's only one (else each
        // holder would report the same references again).
        if (*child).ob_refcnt == 1 && proxy::header(child).is_some_and(|h| h.as_ref().layout == proxy::Layout::List) {
            for &item in crate::api::listobject::mirror_items(child) {
                if !item.is_null() {
                    report_held_host(item, report);
                }
            }
        }
    }
    0
}

/// Reports `child`'s host as one edge if the C reference being visited
/// stands for one strong reference to it (see the module comment); returns
/// whether it did.
///
/// # Safety
/// `child` must be a live object; the collector runs.
unsafe fn report_held_host(child: *mut PyObject, report: &mut TraverseFn<'_>) -> bool {
    // SAFETY: the caller's contract.
    unsafe {
        let count = (*child).ob_refcnt;
        let exact = count == 1
            || (TOPPED_UP_COLLECTIONS.load(Ordering::Relaxed) > 0 && count > 1 && count < ffi::IMMORTAL_REFCNT / 2)
            || (count > 1 && listing_edges_now());
        if !exact {
            return false;
        }
        if let Some(h) = proxy::header(child) {
            let h = h.as_ref();
            if h.holds_host && !h.host.is_null() {
                report(&*h.host);
                return true;
            }
        }
    }
    false
}

/// Reports the edges of a C instance, through its tp_traverse.
///
/// # Safety
/// `object` must be the struct of a live `CInstance` payload.
pub unsafe fn traverse(object: *mut PyObject, traverse_fn: &mut TraverseFn<'_>) {
    // SAFETY: the payload's struct lives as long as its host object.
    let Some(tp) = (unsafe { tracked_gc_type(object) }) else {
        return;
    };
    let mut report: &mut TraverseFn<'_> = traverse_fn;
    let arg = &mut report as *mut &mut TraverseFn<'_> as *mut c_void;
    // SAFETY: C's tp_traverse gets its own live object, our visitproc, and
    // the pointer `report_edge` expects; the collector stopped every other
    // thread. The fields a Python subclass laid out are the object's too
    // (CPython's subtype_traverse visits them).
    gil::as_collector(|_gil| unsafe {
        if let Some(tp_traverse) = (*tp).tp_traverse {
            tp_traverse(object, Some(report_edge), arg);
        }
        crate::types::visit_struct_fields(object, |field| {
            report_edge(*field, arg);
        });
    });
}

/// Breaks a cycle through the instance's tp_clear.
///
/// # Safety
/// As `traverse`: `object` is the struct of a live `CInstance` payload.
pub unsafe fn clear(object: *mut PyObject, out: &mut Vec<PyObjectRef>) {
    // The host also asks a payload to clear when it deallocates the object
    // normally (its count is zero then); CPython runs tp_clear only to break
    // cycles, and tp_dealloc does the rest.
    // SAFETY: the payload's struct and header live as long as its host;
    // a non-null `host` is that host (I3).
    let dying = proxy::header(object).is_none_or(|h| unsafe {
        let h = h.as_ref();
        h.host.is_null() || (*h.host).strong_count() == 0
    });
    if dying {
        return;
    }
    // SAFETY: as above, a live instance.
    let Some(tp) = (unsafe { tracked_gc_type(object) }) else {
        return;
    };
    let released = proxy::collect_releases(|| {
        // The host runs tp_clear after it has restarted the world
        // (RustPython 0.6's collect_inner: "Finalizers and tp_clear must not
        // run under stop-the-world"). In `gc.collect()` this thread holds
        // the GIL from the "start" callback; a collection the host starts by
        // itself at a safepoint runs no callbacks, and tp_clear then ran
        // while another thread was in C under the GIL (repro clearrace).
        // Take it for real then; waiting for it detaches, as the world runs.
        let _gil = (!gil::held()).then(|| rustpython_vm::vm::thread::with_current_vm(gil::GilGuard::acquire));
        // SAFETY: the object is a live, tracked instance of a GC type, its
        // tp_clear (if any) C's; this thread holds the GIL. A Python
        // subclass's own fields go first, as in CPython's subtype_clear.
        gil::as_collector(|_gil| unsafe {
            crate::types::visit_struct_fields(object, |field| {
                proxy::xdecref(std::mem::replace(&mut *field, std::ptr::null_mut()));
            });
            if let Some(tp_clear) = (*tp).tp_clear {
                tp_clear(object);
            }
        })
    });
    out.extend(released);
}
