"""How `import` finds and initialises extension modules: packages, suffixes,
repeated imports. Each case runs under CPython 3.11 too, as the oracle."""
import os
import shutil
import subprocess
import textwrap

import harness

SUBMODULE_C = r"""
#include <Python.h>
static PyObject *where(PyObject *self, PyObject *unused) { return PyUnicode_FromString("in the package"); }
static PyMethodDef methods[] = {{"where", where, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "%(m_name)s", NULL, -1, methods};
PyMODINIT_FUNC PyInit_%(short)s(void) { return PyModule_Create(&def); }
"""

SCRIPT = textwrap.dedent("""
    import sys
    import pkg.native, pkg.short_name, pkg.stable, pkg.plain
    print(pkg.native.where(), pkg.native.__name__, pkg.native.__package__ if hasattr(pkg.native, '__package__') else None)
    print(pkg.short_name.__name__, pkg.short_name.__spec__.name)
    print(pkg.native.__file__.endswith(sys.argv[1]))
    print(pkg.stable.__name__, pkg.stable.where(), pkg.stable.__file__.endswith('.abi3.so'))
    print(pkg.plain.__name__, pkg.plain.where(), pkg.plain.__file__.endswith('plain.so'))
    import pkg.native as again
    print(again is pkg.native, 'pkg.native' in sys.modules)
    try:
        import foreign_suffix
    except ModuleNotFoundError as e:
        print('not found:', e.name)
    print('DONE')
""")


def build_tree(tmp_path, flavor):
    root = tmp_path / flavor
    pkg = root / "pkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    suffix = harness.CPYTHON_SUFFIX if flavor == "cpython" else harness.OUR_SUFFIX
    include = harness.cpython_include() if flavor == "cpython" else harness.OUR_INCLUDE
    # `stable` has the limited API's suffix, as maturin and setuptools name
    # abi3 modules; each interpreter imports it when built with its headers.
    # `plain` has a bare `.so`, as CMake and SWIG builds name modules (nlopt).
    for short, m_name, file_suffix in (("native", "pkg.native", suffix), ("short_name", "short_name", suffix),
                                       ("stable", "pkg.stable", ".abi3.so"), ("plain", "pkg.plain", ".so")):
        src = root / f"{short}.c"
        src.write_text(SUBMODULE_C % {"m_name": m_name, "short": short})
        subprocess.run(["cc", "-shared", "-fPIC", "-I", include, str(src), "-o", str(pkg / (short + file_suffix))],
                       check=True)
    # A module built for the *other* interpreter, under that interpreter's suffix.
    other_suffix = harness.OUR_SUFFIX if flavor == "cpython" else harness.CPYTHON_SUFFIX
    shutil.copy(pkg / ("native" + suffix), root / ("foreign_suffix" + other_suffix))
    script = root / "script.py"
    script.write_text(SCRIPT)
    return root, script, suffix


def test_packages_suffixes_and_reimport(tmp_path):
    outputs = {}
    for flavor in ("cpython", "cpyext"):
        root, script, suffix = build_tree(tmp_path, flavor)
        proc = harness.run_script(str(script), flavor, str(root), args=(suffix,))
        assert proc.returncode == 0, proc.stderr
        outputs[flavor] = proc.stdout
    assert outputs["cpyext"] == outputs["cpython"]
    assert "in the package pkg.native" in outputs["cpyext"]
    assert "short_name pkg.short_name" in outputs["cpyext"]
    assert "pkg.stable in the package True" in outputs["cpyext"]
    assert "pkg.plain in the package True" in outputs["cpyext"]
    assert "not found: foreign_suffix" in outputs["cpyext"]


STDIN_SCRIPT = textwrap.dedent("""
    import sys

    # A comment and blank lines: a script, not lines typed at a prompt.
    def twice(x):

        return 2 * x

    print(sys.argv, twice(21), __name__)
    print(sys.stdin.read() == "")
""")


def test_standard_input_runs_as_a_script():
    # `python < script.py` and `python - args` run the script, as CPython does
    # when standard input is not a terminal (RustPython would start its shell).
    for args in ([], ["-", "a", "b"]):
        outputs = [subprocess.run([python, *args], input=STDIN_SCRIPT, capture_output=True, text=True, timeout=120)
                   for python in (harness.CPYTHON, harness.CPYEXT_BIN)]
        assert outputs[0].returncode == 0, outputs[0].stderr
        assert (outputs[1].returncode, outputs[1].stdout) == (0, outputs[0].stdout), outputs[1].stderr
        assert ">>>" not in outputs[1].stderr


def test_pythonunbuffered_keeps_output_printed_before_a_crash():
    # With PYTHONUNBUFFERED set, what was printed before the process dies is
    # written, as in CPython (RustPython's command line reads only -u).
    program = "print('before'); import os; os.abort()"
    for env_value, expected in (("1", "before\n"), ("", "")):
        env = dict(os.environ, PYTHONUNBUFFERED=env_value)
        outputs = [subprocess.run([python, "-c", program], capture_output=True, text=True, timeout=120, env=env)
                   for python in (harness.CPYTHON, harness.CPYEXT_BIN)]
        assert [o.stdout for o in outputs] == [expected, expected], (env_value, outputs[1].stderr)
        assert all(o.returncode < 0 for o in outputs)
    # -E ignores the environment: nothing is rewritten, the script still runs.
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    ran = subprocess.run([harness.CPYEXT_BIN, "-E", "-c", "import sys; print(sys.argv)"], capture_output=True,
                         text=True, timeout=120, env=env)
    assert ran.stdout == "['-c']\n", ran.stderr


def test_a_script_that_cannot_be_opened_gets_cpythons_message(tmp_path):
    # RustPython's message ended in " (os error 2)", and suites that watch a
    # child's stderr for "error" (llfuse's) failed on it; a non-UTF-8
    # argument made the layer's own command parser panic.
    names = ["missing.py", "it's.py", "a\tb\"'\udcff.py"]
    for name in names:
        for options in ([], ["-u", "-W", "ignore", "-Xdev"], ["--"]):
            outputs = [subprocess.run([python, *options, name, "arg"], capture_output=True, timeout=120,
                                      cwd=tmp_path) for python in (harness.CPYTHON, harness.CPYEXT_BIN)]
            messages = [o.stderr.replace(os.fsencode(python), b"PROGRAM")
                        for o, python in zip(outputs, (harness.CPYTHON, harness.CPYEXT_BIN))]
            assert messages[0].startswith(b"PROGRAM: can't open file "), messages[0]
            assert messages[1] == messages[0], (name, options)
            assert [o.returncode for o in outputs] == [2, 2]
    ran = subprocess.run([harness.CPYEXT_BIN, "-c", "pass", b"\xff"], capture_output=True, timeout=120)
    assert b"panicked" not in ran.stderr, ran.stderr
