"""Loads of builtin getset attributes (an exception's `args`, a function's
`__name__`, an instance's `__dict__`, `__class__`) from one load site run
many times: the host's specialised load runs the getter directly, and what
it returns must follow the object and its class."""

HOT = 40


def load_args(objs):
    return [o.args for o in objs]


def load_name(objs):
    return [o.__name__ for o in objs]


def load_dict(objs):
    return [sorted(o.__dict__) for o in objs]


def load_class(objs):
    return [o.__class__.__name__ for o in objs]


def runs(values):
    out = []
    for v in values:
        if out and out[-1][0] == v:
            out[-1][1] += 1
        else:
            out.append([v, 1])
    return [tuple(r) for r in out]


class E(Exception):
    pass


e = E(1, 2)
print("args hot:", runs(load_args([e] * HOT)))
e.args = ("changed",)
print("args changed:", runs(load_args([e] * 3)))
print("args mixed types:", runs(load_args([e, KeyError("k"), E()] * 3)))
E.args = property(lambda self: "E.args property")
print("args after class change:", runs(load_args([e] * 3)))
del E.args
print("args after del:", runs(load_args([e] * 3)))


def f():
    pass


print("__name__ hot:", runs(load_name([f] * HOT)))
f.__name__ = "renamed"
print("__name__ renamed:", runs(load_name([f] * 3)))
print("__name__ mixed:", runs(load_name([f, len, E, f] * 2)))


class P:
    def __init__(self):
        self.a = 1


class Q(P):
    @property
    def __dict__(self):
        return {"fake": 1}


p = P()
print("__dict__ hot:", runs(load_dict([p] * HOT)))
p.b = 2
print("__dict__ grew:", runs(load_dict([p] * 3)))
print("__dict__ with a property override:", runs(load_dict([p, Q()] * 3)))


class R:
    pass


r = R()
print("__class__ hot:", runs(load_class([r] * HOT)))
r.__class__ = P
print("__class__ changed:", runs(load_class([r] * 3)))
print("DONE")
