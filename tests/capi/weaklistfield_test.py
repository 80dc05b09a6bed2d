# A C type's tp_weaklistoffset field is non-NULL while weak references to
# the instance exist and NULL when there are none, as in CPython: numpy's
# ndarray.resize reads it (TestResize::test_check_weakref).
import gc
import weakref
from weaklistfield_ext import T, has_weakrefs


def attempt(obj, n):
    try:
        obj.resize(n)
        return "resized"
    except ValueError as e:
        return f"ValueError: {e}"


t = T()
print("none yet", has_weakrefs(t), attempt(t, 1))
r = weakref.ref(t)
print("one ref", has_weakrefs(t), attempt(t, 2))
r2 = weakref.ref(t, lambda ref: None)
p = weakref.proxy(t)
del r
print("two left", has_weakrefs(t))
del r2
print("proxy left", has_weakrefs(t))
del p
gc.collect()
print("all gone", has_weakrefs(t), attempt(t, 3))


class Sub(T):
    pass


s = Sub()
print("subclass none", has_weakrefs(s))
w = weakref.ref(s)
print("subclass one", has_weakrefs(s), attempt(s, 4))
del w
print("subclass gone", has_weakrefs(s))

# The object dies while a weak reference stands: the reference goes dead.
dead = T()
dr = weakref.ref(dead, lambda ref: print("callback ran"))
del dead
gc.collect()
print("dead ref", dr())
print("DONE")
