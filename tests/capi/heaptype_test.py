import gc

import heaptype_ext as ext

Counter, Special = ext.Counter, ext.Special


def show(label, value):
    print(label + ":", repr(value))


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(label + ": raised", type(e).__name__, str(e))


show("names", (Counter.__name__, Counter.__module__, Counter.__qualname__, Counter.__doc__))
show("facts", ext.type_facts(Counter))
c = Counter(5)
show("repr", repr(c))
show("members", (c.value, c.tag, c.double))
c.tag = "t"
show("nb_add", (c + 1, c.__add__("x")))
show("sq_length / mp_subscript", (len(c), c["k"]))
show("increment", (c.increment(), c.value))
show("METH_METHOD", (c.created(), c.created(1, 2, x=3)))
show("member doc", Counter.value.__doc__)
show("getset doc", Counter.double.__doc__)

s = Special(3)
show("spec subclass", (repr(s), s.value, len(s), s + 4, isinstance(s, Counter), Special.__base__ is Counter))
show("spec subclass facts", ext.type_facts(Special)[:3])
show("spec subclass METH_METHOD", s.created())


class Py(Counter):
    def extra(self):
        return self.value * 10


p = Py(2)
show("python subclass", (repr(p), p.extra(), p + 1, type(p).__name__))
show("python subclass facts", ext.type_facts(Py)[:3])
attempt("GetModule of a Python class", ext.no_module, Py)
attempt("GetModule of a static type", ext.no_module, int)
before = ext.created()
for i in range(100):
    Counter(i)
gc.collect()
show("created", ext.created() - before)
Named = ext.Named
show("Named keeps its class name", (Named.__name__, Named.__qualname__))
n = Named()
show("a member called __name__", (n.__name__,))
n.__name__ = "instance name"
show("set through the member", (n.__name__, Named.__name__))


class NamedSub(Named):
    def __new__(cls):
        return Named.__new__(cls)


class NamedSub2(NamedSub):
    def __new__(cls):
        return object.__new__(cls)


for cls in (NamedSub, NamedSub2):
    obj = cls()
    obj.__name__ = cls.__name__.lower()
    show(f"{cls.__name__}() via __new__", (type(obj).__name__, obj.__name__))
show("object.__new__(Named)", type(object.__new__(Named)).__name__)
attempt("object.__new__(int) still checks", object.__new__, int)

# Py_TPFLAGS_DISALLOW_INSTANTIATION: Python cannot make one.
try:
    ext.Internal()
    show("Internal()", "made")
except TypeError as e:
    show("Internal()", str(e))
show("Internal has tp_new", ext.Internal.__dict__.get("__new__") is not None)

print("DONE")
