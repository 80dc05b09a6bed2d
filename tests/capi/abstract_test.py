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
    for i in (0, 1, -1, 9, -9):
        out(f"GetItem({label}, {i})", ext.sequence_get_item, v, i)
print("DONE")
