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

# ---- C complex arithmetic (_Py_c_*) and the cval field ----
inf, nan = float("inf"), float("nan")
pairs = [(1 + 2j, 3 - 4j), (0j, 0j), (1 + 1j, 0j), (2j, 1j), (-1.5 + 0j, 0.5 + 0j), (1e308 + 1e308j, 1e-308 + 1e-308j),
         (3 + 4j, complex(nan, 1)), (complex(inf, 0), 2 + 1j), (0j, -1 + 0j), (0j, 1j), (0j, 2 + 0j), (-8 + 0j, 1 / 3 + 0j),
         (1j, 1j), (2 + 0j, 10 + 0j), (1e200 + 0j, 2 + 0j), (1 + 0j, complex(0, 0))]
for a, b in pairs:
    print("c_op", a, b, [ext.n_c_op(op, a, b) for op in ("sum", "diff", "neg", "prod", "quot", "pow")])
for z in [3 + 4j, 0j, complex(inf, nan), complex(nan, -inf), complex(nan, 1), 1e308 + 1e308j, -5 + 0j, 5e-324j]:
    print("c_abs", z, ext.n_c_op("abs", z))


class ComplexSub(complex):
    pass


for z in [1 + 2j, -0.0j, complex(inf, -nan), ComplexSub(3, 4), 1e300j]:
    print("cval", repr(z), ext.n_cval(z))

print("DONE")
