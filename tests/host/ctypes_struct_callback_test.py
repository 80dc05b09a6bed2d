# A ctypes callback stored in a Structure field is kept alive by the
# structure, as CPython keeps it (the callback's thunk is in its _objects).
import gc
import weakref
from ctypes import CFUNCTYPE, Structure, c_int

CMP = CFUNCTYPE(c_int, c_int)


class Callbacks(Structure):
    _fields_ = [("cmp", CMP), ("other", CMP)]


f = CMP(lambda a: a * 2)
print("callback _objects:", {k: type(v).__name__ for k, v in f._objects.items()})
ref = weakref.ref(f)
t = Callbacks(f, CMP(lambda a: a + 1))
print("structure _objects keys:", sorted(t._objects))
del f
gc.collect()
print("calls through the fields after the callbacks are dropped:", t.cmp(5), t.other(5))
print("DONE")
