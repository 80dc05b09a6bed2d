# The slot wrappers of a C type (`T.__init__`, `T.__call__`, `T.__len__`)
# are PyWrapperDescrObjects to C, whose `d_base` C may point at a copy
# with its own doc (Cython documents a cdef class's special methods so);
# `__doc__` and `__text_signature__` then show that doc.
import wrapperbase_ext as m
from wrapperbase_ext import T

print("redocumented", m.redocumented)
for name in ("__init__", "__call__", "__len__", "__repr__"):
    f = getattr(T, name)
    print(name, repr(f.__doc__), repr(f.__text_signature__))
    print("  C sees", m.inspect(f))
# A subclass finds its base's documented wrapper.
class S(T):
    pass
print("S.__init__", repr(S.__init__.__doc__))
# The host's own slot wrappers: C sees their name and doc too.
for f in (object.__init__, int.__add__, T.__getattribute__):
    kind, name, doc = m.inspect(f)[:3]
    print(kind, name, doc.split("\n--\n\n")[-1] if doc else doc)
    print("  doc", repr(f.__doc__), repr(f.__text_signature__))
print(T()(1, 2), len(T()), repr(T()))
print("DONE")
