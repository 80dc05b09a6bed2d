"""psycopg2 2.9.13 under cpyext, against a throw-away PostgreSQL server.

Runs under the host's pytest (CPython 3.11), which drives cpyext as a
subprocess. Skips when postgresql, libpq (pg_config) or the psycopg2 sdist
is missing (bash tests/postgres/setup.sh installs them). Each section of
psycopg2_checks.py runs under cpyext and under CPython 3.11 (with the package
built for each), and the outputs must be equal; some results are also
checked directly.
"""
import importlib.util
import os
import shutil
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


pg_server = _load("postgres_test_server", "server.py")
pg_build = _load("postgres_test_build", "build.py")
CHECKS = os.path.join(HERE, "psycopg2_checks.py")
SECTIONS = ["connect", "queries", "types", "fetch", "copy", "named_cursor", "notices", "errors", "transactions",
            "async", "threads", "threads_hammer"]


@pytest.fixture(scope="module")
def builds():
    reason = pg_server.available()
    if reason:
        pytest.skip(reason)
    if not shutil.which("pg_config") and not os.path.exists("/usr/include/postgresql/libpq-fe.h"):
        pytest.skip("no libpq headers / pg_config (bash tests/postgres/setup.sh installs libpq-dev)")
    if not pg_build.sdist_path():
        pytest.skip(f"no psycopg2-{pg_build.VERSION} sdist (bash tests/postgres/setup.sh downloads it)")
    if not os.path.exists(pg_build.CPYEXT_BIN):
        pytest.skip(f"no cpyext binary at {pg_build.CPYEXT_BIN}")
    if pg_build.main(["--quiet"]) != 0:
        pytest.fail("building psycopg2 failed; see tests/postgres/_work/build-*.log")
    return {"cpyext": ([pg_build.CPYEXT_BIN], pg_build.OUT["cpyext"]),
            "cpython": ([sys.executable], pg_build.OUT["cpython"])}


@pytest.fixture(scope="module")
def db(builds):
    try:
        server = pg_server.PostgreSQL().start()
    except RuntimeError as e:
        pytest.skip(f"PostgreSQL could not be started here: {e}")
    yield server
    server.stop()


def both(builds, db, section):
    return driver_checks.both(builds, CHECKS, db, section)


def test_import(builds):
    argv, path = builds["cpyext"]
    proc = subprocess.run([*argv, "-c", "import psycopg2, psycopg2.extras, psycopg2._psycopg as m; "
                                        "print(psycopg2.__version__.split()[0], m.__file__.rsplit('.', 2)[-2])"],
                          env=dict(os.environ, PYTHONPATH=path), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "2.9.13 cpyext-311-x86_64-linux-gnu"


def test_connect(builds, db):
    out = both(builds, db, "connect")
    assert "select ('psycopg2_test', 'postgres', 2)" in out
    assert "unix socket [(42,)]" in out
    assert "after close: InterfaceError connection already closed" in out


def test_queries(builds, db):
    out = both(builds, db, "queries")
    assert "aggregate (70, 2415, 'b60', 88.5)" in out
    assert "callproc (42,)" in out


def test_types(builds, db):
    out = both(builds, db, "types")
    assert "str ('str', 'héllo wörld ☃ 𝄞 日本語')" in out
    assert "datetime tz ('datetime', datetime.datetime(2024, 2, 29, 21, 59, 58, 5, tzinfo=datetime.timezone.utc))" in out
    assert "uuid ('UUID', UUID('12345678-1234-5678-1234-567812345678'))" in out
    assert "bytes big equal True" in out and "roundtrip bytes equal True" in out


def test_fetch(builds, db):
    out = both(builds, db, "fetch")
    assert "fetchmany [(1, 'n1'), (2, 'n2'), (3, 'n3')]" in out
    assert "NamedTupleCursor (0, 'n0', 'Record', ('id', 'name'), Record(id=2, name='n2'))" in out


def test_copy(builds, db):
    out = both(builds, db, "copy")
    assert "copy_from rowcount 101" in out and "count (103, 5451, 101)" in out


def test_named_cursor(builds, db):
    out = both(builds, db, "named_cursor")
    assert "withhold after commit [(0,), (1,), (2,), (3,), (4,)]" in out


def test_notices(builds, db):
    out = both(builds, db, "notices")
    assert "notices ['NOTICE:  hello 42\\n', 'WARNING:  careful: ü\\n']" in out
    assert "notifies [('chan', 'payload ü', True), ('chan', 'second', True)]" in out


def test_errors(builds, db):
    out = both(builds, db, "errors")
    assert "UniqueViolation True 23505" in out
    assert "in failed transaction InFailedSqlTransaction 25P02 3" in out


def test_transactions(builds, db):
    out = both(builds, db, "transactions")
    assert "after rollback [(1,)]" in out
    assert "readonly ReadOnlySqlTransaction 25006" in out


def test_async(builds, db):
    out = both(builds, db, "async")
    assert "result (42, 'async ü', '') executing False" in out
    assert "multiplexed [(0, 0), (1, 10), (2, 20)]" in out


def test_threads_release_the_gil(builds, db):
    """Two threads x SELECT pg_sleep(1) overlap only if the GIL is released while libpq waits."""
    out = both(builds, db, "threads")
    assert "overlap True" in out


def test_threads_hammer(builds, db):
    """Six threads, each connecting and running 150 small queries at the same time."""
    out = both(builds, db, "threads_hammer")
    assert "errors []" in out
