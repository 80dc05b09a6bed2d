#!/usr/bin/env python3
"""Runs psycopg2 2.9.13's own test suite under CPython 3.11 and under cpyext, against PostgreSQL.

    bash tests/postgres/setup.sh && python3 tests/postgres/build.py    # once
    python3 tests/postgres/run_suite.py [-k SUBSTRING] [--only cpython|cpyext] [--timeout S]

The suite (the sdist's tests/) is a unittest suite: tests/__init__.py's
test_suite() collects every module's tests, and tests/testconfig.py reads
the connection settings from PSYCOPG2_TESTDB* (server.py's env()). It runs
from a copy of tests/ (never the source tree), with the built package on
PYTHONPATH, under a small runner (_work/suite-<interp>/suite_runner.py) that
records each test's outcome as it finishes. If the interpreter dies (a
crash) or hangs (--timeout) in the middle, the test it was running is
recorded as "crashed"/"timeout" and the run resumes after it.

Prints passed/failed/errors/skipped per interpreter and every test whose
outcome differs; writes _work/suite-<interp>/{suite.log,results.jsonl}.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import build  # noqa: E402
import server  # noqa: E402

RUNNER = r'''
"""Runs tests.test_suite() and appends one JSON line per test to RESULTS."""
import json, os, sys, traceback, unittest

results_path, progress_path = sys.argv[1], sys.argv[2]
after = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
pattern = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
out = open(results_path, "a")
progress = open(progress_path, "a")


def record(tid, status, msg=""):
    out.write(json.dumps({"id": tid, "status": status, "msg": msg}) + "\n")
    out.flush()


def short(err):
    exc = err[1]
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()
    return text[-1][:300] if text else type(exc).__name__


try:
    import tests
    suite = tests.test_suite()
except BaseException as e:  # noqa: BLE001  (tests/__init__ imports every module)
    record("tests::import", "error", "".join(traceback.format_exception_only(type(e), e)).strip()[:500])
    # one module at a time, without tests/__init__.py, so that one failing import does not hide the rest
    import importlib, types, warnings
    warnings.simplefilter("error")
    pkg = types.ModuleType("tests")
    pkg.__path__ = [os.path.abspath("tests")]
    sys.modules["tests"] = pkg
    suite = unittest.TestSuite()
    for name in sorted(os.listdir("tests")):
        if name.startswith("test_") and name.endswith(".py"):
            try:
                mod = importlib.import_module("tests." + name[:-3])
                suite.addTest(mod.test_suite() if hasattr(mod, "test_suite")
                              else unittest.defaultTestLoader.loadTestsFromModule(mod))
            except BaseException as e:  # noqa: BLE001
                record(f"tests.{name[:-3]}::import", "error",
                       "".join(traceback.format_exception_only(type(e), e)).strip()[:500])


def flat(s):
    for t in s:
        if isinstance(t, unittest.TestSuite):
            yield from flat(t)
        else:
            yield t


todo = list(flat(suite))
if pattern:
    todo = [t for t in todo if pattern in t.id()]
if after:
    ids = [t.id() for t in todo]
    todo = todo[ids.index(after) + 1:] if after in ids else todo


class Result(unittest.TestResult):
    def startTest(self, test):
        super().startTest(test)
        self._outcome_recorded = False
        progress.write(test.id() + "\n")
        progress.flush()

    def _rec(self, test, status, msg=""):
        if not getattr(self, "_outcome_recorded", False) or status in ("failed", "error"):
            record(test.id(), status, msg)
            self._outcome_recorded = True

    def addSuccess(self, test):
        super().addSuccess(test)
        self._rec(test, "passed")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._rec(test, "failed", short(err))

    def addError(self, test, err):
        super().addError(test, err)
        tid = test.id() if isinstance(test, unittest.TestCase) else str(test)
        if isinstance(test, unittest.TestCase):
            self._rec(test, "error", short(err))
        else:  # setUpClass / tearDownModule
            record(tid, "error", short(err))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._rec(test, "skipped", str(reason)[:200])

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._rec(test, "passed", "expected failure")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._rec(test, "failed", "unexpected success")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            status = "failed" if issubclass(err[0], test.failureException) else "error"
            self._rec(test, status, f"{subtest.id()}: {short(err)}")


unittest.TestSuite(todo).run(Result())
progress.write("## done\n")
progress.flush()
'''


def pythonpaths():
    return {"cpython": (sys.executable, [build.OUT["cpython"]]),
            "cpyext": (build.CPYEXT_BIN, [build.OUT["cpyext"]])}


def prepare_tests(tree, dest):
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(os.path.join(tree, "tests"), os.path.join(dest, "tests"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(os.path.join(dest, "suite_runner.py"), "w") as f:
        f.write(RUNNER)
    return dest


def read_results(path):
    tests, messages = {}, {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                r = json.loads(line)
                prev = tests.get(r["id"])
                # an error in tearDown after a pass or failure
                if prev and prev != r["status"] and r["status"] == "error":
                    r["status"] = prev + "+teardown-error" if prev == "passed" else "error"
                tests[r["id"]], messages[r["id"]] = r["status"], r["msg"]
    return tests, messages


def last_started(progress):
    if not os.path.exists(progress):
        return None
    with open(progress) as f:
        lines = [line.strip() for line in f if line.strip()]
    return lines[-1] if lines else None


def run_one(name, argv0, pythonpath, db, tree, timeout, pattern, max_restarts=2000):
    dest = prepare_tests(tree, os.path.join(build.WORK, f"suite-{name}"))
    results, progress, log = (os.path.join(dest, n) for n in ("results.jsonl", "progress.txt", "suite.log"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(pythonpath), PYTHONDONTWRITEBYTECODE="1", **db.env())
    for k in ("_PYTHON_SYSCONFIGDATA_NAME", "PYTHONHOME", "PSYCOPG2_TEST_FAST"):
        env.pop(k, None)
    after, rcs = "", []
    with open(log, "w") as logf:
        for _ in range(max_restarts + 1):
            cmd = [argv0, "suite_runner.py", results, progress, after, pattern or ""]
            logf.write(f"$ {' '.join(cmd)}\n")
            logf.flush()
            try:
                proc = subprocess.run(cmd, cwd=dest, env=env, stdout=logf, stderr=subprocess.STDOUT, timeout=timeout)
                rc = proc.returncode
            except subprocess.TimeoutExpired:
                rc = "timeout"
            rcs.append(rc)
            last = last_started(progress)
            if last == "## done":
                break
            if last is None or last == after:  # died before starting any test
                break
            done, _ = read_results(results)
            if last not in done:
                status = "timeout" if rc == "timeout" else "crashed"
                how = f"after {timeout} s" if rc == "timeout" else f"exit {rc}" + (
                    f" (signal {-rc})" if isinstance(rc, int) and rc < 0 else "")
                with open(results, "a") as f:
                    f.write(json.dumps({"id": last, "status": status, "msg": how}) + "\n")
                logf.write(f"\n### {last}: {status} ({how}); resuming after it\n")
            after = last
            # when the resumed run starts, the progress file goes on from here
    tests, messages = read_results(results)
    with open(log, errors="replace") as f:
        tail = f.read()[-3000:]
    return {"rc": rcs, "tests": tests, "messages": messages, "tail": tail}


def exits(rcs):
    """'0' or e.g. '180 x -11, 1 x 0' (one exit status per run; a crash restarts the run)."""
    seen = {}
    for rc in rcs:
        seen[rc] = seen.get(rc, 0) + 1
    return ", ".join(f"{n} x {rc}" if n > 1 else str(rc) for rc, n in seen.items())


def count(tests):
    c = {"passed": 0, "failed": 0, "error": 0, "skipped": 0, "crashed": 0, "timeout": 0}
    for s in tests.values():
        base = s.split("+")[0]
        c[base] = c.get(base, 0) + 1
        if s.endswith("+teardown-error"):
            c["error"] += 1
    return c


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser()
    ap.add_argument("-k", help="run only the tests whose id contains this")
    ap.add_argument("--timeout", type=float, default=900, help="per interpreter run (resumed after a hang)")
    ap.add_argument("--only", choices=["cpython", "cpyext"], action="append")
    args = ap.parse_args(argv)
    reason = server.available()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    if build.main(["--quiet"]) != 0:
        print("the builds failed; see tests/postgres/_work/build-*.log", file=sys.stderr)
        return 2
    tree = os.path.join(build.WORK, f"psycopg2-{build.VERSION}")
    if not os.path.isdir(tree):
        subprocess.run(["tar", "xzf", build.sdist_path(), "-C", build.WORK], check=True)
    interps = pythonpaths()
    results = {}
    with server.PostgreSQL() as db:
        for name in args.only or ["cpython", "cpyext"]:
            argv0, path = interps[name]
            print(f"--- running the suite under {name} ...", flush=True)
            results[name] = run_one(name, argv0, path, db, tree, args.timeout, args.k)
            r = results[name]
            if not r["tests"]:
                print(f"no results from {name} (exit {r['rc']}):\n{r['tail']}")

    print()
    cols = ("passed", "failed", "error", "skipped", "crashed", "timeout")
    print(f"{'interpreter':<12} " + " ".join(f"{c:>8}" for c in cols) + "  exits")
    for name, r in results.items():
        c = count(r["tests"])
        print(f"{name:<12} " + " ".join(f"{c[k]:>8}" for k in cols) + f"  {exits(r['rc'])}")
    if len(results) == 2:
        a, b = results["cpython"], results["cpyext"]
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
    print(f"\nlogs: {os.path.relpath(build.WORK, os.getcwd())}/suite-*/suite.log, results.jsonl")
    ok = all(r["tests"] for r in results.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
