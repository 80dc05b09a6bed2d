"""Cython's own tests/run/*.pyx under both interpreters: a first census.

    python3 tests/cython/cython_suite.py [CYTHON_SRC] [-n N] [--start K] [-k SUBSTR]
                                         [--include DIR] [--cpyext BIN] [--errors]
                                         [--cpp | --as-cpp] [--cpython-only]
                                         [--dir run|memoryview|buffers]
                                         [--numpy-cpyext DIR --numpy-cpython DIR]

CYTHON_SRC is an unpacked Cython sdist (default: fetched with pip, the
version CPython 3.11 has installed). Each selected test is translated once
with that Cython, built with the README recipe against CPython's headers and
against ours, and its doctests run with `doctest.testmod` under each
interpreter. A test counts for cpyext only if it passes under CPython.
Outcomes: pass (same doctest result), build (our headers fail to compile
it), import (the module does not import), crash (the interpreter died),
doctest (some doctests fail), timeout. --errors prints the compile errors
and missing symbols most often met, which name what the headers lack.
--include/--cpyext point at another include tree and binary (a merge of
branches, say). --cpp runs the C++-only tests (tag `cpp`) instead, and
--as-cpp builds the selected C tests as C++, as Cython's own runner does for
each test: packages that set `language = c++` meet our headers through a
C++ compiler. --cpython-only runs the CPython half alone (`CPython pass`,
`CPython pass at level 2` for a test whose level-3 translation fails
under CPython, or the skip), to find which tests count cheaply.
--dir takes the tests from another directory of Cython's suite
(`memoryview`, `buffers`: typed memoryviews and the buffer protocol).
Tests tagged `numpy` run when --numpy-cpyext and --numpy-cpython name the
directories holding numpy built for each interpreter (put on PYTHONPATH,
its headers and npymath used for the build, as Cython's runner does);
without them they are listed as skipped. Tests tagged `openmp` are built
with `-fopenmp` when the C compiler takes it.
"""
import collections
import glob
import os
import re
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import run  # noqa: E402

harness = run.harness
BUILD = os.path.join(run.BUILD, "suite")

# Tests needing what a plain C build cannot give: C++, other compile
# modes, or several modules; and CPython's own `test.support`, which
# Cython's runtests.py also skips without (the host has no `test` package).
# `numpy` and `openmp` tests get their extra flags (numpy_flags, openmp_flags).
SKIP_TAGS = {"cpp", "pstats", "trace", "pure3.0", "tracing", "profile", "gdb", "test.support"}
DRIVER = ("import doctest, importlib\n"
          "m = importlib.import_module({name!r})\n"
          "r = doctest.testmod(m)\n"
          "print('DOCTEST', r.failed, r.attempted)\n")


def fetch_cython_source():
    version = run.cython_version()
    os.makedirs(BUILD, exist_ok=True)
    found = glob.glob(os.path.join(BUILD, f"[Cc]ython-{version}.tar.gz"))
    if not found:
        subprocess.run([harness.CPYTHON, "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
                        "--no-build-isolation", f"cython=={version}", "-d", BUILD], check=True)
        found = glob.glob(os.path.join(BUILD, f"[Cc]ython-{version}.tar.gz"))
    with tarfile.open(found[0]) as tar:
        top = tar.getnames()[0].split("/")[0]
        if not os.path.isdir(os.path.join(BUILD, top)):
            tar.extractall(BUILD)
    return os.path.join(BUILD, top)


