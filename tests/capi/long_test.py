import long_ext as ext

LONG_MAX = 2**63 - 1
LONG_MIN = -(2**63)
ULONG_MAX = 2**64 - 1


def conv(label, fn, v):
    """Call an As* wrapper; on error print the exception type, the message
    for the C-API's own OverflowError/ValueError, and the raw C return."""
    try:
        r = fn(v)
    except (OverflowError, ValueError) as e:
        if type(e) not in (OverflowError, ValueError):
            raise
        print(label, "->", type(e).__name__, "|", str(e), "| raw", repr(ext.last_raw()))
    except Exception as e:
        print(label, "->", type(e).__name__, "| raw", repr(ext.last_raw()))
    else:
        print(label, "=", repr(r))


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__)
    else:
        print(label, "=", repr(r))


class Index:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class OnlyInt:
    def __int__(self):
        return 7


class OnlyFloat:
    def __float__(self):
        return 7.0


class IndexRaises:
    def __index__(self):
        raise KeyError("index failed")


class IndexReturnsFloat:
    def __index__(self):
        return 1.5


class IntSub(int):
    pass


class IntSubIndex(int):
    def __index__(self):
        return 99


# ---- constructors ----
lim = ext.limits()
print("FromLong(LONG_MAX)", lim[0], lim[0] == LONG_MAX)
print("FromLong(LONG_MIN)", lim[1], lim[1] == LONG_MIN)
print("FromUnsignedLong(ULONG_MAX)", lim[2], lim[2] == ULONG_MAX)
print("FromLongLong(LLONG_MAX)", lim[3])
print("FromLongLong(LLONG_MIN)", lim[4])
print("FromUnsignedLongLong(ULLONG_MAX)", lim[5])
print("FromSsize_t(PY_SSIZE_T_MAX)", lim[6])
print("FromSsize_t(PY_SSIZE_T_MIN)", lim[7])
print("FromSize_t(SIZE_MAX)", lim[8])
print("FromLong(-1)", lim[9])
print("FromUnsignedLong(0)", lim[10])
print("FromSize_t(0)", lim[11])
print("all limits are exact int", all(type(x) is int for x in lim))
print("small values", ext.small_values())
print("small values exact int", all(type(x) is int for x in ext.small_values()))
print("FromLong(0) == 0 and not bool", ext.small_values()[0] == 0, type(ext.small_values()[0]).__name__)
print("FromLong roundtrips", [ext.from_long(v) for v in [0, 1, -1, 255, 256, 257, -5, -6, LONG_MAX, LONG_MIN, True]])
show("FromLong roundtrip True type", lambda: type(ext.from_long(True)).__name__)
show("FromLong roundtrip LONG_MAX+1", ext.from_long, LONG_MAX + 1)
print("FromUnsignedLong roundtrips", [ext.from_unsigned_long(v) for v in [0, 1, LONG_MAX + 1, ULONG_MAX]])
show("FromUnsignedLong roundtrip -1", ext.from_unsigned_long, -1)
for v in [0.0, -0.0, 0.999, -0.999, 1.5, -1.5, -2.5, 1e20, -1e20, 2.0**63, -(2.0**63), 2.0**64,
          1e300, 123456789.987, 5, 2**70]:
    show("FromDouble " + repr(v), ext.from_double, v)
print("FromDouble(1e300) exact", ext.from_double(1e300) == int(1e300))
print("FromDouble(2.0**200) == 2**200", ext.from_double(2.0**200) == 2**200)
print("FromDouble result exact int", ext.from_double_type_is_int(3.7))
print("FromDouble big result exact int", ext.from_double_type_is_int(1e100))
for v in [float("inf"), float("-inf"), float("nan")]:
    try:
        ext.from_double(v)
    except Exception as e:
        print("FromDouble", repr(v), "->", type(e).__name__, "|", str(e))

