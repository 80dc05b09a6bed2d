"""Broken extensions must end in a clear Python exception or a clear fatal
error message from cpyext, never in a silent crash.

The C sources are in tests/bad/.  Every case runs in a fresh subprocess of the
cpyext binary with PYTHONPATH set to the build directory.  A probe script
imports the module (and calls the faulty function) and prints the exception it
caught as one JSON line, so that a crash, a hang or an unexpected exception is
reported with the process's exit status and stderr.

Where CPython 3.11 behaves the same (b, c, e, f, g) the same probe also runs
under CPython with a CPython build, as the oracle for type and message.
Cases h and i (reference-count underflow, C-API call without the GIL) are
undefined behaviour that CPython does not detect: it runs them only to show
what it does, and asserts nothing about it.
"""
import json
import os
import shutil
import subprocess

import pytest

import harness

BAD = os.path.join(harness.TESTS, "bad")
TIMEOUT = 60

PROBE = r'''
import json
import sys

result = {"outcome": "returned"}
try:
%s
except BaseException as e:
    cause = e.__cause__
    result = {"outcome": "raised", "type": type(e).__name__, "message": str(e),
              "cause_type": None if cause is None else type(cause).__name__,
              "cause_message": None if cause is None else str(cause),
              "notes": getattr(e, "__notes__", [])}
sys.stdout.write("PROBE " + json.dumps(result) + "\n")
sys.stdout.flush()
'''


def build(name, flavor):
    return harness.build(os.path.join(BAD, name + ".c"), flavor)


def run(tmp_path, flavor, path, body):
    """Run `body` (Python statements) under `flavor` with PYTHONPATH=path."""
    if flavor == "cpyext":
        assert os.access(harness.CPYEXT_BIN, os.X_OK), "no cpyext binary at %s" % harness.CPYEXT_BIN
    script = tmp_path / ("probe_%s.py" % flavor)
    script.write_text(PROBE % "\n".join("    " + line for line in body.splitlines()))
    try:
        return harness.run_script(str(script), flavor, path, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        pytest.fail("%s: still running after %ds (hang or deadlock)\nstdout: %s\nstderr: %s"
                    % (flavor, TIMEOUT, e.stdout, e.stderr))


def describe(proc):
    return "exit status %s\n--- stdout:\n%s\n--- stderr:\n%s" % (proc.returncode, proc.stdout, proc.stderr)


def caught(proc):
    """The exception the probe caught, as a dict; fails clearly on a crash."""
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("PROBE ")]
    assert lines, "the probe did not finish (crash?): " + describe(proc)
    assert proc.returncode == 0, "the probe finished but the process failed: " + describe(proc)
    result = json.loads(lines[-1][len("PROBE "):])
    assert result["outcome"] == "raised", "no exception was raised: " + describe(proc)
    return result


def expect(proc, exc_type, contains=None, equals=None, cause_type=None, cause_message=None):
    r = caught(proc)
    where = "\ngot %s: %s (cause %s: %s)\n%s" % (r["type"], r["message"], r["cause_type"],
                                                 r["cause_message"], describe(proc))
    assert r["type"] == exc_type, "expected %s" % exc_type + where
    for text in ([contains] if isinstance(contains, str) else contains or []):
        assert text in r["message"], "expected %r in the message" % text + where
    if equals is not None:
        assert r["message"] == equals, "expected the message %r" % equals + where
    if cause_type is not None:
        assert r["cause_type"] == cause_type, "expected __cause__ to be a %s" % cause_type + where
        assert r["cause_message"] == cause_message, \
            "expected __cause__'s message %r" % cause_message + where
    return r


def expect_fatal(proc, *texts):
    assert proc.returncode != 0, "the process did not stop: " + describe(proc)
    assert "PROBE " not in proc.stdout, "the fault was survived: " + describe(proc)
    for text in texts:
        assert text in proc.stderr, "expected %r on stderr: %s" % (text, describe(proc))


