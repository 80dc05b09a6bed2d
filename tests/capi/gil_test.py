import threading
import time

import gil_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def run_threads(n, target, *args):
    """Start n Python threads on target(*args), join them; return elapsed seconds."""
    threads = [threading.Thread(target=target, args=args) for _ in range(n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - t0


# --- Py_BEGIN_ALLOW_THREADS lets other threads run ----------------------------------
t0 = time.monotonic()
show("sleep_released returns", ext.sleep_released(300))
one = time.monotonic() - t0
show("one sleep takes its time", one >= 0.29)

results = []
elapsed = run_threads(2, lambda: results.append(ext.sleep_released(300)))
show("two released sleeps overlap (< 550 ms)", elapsed < 0.55)
show("two released sleeps took at least 290 ms", elapsed >= 0.29)
show("two released sleeps results", results)

elapsed = run_threads(4, lambda: ext.sleep_released(200))
show("four released sleeps overlap (< 700 ms)", elapsed < 0.7)

# --- extension code runs under mutual exclusion ----------------------------------------
ext.counter_reset()


def steps(n):
    for _ in range(n):
        ext.counter_step()


elapsed = run_threads(4, steps, 10)
show("4 threads x 10 counter_step", ext.counter_get())
show("held-GIL sleeps are serialised (>= 75 ms)", elapsed >= 0.075)

# C threads (PyGILState_Ensure) and Python threads calling C share the same lock.
ext.counter_reset()
show("start_c_steppers", ext.start_c_steppers(3, 10))
run_threads(3, steps, 10)
show("join_c_steppers", ext.join_c_steppers())
show("3 C threads x 10 + 3 Python threads x 10", ext.counter_get())
ext.counter_reset()

# --- PyGILState_Check ------------------------------------------------------------------
show("Check inside a C call", ext.check_in_call())
show("Check between SaveThread/RestoreThread, after, tstate non-NULL", ext.check_saved())
out = []
run_threads(1, lambda: out.append((ext.check_in_call(), ext.check_saved())))
show("Check from a Python thread", out)
show("PyThreadState_Get non-NULL, macro agrees", ext.thread_state_get())

# --- Ensure on a thread that already holds the GIL ---------------------------------
show("Ensure while held: LOCKED, Check, Check after Release, object", ext.ensure_while_held())

# --- a thread made in C calls back into Python ----------------------------------------
main_ident = threading.get_ident()


def good_callback():
    return ["result",
            threading.get_ident() != main_ident,
            ext.check_in_call(),
            ext.sleep_released(5),
            ext.ensure_while_held()]


r = ext.run_in_thread(good_callback)
unlocked, c_in, c_released, c_back, c_after, result, etype, evalue, has_tb, occurred = r
show("C thread: Ensure returned UNLOCKED", unlocked)
show("C thread: Check after Ensure", c_in)
show("C thread: Check inside ALLOW_THREADS", c_released)
show("C thread: Check after END_ALLOW_THREADS", c_back)
show("C thread: Check after Release", c_after)
show("C thread: callback result", result)
show("C thread: no exception", (etype, evalue, has_tb, occurred))


def bad_callback():
    raise ValueError("boom from a C thread")


r = ext.run_in_thread(bad_callback)
unlocked, c_in, c_released, c_back, c_after, result, etype, evalue, has_tb, occurred = r
show("C thread raising: result", result)
show("C thread raising: fetched type", etype.__name__)
show("C thread raising: type is ValueError", etype is ValueError)
show("C thread raising: value is an instance", isinstance(evalue, ValueError))
show("C thread raising: value args", evalue.args)
show("C thread raising: traceback fetched", has_tb)
show("C thread raising: indicator clear after Fetch", occurred)
show("C thread raising: Check after Release", c_after)


class CustomError(Exception):
    pass


def custom_callback():
    raise CustomError("custom", 42)


r = ext.run_in_thread(custom_callback)
show("C thread custom: type", r[6] is CustomError)
show("C thread custom: value", (type(r[7]).__name__, r[7].args))

# --- nested Ensure on a C thread ---------------------------------------------------
show("nested Ensure (s1 UNLOCKED, s2 LOCKED, checks, inner value, kept)",
     ext.nested_in_thread())

# --- several C threads append to one list ---------------------------------------
lst = []
show("threads_append(4, 100)", ext.threads_append(lst, 4, 100))
show("list length", len(lst))
show("list items", sorted(lst) == sorted(t * 1000 + i for t in range(4) for i in range(100)))
show("per-thread order kept",
     all([x for x in lst if x // 1000 == t] == [t * 1000 + i for i in range(100)]
         for t in range(4)))

# The same while Python appends to the list at the same time.
lst = []
show("start_async_append(4, 100)", ext.start_async_append(lst, 4, 100))
for i in range(100):
    lst.append(-i)
    if i % 10 == 0:
        time.sleep(0.001)
show("join_async", ext.join_async())
show("list length with Python appending too", len(lst))
show("Python's appends in order", [x for x in lst if x <= 0] == [-i for i in range(100)])
show("C appends all there",
     sorted(x for x in lst if x > 0) == sorted(100000 + t * 1000 + i
                                               for t in range(4) for i in range(100)))

# --- a C thread calls Python while the main thread runs Python --------------------
event = threading.Event()


def later_callback():
    event.set()
    return "later done"


ext.start_later(later_callback)
show("event set by the C thread's callback", event.wait(30))
show("join_later", ext.join_later())

# --- a Python callback called from C starts a thread that calls C ----------------
def spawning_callback():
    out = []

    def worker():
        out.append(ext.check_in_call())
        out.append(ext.sleep_released(10))
        ext.counter_step()
        out.append(ext.counter_get())
        out.append(ext.run_in_thread(lambda: "from a C thread in a Python thread")[5])

    t = threading.Thread(target=worker)
    t.start()
    t.join(60)
    out.append(t.is_alive())
    return out


show("call_noargs(spawning_callback)", ext.call_noargs(spawning_callback))
show("call_between_blocks(spawning_callback)", ext.call_between_blocks(spawning_callback))

# A C call waits (in Python) for an event that another thread sets after calling C.
ev = threading.Event()
res = []
waiter = threading.Thread(target=lambda: res.append(ext.call_noargs(lambda: ev.wait(30))))
waiter.start()
setter_out = []


def setter():
    setter_out.append(ext.check_in_call())
    ev.set()


s = threading.Thread(target=setter)
s.start()
s.join()
waiter.join(60)
show("waiter finished", not waiter.is_alive())
show("waiter result", res)
show("setter result", setter_out)

# Nested: C -> Python -> thread -> C -> Python -> thread -> C.
def level2():
    out = []
    t = threading.Thread(target=lambda: out.append(ext.check_in_call()))
    t.start()
    t.join()
    return out


def level1():
    out = []
    t = threading.Thread(target=lambda: out.append(ext.call_noargs(level2)))
    t.start()
    t.join()
    return out


show("nested callbacks and threads", ext.call_noargs(level1))
show("counter at the end", ext.counter_get())

# --- borrowed references across a nested Ensure/Release -------------------------
# A nested PyGILState_Release (LOCKED) does nothing in CPython, so a value
# borrowed from a dict in between stays valid while the dict holds it.
d = {"k": ["only", "in", "the", "dict", 1.5]}
show("C thread: borrowed at the inner Ensure level, used after its Release (failed, repr)",
     ext.nested_borrow_in_thread(d, "k"))
locked, r, same_ptr, v = ext.ensure_borrow_held(d, "k")
show("in a call: borrowed inside Ensure/Release (LOCKED), used after",
     (locked, r, same_ptr, v is d["k"]))
show("PyCapsule_GetPointer with the GIL released", ext.capsule_without_gil())
show("PyOS_strtoul/strtol with the GIL released", ext.strtol_without_gil())
show("Py_UNICODE_IS* with the GIL released", ext.classes_without_gil())
waiting = threading.Thread(target=ext.waiter)
waiting.start()
show("C calling C functions by name keeps the GIL (what each saw)", ext.atomic(ext.Peeker()))
waiting.join()
show("the waiting thread ran after", ext.peek())
show("PyObject_IsInstance(o, type(o)) with the GIL released", (ext.exact_isinstance_released(ext), ext.exact_isinstance_released(3)))
class _Base:
    pass
class _Mid(_Base):
    pass
class _Leaf(_Mid):
    pass
class _MyInt(int):
    pass
class _SubPeeker(ext.Peeker):
    def __del__(self):
        pass
show("PyObject_IsInstance of a subtype's instance with the GIL released",
     (ext.subtype_isinstance_released(_Leaf(), _Base), ext.subtype_isinstance_released(_Leaf(), _Mid),
      ext.subtype_isinstance_released(_MyInt(3), int), ext.subtype_isinstance_released(True, int),
      ext.subtype_isinstance_released(KeyError("k"), LookupError),
      ext.subtype_isinstance_released(KeyError("k"), BaseException),
      ext.subtype_isinstance_released(_SubPeeker(), ext.Peeker)))
print("DONE")
