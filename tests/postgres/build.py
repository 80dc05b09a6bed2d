#!/usr/bin/env python3
"""Builds psycopg2 2.9.13 twice, for cpyext and for CPython 3.11
(tests/compat/driver_build.py says what goes where).

    python3 tests/postgres/build.py [--force] [--quiet]

The work directory is tests/postgres/_work/, or $POSTGRES_TEST_WORK.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "compat"))
from driver_build import CPYEXT_BIN, DriverBuild  # noqa: E402

WORK = os.path.abspath(os.environ.get("POSTGRES_TEST_WORK", os.path.join(HERE, "_work")))
VERSION = "2.9.13"
BUILD = DriverBuild(WORK, f"psycopg2-{VERSION}", ("psycopg2", "_psycopg"), "bash tests/postgres/setup.sh")
OUT = BUILD.out
sdist_path = BUILD.sdist_path
main = BUILD.main
__all__ = ["CPYEXT_BIN", "WORK", "VERSION", "OUT", "sdist_path", "main"]

if __name__ == "__main__":
    sys.exit(main())
