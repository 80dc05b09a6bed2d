import gc
import sys
import weakref

import identity_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


class Plain:
    pass


class WithSlots:
    __slots__ = ("a", "__weakref__")


def function():
    return 1


def make_objects():
    """(label, object) pairs; made at run time, so no two labels share an object
    unless the interpreter itself shares it."""
    return [
        ("int 0", 0), ("int 1", 1), ("int 256", 256), ("int 257", int("257")),
        ("int -5", -5), ("int -6", int("-6")), ("int 2**100", 2 ** 100),
        ("int -(2**100)", -(2 ** 100)), ("int 2**63", 2 ** 63), ("int -2**63", -2 ** 63),
        ("float 1.5", 1.5), ("float -0.0", float("-0.0")), ("float nan", float("nan")),
        ("float inf", float("inf")), ("complex", complex(1, 2)),
        ("str empty", ""), ("str ascii", "abc"), ("str runtime", "-".join(["x", "y"])),
        ("str non-ascii", "h\u00e9llo \u20ac \U0001d11e"), ("str one char", "z"),
        ("bytes empty", b""), ("bytes", b"xyz\x00\xff"), ("bytes runtime", bytes(range(5))),
        ("bytearray", bytearray(b"ab")),
        ("tuple empty", ()), ("tuple one", (1,)), ("tuple nested", (1, (2, (3, "x")), [4])),
        ("tuple runtime", tuple(range(4))),
        ("list empty", []), ("list", [1, "a", None]), ("list nested", [[1], [2, [3]]]),
        ("dict empty", {}), ("dict", {"a": 1, 2: [3]}),
        ("set empty", set()), ("set", {1, 2, 3}), ("frozenset", frozenset({1})),
        ("frozenset empty", frozenset()),
        ("None", None), ("True", True), ("False", False), ("Ellipsis", ...),
        ("NotImplemented", NotImplemented),
        ("class int", int), ("class type", type), ("class object", object),
        ("class Plain", Plain), ("class ValueError", ValueError),
        ("instance Plain", Plain()), ("instance WithSlots", WithSlots()),
        ("instance object", object()),
        ("function", function), ("lambda", lambda: 2), ("builtin len", len),
        ("bound method", [].append), ("ext function", ext.identity),
        ("module sys", sys), ("module weakref", weakref), ("module ext", ext),
        ("exception instance", ValueError("bad", 1)), ("KeyError instance", KeyError("k")),
        ("range", range(3)), ("slice", slice(1, 2, 3)), ("generator", (i for i in range(2))),
        ("dict keys view", {}.keys()), ("property", property(lambda s: 1)),
    ]


objects = make_objects()

# --- identity(x) is x --------------------------------------------------------------
for label, obj in objects:
    show(f"identity {label}", ext.identity(obj) is obj)

# After C drops its references (and a lot of churn), identity still holds.
for label, obj in objects:
    r = ext.identity(obj)
    del r
    ext.churn(2000)
    gc.collect()
    a = ext.identity(obj)
    b = ext.roundtrip(obj)
    show(f"identity again {label}", a is obj and b is obj)
del a, b

# The same object in two arguments is one pointer; distinct objects are two.
x = int("123456789012345678901234567890")
y = int("123456789012345678901234567890")
show("same(x, x)", ext.same(x, x))
show("same(x, y) agrees with `is`", ext.same(x, y) == (x is y))
show("same(x, y) for distinct lists", ext.same([], []))
s = "a string"
show("same(s, identity(s))", ext.same(s, ext.identity(s)))
show("same(None, None)", ext.same(None, None))

# Objects made in C keep their identity on the way back in.
fresh = ext.make_fresh()
show("fresh objects", fresh)
show("fresh objects: identity", [ext.identity(o) is o for o in fresh])
show("fresh tuple: identity", ext.identity(fresh) is fresh)
show("fresh objects: same(o, o)", [ext.same(o, o) for o in fresh])

# --- a strong reference kept by C in a static --------------------------------------
ext.clear()
show("get() with nothing stored", ext.get())
for label, obj in objects:
    ext.store(obj)
    ext.churn(500)
    show(f"stored get() is x: {label}", ext.get() is obj and ext.get() is obj)
