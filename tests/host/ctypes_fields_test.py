"""Structure fields and object lifetimes: a CFUNCTYPE field reads back as a
callable function object; a field type that is not a ctypes type is
refused; objects read through a pointer keep the pointer alive; ctypes
objects pickle."""
import gc
import pickle
import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_double, c_int, pointer


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


CB = CFUNCTYPE(c_int, c_int)
cb = CB(lambda v: v * 2)


class Ops(Structure):
    _fields_ = [("f", CB), ("n", c_int)]


ops = Ops(cb, 3)
show("field type:", lambda: type(ops.f).__name__)
show("field call:", lambda: ops.f(21))
show("NULL field:", lambda: bool(Ops().f))
empty = Ops()
empty.f = cb
show("assigned field:", lambda: empty.f(5))
show("field identity kept:", lambda: ctypes.cast(ops.f, ctypes.c_void_p).value == ctypes.cast(cb, ctypes.c_void_p).value)

show("non-ctypes field:", lambda: type("Bad", (Structure,), {"_fields_": [("a", int)]}))
show("non-ctypes field 2:", lambda: type("Bad2", (Structure,), {"_fields_": [("a", c_int), ("b", 3)]}))


def contents_of_temp():
    v = pointer(c_int(1234)).contents
    gc.collect()
    junk = [bytes(4) * i for i in range(200)]
    return v.value


show("contents of temporary pointer:", contents_of_temp)


class P(Structure):
    _fields_ = [("x", c_int), ("y", c_double)]


def item_of_temp():
    s = pointer(P(7, 1.5))[0]
    gc.collect()
    junk = [bytes(16) * i for i in range(200)]
    return (s.x, s.y)


show("item of temporary pointer:", item_of_temp)
target = c_int(5)
show("pointer to temporary pointer:", lambda: pointer(pointer(target)).contents.contents.value)

show("pickle c_int:", lambda: pickle.loads(pickle.dumps(c_int(42))).value)
show("pickle struct:", lambda: (lambda p: (p.x, p.y))(pickle.loads(pickle.dumps(P(3, 2.5)))))
show("pickle pointer:", lambda: pickle.dumps(pointer(c_int(1))))

import warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")

    class Packed(Structure):
        _pack_ = 1
        _fields_ = [("a", ctypes.c_char), ("b", c_int)]

print("packed:", ctypes.sizeof(Packed), Packed.b.offset, [str(w.message) for w in caught])
show("addressof non-ctypes:", lambda: ctypes.addressof(3))
print("DONE")
