import math
import warnings

import complex_ext as ext


def out(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: {type(e).__name__}: {e}")
    else:
        print(f"{label}: {r!r} {type(r).__name__}")


class CSub(complex):
    def __complex__(self):
        return 9j


class HasComplex:
    def __complex__(self):
        return 3 + 4j


class BadComplex:
    def __complex__(self):
        return 1.5

    def __repr__(self):
        return "BadComplex()"


class ReturnsSub:
    def __complex__(self):
        return CSub(5, 6)

    def __repr__(self):
        return "ReturnsSub()"


class RaisesComplex:
    def __complex__(self):
        raise ValueError("no complex")


class HasFloat:
    def __float__(self):
        return 2.5


class HasIndex:
    def __index__(self):
        return 7


for re_, im in [(1.0, 2.0), (0.0, -0.0), (-1.5, math.inf), (math.nan, 1.0), (1e308, -1e308)]:
    out(f"FromDoubles({re_}, {im})", ext.from_doubles, re_, im)
    out(f"FromCComplex({re_}, {im})", ext.from_c_complex, re_, im)
for label, v in [("1+2j", 1 + 2j), ("-0j", complex(0.0, -0.0)), ("CSub", CSub(1, 2)), ("HasComplex", HasComplex()),
                 ("BadComplex", BadComplex()), ("RaisesComplex", RaisesComplex()), ("ReturnsSub", ReturnsSub()), ("HasFloat", HasFloat()),
                 ("HasIndex", HasIndex()), ("3", 3), ("2**2000", 2 ** 2000), ("1.25", 1.25), ("True", True),
                 ("'x'", "x"), ("None", None), ("[]", [])]:
    out(f"AsCComplex({label})", ext.as_c_complex, v)
    out(f"Real/ImagAsDouble({label})", ext.real_imag, v)
    out(f"Check/CheckExact({label})", ext.check, v)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    out("AsCComplex(ReturnsSub) warned", ext.as_c_complex, ReturnsSub())
print("warnings:", [(w.category.__name__, str(w.message)) for w in caught])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    out("AsCComplex(ReturnsSub) warning as error", ext.as_c_complex, ReturnsSub())
print("DONE")
