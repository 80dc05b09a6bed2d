"""Runs a database driver's check script (tests/mysql/mysqldb_checks.py,
tests/postgres/psycopg2_checks.py) under CPython 3.11 and under cpyext,
each with the driver built for it, and compares what they print. Shared by
the drivers' pytest files."""
import os
import subprocess


def run_checks(build, checks, db, *sections, timeout=300):
    """Runs `checks` with `sections` as arguments; `build` is (argv, PYTHONPATH)."""
    argv, path = build
    env = dict(os.environ, PYTHONPATH=path, PYTHONDONTWRITEBYTECODE="1", **db.env())
    env.pop("_PYTHON_SYSCONFIGDATA_NAME", None)
    # -u: what was printed before a crash is kept.
    return subprocess.run([*argv, "-u", checks, *sections], env=env, capture_output=True, text=True, timeout=timeout)


def compared(output):
    """The lines both interpreters must print alike (`#` lines are notes)."""
    return [line for line in output.splitlines() if not line.startswith("#")]


def describe_exit(proc):
    rc = proc.returncode
    how = f"killed by signal {-rc}" if rc < 0 else f"exit {rc}"
    return f"{how}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


def both(builds, checks, db, section, timeout=300):
    """cpyext's output of one section, after checking it equals CPython's."""
    ref = run_checks(builds["cpython"], checks, db, section, timeout=timeout)
    assert ref.returncode == 0, f"CPython 3.11 itself failed:\n{ref.stdout}\n{ref.stderr}"
    got = run_checks(builds["cpyext"], checks, db, section, timeout=timeout)
    assert got.returncode == 0, f"cpyext {describe_exit(got)}"
    assert compared(got.stdout) == compared(ref.stdout)
    return got.stdout
