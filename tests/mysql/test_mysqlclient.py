"""mysqlclient 2.3.1 (MySQLdb) under cpyext, against a throw-away MariaDB server.

Runs under the host's pytest (CPython 3.11), which drives cpyext as a
subprocess. Skips when mariadb-server or the mysqlclient sdist is missing
(bash tests/mysql/setup.sh installs both). Each section of
mysqldb_checks.py runs under cpyext and under CPython 3.11 (with the package
built for each), and the outputs must be equal; some results are also checked
directly.
"""
import importlib.util
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "compat"))
import driver_checks  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


def _load(name, filename):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, filename))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mysql_server = _load("mysql_test_server", "server.py")
mysql_build = _load("mysql_test_build", "build.py")
CHECKS = os.path.join(HERE, "mysqldb_checks.py")


@pytest.fixture(scope="module")
def builds():
    reason = mysql_server.available()
    if reason:
        pytest.skip(reason)
    if not mysql_build.sdist_path():
        pytest.skip(f"no mysqlclient-{mysql_build.VERSION} sdist (bash tests/mysql/setup.sh downloads it)")
    if not os.path.exists(mysql_build.CPYEXT_BIN):
        pytest.skip(f"no cpyext binary at {mysql_build.CPYEXT_BIN}")
    if mysql_build.main(["--quiet"]) != 0:
        pytest.fail("building mysqlclient failed; see tests/mysql/_work/build-*.log")
    return {"cpyext": ([mysql_build.CPYEXT_BIN], mysql_build.OUT["cpyext"]),
            "cpython": ([sys.executable], mysql_build.OUT["cpython"])}


@pytest.fixture(scope="module")
def db(builds):
    try:
        server = mysql_server.MariaDB().start()
    except RuntimeError as e:
        pytest.skip(f"MariaDB could not be started here: {e}")
    yield server
    server.stop()


def both(builds, db, section):
    return driver_checks.both(builds, CHECKS, db, section)


def lines_with(output, prefix):
    return [line for line in output.splitlines() if line.startswith(prefix)]


def test_import(builds):
    argv, path = builds["cpyext"]
    proc = subprocess.run([*argv, "-c", "import MySQLdb, MySQLdb._mysql as m; print(MySQLdb.version_info[:3], "
                                        "m.__file__.rsplit('.', 2)[-2])"],
                          env=dict(os.environ, PYTHONPATH=path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "(2, 3, 1) cpyext-311-x86_64-linux-gnu"


def test_connect(builds, db):
    out = both(builds, db, "connect")
    assert "select ('mysqldb_test', 1)" in out
    assert "unix socket ((42,),)" in out
    assert "after close: OperationalError" in out


def test_cursors(builds, db):
    out = both(builds, db, "cursors")
    assert "DictCursor {'id': 0, 'name': 'n0', 'v': 0.0}" in out
    assert "SSCursor iter sum 1225" in out


def test_escaping(builds, db):
    out = both(builds, db, "escaping")
    assert "roundtrip True 8" in out


def test_types(builds, db):
    out = both(builds, db, "types")
    assert "Decimal('12345678901234.123456')" in out
    assert "datetime.datetime(2024, 2, 29, 23, 59, 58, 123456)" in out
    assert "blob equal True" in out and "roundtrip equal True" in out and "astral True" in out
    assert "nulls (None, 0, None, None)" in out


def test_transactions(builds, db):
    out = both(builds, db, "transactions")
    assert "after rollback ((1,),)" in out
    assert "other after commit ((1,), (3,))" in out


def test_errors(builds, db):
    out = both(builds, db, "errors")
    assert "bad password OperationalError 1045 True" in out
    assert "ProgrammingError 1064" in out and "ProgrammingError 1146" in out


def test_threads_release_the_gil(builds, db):
    """4 threads x SELECT SLEEP(0.5) finish in well under 2 s only if the GIL is released while waiting."""
    out = both(builds, db, "threads")
    timing = lines_with(out, "# 4 x SLEEP")
    assert "concurrent True" in out, timing


def test_threads_hammer(builds, db):
    """8 threads, each connecting and running 200 small queries at the same time."""
    out = both(builds, db, "threads_hammer")
    assert "hammer [(0, 19900)," in out