def note(flavor, case, proc):
    tail = "\n".join(proc.stderr.strip().splitlines()[-5:])
    print("[%s, case %s] exit status %s; stdout %r; stderr tail:\n%s"
          % (flavor, case, proc.returncode, proc.stdout.strip(), tail))


# a ---------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", [harness.OUR_SUFFIX, ".abi3.so", ".so"])
def test_a_module_built_with_cpython_headers(tmp_path, suffix):
    # Under our suffix by mistake, or under the limited API's or a bare
    # `.so`, which cpyext also imports: a CPython abi3 wheel's module, or a
    # CMake-built one, is refused all the same.
    built = build("bad_foreign", "cpython")
    moddir = tmp_path / "mods"
    moddir.mkdir()
    shutil.copy(os.path.join(built, "bad_foreign" + harness.CPYTHON_SUFFIX),
                moddir / ("bad_foreign" + suffix))
    proc = run(tmp_path, "cpyext", str(moddir), "import bad_foreign")
    expect(proc, "ImportError", contains="not built against cpyext's headers")


# b ---------------------------------------------------------------------------

@pytest.mark.parametrize("flavor", ["cpython", "cpyext"])
def test_b_no_module_export_function(tmp_path, flavor):
    proc = run(tmp_path, flavor, build("bad_noinit", flavor), "import bad_noinit")
    expect(proc, "ImportError", contains="does not define module export function (PyInit_bad_noinit)")


# c ---------------------------------------------------------------------------

@pytest.mark.parametrize("flavor", ["cpython", "cpyext"])
def test_c_init_returns_null_without_exception(tmp_path, flavor):
    proc = run(tmp_path, flavor, build("bad_null_init", flavor), "import bad_null_init")
    expect(proc, "SystemError",
           contains="initialization of bad_null_init failed without raising an exception")


# d ---------------------------------------------------------------------------
# The exception PyInit_* raised propagates itself, as in CPython 3.11 (cpyext
# adds a note naming the module).

@pytest.mark.parametrize("flavor", ["cpython", "cpyext"])
def test_d_init_raises(tmp_path, flavor):
    proc = run(tmp_path, flavor, build("bad_raise_init", flavor), "import bad_raise_init")
    r = expect(proc, "ValueError", equals="boom")
    if flavor == "cpyext":
        assert any("while initializing the extension module bad_raise_init" in n for n in r["notes"]), describe(proc)


# e ---------------------------------------------------------------------------

MISSING = ["PyCpyext_NoSuchFunction", "PyCpyext_AnotherMissingFunction"]


def test_e_unimplemented_c_api_function(tmp_path):
    proc = run(tmp_path, "cpyext", build("bad_missing_api", "cpyext"), "import bad_missing_api")
    expect(proc, "ImportError", contains=MISSING)   # every missing name is listed


def test_e_unimplemented_c_api_function_cpython_oracle(tmp_path):
    # CPython's dlopen names the first unresolved symbol only
    proc = run(tmp_path, "cpython", build("bad_missing_api", "cpython"), "import bad_missing_api")
    r = expect(proc, "ImportError")
    assert any(name in r["message"] for name in MISSING), r["message"]


# f, g ------------------------------------------------------------------------

@pytest.mark.parametrize("flavor", ["cpython", "cpyext"])
def test_f_null_without_exception(tmp_path, flavor):
    proc = run(tmp_path, flavor, build("bad_funcs", flavor),
               "import bad_funcs\nbad_funcs.null_without_exception()")
    expect(proc, "SystemError",
           equals="<built-in function null_without_exception> returned NULL without setting an exception")


@pytest.mark.parametrize("flavor", ["cpython", "cpyext"])
def test_g_result_with_exception_set(tmp_path, flavor):
    proc = run(tmp_path, flavor, build("bad_funcs", flavor),
               "import bad_funcs\nbad_funcs.result_with_exception()")
    expect(proc, "SystemError",
           equals="<built-in function result_with_exception> returned a result with an exception set",
           cause_type="ValueError", cause_message="pending")


