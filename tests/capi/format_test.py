"""PyUnicode_FromFormat(V), PyErr_Format(V), PyOS_snprintf, PyErr_WarnFormat
and PyErr_WarnExplicit against CPython 3.11: every conversion with widths,
precisions and length modifiers, the formats CPython copies as they stand,
and the error paths."""
import itertools
import warnings

import format_ext as ext


def run(fmt, *values, mode="plain"):
    if isinstance(fmt, str):
        fmt = fmt.encode()
    try:
        result = ascii(ext.from_format(mode, fmt, values))
    except Exception as e:  # every outcome is printed, failures included
        result = f"{type(e).__name__}: {e}"
    print(f"{mode} {fmt!r}: {result}")


class Bad:
    def __str__(self):
        raise ValueError("bad str")

    def __repr__(self):
        raise KeyError("bad repr")


class NotStr:
    def __str__(self):
        return 5

    def __repr__(self):
        return "NotStr()"


print(ascii(ext.literal("\xe9\ud800")))
try:
    ext.literal_error([1])
except TypeError as e:
    print("literal PyErr_Format:", e)
print("literal PyOS_snprintf:", ext.literal_snprintf())

# --- every integer conversion, with flags, widths and precisions ----------------
INTS = [0, 7, -7, 255, -1, 2 ** 31 - 1, 2 ** 31, -2 ** 31, 2 ** 32 - 1, 2 ** 63 - 1, -2 ** 63, 2 ** 64 - 1]
SPECS = ["", "5", "05", "0", ".3", "8.5", "08.5", ".0", "1.", "00005"]
for conv in ["d", "i", "u", "x", "ld", "li", "lu", "lld", "lli", "llu", "zd", "zi", "zu"]:
    for spec in SPECS:
        for v in INTS:
            run(f"[%{spec}{conv}]", v)
for v in [0, 65, 0xE9, 0xD800, 0x1F600, 0x10FFFF, 0x110000, -1]:
    run("%c", v)
    run("%5c|", v)
for v in [0, 1, 0x1234, 0xDEADBEEF, -1]:
    run("%p", v)
    run("%20p|", v)

