# A C function called from C with PyObject_Call gets the caller's exact tuple
# itself (Cython's extstarargs: `f(*t) is t`); keyword names of a str
# subclass reach C as the caller's objects (Cython's str_subclass_kwargs).
import argspass_ext as ext

t = (1, "two", 3.0)
r, same = ext.call(ext.args_of, t)
print(r, same)
r, same = ext.call_slot(ext.args_of, t)
print(r, same)
(args, names), same = ext.call(ext.args_kw_of, t, {"a": 1})
print(args, names, same)
print(ext.call(ext.args_of, ())[1])

# Nested: the inner function sees its own arguments, not the outer tuple.
print(ext.call(ext.call, (ext.args_of, (5, 6)))[0])


class S(str):
    pass


class NoCompare(str):
    def __eq__(self, other):
        raise RuntimeError("do not compare me")

    def __hash__(self):
        return hash(str(self))


print(ext.args_kw_of(**{S("k"): 1, "plain": 2}))
print(ext.args_kw_of(x=1, **{S("k"): 1}))
print(ext.kwnames_of(**{S("k"): 1}))
print(ext.kwnames_of(**{"k": 1}))
try:
    ext.kwnames_of(**{NoCompare("k"): 1})
except RuntimeError as e:
    print("RuntimeError", e)
# From C: a dict with a str-subclass key, through PyObject_Call.
print(ext.call(ext.args_kw_of, (), {S("k"): 1})[0])
print(ext.call(ext.kwnames_of, (), {S("k"): 1})[0])


def py_kw(**kw):
    return [type(k).__name__ for k in kw]


print(py_kw(**{S("k"): 1, "j": 2}))
print(ext.call(py_kw, (), {S("k"): 1})[0])
try:
    ext.args_of(**{S("k"): 1})
except TypeError as e:
    print("TypeError", e)
print("DONE")
