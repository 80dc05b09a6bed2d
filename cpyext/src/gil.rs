//! The layer's global interpreter lock.
//!
//! RustPython runs Python threads in parallel; C extensions assume a GIL. A
//! thread holds this lock whenever it runs extension code. The lock is
//! re-entrant per thread (a depth count), and a thread waiting for it is
//! detached from the VM so the host's stop-the-world collector never waits
//! on it.
use rustpython_vm::VirtualMachine;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

// The lock itself is one atomic flag; the mutex and condvar are used only by
// threads that have to wait, and a release wakes someone only if a thread is
// waiting, so an uncontended acquire/release makes no system call.
static LOCKED: AtomicBool = AtomicBool::new(false);
static WAITERS: AtomicUsize = AtomicUsize::new(0);
static WAIT_LOCK: Mutex<()> = Mutex::new(());
static RELEASED: Condvar = Condvar::new();

/// The thread the lock goes to next (its `thread_key`), or 0. A thread that
/// releases the lock between C calls takes it back at once, before a woken
/// waiter (which must re-attach first) gets there: with one thread calling
/// C in a loop, another could wait for ever. So a thread that has waited a
/// switch interval claims the next turn, as CPython's drop request does,
/// and no other thread takes the lock, the fast path included, until it has.
static HANDOFF_TO: AtomicUsize = AtomicUsize::new(0);
/// How long a thread waits before it claims the next turn (CPython's
/// default `sys.getswitchinterval()`).
const SWITCH_INTERVAL: std::time::Duration = std::time::Duration::from_millis(5);

/// A VM of the interpreter, for attaching threads the host does not know
/// (PyGILState_Ensure on a thread made in C). Set at start-up.
pub static MAIN_VM: std::sync::atomic::AtomicPtr<VirtualMachine> =
    std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
    /// Its address tells threads apart for `HANDOFF_TO` (never 0).
    static KEY: u8 = const { 0 };
}

fn thread_key() -> usize {
    KEY.with(|k| k as *const u8 as usize)
}

/// Whether no other thread has claimed the next turn.
fn may_take() -> bool {
    let claimed_by = HANDOFF_TO.load(Ordering::SeqCst);
    claimed_by == 0 || claimed_by == thread_key()
}

pub fn held() -> bool {
    DEPTH.with(|d| d.get() > 0)
}

fn try_lock() -> bool {
    let claimed_by = HANDOFF_TO.load(Ordering::SeqCst);
    if claimed_by != 0 && claimed_by != thread_key() {
        return false;
    }
    if LOCKED.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
        return false;
    }
    if claimed_by != 0 {
        // This thread's claimed turn is used (only its claimant clears it).
        HANDOFF_TO.store(0, Ordering::SeqCst);
    }
    true
}

fn lock_blocking() {
    wait_while(|| !try_lock());
}

/// Blocks until this thread could take the lock, without taking it.
fn wait_until_free() {
    wait_while(|| LOCKED.load(Ordering::SeqCst) || !may_take());
}

/// Sleeps on the release condition while `busy` says so (checked under the
/// wait mutex, so that a release between the check and the sleep wakes it),
/// claiming the next turn once it has waited a switch interval.
fn wait_while(busy: impl Fn() -> bool) {
    WAITERS.fetch_add(1, Ordering::SeqCst);
    let started = std::time::Instant::now();
    let mut guard = WAIT_LOCK.lock().unwrap();
    while busy() {
        if started.elapsed() >= SWITCH_INTERVAL {
            let _ = HANDOFF_TO.compare_exchange(0, thread_key(), Ordering::SeqCst, Ordering::SeqCst);
        }
        guard = RELEASED.wait_timeout(guard, SWITCH_INTERVAL).unwrap().0;
    }
    drop(guard);
    WAITERS.fetch_sub(1, Ordering::SeqCst);
}

/// Takes the lock for a thread attached to the VM. It waits detached, and
/// takes the lock only once attached again: re-attaching can wait for a
/// stop-the-world, and a thread that did so holding the lock would stall
/// every thread that waits for the lock attached (a C destructor's
/// `Py_END_ALLOW_THREADS`), and with it the stop-the-world itself.
fn lock_attached(vm: &VirtualMachine) {
    while !try_lock() {
        rustpython_vm::vm::thread::allow_threads(vm, wait_until_free);
    }
}

fn unlock() {
    LOCKED.store(false, Ordering::SeqCst);
    if WAITERS.load(Ordering::SeqCst) > 0 {
        // Taking the mutex orders this wake-up after the waiter's check. All
        // are woken: a waiter in `wait_until_free` does not take the lock, so
        // waking only it could leave the lock free with others asleep.
        drop(WAIT_LOCK.lock().unwrap());
        RELEASED.notify_all();
    }
}

