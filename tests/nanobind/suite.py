#!/usr/bin/env python3
"""nanobind's own test suite under cpyext and under CPython 3.11.

    python3 tests/nanobind/suite.py [--source DIR | --sdist TARBALL] [-k/--files test_classes,test_stl ...]
                                    [--cpyext BIN] [--build-dir DIR] [--jobs N]
                                    [--build-only] [--no-build] [--only cpython|cpyext]
                                    [--report-only] [--timeout SECONDS] [--report FILE]

Source: --source (an unpacked nanobind tree with ext/robin_map), or --sdist (a
nanobind-X.tar.gz), or by default the sdist of nanobind 3.1.0 fetched with
`pip download --no-deps --no-binary nanobind` into BUILD/sdist. The sdist
carries tests/ and ext/robin_map (the GitHub tag needs the robin_map
submodule besides). BUILD is tests/_build/nanobind (or --build-dir).

CMake's FindPython does not accept cpyext, so this script does what
nanobind_add_module() does in nanobind's tests/CMakeLists.txt, with g++:

- libnanobind (static flavour, the default of nanobind_add_module): every
  src/*.cpp that nanobind_build_library() lists (nb_ft.cpp only for
  free-threaded builds; nb_backend.cpp is for split mode) with -DNB_BUILD
  -fno-strict-aliasing, archived into libnanobind-static.a;
- one extension per test: test_NAME_ext from test_NAME.cpp (plus
  test_classes_extra.cpp, test_intrusive_impl.cpp, test_abi_layout.cpp as the
  CMake file adds), test_foreign_ext, and test_inter_module_{1,2}_ext
  (NB_DOMAIN=mydomain) linked to the shared helper libinter_module.so
  (-DSHARED_BUILD);
- every file with `g++ -std=c++17 -O0 -g0 -fPIC -fvisibility=hidden -pthread
  -DNB_ABORT_ON_LEAK` (tests/CMakeLists.txt adds NB_ABORT_ON_LEAK to all its
  targets), two compiles at a time under `nice -n 10`, once against CPython's
  headers (BUILD/cpython) and once against include/ (BUILD/cpyext). Objects
  are rebuilt only when the source or a header is newer. -Werror -Wconversion
  of the CMake file are left out. Split-mode (test_abi_*) and Eigen modules
  are not built; test_abi.py then skips itself.

Each flavour gets a run directory BUILD/FLAVOR/run holding a copy of tests/
(Python files, .pyi.ref, pattern files, src/stubgen.py) and the modules. As
nanobind_add_stub() does, stubgen.py then runs under that flavour's
interpreter to write test_*_ext.pyi, py_stub_test.pyi and the two recursive
packages' stubs next to the .pyi.ref files test_stubs.py compares them with;
a stubgen run that writes no stub is listed in the report (one that writes
its stub and then aborts at exit, see NB_ABORT_ON_LEAK below, is only
logged).

Each test_*.py then runs in its own pytest process (`-p no:cacheprovider
--assert=plain`) under `python3` and under `target/release/cpyext`, in the run
directory. For cpyext, pytest and its dependencies are pure-Python wheels (pip
download, the host pytest's version) unzipped into BUILD/site. A small plugin
writes one JSON line per test phase, so when a process dies (signal) or hangs
(--timeout) the running test is recorded as crashed, deselected, and the file
is run again (the crash is then confirmed alone). A process that dies after
pytest finished is noted in the report with the leak lines it printed:
NB_ABORT_ON_LEAK makes nanobind abort() at exit when bound types, functions
or instances are still alive, which under cpyext is every process that
bound a class (classes and functions C has seen are never freed there,
docs/differences.md). When an extension dies while being imported, every
test of that file is recorded as crashed from one --collect-only run.

Results: BUILD/results/{cpython,cpyext}/FILE.json, a summary in
BUILD/report.md (or --report), and on stdout every test that passes on
CPython but not on cpyext. Tests that need numpy, torch, jax, tensorflow or
cupy skip themselves when those are not importable.
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
import tarfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import suite_records  # noqa: E402  (tests/suite_records.py)
from suite_records import KINDS, counts, death, outcomes, tail_lines, unfinished  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.path.join(ROOT, "tests", "_build", "nanobind")
NB_VERSION = "3.1.0"
CPYEXT_BIN = os.environ.get("CPYEXT_BIN", os.path.join(ROOT, "target", "release", "cpyext"))
CPYTHON = os.environ.get("CPYTHON_BIN", "python3")
CPYEXT_INCLUDE = os.path.join(ROOT, "include")
CPYEXT_SUFFIX = ".cpyext-311-x86_64-linux-gnu.so"

COMPILE = ["g++", "-std=c++17", "-O0", "-g0", "-fPIC", "-fvisibility=hidden", "-pthread", "-DNB_ABORT_ON_LEAK"]
LIB_FLAGS = ["-DNB_BUILD", "-fno-strict-aliasing"]
LIB_SOURCES = ["nb_internals", "nb_func", "nb_type", "nb_enum", "nb_ndarray", "nb_static_property",
               "nb_datetime", "common", "error", "trampoline", "implicit"]
# Extra sources and flags per extension (tests/CMakeLists.txt).
EXTRA_SOURCES = {"test_classes_ext": ["test_classes_extra"], "test_intrusive_ext": ["test_intrusive_impl"],
                 "test_functions_ext": ["test_abi_layout"]}
DOMAIN = {"test_inter_module_1_ext": "mydomain", "test_inter_module_2_ext": "mydomain"}
LINK_INTER_MODULE = {"test_inter_module_1_ext", "test_inter_module_2_ext"}
# Test file -> extensions it imports (beyond test_NAME_ext).
EXTRA_IMPORTS = {"test_inter_module": ["test_inter_module_1_ext", "test_inter_module_2_ext"],
                 "test_specialization": ["test_classes_ext"], "test_stubs": ["test_typing_ext"],
                 "test_holders": ["test_classes_ext"]}
SKIP_FILES = [r"^test_eigen", r"^test_abi$"]
# Stubs nanobind_add_stub() makes: module -> extra stubgen arguments.
STUBS = {"test_functions_ext": [], "test_classes_ext": [], "test_ndarray_ext": [], "test_jax_ext": [],
         "test_tensorflow_ext": [], "test_stl_ext": [], "test_enum_ext": [], "test_make_iterator_ext": [],
         "test_typing_ext": ["-M", "py.typed", "-p", "pattern_file.nb", "--exclude-values"],
         "py_stub_test": []}
RECURSIVE_STUBS = {"py_recursive_stub_test": ["-p", "pattern_file_recursive.nb"], "test_prefix_module": []}



def log(msg):
    print(msg, flush=True)


# ---------------------------------------------------------------- source and selection

def prepare_source(source, sdist):
    if source:
        return os.path.abspath(source)
    if not sdist:
        d = os.path.join(BUILD, "sdist")
        sdist = os.path.join(d, f"nanobind-{NB_VERSION}.tar.gz")
        if not os.path.exists(sdist):
            os.makedirs(d, exist_ok=True)
            subprocess.run([CPYTHON, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                            "--no-binary", "nanobind", f"nanobind=={NB_VERSION}", "-d", d], check=True)
    sdist = os.path.abspath(sdist)
    base = os.path.basename(sdist)[:-len(".tar.gz")]
    src = os.path.join(BUILD, "src", base)
    if not os.path.exists(os.path.join(src, "tests", "CMakeLists.txt")):
        os.makedirs(os.path.dirname(src), exist_ok=True)
        with tarfile.open(sdist) as tar:
            tar.extractall(os.path.dirname(src))
    return src


def nanobind_version(src):
    text = open(os.path.join(src, "include", "nanobind", "nanobind.h")).read()
    parts = [re.search(rf"#define NB_VERSION_{k}\s+(\S+)", text).group(1) for k in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(parts)


def cmake_text(src):
    return open(os.path.join(src, "tests", "CMakeLists.txt")).read()


def extensions(src):
    """Extension modules the test CMake file declares (split-mode and Eigen ones left out)."""
    text = cmake_text(src)
    names = re.search(r"set\(TEST_NAMES(.*?)\)", text, re.S).group(1).split()
    mods = [f"test_{n}_ext" for n in names if not n.startswith("#")]
    for m in re.findall(r"nanobind_add_module\((test_(?:foreign|inter_module_\d)_ext)\b", text):
        mods.append(m)
    return mods


def select_files(src, wanted):
    tests = os.path.join(src, "tests")
    if wanted:
        names = [p.strip().rsplit(".py", 1)[0] for w in wanted for p in w.split(",") if p.strip()]
        unknown = [n for n in names if not os.path.exists(os.path.join(tests, n + ".py"))]
        if unknown:
            sys.exit(f"unknown test files: {unknown}")
        return names
    names = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(tests, "test_*.py")))
    return [n for n in names if not any(re.search(p, n) for p in SKIP_FILES)]


def modules_for(files, all_mods):
    want = set()
    for f in files:
        if f + "_ext" in all_mods:
            want.add(f + "_ext")
        want.update(EXTRA_IMPORTS.get(f, []))
        if f == "test_stubs":
            want.update(m for m in STUBS if m in all_mods)
    return [m for m in all_mods if m in want]


# ---------------------------------------------------------------- building

class Flavor:
    def __init__(self, name, include, suffix):
        self.name, self.include, self.suffix = name, include, suffix
        self.dir = os.path.join(BUILD, name)
        self.obj = os.path.join(self.dir, "obj")
        self.logs = os.path.join(self.dir, "logs")
        self.run = os.path.join(self.dir, "run")
        for d in (self.obj, self.logs, self.run):
            os.makedirs(d, exist_ok=True)


def query(interp, expr):
    return subprocess.run([interp, "-c", f"import sysconfig;print({expr})"], check=True, capture_output=True,
                          text=True).stdout.strip()


def flavors(only=None):
    fls = []
    if only in (None, "cpython"):
        fls.append(Flavor("cpython", query(CPYTHON, "sysconfig.get_paths()['include']"),
                          query(CPYTHON, "sysconfig.get_config_var('EXT_SUFFIX')")))
    if only in (None, "cpyext"):
        # The suffix the binary reports; its documented value when the binary is not built yet.
        suffix = CPYEXT_SUFFIX
        if os.access(CPYEXT_BIN, os.X_OK):
            suffix = query(CPYEXT_BIN, "sysconfig.get_config_var('EXT_SUFFIX')")
        fls.append(Flavor("cpyext", CPYEXT_INCLUDE, suffix))
    return fls


def newest_header(paths):
    newest = 0.0
    for top in paths:
        for dirpath, _, files in os.walk(top):
            for f in files:
                if f.endswith((".h", ".hpp", ".inl")):
                    newest = max(newest, os.path.getmtime(os.path.join(dirpath, f)))
    return newest


def compile_one(fl, cpp, obj, flags, deps_mtime):
    """Compiles cpp into obj; returns ok. Cached by mtime, failures too."""
    name = os.path.basename(obj)[:-2]
    err = os.path.join(fl.logs, name + ".log")
    newest = max(os.path.getmtime(cpp), deps_mtime)
    if os.path.exists(obj) and os.path.getmtime(obj) >= newest:
        return True
    if os.path.exists(err) and not os.path.exists(obj) and os.path.getmtime(err) >= newest:
        return False
    cmd = ["nice", "-n", "10", *COMPILE, *flags, "-c", cpp, "-o", obj + ".tmp"]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    with open(err, "w") as f:
        f.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
    if proc.returncode == 0:
        os.replace(obj + ".tmp", obj)
        return True
    if os.path.exists(obj):
        os.remove(obj)
    return False


def run_cmd(fl, name, cmd):
    proc = subprocess.run(["nice", "-n", "10", *cmd], capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        with open(os.path.join(fl.logs, name + ".link.log"), "w") as f:
            f.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
    return proc.returncode == 0


def build(src, mods, fls, jobs=2):
    tests, srcdir = os.path.join(src, "tests"), os.path.join(src, "src")
    incs = ["-I", os.path.join(src, "include")]
    lib_incs = incs + ["-I", os.path.join(src, "ext", "robin_map", "include")]
    need_inter = any(m in LINK_INTER_MODULE for m in mods)
    built = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for fl in fls:
            deps = newest_header([os.path.join(src, "include"), srcdir, tests, fl.include])
            py = ["-I", fl.include]
            jobs_ = {}
            for s in LIB_SOURCES:
                jobs_[("lib", s)] = pool.submit(compile_one, fl, os.path.join(srcdir, s + ".cpp"),
                                                os.path.join(fl.obj, "lib_" + s + ".o"), py + lib_incs + LIB_FLAGS, deps)
            if need_inter:
                jobs_[("inter", "inter_module")] = pool.submit(
                    compile_one, fl, os.path.join(tests, "inter_module.cpp"), os.path.join(fl.obj, "inter_module.o"),
                    py + incs + ["-DSHARED_BUILD"], deps)
            for m in mods:
                flags = py + incs + ["-I", tests]
                if m in DOMAIN:
                    flags.append(f"-DNB_DOMAIN={DOMAIN[m]}")
                base = m[:-4] if m.endswith("_ext") else m
                for s in [base] + EXTRA_SOURCES.get(m, []):
                    jobs_[(m, s)] = pool.submit(compile_one, fl, os.path.join(tests, s + ".cpp"),
                                                os.path.join(fl.obj, m + "." + s + ".o"), flags, deps)
            status = {k: f.result() for k, f in jobs_.items()}
            logname = {("lib", s): "lib_" + s for s in LIB_SOURCES}
            logname[("inter", "inter_module")] = "inter_module"
            failed = sorted(logname.get(k, k[0] + "." + k[1]) for k, ok in status.items() if not ok)
            res = {"failed": failed, "modules": {}}
            lib = os.path.join(fl.obj, "libnanobind-static.a")
            lib_ok = all(status[("lib", s)] for s in LIB_SOURCES)
            if lib_ok:
                if os.path.exists(lib):
                    os.remove(lib)
                lib_ok = run_cmd(fl, "libnanobind-static", ["ar", "rcs", lib] +
                                 [os.path.join(fl.obj, "lib_" + s + ".o") for s in LIB_SOURCES])
            res["libnanobind"] = lib_ok
            inter_ok = False
            if need_inter and status[("inter", "inter_module")]:
                inter_ok = run_cmd(fl, "libinter_module", ["g++", "-shared", "-pthread",
                                                           os.path.join(fl.obj, "inter_module.o"),
                                                           "-o", os.path.join(fl.run, "libinter_module.so")])
            for m in mods:
                base = m[:-4]
                srcs = [base] + EXTRA_SOURCES.get(m, [])
                ok = lib_ok and all(status[(m, s)] for s in srcs)
                if ok:
                    objs = [os.path.join(fl.obj, m + "." + s + ".o") for s in srcs]
                    extra = []
                    if m in LINK_INTER_MODULE:
                        ok = inter_ok
                        extra = ["-L", fl.run, "-linter_module", "-Wl,-rpath,$ORIGIN"]
                    ok = ok and run_cmd(fl, m, ["g++", "-shared", "-pthread", *objs, lib, *extra,
                                                "-o", os.path.join(fl.run, m + fl.suffix)])
                res["modules"][m] = ok
            built[fl.name] = res
    return built


def populate_run_dir(src, fl):
    """Copies tests/ (Python files, references, pattern files) and stubgen.py into the run directory."""
    tests = os.path.join(src, "tests")
    for entry in os.listdir(tests):
        p = os.path.join(tests, entry)
        dst = os.path.join(fl.run, entry)
        if os.path.isdir(p):
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(p, dst)
        elif entry.endswith((".py", ".ref", ".nb")):
            shutil.copy2(p, dst)
    shutil.copy2(os.path.join(src, "src", "stubgen.py"), os.path.join(fl.run, "stubgen.py"))


def make_stubs(fl, built_mods, timeout):
    """Runs stubgen.py under the flavour's interpreter, as nanobind_add_stub() does. Returns failures."""
    interp = interpreter(fl.name)
    env = clean_env([fl.run])
    failures = {}
    jobs = [(m, args + ["-m", m, "-o", m + ".pyi"]) for m, args in STUBS.items()
            if m == "py_stub_test" or built_mods.get(m)]
    jobs += [(m, args + ["-r", "-m", m, "-O", m]) for m, args in RECURSIVE_STUBS.items()]
    for m, args in jobs:
        cmd = [interp, "stubgen.py", "-q", "-i", fl.run, *args]
        out = os.path.join(fl.run, m if m in RECURSIVE_STUBS else m + ".pyi")
        if os.path.isdir(out):
            for old in glob.glob(os.path.join(out, "**", "*.pyi"), recursive=True):
                os.remove(old)
        elif os.path.exists(out):
            os.remove(out)
        try:
            proc = subprocess.run(cmd, cwd=fl.run, env=env, capture_output=True, text=True, errors="replace",
                                  timeout=timeout)
            written = (glob.glob(os.path.join(out, "**", "*.pyi"), recursive=True) if os.path.isdir(out)
                       else os.path.exists(out))
            if proc.returncode != 0 and not written:
                how = death(proc.returncode)
                failures[m] = tail_lines(proc.stdout + proc.stderr, 4) + ([how] if how else [])
            elif proc.returncode != 0:
                # Written, then died at exit: NB_ABORT_ON_LEAK's abort() when nanobind finds leaks.
                log(f"  [{fl.name}] stubgen {m}: written, then exit {death(proc.returncode) or proc.returncode}")
        except subprocess.TimeoutExpired:
            failures[m] = ["timeout"]
    return failures


