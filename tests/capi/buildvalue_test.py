"""Py_BuildValue against CPython 3.11: the documented examples, every unit
over a grid of C values, containers, separators, and the error paths (with
the converters that still run and the references that are still released
after a failure)."""
import math

import buildvalue_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def run(fmt, *values, mode="plain"):
    try:
        result = repr(ext.build(mode, fmt, values))
    except Exception as e:  # every outcome is printed, failures included
        result = f"{type(e).__name__}: {e}"
    log = ext.converter_log()
    print(f"{mode} {fmt!r} {values!r}: {result}" + (f"  converters {log}" if log else ""))


show("documented", ext.documented())
show("typed", ext.typed())
show("N steals, O adds a reference (during, after)", ext.steal(object()))
show("N released after a failure", ext.steal_on_failure(object()))
try:
    ext.null_with_error()
except KeyError as e:
    show("O given NULL with an exception set", e)

INTS = [0, 1, -1, 65, 127, 128, 255, 256, -129, 32767, 32768, 65535, 65536, 2 ** 31 - 1, 2 ** 31,
        -2 ** 31, 2 ** 32 - 1, 2 ** 32 + 5, 2 ** 63 - 1, -2 ** 63, 2 ** 64 - 1, 0x10FFFF, 0x110000]
for unit in "bBhHiIlkLKnc":
    for v in INTS:
        run(unit, v)
for v in [0, 65, 0xE9, 0x1F600, 0xD800, 0x10FFFF, 0x110000, -1]:
    run("C", v)
FLOATS = [0.0, -0.0, 0.1, 1e300, -1e-300, math.inf, -math.inf, math.nan, 3.4e38, 1e39]
for unit in "fd":
    for v in FLOATS:
        run(unit, v)
for v in [(0.0, 0.0), (1.5, -2.0), (-0.0, math.inf), (math.nan, 1.0)]:
    run("D", v)
TEXTS = [b"", b"abc", b"h\xc3\xa9", b"\xff", b"a\x00b", b"\xed\xa0\x80", None]
for unit in "szyU":
    for v in TEXTS:
        run(unit, v)
        for n in (-1, -7, 0, 1, 2):
            run(unit + "#", (v, n))
for v in ["", "abc", "h\xe9", "\U0001f600", "\ud800", None]:
    run("u", v)
    for n in (-1, 0, 1):
        run("u#", (v, n))
for unit in "NSO":
    for v in [1, "s", [1], (), None, ...]:
        run(unit, v)
for conv, arg in [("int", 4), ("fail", 5), ("null", 6)]:
    for unit in ("O&", "S&", "N&"):
        run(unit, (conv, arg))

# formats: separators, containers, nesting, error paths
for fmt, values in [
    ("", ()), ("i", (1,)), ("ii", (1, 2)), (" i ", (1,)), (",i,", (1,)), (":", ()), ("i:i", (1, 2)),
    ("i\ti", (1, 2)), ("i\ni", (1, 2)), ("i,,  :i", (1, 2)), ("(", ()), (")", ()), ("(i", (1,)),
    ("i)", (1,)), ("(i]", (1,)), ("[i)", (1,)), ("{i)", (1,)), ("{i:i", (1, 2)), ("{i}", (1,)),
    ("{i:i,i}", (1, 2, 3)), ("{i:i,i:i}", (1, 2, 1, 3)), ("{O:i}", ([], 1)), ("{O:i,i:i}", ([], 1, 2, 3)),
    ("[]", ()), ("[i]", (1,)), ("[(i)]", (1,)), ("((i))", (1,)), ("{}", ()), ("()", ()),
    ("(()[]{})", ()), ("q", ()), ("iq", (1,)), ("(iq)", (1,)), ("#", ()), ("i#", (1,)), ("&", ()),
    ("!", ()), ("#i", (1,)), ("&i", (1,)), ("i#i", (1, 2)), ("(i#)", (1,)), ("[i#]", (1,)),
    ("(i,#)", (1,)), ("(s##)", ((b"a", 1),)), ("i)i", (1, 2)), ("i]", (1,)), ("i}", (1,)),
    (")i", (1,)), ("ii)", (1, 2)), ("(i))", (1,)), ("(i)i)", (1, 2)), ("s##", ((b"ab", 1),)),
    ("sz#", (b"x", (b"ab", 1))), ("es", (b"x",)), ("(i)(i", (1, 2)), ("[(i]", (1,)),
    ("(iO)", (1, ...)), ("[iO]", (1, ...)), ("{iO}", (1, ...)), ("{Oi}", (..., 1)),
    ("{s:O}", (b"k", 1)), ("{s:i}", (None, 1)), ("{[i]:i}", (1, 2)), ("{(ii):[i]}", (1, 2, 3)),
    ("((((((((((i))))))))))", (1,)), ("(ii", (1, 2)), ("(((i)", (1,)), ("i(i", (1, 2)),
    ("((ii)(ii)) (ii)", (1, 2, 3, 4, 5, 6)), ("[i,(s,[y])]", (1, b"a", b"b")),
    ("{s:(i,i),s:[]}", (b"a", 1, 2, b"b")), ("(NNN)", (1, 2, 3)), ("[N(O)S]", (1, 2, 3)),
    ("(O&O&O&)", (("int", 1), ("fail", 2), ("int", 3))), ("(O&iO&)", (("fail", 1), 7, ("int", 3))),
    ("[O&O&]", (("null", 1), ("int", 2))), ("{O&:O&}", (("int", 1), ("fail", 2))),
    ("O&O&", (("fail", 1), ("int", 2))), ("(iO&)(O&)", (1, ("fail", 1), ("int", 2))),
    ("(qO&)", (("int", 2),)), ("{O&}", (("int", 1),)), ("{O&O&O&}", (("int", 1), ("int", 2), ("int", 3))),
    ("{i:O&}", (1, ("fail", 2))), ("{O&:i,O&:i}", (("fail", 1), 2, ("int", 3), 4)),
    ("{O:O&,O&:i}", ([], ("int", 1), ("int", 3), 4)), ("(O&)i", (("fail", 1), 2)),
    ("(O&)(O)(O&)", (("fail", 1), ..., ("int", 3))), ("O&(O)", (("fail", 1), ...)),
    ("(O)O&", (..., ("int", 3))), ("(O)i#O&", (..., 1, ("int", 3))), ("[s(O&)]", (b"\xff", ("int", 9))),
    ("(C,O&)", (0x110000, ("int", 8))), ("(i(O&q)O&)", (1, ("int", 1), ("int", 2))),
]:
    run(fmt, *values)

# Py_VaBuildValue, and the functions without PY_SSIZE_T_CLEAN
for fmt, values in [("i", (1,)), ("(iis)", (1, 2, b"x")), ("s#", ((b"ab", 1),)), ("{s:[i]}", (b"k", 5)),
                    ("(iO)", (1, ...))]:
    run(fmt, *values, mode="va")
for fmt, values in [("s#", ((b"ab", 2),)), ("y#", ((b"ab", 2),)), ("(is#)", (1, (b"ab", 2))), ("i", (1,)),
                    ("u#", (("ab", 1),)), ("(s#O&)", ((b"ab", 2), ("int", 1))), ("s", (b"ok",))]:
    run(fmt, *values, mode="compat")
print("DONE")
