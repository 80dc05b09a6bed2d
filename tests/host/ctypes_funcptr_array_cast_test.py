# An item of an array of CFUNCTYPE is a function object (it could not be
# read: "size differs from base type '_CData'"), and cast() takes what
# byref() gives, as c_void_p.from_param does in CPython's cast.
from ctypes import CFUNCTYPE, POINTER, Structure, byref, c_char, c_int, c_short, cast, pointer, sizeof

F = CFUNCTYPE(c_int, c_int)
table = (F * 3)()
print("empty item", type(table[0]).__name__, bool(table[0]), bool(table[-1]))
table[1] = F(lambda x: x + 1)
table[2] = F(lambda x: x * 10)
print("calls", table[1](3), table[2](3), table[-1](4))
print("item is a fresh object", table[1] is table[1])
try:
    table[3]
except IndexError as e:
    print("out of range", e)


class S(Structure):
    _fields_ = [("x", c_int), ("y", c_int), ("h", c_short * 2)]


class Holder(Structure):
    _fields_ = [("fns", F * 2)]


h = Holder()
h.fns[0] = F(lambda x: -x)
print("array field item", h.fns[0](7), bool(h.fns[1]))

s = S(3, 4, (5, 6))
p = cast(byref(s), POINTER(c_int))
print("byref cast", p[0], p[1])
p[1] = 40
print("writes through", s.y)
q = cast(byref(s, sizeof(c_int)), POINTER(c_int))
print("byref offset cast", q[0])
c = cast(byref(s.h), POINTER(c_short))
print("byref of a field", c[0], c[1])
n = c_int(99)
print("byref simple", cast(byref(n), POINTER(c_char * 4)).contents[0] != b"", cast(byref(n), POINTER(c_int))[0])
print("pointer cast", cast(pointer(s), POINTER(c_int))[1])
for bad in (5.0, "12"):
    try:
        cast(bad, POINTER(c_int))
        print("bad accepted", bad)
    except Exception:
        print("bad refused", type(bad).__name__)
print("DONE")