def interpreter(fl_name):
    return CPYEXT_BIN if fl_name == "cpyext" else CPYTHON


def clean_env(pythonpath, **extra):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath), PYTHONDONTWRITEBYTECODE="1", **extra)
    for k in ("PYTHONHOME", "_PYTHON_SYSCONFIGDATA_NAME"):
        env.pop(k, None)
    return env


def compiler_errors(path, limit=6):
    if not os.path.exists(path):
        return []
    lines = [l for l in open(path, errors="replace").read().splitlines() if ": error:" in l]
    out = []
    for l in lines:
        short = re.sub(r"^.*?/(include|tests|src)/", r"\1/", l)
        if short not in out:
            out.append(short)
    return out[:limit]


# ---------------------------------------------------------------- pytest site for cpyext



# ---------------------------------------------------------------- running

def pytest_once(interp, pythonpath, cwd, targets, jsonl, timeout, deselect=()):
    if os.path.exists(jsonl):
        os.remove(jsonl)
    env = clean_env(pythonpath, **{suite_records.RESULTS_ENV: jsonl})
    cmd = [interp, "-m", "pytest", "-p", "no:cacheprovider", "-p", suite_records.PLUGIN_MODULE, "--assert=plain",
           "-q", *[f"--deselect={d}" for d in deselect], *targets]
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                              errors="replace", timeout=timeout, start_new_session=True)
        rc, out = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as e:
        rc = "timeout"
        out = ""
        for part in (e.stdout, e.stderr):
            out += part.decode(errors="replace") if isinstance(part, bytes) else (part or "")
    records = []
    if os.path.exists(jsonl):
        for line in open(jsonl, encoding="utf-8", errors="replace"):
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
    return rc, out, records