@pytest.mark.parametrize("flavor", ["cpython", "cpyext"])
@pytest.mark.parametrize("with_result", [True, False])
def test_fg_call_slot_names_the_callable(tmp_path, flavor, with_result):
    # A tp_call that breaks the rules: the SystemError names the callable
    # by its repr, as CPython's _Py_CheckFunctionResult does.
    proc = run(tmp_path, flavor, build("bad_funcs", flavor),
               f"import bad_funcs\nbad_funcs.BadCall()({with_result})")
    if with_result:
        expect(proc, "SystemError", equals="<BadCall instance> returned a result with an exception set",
               cause_type="ValueError", cause_message="pending")
    else:
        expect(proc, "SystemError", equals="<BadCall instance> returned NULL without setting an exception")


def test_g_list_with_an_unset_item(tmp_path):
    # CPython hands such a list on (and crashes, or prints <NULL>, when the
    # item is used); here it is a SystemError as it reaches Python.
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"),
               "import bad_funcs\nprint(bad_funcs.list_with_unset_item())")
    expect(proc, "SystemError", equals="a list made in C reached Python with item 1 unset (NULL)")


def test_g_list_with_an_unset_item_in_a_container(tmp_path):
    # C may store a list before setting its items (reply builders do), so
    # the hole is found as the call ends: reported, and None from then on.
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"),
               "import bad_funcs\nprint(bad_funcs.dict_with_unset_list_item())")
    assert proc.returncode == 0, describe(proc)
    assert "{'list': [1, None]}" in proc.stdout, describe(proc)
    assert "SystemError: a list made in C reached Python with item 1 unset (NULL)" in proc.stderr, describe(proc)
    assert "bad_funcs.dict_with_unset_list_item" in proc.stderr, describe(proc)


def test_g_tuple_with_an_unset_item_in_a_container(tmp_path):
    # A tuple C stores before setting its items gets them as the call ends;
    # one never set is reported then, and None from then on.
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"),
               "import bad_funcs\nprint(bad_funcs.dict_with_unset_tuple_item())")
    assert proc.returncode == 0, describe(proc)
    assert "{'tuple': (1, None)}" in proc.stdout, describe(proc)
    assert "SystemError: a tuple made in C reached Python with item 1 unset (NULL)" in proc.stderr, describe(proc)
    assert "bad_funcs.dict_with_unset_tuple_item" in proc.stderr, describe(proc)


def test_g_stored_tuple_returned_with_an_unset_item(tmp_path):
    # Returned unfilled, it is refused as it reaches Python.
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"),
               "import bad_funcs\nbad_funcs.stored_tuple_returned_unset({})")
    expect(proc, "SystemError", equals="a tuple made in C reached Python with item 1 unset (NULL)")


# h, i ------------------------------------------------------------------------

def test_h_decref_once_too_often(tmp_path):
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"), "import bad_funcs\nbad_funcs.decref_twice()")
    expect_fatal(proc, "Fatal Python error", "refcount", "decref_twice")


def test_h_decref_too_often_on_an_object_python_holds(tmp_path):
    # CPython's count would drop from N to N-2 and free nothing yet, so
    # extensions with such an error path pass their tests there: the count
    # is put back to zero, with a warning that names the function, once.
    script = ("import bad_funcs\nheld = [1, 2]\nfor _ in range(3):\n    bad_funcs.decref_arg_twice(held)\n"
              "import gc; gc.collect()\nprint(held, 'still usable')")
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"), script)
    assert proc.returncode == 0, describe(proc)
    assert "[1, 2] still usable" in proc.stdout, describe(proc)
    assert proc.stderr.count("went below zero in bad_funcs.decref_arg_twice") == 1, describe(proc)
    assert "'list' object" in proc.stderr and "Python still holds" in proc.stderr, describe(proc)


