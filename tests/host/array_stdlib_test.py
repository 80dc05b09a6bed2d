"""array.array as CPython has it: float items print as floats in the repr
(Cython's pyarray test), the items' C range errors, 'u' arrays (CPython's
TypeError, a lone surrogate, buffer format "w"), typecodes, and the plain
behaviours around them (tolist, frombytes, byteswap, buffer export,
pickling). 'u' is deprecated since 3.13 (the host's version is 3.14): the
warning is not printed."""
import array
import io
import pickle
import struct
import warnings

warnings.simplefilter("ignore", DeprecationWarning)


def show(label, f):
    try:
        r = f()
    except Exception as e:
        r = "%s: %s" % (type(e).__name__, e)
    print(label, r)


def mutated(a, f):
    f(a)
    return a


for tc in "bBhHiIlLqQfd":
    show("repr " + tc, lambda: repr(array.array(tc, [1, 2])))
    show("empty " + tc, lambda: repr(array.array(tc)))
show("repr f values", lambda: repr(array.array("f", [0.1, 1.5, -2.25, float("inf"), float("nan")])))
show("repr d values", lambda: repr(array.array("d", [0.1, 1e300, -0.0, 1e-7])))
show("str d", lambda: str(array.array("d", [3])))
show("repr u", lambda: repr(array.array("u", "hi")))
show("subclass repr", lambda: repr(type("A", (array.array,), {})("d", [1])))
a = array.array("f", [1, 2, 3])
show("tolist f", lambda: a.tolist())
show("item f", lambda: (a[1], array.array("f", [0.1])[0]))
show("tobytes f", lambda: a.tobytes())
b = array.array("d")
b.frombytes(b"\x00" * 8 + b"\x00\x00\x00\x00\x00\x00\xf0\x3f")
show("frombytes d", lambda: b)
show("frombytes bad", lambda: array.array("d").frombytes(b"123"))
show("byteswap i", lambda: mutated(array.array("i", [1, 256, 65536]), lambda z: z.byteswap()))
show("byteswap d", lambda: mutated(array.array("d", [1.0]), lambda z: z.byteswap()))
for tc in "bBhHiIlLqQfdu":
    m = memoryview(array.array(tc))
    show("buffer " + tc, lambda: (m.format, m.itemsize, m.readonly, m.ndim))
m = memoryview(array.array("h", [1, -2, 3]))
show("buffer h", lambda: (m.shape, m.strides, m.tolist(), m.nbytes))
x = array.array("i", [1, 2, 3])
mv = memoryview(x)
show("resize while exported", lambda: x.append(4))
mv.release()
show("after release", lambda: mutated(x, lambda z: z.append(4)))
show("typecodes", lambda: set("bBuhHiIlLqQfd") <= set(array.typecodes))
try:
    array.array("z")
except ValueError as e:
    print("bad typecode ValueError", str(e).startswith("bad typecode (must be b, B, u, "))
for tc in "bBhHiIlLqQ":
    for v in (2**70, -2**70, 2**63, -1, 2**31, 2**15, 129, 256, 2**16, 2**32, -129, -2**15 - 1, -2**31 - 1):
        show("range %s %d" % (tc, v), lambda: array.array(tc, [v]).tolist())
    show("setitem " + tc, lambda: array.array(tc, [1]).__setitem__(0, 2**70))
    show("append " + tc, lambda: array.array(tc).append(-2**70))
    show("fromlist " + tc, lambda: array.array(tc).fromlist([1, 2**70]))
show("float in int", lambda: array.array("i", [1.5]))
show("int in f", lambda: array.array("f", [True]))
show("u tounicode", lambda: array.array("u", "ab").tounicode())
for v in ["ab", 1, b"x"]:
    show("u item %r" % (v,), lambda: array.array("u", [v]))
show("u from array", lambda: array.array("u", array.array("i", [1, 2])))
show("u surrogate", lambda: len(array.array("u", ["\ud800"])))
show("pickle", lambda: pickle.loads(pickle.dumps(array.array("d", [1, 2]))))
show("pickle f proto2", lambda: pickle.loads(pickle.dumps(array.array("f", [0.5]), 2)))
show("mul", lambda: array.array("f", [1]) * 3)
show("slice", lambda: array.array("d", range(6))[::2])
show("fromlist", lambda: mutated(array.array("f"), lambda z: z.fromlist([1, 2])))
show("init from array", lambda: array.array("d", array.array("i", [1, 2])))
show("reverse", lambda: mutated(array.array("d", [1, 2, 3]), lambda z: z.reverse()))
show("struct readback", lambda: struct.unpack("2f", array.array("f", [1, 2]).tobytes()))
bio = io.BytesIO()
array.array("i", [1, 2]).tofile(bio)
bio.seek(0)
show("fromfile", lambda: mutated(array.array("i"), lambda z: z.fromfile(bio, 2)))
print("DONE")
