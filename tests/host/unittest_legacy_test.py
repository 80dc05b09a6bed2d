# What CPython 3.11's unittest still has and the host's (3.14's) dropped
# (cpyext/pylib/cpyext/_unittest311.py): the deprecated TestCase aliases,
# assertDictContainsSubset, makeSuite/findTestCases/getTestCaseNames,
# _TextTestResult and TestProgram.usageExit, each with 3.11's warning.
import io
import sys
import types
import unittest
import unittest.loader
import warnings


def caught(label, thunk):
    """Runs thunk, printing its result or failure and the warnings it gave."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            r = thunk()
        except unittest.TestCase.failureException as e:
            r = f"failed: {e}"
        except Exception as e:
            r = f"{type(e).__name__}: {e}"
    for w in seen:
        where = "caller" if w.filename == __file__ else "elsewhere"
        print(f"  warning {w.category.__name__} at {where}: {w.message}")
    print(f"{label}: {r!r}")


class T(unittest.TestCase):
    def runTest(self):
        pass


t = T()
caught("assertEquals equal", lambda: t.assertEquals(1, 1))
caught("assertEquals unequal", lambda: t.assertEquals(1, 2))
caught("assertEquals msg", lambda: t.assertEquals(1, 2, "custom"))
caught("failUnlessEqual", lambda: t.failUnlessEqual("a", "b"))
caught("assertNotEquals", lambda: t.assertNotEquals(1, 1))
caught("failIfEqual", lambda: t.failIfEqual(1, 2))
caught("assertAlmostEquals", lambda: t.assertAlmostEquals(1.0, 1.00000001))
caught("assertAlmostEquals places", lambda: t.assertAlmostEquals(1.0, 1.1, places=3))
caught("failUnlessAlmostEqual", lambda: t.failUnlessAlmostEqual(1.0, 1.5, delta=0.1))
caught("assertNotAlmostEquals", lambda: t.assertNotAlmostEquals(1.0, 1.0))
caught("failIfAlmostEqual", lambda: t.failIfAlmostEqual(1.0, 2.0))
caught("failUnless true", lambda: t.failUnless(1))
caught("failUnless false", lambda: t.failUnless(0, "zero"))
caught("assert_", lambda: t.assert_([]))
caught("failIf", lambda: t.failIf(True))
caught("failUnlessRaises call", lambda: t.failUnlessRaises(ZeroDivisionError, lambda: 1 / 0))
caught("failUnlessRaises missing", lambda: t.failUnlessRaises(KeyError, lambda: None))


def raises_regexp_context():
    with t.assertRaisesRegexp(ValueError, "b+") as cm:
        raise ValueError("abbbc")
    return str(cm.exception)


caught("assertRaisesRegexp context", raises_regexp_context)
caught("assertRaisesRegexp mismatch", lambda: t.assertRaisesRegexp(ValueError, "z", int, "q"))
caught("assertRegexpMatches", lambda: t.assertRegexpMatches("hello", "l+"))
caught("assertRegexpMatches no", lambda: t.assertRegexpMatches("hello", "^z"))
caught("assertNotRegexpMatches", lambda: t.assertNotRegexpMatches("hello", "ell"))
caught("assertDictContainsSubset ok", lambda: t.assertDictContainsSubset({"a": 1}, {"a": 1, "b": 2}))
caught("assertDictContainsSubset missing", lambda: t.assertDictContainsSubset({"a": 1, "z": 0, "y": 9}, {"a": 1}))
caught("assertDictContainsSubset both",
       lambda: t.assertDictContainsSubset({"a": 2, "z": 0, "b": "x"}, {"a": 1, "b": "y"}, "note"))
t.longMessage = False
caught("assertDictContainsSubset short", lambda: t.assertDictContainsSubset({"a": 2}, {"a": 1}, "only"))


# The aliases call TestCase's own methods, not a subclass's override.
class Override(unittest.TestCase):
    def runTest(self):
        pass

    def assertEqual(self, first, second, msg=None):
        print("  Override.assertEqual")


caught("alias ignores override", lambda: Override().assertEquals(1, 2))
print("aliases in dir:", all(n in dir(unittest.TestCase) for n in
      ["assertEquals", "assertNotEquals", "assertAlmostEquals", "assertNotAlmostEquals",
       "failUnless", "failIf", "failUnlessEqual", "failIfEqual", "assert_",
       "assertRegexpMatches", "assertNotRegexpMatches", "assertRaisesRegexp",
       "assertDictContainsSubset", "failUnlessRaises", "failUnlessAlmostEqual",
       "failIfAlmostEqual"]))


# A failing alias inside a test: the failure's traceback leaves unittest's
# frames (and the alias's) out.
class Failing(unittest.TestCase):
    def test_a_equals(self):
        self.assertEquals(1, 2)

    def test_b_subset(self):
        self.assertDictContainsSubset({"k": 1}, {})

    def test_c_pass(self):
        self.failUnless(True)

    def helper(self):
        pass


stream = io.StringIO()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    result = unittest.TextTestRunner(stream=stream, verbosity=0).run(unittest.TestLoader().loadTestsFromTestCase(Failing))
print("run:", result.testsRun, len(result.failures), len(result.errors))
for test, text in result.failures:
    frames = [line.strip() for line in text.splitlines() if line.strip().startswith("File ")]
    print(" ", test.id().split(".")[-1], len(frames), "frame(s);", text.strip().splitlines()[-1])


# The module functions.
caught("makeSuite", lambda: [x.id().split(".")[-1] for x in unittest.makeSuite(Failing)])
caught("makeSuite prefix", lambda: [x.id().split(".")[-1] for x in unittest.makeSuite(Failing, prefix="help")])
caught("makeSuite sortUsing", lambda: [x.id().split(".")[-1] for x in
                                       unittest.makeSuite(Failing, sortUsing=lambda a, b: (a < b) - (a > b))])


class MySuite(unittest.TestSuite):
    pass


caught("makeSuite suiteClass", lambda: type(unittest.makeSuite(Failing, suiteClass=MySuite)).__name__)
caught("getTestCaseNames", lambda: unittest.getTestCaseNames(Failing, "test"))
caught("getTestCaseNames patterns", lambda: unittest.getTestCaseNames(Failing, "test", testNamePatterns=["*subset*"]))
mod = types.ModuleType("fake_tests")
mod.Failing = Failing
mod.T = T
caught("findTestCases", lambda: sorted(x.id().split(".")[-1] for s in unittest.findTestCases(mod) for x in s))
caught("findTestCases suiteClass", lambda: type(unittest.findTestCases(mod, suiteClass=MySuite)).__name__)
print("in __all__:", [n in unittest.__all__ for n in ["makeSuite", "findTestCases", "getTestCaseNames"]])
print("loader has them:", [hasattr(unittest.loader, n) for n in ["makeSuite", "findTestCases", "getTestCaseNames"]])
print("same objects:", unittest.makeSuite is unittest.loader.makeSuite)
print("_TextTestResult:", unittest._TextTestResult is unittest.TextTestResult)
from unittest import makeSuite, findTestCases, getTestCaseNames  # noqa: E402,F401
print("from-import works")


# TestProgram.usageExit prints its message and the help, and exits 2.
prog = unittest.TestProgram.__new__(unittest.TestProgram)
prog.module = None
prog.progName = "prog"
prog._discovery_parser = None
prog.exit = False
out = io.StringIO()
real = sys.stdout
sys.stdout = out
try:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            prog.usageExit("bad usage")
        except SystemExit as e:
            code = e.code
finally:
    sys.stdout = real
print("usageExit:", code, out.getvalue().splitlines()[0], "usage:" in out.getvalue(),
      [f"{w.category.__name__}: {w.message}" for w in seen])
