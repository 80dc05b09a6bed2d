#!/usr/bin/env python3
"""Runs mysqlclient 2.3.1's own test suite under CPython 3.11 and under cpyext, against MariaDB.

    bash tests/mysql/setup.sh && python3 tests/mysql/build.py    # once
    python3 tests/mysql/run_suite.py [-k EXPR] [--timeout S] [PYTEST_ARGS after --]

The suite (the sdist's tests/) reads its connection settings from the option
file named by $TESTDB (group [MySQLdb-tests]; tests/configdb.py), which
server.py writes for the throw-away server it starts. The tests run from a
copy of tests/ (never the source tree), with the built package on PYTHONPATH:
  CPython 3.11: python3 (a cached venv with pytest, tests/compat/run.py's) + build-cpython/
  cpyext:       target/release/cpyext + build-cpyext/ + a directory with pytest
                that pip running on cpyext filled (tests/compat/run.py's helper)
Prints passed/failed/errors/skipped per interpreter and every test whose
outcome differs; writes _work/suite-<interp>/{pytest.log,junit.xml}.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402
import server  # noqa: E402

sys.path.insert(0, os.path.join(build.ROOT, "tests", "compat"))
import run as compat_run  # noqa: E402


def pytest_interpreters():
    """{name: (argv0, extra PYTHONPATH entries)}"""
    cache = compat_run.build_ext.CACHE
    cpython = compat_run.cpython_test_python([], cache, offline=False)
    site = compat_run.cpyext_test_site([], cache, offline=False, cpyext_bin=build.CPYEXT_BIN)
    return {"cpython": (cpython, [build.OUT["cpython"]]),
            "cpyext": (build.CPYEXT_BIN, [build.OUT["cpyext"], site])}


def prepare_tests(tree, dest):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(tree, "tests"), os.path.join(dest, "tests"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def outcomes(junit):
    """{test id: 'passed'|'failed'|'error'|'skipped'} and {test id: message}."""
    result, messages = {}, {}
    root = ET.parse(junit).getroot()
    for case in root.iter("testcase"):
        tid = f"{case.get('classname')}::{case.get('name')}"
        status, msg = "passed", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                status = {"failure": "failed", "error": "error", "skipped": "skipped"}[child.tag]
                msg = (child.get("message") or "").strip().splitlines()[0:1]
                msg = msg[0][:200] if msg else ""
                break
        if status == "error" and tid in result:  # an error in teardown after a pass/fail
            status = result[tid] + "+teardown-error"
        result[tid], messages[tid] = status, msg
    return result, messages


def run_one(name, argv0, pythonpath, db, tree, timeout, extra):
    dest = os.path.join(build.WORK, f"suite-{name}")
    prepare_tests(tree, dest)
    junit = os.path.join(dest, "junit.xml")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath), PYTHONDONTWRITEBYTECODE="1", **db.env())
    for k in ("_PYTHON_SYSCONFIGDATA_NAME", "PYTHONHOME"):
        env.pop(k, None)
    cmd = [argv0, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rfEs", "--continue-on-collection-errors",
           f"--junitxml={junit}", "tests", *extra]
    t0 = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True, timeout=timeout)
        rc, out = proc.returncode, proc.stdout + proc.stderr
    except subprocess.TimeoutExpired as e:
        rc, out = "timeout", (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
    elapsed = time.monotonic() - t0
    with open(os.path.join(dest, "pytest.log"), "w") as f:
        f.write(out)
    if not os.path.exists(junit):
        return {"rc": rc, "elapsed": elapsed, "tests": {}, "messages": {}, "tail": out[-3000:]}
    tests, messages = outcomes(junit)
    return {"rc": rc, "elapsed": elapsed, "tests": tests, "messages": messages, "tail": out[-3000:]}


def count(tests):
    c = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    for s in tests.values():
        base = s.split("+")[0]
        c[base] = c.get(base, 0) + 1
        if s.endswith("+teardown-error"):
            c["error"] += 1
    return c


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", help="pytest -k expression")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--only", choices=["cpython", "cpyext"], action="append")
    args = ap.parse_args(argv)
    if args.k:
        extra += ["-k", args.k]
    reason = server.available()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    if build.main(["--quiet"]) != 0:
        print("the builds failed; see tests/mysql/_work/build-*.log", file=sys.stderr)
        return 2
    tree = os.path.join(build.WORK, f"mysqlclient-{build.VERSION}")
    if not os.path.isdir(tree):
        subprocess.run(["tar", "xzf", build.sdist_path(), "-C", build.WORK], check=True)
    interps = pytest_interpreters()
    results = {}
    with server.MariaDB() as db:
        for name in args.only or ["cpython", "cpyext"]:
            argv0, path = interps[name]
            print(f"--- running the suite under {name} ...", flush=True)
            results[name] = run_one(name, argv0, path, db, tree, args.timeout, extra)
            r = results[name]
            if not r["tests"]:
                print(f"no results from {name} (exit {r['rc']}):\n{r['tail']}")

    print()
    print(f"{'interpreter':<12} {'passed':>7} {'failed':>7} {'errors':>7} {'skipped':>8} {'time':>8}  exit")
    for name, r in results.items():
        c = count(r["tests"])
        print(f"{name:<12} {c['passed']:>7} {c['failed']:>7} {c['error']:>7} {c['skipped']:>8} "
              f"{r['elapsed']:>7.1f}s  {r['rc']}")
    if len(results) == 2:
        a, b = results["cpython"], results["cpyext"]
        # RustPython's compile() of an AST turns a lone surrogate constant into U+FFFD (FINDINGS.md),
        # and pytest compiles test modules from their (rewritten) AST: "\ud800" parameters get other ids.
        renamed = {t: t.replace("\\ufffd", "\\ud800") for t in b["tests"] if "\\ufffd" in t}
        for old, new in renamed.items():
            if new in a["tests"] and new not in b["tests"]:
                b["tests"][new] = b["tests"].pop(old)
                b["messages"][new] = b["messages"].pop(old, "")
                print(f"note: cpyext's test id {old} is CPython's {new} (RustPython compile() and surrogates)")
        ids = sorted(set(a["tests"]) | set(b["tests"]))
        diffs = [(t, a["tests"].get(t, "absent"), b["tests"].get(t, "absent")) for t in ids
                 if a["tests"].get(t, "absent") != b["tests"].get(t, "absent")]
        print()
        if not diffs:
            print("no per-test differences between CPython 3.11 and cpyext")
        else:
            print(f"{len(diffs)} tests differ (CPython 3.11 -> cpyext):")
            for t, x, y in diffs:
                msg = b["messages"].get(t) or a["messages"].get(t) or ""
                print(f"  {t}: {x} -> {y}" + (f"   [{msg}]" if msg else ""))
    for name, r in results.items():
        bad = [(t, s) for t, s in r["tests"].items() if s not in ("passed", "skipped")]
        if bad:
            print(f"\nnot passing under {name}:")
            for t, s in sorted(bad):
                print(f"  {t}: {s}   [{r['messages'].get(t, '')}]")
    print(f"\nlogs: {os.path.relpath(build.WORK, os.getcwd())}/suite-*/pytest.log")
    ok = all(r["tests"] for r in results.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
