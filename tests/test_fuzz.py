"""Fuzzing the varargs C API (tests/fuzz/fuzz_varargs.py): random format
strings and arguments for PyArg_Parse*, Py_BuildValue and
PyUnicode_FromFormat, through the conformance extensions.

The same seeded cases run under CPython 3.11 and under cpyext: cpyext must
not crash, must give the same outcome for every case (the per-API digests
agree), must give back every reference it took to the argument objects,
and must not grow. A second run under cpyext adds malformed formats that
CPython does not survive.

FUZZ_CASES (default 20000) and FUZZ_SEED (default 1) change the run.
"""
import os
import re

import harness

FUZZ = os.path.join(harness.TESTS, "fuzz")
SCRIPT = os.path.join(FUZZ, "fuzz_varargs.py")
EXTENSIONS = ["getargs", "buildvalue", "format"]

CASES = int(os.environ.get("FUZZ_CASES", "20000"))
SEED = int(os.environ.get("FUZZ_SEED", "1"))
# Allowed RSS growth over the measured cases. The run grows by well under
# 1 MiB under either interpreter; one leaked buffer, str or proxy per
# failing case would be several MiB.
RSS_BOUND = 4 * 1024 * 1024


def run(flavor, cases, seed, *extra):
    path = None
    for name in EXTENSIONS:
        path = harness.build(os.path.join(harness.CAPI, name + "_ext.c"), flavor)
    proc = harness.run_script(SCRIPT, flavor, path, timeout=120, args=(str(cases), str(seed), *extra))
    assert proc.returncode == 0, "%s crashed or failed (exit %s):\n%s\n%s" % (
        flavor, proc.returncode, proc.stdout[-3000:], proc.stderr[-3000:])
    assert proc.stdout.rstrip().endswith("DONE"), proc.stdout
    digests = dict(re.findall(r"^(\w+): \d+ cases, .* digest (\w+)$", proc.stdout, re.M))
    growth = int(re.search(r"^RSS growth (-?\d+)$", proc.stdout, re.M).group(1))
    leaks = re.search(r"^reference leaks (.*)$", proc.stdout, re.M).group(1)
    print(f"{flavor}{' ' + ' '.join(extra) if extra else ''}:\n{proc.stdout}")
    return digests, growth, leaks


def test_fuzz_same_outcomes_as_cpython_no_crash_no_leak():
    reference, cpython_growth, _ = run("cpython", CASES, SEED)
    assert set(reference) == {"parse", "build", "format"}
    # CPython itself leaks a reference in a few error paths (et# on a
    # bytearray without PY_SSIZE_T_CLEAN), so only its growth is checked.
    assert cpython_growth < RSS_BOUND, "CPython grows by %d bytes: the bound is too tight" % cpython_growth
    ours, growth, leaks = run("cpyext", CASES, SEED)
    assert ours == reference, "outcomes differ from CPython's; rerun with FUZZ_DUMP=file under both to diff"
    assert leaks == "[]", "references to argument objects were not given back: " + leaks
    assert growth < RSS_BOUND, "RSS grew by %.1f MiB over %d cases" % (growth / 2 ** 20, CASES)


def test_fuzz_malformed_formats_under_cpyext():
    _, growth, leaks = run("cpyext", max(CASES // 2, 1000), SEED + 1, "--malformed")
    assert leaks == "[]", "references to argument objects were not given back: " + leaks
    assert growth < RSS_BOUND, "RSS grew by %.1f MiB" % (growth / 2 ** 20)
