"""A ctypes instance stored into an array item, a Structure field or a
pointer's target: one of the item's own type is copied byte for byte
(`c_float(1)` into a `c_float * 3`: PyOpenGL's list handler builds its
arrays so), one of another type is refused; c_bool items read as bools and
store their value's truth."""
import ctypes
from ctypes import (POINTER, Structure, c_bool, c_char, c_double, c_float,
                    c_int, c_ubyte, c_void_p, c_wchar, pointer)


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


def store(obj, key, value):
    obj[key] = value
    return obj[key]


def put(obj, name, value):
    setattr(obj, name, value)
    return getattr(obj, name)


for T, v in ((c_float, 1.5), (c_double, 2.5), (c_int, 7), (c_ubyte, 200),
             (c_char, b"x"), (c_wchar, "y"), (c_bool, True)):
    A = T * 3
    a = A()
    show(f"{T.__name__} item:", lambda: store(a, 1, T(v)))
    show(f"{T.__name__} slice:", lambda: (a.__setitem__(slice(0, 3), [T(v)] * 3), a[:])[1])
    show(f"{T.__name__} init:", lambda: A(T(v), T(v))[0])
    show(f"{T.__name__} pointer:", lambda: store(pointer(T(v)), 0, T(v)))

# nested lists made into arrays of arrays item by item, as PyOpenGL does
row = [c_float(1), c_float(2), c_float(3)]
R = c_float * 3
rows = (R * 2)()
rows[:] = [(R)(*row), (R)(*row)]
print("rows:", [list(r) for r in rows])

# a subclass instance is an instance of the item type
class MyFloat(c_float):
    pass


show("subclass item:", lambda: store((c_float * 2)(), 0, MyFloat(4.5)))

# other ctypes instances are refused
show("double into float item:", lambda: store((c_float * 2)(), 0, c_double(1.0)))
show("pointer into void_p item:", lambda: store((c_void_p * 2)(), 0, pointer(c_int(1))))
show("array into pointer item:",
     lambda: bool(store((POINTER(c_int) * 1)(), 0, (c_int * 2)(1, 2))))


class S(Structure):
    _fields_ = [("f", c_float), ("d", c_double), ("b", c_bool), ("c", c_char),
                ("i", c_int)]


s = S()
show("field float:", lambda: put(s, "f", c_float(2.5)))
show("field double:", lambda: put(s, "d", c_double(1.25)))
show("field bool:", lambda: put(s, "b", c_bool(True)))
show("field char:", lambda: put(s, "c", c_char(b"q")))
show("field int:", lambda: put(s, "i", c_int(3)))
show("field init:", lambda: S(c_float(0.5), c_double(0.25)).d)
show("float into double field:", lambda: put(s, "d", c_float(1.0)))
show("int into float field:", lambda: put(s, "f", c_int(1)))

# c_bool: stores its value's truth, reads a bool
b = (c_bool * 3)(True, False, 5)
print("bools:", b[:], list(b), b[2], bytes(b))
pb = pointer(c_bool(True))
print("bool pointer:", pb[0], pb.contents.value)
pb[0] = 7
print("bool pointer store:", pb[0], bytes(pb.contents))
s.b = 5
print("bool field store:", s.b, bytes(s)[S.b.offset])
pw = pointer(c_wchar("a"))
pw[0] = "z"
print("wchar pointer:", pw[0], pw.contents.value)
pc = pointer(c_char(b"a"))
pc[0] = b"z"
print("char pointer:", pc[0], pc.contents.value)
print("DONE")