/// Takes the lock for this thread (or deepens its hold). `vm` is given when
/// the thread is attached to the VM, so that it can detach while it waits.
pub fn acquire(vm: Option<&VirtualMachine>) {
    let depth = DEPTH.with(|d| d.get());
    if depth == 0 && !try_lock() {
        match vm {
            Some(vm) => lock_attached(vm),
            None => lock_blocking(),
        }
    }
    DEPTH.with(|d| d.set(depth + 1));
}

pub fn release() {
    let depth = DEPTH.with(|d| d.get());
    if depth == 0 {
        // In a release build `depth - 1` would wrap to u32::MAX: the thread
        // would then count as holding the lock until its next acquire
        // wrapped it to 0, and fail far from the cause.
        crate::boundary::fatal("the GIL was released by a thread that does not hold it (a cpyext bug)");
    }
    DEPTH.with(|d| d.set(depth - 1));
    if depth == 1 {
        unlock();
    }
}

/// Gives the lock up entirely, whatever the depth; returns the depth to restore.
pub fn release_all() -> u32 {
    let depth = DEPTH.with(|d| d.replace(0));
    if depth > 0 {
        unlock();
    }
    depth
}

/// Takes the lock back after `release_all`.
pub fn restore(depth: u32, vm: Option<&VirtualMachine>) {
    if depth > 0 {
        if !try_lock() {
            match vm {
                Some(vm) => lock_attached(vm),
                None => lock_blocking(),
            }
        }
        DEPTH.with(|d| d.set(depth));
    }
}

/// Proof that the current thread holds the GIL, or runs as the cycle
/// collector with every other thread stopped (invariant I1 in `proxy.rs`).
///
/// Zero-sized, `Copy`, and neither `Send` nor `Sync`, so it cannot leave the
/// thread that made it. Only `GilGuard::token`, `as_collector` and the
/// `unsafe` `GilToken::assume_held` make one. The functions that mutate the
/// arena's free lists or the deferred-release list take one.
/// The lifetime ties a token to the guard or scope that proves it.
#[derive(Clone, Copy, Debug)]
pub struct GilToken<'gil>(std::marker::PhantomData<(&'gil (), *const ())>);

impl GilToken<'_> {
    /// A token for code that runs under the GIL taken further up the stack.
    ///
    /// # Safety
    /// The calling thread must hold the GIL (or run as the collector) for as
    /// long as the token is used: true for every C-API function body, whose
    /// entry checks it (`boundary::enter_api`), and for code reached from
    /// `boundary::call_into_c` or a slot trampoline.
    #[inline]
    pub unsafe fn assume_held() -> Self {
        debug_assert!(held(), "GilToken::assume_held without the GIL");
        GilToken(std::marker::PhantomData)
    }
}

/// Holds the GIL for a scope.
pub struct GilGuard(());
impl GilGuard {
    pub fn acquire(vm: &VirtualMachine) -> Self {
        acquire(Some(vm));
        GilGuard(())
    }

    /// Proof that this thread holds the GIL, for as long as the guard lives.
    #[allow(dead_code)] // for code that holds a guard; callers so far use `assume_held`
    pub fn token(&self) -> GilToken<'_> {
        GilToken(std::marker::PhantomData)
    }
}
impl Drop for GilGuard {
    fn drop(&mut self) {
        release();
    }
}

/// Runs C code on behalf of the host's cycle collector, which has stopped
/// every other thread: the thread counts as holding the GIL meanwhile.
pub fn as_collector<R>(f: impl for<'gil> FnOnce(GilToken<'gil>) -> R) -> R {
    let depth = DEPTH.with(|d| d.get());
    DEPTH.with(|d| d.set(depth + 1));
    let was_collecting = IN_COLLECTOR.with(|c| c.replace(true));
    let result = f(GilToken(std::marker::PhantomData));
    IN_COLLECTOR.with(|c| c.set(was_collecting));
    DEPTH.with(|d| d.set(depth));
    result
}

thread_local! {
    /// Set while C's tp_traverse or tp_clear runs for the host's collector.
    static IN_COLLECTOR: Cell<bool> = const { Cell::new(false) };
}

/// Whether C code is running for the collector (tp_traverse, tp_clear):
/// API functions it calls must not make host objects or proxies then.
pub fn in_collector() -> bool {
    IN_COLLECTOR.with(|c| c.get())
}

/// Runs host code that may block or run arbitrary Python without the GIL,
/// as CPython's eval loop would let other threads in meanwhile.
pub fn without_gil<R>(vm: &VirtualMachine, f: impl FnOnce() -> R) -> R {
    let depth = release_all();
    let result = f();
    restore(depth, Some(vm));
    result
}

