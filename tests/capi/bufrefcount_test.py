import sys
import bufrefcount_ext as m
for make in (lambda: bytearray(b"abcd"), lambda: b"abcd" * 3, lambda: memoryview(bytearray(8)), lambda: __import__("array").array("i", [1, 2])):
    data = make()
    r0 = sys.getrefcount(data)
    m.hold(data)
    r1 = sys.getrefcount(data)
    c1 = m.refcnt(data)
    m.release()
    r2 = sys.getrefcount(data)
    print(type(data).__name__, "getrefcount delta while held:", r1 - r0, "after release:", r2 - r0)
x = object(); r0 = sys.getrefcount(x); m.keep(x); print("Py_INCREF delta:", sys.getrefcount(x) - r0)
print("DONE")