ext.clear()

o = Plain()
o.payload = [1, 2, 3]
w = weakref.ref(o)
ext.store(o)
del o
gc.collect()
ext.churn(5000)
show("stored object alive after Python dropped it", w() is not None)
show("get() is the weakref's object", ext.get() is w())
show("stored object payload", ext.get().payload)
ext.clear()
gc.collect()
show("after clear + gc.collect(), the object is gone", w() is None)
show("get() after clear", ext.get())

# The same with an object that has __slots__ and a weakref slot.
o = WithSlots()
o.a = "slot value"
w = weakref.ref(o)
ext.store(o)
del o
gc.collect()
show("WithSlots stored: alive", w() is not None and ext.get() is w() and ext.get().a)
ext.clear()
gc.collect()
show("WithSlots after clear: gone", w() is None)

# A weakref callback runs when C's clear() drops the last reference.
died = []
o = Plain()
w = weakref.ref(o, lambda ref: died.append("callback"))
ext.store(o)
del o
gc.collect()
show("no callback while stored", died)
ext.clear()
gc.collect()
show("callback after clear", died)

# An object made in C and stored there: same object on every get().
ext.store_fresh()
a = ext.get()
b = ext.get()
show("store_fresh get() twice", a is b)
show("store_fresh value", a)
show("store_fresh items keep identity", a[0] is b[0])
a[0].append("added by Python")
del a, b
ext.churn(5000)
show("store_fresh mutation seen on next get()", ext.get())
ext.clear()

# --- identity inside containers ---------------------------------------------------
for label, obj in objects:
    t = ext.triple_tuple(obj)
    tn = ext.triple_tuple_new(obj)
    l = ext.triple_list(obj)
    d = ext.same_dict(obj, "key")
    ok = (len(t) == 3 and all(i is obj for i in t)
          and len(tn) == 3 and all(i is obj for i in tn)
          and len(l) == 4 and all(i is obj for i in l)
          and d["a"] is obj and d["b"] is obj and d["key"] is obj)
    show(f"containers of {label}", ok)

k = ("hashable", 1)
d = ext.same_dict(k, k)
show("dict {'a': k, 'b': k, k: k}: keys that are k, values that are k",
     [(key is k, value is k) for key, value in d.items()])

inner = ("inner", [1])
src = (inner, ["middle"], {"last": 1})
r = ext.regroup(src)
show("regroup value", r)
show("regroup identity",
     (r[0] is src[2], r[1] is src[0], r[2] is src[1], r[3] is src[0], r[4] is inner[0]))
r2 = ext.regroup(src)
show("regroup twice: items identical", all(a is b for a, b in zip(r, r2)))
show("regroup twice: distinct tuples", r is not r2)

c = ext.regroup(((ext.make_fresh(),), "b", "c"))
show("regroup of fresh C objects", c[1][0] is c[3][0] and c[4] is c[1][0])

o = Plain()
si = ext.shared_inner(o)
show("shared inner tuple", (si[0] is si[1], si[0][0] is o, si[1][0] is o))

# --- borrowed references survive churn -----------------------------------------
d = {"k": ["only", "in", "the", "dict", 1.5], "other": Plain()}
r1, r2, same_ptr, v = ext.dict_borrow(d, "k")
show("PyDict_GetItem repr before/after churn", (r1, r2))
show("PyDict_GetItem same pointer on second lookup", same_ptr)
show("PyDict_GetItem object is the dict's value", v is d["k"])
del v

d = {"k": ("tuple", "value", 3), 12345678901: "big int key"}
r1, r2, same_ptr, v = ext.dict_borrow(d, 12345678901)
show("PyDict_GetItem int key", (r1, r2, same_ptr, v is d[12345678901]))
r1, r2, same_ptr, v = ext.dict_borrow(d, "k")
show("PyDict_GetItem tuple value", (r1, r2, same_ptr, v is d["k"]))
del v

d = {"s": {"nested": [1, 2]}}
r1, r2, same_ptr, v = ext.dict_borrow_string(d, "s")
show("PyDict_GetItemString", (r1, r2, same_ptr, v is d["s"]))
del v

