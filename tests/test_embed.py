"""Embedding: C programs link against libcpyext.so with the README's recipe
and run the interpreter inside themselves. The CPython-style program prints
what the same program linked against CPython 3.11 prints (its expected
output is kept for machines without `python3.11-config`); the program
written for PyPy's interface (include/PyPy.h) prints what PyPy documents."""
import os
import shutil
import subprocess

import pytest

import harness

EMBED = os.path.join(harness.TESTS, "embed")
LIBDIR = os.path.dirname(harness.CPYEXT_BIN)


def recipe(source, output):
    """The README's compile-and-link command for a program embedding cpyext."""
    return ["cc", "-fPIC", source, "-I", harness.OUR_INCLUDE, "-L", LIBDIR, "-lcpyext",
            f"-Wl,-rpath,{LIBDIR}", "-lpthread", "-o", output]


def build(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stderr}"


def run(program, path=""):
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=path)
    env.pop("PYTHONHOME", None)
    proc = subprocess.run([program], capture_output=True, text=True, env=env, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def expected(name):
    with open(os.path.join(EMBED, name + ".stdout")) as out, open(os.path.join(EMBED, name + ".stderr")) as err:
        return 0, out.read(), err.read()


def cpython_embed_flags():
    config = shutil.which("python3.11-config")
    if config is None:
        return None
    flags = subprocess.run([config, "--cflags", "--ldflags", "--embed"], capture_output=True, text=True)
    return flags.stdout.split() if flags.returncode == 0 else None


def test_cpython_style_program_runs_as_under_cpython(tmp_path):
    source = os.path.join(EMBED, "embed_main.c")
    ours = str(tmp_path / "embed_cpyext")
    build(recipe(source, ours))
    got = run(ours, harness.build(os.path.join(harness.CAPI, "list_ext.c"), "cpyext"))
    flags = cpython_embed_flags()
    if flags is None:
        want = expected("embed_main")
    else:
        theirs = str(tmp_path / "embed_cpython")
        build(["cc", source, *flags, "-lpthread", "-o", theirs])
        want = run(theirs, harness.build(os.path.join(harness.CAPI, "list_ext.c"), "cpython"))
        assert want == expected("embed_main"), "the kept expected output is out of date"
    assert got == want


def test_pypy_interface_program_prints_what_pypy_documents(tmp_path):
    program = str(tmp_path / "embed_pypy")
    build(recipe(os.path.join(EMBED, "embed_pypy.c"), program))
    assert run(program) == expected("embed_pypy")


def test_a_program_that_calls_the_api_before_starting_gets_a_clear_message(tmp_path):
    source = tmp_path / "early.c"
    source.write_text('#include <Python.h>\nint main(void) { PyObject *o = PyLong_FromLong(1); return o == NULL; }\n')
    program = str(tmp_path / "early")
    build(recipe(str(source), program))
    code, out, err = run(program)
    assert code != 0
    assert "PyLong_FromLong called before Py_Initialize" in err
