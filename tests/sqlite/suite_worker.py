"""Runs CPython 3.11's sqlite3 test suite against pysqlite3, in one process.

Started by run_suite.py under either interpreter. Each test's outcome is
appended to a file as soon as it is known, and a test's id is written before
it starts, so the parent can name the test that killed the process.
"""
import sys
import types
import unittest

import pysqlite3
import pysqlite3.dbapi2

# The suite imports `sqlite3`; point it at pysqlite3, the module under test.
sys.modules["sqlite3"] = pysqlite3
sys.modules["sqlite3.dbapi2"] = pysqlite3.dbapi2
sys.modules["_sqlite3"] = pysqlite3._sqlite3

# pysqlite3 0.6.1 predates the SQLITE_LIMIT_* constants that the 3.11 suite
# reads at import time. They are SQLite's own fixed numbers; defining the
# missing ones lets every test module load, so the tests that need the
# feature fail alike under both interpreters instead of hiding whole modules.
SQLITE_LIMITS = ["LENGTH", "SQL_LENGTH", "COLUMN", "EXPR_DEPTH", "COMPOUND_SELECT",
                 "VDBE_OP", "FUNCTION_ARG", "ATTACHED", "LIKE_PATTERN_LENGTH",
                 "VARIABLE_NUMBER", "TRIGGER_DEPTH", "WORKER_THREADS"]
for number, name in enumerate(SQLITE_LIMITS):
    for module in (pysqlite3, pysqlite3.dbapi2):
        if not hasattr(module, "SQLITE_LIMIT_" + name):
            setattr(module, "SQLITE_LIMIT_" + name, number)

# test_dbapi takes two C limits from CPython's _testcapi, which a host
# without CPython's internals lacks. They are facts of the platform's C types.
try:
    import _testcapi  # noqa: F401
except ImportError:
    limits = types.ModuleType("_testcapi")
    limits.INT_MAX = 2**31 - 1
    limits.ULLONG_MAX = 2**64 - 1
    sys.modules["_testcapi"] = limits


def flatten(suite):
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from flatten(item)
        else:
            yield item


class RecordingResult(unittest.TestResult):
    def __init__(self, log):
        super().__init__()
        self.log = log

    def record(self, test, status):
        self.log.write(f"{status}\t{test.id()}\n")
        self.log.flush()

    def startTest(self, test):
        super().startTest(test)
        self.record(test, "START")

    def addSuccess(self, test):
        self.record(test, "pass")

    def addFailure(self, test, err):
        self.record(test, "fail")

    def addError(self, test, err):
        # Errors in class or module fixtures arrive as _ErrorHolder objects.
        self.record(test, "error")

    def addSkip(self, test, reason):
        self.record(test, "skip")

    def addExpectedFailure(self, test, err):
        self.record(test, "xfail")

    def addUnexpectedSuccess(self, test):
        self.record(test, "xpass")


def main():
    log_path, done_path = sys.argv[1], sys.argv[2]
    with open(done_path) as f:
        done = {line.strip() for line in f if line.strip()}
    suite = unittest.defaultTestLoader.loadTestsFromName("test.test_sqlite3")
    todo = unittest.TestSuite(t for t in flatten(suite) if t.id() not in done)
    with open(log_path, "a") as log:
        todo.run(RecordingResult(log))


if __name__ == "__main__":
    main()
