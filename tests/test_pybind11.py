"""C++ modules made with pybind11 and nanobind (tests/pybind11/samples),
built for CPython 3.11 and for cpyext, must print the same. A library whose
wheel is not in the cache (tests/setup.sh downloads them) is skipped."""
import importlib.util
import os

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("cxx_binding_samples", os.path.join(HERE, "pybind11", "run.py"))
samples = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(samples)


@pytest.mark.parametrize("name", samples.names())
def test_same_as_cpython(name):
    library = samples.library_of(name)
    flags = samples.build_flags(library)
    if flags is None:
        pytest.skip(f"no {library} wheel in the cache (tests/setup.sh downloads it)")
    theirs, ours, diff = samples.compare(name, flags)
    assert theirs.returncode == 0, theirs.stderr
    assert theirs.stdout.rstrip().endswith("DONE"), "the CPython run did not finish"
    assert not diff, "\n".join(diff) + "\n" + ours.stderr[-3000:]
    assert ours.returncode == 0, ours.stderr[-3000:]
