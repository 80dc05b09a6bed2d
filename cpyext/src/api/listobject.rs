//! listobject.h. The host list holds the items; the list's proxy carries
//! CPython's `PyListObject`, whose `ob_item` array of owned item proxies
//! mirrors the host list. The mirror is brought up to date each time the
//! list is handed to C (`refresh_list_proxy`, called by the object model)
//! and by every function here that changes the list, so C code that reads
//! `ob_item` and `ob_size` directly (Cython's list slicing) sees the items.
//!
//! A list from `PyList_New` is *pending*: it lives in its array alone, which
//! C may fill directly (Cython writes `ob_item`), until it first crosses
//! into Python, when its host list is made from the array.
//!
//! While C holds a list, Python code can change it without the layer
//! seeing; the item functions therefore check the mirror against the host
//! list, and the mirror is only as fresh as the last hand-over or list call.
use super::bad_internal_call;
use crate::ffi::{PyListObject, PyObject, Py_ssize_t};
use crate::proxy::{self, Layout};
use cpyext_macros::cpython_api;
use rustpython_vm::builtins::{PyList, PyListRef};
use rustpython_vm::{AsObject, Py, PyObjectRef, PyResult, VirtualMachine};
use std::cell::Cell;
use std::ffi::c_int;

/// A list proxy's body: CPython's struct, then the size the layer last
/// gave `ob_size`, so that a change C makes to `ob_size` itself (Cython's
/// star-unpacking pops the last item that way) is seen and carried over to
/// the host list (`sync_list_size`).
#[repr(C)]
pub struct ListProxy {
    list: PyListObject,
    mirrored_size: Py_ssize_t,
}

/// The object bytes of a list proxy.
pub fn list_proxy_size(_vm: &VirtualMachine, _obj: &PyObjectRef) -> usize {
    size_of::<ListProxy>()
}

/// Sets `ob_size` and records it as the layer's own.
///
/// # Safety
/// `mirror` must be a live list proxy.
unsafe fn set_size(mirror: *mut PyListObject, n: usize) {
    // SAFETY: the caller's contract: a list proxy's body is a `ListProxy`.
    unsafe {
        (*mirror).ob_base.ob_size = n as Py_ssize_t;
        (*(mirror as *mut ListProxy)).mirrored_size = n as Py_ssize_t;
    }
}

/// Object-model hook, run before the host list of a list proxy is used:
/// if C changed `ob_size` directly, the host list follows. A smaller size
/// hands the references of the items past it to C (CPython's contract);
/// a larger one, within `allocated`, adds the items C put in the new slots.
pub fn sync_list_size(vm: &VirtualMachine, proxy: *mut PyObject, host: &rustpython_vm::PyObject) {
    let mirror = proxy as *mut PyListObject;
    // SAFETY: the object model passes a live list proxy with a host.
    let (size, mirrored, allocated) = unsafe {
        ((*mirror).ob_base.ob_size, (*(mirror as *mut ListProxy)).mirrored_size, (*mirror).allocated)
    };
    if size == mirrored {
        return;
    }
    let Some(list) = host.downcast_ref::<PyList>() else { return };
    if (0..mirrored).contains(&size) {
        // SAFETY: slots past the new size are C's now: cleared, not released.
        unsafe {
            for i in size..mirrored {
                *(*mirror).ob_item.add(i as usize) = std::ptr::null_mut();
            }
        }
        let removed = {
            let mut current = list.borrow_vec_mut();
            let keep = current.len().saturating_sub((mirrored - size) as usize);
            current.split_off(keep)
        };
        drop(removed);
        // SAFETY: as above.
        unsafe { set_size(mirror, size as usize) };
    } else if size > mirrored && size <= allocated {
        let mut added = Vec::new();
        let mut filled = mirrored;
        while filled < size {
            // SAFETY: a slot within `allocated`, written by C.
            let item = unsafe { *(*mirror).ob_item.add(filled as usize) };
            match (!item.is_null()).then(|| proxy::to_host(vm, item)) {
                Some(Ok(host_item)) => added.push(host_item),
                _ => break,
            }
            filled += 1;
        }
        list.borrow_vec_mut().extend(added);
        // SAFETY: as above; slots past `filled` that C set without a valid
        // item are dropped from the size.
        unsafe { set_size(mirror, filled as usize) };
    } else {
        // A size C cannot have meant (negative, or past the array): undone.
        // SAFETY: as above.
        unsafe { (*mirror).ob_base.ob_size = mirrored };
    }
}

