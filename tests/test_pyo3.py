"""Rust extensions made with PyO3 (tests/pyo3): built once with cargo as
PyO3 builds for CPython 3.11, with cpyext's ABI tag linked in (as the
package build driver does, tests/compat/build_ext.py), then run under
CPython 3.11 and cpyext; the output must be the same. PyO3 includes no C
header, so one build serves both: what is compared is the layer under the
same machine code. Skipped when cargo or crates.io cannot be had."""
import importlib.util
import os
import shutil
import subprocess

import pytest

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.join(HERE, "pyo3")
BUILD = os.path.join(harness.BUILD, "pyo3")
_spec = importlib.util.spec_from_file_location("build_ext_for_pyo3", os.path.join(HERE, "compat", "build_ext.py"))
build_ext = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_ext)

NETWORK_TROUBLE = ("failed to get", "Unable to update registry", "failed to download", "Could not resolve host",
                   "spurious network error")


@pytest.fixture(scope="module")
def module_dirs():
    if shutil.which("cargo") is None:
        pytest.skip("no cargo on PATH")
    tag = build_ext.abi_tag_object(harness.OUR_INCLUDE, os.path.join(BUILD, "tag"))
    env = dict(os.environ, PYO3_PYTHON=harness.CPYTHON, CARGO_TARGET_DIR=os.path.join(BUILD, "target"),
               RUSTFLAGS=f"-C link-arg={tag}")
    env.pop("PYO3_CONFIG_FILE", None)
    proc = subprocess.run(["cargo", "build", "--release", "--locked", "--manifest-path", os.path.join(CRATE, "Cargo.toml")],
                          capture_output=True, text=True, env=env, timeout=1800)
    if proc.returncode != 0:
        if any(s in proc.stderr for s in NETWORK_TROUBLE):
            pytest.skip("crates.io cannot be reached to fetch PyO3:\n" + proc.stderr[-1000:])
        pytest.fail("cargo build failed:\n" + proc.stderr[-3000:])
    built = os.path.join(BUILD, "target", "release", "libpyo3_family.so")
    dirs = {}
    for flavor, suffix in (("cpython", harness.CPYTHON_SUFFIX), ("cpyext", harness.OUR_SUFFIX)):
        dirs[flavor] = os.path.join(BUILD, flavor)
        os.makedirs(dirs[flavor], exist_ok=True)
        shutil.copyfile(built, os.path.join(dirs[flavor], "pyo3_family" + suffix))
    return dirs


def test_pyo3_module_same_as_cpython(module_dirs):
    script = os.path.join(CRATE, "pyo3_test.py")
    theirs = harness.run_script(script, "cpython", module_dirs["cpython"])
    assert theirs.returncode == 0, theirs.stderr
    assert theirs.stdout.rstrip().endswith("DONE"), "the CPython run did not finish"
    ours = harness.run_script(script, "cpyext", module_dirs["cpyext"])
    if ours.stdout != theirs.stdout:
        import difflib
        diff = difflib.unified_diff(theirs.stdout.splitlines(), ours.stdout.splitlines(), "cpython", "cpyext", lineterm="")
        pytest.fail("\n".join(diff) + "\n" + ours.stderr[-3000:])
    assert ours.returncode == 0, ours.stderr[-3000:]


def test_pyo3_config_file_builds_the_crate_for_cpyext(module_dirs):
    # What pip on cpyext's Rust builds need (maturin refuses the interpreter
    # when asked, PyO3 would take the host's 3.14): `cpyext -m
    # cpyext.pyo3config` writes a PYO3_CONFIG_FILE, whose build script lines
    # link our ABI tag in, with no RUSTFLAGS and no CPython.
    out = os.path.join(BUILD, "config")
    proc = subprocess.run([harness.CPYEXT_BIN, "-m", "cpyext.pyo3config", out], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    config = proc.stdout.strip()
    with open(config, encoding="utf-8") as f:
        text = f.read()
    assert "version=3.11\n" in text and "ext_suffix=.cpyext-311-" in text, text
    env = {k: v for k, v in os.environ.items() if k not in ("PYO3_PYTHON", "RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS")}
    env.update(PYO3_CONFIG_FILE=config, CARGO_TARGET_DIR=os.path.join(BUILD, "target-config"))
    proc = subprocess.run(["cargo", "build", "--release", "--locked", "--manifest-path", os.path.join(CRATE, "Cargo.toml")],
                          capture_output=True, text=True, env=env, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    built = os.path.join(BUILD, "target-config", "release", "libpyo3_family.so")
    with open(built, "rb") as f:
        assert b".cpyext_abi" in f.read(), "the tag library was not linked in"
    where = os.path.join(BUILD, "cpyext-config")
    os.makedirs(where, exist_ok=True)
    shutil.copyfile(built, os.path.join(where, "pyo3_family" + harness.OUR_SUFFIX))
    script = os.path.join(CRATE, "pyo3_test.py")
    theirs = harness.run_script(script, "cpython", module_dirs["cpython"])
    ours = harness.run_script(script, "cpyext", where)
    assert ours.returncode == 0, ours.stderr[-3000:]
    assert ours.stdout == theirs.stdout


def test_importing_a_rust_build_tool_sets_pyo3_config_file(tmp_path):
    # pip on cpyext imports maturin (the PEP 517 backend) or setuptools_rust
    # (from setup.py) before they start cargo: that import writes the
    # configuration and sets PYO3_CONFIG_FILE, which cargo inherits. Fake
    # tools stand in for the real ones: only their import matters.
    tools = tmp_path / "tools"
    (tools / "setuptools_rust").mkdir(parents=True)
    report = "import os, subprocess; subprocess.run(['sh', '-c', 'echo child: $PYO3_CONFIG_FILE'])\n"
    (tools / "maturin.py").write_text(report)
    (tools / "setuptools_rust" / "__init__.py").write_text(report)
    env = {k: v for k, v in os.environ.items() if k not in ("PYO3_CONFIG_FILE", "PYTHONPATH")}
    env.update(XDG_CACHE_HOME=str(tmp_path / "cache"), PYTHONPATH=str(tools))

    def run(code, **extra):
        proc = subprocess.run([harness.CPYEXT_BIN, "-c", code], capture_output=True, text=True, env=dict(env, **extra))
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert run("import os, json; print(os.environ.get('PYO3_CONFIG_FILE'))") == "None\n"
    for tool in ("maturin", "setuptools_rust"):
        out = run(f"import {tool}")
        config = out.removeprefix("child: ").strip()
        assert out.startswith("child: ") and config.startswith(str(tmp_path / "cache")), out
        with open(config, encoding="utf-8") as f:
            assert "version=3.11\n" in f.read()
    # A configuration the user chose is left alone.
    assert run("import maturin", PYO3_CONFIG_FILE="/their/config.txt") == "child: /their/config.txt\n"
