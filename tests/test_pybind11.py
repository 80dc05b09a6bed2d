"""pybind11 modules (tests/pybind11/samples) built for CPython 3.11 and for
cpyext must print the same. Skips without pybind11's headers (tests/setup.sh
downloads its wheel)."""
import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("pybind11_samples", os.path.join(HERE, "pybind11", "run.py"))
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)


@pytest.fixture(scope="module")
def include():
    found = samples.pybind11_include()
    if found is None:
        pytest.skip("no pybind11 wheel in the cache (tests/setup.sh downloads it)")
    return found


@pytest.mark.parametrize("name", samples.names())
def test_same_as_cpython(name, include):
    theirs, ours, diff = samples.compare(name, include)
    assert theirs.returncode == 0, theirs.stderr
    assert theirs.stdout.rstrip().endswith("DONE"), "the CPython run did not finish"
    assert not diff, "\n".join(diff) + "\n" + ours.stderr[-3000:]
    assert ours.returncode == 0, ours.stderr[-3000:]
