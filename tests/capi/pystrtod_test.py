import math
import pystrtod_ext as ext


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__, "|", e)
    else:
        print(label, "=", repr(r))


print("constants", ext.constants())

# Whole-string parses (no end pointer): errors name the string.
for text in [b"1.5", b"-0", b"+2.5e3", b"1e", b"1e+", b".5", b"5.", b".", b"", b" 1", b"1 ", b"1_0",
             b"inf", b"-Infinity", b"nAn", b"-nan", b"infinit", b"0x10", b"1e400", b"-1e400", b"1e-400",
             b"123456789012345678901234567890", b"0.1", b"2.2250738585072011e-308", b"abc" * 100]:
    show("whole %r" % text[:40], ext.to_double, text, 0, None)

# With an end pointer: how much was read.
for text in [b"1.5xyz", b"1e5e", b"1e+x", b"-.5.", b"infinity!", b"inf!", b"nanx", b"+", b"-x", b"12abc", b"1..2"]:
    show("prefix %r" % text, ext.to_double, text, 1, None)
for text in [b"x", b"", b" 1", b"e5"]:
    d, used, err = ext.failed_end(text)
    print("failed %r" % text, d, used, err.__name__)

# Overflow: the given exception, or +-HUGE_VAL without one.
show("overflow none", ext.to_double, b"1e500", 0, None)
show("overflow neg none", ext.to_double, b"-1e500", 1, None)
show("overflow OverflowError", ext.to_double, b"1e500", 0, OverflowError)
show("overflow ValueError", ext.to_double, b"-2e308", 1, ValueError)
show("underflow", ext.to_double, b"1e-500", 0, OverflowError)
show("inf is no overflow", ext.to_double, b"inf", 0, OverflowError)

values = [0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.125, 0.1, 1 / 3, -2 / 3, 100.0, 123456.789, 1e16, 1e15,
          9999999999999998.0, 1e17, 1e22, 1e-4, 1e-5, 0.0001234, 1.5e-7, 5e-324, 1.7976931348623157e308,
          12345678.9, -0.0004, 0.00049, 0.0005, 999.5, 9.5, 0.95, 99999.5, math.pi, float("inf"),
          float("-inf"), float("nan"), -float("nan")]
flag_sets = [0, 1, 2, 4, 8, 3, 5, 6, 9, 10, 12, 15]
for v in values:
    print("repr", repr(v), ext.to_string(v, "r", 0, 0), ext.to_string(v, "r", 0, 2), ext.to_string(v, "r", 0, 9))
for code in "eEfFgG":
    for precision in [0, 1, 2, 3, 6, 12, 17, 25]:
        row = []
        for v in values:
            row.append(ext.to_string(v, code, precision, 0)[0])
        print(code, precision, " ".join(row))
    for flags in flag_sets:
        row = []
        for v in values:
            row.append(ext.to_string(v, code, 3, flags)[0])
        print(code, "flags", flags, " ".join(row))
print("types", [ext.to_string(v, "g", 6, 0)[1] for v in (1.0, float("inf"), float("nan"))])
print("no type", ext.to_string_no_type(2.0), ext.to_string_no_type(1e300))

for label, args in [("bad code", (1.0, "x", 2, 0)), ("r with precision", (1.0, "r", 3, 0)), ("R", (1.0, "R", 0, 0))]:
    try:
        ext.to_string(*args)
    except SystemError:
        print(label, "-> SystemError")  # CPython's message names its source line

for text in [b"inf", b"-INF", b"+infinity", b"Infinityx", b"nan", b"-NaN", b"nanana", b"in", b"x", b"", b"+"]:
    d, used = ext.inf_or_nan(text)
    print("inf_or_nan %r" % text, d, used)

for text in ["1_000", "1_000.5", "1__0", "_1", "1_", "1._5", "1e1_0", "0x_1", "1_e5", "plain"]:
    show("underscores %r" % text, ext.underscores, text, "float")
print("DONE")