thread_local! {
    /// Set while a mirror is being rebuilt: lists met among its items are
    /// marked stale and queued in NESTED rather than rebuilt at once, so
    /// that nested and self-containing lists never recurse.
    static REFRESHING: Cell<bool> = const { Cell::new(false) };
    /// The nested lists met by the rebuild under way. The outermost rebuild
    /// works through them before it returns: C reaches an inner list
    /// through the outer one's `ob_item` and may read the inner `ob_item`
    /// with no call in between, so every mirror C can reach is whole.
    static NESTED: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Where a list lives: still only in C's array, or in a host list.
enum ListRef {
    /// A list from `PyList_New` that has not crossed into Python yet.
    Pending(*mut PyListObject),
    /// A host list; `mirror` is its proxy's body when the proxy is a list
    /// proxy (not, say, an instance of a C subclass of list).
    Host { list: PyListRef, mirror: Option<*mut PyListObject> },
}

/// The host list behind `p` (making a pending list's host object).
fn downcast_host(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<PyListRef> {
    proxy::to_host(vm, p)?.downcast::<PyList>().map_err(|_| bad_internal_call(vm))
}

/// The list behind `p`, without making a pending list's host object.
fn list_ref(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<ListRef> {
    if p.is_null() {
        return Err(bad_internal_call(vm));
    }
    let (is_list_proxy, pending) = match proxy::header(p) {
        // SAFETY: a registered header, read under the GIL (I1, I2); a live
        // proxy C passed (I8) is readable for its count.
        Some(h) => unsafe {
            let h = h.as_ref();
            (h.layout == Layout::List, h.layout == Layout::List && h.host.is_null() && (*p).ob_refcnt > 0)
        },
        None => (false, false),
    };
    if pending {
        return Ok(ListRef::Pending(p as *mut PyListObject));
    }
    let list = downcast_host(vm, p)?;
    let mirror = is_list_proxy.then_some(p as *mut PyListObject);
    if let Some(mirror) = mirror {
        refresh_if_stale(vm, mirror, &list);
    }
    Ok(ListRef::Host { list, mirror })
}

/// Whether `p` is a list (or a list subclass) as PyList_Check tells, without
/// touching its host. The item list of PyList_SetSlice may be any sequence
/// (a tuple: Cython's __Pyx_PEP560_update_bases), which `list_ref` refuses.
fn is_list(p: *mut PyObject) -> bool {
    super::has_type_flag(p, crate::ffi::Py_TPFLAGS_LIST_SUBCLASS)
}

/// The host list behind `p`, making a pending list's host object.
fn host_list(vm: &VirtualMachine, p: *mut PyObject) -> PyResult<(PyListRef, Option<*mut PyListObject>)> {
    match list_ref(vm, p)? {
        ListRef::Host { list, mirror } => Ok((list, mirror)),
        ListRef::Pending(_) => Ok((downcast_host(vm, p)?, Some(p as *mut PyListObject))),
    }
}

/// The mirror of a list proxy (None for other proxies, such as instances of
/// C subclasses of list).
fn list_mirror(p: *mut PyObject) -> Option<*mut PyListObject> {
    // SAFETY: a registered header, read under the GIL (I1, I2).
    proxy::header(p).filter(|h| unsafe { h.as_ref().layout } == Layout::List).map(|_| p as *mut PyListObject)
}

fn is_stale(mirror: *mut PyListObject) -> bool {
    // SAFETY: a list proxy's header, read under the GIL (I1, I2).
    proxy::header(mirror as *mut PyObject).is_some_and(|h| unsafe { h.as_ref().stale })
}

fn set_stale(mirror: *mut PyListObject, stale: bool) {
    if let Some(h) = proxy::header(mirror as *mut PyObject) {
        // SAFETY: as in `is_stale`; a one-field write, no code runs.
        unsafe { (*h.as_ptr()).stale = stale };
    }
}

fn refresh_if_stale(vm: &VirtualMachine, mirror: *mut PyListObject, list: &Py<PyList>) {
    if is_stale(mirror) {
        // SAFETY: `mirror` is the live proxy of `list`.
        unsafe { rebuild_mirror(vm, mirror, list) };
    }
}

/// Whether `item` is the proxy of `host` (an item proxy in a mirror holds
/// its host, so the address cannot have been reused, I3).
fn is_proxy_of(item: *mut PyObject, host: &PyObjectRef) -> bool {
    !item.is_null()
        // SAFETY: a mirror's items are live proxies; the header is read under the GIL (I1, I2).
        && proxy::header(item).is_some_and(|h| unsafe { h.as_ref().host } == host.as_object() as *const _)
}

/// Slot `i` of a list proxy's mirror, if it holds the proxy of `host`.
///
/// # Safety
/// `mirror` must be a live list proxy.
unsafe fn slot_holding(mirror: *mut PyListObject, i: usize, host: &PyObjectRef) -> Option<*mut PyObject> {
    // SAFETY: the caller's contract; the slot is copied out at once.
    unsafe { items(mirror) }.get(i).copied().filter(|p| is_proxy_of(*p, host))
}

/// The `ob_item` slots of a list proxy, as a slice of its `ob_size` items.
///
/// # Safety
/// `mirror` must be a live list proxy; the slice must not outlive a change
/// to the array (growth, release). A size C set past the array is cut to it.
unsafe fn items<'a>(mirror: *mut PyListObject) -> &'a mut [*mut PyObject] {
    // SAFETY: the caller's contract: `ob_item` holds `ob_size` slots, or is
    // NULL with `ob_size` 0.
    unsafe {
        let n = (*mirror).ob_base.ob_size.clamp(0, (*mirror).allocated.max(0)) as usize;
        if (*mirror).ob_item.is_null() || n == 0 {
            return &mut [];
        }
        std::slice::from_raw_parts_mut((*mirror).ob_item, n)
    }
}

/// All `allocated` slots, also those past `ob_size`: CPython's
/// `PyList_SET_ITEM` writes any of them, and C that builds a list in place
/// (`Py_SET_SIZE(list, 0)`, then set the next slot and grow the size while
/// `allocated` allows) relies on it.
///
/// # Safety
/// As `items`: `ob_item` holds `allocated` slots, or is NULL.
unsafe fn capacity_slots<'a>(mirror: *mut PyListObject) -> &'a mut [*mut PyObject] {
    // SAFETY: the caller's contract.
    unsafe {
        let n = (*mirror).allocated.max(0) as usize;
        if (*mirror).ob_item.is_null() || n == 0 {
            return &mut [];
        }
        std::slice::from_raw_parts_mut((*mirror).ob_item, n)
    }
}

/// Makes room for `n` slots, the new ones NULL; `ob_size` is unchanged.
///
/// # Safety
/// `mirror` must be a live list proxy.
unsafe fn reserve(mirror: *mut PyListObject, n: usize) {
    // SAFETY: the caller's contract.
    if !unsafe { try_reserve(mirror, n) } {
        crate::boundary::fatal("out of memory growing a list's item array");
    }
}

/// `reserve`, or false when the memory cannot be had (nothing changed).
///
/// # Safety
/// As for `reserve`.
unsafe fn try_reserve(mirror: *mut PyListObject, n: usize) -> bool {
    // SAFETY: the caller's contract; the array is ours (libc heap), and
    // grown slots are zeroed before anyone reads them.
    unsafe {
        let allocated = (*mirror).allocated.max(0) as usize;
        if n <= allocated {
            return true;
        }
        let new_allocated = n.max(allocated + allocated / 2).max(4);
        let Some(bytes) = new_allocated.checked_mul(size_of::<*mut PyObject>()).filter(|&b| b <= isize::MAX as usize) else {
            return false;
        };
        let array = libc::realloc((*mirror).ob_item as *mut libc::c_void, bytes) as *mut *mut PyObject;
        if array.is_null() {
            return false;
        }
        std::ptr::write_bytes(array.add(allocated), 0, new_allocated - allocated);
        (*mirror).ob_item = array;
        (*mirror).allocated = new_allocated as Py_ssize_t;
    }
    true
}

/// Makes the mirror hold the host list's items again; slots that already
/// hold the right proxy are kept, so an unchanged list costs one pointer
/// comparison an item.
///
/// # Safety
/// `mirror` must be the live proxy of `list`, under the GIL.
unsafe fn rebuild_mirror(vm: &VirtualMachine, mirror: *mut PyListObject, list: &Py<PyList>) {
    if REFRESHING.with(|r| r.get()) {
        if !is_stale(mirror) {
            set_stale(mirror, true);
            NESTED.with(|n| n.borrow_mut().push(mirror as usize));
        }
        return;
    }
    // SAFETY: the caller's contract.
    unsafe { rebuild_one_mirror(vm, mirror, list) };
    // The nested lists, in turn (each may queue more). Each is alive: the
    // mirror that met it holds its proxy, and no Python code has run since.
    while let Some(nested) = NESTED.with(|n| n.borrow_mut().pop()) {
        let nested = nested as *mut PyListObject;
        if !is_stale(nested) {
            continue;
        }
        let host = current_host_of(nested);
        match host.as_ref().and_then(|h| h.downcast_ref::<PyList>()) {
            // SAFETY: the live proxy of `host`, under the GIL.
            Some(inner) => unsafe { rebuild_one_mirror(vm, nested, inner) },
            None => set_stale(nested, false),
        }
    }
}

/// The host object of a list proxy, if it has one.
fn current_host_of(mirror: *mut PyListObject) -> Option<PyObjectRef> {
    // SAFETY: a registered header, read under the GIL (I1, I2); a list
    // proxy with a host holds it (I3).
    proxy::header(mirror as *mut PyObject).and_then(|h| unsafe { h.as_ref().host() })
}

/// One list's part of `rebuild_mirror`.
///
/// # Safety
/// As `rebuild_mirror`.
unsafe fn rebuild_one_mirror(vm: &VirtualMachine, mirror: *mut PyListObject, list: &Py<PyList>) {
    sync_list_size(vm, mirror as *mut PyObject, list.as_object());
    {
        let current = list.borrow_vec();
        // SAFETY: the caller's contract; nothing runs while the slice lives.
        let slots = unsafe { items(mirror) };
        if slots.len() == current.len() && slots.iter().zip(current.iter()).all(|(p, h)| is_proxy_of(*p, h)) {
            set_stale(mirror, false);
            return;
        }
    }
    // A copy: making item proxies must not hold the list's lock.
    let current = list.borrow_vec().to_vec();
    REFRESHING.with(|r| r.set(true));
    let mut released = Vec::new();
    // SAFETY: the caller's contract. Making an item proxy runs no Python
    // code, and a nested hand-over of this list only marks it stale, so
    // the array is not changed behind the loop.
    unsafe {
        let old_size = items(mirror).len();
        reserve(mirror, current.len());
        let array = (*mirror).ob_item;
        for (i, host) in current.iter().enumerate() {
            let slot = array.add(i);
            let old = if i < old_size { *slot } else { std::ptr::null_mut() };
            if is_proxy_of(old, host) {
                continue;
            }
            *slot = proxy::new_ref(vm, host);
            if !old.is_null() {
                released.push(old);
            }
        }
        for i in current.len()..old_size {
            released.push(std::mem::replace(&mut *array.add(i), std::ptr::null_mut()));
        }
        set_size(mirror, current.len());
    }
    REFRESHING.with(|r| r.set(false));
    set_stale(mirror, false);
    for old in released {
        release_slot_item(old);
    }
}

/// Gives up the mirror's reference to an item it no longer holds. Inside a
/// call, C may still hold the item it borrowed from that slot (a Python
/// thread changed the list meanwhile), so it stays alive until the call
/// from Python returns, as a borrowed reference does.
fn release_slot_item(old: *mut PyObject) {
    if crate::borrow::frame_active() {
        // SAFETY: `old` is NULL or the mirror's own reference, handed over.
        unsafe { crate::borrow::cpyext_keep_alive(old) };
    } else {
        // A release outside a call may run Python code, so it comes last.
        proxy::xdecref(old);
    }
}

/// Points slot `i` of the mirror at `item`'s proxy, if the mirror has that
/// slot; returns the proxy (borrowed: the mirror owns it).
///
/// # Safety
/// `mirror` must be a live list proxy, under the GIL.
unsafe fn update_slot(vm: &VirtualMachine, mirror: *mut PyListObject, i: usize, item: &PyObjectRef) -> Option<*mut PyObject> {
    // SAFETY: the caller's contract.
    if i >= unsafe { items(mirror) }.len() {
        return None;
    }
    // Made before the slot is touched: making it may hand over a nested list.
    let new = proxy::new_ref(vm, item);
    // SAFETY: the caller's contract; the mirror keeps its length during a call.
    let old = match unsafe { items(mirror) }.get_mut(i) {
        Some(slot) => std::mem::replace(slot, new),
        None => {
            proxy::xdecref(new);
            return None;
        }
    };
    release_slot_item(old);
    Some(new)
}

/// Object-model hook: fills a new list proxy's mirror.
///
/// # Safety
/// `proxy` is a new, zeroed list proxy of `obj`.
pub unsafe fn fill_list_proxy(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef, _fresh: bool) {
    // SAFETY: the caller's contract.
    unsafe { refresh_list_proxy(vm, proxy, obj) };
}

/// Object-model hook: a list handed to C again.
///
/// # Safety
/// `proxy` is the live list proxy of `obj`.
pub unsafe fn refresh_list_proxy(vm: &VirtualMachine, proxy: *mut PyObject, obj: &PyObjectRef) {
    // Only a list proxy has a mirror: an instance of a C subclass of list
    // is the C type's own struct.
    // SAFETY: a registered header, read under the GIL (I1, I2).
    if !proxy::header(proxy).is_some_and(|h| unsafe { h.as_ref().layout } == Layout::List) {
        return;
    }
    if let Some(list) = obj.downcast_ref::<PyList>() {
        // SAFETY: the caller's contract.
        unsafe { rebuild_mirror(vm, proxy as *mut PyListObject, list) };
    }
}

/// A list C changed through the host (`PyObject_DelItem`, a slice
/// assignment, a Python function or method C called with it): its mirror
/// follows before the call returns to C, as in CPython, where the list is
/// the struct C reads. mypyc reads `ob_size` itself for `len(xs)` and walks
/// `ob_item` in `for x in xs`, so after `del xs[j]` (`PyObject_DelItem`) it
/// saw the old length and items. Not a list, or a list without a proxy:
/// nothing to do.
pub fn refresh_after_host_change(vm: &VirtualMachine, obj: &PyObjectRef) {
    if obj.downcast_ref::<PyList>().is_none() {
        return;
    }
    if let Some(p) = proxy::existing_proxy(obj) {
        // SAFETY: a proxy in the identity table is the live proxy of `obj`
        // (I4); `refresh_list_proxy` leaves any other layout alone.
        unsafe { refresh_list_proxy(vm, p, obj) };
    }
}

/// Object-model hook: the host list of a list C made and filled, as it
/// first crosses into Python. The array stays, as the mirror.
pub fn list_from_proxy(vm: &VirtualMachine, proxy: *mut PyObject) -> PyResult<PyObjectRef> {
    // The host list exists before its items are converted: C may have put
    // the list in itself, directly or through other lists it is filling
    // (an unpickler's `l.append(l)`), and those items are this list.
    let list = vm.ctx.new_list(Vec::new());
    BEING_MATERIALIZED.with(|m| m.borrow_mut().push((proxy as usize, list.clone())));
    let filled = fill_materialized(vm, proxy, &list);
    BEING_MATERIALIZED.with(|m| m.borrow_mut().pop());
    filled?;
    Ok(list.into())
}

thread_local! {
    /// The pending lists whose host lists are being filled, innermost last.
    static BEING_MATERIALIZED: std::cell::RefCell<Vec<(usize, PyListRef)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Puts the items of a pending list proxy into its new host list.
fn fill_materialized(vm: &VirtualMachine, proxy: *mut PyObject, list: &PyListRef) -> PyResult<()> {
    let mirror = proxy as *mut PyListObject;
    // SAFETY: the object model calls this on a live pending list proxy.
    let slots = unsafe { items(mirror) };
    let mut elements = Vec::with_capacity(slots.len());
    let in_call = crate::borrow::frame_active();
    let mut holes = false;
    for (i, item) in slots.iter().enumerate() {
        let being_made = BEING_MATERIALIZED.with(|m| m.borrow().iter().find(|(p, _)| *p == *item as usize).map(|(_, l)| l.clone()));
        if let Some(outer) = being_made {
            elements.push(outer.into());
            continue;
        }
        if item.is_null() {
            // C may store the list in a container first and set its items
            // after (hiredis builds replies so): a placeholder until then,
            // checked as the call ends (`check_holes`).
            if in_call {
                elements.push(hole(vm));
                holes = true;
                continue;
            }
            return Err(unset_item(vm, i));
        }
        elements.push(proxy::to_host(vm, *item)?);
    }
    // SAFETY: as above; the size C filled becomes the mirrored one.
    unsafe { set_size(mirror, slots.len()) };
    list.borrow_vec_mut().extend(elements);
    if holes {
        HOLES.with(|h| h.push_current((proxy as usize, list.clone().into())));
    }
    Ok(())
}

fn unset_item(vm: &VirtualMachine, index: usize) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_system_error(format!("a list made in C reached Python with item {index} unset (NULL)"))
}

thread_local! {
    /// The object standing for an item C had not set when its list crossed
    /// into Python.
    static HOLE: std::cell::OnceCell<PyObjectRef> = const { std::cell::OnceCell::new() };
    /// Lists that crossed with holes during a call: (proxy, list).
    static HOLES: crate::borrow::FrameScoped<(usize, PyObjectRef)> = const { crate::borrow::FrameScoped::new() };
}

fn hole(vm: &VirtualMachine) -> PyObjectRef {
    HOLE.with(|h| h.get_or_init(|| vm.ctx.new_base_object(vm.ctx.types.object_type.to_owned(), None)).clone())
}

/// As call frame `frame` ends: a list that crossed with unset items during
/// it must have them all set by now, if anyone still holds it. A hole left
/// is C's error: it becomes None, reported as an unraisable SystemError
/// (the call's result, if it was that list, was refused already:
/// `check_returned_list`).
pub(crate) fn check_holes(frame: u64) {
    while let Some((proxy, list)) = HOLES.with(|h| h.pop_for(frame)) {
        // Our reference, and the proxy's if it still holds the list: no one
        // else's means the list is garbage (an argument C gave away).
        // SAFETY: a registered header, read under the GIL (the frame's).
        let proxy_holds = proxy::header(proxy as *mut PyObject).is_some_and(|h| unsafe {
            let h = h.as_ref();
            h.holds_host && h.host == proxy::host_addr(&list) as *const rustpython_vm::PyObject
        });
        if list.strong_count() <= 1 + proxy_holds as usize {
            continue;
        }
        let _ = rustpython_vm::vm::thread::try_with_current_vm(|vm| {
            take_items_written_in_array(vm, proxy as *mut PyObject, &list);
            if let Some(i) = fill_holes(vm, &list) {
                let culprit = crate::boundary::current_c_function();
                vm.run_unraisable(unset_item(vm, i), Some(format!("cpyext: a list that {culprit} stored before setting its items")), list);
            }
        });
    }
}

/// The holes of `list` that C has filled since by writing the item array
/// itself (PyO3's `PyList_SET_ITEM` is such a write: orjson stores each
/// list before filling it) get those items; the array keeps its
/// references, as a mirror's slots do.
fn take_items_written_in_array(vm: &VirtualMachine, proxy: *mut PyObject, list: &PyObjectRef) {
    let Some(host) = list.downcast_ref::<PyList>() else { return };
    // SAFETY: a registered header, read under the GIL.
    let is_its_proxy = proxy::header(proxy).is_some_and(|h| unsafe {
        let h = h.as_ref();
        h.layout == Layout::List && h.host == proxy::host_addr(list) as *const rustpython_vm::PyObject
    });
    if !is_its_proxy {
        return;
    }
    let hole = hole(vm);
    let unset: Vec<usize> = host.borrow_vec().iter().enumerate().filter(|(_, item)| item.is(&hole)).map(|(i, _)| i).collect();
    for i in unset {
        // SAFETY: the live list proxy of `list`; its array holds ob_size slots.
        let Some(&slot) = unsafe { items(proxy as *mut PyListObject) }.get(i) else { continue };
        if slot.is_null() {
            continue;
        }
        let Ok(item) = proxy::to_host(vm, slot) else { continue };
        if let Some(place) = host.borrow_vec_mut().get_mut(i).filter(|place| place.is(&hole)) {
            *place = item;
        }
    }
}

/// Replaces the holes of `list` with None; the first hole's index, if any.
fn fill_holes(vm: &VirtualMachine, list: &PyObjectRef) -> Option<usize> {
    let list = list.downcast_ref::<PyList>()?;
    let hole = hole(vm);
    let mut first = None;
    for (i, item) in list.borrow_vec_mut().iter_mut().enumerate() {
        if item.is(&hole) {
            first.get_or_insert(i);
            *item = vm.ctx.none();
        }
    }
    first
}

/// Object-model hook on what C returns: a list with an item C never set
/// is refused with the SystemError CPython's users would want.
pub(crate) fn check_returned_list(vm: &VirtualMachine, object: &PyObjectRef) -> PyResult<()> {
    if !object.class().is(vm.ctx.types.list_type) || HOLES.with(|h| h.is_empty()) {
        return Ok(());
    }
    if let Some(proxy) = proxy::existing_proxy(object) {
        take_items_written_in_array(vm, proxy, object);
    }
    match fill_holes(vm, object) {
        Some(i) => Err(unset_item(vm, i)),
        None => Ok(()),
    }
}

/// Object-model hook: C's count of a list proxy reached zero; its items'
/// references go (the mirror is rebuilt if the proxy is handed out again).
pub fn release_list_items(proxy: *mut PyObject) {
    let mirror = proxy as *mut PyListObject;
    // A change C made to ob_size (items it added in spare slots) reaches
    // the host list before the mirror goes.
    // SAFETY: a list proxy's header, read under the GIL (I1, I2).
    let host = proxy::header(proxy).and_then(|h| unsafe {
        let h = h.as_ref();
        (h.holds_host && !h.host.is_null()).then(|| (*h.host).to_owned())
    });
    if let Some(host) = host {
        let _ = rustpython_vm::vm::thread::try_with_current_vm(|vm| sync_list_size(vm, proxy, &host));
    }
    // SAFETY: a list proxy at count zero, under the GIL; the array is taken
    // out of the proxy before any item is released.
    let (array, n) = unsafe {
        let n = items(mirror).len();
        let taken = (std::mem::replace(&mut (*mirror).ob_item, std::ptr::null_mut()), n);
        set_size(mirror, 0);
        (*mirror).allocated = 0;
        taken
    };
    set_stale(mirror, true);
    if array.is_null() {
        return;
    }
    // Through the layer's queue: a list nested 100,000 deep (rtoml's
    // nesting-limit test) must not cost a native frame per level.
    // SAFETY: the array held `n` slots, each NULL or an owned reference,
    // and is ours alone since it was taken out of the proxy.
    unsafe { proxy::release_items(array, n) };
    // SAFETY: the array came from `reserve` (libc heap) and is ours alone.
    unsafe { libc::free(array as *mut libc::c_void) };
}

fn index_error(vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
    vm.new_index_error("list index out of range".to_owned())
}

#[cpython_api]
fn PyList_New(vm: &VirtualMachine, size: Py_ssize_t) -> PyResult<*mut PyObject> {
    if size < 0 {
        return Err(bad_internal_call(vm));
    }
    let p = proxy::new_pending(Layout::List, size_of::<ListProxy>(), &raw mut crate::types::PyList_Type);
    let mirror = p as *mut PyListObject;
    // SAFETY: a new pending list proxy, ours alone: its array is made with
    // `size` NULL slots for C to fill.
    unsafe {
        if !try_reserve(mirror, size as usize) {
            crate::proxy::decref(p);
            return Err(crate::error_indicator::no_memory(vm));
        }
        set_size(mirror, size as usize);
    }
    Ok(p)
}

/// Also without the GIL (see `read_maybe_without_gil`).
#[cpython_api(no_gil)]
unsafe fn PyList_Size(list: *mut PyObject) -> PyResult<Py_ssize_t> {
    if let Some(host) = current_host_list(list).filter(|_| crate::gil::held()) {
        return Ok(host.borrow_vec().len() as Py_ssize_t);
    }
    super::read_maybe_without_gil(
        |vm| {
            Ok(match list_ref(vm, list)? {
                // SAFETY: a live pending list proxy.
                ListRef::Pending(mirror) => unsafe { (*mirror).ob_base.ob_size },
                ListRef::Host { list, .. } => list.borrow_vec().len() as Py_ssize_t,
            })
        },
        // SAFETY: C passes a list it holds (I8); its host list tells its
        // length under its own lock, a pending list's array its size.
        || match unsafe { super::host_without_gil(list) }.and_then(|host| host.downcast_ref::<PyList>()) {
            Some(host) => host.borrow_vec().len() as Py_ssize_t,
            None => unsafe { (*(list as *mut PyListObject)).ob_base.ob_size },
        },
    )
}

/// The `PyList_GET_SIZE` macro: as `PyList_Size`, and when the host list's
/// length is not the one C last saw, the mirror takes a snapshot of it first.
/// Each index below the size returned then reads an item through
/// `PyList_GET_ITEM` even if a Python thread shrinks the list meanwhile
/// (the host has no GIL), where CPython's macros read a list no one else
/// could change.
#[cpython_api(no_gil)]
unsafe fn _PyList_GET_SIZE(list: *mut PyObject) -> PyResult<Py_ssize_t> {
    if let Some(host) = current_host_list(list).filter(|_| crate::gil::held()) {
        let len = host.borrow_vec().len();
        // SAFETY: `current_host_list` found a live list proxy.
        if len == unsafe { (*(list as *mut ListProxy)).mirrored_size } as usize {
            return Ok(len as Py_ssize_t);
        }
    }
    let snapshot = |vm: &VirtualMachine| -> PyResult<Py_ssize_t> {
        Ok(match list_ref(vm, list)? {
            // SAFETY: a live pending list proxy.
            ListRef::Pending(mirror) => unsafe { (*mirror).ob_base.ob_size },
            ListRef::Host { list: host, mirror: Some(mirror) } => {
                // SAFETY: the live list proxy of `host`, under the GIL.
                unsafe { rebuild_mirror(vm, mirror, &host) };
                // SAFETY: as above.
                unsafe { items(mirror) }.len() as Py_ssize_t
            }
            ListRef::Host { list: host, mirror: None } => host.borrow_vec().len() as Py_ssize_t,
        })
    };
    if crate::gil::held() {
        if let Some(result) = rustpython_vm::vm::thread::try_with_current_vm(snapshot) {
            return result;
        }
    }
    // SAFETY: the caller's contract, passed on.
    Ok(unsafe { PyList_Size(list) })
}

/// The host list of an up-to-date list proxy, without taking a reference:
/// the fast path of the item functions. None sends them the slow way (a
/// pending, stale or C-resized list, or no list proxy at all).
fn current_host_list<'a>(p: *mut PyObject) -> Option<&'a PyList> {
    let h = proxy::header(p)?;
    // SAFETY: a registered header, read under the GIL (I1, I2); a non-null
    // host of a live list proxy is a strong reference it holds (I3), alive
    // for as long as the caller's reference to the list.
    unsafe {
        let h = h.as_ref();
        if h.layout != Layout::List || h.host.is_null() || h.stale {
            return None;
        }
        let body = p as *mut ListProxy;
        if (*body).list.ob_base.ob_size != (*body).mirrored_size {
            return None;
        }
        (*h.host).downcast_ref::<PyList>().map(|list| &**list)
    }
}

/// `list[index]` straight from an up-to-date mirror, or None.
fn mirrored_item(p: *mut PyObject, index: Py_ssize_t) -> Option<*mut PyObject> {
    let list = current_host_list(p)?;
    let current = list.borrow_vec();
    let i = usize::try_from(index).ok()?;
    // SAFETY: `p` is a live list proxy (checked above).
    unsafe { slot_holding(p as *mut PyListObject, i, current.get(i)?) }
}

/// A borrowed reference: the list's mirror owns the item proxy.
#[cpython_api]
fn PyList_GetItem(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t) -> PyResult<*mut PyObject> {
    get_item(vm, list, index)
}

fn get_item(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t) -> PyResult<*mut PyObject> {
    if let Some(item) = mirrored_item(list, index) {
        return Ok(item);
    }
    match list_ref(vm, list)? {
        ListRef::Pending(mirror) => {
            // SAFETY: a live pending list proxy.
            let slots = unsafe { items(mirror) };
            slots.get(usize::try_from(index).map_err(|_| index_error(vm))?).copied().ok_or_else(|| index_error(vm))
        }
        ListRef::Host { list, mirror } => {
            let item = {
                let current = list.borrow_vec();
                let i = usize::try_from(index).ok().filter(|&i| i < current.len()).ok_or_else(|| index_error(vm))?;
                current[i].clone()
            };
            let Some(mirror) = mirror else {
                return Ok(crate::borrow::borrowed(vm, &item));
            };
            // SAFETY: the live proxy of `list`.
            if let Some(p) = unsafe { slot_holding(mirror, index as usize, &item) } {
                return Ok(p);
            }
            // Changed since C last saw it. Only this slot follows: the mirror
            // keeps its length while C runs, so each index below a size C
            // was given stays readable (`_PyList_GET_SIZE`).
            // SAFETY: as above.
            Ok(unsafe { update_slot(vm, mirror, index as usize, &item) }.unwrap_or_else(|| crate::borrow::borrowed(vm, &item)))
        }
    }
}

/// Which of CPython's two setters `replace_item` stands for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Setter {
    /// `PyList_SetItem`: within the size; releases the item it replaces.
    Function,
    /// `PyList_SET_ITEM`: any slot within `allocated`; overwrites the slot
    /// and nothing more, so the list's reference to the old item is the
    /// caller's, and often already released (mypyc's `xs[i] = v` is
    /// `Py_DECREF(PyList_GET_ITEM(xs, i))`, then the macro).
    Macro,
}

/// Puts `item` (stolen, also on failure; NULL stores None) at `index`.
/// Returns the slot's old pointer: for `Setter::Function` a reference the
/// caller releases; for `Setter::Macro` whatever the slot held, which may
/// be a proxy C released a moment ago.
fn replace_item(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject, setter: Setter) -> PyResult<*mut PyObject> {
    let up_to_allocated = setter == Setter::Macro;
    let target = match list_ref(vm, list) {
        Ok(target) => target,
        Err(e) => {
            proxy::xdecref(item);
            return Err(e);
        }
    };
    match target {
        ListRef::Pending(mirror) => {
            // SAFETY: a live pending list proxy; its slots are C's to set.
            let slots = unsafe { if up_to_allocated { capacity_slots(mirror) } else { items(mirror) } };
            match usize::try_from(index).ok().and_then(|i| slots.get_mut(i)) {
                Some(slot) => Ok(std::mem::replace(slot, item)),
                None => {
                    proxy::xdecref(item);
                    Err(vm.new_index_error("list assignment index out of range".to_owned()))
                }
            }
        }
        ListRef::Host { list: host, mirror } => {
            let value = if item.is_null() { vm.ctx.none() } else { proxy::to_host(vm, item).inspect_err(|_| proxy::xdecref(item))? };
            let old_value = {
                let mut current = host.borrow_vec_mut();
                match usize::try_from(index).ok().filter(|&i| i < current.len()) {
                    Some(i) => std::mem::replace(&mut current[i], value),
                    // A slot past the size but within `allocated`: C's, until
                    // it grows the size over it (`sync_list_size` reads it then).
                    // SAFETY: the live proxy of `host`; slots up to `allocated` exist.
                    None if up_to_allocated && let Some(slot) = mirror.and_then(|m| usize::try_from(index).ok().and_then(|i| unsafe { capacity_slots(m) }.get_mut(i))) => {
                        drop(current);
                        return Ok(std::mem::replace(slot, item));
                    }
                    None => {
                        drop(current);
                        proxy::xdecref(item);
                        return Err(vm.new_index_error("list assignment index out of range".to_owned()));
                    }
                }
            };
            let Some(mirror) = mirror else {
                // No mirror to own it: the host list holds the object now.
                if !item.is_null() {
                    proxy::pin_to_host(vm, item);
                    proxy::decref(item);
                }
                return Ok(proxy::new_ref(vm, &old_value));
            };
            // SAFETY: the live proxy of `host`; the slot is replaced in place.
            let slots = unsafe { items(mirror) };
            let i = index as usize;
            // The macro never looks at the old pointer: C may have released
            // it (a tuple is freed at once), and the slot is C's to overwrite.
            if i < slots.len() && (setter == Setter::Macro || is_proxy_of(slots[i], &old_value)) {
                let stored = if item.is_null() { proxy::new_ref(vm, &vm.ctx.none()) } else { item };
                return Ok(std::mem::replace(&mut slots[i], stored));
            }
            // The mirror was behind: the item's reference goes to the
            // rebuilt mirror's slot, and the caller gets one to the old item.
            let old = proxy::new_ref(vm, &old_value);
            // SAFETY: as above.
            unsafe { rebuild_mirror(vm, mirror, &host) };
            proxy::xdecref(item);
            Ok(old)
        }
    }
}

/// Steals `item`, also when it fails, and releases the item it replaces.
#[cpython_api]
fn PyList_SetItem(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject) -> PyResult<c_int> {
    proxy::xdecref(replace_item(vm, list, index, item, Setter::Function)?);
    Ok(0)
}

/// The `PyList_GET_ITEM` macro, which cannot fail in CPython: as
/// `PyList_GetItem`, except that an index the host list no longer reaches
/// (a Python thread shrank it while C walks it; the host has no GIL) gets
/// the item the mirror last held there, alive until the call from Python
/// returns, instead of NULL.
#[cpython_api]
fn _PyList_GET_ITEM(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t) -> PyResult<*mut PyObject> {
    match get_item(vm, list, index) {
        Ok(p) => Ok(p),
        Err(err) => {
            if let (Some(mirror), Ok(i)) = (list_mirror(list), usize::try_from(index)) {
                // SAFETY: the live mirror of a list proxy.
                if let Some(&p) = unsafe { items(mirror) }.get(i).filter(|p| !p.is_null()) {
                    return Ok(p);
                }
            }
            Err(err)
        }
    }
}

/// The `PyList_SET_ITEM` macro: steals `item`. The list's reference to
/// the item it replaces passes to the caller, as in CPython, where correct
/// C either knows the slot was empty or releases the old item itself.
#[cpython_api]
fn _PyList_SET_ITEM(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject) -> PyResult<()> {
    replace_item(vm, list, index, item, Setter::Macro)?;
    Ok(())
}

/// After a change made to the host list as a whole: mirror it again.
fn remirror(vm: &VirtualMachine, list: &Py<PyList>, mirror: Option<*mut PyListObject>) {
    if let Some(mirror) = mirror {
        // SAFETY: `mirror` is the live proxy of `list`.
        unsafe { rebuild_mirror(vm, mirror, list) };
    }
}

#[cpython_api]
fn PyList_Insert(vm: &VirtualMachine, list: *mut PyObject, index: Py_ssize_t, item: *mut PyObject) -> PyResult<c_int> {
    let (list, mirror) = host_list(vm, list)?;
    if item.is_null() {
        return Err(bad_internal_call(vm));
    }
    let value = proxy::to_host(vm, item)?;
    {
        let mut current = list.borrow_vec_mut();
        let n = current.len() as Py_ssize_t;
        let at = if index < 0 { (index + n).max(0) } else { index.min(n) };
        current.insert(at as usize, value);
    }
    remirror(vm, &list, mirror);
    Ok(0)
}

#[cpython_api]
fn PyList_Append(vm: &VirtualMachine, list: *mut PyObject, item: *mut PyObject) -> PyResult<c_int> {
    let (list, mirror) = host_list(vm, list)?;
    if item.is_null() {
        return Err(bad_internal_call(vm));
    }
    let value = proxy::to_host(vm, item)?;
    let new_len = {
        let mut current = list.borrow_vec_mut();
        current.push(value);
        current.len()
    };
    match mirror {
        // SAFETY: the live proxy of `list`, up to date before the push
        // (`host_list` refreshed a stale one): one more slot.
        Some(mirror) if unsafe { (*mirror).ob_base.ob_size } as usize + 1 == new_len && !is_stale(mirror) => unsafe {
            reserve(mirror, new_len);
            proxy::incref(item);
            *(*mirror).ob_item.add(new_len - 1) = item;
            set_size(mirror, new_len);
        },
        _ => remirror(vm, &list, mirror),
    }
    Ok(0)
}

#[cpython_api]
fn PyList_GetSlice(vm: &VirtualMachine, list: *mut PyObject, low: Py_ssize_t, high: Py_ssize_t) -> PyResult<*mut PyObject> {
    let (list, _) = host_list(vm, list)?;
    let slice = {
        let current = list.borrow_vec();
        let n = current.len() as Py_ssize_t;
        let low = low.clamp(0, n);
        let high = high.clamp(low, n);
        current[low as usize..high as usize].to_vec()
    };
    Ok(proxy::into_ref(vm, vm.ctx.new_list(slice).into()))
}

#[cpython_api]
fn PyList_Sort(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<c_int> {
    let (list, mirror) = host_list(vm, list)?;
    let result = vm.call_method(list.as_object(), "sort", ());
    remirror(vm, &list, mirror);
    result.map(|_| 0)
}

#[cpython_api]
fn PyList_Reverse(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<c_int> {
    let (list, mirror) = host_list(vm, list)?;
    list.borrow_vec_mut().reverse();
    remirror(vm, &list, mirror);
    Ok(0)
}

#[cpython_api]
fn PyList_AsTuple(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<*mut PyObject> {
    let (list, _) = host_list(vm, list)?;
    let items = list.borrow_vec().to_vec();
    Ok(proxy::into_ref(vm, vm.ctx.new_tuple(items).into()))
}

/// Replaces `list[low:high]` with `itemlist`'s items (deletes when NULL).
/// Indexes are clamped, never counted from the end.
#[cpython_api]
fn PyList_SetSlice(vm: &VirtualMachine, list: *mut PyObject, low: Py_ssize_t, high: Py_ssize_t, itemlist: *mut PyObject) -> PyResult<c_int> {
    'pending: {
    if let ListRef::Pending(mirror) = list_ref(vm, list)? {
        // A list C is still filling: the slice is changed in its array,
        // where unset (NULL) items may be cut off, as cffi does with the
        // tail it did not fill.
        // SAFETY: a pending list proxy is C's and ours alone, under the GIL;
        // its array holds `ob_size` slots, each NULL or an owned reference.
        let current: Vec<*mut PyObject> = unsafe { items(mirror).to_vec() };
        let held = |slots: &[*mut PyObject]| -> Vec<*mut PyObject> {
            slots.iter().map(|&item| { if !item.is_null() { proxy::incref(item) } item }).collect()
        };
        let replacement: Vec<*mut PyObject> = if itemlist == list {
            held(&current)
        } else if let Some(ListRef::Pending(other)) = is_list(itemlist).then(|| list_ref(vm, itemlist)).transpose()? {
            // Another list C is filling: its items as they are. Making its
            // host would make the hosts of its items too, and one of them
            // may be this list (zodbpickle's do_append pops the items of a
            // self-containing list into a new list with PyList_SET_ITEM and
            // appends them with PyList_SetSlice): this list got a host that
            // the change below, made in its array, never reached, and it
            // crossed into Python empty.
            // SAFETY: as above, for the other pending list.
            held(unsafe { items(other) })
        } else {
            match proxy::opt_to_host(vm, itemlist)? {
                None => Vec::new(),
                Some(items) => items.get_iter(vm)?.iter(vm)?.map(|item| item.map(|o| proxy::new_ref(vm, &o))).collect::<PyResult<_>>()?,
            }
        };
        if !matches!(list_ref(vm, list)?, ListRef::Pending(_)) {
            // Making the replacement gave this list its host after all (a
            // tuple C is filling that holds it): the host list takes the
            // change, below.
            replacement.iter().for_each(|&item| proxy::xdecref(item));
            break 'pending;
        }
        let n = current.len() as Py_ssize_t;
        let (low, high) = (low.clamp(0, n) as usize, high.clamp(low.clamp(0, n), n) as usize);
        let next: Vec<*mut PyObject> = current[..low].iter().chain(&replacement).chain(&current[high..]).copied().collect();
        // SAFETY: as above; the slots past the new size are cleared, their
        // references having moved into `next` or being released below.
        unsafe {
            reserve(mirror, next.len());
            let slots = capacity_slots(mirror);
            slots[..next.len()].copy_from_slice(&next);
            let old_end = current.len().max(next.len());
            slots[next.len()..old_end].fill(std::ptr::null_mut());
            set_size(mirror, next.len());
        }
        for &removed in &current[low..high] {
            proxy::xdecref(removed);
        }
        return Ok(0);
    }
    }
    let (list, mirror) = host_list(vm, list)?;
    let replacement: Vec<PyObjectRef> = match proxy::opt_to_host(vm, itemlist)? {
        None => Vec::new(),
        Some(items) => items.get_iter(vm)?.iter(vm)?.collect::<PyResult<_>>()?,
    };
    let removed: Vec<PyObjectRef> = {
        let mut current = list.borrow_vec_mut();
        let n = current.len() as Py_ssize_t;
        let low = low.clamp(0, n);
        let high = high.clamp(low, n);
        current.splice(low as usize..high as usize, replacement).collect()
    };
    remirror(vm, &list, mirror);
    drop(removed);
    Ok(0)
}

/// `list.extend(iterable)`: None (a new reference), or NULL on error.
#[cpython_api]
fn _PyList_Extend(vm: &VirtualMachine, list: *mut PyObject, iterable: *mut PyObject) -> PyResult<*mut PyObject> {
    let (list, mirror) = host_list(vm, list)?;
    let items: Vec<PyObjectRef> = proxy::to_host(vm, iterable)?.get_iter(vm)?.iter(vm)?.collect::<PyResult<_>>()?;
    list.borrow_vec_mut().extend(items);
    remirror(vm, &list, mirror);
    Ok(proxy::into_ref(vm, vm.ctx.none()))
}

/// Brings a list proxy's mirror up to date (the cycle collector's "start").
///
/// # Safety
/// `proxy` must be a live list proxy that holds its host, under the GIL.
pub unsafe fn resync_mirror(vm: &VirtualMachine, proxy: *mut PyObject) {
    // SAFETY: the caller's contract: `host` is a live strong reference.
    let host = proxy::header(proxy).map(|h| unsafe { (*h.as_ref().host).to_owned() });
    if let Some(host) = host {
        // SAFETY: the caller's contract.
        unsafe { refresh_list_proxy(vm, proxy, &host) };
    }
}

/// The item proxies a list proxy's mirror holds, one owned reference each
/// (for the cycle collector, which reports them as the list's edges).
///
/// # Safety
/// `proxy` must be a live list proxy, and the slice must not outlive any
/// code that can change the list.
pub unsafe fn mirror_items<'a>(proxy: *mut PyObject) -> &'a [*mut PyObject] {
    // SAFETY: the caller's contract.
    unsafe { items(proxy as *mut PyListObject) }
}

/// `PySequence_Fast_ITEMS` of a list: the list's own `ob_item`, brought up
/// to date; valid while the list is unchanged, as in CPython.
pub(crate) fn fast_items(vm: &VirtualMachine, list: *mut PyObject) -> PyResult<*mut *mut PyObject> {
    match list_ref(vm, list)? {
        // SAFETY: a live pending list proxy.
        ListRef::Pending(mirror) => Ok(unsafe { (*mirror).ob_item }),
        ListRef::Host { list, mirror: Some(mirror) } => {
            // SAFETY: the live proxy of `list`.
            unsafe { rebuild_mirror(vm, mirror, &list) };
            // SAFETY: as above.
            Ok(unsafe { (*mirror).ob_item })
        }
        ListRef::Host { .. } => Err(bad_internal_call(vm)),
    }
}

/// Statistics of the list free list: the layer keeps none, so there is
/// nothing to write.
#[cpython_api(no_gil)]
fn _PyList_DebugMallocStats(_out: *mut libc::FILE) {}
