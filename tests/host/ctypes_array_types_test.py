"""Array types: zero-length arrays at an address, `n * type` as well as
`type * n`, and arrays of Union and CFUNCTYPE types."""
import ctypes
from ctypes import c_int, c_ubyte, c_uint8


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


data = (c_ubyte * 4)(1, 2, 3, 4)
addr = ctypes.addressof(data)
show("zero-length from_address:", lambda: len((c_ubyte * 0).from_address(addr)))
show("zero-length bytes:", lambda: bytes((c_ubyte * 0).from_address(addr)))
show("from_address:", lambda: list((c_ubyte * 3).from_address(addr)))
show("3 * c_uint8:", lambda: (3 * c_uint8).__name__)
show("same type:", lambda: (3 * c_uint8) is (c_uint8 * 3))
show("2 * array:", lambda: (2 * (c_int * 3)).__name__)


class Point(ctypes.Structure):
    _fields_ = [("x", c_int), ("y", c_int)]


class Value(ctypes.Union):
    _fields_ = [("i", c_int), ("b", c_ubyte * 4)]


show("2 * Structure:", lambda: (2 * Point).__name__)
show("Union * 2:", lambda: (Value * 2).__name__)
show("2 * Union:", lambda: len((2 * Value)()))
show("pointer * 2:", lambda: (2 * ctypes.POINTER(c_int)).__name__)
show("CFUNCTYPE * 2:", lambda: (ctypes.CFUNCTYPE(c_int) * 2).__name__)
show("negative:", lambda: c_int * -1)

# Elements of structure, array and pointer type view the array's memory.
pts = (Point * 3)()
pts[1].x = 5
pts[2] = Point(7, 8)
print("struct elements:", type(pts[0]).__name__, [(p.x, p.y) for p in pts])
grid = ((c_int * 2) * 2)()
grid[1][0] = 9
print("nested arrays:", [list(row) for row in grid], type(grid[0]).__name__)
ints = [c_int(10), c_int(20)]
ptrs = (ctypes.POINTER(c_int) * 2)(*(ctypes.pointer(i) for i in ints))
ptrs[0].contents.value = 11
print("pointer elements:", type(ptrs[0]).__name__, [p.contents.value for p in ptrs], ints[0].value)


class Holder(ctypes.Structure):
    _fields_ = [("pts", Point * 2), ("n", c_int)]


h = Holder()
h.pts[1].y = 4
print("array field of structs:", [(p.x, p.y) for p in h.pts])

# An array goes where a pointer to its item type is expected.
libc = ctypes.CDLL(None)
memcpy = libc.memcpy
memcpy.argtypes = [ctypes.POINTER(c_int), ctypes.POINTER(c_int), ctypes.c_size_t]
dst = (c_int * 3)()
memcpy(dst, (c_int * 3)(4, 5, 6), ctypes.sizeof(dst))
print("array as POINTER(c_int):", list(dst))
show("from_param array:", lambda: type(ctypes.POINTER(c_int).from_param((c_int * 2)())).__name__)
show("from_param wrong array:", lambda: ctypes.POINTER(c_int).from_param((ctypes.c_double * 2)()))
print("DONE")
