# types.FunctionType(code, globals, name, argdefs, closure): None for any of
# the optional ones means "the code's own" (cloudpickle passes all five);
# a name given renames the function, its __qualname__ stays the code's.
import types


def outer():
    def f(a, b=2):
        return a + b
    return f


f = outer()
code, g = f.__code__, {}
cases = [
    ("2", (code, g)),
    ("3 None", (code, g, None)),
    ("3 name", (code, g, "renamed")),
    ("4 None", (code, g, None, None)),
    ("5 None", (code, g, None, None, None)),
    ("5 name", (code, g, "renamed", (5,), None)),
]
for label, args in cases:
    try:
        fn = types.FunctionType(*args)
        print(label + ":", fn.__name__, fn.__qualname__, fn.__defaults__, fn(1) if fn.__defaults__ else "")
    except Exception as e:
        print(label + ":", type(e).__name__, e)
for kw in ({"name": None}, {"name": "kw"}, {"name": None, "argdefs": (7,)}):
    fn = types.FunctionType(code, g, **kw)
    print(sorted(kw), fn.__name__, fn.__qualname__, fn.__defaults__)
try:
    types.FunctionType(code, g, 5)
except TypeError as e:
    print("int name: TypeError")
