import sys

import refdict_ext as ext


def show(label, value):
    print(label + ":", repr(value))


# sys.getrefcount counts the references C holds.
def hook(x):
    return x


class Thing:
    pass


# Also for strs the host keeps with a fixed count (one character, an
# interned literal), which CPython 3.11 counts as any other.
for label, obj in [("function", hook), ("instance", Thing()), ("list", [1, 2]), ("str", "a fresh " + str(id(Thing))),
                   ("one-character str", "z"), ("interned str", "colour"), ("sys.intern'd str", sys.intern("held " + str(7)))]:
    base = sys.getrefcount(obj)
    ext.hold(0, obj)
    one = sys.getrefcount(obj) - base
    ext.hold(1, obj)
    ext.hold(2, obj)
    three = sys.getrefcount(obj) - base
    for slot in range(3):
        ext.release(slot)
    show("getrefcount " + label, (one, three, sys.getrefcount(obj) - base))

for cls in (ext.Bag, ext.SpecBag, ext.OwnDictBag):
    name = cls.__name__
    b = cls()
    b.colour = "red"
    show(name + ": attribute set in Python, seen by C", sorted(b.own_dict().items()))
    b.put("size", 3)
    show(name + ": key put by C, seen by Python", (b.size, sorted(b.__dict__.items()), getattr(b, "made_in_new", None)))
    show(name + ": one dict", (b.own_dict() is b.__dict__, b.dict_ptr_matches()))
    del b.colour
    show(name + ": deleted", (sorted(b.own_dict()), hasattr(b, "colour")))
    b.number = 4
    show(name + ": member is not in the dict", (b.number, "number" in b.own_dict()))
    b.number = 5
    show(name + ": set through the generic setattr", (sorted(b.own_dict()), b.__dict__ is b.own_dict()))

    class Sub(cls):
        pass

    s = Sub()
    s.extra = 1
    show(name + ": Python subclass", (sorted(s.own_dict().items()), s.__dict__ is s.own_dict()))
    # A dict assigned through the type's __dict__ getset (PyObject_Generic-
    # SetDict) replaces the old one, in the struct's field too (Cython's
    # functions: `f.__dict__ = {...}` after `f.foo = 1`).
    b.__dict__ = {"fresh": 1}
    show(name + ": __dict__ replaced", (sorted(b.__dict__.items()), sorted(b.own_dict().items()),
                                        hasattr(b, "colour"), b.dict_ptr_matches()))
    b.later = 2
    show(name + ": set after the replacement", (sorted(b.own_dict().items()), b.__dict__ is b.own_dict()))
    for bad in (None, 3):
        try:
            if bad is None:
                del b.__dict__
            else:
                b.__dict__ = bad
            print(name + ": no error")
        except (TypeError, AttributeError) as e:
            print(name + ":", type(e).__name__, e)
import collections.abc

b = ext.Bits(10)
try:
    hash(b)
    print("hash: no error")
except TypeError as e:
    print("hash: TypeError", e)
show("unhashable", (ext.Bits.__hash__, isinstance(b, collections.abc.Hashable)))
show("own __sizeof__", (b.__sizeof__(), sys.getsizeof(b), ext.Bits().__sizeof__()))
show("default __sizeof__", (ext.Bag().__sizeof__(), sys.getsizeof(ext.Bag()) - ext.Bag().__sizeof__()))
import pickle

# A C type with fields of its own and no __reduce__ cannot be pickled.
for proto in (2, 4):
    try:
        pickle.dumps(ext.Bag(), proto)
        print("pickle: no error")
    except TypeError as e:
        print("pickle: TypeError", "cannot pickle" in str(e), "Bag" in str(e))
print("DONE")
