import metaalloc_ext as ext

A = ext.make("A", "alpha")
print("A", type(A).__name__, A.__name__, A.kind, ext.info(A))
print("doc", A.__doc__)
a = A()
print("repr", repr(a))
print("len", len(a))
print("add", a + 1)
print("radd", 2 + a)
print("dunders", "__add__" in A.__dict__, "__len__" in A.__dict__, "__repr__" in A.__dict__)
print("c_slots", ext.c_slots(a))

B = ext.make("B", "beta", A)
print("B", ext.info(B), repr(B()), B.__mro__[1] is A)


class C(A):
    """C's own doc"""

    def __len__(self):
        return 7


c = C()
print("C", ext.info(C), C.__doc__, len(c), repr(c), c + 3)
print("C c_slots", ext.c_slots(c))


class D(B):
    def __repr__(self):
        return "D!"


print("D", ext.info(D), D.__doc__, repr(D()), len(D()), ext.c_slots(D()))

E = ext.Meta("E", (ext.Root,), {"x": 1})
print("E", ext.info(E), E.__doc__, E.x, "__add__" in E.__dict__)
try:
    len(E())
except TypeError as e:
    print("TypeError", e)

allocs, inits = ext.counts()
print("counts", allocs, inits)
print("DONE")
