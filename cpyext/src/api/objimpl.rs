//! objimpl.h: the object allocator (the C heap, like the PyMem family).
use super::pymem;
use crate::ffi::{self, PyObject, PyTypeObject, Py_ssize_t};
use crate::{ctype, proxy};
use cpyext_macros::cpython_api;
use rustpython_vm::{PyResult, VirtualMachine};
use std::ffi::c_void;

#[cpython_api]
fn PyObject_Malloc(size: usize) -> *mut c_void {
    fresh_block(pymem::domain_malloc(pymem::DOMAIN_OBJ, size))
}

#[cpython_api]
fn PyObject_Calloc(nelem: usize, elsize: usize) -> *mut c_void {
    fresh_block(pymem::domain_calloc(pymem::DOMAIN_OBJ, nelem, elsize))
}

#[cpython_api]
fn PyObject_Realloc(vm: &VirtualMachine, ptr: *mut c_void, new_size: usize) -> *mut c_void {
    // An object's own memory, which C grows after _Py_ForgetReference and
    // makes an object again with PyObject_InitVar: the instance ends, and
    // the memory returned is plain (an arena block is no heap block).
    // C may also grow a live object and go on using it with no new
    // PyObject_Init (nanobind's inst_new_ext, right after PyObject_Init):
    // the block is then the same object at its new address, with its count
    // and its type (PyObject_Init on it later adopts it afresh, as it does
    // any block; ending the old adoption there would act on stale records
    // of memory C freed behind our back, numpy's flatiter).
    if !ptr.is_null() {
        let object = ptr as *mut PyObject;
        // SAFETY: a registered instance's head, read under the GIL.
        let live = proxy::is_instance(object).then(|| unsafe { ((*object).ob_refcnt, (*object).ob_type) });
        let moved = proxy::realloc_instance(
            object,
            new_size,
            |n| pymem::domain_malloc(pymem::DOMAIN_OBJ, n.max(1)) as *mut u8,
            |p, n| pymem::domain_realloc(pymem::DOMAIN_OBJ, p as *mut c_void, n) as *mut u8,
        );
        if let Some(block) = moved {
            let block = fresh_block(block as *mut c_void);
            if let Some((refcnt, tp)) = live.filter(|(n, tp)| *n > 0 && !tp.is_null() && !block.is_null()) {
                let op = block as *mut PyObject;
                // SAFETY: the moved block holds the object's head and struct.
                if unsafe { adopt_c_memory(vm, op, tp) }.is_ok() {
                    // SAFETY: as above; adopting set a count of one, C's is the object's.
                    unsafe { (*op).ob_refcnt = refcnt };
                }
            }
            return block;
        }
    }
    let block = pymem::domain_realloc(pymem::DOMAIN_OBJ, ptr, new_size);
    if block != ptr { fresh_block(block) } else { block }
}

/// A block the allocator just handed out is no instance, whatever an
/// instance C freed there with libc's `free` left registered: PyObject_Free
/// must treat it as plain memory.
fn fresh_block(block: *mut c_void) -> *mut c_void {
    if !block.is_null() {
        proxy::forget_freed_foreign(block as usize);
    }
    block
}

/// Frees a block: an object's memory (the tp_free of most types) or a
/// plain allocation.
#[cpython_api]
fn PyObject_Free(ptr: *mut c_void) {
    free_object(ptr)
}

pub(crate) fn free_object(ptr: *mut c_void) {
    let object = ptr as *mut PyObject;
    if !ptr.is_null() && proxy::is_instance(object) {
        // A PyObject_Malloc block C made an object of is freed here, past
        // domain_free: its trace ends with it.
        if super::tracemalloc::is_tracing() {
            super::tracemalloc::on_free(ptr);
        }
        proxy::free_instance(object);
    } else {
        pymem::domain_free(pymem::DOMAIN_OBJ, ptr)
    }
}

/// Makes C memory from PyObject_Malloc an object of `tp`.
#[cpython_api]
unsafe fn PyObject_Init(vm: &VirtualMachine, op: *mut PyObject, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    if op.is_null() {
        return Err(crate::error_indicator::no_memory(vm));
    }
    // SAFETY: C passes its own block, big enough for `tp`, and a readied type.
    unsafe {
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0 {
            proxy::incref(tp as *mut PyObject);
        }
        adopt_c_memory(vm, op, tp)?;
    }
    Ok(op)
}