# ---- AsLong ----
for label, v in [("0", 0), ("1", 1), ("-1", -1), ("LONG_MAX", LONG_MAX), ("LONG_MIN", LONG_MIN),
                 ("LONG_MAX+1", LONG_MAX + 1), ("LONG_MIN-1", LONG_MIN - 1), ("2**100", 2**100),
                 ("-(2**100)", -(2**100)), ("ULONG_MAX", ULONG_MAX), ("True", True), ("False", False),
                 ("IntSub(5)", IntSub(5)), ("IntSubIndex(5)", IntSubIndex(5)),
                 ("Index(42)", Index(42)), ("Index(-1)", Index(-1)), ("Index(2**64)", Index(2**64)),
                 ("OnlyInt", OnlyInt()), ("OnlyFloat", OnlyFloat()), ("1.0", 1.0), ("'1'", "1"),
                 ("None", None), ("b'1'", b"1"), ("IndexRaises", IndexRaises()),
                 ("IndexReturnsFloat", IndexReturnsFloat())]:
    conv("AsLong(" + label + ")", ext.as_long, v)

# ---- AsLongLong ----
for label, v in [("0", 0), ("-1", -1), ("LONG_MAX", LONG_MAX), ("LONG_MIN", LONG_MIN),
                 ("LONG_MAX+1", LONG_MAX + 1), ("LONG_MIN-1", LONG_MIN - 1), ("2**100", 2**100),
                 ("-(2**100)", -(2**100)), ("True", True), ("Index(7)", Index(7)),
                 ("Index(2**64)", Index(2**64)), ("OnlyInt", OnlyInt()), ("2.5", 2.5), ("'x'", "x"),
                 ("IndexRaises", IndexRaises())]:
    conv("AsLongLong(" + label + ")", ext.as_long_long, v)

# ---- AsSsize_t ----
for label, v in [("0", 0), ("-1", -1), ("LONG_MAX", LONG_MAX), ("LONG_MIN", LONG_MIN),
                 ("LONG_MAX+1", LONG_MAX + 1), ("LONG_MIN-1", LONG_MIN - 1), ("2**100", 2**100),
                 ("-(2**100)", -(2**100)), ("True", True), ("IntSub(-3)", IntSub(-3)),
                 ("Index(7)", Index(7)), ("OnlyInt", OnlyInt()), ("1.0", 1.0), ("None", None)]:
    conv("AsSsize_t(" + label + ")", ext.as_ssize_t, v)

# ---- AsUnsignedLong ----
for label, v in [("0", 0), ("1", 1), ("LONG_MAX", LONG_MAX), ("LONG_MAX+1", LONG_MAX + 1),
                 ("ULONG_MAX", ULONG_MAX), ("ULONG_MAX+1", ULONG_MAX + 1), ("2**100", 2**100),
                 ("-1", -1), ("-(2**100)", -(2**100)), ("True", True), ("IntSub(9)", IntSub(9)),
                 ("Index(7)", Index(7)), ("1.0", 1.0), ("'1'", "1")]:
    conv("AsUnsignedLong(" + label + ")", ext.as_unsigned_long, v)

# ---- AsUnsignedLongMask ----
for label, v in [("0", 0), ("1", 1), ("-1", -1), ("-2", -2), ("LONG_MIN", LONG_MIN),
                 ("ULONG_MAX", ULONG_MAX), ("ULONG_MAX+1", ULONG_MAX + 1), ("2**64+5", 2**64 + 5),
                 ("2**100+3", 2**100 + 3), ("-(2**100)-1", -(2**100) - 1), ("True", True),
                 ("Index(-1)", Index(-1)), ("Index(2**65+1)", Index(2**65 + 1)),
                 ("OnlyInt", OnlyInt()), ("1.0", 1.0), ("None", None),
                 ("IndexRaises", IndexRaises())]:
    conv("AsUnsignedLongMask(" + label + ")", ext.as_unsigned_long_mask, v)
    conv("AsUnsignedLongLongMask(" + label + ")", ext.as_unsigned_long_long_mask, v)

# ---- AsUnsignedLongLong ----
for label, v in [("0", 0), ("LONG_MAX+1", LONG_MAX + 1), ("ULONG_MAX", ULONG_MAX),
                 ("ULONG_MAX+1", ULONG_MAX + 1), ("2**100", 2**100), ("-1", -1),
                 ("-(2**100)", -(2**100)), ("True", True), ("Index(7)", Index(7)), ("1.0", 1.0)]:
    conv("AsUnsignedLongLong(" + label + ")", ext.as_unsigned_long_long, v)

