# bytes' rich comparisons against other types: bytes compares only with
# bytes and answers NotImplemented otherwise, so the other operand's
# reflected operator decides (bytearray's and memoryview's compare buffers,
# a class's own __eq__ runs, numpy's arrays compare element-wise).
import array
import operator


class B(bytes):
    pass


class Reflect:
    """Answers every comparison, as numpy's arrays do."""

    def __eq__(self, other):
        return ("Reflect.__eq__", bytes(other))

    def __ne__(self, other):
        return ("Reflect.__ne__", bytes(other))

    def __lt__(self, other):
        return ("Reflect.__lt__", bytes(other))

    def __gt__(self, other):
        return ("Reflect.__gt__", bytes(other))

    def __le__(self, other):
        return ("Reflect.__le__", bytes(other))

    def __ge__(self, other):
        return ("Reflect.__ge__", bytes(other))


class ReflectArray(array.array):
    """A buffer that answers comparisons itself, as numpy's arrays do."""

    def __eq__(self, other):
        return ("ReflectArray.__eq__", bytes(other))

    def __ne__(self, other):
        return ("ReflectArray.__ne__", bytes(other))

    def __lt__(self, other):
        return ("ReflectArray.__lt__", bytes(other))

    def __ge__(self, other):
        return ("ReflectArray.__ge__", bytes(other))


class ReflectBytearray(bytearray):
    def __eq__(self, other):
        return ("ReflectBytearray.__eq__", bytes(other))


class Silent:
    """Compares with nothing: identity decides == and !=."""


OPS = [("==", operator.eq), ("!=", operator.ne), ("<", operator.lt),
       ("<=", operator.le), (">", operator.gt), (">=", operator.ge)]
DUNDERS = ["__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"]

OTHERS = [
    ("bytes ab", b"ab"),
    ("bytes ac", b"ac"),
    ("bytes subclass", B(b"ab")),
    ("bytearray", bytearray(b"ab")),
    ("bytearray ac", bytearray(b"ac")),
    ("memoryview", memoryview(b"ab")),
    ("array b", array.array("b", b"ab")),
    ("array B", array.array("B", b"ab")),
    ("str", "ab"),
    ("int", 97),
    ("None", None),
    ("Reflect", Reflect()),
    ("ReflectArray", ReflectArray("B", b"ab")),
    ("ReflectBytearray", ReflectBytearray(b"ab")),
    ("Silent", Silent()),
]


def show(label, thunk):
    try:
        r = thunk()
    except TypeError as e:
        r = f"TypeError: {e}"
    print(f"{label}: {r!r}")


for name, other in OTHERS:
    for text, op in OPS:
        show(f"b'ab' {text} {name}", lambda: op(b"ab", other))
        show(f"{name} {text} b'ab'", lambda: op(other, b"ab"))
    for dunder in DUNDERS:
        show(f"bytes.{dunder}(b'ab', {name})", lambda: getattr(bytes, dunder)(b"ab", other))
        show(f"B(b'ab').{dunder}({name})", lambda: getattr(B(b"ab"), dunder)(other))

# A subclass that overrides a reflected operator goes first.
class Loud(bytes):
    def __eq__(self, other):
        return "Loud.__eq__"

    __hash__ = bytes.__hash__


show("b'ab' == Loud", lambda: b"ab" == Loud(b"ab"))
show("Loud == b'ab'", lambda: Loud(b"ab") == b"ab")
# Containers use ==: membership and index with mixed items.
show("in list", lambda: b"ab" in [bytearray(b"ab")])
show("list index", lambda: [memoryview(b"x"), b"ab"].index(b"ab"))
show("dict key", lambda: {b"ab": 1}.get(B(b"ab")))
show("tuple ==", lambda: (b"ab",) == (bytearray(b"ab"),))
show("sorted", lambda: sorted([b"b", B(b"a"), b"c"]))
# memoryview's orderings answer NotImplemented too; == compares contents.
for dunder in DUNDERS:
    show(f"memoryview.{dunder}(mv, b'ab')", lambda: getattr(memoryview, dunder)(memoryview(b"ab"), b"ab"))
show("mv < mv", lambda: memoryview(b"a") < memoryview(b"b"))
