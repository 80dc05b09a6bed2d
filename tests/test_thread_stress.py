"""Threads calling into C at once must not crash, deadlock or leak.

tests/stress/stress_ext.c's `work` stores into a dict and a list that every
thread shares, reads them back, releases the GIL (Py_BEGIN_ALLOW_THREADS)
for a stretch of pure C work, then trims the list and returns a fresh
tuple. tests/stress/stress_script.py runs THREADS threads of CALLS calls
each (8 x 100,000: the run takes about 15 s under cpyext on the 2-core CI
machine, so the full count fits), then checks every result, that the
shared objects' C reference counts are back where they started, and
reports the RSS growth. A deadlock is caught by the subprocess timeout.

The same script runs under CPython 3.11 first, as a check of the script.
"""
import os
import re

import harness

STRESS = os.path.join(harness.TESTS, "stress")
SOURCE = os.path.join(STRESS, "stress_ext.c")
SCRIPT = os.path.join(STRESS, "stress_script.py")

THREADS = 8
CALLS = 100_000
# The run grows by well under 1 MiB under either interpreter; one leaked
# proxy per call would be about 100 MiB (800,000 calls).
RSS_BOUND = 16 * 1024 * 1024
TIMEOUT = 120


def run(flavor):
    path = harness.build(SOURCE, flavor)
    proc = harness.run_script(SCRIPT, flavor, path, timeout=TIMEOUT, args=(str(THREADS), str(CALLS)))
    assert proc.returncode == 0, "%s crashed (exit %s):\n%s\n%s" % (
        flavor, proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    out = proc.stdout
    assert out.rstrip().endswith("DONE"), out + proc.stderr
    assert "errors []" in out, out
    assert "list True dict True" in out, out
    assert "sentinel refcount back True" in out, out
    assert "list refcount back True" in out, out
    return int(re.search(r"^RSS growth (-?\d+)$", out, re.M).group(1))


def test_script_under_cpython():
    growth = run("cpython")
    assert growth < RSS_BOUND, "CPython grows by %d bytes: the bound is too tight" % growth


def test_threads_share_objects_through_c_without_crash_deadlock_or_leak():
    assert os.access(harness.CPYEXT_BIN, os.X_OK), "no cpyext binary at %s" % harness.CPYEXT_BIN
    growth = run("cpyext")
    assert growth < RSS_BOUND, "RSS grew by %.1f MiB over %d calls" % (growth / 2 ** 20, THREADS * CALLS)


def run_stress_pair(name, flavor, timeout, args):
    """Builds tests/stress/NAME_ext.c for `flavor`, runs NAME_script.py with
    it, checks that it exited cleanly and ended with DONE; returns stdout."""
    path = harness.build(os.path.join(STRESS, name + "_ext.c"), flavor)
    proc = harness.run_script(os.path.join(STRESS, name + "_script.py"), flavor, path, timeout=timeout, args=args)
    assert proc.returncode == 0, "%s crashed (exit %s):\n%s\n%s" % (
        flavor, proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    assert proc.stdout.rstrip().endswith("DONE"), proc.stdout + proc.stderr
    return proc.stdout


def run_list_race(flavor):
    """Python threads grow and shrink a list while C walks it with
    PyList_GET_SIZE and PyList_GET_ITEM. Under CPython the GIL keeps the
    walk whole; the host runs Python threads without one, and the walk must
    still see only live items (it crashed on an item that was gone)."""
    out = run_stress_pair("list_race", flavor, TIMEOUT, ("20000",))
    assert "errors []" in out, out


def test_list_race_script_under_cpython():
    run_list_race("cpython")


def test_c_walks_a_list_that_python_threads_change():
    run_list_race("cpyext")


def run_dealloc_gil(flavor):
    """A deallocator's Py_END_ALLOW_THREADS, the GIL's holder and the host's
    stop-the-world collector must not wait on each other (it hung)."""
    out = run_stress_pair("dealloc_gil", flavor, 60, ("3",))
    assert "every kind of work ran True" in out, out


def test_dealloc_gil_script_under_cpython():
    run_dealloc_gil("cpython")


def test_deallocators_that_release_the_gil_beside_the_collector():
    run_dealloc_gil("cpyext")
