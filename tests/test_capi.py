"""Every tests/capi/NAME_ext.c + NAME_test.py pair must print the same under
CPython 3.11 (built with CPython's headers) and under cpyext (built with ours)."""
import difflib

import pytest

import harness


@pytest.mark.parametrize("name", harness.names())
def test_same_as_cpython(name):
    reference = harness.run_pair(name, "cpython")
    assert reference.returncode == 0, reference.stderr
    assert reference.stdout.rstrip().endswith("DONE"), "the script must end by printing DONE"
    ours = harness.run_pair(name, "cpyext")
    diff = "\n".join(difflib.unified_diff(reference.stdout.splitlines(), ours.stdout.splitlines(),
                                          "cpython", "cpyext", lineterm=""))
    assert not diff, diff + "\n--- cpyext stderr:\n" + ours.stderr
    assert ours.returncode == 0, ours.stderr
