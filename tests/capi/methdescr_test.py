import methdescr_ext as ext
from methdescr_ext import Desc


class K:
    def __init__(self, v):
        self.v = v

    value = Desc(lambda self, add=0: self.v + add)
    __hash__ = Desc(lambda self: hash(self.v))
    __eq__ = Desc(lambda self, other: isinstance(other, K) and self.v == other.v)
    __len__ = Desc(lambda self: 3)


class G:
    __getattr__ = Desc(lambda self, name: "missing " + name)
    value = Desc(lambda self: "found on G")


k, k2 = K(5), K(5)
ext.count()
print("k.value():", k.value(), k.value(add=2), "bindings:", ext.count())
print("hash, ==, len:", hash(k) == hash(5), k == k2, k == 4, len(k), "bindings:", ext.count())
print("d[k]:", {k: "found"}[k2], "bindings:", ext.count())
g = G()
# CPython 3.11 binds __getattr__ before calling it (the host, as 3.12+,
# calls it unbound): only the result is compared.
print("__getattr__:", g.nothing)
ext.count()
print("with __getattr__, g.value() binds:", g.value(), ext.count())
bound = k.value
print("k.value without a call binds:", bound(1), ext.count())
print("getattr(k, 'value')():", getattr(k, "value")(), ext.count())
print("K.value(k):", K.value(k), ext.count())
unbound, meth = ext.get_method(k, "value")
print("_PyObject_GetMethod:", unbound, meth(k) if unbound else meth(), "bindings:", ext.count())
k.value = lambda: "instance attribute"
unbound, meth = ext.get_method(k, "value")
print("shadowed by the instance:", unbound, meth(), ext.count())
print("DONE")
