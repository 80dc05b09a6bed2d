# C reads a ctypes instance through CPython's CDataObject (b_ptr, b_size),
# as PyGLM does for glm.float32 (ctypes.c_float): b_ptr is the memory
# Python sees (ctypes.addressof), and b_size ctypes.sizeof.
import ctypes
import ctypesdata_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


d = ctypes.c_double(2.5)
show("read c_double", ext.read_double(d))
d.value = -1.25
show("read c_double after .value =", ext.read_double(d))
show("b_ptr is addressof", ext.address(d) == ctypes.addressof(d))
show("b_size c_double", ext.size(d))

i = ctypes.c_int32(7)
show("read c_int32", ext.read_int32(i))
ext.write_int32(i, 42)
show("c_int32 after C wrote", i.value)


class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int32), ("y", ctypes.c_int32), ("z", ctypes.c_double)]


p = Point(3, 4, 5.0)
show("read Structure (first field)", ext.read_int32(p))
ext.write_int32(p, -9)
show("Structure.x after C wrote", p.x)
show("b_size Structure", ext.size(p))
show("b_ptr is addressof (Structure)", ext.address(p) == ctypes.addressof(p))

arr = (ctypes.c_int32 * 5)(10, 20, 30, 40, 50)
show("read Array", ext.read_int32(arr))
show("b_size Array", ext.size(arr))
show("read Array item (a field view)", ext.read_int32(arr[1:2] and ctypes.c_int32.from_buffer(arr, 8)))

s = ctypes.c_char_p(b"first")
a1 = ext.address(s)
s.value = b"second one"
show("c_char_p b_ptr follows the buffer", ext.address(s) == ctypes.addressof(s))
print("DONE")
