"""Files written by the generators in tools/ match what the generators
write now from CPython 3.11 (each generator's --check)."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATORS = sorted(f for f in os.listdir(os.path.join(ROOT, "tools")) if f.startswith("gen_") and f.endswith(".py"))


def test_there_are_generators():
    assert "gen_builtin_methods.py" in GENERATORS


@pytest.mark.parametrize("generator", GENERATORS)
def test_generated_file_is_current(generator):
    python = "python3.11" if sys.version_info[:2] != (3, 11) else sys.executable
    proc = subprocess.run([python, os.path.join(ROOT, "tools", generator), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
