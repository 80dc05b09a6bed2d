"""The fallback build path (tests/compat/build_ext.py) and the compatibility
runner (tests/compat/run.py), offline, on the sample package in
tests/compat/sample: python3.11's own setuptools builds it, and its pytest
runs the tests under both interpreters."""
import os
import shutil
import subprocess
import sys

import harness

COMPAT = os.path.join(harness.TESTS, "compat")
SAMPLE = os.path.join(COMPAT, "sample")
INCLUDE = os.path.realpath(harness.OUR_INCLUDE)
SUFFIX = ".cpyext-311-x86_64-linux-gnu.so"


def cpython_include():
    return os.path.realpath(harness.cpython_include())


def run_tool(script, *args, env=None):
    proc = subprocess.run([harness.CPYTHON, os.path.join(COMPAT, script), *args], capture_output=True, text=True,
                          env=env, timeout=300)
    return proc


def compile_lines(work):
    import json
    with open(os.path.join(work, "compile.jsonl")) as f:
        return [json.loads(line) for line in f]


def test_build_ext_builds_with_our_headers_only(tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    proc = run_tool("build_ext.py", SAMPLE, "--out", str(out), "--build-env", "host", "--work", str(work),
                    "--cpyext", harness.CPYEXT_BIN)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Every compile line has our include/ and not CPython's.
    commands = compile_lines(work)
    compiles = [argv for argv in commands if "-c" in argv]
    assert len(compiles) == 2 and len(commands) == 4
    for argv in compiles:
        assert "-I" + INCLUDE in argv
        assert not any(cpython_include() in arg for arg in argv)
    # The package is installed with our suffix and imports under cpyext.
    assert (out / "sample" / ("_fast" + SUFFIX)).exists()
    assert (out / "sample" / "__init__.py").exists()
    assert "sample/_needs_more.cpyext-311-x86_64-linux-gnu.so: cpyext ABI tag; missing C-API symbols: " \
           "PyCompatSample_Unobtainium" in proc.stdout
    assert "sample/_fast.cpyext-311-x86_64-linux-gnu.so: cpyext ABI tag; missing C-API symbols: none" in proc.stdout
    run = subprocess.run([harness.CPYEXT_BIN, "-c", "from sample import _fast; print(_fast.double_it(21))"],
                         capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(out)), cwd=str(tmp_path))
    assert run.stdout == "42\n", run.stderr


def test_build_ext_refuses_cpython_headers_on_the_include_path(tmp_path):
    env = dict(os.environ, CFLAGS="-I" + cpython_include())
    proc = run_tool("build_ext.py", SAMPLE, "--out", str(tmp_path / "out"), "--build-env", "host",
                    "--cpyext", harness.CPYEXT_BIN, env=env)
    assert proc.returncode == 1
    assert "CPython's headers were reachable" in proc.stdout
    assert f"-I{cpython_include()} (it holds another Python.h)" in proc.stdout or \
           f"{cpython_include()} (it holds another Python.h)" in proc.stdout


def test_build_ext_builds_for_cpython_too(tmp_path):
    out = tmp_path / "out"
    proc = run_tool("build_ext.py", SAMPLE, "--out", str(out), "--build-env", "host", "--flavor", "cpython")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (out / "sample" / "_fast.cpython-311-x86_64-linux-gnu.so").exists()


def table_row(report, name):
    rows = [line for line in report.splitlines() if line.startswith(f"| {name} |")]
    assert len(rows) == 1, report
    return [cell.strip() for cell in rows[0].strip("|").split("|")]


def run_offline(tmp_path, *packages):
    report = tmp_path / "compat.md"
    proc = run_tool("run.py", "--offline", "--cache", str(tmp_path / "cache"), "--work", str(tmp_path / "work"),
                    "--report", str(report), "--cpyext", harness.CPYEXT_BIN, *packages)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return report.read_text()


def test_runner_reports_builds_symbols_imports_and_tests(tmp_path):
    report = run_offline(tmp_path, SAMPLE)
    row = table_row(report, "sample")
    # package, version, CPython tests, cpyext build, missing, import, cpyext tests
    assert row[2] == "3 / 0 / 0 / 1"
    assert row[3] == "2 of 2 modules"
    assert row[4] == "1: `PyCompatSample_Unobtainium`"
    assert row[5] == "1 of 2 import"
    assert row[6] == "2 / 1 / 0 / 1"
    assert "- `sample._fast` imports no C-API symbols that cpyext lacks" in report
    assert "- `import sample._needs_more` under cpyext: `ImportError: sample._needs_more needs C-API symbols " \
           "cpyext does not implement: PyCompatSample_Unobtainium`" in report


