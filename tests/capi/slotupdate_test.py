import slotupdate_ext as ext

Holder, Owner = ext.Holder, ext.Owner


def attempt(label, f, *args):
    try:
        r = f(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")
        return None
    print(f"{label}: {r!r}")
    return r


def value_of(obj):
    return obj.value


# Before Python gives the class an __init__: object's, which sets nothing.
h = ext.construct(Holder, (), None)
attempt("no __init__ yet, value", value_of, h)


# As @dataclass does: an __init__ set on the ready type. C's own call of
# tp_init runs it, with positional and keyword arguments.
def holder_init(self, value, *, scale=1):
    self.value = value * scale


Holder.__init__ = holder_init
attempt("positional", lambda: ext.construct(Holder, (5,), None).value)
attempt("keyword", lambda: ext.construct(Holder, (5,), {"scale": 3}).value)
attempt("Python's call", lambda: Holder(6).value)
attempt("bad arguments", ext.construct, Holder, (), None)


# A subclass inherits it; one with its own __init__ runs that.
class Sub(Holder):
    pass


class OwnInit(Holder):
    def __init__(self, value):
        super().__init__(value, scale=10)


attempt("subclass", lambda: ext.construct(Sub, (2,), None).value)
attempt("subclass's own __init__", lambda: ext.construct(OwnInit, (2,), None).value)


def returns_value(self, value):
    self.value = value
    return 1


Holder.__init__ = returns_value
attempt("__init__ returning 1", ext.construct, Holder, (1,), None)

# Deleted again: object's, and the value stays unset.
del Holder.__init__
attempt("after del, value", lambda: ext.construct(Holder, (), None).value)


# A type with a tp_init of its own, whose super-call reaches object's:
# that call does nothing more, also for a Python subclass with __init__.
class PyOwner(Owner):
    def __init__(self, value):
        self.value = value
        super().__init__()


before = ext.init_calls()
attempt("own tp_init, subclass", lambda: ext.construct(PyOwner, (4,), None).value)
attempt("own tp_init, Python's call", lambda: PyOwner(8).value)
print("C tp_init ran:", ext.init_calls() - before)
print("DONE")
