"""The C reproductions in repro/ (no server needed): each prints the same
under cpyext as under CPython 3.11. They guard the fixes for FINDINGS.md."""
import os
import shutil
import subprocess

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_reproductions_behave_as_on_cpython():
    run = subprocess.run(["bash", os.path.join(HERE, "repro", "run.sh")], capture_output=True, text=True, timeout=900)
    out = run.stdout + run.stderr
    sections = out.split("=== ")
    by_name = {s.split("\n", 1)[0]: s.split("\n", 1)[1] if "\n" in s else "" for s in sections if s.strip()}
    assert "cpyext headers: compiles" in out, out
    for name in ("tp_new_dict", "setattr_race"):
        cpython = by_name[f"{name}_run.py under CPython 3.11"]
        ours = by_name[f"{name}_run.py under cpyext"]
        assert "Fatal" not in ours, ours
        assert ours.strip() == cpython.strip(), f"{name}:\nCPython:\n{cpython}\ncpyext:\n{ours}"
