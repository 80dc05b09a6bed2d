import array
import collections

import abstract_ext as ext


def out(label, fn, *args):
    try:
        r = fn(*args)
    except IndexError as e:
        # the exporter's own message (the host's, for its builtins)
        print(f"{label}: {type(e).__name__}")
    except Exception as e:
        print(f"{label}: {type(e).__name__}: {e}")
    else:
        print(f"{label}: {r!r}")


class Idx:
    def __init__(self, v):
        self.v = v

    def __index__(self):
        return self.v


class IntSub(int):
    pass


class Seq:
    def __len__(self):
        return 3

    def __getitem__(self, i):
        if not 0 <= i < 3:
            raise IndexError(i)
        return i * 10


class Raising:
    def __len__(self):
        raise ValueError("len failed")

    def __getitem__(self, i):
        raise KeyError(i)


class MapLike:
    def keys(self):
        return []

    def __len__(self):
        return 0


for label, v in [("5", 5), ("True", True), ("IntSub(4)", IntSub(4)), ("Idx(-3)", Idx(-3)), ("Idx(IntSub(2))", Idx(IntSub(2))),
                 ("Idx('x')", Idx("x")), ("1.5", 1.5), ("'1'", "1"), ("None", None), ("2**100", 2 ** 100)]:
    out(f"Index({label})", ext.number_index, v)
SEQS = [("list", [1, 2, 3]), ("tuple", (4, 5)), ("str", "xyz"), ("bytes", b"ab"), ("bytearray", bytearray(b"cd")),
        ("range", range(5, 9)), ("array", array.array("i", [7, 8])), ("deque", collections.deque([1, 2])),
        ("dict", {1: 2}), ("set", {1}), ("Seq", Seq()), ("Raising", Raising()), ("MapLike", MapLike()),
        ("int", 3), ("None", None), ("memoryview", memoryview(b"mv"))]
for label, v in SEQS:
    out(f"Check({label})", ext.sequence_check, v)
    out(f"Size({label})", ext.sequence_size, v)
    for i in (0, 1, -1, -3, -4, 9, -9):
        out(f"GetItem({label}, {i})", ext.sequence_get_item, v, i)

# Formatting.
out("Format int spec", ext.format, 255, "x")
out("Format float", ext.format, 3.14159, ".2f")
out("Format NULL spec", ext.format, 42)
out("Format str", ext.format, "ab", ">5")
out("Format custom", ext.format, collections.namedtuple("P", "x")(1), "")
out("Format bad spec", ext.format, 5, "q")
out("Format object with spec", ext.format, object(), "x")


class Fmt:
    def __format__(self, spec):
        return f"<{spec}>"


out("Format __format__", ext.format, Fmt(), "hello")

# The old buffer interface.
out("Old buffers bytes", ext.old_buffers, b"abc")
ba = bytearray(b"xyz")
out("Old buffers bytearray", ext.old_buffers, ba)
out("  written", lambda: ba)
out("Old buffers memoryview", ext.old_buffers, memoryview(b"mv"))
out("Old buffers str", ext.old_buffers, "text")
out("Old buffers int", ext.old_buffers, 5)
out("Old buffers NULL length", ext.old_buffer_null_args, b"x")


class Plain:
    def __call__(self):
        return 1


out("PyVectorcall_Function of a Python object", ext.vectorcall_function, Plain())
out("PyVectorcall_Function of an int", ext.vectorcall_function, 5)


class WithDict:
    pass


w = WithDict()
w.a = 1
d = ext.generic_get_dict(w)
out("GenericGetDict", lambda: (d, d is w.__dict__))
out("GenericGetDict no dict", ext.generic_get_dict, 5)

# The private call forms.
out("Private calls", ext.private_calls, "hello", lambda x, y: x + y)
out("_PyObject_CallMethod not callable", ext.call_method_not_callable, 5)
out("_PyObject_CallMethod missing", ext.call_method_not_callable, "s")
out("_PyObject_HasLen", lambda: [ext.has_len(o) for o in ([], {}, "s", 5, iter([]), range(3))])
out("_PyNumber_Index int", ext.number_index_private, 7)
out("_PyNumber_Index bool", ext.number_index_private, True)
out("_PyNumber_Index float", ext.number_index_private, 1.5)
print("DONE")
