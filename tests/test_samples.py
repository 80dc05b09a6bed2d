"""The sample extensions print the same under CPython 3.11 and cpyext."""
import difflib
import glob
import os

import harness

SAMPLES = os.path.join(harness.ROOT, "extension_samples")


def run_demo(flavor):
    path = None
    for source in sorted(glob.glob(os.path.join(SAMPLES, "*.c"))):
        path = harness.build(source, flavor)
    return harness.run_script(os.path.join(SAMPLES, "demo.py"), flavor, path)


def test_demo_same_as_cpython():
    reference = run_demo("cpython")
    assert reference.returncode == 0, reference.stderr
    ours = run_demo("cpyext")
    assert ours.returncode == 0, ours.stderr
    diff = "\n".join(difflib.unified_diff(reference.stdout.splitlines(), ours.stdout.splitlines(),
                                          "cpython", "cpyext", lineterm=""))
    assert not diff, diff
    assert "two 300 ms sleeps overlapped: True" in ours.stdout