def test_h_decref_once_too_often_cpython_noted(tmp_path):
    proc = run(tmp_path, "cpython", build("bad_funcs", "cpython"), "import bad_funcs\nbad_funcs.decref_twice()")
    note("cpython", "h", proc)   # undefined behaviour there: nothing asserted


def test_i_c_api_call_without_gil(tmp_path):
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"),
               "import bad_funcs\nbad_funcs.thread_without_gil()")
    expect_fatal(proc, "Fatal Python error", "PyLong_FromLong", "GIL")


def test_i_c_api_call_without_gil_cpython_noted(tmp_path):
    proc = run(tmp_path, "cpython", build("bad_funcs", "cpython"),
               "import bad_funcs\nbad_funcs.thread_without_gil()")
    note("cpython", "i", proc)   # undefined behaviour there: nothing asserted


def test_i_object_assertion_fails_with_the_check_and_the_object(tmp_path):
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"), "import bad_funcs\nbad_funcs.object_assert_failed()")
    expect_fatal(proc, 'bad_funcs.c:42: object_assert_failed: Assertion "ob_refcnt > 0" failed: a made-up check',
                 "object repr     : 'the culprit object'", "Fatal Python error: _PyObject_AssertFailed",
                 "object_assert_failed")


def test_i_inconsistent_object_is_fatal(tmp_path):
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"), "import bad_funcs\nbad_funcs.inconsistent_object()")
    expect_fatal(proc, "Fatal Python error: _PyObject_CheckConsistency", "zero refcount", "inconsistent_object")


def test_j_import_in_a_subinterpreter(tmp_path):
    # The host makes subinterpreters (concurrent.interpreters); the layer
    # serves one interpreter, so a C extension imported in another is an
    # ImportError there, not a crash later (asyncpg's suite imports one so).
    body = ("import bad_funcs\n"
            "try:\n"
            "    from concurrent import interpreters\n"
            "except ImportError:\n"
            "    raise ImportError('does not support loading in subinterpreters (no subinterpreters here)')\n"
            "interp = interpreters.create()\n"
            "try:\n"
            "    interp.exec('import sys; sys.path[:0] = %r; import bad_funcs' % (sys.path,))\n"
            "except interpreters.ExecutionFailed as e:\n"
            "    raise ImportError(str(e))\n"
            "finally:\n"
            "    interp.close()\n"
            "bad_funcs.null_without_exception")
    proc = run(tmp_path, "cpyext", build("bad_funcs", "cpyext"), body)
    expect(proc, "ImportError", contains=["bad_funcs", "does not support loading in subinterpreters"])


# Every kind of entry into C goes through one boundary (boundary::call_into_c),
# so a fatal error names the C function that ran, whatever kind it was.
ENTRY_KINDS = [
    ("slot", "repr(bad_slots.Culprit())", "bad_slots.Culprit.tp_repr"),
    ("number slot", "bad_slots.Culprit() + 1", "bad_slots.Culprit.nb_add"),
    ("getset", "bad_slots.Culprit().value", "bad_slots.Culprit.value"),
    ("dealloc", "c = bad_slots.Culprit()\nc.arm('dealloc')\ndel c", "bad_slots.Culprit.tp_dealloc"),
    ("finalizer", "c = bad_slots.Culprit()\nc.arm('finalize')\ndel c", "bad_slots.Culprit.tp_finalize"),
    ("module exec", "import os\nos.environ['BAD_SLOTS_IN_EXEC'] = '1'", "bad_slots.Py_mod_exec"),
]


@pytest.mark.parametrize("kind,body,culprit", ENTRY_KINDS, ids=[k for k, _, _ in ENTRY_KINDS])
def test_a_fatal_error_names_the_entry_point(tmp_path, kind, body, culprit):
    if kind == "module exec":
        body = body + "\nimport bad_slots"
    else:
        body = "import bad_slots\n" + body
    proc = run(tmp_path, "cpyext", build("bad_slots", "cpyext"), body)
    expect_fatal(proc, "Fatal Python error", "refcount", f"(while running the extension function {culprit})")