def header(pyx):
    """The leading comment block's `mode` and `tag` values, read as Cython's
    runtests.py does: blank lines and plain comments before the first
    directive are passed over (test_exceptions has its tags after a blank
    line), and the mode is the first of a list (`run, no-cpp-locals`)."""
    mode, tags, seen = "run", set(), False
    with open(pyx, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.lstrip("\ufeff").strip()
            if not line.startswith("#"):
                if line or seen:
                    break
                continue
            m = re.match(r"#\s*(\w+)\s*:(.*)$", line)
            if not m:
                if seen:
                    break
                continue
            seen = True
            if m.group(1) == "mode":
                mode = m.group(2).split(",")[0].strip() or mode
            elif m.group(1) == "tag":
                tags |= {t.strip() for t in m.group(2).split(",") if t.strip()}
    return mode, tags


def openmp_flags(compiler):
    """`-fopenmp` when the compiler builds and links with it, else None (the
    test is skipped, as Cython's runner excludes it)."""
    proc = subprocess.run([*compiler, "-fopenmp", "-x", "c++" if compiler[0] == "c++" else "c", "-shared",
                           "-fPIC", "-", "-o", os.devnull], input="int f(void) { return 0; }\n",
                          capture_output=True, text=True)
    return ["-fopenmp"] if proc.returncode == 0 else None


def numpy_flags(numpy_dir):
    """Compile and link flags for a test that cimports numpy, from the numpy
    in `numpy_dir` (built for the interpreter the test is built for)."""
    core = os.path.join(numpy_dir, "numpy", "_core")
    return ["-I", os.path.join(core, "include"), "-DNPY_NO_DEPRECATED_API=NPY_1_7_API_VERSION",
            "-L", os.path.join(core, "lib"), "-lnpymath"]


def selected_tests(src, args):
    """The selected tests as (pyx, reason): reason says why a test that is
    listed is not run (numpy or OpenMP missing), else it is None."""
    tests = []
    skip = SKIP_TAGS - {"cpp"} if args.cpp else SKIP_TAGS
    for pyx in sorted(glob.glob(os.path.join(src, "tests", args.dir, "*.pyx"))):
        name = os.path.basename(pyx)[:-4]
        mode, tags = header(pyx)
        if mode != "run" or tags & skip or "." in name or (args.cpp and "cpp" not in tags):
            continue
        if args.k and not any(k in name for k in args.k):
            continue
        reason = None
        if "numpy" in tags and not (args.numpy_cpyext and args.numpy_cpython):
            reason = "skip (numpy: no --numpy-cpyext/--numpy-cpython given)"
        elif "openmp" in tags and openmp_flags(compiler_for(pyx, args.cpp or args.as_cpp)) is None:
            reason = "skip (openmp: the compiler does not take -fopenmp)"
        tests.append((pyx, reason))
    return tests[args.start:args.start + args.n] if args.n else tests[args.start:]


def translate(pyx, outdir, cplus=False, levels=("-3", "-2"), numpy_dir=None):
    """The C file of `pyx` or None; `numpy_dir` holds the numpy whose
    `__init__.pxd` a `cimport numpy` finds (Cython looks on sys.path)."""
    os.makedirs(outdir, exist_ok=True)
    c_file = os.path.join(outdir, os.path.basename(pyx)[:-4] + (".cpp" if cplus else ".c"))
    # A C file older than this driver may have been translated with other options.
    if os.path.exists(c_file) and os.path.getmtime(c_file) >= max(os.path.getmtime(pyx), os.path.getmtime(__file__)):
        return c_file
    # Much of the suite is still written for language level 2 (the default
    # of Cython's own runner, which a `# cython: language_level` line in
    # the test overrides); level 3 is tried first, then 2. Without
    # `autotestdict`, as Cython's runner translates: with it, doctest finds a
    # decorated function's docstring twice (memslice's tests then run twice,
    # and the second run sees the state the first left).
    for level in levels:
        proc = subprocess.run([harness.CPYTHON, "-m", "cython", level, *(["--cplus"] if cplus else []),
                               "-X", "autotestdict=False", "-I", os.path.dirname(pyx), pyx, "-o", c_file],
                              capture_output=True, text=True, timeout=300,
                              env=dict(os.environ, PYTHONPATH=numpy_dir) if numpy_dir else None)
        if proc.returncode == 0:
            return c_file
    return None


def compiler_for(pyx, cplus):
    """`cc`, or `c++` with the newest C++ standard the test's tags ask for
    (Cython tags cpp11, cpp17, cpp20)."""
    if not cplus:
        return ["cc"]
    tags = header(pyx)[1]
    return ["c++", next((f"-std=c++{v}" for v in ("20", "17", "11") if f"cpp{v}" in tags), "-std=c++17")]


def build(c_file, include, suffix, outdir, module, pyx, compiler, extra=()):
    """The README recipe, with the test's own directory searched for the
    headers its `cdef extern from` blocks name, and `extra` flags (numpy's,
    OpenMP's)."""
    os.makedirs(outdir, exist_ok=True)
    target = os.path.join(outdir, module + suffix)
    cmd = [*compiler, "-shared", "-fPIC", "-I", include, "-I", os.path.dirname(pyx), c_file,
           "-o", target, *extra, "-lm"]
    # A census builds each test twice per interpreter at most; a module
    # built by the same command from a C file and headers older than it is
    # reused (the note beside it names the command).
    note = target + ".cmd"
    if os.path.exists(note) and os.path.exists(target):
        with open(note) as f:
            same = f.read() == "\0".join(cmd)
        if same and os.path.getmtime(target) >= max(os.path.getmtime(c_file), newest_header(include)):
            return True, ""
    if os.path.exists(note):
        os.remove(note)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if proc.returncode == 0:
        with open(note, "w") as f:
            f.write("\0".join(cmd))
    return proc.returncode == 0, proc.stderr


_header_times = {}


def newest_header(include):
    """The newest modification time of a header under `include`."""
    if include not in _header_times:
        _header_times[include] = max((os.path.getmtime(os.path.join(d, f))
                                      for d, _, files in os.walk(include) for f in files), default=0)
    return _header_times[include]


def cython_shadow_dir():
    """A directory holding only the `cython` module and `Cython` package of
    CPython's Cython (tests `import cython` for its pure-Python shadow), for
    the cpyext run, which does not see CPython's site-packages."""
    shadow = os.path.join(BUILD, "shadow")
    if not os.path.isdir(shadow):
        proc = subprocess.run([harness.CPYTHON, "-c", "import Cython, os; print(os.path.dirname(os.path.dirname(Cython.__file__)))"],
                              capture_output=True, text=True)
        site = proc.stdout.strip()
        os.makedirs(shadow, exist_ok=True)
        for name in ("cython.py", "Cython"):
            if site and os.path.exists(os.path.join(site, name)):
                os.symlink(os.path.join(site, name), os.path.join(shadow, name))
    return shadow


def doctest_run(binary, module, path, timeout=60, extra_path=None):
    search = path if binary == harness.CPYTHON else path + os.pathsep + cython_shadow_dir()
    if extra_path:
        search += os.pathsep + extra_path
    env = dict(os.environ, PYTHONPATH=search, PYTHONHASHSEED="0")
    env.pop("PYTHONHOME", None)
    try:
        proc = subprocess.run([binary, "-c", DRIVER.format(name=module)], capture_output=True, text=True,
                              env=env, timeout=timeout, cwd=path)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    m = re.search(r"^DOCTEST (\d+) (\d+)$", proc.stdout, re.M)
    if m:
        return ("pass" if m.group(1) == "0" else "doctest"), proc.stdout + proc.stderr
    if proc.returncode < 0 or proc.returncode in (134, 139):
        return "crash", proc.stderr
    return "import", proc.stderr


def main(argv):
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("src", nargs="?")
    p.add_argument("-n", type=int, default=0)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("-k", action="append", help="run the tests whose name contains this (repeatable)")
    p.add_argument("--include", default=harness.OUR_INCLUDE)
    p.add_argument("--cpyext", default=harness.CPYEXT_BIN)
    p.add_argument("--errors", action="store_true")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--cpp", action="store_true", help="the C++-only tests (tag cpp)")
    mode.add_argument("--as-cpp", action="store_true", help="build the selected C tests as C++")
    p.add_argument("--cpython-only", action="store_true",
                   help="only the CPython half: which tests count, and which only at language level 2")
    p.add_argument("--dir", default="run", help="the directory of Cython's tests/ to run (run, memoryview, buffers)")
    p.add_argument("--numpy-cpyext", help="a directory holding numpy built for cpyext")
    p.add_argument("--numpy-cpython", help="a directory holding numpy built for CPython 3.11")
    args = p.parse_args(argv)
    args.cpyext = os.path.abspath(args.cpyext)  # the tests run in their build directory
    if run.cython_version() is None:
        print("Cython is not installed for CPython 3.11")
        return 2
    src = args.src or fetch_cython_source()
    counts = collections.Counter()
    compile_errors, missing = collections.Counter(), collections.Counter()
    # Another directory's tests build apart: names repeat across directories.
    base = BUILD if args.dir == "run" else os.path.join(BUILD, args.dir)
    ref_dir, our_dir = os.path.join(base, "cpython"), os.path.join(base, "cpyext")
    for pyx, reason in selected_tests(src, args):
        module = os.path.basename(pyx)[:-4]
        if reason:
            counts[reason] += 1
            print(f"{module}: {reason}", flush=True)
            continue
        cplus = args.cpp or args.as_cpp
        compiler = compiler_for(pyx, cplus)
        tags = header(pyx)[1]
        omp = openmp_flags(compiler) if "openmp" in tags else []
        ref_extra, our_extra = list(omp), list(omp)
        ref_path = our_path = None
        if "numpy" in tags:
            ref_extra += numpy_flags(args.numpy_cpython)
            our_extra += numpy_flags(args.numpy_cpyext)
            ref_path, our_path = args.numpy_cpython, args.numpy_cpyext
        c_file = translate(pyx, os.path.join(base, "cpp" if cplus else "c"), cplus, numpy_dir=ref_path)
        if c_file is None:
            outcome = "skip (Cython rejects it)"
        else:
            ok, _ = build(c_file, harness.cpython_include(), harness.CPYTHON_SUFFIX, ref_dir, module, pyx, compiler,
                          ref_extra)
            ref = doctest_run(harness.CPYTHON, module, ref_dir, extra_path=ref_path)[0] if ok else "build"
            if ref == "doctest":
                # Translated at level 3, a level-2 test can run and fail
                # (`except ... as` deletes the name, `/` is true division).
                c2 = translate(pyx, os.path.join(base, "cpp2" if cplus else "c2"), cplus, levels=("-2",),
                               numpy_dir=ref_path)
                ok = c2 is not None and build(c2, harness.cpython_include(), harness.CPYTHON_SUFFIX,
                                              ref_dir, module, pyx, compiler, ref_extra)[0]
                if ok and doctest_run(harness.CPYTHON, module, ref_dir, extra_path=ref_path)[0] == "pass":
                    c_file, ref = c2, "pass"
                    if args.cpython_only:
                        ref = "pass at level 2"
            if ref != "pass" and not ref.startswith("pass at"):
                outcome = f"skip (CPython: {ref})"
            elif args.cpython_only:
                outcome = f"CPython {ref}"
            else:
                ok, errors = build(c_file, args.include, harness.OUR_SUFFIX, our_dir, module, pyx, compiler, our_extra)
                if not ok:
                    outcome = "build"
                    compile_errors.update({re.sub(r"^.*?error: ", "", l) for l in errors.splitlines() if "error: " in l})
                else:
                    outcome, out = doctest_run(args.cpyext, module, our_dir, extra_path=our_path)
                    if outcome == "import":
                        missing.update(re.findall(r"^\s+(\w+)$", out, re.M))
        counts[outcome] += 1
        print(f"{module}: {outcome}", flush=True)
    print("\n" + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    if args.errors:
        print("\nMost frequent compile errors:")
        for e, n in compile_errors.most_common(40):
            print(f"  {n:4d}  {e}")
        print("\nMost frequent missing symbols at import:")
        for e, n in missing.most_common(40):
            print(f"  {n:4d}  {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