# ---- AsDouble ----
for label, v in [("0", 0), ("-1", -1), ("2**53", 2**53), ("2**53+1", 2**53 + 1),
                 ("2**53+3", 2**53 + 3), ("LONG_MAX", LONG_MAX), ("-(2**100)", -(2**100)),
                 ("10**308", 10**308), ("2**1023", 2**1023), ("2**1024", 2**1024),
                 ("-(2**1024)", -(2**1024)), ("2**1024-2**970", 2**1024 - 2**970),
                 ("2**1024-2**971", 2**1024 - 2**971), ("10**400", 10**400), ("True", True),
                 ("IntSub(3)", IntSub(3)), ("Index(7)", Index(7)), ("1.5", 1.5), ("'1'", "1")]:
    conv("AsDouble(" + label + ")", ext.as_double, v)

# ---- AsLongAndOverflow ----
for label, v in [("0", 0), ("-1", -1), ("LONG_MAX", LONG_MAX), ("LONG_MIN", LONG_MIN),
                 ("LONG_MAX+1", LONG_MAX + 1), ("LONG_MIN-1", LONG_MIN - 1), ("2**100", 2**100),
                 ("-(2**100)", -(2**100)), ("ULONG_MAX", ULONG_MAX), ("True", True),
                 ("Index(5)", Index(5)), ("Index(2**70)", Index(2**70)),
                 ("Index(-(2**70))", Index(-(2**70))), ("OnlyInt", OnlyInt()), ("1.0", 1.0),
                 ("'1'", "1"), ("IndexRaises", IndexRaises())]:
    conv("AsLongAndOverflow(" + label + ")", ext.as_long_and_overflow, v)

# ---- PyLong_FromString ----


def end():
    e = ext.last_end()
    if e is None:
        return "None"
    return repr(e.decode("utf-8", "backslashreplace"))


def fs(s, base):
    label = "FromString(%r, %d)" % (s, base)
    try:
        r = ext.from_string(s, base)
    except ValueError as e:
        if type(e) is ValueError:
            print(label, "-> ValueError |", str(e), "| end", end())
        else:  # e.g. UnicodeDecodeError: the message is the codec's
            print(label, "->", type(e).__name__, "| end", end())
    except Exception as e:
        print(label, "->", type(e).__name__, "| end", end())
    else:
        print(label, "=", repr(r), "| end", end())


for s, base in [("0", 10), ("123", 10), ("-123", 10), ("+123", 10), ("  42", 10), ("42  ", 10),
                ("  -42 \t\n", 10), ("007", 10), ("1_000_000", 10), ("1__000", 10), ("_1", 10),
                ("1_", 10), ("12abc", 10), ("abc", 10), ("", 10), ("   ", 10), ("-", 10),
                ("- 1", 10), ("1 2", 10), ("12.5", 10), ("9223372036854775807", 10),
                ("9223372036854775808", 10), ("-9223372036854775809", 10),
                ("123456789012345678901234567890123456789", 10),
                ("ff", 16), ("FF", 16), ("0xff", 16), ("0x_ff", 16), ("-0XfF", 16), ("0b101", 16),
                ("fg", 16), ("101", 2), ("0b101", 2), ("0B_1_0_1", 2), ("102", 2), ("17", 8),
                ("0o17", 8), ("18", 8), ("zz", 36), ("ZZ", 36), ("Hello", 36), ("z", 35),
                ("10", 3), ("0x1f", 0), ("0X1F", 0), ("0o17", 0), ("0O17", 0), ("0b11", 0),
                ("0B11", 0), ("17", 0), ("017", 0), ("0", 0), ("00", 0), ("0_0", 0), ("-0", 0),
                ("0x", 0), ("0b2", 0), ("0o8", 0), ("1_000", 0), ("0x_1f", 0), ("0_x1f", 0),
                ("  -0x10  ", 0), ("99999999999999999999999", 0), ("1e5", 0), ("12", 1),
                ("12", 37), ("12", -1), ("١٢", 10), ("12\u00a0", 10)]:
    fs(s, base)
fs(b"12\x0b", 10)
fs(b"\x0c12", 10)
fs(b"12\xff", 10)
fs("f" * 100, 16)
print("FromString 4300 digits ok", ext.from_string("7" * 4300, 10) == int("7" * 4300))
try:
    ext.from_string("7" * 4301, 10)
