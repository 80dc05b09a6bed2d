"""What include/ declares, the layer implements; and the layer can say what
it implements (`cpyext --cpyext-implemented`)."""
import glob
import os
import re
import subprocess

import harness

DECLARATION = re.compile(r"PyAPI_(FUNC|DATA)\((?:[^()]|\([^()]*\))*\)\s*\(?\s*\**\s*(\w+)")


def declared_names():
    names = {}
    for header in glob.glob(os.path.join(harness.OUR_INCLUDE, "**", "*.h"), recursive=True):
        # Preprocessor lines define the macros themselves; they declare nothing.
        text = "\n".join(l for l in open(header).read().splitlines() if not l.lstrip().startswith("#"))
        for kind, name in DECLARATION.findall(text):
            names[name] = (kind, os.path.basename(header))
    return names


def implemented():
    out = subprocess.run([harness.CPYEXT_BIN, "--cpyext-implemented"], capture_output=True, text=True, check=True)
    return {line.split("\t")[0]: line.split("\t")[1] for line in out.stdout.splitlines()}


def test_declarations_are_found():
    names = declared_names()
    # A sanity floor, so that a broken pattern cannot pass by finding nothing.
    assert len(names) > 250
    for expected in ("PyLong_FromLong", "PyExc_TypeError", "PyTuple_Pack", "_Py_NoneStruct", "PyType_Type"):
        assert expected in names


def test_declared_but_unimplemented_names_are_reported():
    # Declaring a name we do not implement is allowed: an extension that calls
    # it fails at import with an ImportError naming it. The coverage report
    # must list every such name, so the gap is never silent.
    report = open(os.path.join(harness.ROOT, "docs", "coverage.md")).read()
    unimplemented = sorted(n for n, (kind, _) in declared_names().items() if n not in implemented())
    unlisted = [n for n in unimplemented if f"`{n}`" not in report]
    assert not unlisted, "declared, not implemented, and missing from docs/coverage.md " \
        "(run python3 tests/coverage_report.py): " + ", ".join(unlisted)


def test_every_implemented_function_is_declared():
    declared = declared_names()
    undeclared = sorted(name for name, kind in implemented().items() if name not in declared)
    assert not undeclared, "implemented but declared in no header: " + ", ".join(undeclared)


def test_implemented_listing_has_signatures():
    out = subprocess.run([harness.CPYEXT_BIN, "--cpyext-implemented"], capture_output=True, text=True, check=True)
    line = next(l for l in out.stdout.splitlines() if l.startswith("PyLong_AsLong\t"))
    assert line.split("\t")[1] == "function"
    assert "PyLong_AsLong(obj" in line.split("\t")[2]


def test_check_command_names_missing_symbols(tmp_path):
    source = tmp_path / "needs_more.c"
    source.write_text('#include <Python.h>\nextern int PyCpyext_Missing(void);\n'
                      'PyMODINIT_FUNC PyInit_needs_more(void) { PyCpyext_Missing(); return NULL; }\n')
    target = tmp_path / "needs_more.cpyext.so"
    subprocess.run(["cc", "-shared", "-fPIC", "-I", harness.OUR_INCLUDE, str(source), "-o", str(target)], check=True)
    out = subprocess.run([harness.CPYEXT_BIN, "--cpyext-check", str(target)], capture_output=True, text=True)
    assert out.returncode == 1
    assert "cpyext ABI tag present; 1 C-API symbols missing" in out.stdout
    assert "  PyCpyext_Missing" in out.stdout


def test_report_to_a_reader_that_stops_early_is_not_a_crash():
    """`cpyext --cpyext-implemented | head -1`: the report is longer than a
    pipe holds, the reader leaves after one line, and the layer stops
    quietly, as a shell user expects (it used to panic with a backtrace)."""
    proc = subprocess.Popen([harness.CPYEXT_BIN, "--cpyext-implemented"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read()
    assert proc.wait(timeout=60) == 0, stderr
    assert first.startswith(b"Py") and b"\t" in first, first
    assert b"panicked" not in stderr and stderr == b"", stderr
