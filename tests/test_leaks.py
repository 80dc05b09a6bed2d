"""Objects that cross the C boundary must not leak.

tests/leak/leak_ext.c is built for cpyext; a script run under the cpyext
binary warms up, then sends a million fresh ints, a million fresh strs and a
million fresh tuples through a METH_O identity function and back, and has a
million fresh tuples built in C (make_tuple), and objects C allocates with
calloc and frees with free (as cffi does), and reports its RSS growth,
which must stay under LEAK_BOUND.

The same script runs under CPython 3.11 (built with CPython's headers) as a
check that the bound means something: a correct implementation stays far
below it, and an identity function that leaks one reference per crossing
(leaky_ident) goes far above it.
"""
import os

import harness

LEAK = os.path.join(harness.TESTS, "leak")
SOURCE = os.path.join(LEAK, "leak_ext.c")

CROSSINGS = 1_000_000

# Allowed RSS growth over the measured loop.  CPython grows by ~0 here, and
# an implementation that leaks a single small object per crossing would grow
# by at least CROSSINGS * 4 kinds * ~32 bytes = ~128 MB; 16 MiB leaves room for
# allocator noise, arenas and caches warming up in RustPython while catching
# any per-crossing leak (even 8 bytes per crossing is 32 MB here).
LEAK_BOUND = 16 * 1024 * 1024

CPYTHON_TIMEOUT = 20
CPYEXT_TIMEOUT = 120

# The resident set size, in bytes, as each leak script reads it.
RSS_HELPER = r'''
import os


def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
'''

SCRIPT = r'''
import gc
import os
import sys
import time

import leak_ext

n = int(sys.argv[1])
leaky = len(sys.argv) > 2 and sys.argv[2] == "leaky"
ident = leak_ext.leaky_ident if leaky else leak_ext.ident
make_tuple = leak_ext.make_tuple
make_char = leak_ext.make_char
make_small_int = leak_ext.make_small_int
make_nested = leak_ext.make_nested
make_malloced = leak_ext.make_malloced

RSS_HELPER


def collect():
    try:
        gc.collect()
    except Exception:
        pass


def crossings(count, start):
    for i in range(start, start + count):
        ident(i + 1000000)          # fresh int
        ident(str(i))               # fresh str
        ident((i, i))               # fresh tuple (holding a fresh int)
        make_tuple(i)               # fresh tuple and int built in C
        make_char(i)                # one-character str built in C (the host caches those)
        make_small_int(i)           # small int built in C (the host caches those)
        make_nested(i)              # lists in dicts in a list in a dict, built and dropped in C
        make_malloced(i)            # an object from calloc, freed by free (cffi's ffi.new)


# warm-up, with the results checked: the loop below must be measuring the
# real thing
for i in range(20000):
    x = i + 1000000
    assert ident(x) is x
    s = str(i)
    assert ident(s) is s
    t = (i, i)
    assert ident(t) is t
    r = make_tuple(i)
    assert type(r) is tuple and r == (i, i + 1), r
    assert make_char(i) == chr(97 + i % 26)
    assert make_small_int(i) == i % 200 + 1
    assert make_nested(i) is None
    assert type(make_malloced(i)).__name__ == "Malloced"
crossings(30000, 0)
collect()

before = rss()
t0 = time.time()
crossings(n, 0)
collect()
after = rss()
print("RESULT before=%d after=%d growth=%d seconds=%.2f" % (before, after, after - before,
                                                             time.time() - t0))
'''


# Objects the layer watches for their death: builtin functions made by
# PyCFunction_NewEx, code objects with a code extra, memoryviews whose kept
# view C read; and instances of a free-list type whose tp_dealloc calls a
# method of the dying object (Cython's @cython.freelist with a __dealloc__
# that calls self.close(); a host object was kept per instance). 200,000 of
# each; a watch that left 60 bytes behind (a callback made per object) would
# grow by 36 MB.
WATCHED = 200_000
WATCHED_BOUND = 8 * 1024 * 1024