except Exception as e:
    print("FromString 4301 digits base 10 ->", type(e).__name__)
else:
    print("FromString 4301 digits base 10 accepted")
print("FromString 5000 hex digits ok", ext.from_string("f" * 5000, 16) == 16**5000 - 1)
show("FromString no end ptr '77'", ext.from_string_no_end, "77", 8)
show("FromString no end ptr '7 7'", ext.from_string_no_end, "7 7", 10)
show("FromString no end ptr '0x10'", ext.from_string_no_end, "0x10", 0)
show("FromString offset '123'", ext.from_string_offset, "123", 10)
show("FromString offset ' 0x1F  '", ext.from_string_offset, " 0x1F  ", 0)
show("FromString result type", lambda: type(ext.from_string("5", 10)).__name__)
show("FromString big result type", lambda: type(ext.from_string("5" * 40, 10)).__name__)

# ---- checks ----
for label, v in [("0", 0), ("2**100", 2**100), ("-1", -1), ("True", True), ("False", False),
                 ("IntSub(1)", IntSub(1)), ("1.0", 1.0), ("'1'", "1"), ("None", None),
                 ("Index(1)", Index(1)), ("int type", int)]:
    print("Check/CheckExact/ob_type==Long/ob_type==Bool, Py_REFCNT>=1", label, ext.check(v),
          ext.refcnt_positive(v))

# ---- arithmetic through C ----
show("mul_ll(3, -4)", ext.mul_ll, 3, -4)
show("mul_ll(2**31, 2**31)", ext.mul_ll, 2**31, 2**31)
try:
    ext.mul_ll(2**32, 2**32)
except OverflowError as e:
    print("mul_ll overflow ->", type(e).__name__, str(e))
show("mul_ll(2**64, 1)", ext.mul_ll, 2**64, 1)


# ---- digits, as Cython's CYTHON_USE_PYLONG_INTERNALS reads them ----
import sys


def py_digits(v):
    m, out = abs(v), []
    while m:
        out.append(m & (2**30 - 1))
        m >>= 30
    return (len(out) if v >= 0 else -len(out)), out


print("repr constants", ext.repr_constants())


class IntSub(int):
    pass


for v in [0, 1, -1, 7, 2**30 - 1, 2**30, -2**30, 2**60 - 1, 2**60, 2**63 - 1, -2**63, 2**64, 10**40, -10**40 - 7,
          True, False, IntSub(12345), IntSub(-2**70), 3**200]:
    got = ext.digits(v)
    print("digits", repr(v)[:30], got == py_digits(int(v)), got[0], ext.value_from_digits(v))
print("digits of computed", ext.digits(sum(range(10**5)))[1], ext.digits(-(2**90 + 5)))

# ---- the rest of longobject.h ----
for v in [0, 1, 2**63, 2**64 - 1, -1, -2**63]:
    show("void_ptr(%r)" % v, ext.void_ptr, v)
for v in [2**64, -2**63 - 1, 1.5, "x"]:
    try:
        ext.void_ptr(v)
    except Exception as e:
        print("void_ptr(%r) ->" % (v,), type(e).__name__, e)
for v in [0, 5, 2**64 - 1, 2**64, -1, True, 1.0]:
    try:
        print("as_size_t(%r) =" % (v,), ext.as_size_t(v))
    except Exception as e:
        print("as_size_t(%r) ->" % (v,), type(e).__name__, e)
print("get_info", ext.get_info() == sys.int_info, type(ext.get_info()).__name__)
for text, base in [("123", 10), ("  -0x1F ", 0), ("1_000", 0), ("\u0661\u0662", 10), ("zz", 36), ("12", 2),
                   ("", 10), ("0o17", 8), ("017", 0), ("5", 1), ("5", 37)]:
    try:
        print("from_unicode(%r, %d) =" % (text, base), ext.from_unicode(text, base))
    except Exception as e:
        print("from_unicode(%r, %d) ->" % (text, base), type(e).__name__, e)