/// Makes C's block at `op` a live object of `tp` with one reference: the
/// part PyObject_Init and `_Py_NewReference` share (the latter leaves the
/// type's count alone).
///
/// # Safety
/// `op` is a block C allocated, at least `tp_basicsize` bytes, and `tp` a
/// type object.
pub(crate) unsafe fn adopt_c_memory(vm: &VirtualMachine, op: *mut PyObject, tp: *mut PyTypeObject) -> PyResult<()> {
    let cls = ctype::class_of_type(vm, tp)?;
    // SAFETY: the caller's contract.
    unsafe {
        (*op).ob_refcnt = 1;
        (*op).ob_type = tp;
        proxy::adopt_instance(op, (*tp).tp_basicsize as usize);
    }
    ctype::attach(vm, op, cls)
}

#[cpython_api]
unsafe fn PyObject_InitVar(op: *mut ffi::PyVarObject, tp: *mut PyTypeObject, size: Py_ssize_t) -> *mut ffi::PyVarObject {
    if !op.is_null() {
        (*op).ob_size = size;
    }
    PyObject_Init(op as *mut PyObject, tp) as *mut ffi::PyVarObject
}

#[cpython_api]
fn _PyObject_New(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    ctype::alloc_instance(vm, tp, 0)
}

#[cpython_api]
fn _PyObject_NewVar(vm: &VirtualMachine, tp: *mut PyTypeObject, n: Py_ssize_t) -> PyResult<*mut ffi::PyVarObject> {
    Ok(ctype::alloc_instance(vm, tp, n)? as *mut ffi::PyVarObject)
}

fn set_tracked(object: *mut PyObject, tracked: bool) {
    // SAFETY: C's object (I8 in proxy.rs), under the GIL; one field written.
    if let Some(h) = unsafe { proxy::header_mut(object) } {
        if h.layout == proxy::Layout::Instance {
            h.gc_tracked = tracked;
        } else {
            h.gc_untracked = !tracked;
        }
    }
}

/// An untracked instance of a GC type; PyObject_GC_Track starts following it.
#[cpython_api]
fn _PyObject_GC_New(vm: &VirtualMachine, tp: *mut PyTypeObject) -> PyResult<*mut PyObject> {
    let object = ctype::alloc_instance(vm, tp, 0)?;
    set_tracked(object, false);
    Ok(object)
}

#[cpython_api]
fn _PyObject_GC_NewVar(vm: &VirtualMachine, tp: *mut PyTypeObject, n: Py_ssize_t) -> PyResult<*mut ffi::PyVarObject> {
    let object = ctype::alloc_instance(vm, tp, n)?;
    set_tracked(object, false);
    Ok(object as *mut ffi::PyVarObject)
}

/// Gives a GC object of a variable-size type room for `nitems` items, for
/// C that grows it before anyone else sees it (one reference, as CPython
/// requires). The layer's instances cannot grow in place: a new one takes
/// the fields and the items that fit, and the old memory is freed, so the
/// result may be a different address, as CPython's realloc may be.
#[cpython_api]
fn _PyObject_GC_Resize(vm: &VirtualMachine, op: *mut ffi::PyVarObject, nitems: Py_ssize_t) -> PyResult<*mut ffi::PyVarObject> {
    let object = op as *mut PyObject;
    if op.is_null() || !proxy::is_instance(object) || nitems < 0 {
        return Err(super::bad_internal_call(vm));
    }
    // SAFETY: a live instance of a readied type (I7): its header fields are C's.
    let (tp, old_items) = unsafe { ((*object).ob_type, (*op).ob_size) };
    // SAFETY: as above.
    let (basic, item) = unsafe { ((*tp).tp_basicsize as usize, (*tp).tp_itemsize as usize) };
    let fresh = ctype::alloc_instance(vm, tp, nitems)?;
    // SAFETY: both are instances of `tp`, with room for their own counts of
    // items; the copy skips the object head and ob_size, and covers the
    // fields and the items both have.
    unsafe {
        let head = size_of::<ffi::PyVarObject>();
        let keep = basic + item * (old_items.min(nitems).max(0) as usize);
        if keep > head {
            std::ptr::copy_nonoverlapping((object as *const u8).add(head), (fresh as *mut u8).add(head), keep - head);
        }
        set_tracked(fresh, instance_is_tracked(object));
        free_object(object as *mut c_void);
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HEAPTYPE as u64 != 0 {
            // The freed instance's reference to its heap type, taken by its
            // allocation, which no tp_dealloc will now release.
            proxy::decref(tp as *mut PyObject);
        }
    }
    Ok(fresh as *mut ffi::PyVarObject)
}

