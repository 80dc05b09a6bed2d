"""Cython-generated extensions under CPython 3.11 and under cpyext.

    python3 tests/cython/run.py [NAME ...] [--cpython-only] [--keep-going]

Each sample is tests/cython/samples/NAME.pyx plus NAME_test.py. The .pyx is
translated once by Cython running on CPython 3.11; the C file is then built
twice with the README's recipe (`cc -shared -fPIC -I INCLUDE x.c -o ...`, no
other flags), once against CPython's headers and once against ours, and the
test script runs under each interpreter. The outputs must be identical.
"""
import difflib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(HERE)
sys.path.insert(0, TESTS)
import harness  # noqa: E402

SAMPLES = os.path.join(HERE, "samples")
BUILD = os.path.join(TESTS, "_build", "cython")


def cython_version():
    """The Cython version CPython 3.11 has, or None."""
    proc = subprocess.run([harness.CPYTHON, "-c", "import Cython; print(Cython.__version__)"],
                          capture_output=True, text=True)
    return proc.stdout.strip() if proc.returncode == 0 else None


def names():
    return sorted(f[:-4] for f in os.listdir(SAMPLES) if f.endswith(".pyx"))


def cythonize(pyx, outdir):
    """Translate a .pyx to C with CPython 3.11's Cython; return the C file."""
    os.makedirs(outdir, exist_ok=True)
    module = os.path.splitext(os.path.basename(pyx))[0]
    c_file = os.path.join(outdir, module + ".c")
    # Translate once per change of the .pyx (both builds share the C file).
    if os.path.exists(c_file) and os.path.getmtime(c_file) >= os.path.getmtime(pyx):
        return c_file
    proc = subprocess.run([harness.CPYTHON, "-m", "cython", "-3", "--fast-fail", pyx, "-o", c_file],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"cython failed on {pyx}:\n{proc.stdout}{proc.stderr}")
    return c_file


def compile_c(c_file, flavor, outdir, module=None, extra=(), libs=()):
    """Build with the README recipe; return (ok, compiler output)."""
    module = module or os.path.splitext(os.path.basename(c_file))[0]
    os.makedirs(outdir, exist_ok=True)
    if flavor == "cpython":
        include, suffix = harness.cpython_include(), harness.CPYTHON_SUFFIX
    else:
        include, suffix = harness.OUR_INCLUDE, harness.OUR_SUFFIX
    target = os.path.join(outdir, module + suffix)
    cmd = ["cc", "-shared", "-fPIC", "-I", include, *extra, c_file, "-o", target, *libs]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return proc.returncode == 0, proc.stderr


def run_sample(name, flavor):
    """(ok, output): the build error, or the test script's output and stderr."""
    c_file = cythonize(os.path.join(SAMPLES, name + ".pyx"), os.path.join(BUILD, "c"))
    outdir = os.path.join(BUILD, flavor)
    ok, errors = compile_c(c_file, flavor, outdir)
    if not ok:
        return False, f"BUILD FAILED\n{errors}"
    proc = harness.run_script(os.path.join(SAMPLES, name + "_test.py"), flavor, outdir, timeout=120)
    return proc.returncode == 0, proc.stdout + (f"----- stderr (exit {proc.returncode})\n{proc.stderr}"
                                                 if proc.returncode else "")


def compare(name, show=True):
    """True when the sample's output is the same under both interpreters."""
    ok_ref, ref = run_sample(name, "cpython")
    if not ok_ref:
        raise RuntimeError(f"{name} fails under CPython:\n{ref}")
    ok, ours = run_sample(name, "cpyext")
    diff = list(difflib.unified_diff(ref.splitlines(), ours.splitlines(), "cpython", "cpyext", lineterm=""))
    if show:
        print(f"===== {name}: " + ("SAME OUTPUT" if not diff else "DIFFERENT"))
        if diff:
            print("\n".join(diff[:200]))
    return not diff


def main(argv):
    selected = [a for a in argv if not a.startswith("--")] or names()
    if cython_version() is None:
        print("Cython is not installed for CPython 3.11 (python3.11 -m pip install cython)")
        return 2
    if "--cpython-only" in argv:
        for name in selected:
            ok, out = run_sample(name, "cpython")
            print(f"===== {name}: {'ok' if ok else 'FAILED'}\n{out}")
        return 0
    same = [name for name in selected if compare(name)]
    print(f"{len(same)}/{len(selected)} samples give the same output")
    return 0 if len(same) == len(selected) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
