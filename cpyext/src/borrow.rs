//! Borrowed references.
//!
//! CPython hands out borrowed references that stay valid while their container
//! holds the object. Here the container holds the host object, but the proxy
//! lives only while C holds references to it. So each borrowed reference the
//! layer returns carries a keep-alive reference, taken in the current *call
//! frame* (one Python-to-C call, module init, or a PyGILState_Ensure/Release
//! pair) and dropped when that frame ends. A proxy is kept at most once per
//! frame, so a loop of lookups does not grow the list.
use crate::ffi::PyObject;
use crate::proxy;
use rustpython_vm::{PyObjectRef, VirtualMachine};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT_FRAME_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    static KEPT: RefCell<Vec<*mut PyObject>> = const { RefCell::new(Vec::new()) };
    static FRAME_ID: Cell<u64> = const { Cell::new(0) };
    /// How many items this thread's `FrameScoped` lists hold: a frame
    /// that ends with none skips the end-of-call hooks (most calls).
    static SCOPED_ITEMS: Cell<usize> = const { Cell::new(0) };
}

/// One Python-to-C call. Dropping it releases the frame's keep-alives.
pub struct CallFrame {
    mark: usize,
    deferred_mark: usize,
    late_fill_mark: usize,
    outer_id: u64,
}

impl CallFrame {
    /// Opens a frame; the thread must hold the GIL until the frame drops
    /// (every caller takes it first: `call_into_c`, module init,
    /// `PyGILState_Ensure`).
    pub fn enter() -> Self {
        // SAFETY: frames are opened under the GIL (see above; I1 in proxy.rs).
        let gil = unsafe { crate::gil::GilToken::assume_held() };
        let id = NEXT_FRAME_ID.fetch_add(1, Ordering::Relaxed);
        CallFrame {
            mark: KEPT.with(|k| k.borrow().len()),
            deferred_mark: proxy::deferred_mark(gil),
            late_fill_mark: proxy::late_fill_mark(gil),
            outer_id: FRAME_ID.with(|f| f.replace(id)),
        }
    }
}

impl Drop for CallFrame {
    fn drop(&mut self) {
        // SAFETY: a frame drops on the thread that opened it, still under
        // the GIL it was opened with (I1).
        let gil = unsafe { crate::gil::GilToken::assume_held() };
        // First, while the call's bytes proxies are all still whole.
        proxy::carry_late_fills(gil, self.late_fill_mark);
        if SCOPED_ITEMS.with(Cell::get) != 0 {
            crate::hooks::after_c_call(FRAME_ID.with(|f| f.get()));
        }
        FRAME_ID.with(|f| f.set(self.outer_id));
        let kept_here = KEPT.with(|k| k.borrow().len() > self.mark);
        if kept_here {
            let released: Vec<*mut PyObject> = KEPT.with(|k| k.borrow_mut().split_off(self.mark));
            for p in released {
                proxy::decref(p);
            }
        }
        proxy::release_deferred(gil, self.deferred_mark);
    }
}

/// The id of this thread's innermost call frame, or 0 outside any.
pub fn current_frame_id() -> u64 {
    FRAME_ID.with(|f| f.get())
}

/// Things a call frame leaves to be looked at as it ends, each with the
/// frame it was met in (innermost last, as frames nest). Held in a
/// thread-local by the layer that does the looking.
pub struct FrameScoped<T>(RefCell<Vec<(u64, T)>>);

impl<T> FrameScoped<T> {
    pub const fn new() -> Self {
        FrameScoped(RefCell::new(Vec::new()))
    }

    /// Records `item` for the current call frame; false, and nothing
    /// recorded, outside any frame.
    pub fn push_current(&self, item: T) -> bool {
        let frame = current_frame_id();
        if frame != 0 {
            self.0.borrow_mut().push((frame, item));
            SCOPED_ITEMS.with(|n| n.set(n.get() + 1));
        }
        frame != 0
    }

    /// The next item recorded in `frame`, as that frame ends.
    pub fn pop_for(&self, frame: u64) -> Option<T> {
        let mut items = self.0.borrow_mut();
        if items.last().is_some_and(|(f, _)| *f == frame) {
            SCOPED_ITEMS.with(|n| n.set(n.get() - 1));
            items.pop().map(|(_, item)| item)
        } else {
            None
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.borrow().is_empty()
    }
}

/// Whether this thread is inside a call frame.
pub fn frame_active() -> bool {
    FRAME_ID.with(|f| f.get() != 0)
}

/// The proxy of `obj` as a borrowed reference, valid at least until the
/// current call frame ends.
pub fn borrowed(vm: &VirtualMachine, obj: &PyObjectRef) -> *mut PyObject {
    // SAFETY: `new_ref` returns a new reference to a live proxy.
    unsafe { cpyext_keep_alive(proxy::new_ref(vm, obj)) }
}

/// For the C shims: turns a new reference into a borrowed one that the
/// current call frame keeps alive, as CPython's borrowed references stay
/// valid while their container holds the object (nested argument items in
/// `PyArg_Parse*`). Not part of the C API.
///
/// # Safety
/// `p` must be NULL or a new reference to a live object, and the caller
/// must hold the GIL.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn cpyext_keep_alive(p: *mut PyObject) -> *mut PyObject {
    if p.is_null() {
        return p;
    }
    let frame = FRAME_ID.with(|f| f.get());
    let newly_kept = match proxy::header(p) {
        // SAFETY: the header of a live proxy (C passes a new reference),
        // under the GIL (I1, I2); the reference ends in this arm.
        Some(h) => unsafe {
            let h = &mut *h.as_ptr();
            let newly = h.layout != proxy::Layout::Static && h.kept_in_frame != frame;
            if newly {
                h.kept_in_frame = frame;
            }
            newly
        },
        None => false,
    };
    if newly_kept {
        KEPT.with(|k| k.borrow_mut().push(p));
    } else {
        proxy::decref(p);
    }
    p
}