/// Whether C tracks an instance (the field PyObject_GC_Track sets).
fn instance_is_tracked(object: *mut PyObject) -> bool {
    // SAFETY: C's instance (I8 in proxy.rs), under the GIL; one field read.
    unsafe { proxy::header_mut(object) }.is_some_and(|h| h.gc_tracked)
}

#[cpython_api]
fn PyObject_GC_Track(op: *mut c_void) {
    set_tracked(op as *mut PyObject, true)
}

#[cpython_api]
fn PyObject_GC_UnTrack(op: *mut c_void) {
    set_tracked(op as *mut PyObject, false)
}

#[cpython_api]
fn PyObject_GC_IsTracked(vm: &VirtualMachine, op: *mut PyObject) -> std::ffi::c_int {
    // SAFETY: C's object (I8 in proxy.rs), under the GIL; one field read.
    let Some(h) = (unsafe { proxy::header_mut(op) }) else { return 0 };
    if h.layout == proxy::Layout::Instance {
        return h.gc_tracked as std::ffi::c_int;
    }
    // A host object is tracked as CPython's would be, unless C said otherwise.
    (!h.gc_untracked && proxy::to_host(vm, op).is_ok_and(|host| ctype::gc::is_tracked(vm, &host))) as std::ffi::c_int
}

#[cpython_api]
fn PyObject_GC_Del(op: *mut c_void) {
    free_object(op)
}

/// For a tp_dealloc: runs tp_finalize first; -1 if it resurrected the
/// object (the tp_dealloc must then return without freeing it).
#[cpython_api]
fn PyObject_CallFinalizerFromDealloc(vm: &VirtualMachine, op: *mut PyObject) -> std::ffi::c_int {
    if ctype::finalize_from_dealloc(vm, op) { -1 } else { 0 }
}

/// gc.collect(): the number of unreachable objects found.
#[cpython_api]
fn PyGC_Collect(vm: &VirtualMachine) -> PyResult<Py_ssize_t> {
    let gc = crate::types::import_for_layer(vm, "gc")?;
    let collect = gc.get_attr("collect", vm)?;
    let found = crate::gil::without_gil(vm, || collect.call((), vm))?;
    found.try_into_value(vm)
}

/// The state of the cycle collector before the call, as gc.isenabled().
fn gc_switch(vm: &VirtualMachine, method: Option<&str>) -> PyResult<std::ffi::c_int> {
    let gc = crate::types::import_for_layer(vm, "gc")?;
    let was_enabled = vm.call_method(&gc, "isenabled", ())?.try_to_bool(vm)?;
    if let Some(method) = method {
        vm.call_method(&gc, method, ())?;
    }
    Ok(was_enabled as std::ffi::c_int)
}

#[cpython_api]
fn PyGC_Enable(vm: &VirtualMachine) -> PyResult<std::ffi::c_int> {
    gc_switch(vm, Some("enable"))
}

#[cpython_api]
fn PyGC_Disable(vm: &VirtualMachine) -> PyResult<std::ffi::c_int> {
    gc_switch(vm, Some("disable"))
}

#[cpython_api]
fn PyGC_IsEnabled(vm: &VirtualMachine) -> PyResult<std::ffi::c_int> {
    gc_switch(vm, None)
}

/// Whether the collector follows `obj`: its type has Py_TPFLAGS_HAVE_GC and
/// its tp_is_gc, if any, agrees.
/// # Safety
/// `obj` must be a live object.
#[cpython_api]
unsafe fn PyObject_IS_GC(obj: *mut PyObject) -> std::ffi::c_int {
    // SAFETY: a live object has a live type.
    unsafe {
        let tp = (*obj).ob_type;
        if (*tp).tp_flags & ffi::Py_TPFLAGS_HAVE_GC as u64 == 0 {
            return 0;
        }
        match (*tp).tp_is_gc {
            Some(is_gc) => is_gc(obj),
            None => 1,
        }
    }
}

