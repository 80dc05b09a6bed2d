"""C++ modules made with pybind11 or nanobind, built twice (CPython 3.11's
headers, ours) and run under both interpreters, with the same output
required:

    python3 tests/pybind11/run.py [NAME ...]

A sample is tests/pybind11/samples/NAME.cpp (module NAME) plus NAME_test.py;
NAME starts with the library it binds with (`pybind11_`, `nanobind_`). Each
library comes from its wheel, in the cache `tests/setup.sh` fills
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

# What each library needs from its unpacked wheel: include directories, and
# sources compiled into every module (nanobind's runtime library).
LIBRARIES = {
    "pybind11": {"includes": ["pybind11/include"], "sources": []},
    "nanobind": {"includes": ["nanobind/include", "nanobind/ext/robin_map/include"],
                 "sources": ["nanobind/src/nb_combined.cpp"]},
}


def library_of(name):
    return name.split("_", 1)[0]


def unpacked(library):
    """The directory the library's wheel is unpacked in, or None."""
    wheels = sorted(glob.glob(os.path.join(CACHE, "wheels", f"{library}-*-py3-none-any.whl")))
    if not wheels:
        return None
    dest = os.path.join(BUILD, "headers", os.path.basename(wheels[-1])[:-len(".whl")])
    marker = os.path.join(dest, ".unpacked")
    if not os.path.exists(marker):
        with zipfile.ZipFile(wheels[-1]) as z:
            z.extractall(dest)
        open(marker, "w").close()
    return dest


def build_flags(library):
    """The compiler arguments a sample of `library` needs, or None without its wheel."""
    root = unpacked(library)
    if root is None:
        return None
    spec = LIBRARIES[library]
    flags = [a for inc in spec["includes"] for a in ("-I", os.path.join(root, inc))]
    return flags + [os.path.join(root, s) for s in spec["sources"]] + CXXFLAGS


def names():
    return sorted(f[:-len(".cpp")] for f in os.listdir(SAMPLES) if f.endswith(".cpp"))


def run_sample(name, flavor, flags):
    source = os.path.join(SAMPLES, name + ".cpp")
    path = harness.build(source, flavor, extra=flags, compiler="g++", build_dir=BUILD)
    return harness.run_script(os.path.join(SAMPLES, name + "_test.py"), flavor, path)


def compare(name, flags):
    """(CPython's run, ours, unified diff of their outputs)."""
    theirs = run_sample(name, "cpython", flags)
    ours = run_sample(name, "cpyext", flags)
    diff = list(difflib.unified_diff(theirs.stdout.splitlines(), ours.stdout.splitlines(),
                                     "cpython", "cpyext", lineterm=""))
    return theirs, ours, diff


def main(argv):
    failed = 0
    for name in argv or names():
        flags = build_flags(library_of(name))
        if flags is None:
            print(f"{name}: no {library_of(name)} wheel: run tests/setup.sh (it downloads it)")
            failed += 1
            continue
        theirs, ours, diff = compare(name, flags)
        same = not diff and theirs.returncode == ours.returncode == 0
        print(f"{name}: {'SAME OUTPUT' if same else 'DIFFERENT'}")
        if not same:
            failed += 1
            print("\n".join(diff))
            print(ours.stderr[-3000:])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
