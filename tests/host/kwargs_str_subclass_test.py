# Keyword names of a str subclass (`f(**{S('k'): 1})`) stay the caller's
# objects in a Python function's **kwargs, as in CPython.
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
print("DONE")
