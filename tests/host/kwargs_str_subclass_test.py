# Keyword names of a str subclass (`f(**{S('k'): 1})`) stay the caller's
# objects in a Python function's **kwargs, and are matched to parameters
# with their own __eq__, as in CPython.
class S(str):
    pass


def names(**kw):
    return [(type(k).__name__, k) for k in kw]


def with_param(k=None, **kw):
    return k, names(**kw)


print(names(**{S("k"): 1, "j": 2}))
print(names(a=1, **{S("k"): 1}))
print(with_param(**{S("k"): 1, S("other"): 2}))
d = {S("x"): 1}
print(names(**d), names(**dict(d)))


class Holder:
    def m(self, **kw):
        return names(**kw)


print(Holder().m(**{S("k"): 1}))


class AlwaysEqual(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return hash(str(self))


class NoCompare(str):
    def __eq__(self, other):
        raise RuntimeError("do not compare me")

    def __hash__(self):
        return hash(str(self))


def two(a, b=None, *, c=None):
    return a, b, c


def pos_only(a, /, b=None):
    return a, b


print(two(**{AlwaysEqual("zz"): 1}))
try:
    two(1, **{AlwaysEqual("zz"): 2})
except TypeError as e:
    print("TypeError", e)
print(pos_only(0, **{AlwaysEqual("zz"): 5}))
for f in (two, names):
    try:
        print(f(**{NoCompare("a"): 1}))
    except RuntimeError as e:
        print("RuntimeError", e)
print("DONE")
