#!/usr/bin/env python3
"""Builds mysqlclient 2.3.1 (MySQLdb) twice, for cpyext and for CPython 3.11
(tests/compat/driver_build.py says what goes where).

    python3 tests/mysql/build.py [--force] [--quiet]

The work directory is tests/mysql/_work/, or $MYSQL_TEST_WORK.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "compat"))
from driver_build import CPYEXT_BIN, DriverBuild  # noqa: E402

WORK = os.path.abspath(os.environ.get("MYSQL_TEST_WORK", os.path.join(HERE, "_work")))
VERSION = "2.3.1"
BUILD = DriverBuild(WORK, f"mysqlclient-{VERSION}", ("MySQLdb", "_mysql"), "bash tests/mysql/setup.sh")
OUT = BUILD.out
sdist_path = BUILD.sdist_path
main = BUILD.main
__all__ = ["CPYEXT_BIN", "WORK", "VERSION", "OUT", "sdist_path", "main"]

if __name__ == "__main__":
    sys.exit(main())
