"""What CPython 3.11's unittest still has and the host's (3.14's) dropped.

Test suites written for 3.11 use the deprecated TestCase aliases
(`assertEquals`, `failUnless`, `assertRaisesRegexp`, ...),
`assertDictContainsSubset`, and the module functions `makeSuite`,
`findTestCases` and `getTestCaseNames`. Each works as in 3.11 and warns
with the same DeprecationWarning. `complete(unittest)` adds them once the
host's unittest package has run (the layer calls it from the frozen
importer; host_stdlib.rs).
"""
import sys
import warnings

# Frames of this module are left out of failure tracebacks, as unittest's own.
__unittest = True

# The 3.11 alias and the method it stands for, as TestCase names them.
_ALIASES = [
    ("failUnlessEqual", "assertEqual"),
    ("assertEquals", "assertEqual"),
    ("failIfEqual", "assertNotEqual"),
    ("assertNotEquals", "assertNotEqual"),
    ("failUnlessAlmostEqual", "assertAlmostEqual"),
    ("assertAlmostEquals", "assertAlmostEqual"),
    ("failIfAlmostEqual", "assertNotAlmostEqual"),
    ("assertNotAlmostEquals", "assertNotAlmostEqual"),
    ("failUnless", "assertTrue"),
    ("assert_", "assertTrue"),
    ("failUnlessRaises", "assertRaises"),
    ("failIf", "assertFalse"),
    ("assertRaisesRegexp", "assertRaisesRegex"),
    ("assertRegexpMatches", "assertRegex"),
    ("assertNotRegexpMatches", "assertNotRegex"),
]


def _alias(alias, target):
    # Calls TestCase's own method, as 3.11's aliases do, whatever a subclass
    # overrides.
    def method(*args, **kwargs):
        warnings.warn(f"Please use {target.__name__} instead.", DeprecationWarning, 2)
        return target(*args, **kwargs)

    method.__name__ = alias
    method.__qualname__ = f"TestCase.{alias}"
    return method


def _assert_dict_contains_subset(self, subset, dictionary, msg=None):
    """Checks whether dictionary is a superset of subset."""
    from unittest.util import safe_repr

    warnings.warn("assertDictContainsSubset is deprecated", DeprecationWarning)
    absent = [key for key in subset if key not in dictionary]
    differing = [
        f"{safe_repr(key)}, expected: {safe_repr(value)}, actual: {safe_repr(dictionary[key])}"
        for key, value in subset.items()
        if key in dictionary and value != dictionary[key]
    ]
    if not absent and not differing:
        return
    parts = []
    if absent:
        parts.append("Missing: " + ",".join(safe_repr(key) for key in absent))
    if differing:
        parts.append("Mismatched values: " + ",".join(differing))
    self.fail(self._formatMessage(msg, "; ".join(parts)))


def _loader(prefix, sort_using, suite_class=None, name_patterns=None):
    from unittest.loader import TestLoader

    loader = TestLoader()
    loader.sortTestMethodsUsing = sort_using
    loader.testMethodPrefix = prefix
    loader.testNamePatterns = name_patterns
    if suite_class:
        loader.suiteClass = suite_class
    return loader


def _removal_warning(name, instead):
    warnings.warn(
        f"unittest.{name}() is deprecated and will be removed in Python 3.13. "
        f"Please use unittest.TestLoader.{instead}() instead.",
        DeprecationWarning,
        stacklevel=3,
    )


def _module_functions(util, suite):
    def getTestCaseNames(testCaseClass, prefix, sortUsing=util.three_way_cmp, testNamePatterns=None):
        _removal_warning("getTestCaseNames", "getTestCaseNames")
        return _loader(prefix, sortUsing, name_patterns=testNamePatterns).getTestCaseNames(testCaseClass)

    def makeSuite(testCaseClass, prefix="test", sortUsing=util.three_way_cmp, suiteClass=suite.TestSuite):
        _removal_warning("makeSuite", "loadTestsFromTestCase")
        return _loader(prefix, sortUsing, suiteClass).loadTestsFromTestCase(testCaseClass)

    def findTestCases(module, prefix="test", sortUsing=util.three_way_cmp, suiteClass=suite.TestSuite):
        _removal_warning("findTestCases", "loadTestsFromModule")
        return _loader(prefix, sortUsing, suiteClass).loadTestsFromModule(module)

    return {"getTestCaseNames": getTestCaseNames, "makeSuite": makeSuite, "findTestCases": findTestCases}


def _usage_exit(self, msg=None):
    warnings.warn("TestProgram.usageExit() is deprecated and will be removed in Python 3.13",
                  DeprecationWarning)
    if msg:
        print(msg)
    if self._discovery_parser is None:
        self._initArgParsers()
    self._print_help()
    sys.exit(2)


def complete(unittest):
    """Adds 3.11's names to the `unittest` package that has just run."""
    loader = unittest.loader
    TestCase = unittest.case.TestCase
    for alias, target in _ALIASES:
        if not hasattr(TestCase, alias):
            setattr(TestCase, alias, _alias(alias, getattr(TestCase, target)))
    if not hasattr(TestCase, "assertDictContainsSubset"):
        _assert_dict_contains_subset.__qualname__ = "TestCase.assertDictContainsSubset"
        TestCase.assertDictContainsSubset = _assert_dict_contains_subset
    program = unittest.TestProgram
    if not hasattr(program, "usageExit"):
        _usage_exit.__qualname__ = "TestProgram.usageExit"
        program.usageExit = _usage_exit
    for name, function in _module_functions(unittest.util, unittest.suite).items():
        if not hasattr(loader, name):
            function.__module__ = "unittest.loader"
            setattr(loader, name, function)
        if not hasattr(unittest, name):
            setattr(unittest, name, getattr(loader, name))
            unittest.__all__.append(name)
    if not hasattr(unittest, "_TextTestResult"):
        unittest._TextTestResult = unittest.TextTestResult