/// # Safety
/// `tp` must be a live type object.
#[cpython_api]
unsafe fn PyType_SUPPORTS_WEAKREFS(tp: *mut PyTypeObject) -> std::ffi::c_int {
    // SAFETY: the caller passes a live type.
    (unsafe { (*tp).tp_weaklistoffset } > 0) as std::ffi::c_int
}

/// The address of an object's weak-reference list slot (tp_weaklistoffset).
/// # Safety
/// `op` must be a live object whose type supports weak references.
#[cpython_api]
unsafe fn PyObject_GET_WEAKREFS_LISTPTR(op: *mut PyObject) -> *mut *mut PyObject {
    // SAFETY: the offset lies inside the object for such a type.
    unsafe { (op as *mut u8).offset((*(*op).ob_type).tp_weaklistoffset) as *mut *mut PyObject }
}

/// Whether the object's tp_finalize has run already (PEP 442: once per
/// object of a GC type).
/// # Safety
/// `op` must be a live object.
#[cpython_api]
unsafe fn PyObject_GC_IsFinalized(op: *mut PyObject) -> std::ffi::c_int {
    // SAFETY: the caller passes a live object.
    let is_gc = unsafe { PyObject_IS_GC(op) } != 0;
    // SAFETY: as above; the header is only read, and no code runs meanwhile (I2).
    let Some(h) = is_gc.then(|| unsafe { proxy::header_mut(op) }).flatten() else {
        return 0;
    };
    // A Python class's `__del__` runs in the host, which marks the host
    // object rather than our header.
    // SAFETY: a live proxy holds its host, or Python keeps it alive (I3).
    (h.finalized || (!h.host.is_null() && unsafe { (*h.host).gc_finalized() })) as std::ffi::c_int
}

/// The arena allocator. CPython's small-object allocator takes its 256 KiB
/// arenas from it; the layer's objects come from the C heap instead, so an
/// allocator C sets is kept and handed back, as CPython does, but never
/// called by the layer (docs/differences.md). The default maps anonymous
/// memory, as CPython's does, for C that calls it directly.
struct ArenaAllocator(ffi::PyObjectArenaAllocator);
// SAFETY: a table of C function pointers and a context, which CPython's
// contract lets any thread use.
unsafe impl Send for ArenaAllocator {}

static ARENA_ALLOCATOR: std::sync::Mutex<Option<ArenaAllocator>> = std::sync::Mutex::new(None);

unsafe extern "C" fn default_arena_alloc(_ctx: *mut c_void, size: usize) -> *mut c_void {
    // SAFETY: an anonymous private mapping; no memory of ours is touched.
    let block = unsafe { libc::mmap(std::ptr::null_mut(), size, libc::PROT_READ | libc::PROT_WRITE, libc::MAP_PRIVATE | libc::MAP_ANONYMOUS, -1, 0) };
    if block == libc::MAP_FAILED { std::ptr::null_mut() } else { block }
}

unsafe extern "C" fn default_arena_free(_ctx: *mut c_void, ptr: *mut c_void, size: usize) {
    if !ptr.is_null() {
        // SAFETY: the caller's contract: a block default_arena_alloc mapped with this size.
        unsafe { libc::munmap(ptr, size) };
    }
}

fn default_arena_allocator() -> ffi::PyObjectArenaAllocator {
    ffi::PyObjectArenaAllocator { ctx: std::ptr::null_mut(), alloc: Some(default_arena_alloc), free: Some(default_arena_free) }
}

/// # Safety
/// `allocator` must point to a writable PyObjectArenaAllocator.
#[cpython_api(no_gil)]
unsafe fn PyObject_GetArenaAllocator(allocator: *mut ffi::PyObjectArenaAllocator) {
    let current = ARENA_ALLOCATOR.lock().unwrap().as_ref().map_or_else(default_arena_allocator, |a| a.0);
    if !allocator.is_null() {
        // SAFETY: the caller's contract.
        unsafe { *allocator = current };
    }
}

/// # Safety
/// `allocator` must point to a filled PyObjectArenaAllocator.
#[cpython_api(no_gil)]
unsafe fn PyObject_SetArenaAllocator(allocator: *mut ffi::PyObjectArenaAllocator) {
    if !allocator.is_null() {
        // SAFETY: the caller's contract.
        *ARENA_ALLOCATOR.lock().unwrap() = Some(ArenaAllocator(unsafe { *allocator }));
    }
}
