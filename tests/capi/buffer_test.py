import array

import buffer_ext as ext

SIMPLE, WRITABLE, FORMAT, ND = 0, 0x1, 0x4, 0x8
STRIDES = 0x10 | ND
C_CONTIGUOUS = 0x20 | STRIDES
F_CONTIGUOUS = 0x40 | STRIDES
ANY_CONTIGUOUS = 0x80 | STRIDES
INDIRECT = 0x100 | STRIDES
FLAGS = {
    "SIMPLE": SIMPLE, "WRITABLE": WRITABLE, "FORMAT": FORMAT, "ND": ND, "STRIDES": STRIDES,
    "C_CONTIGUOUS": C_CONTIGUOUS, "F_CONTIGUOUS": F_CONTIGUOUS, "ANY_CONTIGUOUS": ANY_CONTIGUOUS,
    "INDIRECT": INDIRECT, "CONTIG": ND | WRITABLE, "STRIDED_RO": STRIDES,
    "RECORDS": STRIDES | WRITABLE | FORMAT, "FULL_RO": INDIRECT | FORMAT,
    "FULL": INDIRECT | WRITABLE | FORMAT, "READ": 0x100, "WRITE": 0x200,
}


def out(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: {type(e).__name__}: {e}")
    else:
        print(f"{label}: {r!r}")


def objects():
    return [
        ("bytes", b"abcdef"),
        ("empty bytes", b""),
        ("bytearray", bytearray(b"abcdef")),
        ("memoryview(bytes)", memoryview(b"abcdef")),
        ("memoryview(bytearray)", memoryview(bytearray(b"abcdef"))),
        ("memoryview[::2]", memoryview(b"abcdef")[::2]),
        ("memoryview[1:4]", memoryview(b"abcdef")[1:4]),
        ("memoryview 2x3", memoryview(b"abcdef").cast("B", [2, 3])),
        ("memoryview 2x3 [::-1]", memoryview(b"abcdef").cast("B", [2, 3])[::-1]),
        ("array i", array.array("i", [1, 2, 3])),
        ("array d", array.array("d", [0.5])),
        ("str", "text"),
        ("int", 5),
        ("None", None),
    ]


for name, obj in objects():
    out(f"check {name}", ext.check, obj)
    out(f"slots {name}", ext.slots, obj)
    for flag_name, flags in FLAGS.items():
        out(f"get {name} {flag_name}", ext.get, obj, flags)

for name, obj in [("bytes", b"xyz"), ("bytearray", bytearray(b"xyz")), ("memoryview", memoryview(b"m")),
                  ("array", array.array("b", [1]))]:
    out(f"via_slot {name}", ext.via_slot, obj)
    out(f"release_twice {name}", ext.release_twice, obj)
    out(f"refcount_delta {name}", ext.refcount_delta, obj)
out("via_slot int", ext.via_slot, 1)
b = b"pointer"
out("same_pointer", ext.same_pointer, b)

for obj in (None, b"owner"):
    for readonly in (0, 1):
        for flag_name in ("SIMPLE", "WRITABLE", "FORMAT", "ND", "STRIDES", "FULL_RO", "FULL", "READ", "WRITE"):
            out(f"fill_info {obj!r} ro={readonly} {flag_name}", ext.fill_info, obj, readonly, FLAGS[flag_name])
out("fill_info NULL view", ext.fill_info_null_view)

ba = bytearray(b"abc")
out("write_at bytearray", ext.write_at, ba, 1, ord("Z"))
print("  after:", ba)
mv = memoryview(ba)
out("write_at memoryview", ext.write_at, mv, 0, ord("Y"))
print("  after:", ba)
mv.release()
out("write_at bytes", ext.write_at, b"abc", 0, 1)
out("write_at memoryview(bytes)", ext.write_at, memoryview(b"abc"), 0, 1)
out("write_at array", ext.write_at, array.array("b", [0, 0]), 1, 7)

held = bytearray(b"held")


def grow():
    try:
        held.extend(b"!")
    except BufferError as e:
        return f"BufferError: {e}"
    return "grew"


out("hold bytearray", ext.hold, held, grow)
held.extend(b"!")
print("  after:", held)
arr = array.array("b", [1])


def grow_array():
    try:
        arr.append(2)
    except BufferError as e:
        return f"BufferError: {e}"
    return "grew"


out("hold array", ext.hold, arr, grow_array)
view = memoryview(b"abc")


def release_view():
    try:
        view.release()
    except BufferError as e:
        return f"BufferError: {e}"
    return "released"


out("hold memoryview", ext.hold, view, release_view)
out("  then", release_view)
out("released memoryview", ext.get, view, SIMPLE)

# The helpers of pybuffer.h.
grid = memoryview(bytes(range(12))).cast("B", (3, 4))
out("GetPointer 1-D", ext.items_by_pointer, b"abc")
out("GetPointer strided", ext.items_by_pointer, memoryview(b"abcdefgh")[::3])
out("GetPointer reversed", ext.items_by_pointer, memoryview(b"abcd")[::-1])
out("GetPointer 2-D", ext.items_by_pointer, grid)
out("GetPointer ints", ext.items_by_pointer, array.array("i", [1, 2, 3]))
for fmt in ["B", "i", "d", "<hq", "3s", "@P", "?", "x"]:
    out(f"SizeFromFormat {fmt}", ext.size_from_format, fmt)
out("SizeFromFormat bad", ext.size_from_format, "Z")
out("FillContiguousStrides C", ext.contiguous_strides, (2, 3, 4), 8, "C")
out("FillContiguousStrides F", ext.contiguous_strides, (2, 3, 4), 8, "F")
out("FillContiguousStrides 1-D", ext.contiguous_strides, (5,), 2, "C")
out("ToContiguous C", ext.to_contiguous, grid, "C")
out("ToContiguous F", ext.to_contiguous, grid, "F")
out("ToContiguous A", ext.to_contiguous, grid, "A")
out("ToContiguous strided", ext.to_contiguous, memoryview(b"abcdefgh")[1::2], "C")
out("ToContiguous strided F", ext.to_contiguous, memoryview(b"abcdefgh")[::-2], "F")
out("ToContiguous wrong len", ext.to_contiguous, b"abc", "C", 1)
target = bytearray(8)
ext.from_contiguous(target, b"wxyz", "C")
out("FromContiguous", lambda: target)
target = bytearray(8)
ext.from_contiguous(memoryview(target)[::2], b"wxyz", "C")
out("FromContiguous strided", lambda: target)
target = bytearray(6)
ext.from_contiguous(memoryview(target).cast("B", (2, 3)), bytes(range(1, 7)), "F")
out("FromContiguous F order", lambda: target)
target = bytearray(4)
ext.from_contiguous(target, b"too long for it", "C")
out("FromContiguous clipped", lambda: target)
target = bytearray(8)
ext.copy_data(target, b"12345")
out("CopyData", lambda: target)
target = bytearray(8)
ext.copy_data(memoryview(target)[::2], memoryview(b"abcdefgh")[1::2])
out("CopyData strided", lambda: target)
out("CopyData too small", ext.copy_data, bytearray(2), b"abc")
out("CopyData read-only destination", ext.copy_data, b"xxxx", b"ab")
out("CopyData not a buffer", ext.copy_data, bytearray(2), 5)
out("CopyData not a buffer dest", ext.copy_data, [], b"a")

# PickleBuffer.
import pickle
data = bytearray(b"pickled")
pb = ext.picklebuffer_new(data)
out("PickleBuffer FromObject", lambda: (type(pb).__name__, bytes(pb.raw())))
out("PickleBuffer GetBuffer", ext.picklebuffer_view, pb, data)
ext.picklebuffer_poke(pb, 0, ord("P"))
out("PickleBuffer write through", lambda: data)
out("PickleBuffer of bytes", ext.picklebuffer_view, pickle.PickleBuffer(b"ro"), None)
out("PickleBuffer FromObject int", ext.picklebuffer_new, 5)
out("PickleBuffer GetBuffer of bytes", ext.picklebuffer_view, b"x", None)
out("PickleBuffer Release", ext.picklebuffer_release, pb)
out("PickleBuffer GetBuffer released", ext.picklebuffer_view, pb, data)
out("PickleBuffer Release again", ext.picklebuffer_release, pb)
out("PickleBuffer Release of a list", ext.picklebuffer_release, [])
data.extend(b"!")
out("Exporter resizable after release", lambda: data)
pb2 = pickle.PickleBuffer(bytearray(b"abc"))
out("GetBuffer then Python release", ext.picklebuffer_view, pb2, None)
pb2.release()
out("GetBuffer after Python release", ext.picklebuffer_view, pb2, None)

# A C type's own bf_getbuffer/bf_releasebuffer, called from C.
e = ext.Exporter()
out("C exporter SIMPLE", ext.c_exporter_roundtrip, e, SIMPLE)
out("C exporter FULL", ext.c_exporter_roundtrip, e, FLAGS["FULL"])
out("C exporter CheckBuffer", ext.check, e)
out("C exporter via y*", ext.parse_buffer_arg, e)
out("C exporter state", ext.c_exporter_state, e)
ext.copy_data(e, b"COPIED!!")
out("CopyData into a C exporter", ext.c_exporter_state, e)
out("CopyData from a C exporter", lambda: (ext.copy_data(target := bytearray(8), e), target)[1])


class SubExporter(ext.Exporter):
    pass


se = SubExporter()
out("Python subclass of a C exporter", ext.c_exporter_roundtrip, se, SIMPLE)
out("Python subclass CheckBuffer", ext.check, se)
out("Release of a view without an exporter", ext.release_without_obj)
e2 = ext.Exporter()
m, base_ok, readonly = ext.c_exporter_memoryview(e2)
out("Memoryview of a C exporter", lambda: (bytes(m), base_ok, readonly, m.readonly, m.format, m.shape))
out("  exports while it lives", ext.c_exporter_state, e2)
m[0] = ord("E")
out("  written through", ext.c_exporter_state, e2)
del m
out("  exports after", ext.c_exporter_state, e2)
e3 = ext.Exporter()
out("memoryview() in Python of a C exporter", lambda: (bytes(memoryview(e3)), memoryview(e3).readonly, memoryview(e3).format))
out("bytes() of a C exporter", bytes, e3)
out("bytearray() of a Python subclass of a C exporter", bytearray, SubExporter())
with memoryview(e3) as held:
    out("  exports while a Python view lives", ext.c_exporter_state, e3)
out("  exports after it", ext.c_exporter_state, e3)
# A view released through a copy rebuilt from obj, buf and len.
import sys
for source in (b"rebuilt view", bytearray(b"mutable"), array.array("i", [1, 2])):
    before = sys.getrefcount(source)
    out("release of a rebuilt view", ext.release_rebuilt_view, source)
    print("  references after", sys.getrefcount(source) - before)
grown = bytearray(b"x")
ext.release_rebuilt_view(grown)
grown.extend(b"yz")
print("  bytearray resizable after", grown)
print("bytes() of an ndim-0 export spanning many bytes:", bytes(ext.ScalarExporter()))
for empty in (b"", bytearray(), memoryview(b""), memoryview(bytearray())):
    print("read at the buffer of an empty", type(empty).__name__, "-> length", ext.first_byte_of_empty(empty))

# A builtin best base with a C base that exports buffers: the C base's
# function serves (and here refuses); no endless loop between the two.
class RefusingStr(str, ext.Refusing):
    pass


try:
    memoryview(RefusingStr("abc"))
except BufferError as e:
    print("memoryview(RefusingStr) -> BufferError:", e)
# CPython's bytes concatenation turns the exporter's error into a TypeError;
# the host's passes it on.
try:
    b"x" + RefusingStr("abc")
except (BufferError, TypeError):
    print("bytes + RefusingStr -> raised")
print("DONE")
