import memoryview_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return
    print(f"{label}: returned {r!r}")


def describe(m):
    return (m.tolist(), m.format, m.itemsize, m.ndim, m.shape, m.strides, m.readonly,
            m.c_contiguous, m.f_contiguous, m.nbytes)


b = b"abcdef"
m = ext.from_object(b)
show("FromObject bytes", (type(m).__name__, bytes(m), m.obj is b, m.readonly))
ba = bytearray(b"xyz")
m = ext.from_object(ba)
show("FromObject bytearray", (bytes(m), m.obj is ba, m.readonly))
m2 = ext.from_object(m)
show("FromObject memoryview", (m2 is m, bytes(m2), m2.obj is ba))
err("FromObject int", ext.from_object, 5)
err("FromObject str", ext.from_object, "abc")
m.release()
m2.release()

ro = ext.from_memory(False)
show("FromMemory read-only", describe(ro))
show("FromMemory obj", ro.obj)
err("FromMemory read-only write", ro.__setitem__, 0, 65)
rw = ext.from_memory(True)
show("FromMemory writable", describe(rw))
rw[0] = ord("Z")
rw[1:3] = b"YX"
show("Python writes reach C memory", ext.writable_contents())
show("GET_BUFFER of C memory", ext.get_buffer(rw, None))
ext.write_through_buffer(rw, 5, ord("!"))
show("C writes through GET_BUFFER", bytes(rw))

show("FromBuffer matrix", describe(ext.from_buffer(0)))
show("FromBuffer transposed", describe(ext.from_buffer(1)))
show("FromBuffer no strides", describe(ext.from_buffer(2)))
show("FromBuffer no shape, no format", describe(ext.from_buffer(3)))
err("FromBuffer NULL buf", ext.from_buffer, 9)

b = b"0123456789"
m = memoryview(b)
show("GET_BUFFER bytes", ext.get_buffer(m, b))
show("GET_BUFFER again (same)", ext.get_buffer(m, b)[-2])
ba = bytearray(b"abcdefgh")
m = memoryview(ba)[::2]
show("GET_BUFFER strided", ext.get_buffer(m, ba))
ext.write_through_buffer(m, 2, ord("C"))
show("C write through strided view", ba)
m.release()
show("Release after GET_BUFFER", m.__repr__().startswith("<released"))
ba.extend(b"!")
m = memoryview(bytes(range(12))).cast("B", (3, 4))
show("GET_BUFFER 2-D", ext.get_buffer(m, m.obj))
m = memoryview(bytearray(b"abc")).cast("c")
show("GET_BUFFER cast", ext.get_buffer(m, m.obj))
err("GET_BUFFER of a non-memoryview", ext.get_buffer, b"x", None)

c = memoryview(b"abcd")
r = ext.get_contiguous(c, False, "C")
show("GetContiguous contiguous view", (bytes(r), r.obj is c.obj))
r = ext.get_contiguous(b"xyz", False, "A")
show("GetContiguous bytes", (bytes(r), r.readonly))
strided = memoryview(b"abcdefgh")[::2]
r = ext.get_contiguous(strided, False, "C")
show("GetContiguous copy", (bytes(r), r.readonly, r.c_contiguous, r.strides))
err("GetContiguous writable of read-only", ext.get_contiguous, b"abc", True, "C")
err("GetContiguous writable of strided", ext.get_contiguous, memoryview(bytearray(b"abcd"))[::2], True, "C")
rw = ext.get_contiguous(bytearray(b"abcd"), True, "C")
show("GetContiguous writable", (bytes(rw), rw.readonly))
grid = memoryview(bytes(range(6))).cast("B", (2, 3))
f = ext.get_contiguous(grid, False, "F")
show("GetContiguous Fortran", (f.tolist(), f.strides, f.f_contiguous, f.c_contiguous, f.tobytes()))
show("GetContiguous Fortran buffer", ext.get_buffer(f, None)[5:8])
err("GetContiguous of int", ext.get_contiguous, 1, False, "C")

for label, obj in [("bytearray", bytearray(b"abc")), ("bytes", b"some bytes")]:
    before = ext.refcnt(obj)
    ext.exercise(obj)
    ext.exercise(obj)
    show(f"Refcount neutral {label}", ext.refcnt(obj) - before)
obj = bytearray(b"abc")
ext.exercise(obj)
obj.extend(b"d")
show("Exporter resizable after the views die", obj)

fields = ext.Fields()
m = memoryview(fields)
show("Python's memoryview of a C exporter", (describe(m), m.obj is fields))
m2 = ext.from_object(fields)
show("FromObject of a C exporter", (m2.tolist(), m2.obj is fields))
m3 = ext.from_object(m)
show("FromObject of that memoryview", (m3.tolist(), m3.obj is fields, memoryview(m3).obj is fields))
for v in (m, m2, m3):
    v.release()

# A buffer of complex items ("Zd"): the view is made, shows and passes on
# the exporter's format; its bytes, slices and casts work. (Reading an item
# differs, see differences.md.)
import struct
c = ext.Complex()
cm = memoryview(c)
show("complex view: format, itemsize, shape, nbytes", (cm.format, cm.itemsize, cm.shape, cm.nbytes))
show("complex view bytes", cm.tobytes() == struct.pack("4d", 1.5, -2.0, 3.25, 0.5))
show("complex view slice format and length", (cm[::-1].format, len(cm[::-1]), cm[1:].tobytes() == struct.pack("2d", 3.25, 0.5)))
show("complex view cast to bytes", (cm.cast("B").format, len(cm.cast("B"))))
show("PyObject_GetBuffer of the view", ext.buffer_format(cm))
show("PyObject_GetBuffer of its slice", ext.buffer_format(cm[1:]))
show("PyObject_GetBuffer of its cast", ext.buffer_format(cm.cast("B")))
show("PyMemoryView_FromObject of the exporter", ext.from_object(c).format)
show("GET_BUFFER of the view", ext.get_buffer(cm, c)[1:6])
cm.release()

print("DONE")

