import gc

import builtinsubtype_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {e}")
        return
    print(f"{label}: returned {r!r}")


# The builtin types' method tables, as C finds them.
show("list methods", ext.method_flags(list, ["append", "extend", "insert", "pop", "remove", "sort", "__getitem__", "__sizeof__"]))
show("dict methods", ext.method_flags(dict, ["keys", "get", "setdefault", "fromkeys", "__contains__", "update"]))
show("str methods", ext.method_flags(str, ["join", "split", "maketrans", "format", "startswith"]))
show("bytes methods", ext.method_flags(bytes, ["fromhex", "decode", "hex"]))
show("int methods", ext.method_flags(int, ["from_bytes", "to_bytes", "bit_length"]))
show("set methods", ext.method_flags(set, ["add", "union", "__reduce__"]))
show("object methods", ext.method_flags(object, ["__reduce_ex__", "__format__", "__dir__"]))
class Shout(str):
    def __mul__(self, n):
        return Shout(str.__mul__(self, n).upper())


class Quiet(str):
    pass


for t in (str, bytes, tuple, list, bytearray, Quiet, Shout, int, set):
    show(f"number slots of {t.__name__} (add, mul, mod, iadd, imul; sq concat, repeat)", ext.number_slots(t))
lst = [3, 1, 2]
show("methods called through the table", (ext.call_table_methods(lst), lst))

# A list subtype sized in its struct and filled with PyList_SET_ITEM.
t = ext.tlist_sized(5)
show("sized in C", (type(t).__name__, t, len(t), t[4], isinstance(t, list)))
show("empty", (ext.tlist_sized(0), len(ext.tlist_sized(0))))
t[1] = 10
t[-1] = 99
show("set items through the builtin's slots", t)
err("its own check first", t.__setitem__, 0, -5)
t[1:3] = [7, 8, 9]
show("slice assignment", t)
del t[0]
show("deletion", t)
t += [100]
show("in-place concatenation", t)
t.extend([5, 6])
show("extend from list's table", t)
show("item, length, membership", (t[0], len(t), 100 in t, 1000 in t))
show("list methods on it", (t.pop(), t.index(100), t.count(5)))

d = ext.TDict()
d["key"] = 1
d["Other"] = 2
show("dict subtype", (sorted(d.items()), d["KEY"], d["key"], "KEY" in d))
del d["key"]
show("dict deletion", dict(d))
err("missing key", d.__getitem__, "nope")

s = ext.TSet([1, 2])
s |= {3}
show("set |=", sorted(s))
s -= {1}
show("set -=", sorted(s))
err("set |= a list", s.__ior__, [4])
show("set -", (sorted(s - {2}), type(s - {2}).__name__))

# What the collector sees in a list subtype: its items and what its
# tp_traverse visits.
tagged = ext.tlist_sized(2)
ext.set_tag(tagged, "the tag")
show("gc.get_referents", sorted(map(repr, gc.get_referents(tagged))))
h = ext.Holder()
h.item = tagged
show("gc.get_referents of a C holder", sorted(type(r).__name__ for r in gc.get_referents(h)))
del h, tagged

# A list subtype held by a C object in a cycle: the collector breaks the
# cycle; the list dies once C lets go, its tp_dealloc run once.
before = ext.dealloc_count()
h = ext.Holder()
inner = ext.tlist_sized(2)
inner.append(h)
h.item = inner
del h, inner
gc.collect()
gc.collect()
show("cycle through a C holder: deallocs", ext.dealloc_count() - before)

# A static C subtype of weakref.ref with a field of its own.
import weakref

show("weakref.ref's tp_basicsize is sizeof(PyWeakReference)", ext.weakref_size_matches())


class Referent:
    pass


target = Referent()
seen = []
ref = ext.ValuedRef(target, lambda r: seen.append(r.value))
ref.value = "payload"
show("weakref subtype: isinstance, deref, value", (isinstance(ref, weakref.ref), ref() is target, ref.value))
show("weakref subtype: in getweakrefs", ref in weakref.getweakrefs(target))
del target
gc.collect()
show("weakref subtype after the referent died: ref(), callback saw", (ref(), seen))
before = ext.dealloc_count()
del ref
gc.collect()
show("weakref subtype released: deallocs", ext.dealloc_count() - before)

# Tuple subclasses C allocates and fills in place.
class PyResult(ext.ResultTuple):
    __slots__ = ()
for cls in (ext.ResultTuple, PyResult, tuple):
    t = ext.filled_tuple_of(cls)
    show(f"tp_alloc'd {cls.__name__}", (type(t).__name__, len(t), tuple(t), t[1], isinstance(t, tuple)))
first, second = ext.filled_tuple_of(ext.ResultTuple)
show("unpacked", (first, second))
r = ext.filled_tuple_of(PyResult)
show("getattro falling back to tuple's", (r.head, r.count(2), getattr(r, "missing", "absent")))
try:
    r.missing
except AttributeError as e:
    show("missing attribute", str(e))

# int's own number slots, called directly by an int subclass's.
six = ext.Flags(6)
show("Flags & int, int & Flags", (six & 3, 3 & six, type(six & 3).__name__))
show("Flags | int, int | Flags", (six | 1, 1 | six))
class PyFlags(ext.Flags):
    pass
show("Python subclass", (PyFlags(6) & 3, 3 & PyFlags(6), PyFlags(6) | 1))
show("builtin slots called directly", ext.builtin_slots(12, 10))
show("with a subclass operand", ext.builtin_slots(True, six)[0])

print("DONE")