WATCHED_SCRIPT = r'''
import gc
import sys

import leak_ext

n = int(sys.argv[1])


RSS_HELPER


def objects(count):
    for i in range(count):
        marker = object()
        assert leak_ext.make_function(marker)() is marker
        leak_ext.set_code_extra(compile("x", "watched", "eval"))
        data = bytearray(i % 64 + 1)
        assert leak_ext.view_length(memoryview(data)) == len(data)
        leak_ext.make_closing(marker)
        if i % 7 == 0:
            # more than the free list parks: some structs are freed
            held = [leak_ext.make_closing(data) for _ in range(10)]
            assert type(held[-1]).__name__ == "Closing"
            del held


objects(20000)
gc.collect()
before = rss()
objects(n)
gc.collect()
after = rss()
live = sum(1 for o in gc.get_objects() if type(o).__name__ == "Closing")
assert live == 0, "%d Closing objects outlived the loop" % live
print("RESULT before=%d after=%d growth=%d" % (before, after, after - before))
'''


# Threads made in C that call back into Python: 4,000 threads, each making
# 50 calls, half taking the GIL with PyGILState_Ensure, half making and
# deleting a thread state around each call (pybind11's gil_scoped_acquire
# on a thread of its own). A thread state left behind per call (360 bytes)
# would grow by 36 MB. (What each new thread still leaves, a few hundred
# bytes, is below the bound here.)
THREAD_ROUNDS = 500
THREADS_BOUND = 4 * 1024 * 1024

THREADS_SCRIPT = r'''
import gc
import sys
import threading

import leak_ext

n = int(sys.argv[1])
calls = [0]
lock = threading.Lock()


RSS_HELPER


def callback():
    # Python code called from C threads may run at once here (the host has
    # no GIL), so the count is taken under a lock.
    with lock:
        calls[0] += 1


def rounds(count):
    for _ in range(count):
        leak_ext.run_threads(callback, 4, 50, False)
        leak_ext.run_threads(callback, 4, 50, True)


rounds(50)
assert calls[0] == 50 * 4 * 100, calls[0]
gc.collect()
before = rss()
rounds(n)
gc.collect()
after = rss()
assert calls[0] == (n + 50) * 4 * 100, calls[0]
print("RESULT before=%d after=%d growth=%d" % (before, after, after - before))
'''


# Frames handed to a C profile function (PyEval_SetProfile): a frame's proxy
# keeps its address while the frame lives, and goes with it. A million
# calls of a Python function and 200,000 steps of generators, each frame
# seen at its call and return; a proxy (about 100 bytes) left per frame
# would grow by over 100 MB.
PROFILED_CALLS = 1_000_000
PROFILED_BOUND = 16 * 1024 * 1024

PROFILED_SCRIPT = r"""
import gc
import sys

import leak_ext

n = int(sys.argv[1])


RSS_HELPER


def leaf(i):
    return i + 1


def steps(k):
    for i in range(k):
        yield i


def calls(count):
    leak_ext.set_frame_profile(True)
    for i in range(count):
        leaf(i)
        if i % 25 == 0:
            for _ in steps(5):
                pass
    return leak_ext.set_frame_profile(False)


calls(20000)
gc.collect()
before = rss()
events = calls(n)
gc.collect()
after = rss()
assert events >= 2 * n, events
print("RESULT before=%d after=%d growth=%d" % (before, after, after - before))
"""


def run_leak_script(tmp_path, flavor, *args, timeout, script_text=SCRIPT, count=CROSSINGS):
    path = harness.build(SOURCE, flavor)
    script = tmp_path / "leak_script.py"
    script.write_text(script_text.replace("RSS_HELPER\n", RSS_HELPER))
    proc = harness.run_script(str(script), flavor, path, timeout=timeout,
                              args=(str(count),) + args)
    assert proc.returncode == 0, "%s: exit %s\n%s%s" % (flavor, proc.returncode, proc.stdout, proc.stderr)
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert line, "%s printed no RESULT line:\n%s%s" % (flavor, proc.stdout, proc.stderr)
    fields = dict(kv.split("=") for kv in line[-1].split()[1:])
    print("%s%s: %s" % (flavor, " (leaky)" if args else "", line[-1]))
    return int(fields["growth"])


