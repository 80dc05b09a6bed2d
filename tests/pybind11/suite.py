#!/usr/bin/env python3
"""pybind11's own test suite under cpyext and under CPython 3.11.

    python3 tests/pybind11/suite.py [--source DIR] [-k/--files test_class,test_stl ...]
                                    [--cpyext BIN] [--build-only] [--no-build]
                                    [--only cpython|cpyext] [--report-only]
                                    [--timeout SECONDS] [--report FILE]

Without --source, pybind11 v3.1.0 is extracted from the git mirror
(/work/.mirror/pybind+pybind11/repo) into tests/_build/pybind11/src. The
`pybind11_tests` module (pybind11_tests.cpp plus the selected test_*.cpp, one
object file per .cpp, rebuilt only when the .cpp or a header is newer) and the
small extra modules the selected tests import (pybind11_cross_module_tests,
cross_module_gil_utils, ...) are compiled twice with
`nice -n 10 g++ -std=c++17 -O0 -g0 -fPIC -fvisibility=hidden`, two compiles at
a time: against CPython's headers into tests/_build/pybind11/cpython, and
against include/ into tests/_build/pybind11/cpyext. A test .cpp that
does not compile against our headers is left out of the cpyext module; its
compiler errors are kept in tests/_build/pybind11/cpyext/logs/NAME.log and
listed in the report.

Then each selected test_*.py runs in its own pytest process (`-p no:cacheprovider
--assert=plain`, pybind11's pytest.ini otherwise as is) under `python3` and under
`target/release/cpyext`. For cpyext, pytest and its dependencies are pure-Python
wheels (pip download on the host, same pytest version as the host's) unzipped
into tests/_build/pybind11/site. A small plugin writes one JSON line per test
phase, so when a process dies (signal) or hangs (--timeout), the test that was
running is known: it is recorded as crashed, deselected, and the file is run
again; the crashing test is then also run alone to confirm it. When a process
dies outside any test, each test id of the file is run on its own.

Results: tests/_build/pybind11/results/{cpython,cpyext}/FILE.json (per test
outcome and message) and FILE.xml (junit), a summary in
tests/_build/pybind11/report.md (or --report FILE), and on stdout every test
that passes on CPython but not on cpyext. Default selection: every test file in
PYBIND11_TEST_FILES (tests/CMakeLists.txt) except numpy, eigen, multiple
interpreters, embedding, cmake-build and cross-module-RTTI tests.
"""
import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import io
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import suite_records  # noqa: E402  (tests/suite_records.py)
from suite_records import KINDS, counts, death, outcomes, tail_lines, unfinished  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(ROOT, "tests", "_build", "pybind11")
MIRROR = "/work/.mirror/pybind+pybind11/repo"
TAG = "v3.1.0"
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
CPYTHON = os.environ.get("CPYTHON_BIN", "python3")
CPYEXT_INCLUDE = os.path.join(ROOT, "include")

SKIP_PATTERNS = [r"^test_numpy_", r"^test_eigen_", r"^test_multiple_interpreters$", r"^test_embed$",
                 r"^test_cmake_build$", r"^test_cross_module_rtti$"]
# Used when tests/CMakeLists.txt cannot be read: extra module -> the tests that import it.
EXTRA_TARGETS_FALLBACK = {
    "pybind11_cross_module_tests": ["test_class_cross_module_use_after_one_module_dealloc", "test_exceptions",
                                    "test_local_bindings", "test_stl", "test_stl_binders"],
    "cross_module_interleaved_error_already_set": ["test_exceptions"],
    "cross_module_gil_utils": ["test_gil_scoped"],
    "exo_planet_pybind11": ["test_cpp_conduit"],
    "exo_planet_c_api": ["test_cpp_conduit"],
    "home_planet_very_lonely_traveler": ["test_cpp_conduit"],
    "standalone_enum_module": ["test_standalone_enum_module"],
}
# Per-file flags tests/CMakeLists.txt adds.
EXTRA_FLAGS = {"exo_planet_c_api": ["-fno-exceptions"]}
COMPILE = ["g++", "-std=c++17", "-O0", "-g0", "-fPIC", "-fvisibility=hidden", "-pthread"]



def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- source and selection

