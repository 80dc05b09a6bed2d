"""SIP (PyQt's binding generator): a sip 6 module gives the same results
under cpyext as under CPython 3.11. tests/sip/shapes is a small C++ library
with its .sip files (a class with virtuals that Python overrides and C++
calls back, overloads, C++ exceptions mapped to Python ones, enums, mapped
types for std::string and std::vector, operators); sip-build generates the
code once, which is compiled against each interpreter's headers, and
run_shapes.py runs under both.

SIP's types are made by calling its metatype, whose tp_alloc links each
class to SIP's description of the C++ class (the pair metaalloc).

Skipped when sip cannot be installed from PyPI into a venv of CPython 3.11.
"""
import glob
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SAMPLE = os.path.join(harness.TESTS, "sip", "shapes")
WORK = os.path.join(harness.BUILD, "sip")
VENV = os.path.join(WORK, "venv")


def sip_build_tool():
    """sip-build from a venv of CPython 3.11 (made once), or None."""
    tool = os.path.join(VENV, "bin", "sip-build")
    if os.path.exists(tool):
        return tool
    os.makedirs(WORK, exist_ok=True)
    try:
        subprocess.run([harness.CPYTHON, "-m", "venv", VENV], check=True, capture_output=True, timeout=300)
        subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "sip>=6.8,<7"],
                       check=True, capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError):
        shutil.rmtree(VENV, ignore_errors=True)
        return None
    return tool if os.path.exists(tool) else None


def generate(tool):
    """The C and C++ sources sip-build generates for the sample."""
    src = os.path.join(WORK, "src")
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(SAMPLE, src)
    proc = subprocess.run([tool, "--no-compile", "--build-dir", "build"], cwd=src,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return src, os.path.join(src, "build", "shapes")


def compile_module(src, generated, flavor):
    """Compiles the generated code and the library against the flavor's
    headers; returns the directory holding the module."""
    include = harness.cpython_include() if flavor == "cpython" else harness.OUR_INCLUDE
    suffix = harness.CPYTHON_SUFFIX if flavor == "cpython" else harness.OUR_SUFFIX
    out = os.path.join(WORK, flavor)
    objects = os.path.join(out, "obj")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(objects)
    sources = sorted(glob.glob(os.path.join(generated, "*.c")) + glob.glob(os.path.join(generated, "*.cpp")))
    sources.append(os.path.join(src, "shapes.cpp"))
    built = []
    for source in sources:
        compiler = "cc" if source.endswith(".c") else "c++"
        target = os.path.join(objects, os.path.basename(source) + ".o")
        cmd = [compiler, "-c", "-fPIC", "-O1", "-g", "-I", include, "-I", generated, "-I", src, source, "-o", target]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0, " ".join(cmd) + "\n" + proc.stderr
        built.append(target)
    module = os.path.join(out, "shapes" + suffix)
    proc = subprocess.run(["c++", "-shared", *built, "-o", module], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def sources():
    tool = sip_build_tool()
    if tool is None:
        pytest.skip("sip cannot be installed from PyPI by CPython 3.11")
    return generate(tool)


def test_shapes_same_as_cpython(sources):
    src, generated = sources
    script = os.path.join(SAMPLE, "run_shapes.py")
    results = {}
    for flavor in ("cpython", "cpyext"):
        path = compile_module(src, generated, flavor)
        proc = harness.run_script(script, flavor, path)
        results[flavor] = proc
        assert proc.returncode == 0, f"{flavor}: exit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert results["cpython"].stdout.endswith("DONE\n")
    assert results["cpyext"].stdout == results["cpython"].stdout
