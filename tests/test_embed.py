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


def test_program_built_with_cpyext_config_flags_runs(tmp_path):
    # `cc prog.c $(cpyext -m cpyext.config --cflags --ldflags --embed)`, as
    # build systems use python3-config.
    flags = subprocess.run([harness.CPYEXT_BIN, "-m", "cpyext.config", "--cflags", "--ldflags", "--embed"],
                           capture_output=True, text=True, check=True).stdout.split()
    program = str(tmp_path / "embed_pypy")
    build(["cc", os.path.join(EMBED, "embed_pypy.c"), *flags, "-o", program])
    assert run(program) == expected("embed_pypy")


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


def test_configured_start_up_and_run_main_as_under_cpython(tmp_path):
    """PyConfig read and amended, Py_InitializeFromConfig and Py_RunMain."""
    source = os.path.join(EMBED, "embed_config.c")
    ours = str(tmp_path / "embed_cpyext")
    build(recipe(source, ours))
    got = run(ours)
    flags = cpython_embed_flags()
    # The command ends with SystemExit(3), which ends the process.
    kept = (3, *expected("embed_config")[1:])
    if flags is None:
        want = kept
    else:
        theirs = str(tmp_path / "embed_cpython")
        build(["cc", source, *flags, "-o", theirs])
        want = run(theirs)
        assert want == kept, "the kept expected output is out of date"
    assert got == want


# Command lines for Py_BytesMain: (arguments, standard input). The scripts
# they name are written into the working directory by the test.
PYMAIN_FILES = {
    "mainmod.py": "import os, sys\nprint(__name__, os.path.basename(sys.argv[0]), sys.argv[1:], sys.path[0] == os.getcwd())\n",
    "script.py": "import os, sys\nprint('script', sys.argv, sys.path[0] == os.path.dirname(os.path.realpath(__file__)))\n",
    "first_line.py": "this line is not Python\nprint('the first line was skipped')\n",
}
PYMAIN_CASES = [
    (["-c", "import sys; print(sys.argv)", "a", "-b"], None),
    (["-c", "raise SystemExit(7)"], None),
    (["-c", "import sys; sys.exit('bye')"], None),
    (["-c", "1/0"], None),
    (["-S", "-c", "import sys; print('site' in sys.modules)"], None),
    (["-I", "-c", "import sys; print(sys.flags.isolated, sys.flags.ignore_environment, sys.flags.no_user_site)"], None),
    (["-E", "-c", "import sys; print(sys.flags.ignore_environment)"], None),
    (["-OO", "-B", "-c", "import sys; print(sys.flags.optimize, sys.flags.dont_write_bytecode, __debug__)"], None),
    (["-W", "error::DeprecationWarning", "-X", "opt=1", "-c", "import sys; print(sys.warnoptions, sys._xoptions)"], None),
    (["-Sc", "print('clustered')"], None),
    (["-P", "-c", "import sys; print(sys.path[0] == '')"], None),
    (["-c", "import sys; print(sys.path[0] == '')"], None),
    (["-m", "mainmod", "x", "-y"], None),
    (["script.py", "arg"], None),
    (["-x", "first_line.py"], None),
    (["-", "z"], "import sys; print('stdin', sys.argv)\n"),
    ([], "print('implicit stdin')\n"),
    (["-z"], None),
    (["--nonsense"], None),
    (["-c"], None),
    (["missing.py"], None),
]


def run_pymain(program, args, stdin, cwd):
    """The exit status, standard output, and the first and last lines of
    standard error (a traceback's or a message's) with the program's path and the
    working directory hidden."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH="")
    env.pop("PYTHONHOME", None)
    proc = subprocess.run([program, *args], input=stdin or "", capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)
    stderr = proc.stderr.replace(program, "PROG").replace(str(cwd), "CWD")
    lines = [line for line in stderr.splitlines() if line.strip()]
    return [proc.returncode, proc.stdout, [lines[0], lines[-1]] if lines else []]


def test_py_bytes_main_runs_python_command_lines_as_under_cpython(tmp_path):
    import json
    for name, text in PYMAIN_FILES.items():
        (tmp_path / name).write_text(text)
    source = os.path.join(EMBED, "embed_pymain.c")
    ours = str(tmp_path / "pymain_cpyext")
    build(recipe(source, ours))
    got = [run_pymain(ours, args, stdin, tmp_path) for args, stdin in PYMAIN_CASES]
    kept = os.path.join(EMBED, "embed_pymain.json")
    with open(kept) as f:
        want = json.load(f)
    flags = cpython_embed_flags()
    if flags is not None:
        theirs = str(tmp_path / "pymain_cpython")
        build(["cc", source, *flags, "-o", theirs])
        cpython = [run_pymain(theirs, args, stdin, tmp_path) for args, stdin in PYMAIN_CASES]
        assert cpython == want, "the kept expected output (embed_pymain.json) is out of date"
    for (args, _), g, w in zip(PYMAIN_CASES, got, want):
        assert g == w, f"Py_BytesMain with {args}"
