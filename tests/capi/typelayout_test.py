import gc

import typelayout_ext as ext


def attempt(label, f, *args):
    try:
        print(f"{label}: {f(*args)!r}")
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


# A slot written into a Python subclass's type object after it was made.
class Thawed(ext.Base):
    pass


class Frozen(ext.Base):
    pass


ext.freeze(Frozen)
t, f = Thawed(), Frozen()
t.value = 1
print("Thawed after setattr:", t.value)


def set_value(obj, v):
    obj.value = v
    return obj.value


attempt("Frozen setattr", set_value, f, 2)
attempt("Thawed setattr still works", set_value, Thawed(), 3)

# Hashes, negative ones included, from tp_hash through a subclass.
for v in (5, -5, -2, -(2**40)):
    t = Thawed()
    t.value = v
    attempt(f"hash with value {v}", hash, t)
t = Thawed()
t.value = "x"
attempt("hash failing in C", hash, t)
attempt("hash of the base", hash, ext.Base())


# The layout C reads from the type objects of Python classes.
class Plain:
    pass


class Slotted:
    __slots__ = ("a",)


class SlottedWeak:
    __slots__ = ("a", "__weakref__")


class SlottedDict:
    __slots__ = ("__dict__",)


class FromPlain(Slotted, Plain):
    __slots__ = ()


class SubNoSlots(ext.Base):
    pass


class SubSlots(ext.Base):
    __slots__ = ("x",)


class SubSlotsDict(ext.Base):
    __slots__ = ("x", "__dict__")


class SubSlotsWeak(ext.Base):
    __slots__ = ("__weakref__",)


class SubOfSubSlots(SubSlots):
    __slots__ = ()


class MixinSub(ext.Base, Plain):
    __slots__ = ()


classes = [Plain, Slotted, SlottedWeak, SlottedDict, FromPlain, SubNoSlots, SubSlots, SubSlotsDict,
           SubSlotsWeak, SubOfSubSlots, MixinSub, ext.Base]
for cls in classes:
    print(cls.__name__, "layout:", ext.layout(cls), "offsets nonzero:",
          cls.__dictoffset__ != 0, cls.__weakrefoffset__ != 0)
for cls in (object, int, bool, float, str, bytes, tuple, list, dict, set, type):
    print(cls.__name__, "is GC:", ext.layout(cls)["gc"])

# Instance dicts of a subclass with a dict pointer keep working.
s = SubSlotsDict()
s.x = 1
s.extra = 2
print("dict of SubSlotsDict:", s.__dict__, s.x)
n = SubNoSlots()
n.extra = [3]
print("dict of SubNoSlots:", n.__dict__)

# Tracking: C's view and gc.is_tracked.
b = ext.Base()
print("new GC instance tracked:", ext.is_tracked(b), gc.is_tracked(b))
ext.untrack(b)
print("after UnTrack:", ext.is_tracked(b), gc.is_tracked(b))
ext.track(b)
print("after Track:", ext.is_tracked(b), gc.is_tracked(b))
atomic_tuple = tuple([1, 2, "three"])
holding_tuple = tuple([[], 1])
gc.collect()
values = {
    "int": 1, "str": "s", "empty tuple": (), "tuple of atomics": atomic_tuple,
    "tuple holding a list": holding_tuple,
    "empty dict": {}, "dict of atomics": {"a": 1}, "dict holding a list": {"a": []},
    "list": [], "Plain()": Plain(),
}
for label, value in values.items():
    print(f"tracked {label}:", ext.is_tracked(value), gc.is_tracked(value))


# A member of a C metaclass, read in the class's own __init_subclass__.
class Root(metaclass=ext.Meta):
    def __init_subclass__(cls):
        attempt("tag during __init_subclass__", getattr, cls, "tag")


class Leaf(Root):
    pass


ext.set_tag(Leaf, "leaf")
print("tag after set_tag:", Leaf.tag)
import inspect

print("__init__ in Base.__dict__:", "__init__" in ext.Base.__dict__, "in Meta.__dict__:", "__init__" in ext.Meta.__dict__)
print("signature of Base:", inspect.signature(ext.Base))


class Own:
    x = 1


class Inherits(Own):
    pass


attempt("generic get of an own class attribute", ext.generic_get, Own, "x")
attempt("generic get of an inherited one", ext.generic_get, Inherits, "x")
attempt("generic get of a metaclass descriptor", ext.generic_get, Inherits, "__name__")
attempt("generic set on a class", ext.generic_set, Inherits, "y", 2)
print("set, then read:", Inherits.y, ext.generic_get(Inherits, "y"))
attempt("generic delete on a class", ext.generic_set, Inherits, "y")
attempt("generic get after the delete", ext.generic_get, Inherits, "y")
attempt("generic delete of a missing one", ext.generic_set, Inherits, "y")
print("__init__ in the dicts of Error, LoggedError:", "__init__" in ext.Error.__dict__,
      "__init__" in ext.LoggedError.__dict__)


class PyError(ext.LoggedError):
    def __init__(self, message):
        super().__init__(message, "extra")


e = PyError("m")
print("super().__init__ reached the C tp_init:", getattr(e, "error_log", "<missing>"), e.args)
print("LoggedError itself:", ext.LoggedError("a").error_log)
print("DONE")
