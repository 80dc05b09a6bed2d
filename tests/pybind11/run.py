"""pybind11 modules built twice (CPython 3.11's headers, ours) and run under
both interpreters, with the same output required:

    python3 tests/pybind11/run.py [NAME ...]

A sample is tests/pybind11/samples/NAME.cpp (module NAME) plus NAME_test.py.
pybind11's headers come from its wheel, in the cache `tests/setup.sh` fills
(~/.cache/cpyext-compat/wheels, or $CPYEXT_COMPAT_CACHE/wheels).
"""
import difflib
import glob
import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402

SAMPLES = os.path.join(HERE, "samples")
BUILD = os.path.join(harness.BUILD, "pybind11")
CACHE = os.environ.get("CPYEXT_COMPAT_CACHE", os.path.expanduser("~/.cache/cpyext-compat"))
CXXFLAGS = ["-std=c++17", "-fvisibility=hidden"]


def pybind11_include():
    """The directory holding pybind11/pybind11.h, or None."""
    wheels = sorted(glob.glob(os.path.join(CACHE, "wheels", "pybind11-*-py3-none-any.whl")))
    if not wheels:
        return None
    wheel = wheels[-1]
    dest = os.path.join(BUILD, "headers", os.path.basename(wheel)[:-len(".whl")])
    include = os.path.join(dest, "pybind11", "include")
    if not os.path.exists(os.path.join(include, "pybind11", "pybind11.h")):
        with zipfile.ZipFile(wheel) as z:
            z.extractall(dest, [n for n in z.namelist() if n.startswith("pybind11/include/")])
    return include


def names():
    return sorted(f[:-len(".cpp")] for f in os.listdir(SAMPLES) if f.endswith(".cpp"))


def run_sample(name, flavor, include):
    source = os.path.join(SAMPLES, name + ".cpp")
    path = harness.build(source, flavor, extra=["-I", include, *CXXFLAGS], compiler="g++", build_dir=BUILD)
    return harness.run_script(os.path.join(SAMPLES, name + "_test.py"), flavor, path)


def compare(name, include):
    """(CPython's run, ours, unified diff of their outputs)."""
    theirs = run_sample(name, "cpython", include)
    ours = run_sample(name, "cpyext", include)
    diff = list(difflib.unified_diff(theirs.stdout.splitlines(), ours.stdout.splitlines(),
                                     "cpython", "cpyext", lineterm=""))
    return theirs, ours, diff


def main(argv):
    include = pybind11_include()
    if include is None:
        print("no pybind11 headers: run tests/setup.sh (it downloads the pybind11 wheel)")
        return 2
    failed = 0
    for name in argv or names():
        theirs, ours, diff = compare(name, include)
        same = not diff and theirs.returncode == ours.returncode == 0
        print(f"{name}: {'SAME OUTPUT' if same else 'DIFFERENT'}")
        if not same:
            failed += 1
            print("\n".join(diff))
            print(ours.stderr[-3000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
