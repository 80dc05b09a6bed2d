#!/usr/bin/env python3
"""Boost.Python's own test suite under cpyext and under CPython 3.11.

    python3 tests/boostpy/suite.py [--source DIR] [-k NAME,NAME ...] [--cpyext BIN]
                                   [--only cpython|cpyext] [--build-only] [--no-build]
                                   [--timeout SECONDS] [--jobs N] [--report FILE]

Needs Boost's headers (`apt-get install -y libboost-dev`, headers only; Debian's
prebuilt libboost-python is not used). Without --source, the boostorg/python
tag matching /usr/include/boost/version.hpp (Debian 12: `apt-get install -y libboost1.81-dev` -> boost-1.81.0; the default
libboost-dev is 1.74, whose Boost.Python still assigns to Py_TYPE()/Py_SIZE() and
does not compile against 3.11 headers) is
extracted from the git mirror (/work/.mirror/boostorg+python/repo) into
tests/_build/boostpy/src, and its include/ goes before /usr/include.

The library (src/*.cpp, src/object/*.cpp, src/converter/*.cpp; numpy left
out) is compiled twice with `nice g++ -std=c++14 -fPIC -O1 -g0
-DBOOST_PYTHON_SOURCE` into a shared libboost_python.so: against CPython 3.11's
headers (tests/_build/boostpy/cpython) and against include/
(tests/_build/boostpy/cpyext). Then each extension module of the tests listed
in test/Jamfile (bpl-test entries; embedding, compile-only and Windows-only
tests are left out) is built against the same headers and linked with that
library (rpath). Objects are rebuilt only when their .cpp is newer. Compiler
errors are kept in FLAVOR/logs/NAME.log; the first ones are in the report.

Each test script (test/X.py; most are doctests, a few unittest) runs as
`INTERPRETER X.py -v` with PYTHONPATH=FLAVOR/mods:test under `python3.11` (or
$CPYTHON_BIN) and under target/release/cpyext (or --cpyext / $CPYEXT_BIN).
A test passes when the exit status is 0; doctest/unittest counts are read from
the verbose output. Results: tests/_build/boostpy/results/FLAVOR/NAME.out,
a summary in tests/_build/boostpy/report.md (or --report), and on stdout each
test that passes on CPython but not on cpyext with its first failing example.
"""
import argparse
import concurrent.futures
import glob
import io
import os
import re
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("BOOSTPY_BUILD", os.path.join(ROOT, "tests", "_build", "boostpy"))
MIRROR = "/work/.mirror/boostorg+python/repo"
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
CPYTHON = os.environ.get("CPYTHON_BIN", "python3.11")
CPYEXT_INCLUDE = os.environ.get("CPYEXT_INCLUDE", os.path.join(ROOT, "include"))
CXX = ["nice", "-n", "10", "g++", "-std=c++14", "-fPIC", "-O1", "-g0", "-pthread"]

# test name -> (script, {module: [sources]}); from test/Jamfile (bpl-test rules).
# A bare name N means script N.py and module N_ext built from N.cpp.
PLAIN = """injected properties return_arg staticmethod boost_shared_ptr shared_ptr
enable_shared_from_this andreas_beyer wrapper_held_type polymorphism polymorphism2
auto_ptr aligned_class minimal args raw_ctor exception_translator const_argument test_pointer_adoption
operators operators_wrapper callbacks defaults object class list long dict tuple str
slice virtual_functions back_reference implicit data_members ben_scott1 bienstman1
bienstman2 bienstman3 multi_arg_constructor stl_iterator extract opaque voidptr pickle1
pickle2 pickle3 pickle4 nested docstring pytype_function vector_indexing_suite
pointer_vector""".split()
TESTS = {n: (n + ".py", {n + "_ext": [n + ".cpp"]}) for n in PLAIN}
TESTS.update({
    "crossmod_exception": ("crossmod_exception.py", {"crossmod_exception_a": ["crossmod_exception_a.cpp"],
                                                     "crossmod_exception_b": ["crossmod_exception_b.cpp"]}),
    # polymorphism2_auto_ptr.py calls unittest.main() from a __main__ that has no tests (0 run);
    # importing polymorphism2 as a module runs its tests on polymorphism2_auto_ptr_ext, as meant.
    "polymorphism2_auto_ptr": ("-m unittest polymorphism2",
                               {"polymorphism2_auto_ptr_ext": ["polymorphism2_auto_ptr.cpp"]}),
    "enum": ("test_enum.py", {"enum_ext": ["enum_ext.cpp"]}),
    "pearu1": ("test_cltree.py", {"cltree": ["cltree.cpp"]}),
    "try": ("newtest.py", {"m1": ["m1.cpp"], "m2": ["m2.cpp"]}),
    "keywords": ("keywords_test.py", {"keywords": ["keywords.cpp"]}),
    "builtin_converters": ("test_builtin_converters.py", {"builtin_converters_ext": ["builtin_converters.cpp"]}),
    "iterator": ("iterator.py", {"iterator_ext": ["iterator.cpp"], "input_iterator": ["input_iterator.cpp"]}),
    "crossmod_opaque": ("crossmod_opaque.py", {"crossmod_opaque_a": ["crossmod_opaque_a.cpp"],
                                               "crossmod_opaque_b": ["crossmod_opaque_b.cpp"]}),
    "map_indexing_suite": ("map_indexing_suite.py", {"map_indexing_suite_ext": [
        "map_indexing_suite.cpp", "int_map_indexing_suite.cpp", "a_map_indexing_suite.cpp"]}),
})