def prepare_source(source):
    if source:
        return os.path.abspath(source)
    src = os.path.join(BUILD, "src")
    if not os.path.exists(os.path.join(src, "tests", "pybind11_tests.cpp")):
        if not os.path.isdir(MIRROR):
            sys.exit(f"no --source given and no mirror at {MIRROR}")
        os.makedirs(src, exist_ok=True)
        data = subprocess.run(["git", "--git-dir", MIRROR, "archive", TAG], check=True, capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(src)
    return src


def pybind11_version(src):
    text = open(os.path.join(src, "include", "pybind11", "detail", "common.h")).read()
    parts = [re.search(rf"#define PYBIND11_VERSION_{k} (\S+)", text).group(1) for k in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def test_list(src):
    """Names in PYBIND11_TEST_FILES (without extension) and which have a .cpp."""
    text = open(os.path.join(src, "tests", "CMakeLists.txt")).read()
    body = re.search(r"set\(PYBIND11_TEST_FILES(.*?)\)", text, re.S).group(1)
    names = [n for n in body.split() if not n.startswith("#")]
    return [n[:-3] if n.endswith(".py") else n for n in names]


def extra_targets(src):
    text = open(os.path.join(src, "tests", "CMakeLists.txt")).read()
    found = {}
    for needles, adds in re.findall(r'tests_extra_targets\(\s*"([^"]*)"\s*"([^"]*)"\s*\)', text):
        for add in adds.split(";"):
            found.setdefault(add, []).extend(n[:-3] if n.endswith(".py") else n for n in needles.split(";"))
    return found or EXTRA_TARGETS_FALLBACK


def select_files(src, wanted):
    all_tests = test_list(src)
    if wanted:
        names = []
        for w in wanted:
            for part in w.split(","):
                part = part.strip()
                if part.endswith((".py", ".cpp")):
                    part = part.rsplit(".", 1)[0]
                if part:
                    names.append(part)
        unknown = [n for n in names if not os.path.exists(os.path.join(src, "tests", n + ".py"))]
        if unknown:
            sys.exit(f"unknown test files: {unknown}")
        return names
    return [n for n in all_tests if not any(re.search(p, n) for p in SKIP_PATTERNS)]


# ---------------------------------------------------------------- building

def newest_mtime(paths):
    newest = 0.0
    for top in paths:
        if os.path.isfile(top):
            newest = max(newest, os.path.getmtime(top))
            continue
        for dirpath, _, files in os.walk(top):
            for f in files:
                if f.endswith((".h", ".hpp", ".inl")):
                    newest = max(newest, os.path.getmtime(os.path.join(dirpath, f)))
    return newest


class Flavor:
    def __init__(self, name, include, suffix):
        self.name, self.include, self.suffix = name, include, suffix
        self.dir = os.path.join(BUILD, name)
        self.obj = os.path.join(self.dir, "obj")
        self.logs = os.path.join(self.dir, "logs")
        os.makedirs(self.obj, exist_ok=True)
        os.makedirs(self.logs, exist_ok=True)


def flavors():
    cpy_inc = subprocess.run([CPYTHON, "-c", "import sysconfig;print(sysconfig.get_paths()['include'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    cpy_suf = subprocess.run([CPYTHON, "-c", "import sysconfig;print(sysconfig.get_config_var('EXT_SUFFIX'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    ext_suf = subprocess.run([CPYEXT_BIN, "-c", "import sysconfig;print(sysconfig.get_config_var('EXT_SUFFIX'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    return [Flavor("cpython", cpy_inc, cpy_suf), Flavor("cpyext", CPYEXT_INCLUDE, ext_suf)]


def compile_one(flavor, src, name, deps_mtime):
    """Compiles tests/NAME.cpp; returns (name, ok). Cached by mtime, failures too."""
    cpp = os.path.join(src, "tests", name + ".cpp")
    obj = os.path.join(flavor.obj, name + ".o")
    err = os.path.join(flavor.logs, name + ".log")
    newest = max(os.path.getmtime(cpp), deps_mtime)
    if os.path.exists(obj) and os.path.getmtime(obj) >= newest:
        return name, True
    if os.path.exists(err) and not os.path.exists(obj) and os.path.getmtime(err) >= newest:
        return name, False
    cmd = ["nice", "-n", "10", *COMPILE, "-I", flavor.include, "-I", os.path.join(src, "include"),
           "-I", os.path.join(src, "tests"), *EXTRA_FLAGS.get(name, []), "-c", cpp, "-o", obj + ".tmp"]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    with open(err, "w") as f:
        f.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
    if proc.returncode == 0:
        os.replace(obj + ".tmp", obj)
        return name, True
    if os.path.exists(obj):
        os.remove(obj)
    return name, False


def link(flavor, module, objs):
    out = os.path.join(flavor.dir, module + flavor.suffix)
    stamp = out + ".objs"
    listing = "\n".join(objs)
    if (os.path.exists(out) and os.path.exists(stamp) and open(stamp).read() == listing
            and all(os.path.getmtime(o) <= os.path.getmtime(out) for o in objs)):
        return True
    cmd = ["nice", "-n", "10", "g++", "-shared", "-pthread", *objs, "-o", out]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        with open(os.path.join(flavor.logs, module + ".link.log"), "w") as f:
            f.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
        return False
    with open(stamp, "w") as f:
        f.write(listing)
    return True


def compiler_errors(path, limit=6):
    if not os.path.exists(path):
        return []
    lines = [l for l in open(path, errors="replace").read().splitlines() if ": error:" in l]
    seen, out = set(), []
    for l in lines:
        short = re.sub(r"^.*?/(include|tests)/", r"\1/", l)
        if short not in seen:
            seen.add(short)
            out.append(short)
    return out[:limit]


TESTS_CWD = [BUILD]  # tests/ of the source: initializers import helpers from there (custom_exceptions)


def build(src, files, fls, jobs=2):
    TESTS_CWD[0] = os.path.join(src, "tests")
    extras = extra_targets(src)
    modules_extra = sorted(m for m, needles in extras.items() if any(n in files for n in needles))
    cpps = ["pybind11_tests"] + [f for f in files if os.path.exists(os.path.join(src, "tests", f + ".cpp"))]
    cpps += modules_extra
    tasks = []
    status = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for name in cpps:
            for fl in fls:
                deps = newest_mtime([os.path.join(src, "include"), *glob.glob(os.path.join(src, "tests", "*.h")),
                                     fl.include])
                tasks.append((fl, pool.submit(compile_one, fl, src, name, deps)))
        for fl, fut in tasks:
            name, ok = fut.result()
            status[(fl.name, name)] = ok
            if not ok:
                log(f"  [{fl.name}] {name}.cpp does not compile: see {os.path.join(fl.logs, name + '.log')}")
    built = {}
    for fl in fls:
        ok_tests = [f for f in cpps if f not in modules_extra and f != "pybind11_tests" and status[(fl.name, f)]]
        objs = [os.path.join(fl.obj, n + ".o") for n in ["pybind11_tests"] + ok_tests]
        main_ok = status[(fl.name, "pybind11_tests")] and link(fl, "pybind11_tests", objs)
        built[fl.name] = {"pybind11_tests": main_ok, "tests": ok_tests,
                          "failed": [f for f in cpps if not status[(fl.name, f)]], "init_failed": {}}
        if main_ok:
            err = import_error(fl, fl.dir, "pybind11_tests")
            if err:
                # pybind11_tests runs every submodule's initializer when it is
                # imported: one that throws loses the whole module. Find which,
                # each linked alone with pybind11_tests.cpp, and leave it out.
                log(f"  [{fl.name}] import pybind11_tests fails ({err[-1] if err else ''}); probing each test .cpp")
                bad = probe_initializers(fl, ok_tests)
                built[fl.name]["init_failed"] = bad
                ok_tests = [f for f in ok_tests if f not in bad]
                built[fl.name]["tests"] = ok_tests
                objs = [os.path.join(fl.obj, n + ".o") for n in ["pybind11_tests"] + ok_tests]
                built[fl.name]["pybind11_tests"] = link(fl, "pybind11_tests", objs)
        for m in modules_extra:
            built[fl.name][m] = status[(fl.name, m)] and link(fl, m, [os.path.join(fl.obj, m + ".o")])
    with open(os.path.join(BUILD, "build.json"), "w") as f:
        json.dump(built, f, indent=1)
    return built


def interpreter(fl_name):
    return CPYEXT_BIN if fl_name == "cpyext" else CPYTHON


def import_error(fl, directory, module):
    """The last lines of the error importing `module` from `directory`, or None."""
    env = dict(os.environ, PYTHONPATH=directory, PYTHONDONTWRITEBYTECODE="1")
    try:
        proc = subprocess.run([interpreter(fl.name), "-c", f"import {module}"], cwd=TESTS_CWD[0], env=env,
                              capture_output=True, text=True, errors="replace", timeout=120)
    except subprocess.TimeoutExpired:
        return ["import timed out"]
    if proc.returncode == 0:
        return None
    how = death(proc.returncode)
    lines = [l for l in (proc.stdout + proc.stderr).splitlines() if l.strip()]
    return lines[-3:] + ([how] if how else [])


def probe_initializers(fl, tests):
    bad = {}
    for name in tests:
        d = os.path.join(fl.dir, "probe", name)
        os.makedirs(d, exist_ok=True)
        out = os.path.join(d, "pybind11_tests" + fl.suffix)
        objs = [os.path.join(fl.obj, "pybind11_tests.o"), os.path.join(fl.obj, name + ".o")]
        proc = subprocess.run(["nice", "-n", "10", "g++", "-shared", "-pthread", *objs, "-o", out],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            bad[name] = ["link failed"] + proc.stderr.splitlines()[-3:]
            continue
        err = import_error(fl, d, "pybind11_tests")
        shutil.rmtree(d, ignore_errors=True)
        if err:
            bad[name] = err
            log(f"  [{fl.name}] {name}: initializer fails: {err[-1]}")
    return bad


# ---------------------------------------------------------------- pytest site for cpyext



# ---------------------------------------------------------------- running

def pytest_once(interp, pythonpath, src, targets, jsonl, junit, timeout, deselect=()):
    if os.path.exists(jsonl):
        os.remove(jsonl)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath), PYTHONDONTWRITEBYTECODE="1",
               **{suite_records.RESULTS_ENV: jsonl})
    for k in ("PYTHONHOME", "_PYTHON_SYSCONFIGDATA_NAME"):
        env.pop(k, None)
    cmd = [interp, "-m", "pytest", "-p", "no:cacheprovider", "-p", suite_records.PLUGIN_MODULE, "--assert=plain",
           "-q", f"--junitxml={junit}", *[f"--deselect={d}" for d in deselect], *targets]
    try:
        proc = subprocess.run(cmd, cwd=os.path.join(src, "tests"), env=env, capture_output=True, text=True,
                              errors="replace", timeout=timeout, start_new_session=True)
        rc, out = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as e:
        rc = "timeout"
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        out += (e.stderr or b"").decode(errors="replace") if isinstance(e.stderr, bytes) else (e.stderr or "")
    records = []
    if os.path.exists(jsonl):
        for line in open(jsonl, encoding="utf-8", errors="replace"):
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
    return rc, out, records


def collect_ids(interp, pythonpath, src, target, timeout):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([interp, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", target],
                          cwd=os.path.join(src, "tests"), env=env, capture_output=True, text=True,
                          errors="replace", timeout=timeout)
    return [l.strip() for l in proc.stdout.splitlines() if "::" in l and not l.startswith(" ")]


def run_file(interp, flavor, pythonpath, src, name, timeout, fallback_ids):
    """Runs tests/NAME.py; survives crashes and hangs. Returns the file's result dict."""
    resdir = os.path.join(BUILD, "results", flavor)
    os.makedirs(resdir, exist_ok=True)
    jsonl = os.path.join(resdir, name + ".jsonl")
    junit = os.path.join(resdir, name + ".xml")
    target = name + ".py"
    crashed, deselect, notes = {}, [], []
    final = None
    for _ in range(25):
        rc, out, records = pytest_once(interp, pythonpath, src, [target], jsonl, junit, timeout, deselect)
        how = death(rc)
        if how is None:
            final = (rc, out, records)
            break
        culprit = unfinished(records)
        if culprit is None:
            finished = any(r["event"] == "finish" for r in records)
            if finished:
                notes.append(f"process died after the session finished ({how})")
                final = (rc, out, records)
            else:
                final = None
                notes.append(f"process died outside any test ({how}); each test run alone")
            break
        crashed[culprit] = {"outcome": "crashed", "message": [how], "tail": tail_lines(out)}
        deselect.append(culprit)
    results = {}
    collect_errors = []
    if final is not None:
        rc, out, records = final
        results = outcomes(records)
        collect_errors = [{"nodeid": r["nodeid"], "message": r["message"]} for r in records
                          if r["event"] == "collecterror"]
        if not records and rc not in (0, 1, 5):
            notes.append(f"pytest exit {rc}: " + " | ".join(tail_lines(out, 5)))
    else:
        ids = fallback_ids or collect_ids(interp, pythonpath, src, target, timeout)
        for nid in ids:
            rc, out, records = pytest_once(interp, pythonpath, src, [nid], jsonl, junit, timeout)
            how = death(rc)
            got = outcomes(records).get(nid)
            if how and (got is None or unfinished(records)):
                results[nid] = {"outcome": "crashed", "message": [how], "tail": tail_lines(out)}
            elif got:
                results[nid] = got
    # Confirm each crash alone.
    for nid, info in crashed.items():
        rc, out, records = pytest_once(interp, pythonpath, src, [nid], jsonl + ".alone", junit + ".alone", timeout)
        how = death(rc)
        info["alone"] = how or (outcomes(records).get(nid, {}).get("outcome") or f"exit {rc}")
        results[nid] = info
    data = {"file": name, "interpreter": flavor, "tests": results, "collect_errors": collect_errors,
            "notes": notes}
    with open(os.path.join(resdir, name + ".json"), "w") as f:
        json.dump(data, f, indent=1)
    return data


# ---------------------------------------------------------------- report

def differences(cp, ce):
    """Tests that pass on CPython and do not pass on cpyext."""
    diffs = []
    for nid, t in sorted(cp["tests"].items()):
        if t["outcome"] != "passed":
            continue
        other = ce["tests"].get(nid)
        if other is None:
            msg = ce["collect_errors"][0]["message"][-3:] if ce["collect_errors"] else ce["notes"][:1] or ["not run"]
            diffs.append((nid, "not collected", msg))
        elif other["outcome"] not in ("passed",):
            diffs.append((nid, other["outcome"] + (f" (alone: {other['alone']})" if "alone" in other else ""),
                          other["message"]))
    return diffs


def write_report(path, version, files, built, res):
    L = [f"# pybind11 {version}: test suite under CPython 3.11 and cpyext", ""]
    for fl in ("cpython", "cpyext"):
        if built[fl]["failed"]:
            L.append(f"Not compiled for {fl}: " + ", ".join(built[fl]["failed"]))
            for n in built[fl]["failed"]:
                for e in compiler_errors(os.path.join(BUILD, fl, "logs", n + ".log")):
                    L.append(f"    {n}: {e}")
            L.append("")
    for fl in ("cpython", "cpyext"):
        bad = built[fl].get("init_failed", {})
        if bad:
            L.append(f"Left out of {fl}'s pybind11_tests because importing it with that file alone fails:")
            for n, err in sorted(bad.items()):
                L.append(f"    {n}: {err[-1] if err else ''}")
            L.append("")
    tot = {fl: dict.fromkeys(KINDS, 0) for fl in ("cpython", "cpyext")}
    L += ["| file | CPython p/f/e/s/xf/xp/crash | cpyext p/f/e/s/xf/xp/crash |", "| --- | --- | --- |"]
    for name in files:
        cells = []
        for fl in ("cpython", "cpyext"):
            c = counts(res[fl][name])
            for k in KINDS:
                tot[fl][k] += c[k]
            cell = "/".join(str(c[k]) for k in KINDS)
            if res[fl][name]["collect_errors"]:
                cell += " (collection error)"
            cells.append(cell)
        L.append(f"| {name} | {cells[0]} | {cells[1]} |")
    L.append("| **total** | " + " | ".join("/".join(str(tot[fl][k]) for k in KINDS) for fl in ("cpython", "cpyext"))
             + " |")
    L += ["", "## Passing on CPython, not on cpyext", ""]
    left_out = built["cpyext"].get("init_failed", {})
    for name in files:
        diffs = differences(res["cpython"][name], res["cpyext"][name])
        if name in left_out and diffs:
            L.append(f"- `{name}.py`: {len(diffs)} tests not run: the file's submodule is left out "
                     f"(its initializer fails: {left_out[name][-1] if left_out[name] else '?'})")
            continue
        for nid, what, msg in diffs:
            L.append(f"- `{nid}`: {what}: " + " / ".join(m.strip()[:200] for m in msg[:3]))
    notes = [(fl, n, note) for fl in ("cpython", "cpyext") for n in files for note in res[fl][n]["notes"]]
    if notes:
        L += ["", "## Notes", ""] + [f"- {fl} {n}: {note}" for fl, n, note in notes]
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")
    return tot


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", help="a pybind11 checkout (default: v3.1.0 from the mirror)")
    ap.add_argument("-k", "--files", action="append", help="test files, comma separated (test_class,test_stl)")
    ap.add_argument("--cpyext", default=None, help="the cpyext binary (default target/release/cpyext)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel compiles (default 2)")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-build", action="store_true", help="use the modules already built")
    ap.add_argument("--only", choices=["cpython", "cpyext"], help="run the tests under one interpreter only")
    ap.add_argument("--report-only", action="store_true", help="rewrite the report from the stored results")
    ap.add_argument("--timeout", type=int, default=600, help="seconds for one pytest process")
    ap.add_argument("--report", default=os.path.join(BUILD, "report.md"))
    args = ap.parse_args(argv)
    global CPYEXT_BIN
    CPYEXT_BIN = args.cpyext or CPYEXT_BIN

    src = prepare_source(args.source)
    version = pybind11_version(src)
    files = select_files(src, args.files)
    log(f"pybind11 {version} from {src}; {len(files)} test files")
    fls = flavors()
    if args.no_build or args.report_only:
        built = json.load(open(os.path.join(BUILD, "build.json")))
    else:
        log("building (nice -n 10, %d at a time) ..." % args.jobs)
        built = build(src, files, fls, args.jobs)
        for fl in fls:
            log(f"  [{fl.name}] pybind11_tests: {len(built[fl.name]['tests'])} test .cpp linked, "
                f"not compiled: {built[fl.name]['failed'] or 'none'}, "
                f"initializer fails: {sorted(built[fl.name].get('init_failed', {})) or 'none'}")
    if args.build_only:
        return 0

    site, plugins = suite_records.pytest_site(BUILD, CPYTHON), suite_records.plugin_dir(BUILD)
    paths = {"cpython": [os.path.join(BUILD, "cpython"), plugins],
             "cpyext": [os.path.join(BUILD, "cpyext"), plugins, site]}
    interps = {"cpython": CPYTHON, "cpyext": CPYEXT_BIN}
    res = {"cpython": {}, "cpyext": {}}
    for name in files:
        for fl in ("cpython", "cpyext"):
            jpath = os.path.join(BUILD, "results", fl, name + ".json")
            if args.report_only or (args.only and args.only != fl):
                res[fl][name] = json.load(open(jpath)) if os.path.exists(jpath) else \
                    {"file": name, "tests": {}, "collect_errors": [], "notes": ["not run"]}
                continue
            fallback = None
            if fl == "cpyext":
                fallback = [n for n in res["cpython"][name]["tests"]] or None
            res[fl][name] = run_file(interps[fl], fl, paths[fl], src, name, args.timeout, fallback)
        c = {fl: counts(res[fl][name]) for fl in ("cpython", "cpyext")}
        log(f"{name}: cpython " + " ".join(f"{k}={v}" for k, v in c["cpython"].items() if v)
            + " | cpyext " + " ".join(f"{k}={v}" for k, v in c["cpyext"].items() if v))
        for nid, what, msg in differences(res["cpython"][name], res["cpyext"][name]):
            log(f"  DIFF {nid}: {what}: " + (msg[0].strip()[:160] if msg else ""))
    tot = write_report(args.report, version, files, built, res)
    for fl in ("cpython", "cpyext"):
        log(f"TOTAL {fl}: " + " ".join(f"{k}={v}" for k, v in tot[fl].items()))
    log(f"report: {args.report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
