# The messages of a wrong call of each METH_* flavour, by the way it is
# called: a module function, unbound through the type, directly on an
# instance, and a bound method kept and called later (CPython words these
# differently: a descriptor's call names Type.name(), a bound method name()).
import functools
import methmsg_ext as ext

M = ext.M
o = M()


class Sub(M):
    pass


s = Sub()


def attempt(label, fn, *args, **kwargs):
    try:
        # (A call with `**{}` gives a METH_VARARGS|METH_KEYWORDS function an
        # empty dict in CPython, where the host passes NULL: differences.md.)
        r = fn(*args, **kwargs) if kwargs else fn(*args)
    except TypeError as e:
        print(f"{label}: TypeError {e}")
    else:
        print(f"{label}: {r!r}")


# Each wrong (or right) way to call a function of each flavour.
CALLS = [
    ("()", (), {}),
    ("(1)", (1,), {}),
    ("(1, 2)", (1, 2), {}),
    ("(k=1)", (), {"k": 1}),
    ("(1, k=1)", (1,), {"k": 1}),
]

FLAVOURS = ["noargs", "o", "varargs", "varkw", "fast", "fastkw"]

for name in FLAVOURS:
    fn = getattr(ext, name)
    for text, args, kwargs in CALLS:
        attempt(f"module {name}{text}", fn, *args, **kwargs)

for name in FLAVOURS + ["method"]:
    unbound = getattr(M, name)
    bound = getattr(o, name)
    for text, args, kwargs in CALLS:
        attempt(f"unbound M.{name}(o, ...){text}", unbound, o, *args, **kwargs)
        attempt(f"bound o.{name}{text}", bound, *args, **kwargs)
        attempt(f"subclass bound s.{name}{text}", getattr(s, name), *args, **kwargs)
        attempt(f"partial o.{name}{text}", functools.partial(bound), *args, **kwargs)
        attempt(f"descriptor __get__ {name}{text}", M.__dict__[name].__get__(o, M), *args, **kwargs)
    attempt(f"unbound M.{name}() no self", unbound)
    attempt(f"unbound M.{name}(1) wrong self", unbound, 1)
    attempt(f"unbound M.{name}(1, k=1) wrong self", unbound, 1, k=1)

# Direct calls on an instance (the interpreter's method-call path) and on
# the type, written out: no helper in between.
def direct(label, thunk):
    try:
        r = thunk()
    except TypeError as e:
        print(f"{label}: TypeError {e}")
    else:
        print(f"{label}: {r!r}")


direct("o.noargs(1)", lambda: o.noargs(1))
direct("o.noargs(k=1)", lambda: o.noargs(k=1))
direct("o.o()", lambda: o.o())
direct("o.o(1, 2)", lambda: o.o(1, 2))
direct("o.o(k=1)", lambda: o.o(k=1))
direct("o.o(1, k=1)", lambda: o.o(1, k=1))
direct("o.varargs(k=1)", lambda: o.varargs(k=1))
direct("o.varargs(1, k=1)", lambda: o.varargs(1, k=1))
direct("o.fast(k=1)", lambda: o.fast(k=1))
direct("o.fast(1, k=1)", lambda: o.fast(1, k=1))
direct("M.varargs(o, k=1)", lambda: M.varargs(o, k=1))
direct("M.noargs(o, k=1)", lambda: M.noargs(o, k=1))
direct("M.o(o, k=1)", lambda: M.o(o, k=1))
direct("M.fast(o, k=1)", lambda: M.fast(o, k=1))
direct("ext.varargs(k=1)", lambda: ext.varargs(k=1))
direct("ext.noargs(k=1)", lambda: ext.noargs(k=1))
direct("ext.o(k=1)", lambda: ext.o(k=1))
direct("ext.fast(k=1)", lambda: ext.fast(k=1))

# Class and static methods.
for name in ["c_noargs", "c_o", "c_varargs", "c_fast", "s_noargs", "s_o", "s_varargs", "s_fast"]:
    for text, args, kwargs in CALLS:
        attempt(f"M.{name}{text}", getattr(M, name), *args, **kwargs)
        attempt(f"o.{name}{text}", getattr(o, name), *args, **kwargs)
direct("M.c_varargs(k=1)", lambda: M.c_varargs(k=1))
direct("o.c_varargs(k=1)", lambda: o.c_varargs(k=1))
direct("M.s_varargs(k=1)", lambda: M.s_varargs(k=1))
direct("o.s_varargs(k=1)", lambda: o.s_varargs(k=1))
direct("M.c_noargs(1)", lambda: M.c_noargs(1))
direct("M.s_o()", lambda: M.s_o())
print("DONE")