for text, base in [(b"123", 10), (b"  -42xyz", 10), (b"0x1f", 0), (b"0x1f", 16), (b"1f", 16), (b"0o17", 0),
                   (b"0b101", 0), (b"0b101", 2), (b"017", 0), (b"000", 0), (b"0", 0), (b"0x", 0), (b"0xg", 16),
                   (b"zz", 36), (b"12", 1), (b"12", 37), (b"18446744073709551615", 10),
                   (b"18446744073709551616", 10), (b"99999999999999999999999x", 10), (b"-9223372036854775808", 10),
                   (b"9223372036854775808", 10), (b"-9223372036854775809", 10), (b"+7", 10), (b"-", 10), (b"", 10),
                   (b"\t\n 12", 0), (b"1_000", 10), (b"0b", 2)]:
    print("strtol %r %d" % (text, base), ext.strtol(text, base, 1), ext.strtol(text, base, 0))
for v in [0, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1, 2**64, -1, -2**70, 1.5, IntSub(9)]:
    print("converters(%r)" % (v,), ext.converters(v))
for v in [0, 1, -1, 3, 2**52 + 1, 2**53 + 1, 2**54 + 2, 2**54 + 6, 2**54 + 3, -(2**100 + 2**47), 10**30, 2**1100, (2**53 - 1) << 1000]:
    print("frexp", ext.frexp(v))
for text, base in [(b"123", 10), (b"ff", 16), (b"12x", 10), (b"", 10), (b"1\x002", 10), (b"\xff", 10), (b"7", 40)]:
    try:
        print("from_bytes(%r, %d) =" % (text, base), ext.from_bytes(text, base))
    except Exception as e:
        print("from_bytes(%r, %d) ->" % (text, base), type(e).__name__, e)
for v in [0, 1, -1, 255, -256, 2**100, -(2**100) + 1, True]:
    print("sign_bits", v, ext.sign_bits(v))
for a, b in [(7, 2), (5, 2), (-5, 2), (-7, 2), (7, -2), (5, -2), (9, 4), (10, 4), (-10, 4), (10**30 + 1, 2), (3, 6), (-3, 6), (1, 1)]:
    print("divmod_near", a, b, ext.divmod_near(a, b))
for a, b in [(1, 0), (1.5, 2), (1, "x")]:
    try:
        ext.divmod_near(a, b)
    except Exception as e:
        print("divmod_near", repr(a), repr(b), "->", type(e).__name__, e)
for v, n, little, signed in [(1, 4, 1, 0), (1, 4, 0, 0), (-1, 4, 1, 1), (255, 1, 1, 0), (255, 1, 1, 1), (128, 1, 1, 1),
                             (-128, 1, 1, 1), (-129, 1, 1, 1), (2**64 - 1, 8, 0, 0), (2**64, 8, 0, 0), (-1, 4, 1, 0),
                             (0, 0, 1, 1), (1, 0, 1, 0), (0x0102030405, 8, 0, 1)]:
    try:
        print("as_byte_array", v, n, little, signed, ext.as_byte_array(v, n, little, signed))
    except Exception as e:
        print("as_byte_array", v, n, little, signed, "->", type(e).__name__, e)
for v in [0, 255, -255, 2**70]:
    print("format", v, [ext.format(v, b) for b in (2, 8, 10, 16)])
print("gcd", ext.gcd(12, 18), ext.gcd(-12, 18), ext.gcd(0, 0), ext.gcd(2**100, 2**60 * 3), ext.gcd(0, -5))
print("shift", ext.shift(1, 100, 1), ext.shift(-1, 3, 0), ext.shift(2**100, 99, 0), ext.shift(-5, 1, 0), ext.shift(0, 10**6, 1))
c = ext.copy(IntSub(5))
print("copy", c, type(c).__name__, ext.copy(True), type(ext.copy(True)).__name__, ext.copy(2**80))
print("pid", ext.pid(1234), ext.pid(-1) if False else "")
try:
    ext.pid(2**40)
except OverflowError as e:
    print("pid overflow ->", e)

for digits, negative in [([], 0), ([5], 0), ([5], 1), ([0, 1], 0), ([1, 2, 3], 1), ([2**30 - 1] * 5, 0)]:  # C must leave the digits normalized
    v = ext.new(digits, negative, 0)
    print("new", digits, negative, v, type(v).__name__, v == (-1 if negative else 1) * sum(d << (30 * i) for i, d in enumerate(digits)))
print("new then used in C", ext.new([3, 1], 1, 1))
try:
    ext.new_too_big()
except OverflowError as e:
    print("new too big ->", e)

print("DONE")
