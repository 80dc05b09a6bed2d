import cmetaclass_ext as ext

print("Base", type(ext.Base).__name__, ext.Base.describe(), ext.Base.__created__)


class Point(ext.Base):
    x: int
    y: int

    def norm(self):
        return abs(self.x) + abs(self.y)


print("Point", type(Point).__name__, Point.describe(), Point.__field_names__, Point.__created__)
p = Point()
p.x, p.y = 3, -4
print("instance", p.norm(), isinstance(p, ext.Base), isinstance(Point, ext.Meta))


class Sub(Point):
    z: float


print("Sub", Sub.describe(), Sub.__mro__[1] is Point)
Dyn = ext.Meta("Dyn", (object,), {"__annotations__": {"a": 1}, "k": 5})
print("Dyn", Dyn.describe(), Dyn.k, Dyn().k)
try:
    ext.Meta("Bad", "not a tuple", {})
except TypeError as e:
    print("TypeError", e)

print("marker", ext.MARKER, ext.get_marker() is ext.MARKER, ext.is_marker(ext.MARKER), type(ext.MARKER).__name__)
print("marker in a container", [ext.MARKER, ext.get_marker()], ext.is_marker({"k": ext.MARKER}["k"]))


# __slots__ of Python subclasses of a C type live in its struct.
class Pair(ext.Record):
    __slots__ = ("left", "__right")


class Triple(Pair):
    __slots__ = ["middle", "__weakref__"]


class NoSlots(ext.Record):
    pass


table, extra = ext.member_table(Pair)
print("Pair members", table, extra)
print("Triple members", ext.member_table(Triple))
print("NoSlots members", ext.member_table(NoSlots))


# A Python metaclass below the C one (and another metaclass): C still finds
# a class's member table after its metaclass's tp_basicsize.
import abc


class Combined(ext.Meta, abc.ABCMeta):
    pass


class Mixed(ext.Record, metaclass=Combined):
    __slots__ = ("a", "b")


print("Mixed members", ext.member_table(Mixed)[0])
t = Triple()
t.left = "L"
t._Pair__right = ["R"]
t.middle = 3


print("read from C", [ext.read_at(t, 16 + off) for _, off, _ in table])
ext.write_at(t, 16 + table[0][1], "from C")
print("written by C", t.left)
try:
    Pair().left
except AttributeError as e:
    print("unset slot: AttributeError")
del t.left
print("deleted", ext.read_at(t, 16 + table[0][1]))
import weakref


class Payload:
    pass


payload = Payload()
watch = weakref.ref(payload)
t.middle = payload
del payload, t
import gc
gc.collect()
print("slot value released with the instance", watch() is None)

# A namedtuple allocated by C with tp_alloc and filled in place.
from typing import NamedTuple


class Point2(NamedTuple):
    x: int
    label: str = "p"


made = ext.tuple_in_place(Point2, 3, "q")
print("namedtuple in place", type(made).__name__, made, made.x, made.label, made == (3, "q"), len(made))

# Static C types are immutable (PyType_Ready sets the flag, as in 3.10+);
# spec types are when they ask. Setting or deleting an attribute from Python
# is then a TypeError.
for cls in (ext.Record, type(ext.MARKER), ext.MutableSpec, ext.ImmutableSpec):
    outcome = []
    for action in (lambda: setattr(cls, "added", 1), lambda: delattr(cls, "added"),
                   lambda: setattr(cls, "__doc__", "d")):
        try:
            action()
            outcome.append("ok")
        except (TypeError, AttributeError) as e:
            # The host names the class, CPython its tp_name (differences.md).
            outcome.append(f"{type(e).__name__}: {str(e).replace(cls.__module__ + '.', '')}")
    print("immutable", cls.__name__, ext.type_flags(cls), outcome)


class Sub(ext.Record):
    pass


Sub.added = 2
print("a Python subclass stays mutable", Sub.added, ext.type_flags(Sub))


# A class whose metaclass cleared its tp_dictoffset: no instance dict, and
# the same for its subclasses the metaclass also makes.
class NoDict(ext.Record, metaclass=ext.NoDictMeta):
    pass


class NoDictChild(NoDict):
    pass


for cls in (NoDict, NoDictChild):
    obj = cls()
    outcome = []
    for action in (lambda: obj.__dict__, lambda: setattr(obj, "x", 1), lambda: vars(obj)):
        try:
            outcome.append(repr(action()))
        except (AttributeError, TypeError) as e:
            outcome.append(type(e).__name__)
    print("no dict", cls.__name__, cls.__dictoffset__, outcome, obj.tag if hasattr(obj, "tag") else "-")


class WithDict(ext.Record):
    pass


obj = WithDict()
obj.x = 1
print("dict kept elsewhere", obj.__dict__, WithDict.__dictoffset__ != 0)


made = ext.set_before_ready((list, "orig"))
print("set before PyType_Ready:", made.__name__, made.__orig_bases__, "__orig_bases__" in made.__dict__,
      made.__mro__ == (made, object))
print("DONE")
