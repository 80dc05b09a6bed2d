"""CPython 3.11's own sqlite3 test suite, run against pysqlite3 under CPython
3.11 and under cpyext, with the per-test outcomes compared.

    python3 tests/sqlite/run_suite.py [--sdist PATH] [--work DIR]

pysqlite3 is built twice from one sdist by tests/compat/build_ext.py: once
for CPython, once against our headers. The suite's files come from the
installed CPython 3.11 at run time; none of them is kept in this repo.
A test that kills the interpreter is recorded as "crash", and the run goes on
in a new process. The exit status is 0 when every test has the same outcome
under both interpreters, apart from those listed in known_differences.txt.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
# The binary under test, as everywhere in tests/ (harness.CPYEXT_BIN).
CPYEXT_BIN = Path(os.environ.get("CPYEXT_BIN", REPO / "target/release/cpyext"))
PYSQLITE3 = "pysqlite3==0.6.1"
CPYTHON = os.environ.get("CPYEXT_ORACLE", "python3.11")
WORK_DEFAULT = Path(tempfile.gettempdir()) / "cpyext-sqlite-suite"


def oracle():
    return shutil.which(CPYTHON) or sys.executable


def fetch_sdist(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob("pysqlite3-0.6.1.tar.gz"))
    if not found:
        subprocess.run([oracle(), "-m", "pip", "download", "-q", "--no-deps",
                        "--no-binary", ":all:", PYSQLITE3, "-d", str(cache)], check=True)
        found = sorted(cache.glob("pysqlite3-0.6.1.tar.gz"))
    return found[0]


def build(sdist: Path, flavor: str, out: Path, cpyext: Path):
    if (out / "pysqlite3").is_dir():
        return
    subprocess.run([oracle(), str(REPO / "tests/compat/build_ext.py"), str(sdist),
                    "--flavor", flavor, "--out", str(out), "--cpyext", str(cpyext)],
                   check=True, stdout=subprocess.DEVNULL)


def copy_suite(dest: Path):
    """The `test` package's __init__, `test.support` and `test.test_sqlite3`."""
    src = Path(subprocess.run([oracle(), "-c", "import test, os; print(os.path.dirname(test.__file__))"],
                              check=True, capture_output=True, text=True).stdout.strip())
    if not (src / "test_sqlite3").is_dir():
        sys.exit(f"{src} has no test_sqlite3: install CPython 3.11's test suite")
    pkg = dest / "test"
    if pkg.exists():
        shutil.rmtree(pkg)
    pkg.mkdir(parents=True)
    shutil.copy(src / "__init__.py", pkg)
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(src / "support", pkg / "support", ignore=ignore)
    shutil.copytree(src / "test_sqlite3", pkg / "test_sqlite3", ignore=ignore)
    # Some tests run `import sqlite3` in a child interpreter. This module,
    # first on the child's path, makes the stdlib's sqlite3 package run on
    # pysqlite3's C module there too.
    (dest / "_sqlite3.py").write_text("from pysqlite3._sqlite3 import *  # noqa: F401,F403\n")


def run_under(interpreter: list, build_dir: Path, suite_dir: Path, work: Path, timeout: int):
    """Runs the worker until every test has an outcome; returns {test id: outcome}."""
    log = work / "outcomes.txt"
    done = work / "done.txt"
    log.write_text("")
    done.write_text("")
    outcomes = {}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(suite_dir), str(build_dir)]))
    cwd = tempfile.mkdtemp(dir=work)  # the suite writes TESTFN files here
    for _ in range(200):
        try:
            proc = subprocess.run(interpreter + [str(HERE / "suite_worker.py"), str(log), str(done)],
                                  env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
            status = proc.returncode
            stderr = proc.stderr
        except subprocess.TimeoutExpired:
            status, stderr = "timeout", ""
        started = None
        for line in log.read_text().splitlines():
            kind, test_id = line.split("\t", 1)
            if kind == "START":
                started = test_id
            else:
                outcomes[test_id] = kind
                started = None if started == test_id else started
        if status == 0 and started is None:
            break
        if started is None:
            # Died outside any test: nothing more can be attributed.
            outcomes["<worker>"] = f"crash (exit {status}): {stderr.strip()[-300:]}"
            break
        outcomes[started] = "crash" if status != "timeout" else "timeout"
        with open(log, "a") as f:
            f.write(f"{outcomes[started]}\t{started}\n")
        done.write_text("\n".join(outcomes) + "\n")
    return outcomes


def known_differences():
    path = HERE / "known_differences.txt"
    known = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        line = line.strip()
        if line and not line.startswith("#"):
            test_id, _, reason = line.partition(" ")
            known[test_id] = reason.strip()
    return known


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sdist", type=Path)
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache/cpyext-compat/sdists")
    parser.add_argument("--work", type=Path, default=WORK_DEFAULT)
    parser.add_argument("--cpyext", type=Path, default=CPYEXT_BIN)
    parser.add_argument("--timeout", type=int, default=900)
    parser.add_argument("--json", type=Path, help="write the outcomes here")
    args = parser.parse_args()

    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    sdist = args.sdist or fetch_sdist(args.cache)
    builds = {"cpython": work / "build-cpython", "cpyext": work / "build-cpyext"}
    for flavor, out in builds.items():
        build(sdist, flavor, out, args.cpyext)
    suite_dir = work / "suite"
    copy_suite(suite_dir)

    results = {}
    for name, interpreter in (("cpython", [oracle()]), ("cpyext", [str(args.cpyext)])):
        run_dir = work / f"run-{name}"
        run_dir.mkdir(exist_ok=True)
        results[name] = run_under(interpreter, builds[name], suite_dir, run_dir, args.timeout)

    known = known_differences()
    differing, explained = [], []
    for test_id in sorted(set(results["cpython"]) | set(results["cpyext"])):
        a = results["cpython"].get(test_id, "absent")
        b = results["cpyext"].get(test_id, "absent")
        if a != b:
            (explained if test_id in known else differing).append((test_id, a, b))

    for name, outcomes in results.items():
        counts = {}
        for kind in outcomes.values():
            counts[kind] = counts.get(kind, 0) + 1
        print(f"{name:8} " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for test_id, a, b in explained:
        print(f"known    {test_id}: CPython {a}, cpyext {b} ({known[test_id]})")
    for test_id, a, b in differing:
        print(f"DIFFERS  {test_id}: CPython {a}, cpyext {b}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True))
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