thread_local! {
    static DESTRUCTOR_DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Marks C destructors (tp_dealloc, tp_finalize) running on this thread.
/// The host may drop an object while it holds its own thread state borrowed
/// (RustPython 0.6's `update_thread_exception` drops the old exception under
/// that borrow), so a destructor's `Py_BEGIN_ALLOW_THREADS` must not swap
/// the thread's state out (that borrows it mutably): it releases our lock
/// and detaches the thread for stop-the-world in place, through shared
/// borrows as the host's own lock waits do, so that a collection another
/// thread starts meanwhile need not wait for this one.
pub struct DestructorScope(());

impl DestructorScope {
    pub fn enter() -> Self {
        DESTRUCTOR_DEPTH.with(|d| d.set(d.get() + 1));
        DestructorScope(())
    }
}

impl Drop for DestructorScope {
    fn drop(&mut self) {
        DESTRUCTOR_DEPTH.with(|d| d.set(d.get() - 1));
    }
}

pub fn in_destructor() -> bool {
    DESTRUCTOR_DEPTH.with(|d| d.get() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicU32;

    #[test]
    fn the_lock_is_reentrant_per_thread() {
        acquire(None);
        acquire(None);
        assert!(held());
        release();
        assert!(held(), "still held at depth one");
        release();
        assert!(!held());
    }

    #[test]
    fn release_all_and_restore_keep_the_depth() {
        for _ in 0..3 {
            acquire(None);
        }
        let depth = release_all();
        assert_eq!(depth, 3);
        assert!(!held());
        restore(depth, None);
        assert!(held());
        for _ in 0..3 {
            release();
        }
        assert!(!held());
        assert_eq!(release_all(), 0, "nothing to give up");
    }

    #[test]
    fn the_collector_counts_as_holding_it() {
        assert!(!held());
        let inside = as_collector(|_token| held());
        assert!(inside);
        assert!(!held());
    }

    #[test]
    fn a_waiting_thread_gets_the_lock_when_its_holder_lets_go() {
        acquire(None);
        let got_it = Arc::new(AtomicBool::new(false));
        let waiter = {
            let got_it = got_it.clone();
            std::thread::spawn(move || {
                acquire(None);
                got_it.store(true, Ordering::SeqCst);
                release();
            })
        };
        // The waiter cannot get in while this thread holds the lock, however
        // long it tries (no timing is asserted: only that it has not).
        std::thread::yield_now();
        assert!(!got_it.load(Ordering::SeqCst));
        release();
        waiter.join().unwrap();
        assert!(got_it.load(Ordering::SeqCst));
    }

    #[test]
    fn a_thread_taking_the_lock_in_a_loop_lets_a_waiter_in() {
        // The spinner releases and takes the lock back at once, as a thread
        // calling C in a loop does; the waiter must still get a turn. The
        // spinner gives up after a minute, so that the failure is an assert.
        let waiter_got_in = Arc::new(AtomicBool::new(false));
        let spinner_started = Arc::new(AtomicBool::new(false));
        let spinner = {
            let (waiter_got_in, spinner_started) = (waiter_got_in.clone(), spinner_started.clone());
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                while !waiter_got_in.load(Ordering::SeqCst) && started.elapsed().as_secs() < 60 {
                    acquire(None);
                    spinner_started.store(true, Ordering::SeqCst);
                    for _ in 0..1000 {
                        std::hint::spin_loop();
                    }
                    release();
                }
            })
        };
        while !spinner_started.load(Ordering::SeqCst) {
            std::thread::yield_now();
        }
        acquire(None);
        waiter_got_in.store(true, Ordering::SeqCst);
        release();
        spinner.join().unwrap();
        assert!(waiter_got_in.load(Ordering::SeqCst));
    }

    #[test]
    fn the_lock_excludes_other_threads() {
        struct Unguarded(std::cell::UnsafeCell<u64>);
        // SAFETY: only written by threads holding the GIL, which the test checks.
        unsafe impl Sync for Unguarded {}
        static COUNTER: Unguarded = Unguarded(std::cell::UnsafeCell::new(0));
        static INSIDE: AtomicU32 = AtomicU32::new(0);
        let threads: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    for i in 0..20_000u32 {
                        acquire(None);
                        assert_eq!(
                            INSIDE.fetch_add(1, Ordering::SeqCst),
                            0,
                            "two threads hold the GIL"
                        );
                        // SAFETY: this thread holds the GIL.
                        unsafe { *COUNTER.0.get() += 1 };
                        if i % 1000 == 0 {
                            // Hand over mid-way, as Py_BEGIN_ALLOW_THREADS does.
                            INSIDE.fetch_sub(1, Ordering::SeqCst);
                            let depth = release_all();
                            std::thread::yield_now();
                            restore(depth, None);
                            INSIDE.fetch_add(1, Ordering::SeqCst);
                        }
                        INSIDE.fetch_sub(1, Ordering::SeqCst);
                        release();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        acquire(None);
        // SAFETY: this thread holds the GIL and the others have ended.
        assert_eq!(unsafe { *COUNTER.0.get() }, 80_000);
        release();
    }
}