def log(msg):
    print(msg, flush=True)


def prepare_source(source):
    if source:
        return os.path.abspath(source)
    src = os.path.join(BUILD, "src")
    if not os.path.exists(os.path.join(src, "src", "module.cpp")):
        try:
            text = open("/usr/include/boost/version.hpp").read()
        except OSError:
            sys.exit("no Boost headers: apt-get install -y libboost-dev")
        ver = re.search(r'#define BOOST_LIB_VERSION "(\d+)_(\d+)', text).groups()
        tag = f"boost-{ver[0]}.{ver[1]}.0"
        os.makedirs(src, exist_ok=True)
        data = subprocess.run(["git", "--git-dir", MIRROR, "archive", tag], check=True,
                              capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(src)
    return src


class Flavor:
    def __init__(self, name, include, interp, suffix):
        self.name, self.include, self.interp, self.suffix = name, include, interp, suffix
        self.dir = os.path.join(BUILD, name)
        self.mods = os.path.join(self.dir, "mods")
        self.logs = os.path.join(self.dir, "logs")
        self.objs = os.path.join(self.dir, "obj")
        for d in (self.mods, self.logs, self.objs):
            os.makedirs(d, exist_ok=True)
        self.lib = os.path.join(self.dir, "lib", "libboost_python.so")


def flavors(cpyext_bin):
    inc = subprocess.run([CPYTHON, "-c", "import sysconfig;print(sysconfig.get_paths()['include'])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    return {"cpython": Flavor("cpython", inc, CPYTHON, ".cpython-311-x86_64-linux-gnu.so"),
            "cpyext": Flavor("cpyext", CPYEXT_INCLUDE, cpyext_bin, ".cpyext-311-x86_64-linux-gnu.so")}


def cflags(fl, src):
    return ["-I", os.path.join(src, "include"), "-I", fl.include, "-DBOOST_ALL_NO_LIB"]


def compile_one(fl, src, cpp, tag, extra):
    obj = os.path.join(fl.objs, tag + ".o")
    logf = os.path.join(fl.logs, tag + ".log")
    if os.path.exists(obj) and os.path.getmtime(obj) >= os.path.getmtime(cpp):
        return obj, None
    r = subprocess.run(CXX + cflags(fl, src) + extra + ["-c", cpp, "-o", obj], capture_output=True, text=True)
    with open(logf, "w") as f:
        f.write(r.stdout + r.stderr)
    if r.returncode:
        if os.path.exists(obj):
            os.remove(obj)
        return None, logf
    return obj, None


def first_errors(logf, limit=8):
    out = []
    for line in open(logf, errors="replace"):
        if " error: " in line or "fatal error" in line:
            out.append(line.strip().split("/")[-1] if "/" in line.split(":")[0] else line.strip())
            if len(out) >= limit:
                break
    return out


def build_library(fl, src, jobs):
    cpps = sorted(glob.glob(os.path.join(src, "src", "*.cpp")) + glob.glob(os.path.join(src, "src", "object", "*.cpp"))
                  + glob.glob(os.path.join(src, "src", "converter", "*.cpp")))
    extra = ["-DBOOST_PYTHON_SOURCE", "-DBOOST_PYTHON_DYNAMIC_LIB"]
    tags = ["lib_" + os.path.relpath(c, os.path.join(src, "src")).replace("/", "_")[:-4] for c in cpps]
    with concurrent.futures.ThreadPoolExecutor(jobs) as ex:
        res = list(ex.map(lambda ct: compile_one(fl, src, ct[0], ct[1], extra), zip(cpps, tags)))
    failed = [logf for obj, logf in res if obj is None]
    if failed:
        return failed
    os.makedirs(os.path.dirname(fl.lib), exist_ok=True)
    objs = [obj for obj, _ in res]
    if not os.path.exists(fl.lib) or os.path.getmtime(fl.lib) < max(map(os.path.getmtime, objs)):
        r = subprocess.run(["g++", "-shared", "-pthread", "-o", fl.lib] + objs, capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"linking {fl.lib} failed:\n{r.stderr}")
    return []


def build_test(fl, src, name, jobs):
    """Builds the modules of one test; returns [] or the log files of what failed."""
    failed = []
    for mod, sources in TESTS[name][1].items():
        extra = ["-DBOOST_PYTHON_DYNAMIC_LIB"]
        objs = []
        for s in sources:
            obj, logf = compile_one(fl, src, os.path.join(src, "test", s), "test_" + s[:-4], extra)
            if obj is None:
                failed.append(logf)
            objs.append(obj)
        if None in objs:
            continue
        so = os.path.join(fl.mods, mod + fl.suffix)
        if not os.path.exists(so) or os.path.getmtime(so) < max(map(os.path.getmtime, objs + [fl.lib])):
            r = subprocess.run(["g++", "-shared", "-pthread", "-o", so] + objs +
                               ["-L", os.path.dirname(fl.lib), "-lboost_python",
                                "-Wl,-rpath," + os.path.dirname(fl.lib)], capture_output=True, text=True)
            if r.returncode:
                logf = os.path.join(fl.logs, mod + ".link.log")
                open(logf, "w").write(r.stderr)
                failed.append(logf)
    return failed


def summarize(out):
    """Doctest: 'N passed and M failed.'; unittest: 'Ran N tests' + OK/FAILED."""
    m = re.findall(r"^(\d+) tests? in \d+ items?\.", out, re.M)
    if m:  # one summary per testmod() call; "***Test Failed*** N failures." when some failed
        total = sum(int(a) for a in m)
        f = sum(int(a) for a in re.findall(r"^\*\*\*Test Failed\*\*\* (\d+) failure", out, re.M))
        return f"doctest {total - f} passed, {f} failed"
    m = re.search(r"^Ran (\d+) tests?", out, re.M)
    if m:
        fm = re.search(r"^FAILED \((.*)\)", out, re.M)
        return f"unittest {m.group(1)} run" + (f", {fm.group(1)}" if fm else ", OK")
    return ""


def first_failure(out, limit=14):
    i = out.find("Failed example:")
    if i < 0:
        i = out.find("Traceback (most recent call last)")
    if i < 0:
        return out.strip().splitlines()[-limit:]
    return out[i:].splitlines()[:limit]


def run_test(fl, src, name, timeout, resdir):
    script = TESTS[name][0]
    argv = script.split() if script.startswith("-m ") else [os.path.join(src, "test", script)]
    env = dict(os.environ, PYTHONPATH=fl.mods + os.pathsep + os.path.join(src, "test"), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONHOME", None)
    try:
        r = subprocess.run(["timeout", "-k", "5", str(timeout), fl.interp, *argv, "-v"], cwd=fl.dir, env=env,
                           capture_output=True, text=True, errors="replace")
        rc, out = r.returncode, r.stdout + r.stderr
    except Exception as e:  # noqa
        rc, out = -999, repr(e)
    open(os.path.join(resdir, name + ".out"), "w").write(f"rc={rc}\n" + out)
    status = "pass" if rc == 0 else ("timeout" if rc in (124, 137) else ("crash" if rc < 0 or rc > 128 else "fail"))
    summary = summarize(out)
    lines = out.rstrip().splitlines()
    if (status == "crash" and (not summary or re.search(r"(, 0 failed|, OK)$", summary))
            and "Traceback (most recent call last)" not in out and lines and lines[-1].startswith("Fatal Python error")):
        status = "exit-crash"  # no test failed; the process died at exit (static destructors)
    return {"status": status, "rc": rc, "summary": summary, "first": first_failure(out) if rc else []}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source")
    ap.add_argument("-k", "--tests", help="comma-separated test names (default: all)")
    ap.add_argument("--cpyext", default=CPYEXT_BIN)
    ap.add_argument("--only", choices=["cpython", "cpyext"])
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--timeout", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--report", default=os.path.join(BUILD, "report.md"))
    args = ap.parse_args()

    src = prepare_source(args.source)
    names = sorted(TESTS) if not args.tests else args.tests.split(",")
    fls = flavors(args.cpyext)
    use = [args.only] if args.only else ["cpython", "cpyext"]
    build_fail = {f: {} for f in use}
    lib_fail = {}
    for f in use:
        fl = fls[f]
        if not args.no_build:
            log(f"[{f}] building libboost_python")
            lib_fail[f] = build_library(fl, src, args.jobs)
            if lib_fail[f]:
                log(f"[{f}] library does not compile: " + ", ".join(os.path.basename(x) for x in lib_fail[f]))
                continue
            for n in names:
                bad = build_test(fl, src, n, args.jobs)
                if bad:
                    build_fail[f][n] = bad
                log(f"[{f}] build {n}: {'FAILED' if bad else 'ok'}")
    if args.build_only:
        return
    results = {f: {} for f in use}
    for f in use:
        fl = fls[f]
        resdir = os.path.join(BUILD, "results", f)
        os.makedirs(resdir, exist_ok=True)
        for n in names:
            if lib_fail.get(f) or n in build_fail[f] or not all(
                    os.path.exists(os.path.join(fl.mods, m + fl.suffix)) for m in TESTS[n][1]):
                results[f][n] = {"status": "build-error", "summary": "", "first": []}
                continue
            results[f][n] = run_test(fl, src, n, args.timeout, resdir)
            log(f"[{f}] {n}: {results[f][n]['status']} {results[f][n]['summary']}")

    lines = ["# Boost.Python test suite: CPython 3.11 vs cpyext", "",
             "| test | " + " | ".join(use) + " |", "|---|" + "---|" * len(use)]
    for n in names:
        lines.append(f"| {n} | " + " | ".join(
            f"{results[f][n]['status']} {results[f][n]['summary']}".strip() for f in use) + " |")
    counts = {f: {} for f in use}
    for f in use:
        for n in names:
            s = results[f][n]["status"]
            counts[f][s] = counts[f].get(s, 0) + 1
    lines += ["", "Totals: " + "; ".join(f"{f}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts[f].items()))
                                        for f in use), ""]
    for f in use:
        logs = sorted(set(x for v in build_fail[f].values() for x in v) | set(lib_fail.get(f) or []))
        if logs:
            lines += [f"## Compile errors ({f})", ""]
            for lf in logs:
                lines.append(f"- {os.path.basename(lf)}:")
                lines += ["    " + e for e in first_errors(lf)]
            lines.append("")
    if len(use) == 2:
        lines += ["## Pass on CPython, not on cpyext", ""]
        exit_crash, last_line = [], ""
        for n in names:
            a, b = results["cpython"][n], results["cpyext"][n]
            if a["status"] == "pass" and b["status"] == "exit-crash":
                exit_crash.append(n)
                last_line = b["first"][-1] if b["first"] else ""
            elif a["status"] == "pass" and b["status"] != "pass":
                lines.append(f"### {n}: {b['status']} {b['summary']}")
                lines += ["    " + x for x in b["first"]]
                lines.append("")
        if exit_crash:
            lines += [f"### {len(exit_crash)} tests pass, then the process dies at exit:", "",
                      "    " + ", ".join(exit_crash), "    " + last_line, ""]
    text = "\n".join(lines) + "\n"
    open(args.report, "w").write(text)
    print(text)


if __name__ == "__main__":
    main()
