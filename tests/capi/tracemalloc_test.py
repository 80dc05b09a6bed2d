import sys
import threading
import tracemalloc
import _tracemalloc

import tracemalloc_ext as ext

D = 424242  # a domain of our own, as numpy's 389047
A, B = 0x10000, 0x20000
FILE = __file__


def show(label, value):
    print(f"{label}: {value!r}")


def here():
    return sys._getframe(1).f_lineno


def attempt(f, *args, **kwargs):
    try:
        return f(*args, **kwargs)
    except Exception as e:
        return f"{type(e).__name__}: {e}"


def domain_stats(domain):
    snap = tracemalloc.take_snapshot()
    stats = snap.filter_traces([tracemalloc.DomainFilter(True, domain)]).statistics("lineno")
    return [(s.size, s.count, s.traceback[0].filename == FILE, s.traceback[0].lineno) for s in stats]


def ours(size, filename=FILE):
    """This file's traces of domain 0 of one size (CPython traces its own
    objects' allocations on the same lines, of other sizes)."""
    snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.DomainFilter(True, 0), tracemalloc.Filter(True, filename)])
    return sorted((t.size, t.traceback[0].lineno) for t in snap.traces if t.size == size)


# --- not tracing ----------------------------------------------------------
show("is_tracing", tracemalloc.is_tracing())
show("Track off", ext.track(D, A, 100))
show("Untrack off", ext.untrack(D, A))
show("GetTraceback off", ext.get_traceback(D, A))
show("traced memory off", tracemalloc.get_traced_memory())
show("traces off", _tracemalloc._get_traces())
show("limit", tracemalloc.get_traceback_limit())
show("object traceback off", tracemalloc.get_object_traceback(ext.new_big()))
b = ext.alloc(0, 100001)
ext.release(0, b)

# --- a domain of C's own ---------------------------------------------------
tracemalloc.start(5)
show("is_tracing on", tracemalloc.is_tracing())
show("limit on", tracemalloc.get_traceback_limit())
tracemalloc.start(2)
show("limit kept by a second start", tracemalloc.get_traceback_limit())


def track_in_function(ptr, size):
    return ext.track(D, ptr, size), here()


rc = ext.track(D, A, 100); line_a = here()
show("Track on", rc)
(rc, line_b), line_b_caller = track_in_function(B, 50), here()
show("Track in a function", rc)
show("stats", domain_stats(D) == [(100, 1, True, line_a), (50, 1, True, line_b)])
show("stats sizes", [(s, n) for s, n, _, _ in domain_stats(D)])
tb = ext.get_traceback(D, B)
show("GetTraceback, most recent first", tb == ((FILE, line_b), (FILE, line_b_caller)))
show("GetTraceback untracked", ext.get_traceback(D, 0x30000))
show("GetTraceback other domain", ext.get_traceback(D + 1, A))
traces = [t for t in tracemalloc.take_snapshot().traces if t.domain == D]
show("trace domains and sizes", sorted((t.domain, t.size) for t in traces))
show("Traceback order", [(f.filename == FILE, f.lineno) for t in traces if t.size == 50 for f in t.traceback] == [(True, line_b_caller), (True, line_b)])
show("excluded by DomainFilter(False)", [t.size for t in tracemalloc.take_snapshot().filter_traces([tracemalloc.DomainFilter(False, D)]).traces if t.domain == D])

rc = ext.track(D, A, 300); line_a2 = here()
show("Track again replaces", (rc, domain_stats(D) == [(300, 1, True, line_a2), (50, 1, True, line_b)]))
show("Untrack", ext.untrack(D, A))
show("Untrack again", ext.untrack(D, A))
show("after Untrack", [(s, n) for s, n, _, _ in domain_stats(D)])
show("same address, other domain", (ext.track(D + 1, B, 7), ext.untrack(D + 1, B), [(s, n) for s, n, _, _ in domain_stats(D)]))

before = tracemalloc.get_traced_memory()[0]
ext.track(D, A, 10_000_000)
delta = tracemalloc.get_traced_memory()[0] - before
show("traced memory grows by the block", 10_000_000 <= delta < 10_010_000)
ext.untrack(D, A)
current, peak = tracemalloc.get_traced_memory()
show("peak keeps it", peak - current >= 10_000_000)
tracemalloc.reset_peak()
current, peak = tracemalloc.get_traced_memory()
show("reset_peak", 0 <= peak - current < 10_000)
show("tracemalloc memory", tracemalloc.get_tracemalloc_memory() > 0)

# --- the allocators, domain 0 ----------------------------------------------
blocks = {}
for kind, size in enumerate([100_001, 100_003, 100_005, 100_007, 100_009, 100_011]):
    blocks[kind] = ext.alloc(kind, size); line = here()
    found = ours(size)
    show(f"allocator {kind} traced", found == [(size, line)])
    show(f"allocator {kind} GetTraceback", ext.get_traceback(0, blocks[kind]) == ((FILE, line),))