# --- text conversions --------------------------------------------------------------
TEXTS = [b"", b"ab", b"h\xc3\xa9llo", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80"]
for spec in ["", "5", "05", ".1", ".3", "5.1", "0.0", ".100"]:
    for t in TEXTS:
        run(f"[%{spec}s]", t)
    for u in ["", "ab", "h\xe9llo", "\ud800x", "\U0001f600\U0001f600", "x" * 40]:
        run(f"[%{spec}U]", u)
        run(f"[%{spec}V]", (u, b"unused"))
    for t in TEXTS:
        run(f"[%{spec}V]", (..., t))
    for obj in [1, "s\xe9", [1, "a"], 2 ** 100, None, "\ud800", b"b"]:
        for c in "SRA":
            run(f"[%{spec}{c}]", obj)
for c in "SRA":
    run(f"%{c}", Bad())
    run(f"%{c}", NotStr())
    run(f"x %d %{c} %d", 1, Bad(), 2)

# --- formats CPython copies as they stand ------------------------------------------------
for fmt, values in [
    ("plain", ()), ("%%", ()), ("%", ()), ("abc%", ()), ("%5%|", ()), ("%5.5%|", ()), ("%.%", ()),
    ("%l%", ()), ("%q and %d", (1,)), ("%d %q %d", (1, 2)), ("%-5d|", (42,)), ("%+d", (42,)), ("% d", (42,)),
    ("%#x", (255,)), ("%-5s|", (b"ab",)), ("%X", (255,)), ("%o", (8,)), ("%lx", (1,)), ("%llx", (1,)),
    ("%zx", (1,)), ("%ls", (b"x",)), ("%hd", (1,)), ("%lc", (65,)), ("%lU", ("x",)), ("%zs", (b"x",)),
    ("%llc", (65,)), ("%-", ()), ("%l", ()), ("%ll", ()), ("%z", ()), ("% ", ()), ("%5", ()), ("%05", ()),
    ("%5.", ()), ("%.", ()), ("%0", ()), ("%*d", ()), ("%.*s", ()), ("%-05d|", (3,)), ("%e", ()), ("%f", ()),
    ("%d%", (1,)), ("%d%%%d", (1, 2)), ("x%s%s", (b"a", b"b")), ("%U%U", ("a", "b")), ("%5.2c|", (66,)),
    ("%.5p|", (1,)), (b"%q\xe9", ()),
    ("%d" * 12, tuple(range(12))), ("[%1000d]", (1,)), ("[%.100d]", (1,)),
    (b"\xe9 %d", (1,)), (b"abc\x80", ()), (b"%d\xe9", (1,)), ("%99999999999999999999d", ()),
    ("%.99999999999999999999d", ()),
]:
    run(fmt, *values)
for fmt, values in [("%lld %s %d", (1, b"x", 3)), ("%-5d|%d", (1, 2)), ("%U %R", ("a", "b")), ("%c%c", (104, 105))]:
    run(fmt, *values, mode="va")

# --- PyErr_Format(V) ---------------------------------------------------------------------
for mode, exc, fmt, values in [
    ("plain", ValueError, b"bad value %d (%R)", (3, "x")), ("va", KeyError, b"%U", ("key",)),
    ("plain", TypeError, b"%.50s() takes no arguments", (b"f",)), ("plain", OSError, b"%d", (2,)),
    ("plain", ValueError, b"%S", (Bad(),)), ("va", UnicodeError, b"%c", (0x110000,)),
    ("plain", ValueError, b"\xff", ()), ("plain", int, b"not an exception %d", (1,)),
]:
    try:
        ext.err_format(mode, exc, fmt, values)
    except BaseException as e:
        print(f"err_format {mode} {exc.__name__} {fmt!r}: {type(e).__name__} {e.args!r}")

# --- PyOS_snprintf -----------------------------------------------------------------------
for size, fmt, values in [(16, b"%d", (42,)), (3, b"%d", (12345,)), (1, b"%s", (b"abc",)), (8, b"%s|%s", (b"ab", b"cd")),
                          (16, b"%5.1s|%-4d|", (b"xyz", 7)), (16, b"%x %lu", (255, -1)), (4, b"abcdef", ()),
                          (16, b"%c%c", (72, 105)), (16, b"%%", ())]:
    print("snprintf", size, fmt, ext.snprintf(size, fmt, values))

# --- warnings ------------------------------------------------------------------------------


def caught(label, fn, *args, action="always"):
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter(action)
        try:
            r = fn(*args)
        except Exception as e:
            r = f"{type(e).__name__}: {e}"
    print(label, r, [(w.category.__name__, ascii(str(w.message)), w.filename.rsplit("/", 1)[-1], w.lineno)
                     for w in ws])


def warn_here():
    return ext.warn_format(UserWarning, 1, b"at %d: %R", (7, "x"))


caught("WarnFormat", ext.warn_format, UserWarning, 1, b"value %d is %S", (3, [1]))
caught("WarnFormat NULL category", ext.warn_format, None, 1, b"plain", ())
caught("WarnFormat DeprecationWarning", ext.warn_format, DeprecationWarning, 1, b"%U", ("\ud800",))
caught("WarnFormat stack level 1", warn_here)
caught("WarnFormat as error", ext.warn_format, RuntimeWarning, 1, b"boom %d", (1,), action="error")
caught("WarnFormat ignored", ext.warn_format, RuntimeWarning, 1, b"quiet", (), action="ignore")
caught("WarnFormat bad format", ext.warn_format, UserWarning, 1, b"%S", (Bad(),))
caught("WarnExplicit", ext.warn_explicit, UserWarning, b"explicit", b"some/file.py", 12, None, None)
caught("WarnExplicit module", ext.warn_explicit, FutureWarning, b"with module", b"f.py", 3, b"mod", None)
caught("WarnExplicit NULL category", ext.warn_explicit, None, b"no category", b"f.py", 1, None, None)
caught("WarnExplicit as error", ext.warn_explicit, UserWarning, b"err", b"f.py", 1, None, None, action="error")
registry = {}
caught("WarnExplicit registry 1", ext.warn_explicit, UserWarning, b"once", b"r.py", 5, None, registry, action="default")
caught("WarnExplicit registry 2", ext.warn_explicit, UserWarning, b"once", b"r.py", 5, None, registry, action="default")
print("registry keys:", sorted(k for k in registry if k != "version"))
caught("WarnExplicit non-UTF-8 filename", ext.warn_explicit, UserWarning, b"fs", b"caf\xe9.py", 1, None, None)
print("DONE")
