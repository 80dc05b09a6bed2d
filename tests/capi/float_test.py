import float_ext as ext


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__)
    else:
        print(label, "=", repr(r))


def conv(label, v):
    """PyFloat_AsDouble; on error print the type, the raw C return value and,
    for the C-API's own OverflowError, the message."""
    try:
        r = ext.as_double(v)
    except OverflowError as e:
        print(label, "-> OverflowError |", str(e), "| raw", repr(ext.last_raw()))
    except Exception as e:
        print(label, "->", type(e).__name__, "| raw", repr(ext.last_raw()))
    else:
        print(label, "=", repr(r), type(r).__name__)


class FloatSub(float):
    pass


class FloatSubOverride(float):
    def __float__(self):
        return 99.0


class HasFloat:
    def __float__(self):
        return 2.5


class HasFloatAndIndex:
    def __float__(self):
        return 3.5

    def __index__(self):
        return 4


class HasIndex:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class FloatReturnsInt:
    def __float__(self):
        return 1


class FloatRaises:
    def __float__(self):
        raise ArithmeticError("float failed")


class HasInt:
    def __int__(self):
        return 5


class IntSub(int):
    pass


# ---- PyFloat_FromDouble ----
consts = ext.constants()
print("FromDouble constants", consts)
print("FromDouble constants all exact float", all(type(x) is float for x in consts))
print("FromDouble -0.0 repr", repr(consts[1]))
print("FromDouble DBL_MAX == sys max", consts[5] == 1.7976931348623157e308)
sp = ext.specials()
print("FromDouble specials", [repr(x) for x in sp])
print("FromDouble nan != nan", sp[2] != sp[2])
print("FromDouble inf == float('inf')", sp[0] == float("inf"), sp[3] == float("inf"))
print("new float exact/refcnt", ext.new_float_is_exact())

# ---- PyFloat_AsDouble ----
for label, v in [("1.5", 1.5), ("-1.0", -1.0), ("0.0", 0.0), ("-0.0", -0.0), ("inf", float("inf")),
                 ("-inf", float("-inf")), ("nan", float("nan")), ("1e308", 1e308), ("5e-324", 5e-324),
                 ("0", 0), ("-1", -1), ("2**53+1", 2**53 + 1), ("2**1023", 2**1023),
                 ("2**1024", 2**1024), ("-(2**1024)", -(2**1024)), ("10**400", 10**400), ("True", True),
                 ("False", False), ("IntSub(7)", IntSub(7)), ("FloatSub(1.25)", FloatSub(1.25)),
                 ("FloatSubOverride(1.25)", FloatSubOverride(1.25)), ("HasFloat", HasFloat()),
                 ("HasFloatAndIndex", HasFloatAndIndex()), ("HasIndex(3)", HasIndex(3)),
                 ("HasIndex(-1)", HasIndex(-1)), ("HasIndex(2**1024)", HasIndex(2**1024)),
                 ("FloatReturnsInt", FloatReturnsInt()), ("FloatRaises", FloatRaises()),
                 ("HasInt", HasInt()), ("'1.5'", "1.5"), ("b'1'", b"1"), ("None", None),
                 ("[]", []), ("1j", 1j)]:
    conv("AsDouble(" + label + ")", v)

# ---- PyFloat_AS_DOUBLE ----
show("AS_DOUBLE 2.75", ext.as_double_macro, 2.75)
show("AS_DOUBLE -0.0", ext.as_double_macro, -0.0)
show("AS_DOUBLE nan", ext.as_double_macro, float("nan"))
show("AS_DOUBLE FloatSub", ext.as_double_macro, FloatSub(6.5))
show("AS_DOUBLE FloatSubOverride ignores __float__", ext.as_double_macro, FloatSubOverride(6.5))
try:
    ext.as_double_macro(3)
except TypeError as e:
    print("AS_DOUBLE on int ->", type(e).__name__, str(e))

# ---- C-side classification ----
for label, v in [("0.0", 0.0), ("-0.0", -0.0), ("inf", float("inf")), ("-inf", float("-inf")),
                 ("nan", float("nan")), ("-1.5", -1.5), ("specials[4] (-NAN)", sp[4])]:
    show("isnan/isinf/signbit/zero " + label, ext.classify_double, v)
show("add 0.1+0.2", ext.add, 0.1, 0.2)
show("add 1e308+1e308", ext.add, 1e308, 1e308)
show("add inf+-inf", ext.add, float("inf"), float("-inf"))
show("add int+float", ext.add, 1, 0.5)
show("add str", ext.add, "1", 0.5)

# ---- PyFloat_Check / CheckExact ----
for label, v in [("1.0", 1.0), ("nan", float("nan")), ("FloatSub", FloatSub(1)), ("1", 1),
                 ("True", True), ("'1.0'", "1.0"), ("None", None), ("HasFloat", HasFloat()),
                 ("float type", float)]:
    print("Float Check/CheckExact/ob_type==Float", label, ext.check(v))

# ---- bool ----
bc = ext.bool_from_long_constants()
print("BoolFromLong constants", bc)
print("BoolFromLong constants identities", [x is True for x in bc], [x is False for x in bc])
for v in [0, 1, -1, 2, 2**63 - 1, -(2**63)]:
    r = ext.bool_from_long(v)
    print("BoolFromLong", v, repr(r), r is True, r is False, type(r).__name__)
