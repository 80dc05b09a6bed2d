# The slot dunders of a C type are wrapper descriptors to Python, as in
# CPython ("<slot wrapper '__add__' of 'T' objects>"), and bind to
# instances as method-wrappers: inspect, wrapt and doctest tell them apart
# from method descriptors.
import inspect
import re
import types
from slotwrapkind_ext import T, c_view


def err(label, fn, *args, **kwargs):
    try:
        r = fn(*args, **kwargs)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return
    print(f"{label}: returned {r!r}")


def addr(text):
    return re.sub(r"0x[0-9a-f]+", "0x...", text)


t = T(5)
for name in ("__add__", "__radd__", "__len__", "__call__", "__init__", "__repr__", "__await__", "__eq__", "__lt__"):
    w = T.__dict__[name]
    print(name, type(w).__name__, repr(w), w.__name__, w.__qualname__, w.__objclass__.__name__)
    print("  doc", repr(w.__doc__), repr(w.__text_signature__))
    print("  is WrapperDescriptorType", isinstance(w, types.WrapperDescriptorType),
          "routine", inspect.isroutine(w), "methoddescriptor", inspect.ismethoddescriptor(w),
          "builtin", inspect.isbuiltin(w), "function", inspect.isfunction(w))
    print("  C sees", c_view(w))
    b = getattr(t, name)
    print("  bound", type(b).__name__, addr(repr(b)), b.__self__ is t, b.__name__, b.__qualname__)
    print("  bound is MethodWrapperType", isinstance(b, types.MethodWrapperType), "bound doc", repr(b.__doc__))
print("hash is None", T.__hash__ is None)
print("signature", inspect.signature(T.__add__), inspect.signature(t.__add__), inspect.signature(T.__len__))
print("calls", T.__add__(t, 2), t.__add__(3), T.__len__(t), t.__len__(), T.__call__(t, 1, 2), T.__eq__(t, 5),
      T.__add__(t, "x"), repr(T.__repr__(t)))
T.__init__(t, 9)
print("after T.__init__", t)
print("bound __init__ returns", t.__init__(4), t)
print("await iter", type(T.__await__(t)).__name__)
err("wrong self", T.__add__, 1, 2)
err("no self", T.__len__)
err("await extra arg", T.__await__, t, 1)
err("bound wrong arity", t.__len__, 1)


class S(T):
    def __add__(self, other):
        return ("S", T.__add__(self, other), super().__add__(other))


s = S(1)
print("subclass", s + 2, S.__len__ is T.__len__, type(S.__dict__["__add__"]).__name__, len(s))
err("signature of the type", inspect.signature, T)

# doctest finds the examples C wrote into a slot wrapper's doc.
import doctest
import sys
finder = doctest.DocTestFinder()
found = finder.find(T, "T", module=sys.modules["slotwrapkind_ext"], globs={"T": T})
print("doctests", sorted((t.name, len(t.examples)) for t in found if t.examples))
runner = doctest.DocTestRunner()
for test in found:
    runner.run(test)
print("doctest results", runner.summarize(verbose=False))
print("same wrapper each time", T.__add__ is T.__add__, t.__add__ == t.__add__, t.__add__ == s.__add__)
print("DONE")