def test_runner_reports_what_our_headers_lack_when_the_build_fails(tmp_path):
    # A package whose C uses a name our headers do not declare cannot be
    # compiled for cpyext: the report names it, and lists what the CPython
    # build imports that cpyext lacks.
    pkg = tmp_path / "broken"
    shutil.copytree(SAMPLE, pkg)
    (pkg / "src" / "sample" / "_broken.c").write_text(
        "#include <Python.h>\n"
        "#ifdef CPYEXT_ABI_TAG\n"
        "#define THE_TYPE PyCompatSample_Type\n"
        "#else\n"
        "#define THE_TYPE PyBool_Type\n"
        "#endif\n"
        "static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"sample._broken\", NULL, -1, NULL};\n"
        "PyMODINIT_FUNC PyInit__broken(void) {\n"
        "    PyObject *m = PyModule_Create(&def);\n"
        "    if (m) PyModule_AddObject(m, \"t\", (PyObject *)&THE_TYPE);\n"
        "    return m;\n"
        "}\n")
    setup = (pkg / "setup.py").read_text()
    (pkg / "setup.py").write_text(setup.replace(
        'Extension("sample._fast", ["src/sample/_fast.c"]),',
        'Extension("sample._fast", ["src/sample/_fast.c"]),\n'
        '        Extension("sample._broken", ["src/sample/_broken.c"]),'))
    report = run_offline(tmp_path, str(pkg))
    row = table_row(report, "broken")
    assert row[3] == "failed to compile"
    assert "Names the compiler did not find in our headers (1): `PyCompatSample_Type`" in report
    # Its CPython build needs nothing cpyext lacks: the gap is in the headers.
    assert "C-API symbols the CPython build imports that cpyext lacks (what the cpyext build would import, " \
           "headers aside): none" in report
    assert row[4] == "(none in the CPython build, see below)"
    # The tests ran under CPython; under cpyext there is nothing to test.
    assert row[2] == "3 / 0 / 0 / 1"
    assert row[6] == "not run: the cpyext build failed"


def runner():
    sys.path.insert(0, COMPAT)
    import run
    return run


def test_header_gaps_come_from_gcc_messages(tmp_path):
    # Real gcc messages for names our headers lack: an undeclared function
    # (implicit declaration), an undeclared constant and an unknown type.
    src = tmp_path / "gaps.c"
    src.write_text("#include <Python.h>\n"
                   "PyCompatSample_Struct *p;\n"
                   "int f(PyObject *o) { return PyCompatSample_Check(o) + PyCompatSample_FLAG; }\n")
    proc = subprocess.run(["cc", "-c", "-I", INCLUDE, str(src), "-o", str(tmp_path / "gaps.o")],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert runner().header_gaps(proc.stderr) == ["PyCompatSample_Check", "PyCompatSample_FLAG",
                                                 "PyCompatSample_Struct"]


def test_test_requirements_and_testpaths(tmp_path):
    run = runner()
    (tmp_path / "pyproject.toml").write_text(
        '[dependency-groups]\ntest = ["pytest>=8", {include-group = "other"}, "attrs>=20"]\n'
        '[project.optional-dependencies]\ntesting = ["pytest-cov", "hypothesis<7"]\n'
        '[tool.pytest.ini_options]\ntestpaths = ["checks"]\n')
    (tmp_path / "setup.py").write_text("setup(tests_require=['pytest<7', 'toolz'])\n")
    # pytest and its plugins are left out: a current pytest always runs.
    assert run.test_requirements(str(tmp_path), "pyrsistent") == ["attrs>=20", "hypothesis<7", "toolz", "hypothesis"]
    assert run.testpaths(str(tmp_path)) == ["checks"]
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "test").mkdir()
    assert run.testpaths(str(tmp_path)) == ["test"]


def test_wheels_install_like_pip_and_give_their_requirements(tmp_path):
    import zipfile
    wheel = tmp_path / "pkg-1.0-cp311-cp311-linux_x86_64.whl"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("pkg/__init__.py", "")
        z.writestr("pkg-1.0.data/platlib/pkg/_ext.so", "binary")
        z.writestr("pkg-1.0.data/purelib/top.py", "")
        z.writestr("pkg-1.0.data/scripts/tool", "#!/bin/sh\n")
        z.writestr("pkg-1.0.dist-info/METADATA",
                   "Name: pkg\nVersion: 1.0\nRequires-Dist: six>=1\nRequires-Dist: tomli; python_version < '3.11'\n"
                   "Requires-Dist: pytest; extra == 'test'\n")
    sys.path.insert(0, COMPAT)
    import build_ext
    target = tmp_path / "site"
    build_ext.install(str(wheel), str(target))
    installed = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert installed == ["pkg-1.0.dist-info/METADATA", "pkg/__init__.py", "pkg/_ext.so", "top.py"]
    assert runner().runtime_requirements(str(wheel)) == ["six>=1", "tomli; python_version < '3.11'"]