def collect_ids(interp, pythonpath, cwd, target, timeout):
    """(test ids, how the process died or None)."""
    try:
        proc = subprocess.run([interp, "-m", "pytest", "-p", "no:cacheprovider", "--collect-only", "-q", target],
                              cwd=cwd, env=clean_env(pythonpath), capture_output=True, text=True,
                              errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        return [], "timeout"
    ids = [l.strip() for l in proc.stdout.splitlines() if "::" in l and not l.startswith(" ")]
    # A process that printed the ids and died at exit (NB_ABORT_ON_LEAK) did collect.
    return ids, None if ids else death(proc.returncode)


def leak_lines(text):
    return [l.strip() for l in text.splitlines() if "nanobind: leaked" in l or "nanobind:" in l][:6]


def run_file(interp, flavor, pythonpath, cwd, name, timeout, fallback_ids):
    """Runs NAME.py; survives crashes and hangs. Returns the file's result dict."""
    resdir = os.path.join(BUILD, "results", flavor)
    os.makedirs(resdir, exist_ok=True)
    jsonl = os.path.join(resdir, name + ".jsonl")
    target = name + ".py"
    crashed, deselect, notes = {}, [], []
    final = None
    for _ in range(25):
        rc, out, records = pytest_once(interp, pythonpath, cwd, [target], jsonl, timeout, deselect)
        how = death(rc)
        if how is None:
            final = (rc, out, records)
            break
        culprit = unfinished(records)
        if culprit is None:
            if any(r["event"] == "finish" for r in records):
                notes.append(f"process died after the session finished ({how}): "
                             + " | ".join(leak_lines(out) or tail_lines(out, 3)))
                final = (rc, out, records)
            else:
                notes.append(f"process died outside any test ({how}); each test run alone: "
                             + " | ".join(tail_lines(out, 3)))
            break
        crashed[culprit] = {"outcome": "crashed", "message": [how], "tail": tail_lines(out)}
        deselect.append(culprit)
    results, collect_errors = {}, []
    if final is not None:
        rc, out, records = final
        results = outcomes(records)
        collect_errors = [{"nodeid": r["nodeid"], "message": r["message"]} for r in records
                          if r["event"] == "collecterror"]
        if not records and rc not in (0, 1, 5):
            notes.append(f"pytest exit {rc}: " + " | ".join(tail_lines(out, 5)))
    else:
        ids, died = collect_ids(interp, pythonpath, cwd, target, timeout)
        ids = fallback_ids or ids
        if died:
            # The file cannot even be collected (its extension dies on import): one crash per test.
            for nid in ids:
                results[nid] = {"outcome": "crashed", "message": [f"collection died ({died})"],
                                "tail": tail_lines(out)}
            ids = []
        for nid in ids:
            rc, out, records = pytest_once(interp, pythonpath, cwd, [nid], jsonl, timeout)
            how = death(rc)
            got = outcomes(records).get(nid)
            if how and (got is None or unfinished(records)):
                results[nid] = {"outcome": "crashed", "message": [how], "tail": tail_lines(out)}
            elif got:
                results[nid] = got
    for nid, info in crashed.items():
        rc, out, records = pytest_once(interp, pythonpath, cwd, [nid], jsonl + ".alone", timeout)
        how = death(rc)
        got = outcomes(records).get(nid, {}).get("outcome")
        if how and got and any(r["event"] == "finish" for r in records):
            how = None  # finished, then died at exit (NB_ABORT_ON_LEAK)
        info["alone"] = how or got or f"exit {rc}"
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
        elif other["outcome"] != "passed":
            diffs.append((nid, other["outcome"] + (f" (alone: {other['alone']})" if "alone" in other else ""),
                          other["message"]))
    return diffs


def write_report(path, version, files, built, stubs, res):
    L = [f"# nanobind {version}: test suite under CPython 3.11 and cpyext", ""]
    for fl in ("cpython", "cpyext"):
        b = built.get(fl, {})
        if b.get("failed"):
            L.append(f"Not compiled for {fl}: " + ", ".join(b["failed"]))
            for n in b["failed"]:
                for e in compiler_errors(os.path.join(BUILD, fl, "logs", n + ".log")):
                    L.append(f"    {n}: {e}")
            L.append("")
        bad = [m for m, ok in b.get("modules", {}).items() if not ok]
        if bad:
            L += [f"Modules not built for {fl}: " + ", ".join(bad), ""]
        if stubs.get(fl):
            L.append(f"stubgen failed under {fl}:")
            for m, err in sorted(stubs[fl].items()):
                L.append(f"    {m}: " + " / ".join(err[-2:]))
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
    for name in files:
        for nid, what, msg in differences(res["cpython"][name], res["cpyext"][name]):
            L.append(f"- `{nid}`: {what}: " + " / ".join(m.strip()[:200] for m in msg[:3]))
    notes = [(fl, n, note) for fl in ("cpython", "cpyext") for n in files for note in res[fl][n]["notes"]]
    if notes:
        L += ["", "## Notes", ""] + [f"- {fl} {n}: {note}" for fl, n, note in notes]
    with open(path, "w") as f:
        f.write("\n".join(L) + "\n")
    return tot


def main(argv=None):
    global CPYEXT_BIN, CPYEXT_INCLUDE, BUILD
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--source", help="an unpacked nanobind source tree (with tests/ and ext/robin_map)")
    ap.add_argument("--sdist", help="a nanobind sdist tarball (default: nanobind %s from PyPI)" % NB_VERSION)
    ap.add_argument("-k", "--files", action="append", help="test files, comma separated (test_classes,test_stl)")
    ap.add_argument("--cpyext", default=None, help="the cpyext binary (default target/release/cpyext)")
    ap.add_argument("--include", default=None, help="the cpyext headers (default include/)")
    ap.add_argument("--build-dir", default=None, help="default tests/_build/nanobind")
    ap.add_argument("--jobs", type=int, default=2, help="parallel compiles (default 2)")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--no-build", action="store_true", help="use the modules and stubs already built")
    ap.add_argument("--only", choices=["cpython", "cpyext"], help="build and run for one interpreter only")
    ap.add_argument("--report-only", action="store_true", help="rewrite the report from the stored results")
    ap.add_argument("--timeout", type=int, default=600, help="seconds for one pytest process")
    ap.add_argument("--report", default=None)
    args = ap.parse_args(argv)
    CPYEXT_BIN = os.path.abspath(args.cpyext) if args.cpyext else CPYEXT_BIN
    CPYEXT_INCLUDE = os.path.abspath(args.include) if args.include else CPYEXT_INCLUDE
    BUILD = os.path.abspath(args.build_dir) if args.build_dir else BUILD
    report = args.report or os.path.join(BUILD, "report.md")
    os.makedirs(BUILD, exist_ok=True)

    src = prepare_source(args.source, args.sdist)
    version = nanobind_version(src)
    files = select_files(src, args.files)
    all_mods = extensions(src)
    mods = modules_for(files, all_mods)
    log(f"nanobind {version} from {src}; {len(files)} test files, {len(mods)} extensions")
    state = os.path.join(BUILD, "build.json")
    saved = json.load(open(state)) if os.path.exists(state) else {"built": {}, "stubs": {}}
    built, stubs = saved["built"], saved["stubs"]
    if not (args.no_build or args.report_only):
        fls = flavors(args.only)
        log("building (nice -n 10, %d at a time) ..." % args.jobs)
        built.update(build(src, mods, fls, args.jobs))
        for fl in fls:
            populate_run_dir(src, fl)
            if os.access(interpreter(fl.name), os.X_OK) or shutil.which(interpreter(fl.name)):
                stubs[fl.name] = make_stubs(fl, built[fl.name]["modules"], args.timeout)
            else:
                stubs[fl.name] = {"(all)": [f"{interpreter(fl.name)} not found: stubs not made"]}
            bad = [m for m, ok in built[fl.name]["modules"].items() if not ok]
            log(f"  [{fl.name}] libnanobind: {'ok' if built[fl.name]['libnanobind'] else 'FAILED'}; "
                f"not compiled: {built[fl.name]['failed'] or 'none'}; modules not built: {bad or 'none'}; "
                f"stubgen failures: {sorted(stubs[fl.name]) or 'none'}")
        with open(state, "w") as f:
            json.dump({"built": built, "stubs": stubs}, f, indent=1)
    if args.build_only:
        return 0

    site, plugins = suite_records.pytest_site(BUILD, CPYTHON), suite_records.plugin_dir(BUILD)
    runs = {fl: os.path.join(BUILD, fl, "run") for fl in ("cpython", "cpyext")}
    paths = {"cpython": [runs["cpython"], plugins], "cpyext": [runs["cpyext"], plugins, site]}
    interps = {"cpython": CPYTHON, "cpyext": CPYEXT_BIN}
    res = {"cpython": {}, "cpyext": {}}
    for name in files:
        for fl in ("cpython", "cpyext"):
            jpath = os.path.join(BUILD, "results", fl, name + ".json")
            if args.report_only or (args.only and args.only != fl):
                res[fl][name] = json.load(open(jpath)) if os.path.exists(jpath) else \
                    {"file": name, "tests": {}, "collect_errors": [], "notes": ["not run"]}
                continue
            fallback = list(res["cpython"][name]["tests"]) or None if fl == "cpyext" else None
            res[fl][name] = run_file(interps[fl], fl, paths[fl], runs[fl], name, args.timeout, fallback)
        c = {fl: counts(res[fl][name]) for fl in ("cpython", "cpyext")}
        log(f"{name}: cpython " + " ".join(f"{k}={v}" for k, v in c["cpython"].items() if v)
            + " | cpyext " + " ".join(f"{k}={v}" for k, v in c["cpyext"].items() if v))
        for nid, what, msg in ([] if args.only else differences(res["cpython"][name], res["cpyext"][name])):
            log(f"  DIFF {nid}: {what}: " + (msg[0].strip()[:160] if msg else ""))
    tot = write_report(report, version, files, built, stubs, res)
    for fl in ("cpython", "cpyext"):
        log(f"TOTAL {fl}: " + " ".join(f"{k}={v}" for k, v in tot[fl].items()))
    log(f"report: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