l = [["list", "item"], 2 ** 80, "x" * 3]
for i in range(3):
    r1, r2, same_ptr, v = ext.list_borrow(l, i)
    show(f"PyList_GetItem [{i}]", (r1, r2, same_ptr, v is l[i]))
del v

t = (["tuple", "item"], 3.25, ("nested",), "s" + "t")
for i in range(4):
    r1, r2, same_ptr, v = ext.tuple_borrow(t, i)
    show(f"PyTuple_GetItem [{i}]", (r1, r2, same_ptr, v is t[i]))
del v

# A tuple made in C: its items are borrowed through PyTuple_GetItem.
ft = ext.make_fresh()
for i in range(4):
    r1, r2, same_ptr, v = ext.tuple_borrow(ft, i)
    show(f"PyTuple_GetItem of a C-made tuple [{i}]", (r1, r2, same_ptr, v is ft[i]))
del v

d = {("key", 1): ["value", 1], "two": {"v": 2}, 2 ** 70: "big", "four": (4,)}
reprs, objs, same_ptrs = ext.dict_next_borrow(d)
show("PyDict_Next reprs after churn", reprs)
show("PyDict_Next reprs match Python", reprs == [(repr(k), repr(v)) for k, v in d.items()])
show("PyDict_Next identity", [(k is dk, v is dv) for (k, v), (dk, dv) in zip(objs, d.items())])
show("PyDict_Next same pointers on a second walk", same_ptrs)

r1, r2, nonnull, is_cls, same_again, matches, fetched_same, cls = ext.err_occurred_borrow()
show("PyErr_Occurred of a fresh class: repr before/after", (r1, r2))
show("PyErr_Occurred of a fresh class: checks",
     (nonnull, is_cls, same_again, matches, fetched_same))
show("PyErr_Occurred of a fresh class: the class", (cls.__name__, cls.__module__,
                                                   issubclass(cls, Exception)))


class MyError(Exception):
    pass


is_cls, same_again, r, t = ext.err_occurred_given(MyError)
show("PyErr_Occurred of a Python class", (is_cls, same_again, r.endswith(".MyError'>"),
                                          t is MyError))
is_cls, same_again, r, t = ext.err_occurred_given(KeyError)
show("PyErr_Occurred of KeyError", (is_cls, same_again, r, t is KeyError))

# --- a tuple made in C, passed to Python before it is returned -------------------
seen = []
a_obj, b_obj = Plain(), "b"
res = ext.tuple_via_callback(seen.append, a_obj, b_obj)
show("callback saw it twice", len(seen))
show("callback's tuple is the returned tuple", (seen[0] is res, seen[1] is res))
show("items keep identity", (res[0] is a_obj, res[1] is b_obj, seen[0][2] is res[2]))
res[2].append("appended")
show("the C-made list inside is one object", seen[1][2])

seen = []
inner = ext.nested_via_callback(seen.append)
show("nested: callback saw (inner, inner)", seen[0][0] is seen[0][1])
show("nested: returned inner is the one Python saw", inner is seen[0][0])
show("nested: inner value", inner)

seen = []
o = Plain()
t, r = ext.pack_via_callback(lambda tup: seen.append(tup) or "cb result", o)
show("PyTuple_Pack result passed and returned", (t is seen[0], t[0] is o, t[1] is o, r))

# --- a list held in a static stays in sync with Python -------------------------------
lst = []
ext.hold_list(lst)
show("get_held() is lst", ext.get_held() is lst)
lst.append("py1")
ext.held_append("c1")
lst.append("py2")
o = Plain()
ext.held_append(o)
show("Python sees C's appends", lst[:2] + lst[2:3] + [lst[3] is o])
show("C sees Python's appends", ext.held_snapshot()[:4])
show("C snapshot identity", ext.held_snapshot()[4] is o)
lst[0] = "replaced by py"
ext.held_set(1, "replaced by C")
show("both replacements visible", lst[:2])
show("C sees them too", ext.held_snapshot()[:3])
del lst[:]
show("C sees the list emptied", ext.held_snapshot())
lst.extend(range(3))
show("C sees extend", ext.held_snapshot())
del lst
gc.collect()
ext.held_append("after Python dropped its name")
show("list kept alive by C", ext.get_held())

