# A venv's sys._base_executable is a program, the one the venv runs: venv,
# build, virtualenv and tox make a new environment from it when run inside a
# venv. (The venv's python links to the base's program, whose name need not
# be "python".)
import os
import subprocess
import sys
import tempfile
import venv

with tempfile.TemporaryDirectory() as tmp:
    first = os.path.join(tmp, "first")
    venv.EnvBuilder(symlinks=True, with_pip=False).create(first)
    python = os.path.join(first, "bin", "python")
    report = ("import os, sys; b = sys._base_executable; "
              "print(os.path.isfile(b), os.path.realpath(b) == os.path.realpath(sys.argv[1]))")
    print("first:", subprocess.run([python, "-c", report, sys.executable], capture_output=True, text=True).stdout.strip())
    # A venv made from inside the first one runs too.
    second = os.path.join(tmp, "second")
    proc = subprocess.run([python, "-c", f"import venv; venv.EnvBuilder(symlinks=True, with_pip=False).create({second!r})"],
                          capture_output=True, text=True)
    print("second made:", proc.returncode == 0)
    inner = os.path.join(second, "bin", "python")
    proc = subprocess.run([inner, "-c", "import sys; print(sys.prefix)"], capture_output=True, text=True)
    print("second runs:", proc.stdout.strip() == second)
print("DONE")