def test_bound_is_meaningful_under_cpython(tmp_path):
    growth = run_leak_script(tmp_path, "cpython", timeout=CPYTHON_TIMEOUT)
    assert growth < LEAK_BOUND, "CPython itself grows by %.1f MiB: the bound is too tight" % (
        growth / 2**20)
    leaked = run_leak_script(tmp_path, "cpython", "leaky", timeout=CPYTHON_TIMEOUT)
    assert leaked > LEAK_BOUND, "a one-reference-per-crossing leak grows only %.1f MiB: the bound " \
                                "would not catch it" % (leaked / 2**20)


def test_no_leak_under_cpyext(tmp_path):
    assert os.access(harness.CPYEXT_BIN, os.X_OK), "no cpyext binary at %s" % harness.CPYEXT_BIN
    growth = run_leak_script(tmp_path, "cpyext", timeout=CPYEXT_TIMEOUT)
    assert growth < LEAK_BOUND, "RSS grew by %.1f MiB over %d crossings of each kind (bound %.0f MiB)" % (
        growth / 2**20, CROSSINGS, LEAK_BOUND / 2**20)


def test_watched_objects_do_not_leak(tmp_path):
    """Each kind of death watch leaves nothing behind once its object died,
    under cpyext; CPython runs the same script as a check of it."""
    growth = run_leak_script(tmp_path, "cpython", timeout=CPYTHON_TIMEOUT * 3,
                             script_text=WATCHED_SCRIPT, count=WATCHED)
    assert growth < WATCHED_BOUND, "CPython itself grows by %.1f MiB" % (growth / 2**20)
    growth = run_leak_script(tmp_path, "cpyext", timeout=CPYEXT_TIMEOUT,
                             script_text=WATCHED_SCRIPT, count=WATCHED)
    assert growth < WATCHED_BOUND, "RSS grew by %.1f MiB over %d watched objects of each kind (bound %.0f MiB)" % (
        growth / 2**20, WATCHED, WATCHED_BOUND / 2**20)


def test_c_threads_do_not_leak(tmp_path):
    """Callbacks from threads made in C leave nothing behind per call: a
    state C makes is freed when C deletes it, and a thread keeps one state
    of its own (unlisted, not freed, when it ends: a few hundred bytes a
    thread). CPython runs the same script as a check of it."""
    growth = run_leak_script(tmp_path, "cpython", timeout=CPYTHON_TIMEOUT * 3,
                             script_text=THREADS_SCRIPT, count=THREAD_ROUNDS)
    assert growth < THREADS_BOUND, "CPython itself grows by %.1f MiB" % (growth / 2**20)
    growth = run_leak_script(tmp_path, "cpyext", timeout=CPYEXT_TIMEOUT,
                             script_text=THREADS_SCRIPT, count=THREAD_ROUNDS)
    assert growth < THREADS_BOUND, "RSS grew by %.1f MiB over %d rounds of C threads (bound %.0f MiB)" % (
        growth / 2**20, THREAD_ROUNDS, THREADS_BOUND / 2**20)


def test_profiled_frames_do_not_leak(tmp_path):
    """Every frame a C profile function saw is freed with its frame, under
    cpyext; CPython runs the same script as a check of it."""
    growth = run_leak_script(tmp_path, "cpython", timeout=CPYTHON_TIMEOUT * 3,
                             script_text=PROFILED_SCRIPT, count=PROFILED_CALLS)
    assert growth < PROFILED_BOUND, "CPython itself grows by %.1f MiB" % (growth / 2**20)
    growth = run_leak_script(tmp_path, "cpyext", timeout=CPYEXT_TIMEOUT * 2,
                             script_text=PROFILED_SCRIPT, count=PROFILED_CALLS)
    assert growth < PROFILED_BOUND, "RSS grew by %.1f MiB over %d profiled calls (bound %.0f MiB)" % (
        growth / 2**20, PROFILED_CALLS, PROFILED_BOUND / 2**20)