made = ext.make_held_list()
show("C-made held list is returned", ext.get_held() is made)
made.append("py")
ext.held_append("c")
made.insert(0, "front")
show("C-made list in sync", (made, ext.held_snapshot()))
del made
ext.drop_held()
show("get_held after drop", ext.get_held())

# --- reference counts as booleans ------------------------------------------------
ge1, plus_one, back, o = ext.fresh_refcnt()
show("fresh object: refcnt >= 1, incref +1, decref back", (ge1, plus_one, back))
show("fresh object returned", o)
for label, obj in [("int", 10 ** 20), ("str", "refcnt str"), ("list", [1]), ("None", None),
                   ("instance", Plain()), ("tuple", (1, 2))]:
    show(f"arg refcnt {label}", ext.arg_refcnt(obj))
    show(f"stored refcnt {label}", ext.stored_refcnt(obj))

# --- pointers kept without a reference, to objects Python keeps alive -------------
def helper():
    return "helper called"


def churn_proxies():
    for i in range(2000):
        ext.identity(Plain())
        ext.identity(lambda: i)
    gc.collect()


ext.keep_function_borrowed(helper)
churn_proxies()
show("function kept from PyArg_ParseTuple, called later", ext.call_kept())
show("  still the same object", ext.kept_is(helper))

ext.keep_attr_after_decref(sys.modules[__name__], "helper")
churn_proxies()
show("module attribute kept after Py_DECREF, called later", ext.call_kept())

inst = Plain()
inst.tag = "instance"
ext.keep_borrowed(inst)
churn_proxies()
show("instance kept borrowed: type", ext.kept_type_name())
show("instance kept borrowed: same object", ext.kept_is(inst))
again = ext.kept_new_ref()
show("instance handed back out", (again is inst, again.tag))
del again

# Keeping the pointer keeps nothing alive: the object still dies when Python
# lets go of it.
inst_ref = weakref.ref(inst)
del inst
gc.collect()
show("instance freed when Python drops it", inst_ref() is None)
ext.forget_kept()

gone = Plain()
gone_ref = weakref.ref(gone)
ext.keep_borrowed(gone)
ext.keep_borrowed(None)
del gone
gc.collect()
show("a passed-through instance is freed", gone_ref() is None)
ext.forget_kept()

# Immutable values (no weak references) kept the same way: a str or int read
# from a dict stays valid while the dict holds it.
def churn_values():
    for i in range(3000):
        ext.identity("churn %d" % i)
        ext.identity(10 ** 20 + i)
        ext.identity(i + 0.5)
        ext.identity(b"churn %d" % i)
        ext.identity(("churn", i))


values = {"str": "kept " + str(12345), "int": 10 ** 30 + 7, "bytes": b"kept bytes " * 3,
          "float": 2.0 ** 0.5, "complex": complex(1.5, -2.0),
          # A tuple of such values too (pandas' hash table keeps its keys so).
          "tuple": ("key " + str(1), 2.5, None, (3, b"x"))}
for key in values:
    ext.keep_dict_item(values, key)
    churn_values()
    gc.collect()
    show(f"{key} kept from a dict, used later", ext.kept_repr())
    show("  still the same object", ext.kept_is(values[key]))
ext.forget_kept()

ext.keep_utf8(values["str"])
churn_values()
gc.collect()
show("UTF-8 of a str kept as a bare pointer", ext.kept_utf8())

# CPython 3.11 counts references to None and the bools (3.12 made them
# immortal, with a count of 2**32 - 1); tests loop that many times.
for label, obj in [("None", None), ("True", True), ("False", False), ("Ellipsis", ...)]:
    show(f"getrefcount({label}) is a count of 3.11's order", 0 < sys.getrefcount(obj) < 2 ** 31)

# A dict walk in C leaves the counts of its keys as they were, whether the
# host keeps a moving count for them or not (an interned str, a small int).
for key in ["key", b"key", 1, "not interned " + str(7), 10 ** 40]:
    walked = {key: "abc"}
    before = sys.getrefcount(key)
    ext.dict_next_borrow(walked)
    show(f"getrefcount({key!r}) after a dict walk, change", sys.getrefcount(key) - before)

print("DONE")
