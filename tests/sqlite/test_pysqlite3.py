"""pysqlite3 0.6.1 built against our headers, compared with the same source
built for CPython 3.11: the end-to-end checks print the same, and CPython's
own sqlite3 test suite has the same per-test outcomes (run_suite.py)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import run_suite  # noqa: E402

CPYEXT = run_suite.CPYEXT_BIN


@pytest.fixture(scope="module")
def builds():
    if not os.path.exists("/usr/include/sqlite3.h"):
        pytest.skip("libsqlite3-dev is not installed (tests/setup.sh installs it)")
    try:
        sdist = run_suite.fetch_sdist(Path.home() / ".cache/cpyext-compat/sdists")
    except subprocess.CalledProcessError:
        pytest.skip("the pysqlite3 0.6.1 sdist could not be downloaded")
    work = run_suite.WORK_DEFAULT
    out = {"cpython": work / "build-cpython", "cpyext": work / "build-cpyext"}
    for flavor, path in out.items():
        if path.exists():
            shutil.rmtree(path)  # always against the current headers and binary
        run_suite.build(sdist, flavor, path, CPYEXT)
    return out


def test_end_to_end_checks_print_as_on_cpython(builds):
    script = str(HERE / "sqlite_checks.py")
    outputs = {}
    for flavor, interpreter in (("cpython", run_suite.oracle()), ("cpyext", str(CPYEXT))):
        run = subprocess.run([interpreter, script], env=dict(os.environ, PYTHONPATH=str(builds[flavor])),
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, f"{flavor}:\n{run.stdout}\n{run.stderr}"
        outputs[flavor] = run.stdout
    assert outputs["cpython"].rstrip().endswith("DONE")
    assert outputs["cpyext"] == outputs["cpython"]


def test_cpython_sqlite3_suite_has_the_same_outcomes(builds):
    has_suite = subprocess.run([run_suite.oracle(), "-c", "import test.test_sqlite3"], capture_output=True)
    if has_suite.returncode != 0 and b"No module named 'test.test_sqlite3'" in has_suite.stderr:
        pytest.skip("this CPython 3.11 has no test.test_sqlite3")
    run = subprocess.run([sys.executable, str(HERE / "run_suite.py"), "--work", str(run_suite.WORK_DEFAULT)],
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout + run.stderr
    counts = dict(line.split(None, 1) for line in run.stdout.splitlines()[:2])
    assert "pass 3" in counts["cpyext"], run.stdout  # hundreds of tests ran, not a loader failure


STDLIB_AND_PACKAGE = """
import sqlite3
import pysqlite3.dbapi2 as packaged
cx = sqlite3.connect(":memory:")
cx.execute("create table t(a, b)")
cx.executemany("insert into t values (?, ?)", [(1, "x"), (2, None), (3, 2.5)])
print(cx.execute("select a, b from t order by a").fetchall())
print(cx.execute("select count(*), sum(a) from t").fetchone())
cx.row_factory = sqlite3.Row
print(dict(cx.execute("select a, b from t where a = 1").fetchone()))
# The package keeps the SQLite it was linked against (Debian's) beside the
# one the standard module uses.
print(packaged.sqlite_version, packaged.connect(":memory:").execute("select 6 * 7").fetchone())
"""


def test_standard_sqlite3_module_works_beside_pysqlite3(builds):
    outputs = {}
    for flavor, interpreter in (("cpython", run_suite.oracle()), ("cpyext", str(CPYEXT))):
        run = subprocess.run([interpreter, "-c", STDLIB_AND_PACKAGE], env=dict(os.environ, PYTHONPATH=str(builds[flavor])),
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, f"{flavor}:\n{run.stdout}\n{run.stderr}"
        outputs[flavor] = run.stdout
    assert "[(1, 'x'), (2, None), (3, 2.5)]" in outputs["cpython"]
    assert outputs["cpyext"] == outputs["cpython"]