for family, kind in [(0, 0), (1, 2), (2, 4)]:
    old = blocks[kind]
    blocks[kind] = ext.resize(family, old, 200_001 + family); line = here()
    show(f"realloc {family}", (ours(100_001 + 2 * kind), ours(200_001 + family) == [(200_001 + family, line)]))

for family, kind in [(0, 0), (0, 1), (1, 2), (1, 3), (2, 4), (2, 5)]:
    ext.release(family, blocks[kind])
show("freed", [ours(size) for size in [200_001, 100_003, 200_002, 100_007, 200_003, 100_011]])

addr = ext.raw_in_thread(100_013)
show("a C thread's block", ext.get_traceback(0, addr))
show("a C thread's block in the snapshot", ours(100_013, "<unknown>"))
ext.release(1, addr)


def in_python_thread(out):
    out.append((ext.alloc(2, 100_015), here()))


out = []
t = threading.Thread(target=in_python_thread, args=(out,))
t.start()
t.join()
show("a Python thread's block", ext.get_traceback(0, out[0][0])[0] == (FILE, out[0][1]))
ext.release(1, out[0][0])

big = ext.new_big(); line = here()
show("PyObject_Malloc'd object", ours(ext.big_size()) == [(ext.big_size(), line)])
tb = tracemalloc.get_object_traceback(big)
show("its object traceback", [(f.filename == FILE, f.lineno == line) for f in tb])
del big
show("freed by its tp_dealloc", ours(ext.big_size()))

tracemalloc.stop()
tracemalloc.start(1)


def deeper():
    return ext.track(D, A, 1), here()


rc, line = deeper()
traces = [t for t in tracemalloc.take_snapshot().traces if t.domain == D]
show("limit 1: one frame", [(len(t.traceback), t.traceback[0].lineno == line) for t in traces])
show("total_nframe counts them all", traces[0].traceback.total_nframe >= 2)

# --- clear_traces, stop ----------------------------------------------------
ext.track(D, B, 77)
tracemalloc.clear_traces()
show("after clear_traces", (tracemalloc.is_tracing(), domain_stats(D), ext.get_traceback(D, B)))
show("traced memory after clear_traces", tracemalloc.get_traced_memory()[0] < 10_000)
show("Track after clear_traces", ext.track(D, B, 77))
tracemalloc.stop()
show("after stop", (tracemalloc.is_tracing(), tracemalloc.get_traced_memory(), _tracemalloc._get_traces(), tracemalloc.get_traceback_limit()))
show("Track after stop", (ext.track(D, B, 77), ext.untrack(D, B), ext.get_traceback(D, B)))
show("take_snapshot after stop", attempt(tracemalloc.take_snapshot))
show("clear_traces, reset_peak when off", (tracemalloc.clear_traces(), tracemalloc.reset_peak(), tracemalloc.get_traced_memory()))

# --- errors -----------------------------------------------------------------
show("start(0)", attempt(_tracemalloc.start, 0))
show("start(65536)", attempt(_tracemalloc.start, 65536))
show("start(-1)", attempt(_tracemalloc.start, -1))
show("start(1.5)", attempt(_tracemalloc.start, 1.5))
show("start('a')", attempt(_tracemalloc.start, "a"))
show("start(2**70)", attempt(_tracemalloc.start, 2**70))
show("start(nframe=3)", attempt(_tracemalloc.start, nframe=3))
show("start(1, 2)", attempt(_tracemalloc.start, 1, 2))
show("still off", tracemalloc.is_tracing())
for name in ["stop", "is_tracing", "clear_traces", "get_traceback_limit", "get_traced_memory",
             "reset_peak", "get_tracemalloc_memory", "_get_traces"]:
    f = getattr(_tracemalloc, name)
    show(f"{name}(1)", attempt(f, 1))
    show(f"{name}(x=1)", attempt(f, x=1))
show("_get_object_traceback()", attempt(_tracemalloc._get_object_traceback))
show("_get_object_traceback(1, 2)", attempt(_tracemalloc._get_object_traceback, 1, 2))
show("_get_object_traceback(obj=1)", attempt(_tracemalloc._get_object_traceback, obj=1))
show("start(True)", (attempt(_tracemalloc.start, True), tracemalloc.get_traceback_limit()))
_tracemalloc.stop()
show("start(65535)", (attempt(_tracemalloc.start, 65535), tracemalloc.get_traceback_limit()))
_tracemalloc.stop()
show("module names", sorted(n for n in dir(_tracemalloc) if not n.startswith("__")))
print("DONE")