print("Py_RETURN_TRUE", repr(ext.return_true()), ext.return_true() is True)
print("Py_RETURN_FALSE", repr(ext.return_false()), ext.return_false() is False)
print("Py_True", repr(ext.get_true()), ext.get_true() is True)
print("Py_False", repr(ext.get_false()), ext.get_false() is False)
for label, v in [("True", True), ("False", False), ("1", 1), ("0", 0), ("None", None), ("1.0", 1.0),
                 ("'True'", "True"), ("bool type", bool)]:
    print("PyBool_Check/ob_type==Bool/PyLong_Check/PyLong_CheckExact", label, ext.bool_check(v))
show("bool as long True", ext.bool_as_long, True)
show("bool as long False", ext.bool_as_long, False)
print("True + returned True", ext.return_true() + ext.get_true())
print("singleton types", ext.singleton_types())

# ---- None / NotImplemented / Ellipsis ----


class Key:
    def __getitem__(self, k):
        return k


print("Py_RETURN_NONE is None", ext.return_none() is None)
print("Py_None is None", ext.get_none() is None)
print("repr None", repr(ext.get_none()))
print("Py_NotImplemented is NotImplemented", ext.get_notimplemented() is NotImplemented)
print("repr NotImplemented", repr(ext.get_notimplemented()))
print("Py_Ellipsis is Ellipsis", ext.get_ellipsis() is Ellipsis, ext.get_ellipsis() is ...)
print("repr Ellipsis", repr(ext.get_ellipsis()))
for label, v in [("None", None), ("True", True), ("False", False), ("NotImplemented", NotImplemented),
                 ("Ellipsis", ...), ("0", 0), ("1", 1), ("''", ""), ("returned None", ext.return_none()),
                 ("returned True", ext.return_true()), ("bool(1)", bool(1)), ("not 1", not 1),
                 ("1 == 1", 1 == 1), ("[].sort()", [].sort()),
                 ("NotImplemented from Python", int.__add__(1, "x")),
                 ("Ellipsis from subscript syntax", Key()[...])]:
    print("which", label, ext.which(v))
print("hammer singletons", ext.hammer_singletons())
print("after hammer None is None", ext.get_none() is None, ext.return_true() is True)
show("float_or_notimplemented 1.0", ext.float_or_notimplemented, 1.0)
show("float_or_notimplemented -1.0", ext.float_or_notimplemented, -1.0)
show("float_or_notimplemented 1", ext.float_or_notimplemented, 1)
print("float_or_notimplemented 'x' is NotImplemented", ext.float_or_notimplemented("x") is NotImplemented)

print("pymath constants", ext.math_constants())
for v in (0.0, -1.5, float("nan"), float("inf"), float("-inf"), 1e308):
    print("classify", repr(v), ext.classify(v))


# ---- packing, limits, parsing ----
import array
import struct
import sys

inf, nan = float("inf"), float("nan")
for x in [0.0, -0.0, 1.0, -1.5, 0.1, 65504.0, 65519.99, 65520.0, -65520.0, 6.1e-5, 6.0e-8, 5.96e-8, 2.98e-8, 2.9802322387695312e-08,
          2.9802322387695314e-08, 1e-10, 0.333251953125, 1.00048828125, 1.0009765625, 1.00146484375, 3.4028234663852886e38,
          3.4028235677973366e38, 1e39, -1e39, 1.4e-45, 7e-46, 1e-50, 1e308, inf, -inf, nan, -nan, 2049.0, 2051.0]:
    row = []
    for size in (2, 4, 8):
        try:
            little, big = ext.n_pack(x, size)
            back = ext.n_unpack(little, 1)
            same = back == ext.n_unpack(big, 0) or back != back
            code = {2: "e", 4: "f", 8: "d"}[size]
            row.append((little.hex(), big.hex(), repr(back), same, little == struct.pack("<" + code, x)))
        except OverflowError as e:
            row.append(("OverflowError", str(e)))
    print("pack", repr(x), row)
for data in [b"\x00\x7c", b"\x00\xfc", b"\x01\x7c", b"\x00\x7e", b"\x00\xfe", b"\x01\x00", b"\xff\x03", b"\x00\x04", b"\xff\x7b"]:
    print("unpack2", data.hex(), repr(ext.n_unpack(data, 1)), repr(ext.n_unpack(data[::-1], 0)))
for data in [b"\x00\x00\x80\x7f", b"\x00\x00\xc0\xff", b"\x01\x00\x00\x00", b"\xff\xff\x7f\x7f"]:
    print("unpack4", data.hex(), repr(ext.n_unpack(data, 1)))
print("unpack8", repr(ext.n_unpack(b"\x00\x00\x00\x00\x00\x00\xf0\x7f", 1)), repr(ext.n_unpack(b"\x3f\xf0" + b"\x00" * 6, 0)))

fmax, fmin, info = ext.n_limits()
print("limits", fmax, fmin, info == sys.float_info, type(info).__name__, info.max == fmax, info.min == fmin)

for v in ["1.5", "  -2.5e3  ", "inf", "-Infinity", "nan", "1_000.5", "0x10", "", "abc", "1e500", "\u0661.\u0662",
          b"3.25", b" 7 ", b"bad", bytearray(b"4.5"), memoryview(b"6.5"), array.array("b", [49, 46, 53]), 5, 2.5, None, [1]]:
    try:
        r = ext.n_from_string(v)
    except Exception as e:
        print("from_string %r ->" % (v if not isinstance(v, (memoryview, array.array)) else type(v).__name__,), type(e).__name__, "|", e if not isinstance(v, (memoryview, array.array)) else "")
    else:
        print("from_string %r =" % (v if not isinstance(v, (memoryview, array.array)) else type(v).__name__,), repr(r))

print("math", ext.n_math())
print("return nan/inf", ext.n_return_nan(), ext.n_return_inf(3.0), ext.n_return_inf(-0.5), ext.n_return_inf(-0.0))

print("DONE")
