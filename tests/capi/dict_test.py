import collections
import types

import dict_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args, message=False):
    try:
        r = fn(*args)
    except Exception as e:
        line = f"{label}: raised {type(e).__name__}"
        if message:
            line += f" {str(e)!r}"
        print(line)
        return e
    print(f"{label}: returned {r!r}")
    return None


def internal(label, fn, *args):
    """Expect SystemError from PyErr_BadInternalCall (message may carry a
    file:line prefix, so only its ending is compared)."""
    try:
        fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}",
              str(e).endswith("bad argument to internal function"))
    else:
        print(f"{label}: no error")


def lookup(label, result):
    """result = (value or '<NULL>', exception type or None) from the C side."""
    value, exc = result
    print(f"{label}: {value!r} exc={None if exc is None else exc.__name__}")


class BadHash:
    def __hash__(self):
        raise RuntimeError("no hash for you")


# --- creation ---------------------------------------------------------------
d = ext.new_dict()
show("new_dict", d)
show("new_dict type", type(d) is dict)
show("new_dict order", list(d))
show("new_empty", ext.new_empty())
show("new_empty distinct", ext.new_empty() is not ext.new_empty())

# --- PyDict_GetItem (borrowed, suppresses errors) ---------------------------
o = object()
d = {"a": 1, 2: o, (1, 2): "tup", None: "none"}
lookup("GetItem str key", ext.get_item(d, "a"))
show("GetItem identity", ext.get_item(d, 2)[0] is o)
lookup("GetItem tuple key", ext.get_item(d, (1, 2)))
lookup("GetItem None key", ext.get_item(d, None))
show("GetItem equal-hash key 2.0", ext.get_item(d, 2.0)[0] is o)
lookup("GetItem missing", ext.get_item(d, "zzz"))
lookup("GetItem unhashable (error swallowed)", ext.get_item(d, []))
lookup("GetItem bad __hash__ (error swallowed)", ext.get_item(d, BadHash()))
lookup("GetItem on non-dict (no error)", ext.get_item([1, 2], 0))

# --- PyDict_GetItemString --------------------------------------------------------
d = {"key": "v", "é": "accent", "": "empty", 1: "int"}
lookup("GetItemString key", ext.get_item_string(d, "key"))
lookup("GetItemString non-ascii", ext.get_item_string(d, "é"))
lookup("GetItemString empty", ext.get_item_string(d, ""))
lookup("GetItemString missing", ext.get_item_string(d, "nope"))
lookup("GetItemString on non-dict", ext.get_item_string(["key"], "key"))

# --- PyDict_GetItemWithError -------------------------------------------------------
d = {"a": 1, 2: o}
lookup("GetItemWithError hit", ext.get_item_with_error(d, "a"))
show("GetItemWithError identity", ext.get_item_with_error(d, 2)[0] is o)
lookup("GetItemWithError missing (no KeyError)", ext.get_item_with_error(d, "b"))
lookup("GetItemWithError unhashable", ext.get_item_with_error(d, {}))
lookup("GetItemWithError bad __hash__", ext.get_item_with_error(d, BadHash()))
err("GetItemWithError missing, propagated", ext.get_item_with_error_raise, d, "b")
err("GetItemWithError unhashable, propagated", ext.get_item_with_error_raise, d, [1])
e = err("GetItemWithError bad hash, propagated", ext.get_item_with_error_raise, d, BadHash())
show("  message from __hash__", str(e))
internal("GetItemWithError on list", ext.get_item_with_error_raise, [1], 0)

# --- PyDict_SetItem / SetItemString ------------------------------------------------
d = {}
ext.set_item(d, "x", 1)
ext.set_item(d, 5, o)
ext.set_item(d, (1, "t"), None)
show("SetItem result", d == {"x": 1, 5: o, (1, "t"): None})
show("SetItem identity", d[5] is o)
ext.set_item(d, "x", 2)
show("SetItem overwrite keeps order", list(d.items())[0])
ext.set_item(d, 5.0, "float key")
show("SetItem equal key 5.0 keeps original key", [type(k).__name__ for k in d])
err("SetItem unhashable", ext.set_item, d, [], 1)
err("SetItem bad __hash__", ext.set_item, d, BadHash(), 1)
internal("SetItem on list", ext.set_item, [], "k", 1)
ext.set_item_string(d, "s", "string key")
ext.set_item_string(d, "ü", 42)
show("SetItemString", (d["s"], d["ü"]))
show("SetItemString key type", [type(k).__name__ for k in d][-2:])
internal("SetItemString on list", ext.set_item_string, [], "k", 1)
show("size after sets", len(d))

# --- PyDict_DelItem / DelItemString ----------------------------------------------------
d = {"a": 1, "b": 2, 3: "c", (4,): "t"}
ext.del_item(d, "a")
show("DelItem", d)
e = err("DelItem missing", ext.del_item, d, "zz")
show("  KeyError args", e.args)
e = err("DelItem missing tuple key", ext.del_item, d, (9, 9))
show("  KeyError args (tuple key kept whole)", e.args)
err("DelItem unhashable", ext.del_item, d, [])
internal("DelItem on list", ext.del_item, [1], 0)
ext.del_item_string(d, "b")
show("DelItemString", d)
e = err("DelItemString missing", ext.del_item_string, d, "gone")
show("  KeyError args", e.args)
internal("DelItemString on list", ext.del_item_string, [1], "x")

# --- PyDict_Contains ---------------------------------------------------------------------
d = {"a": 1, 2: None}
show("Contains hit", ext.contains(d, "a")[0])
show("Contains None value", ext.contains(d, 2)[0])
show("Contains miss", ext.contains(d, "b")[0])
r = ext.contains(d, [])
show("Contains unhashable", (r[0], r[1].__name__))
r = ext.contains(d, BadHash())
show("Contains bad __hash__", (r[0], r[1].__name__))
err("Contains unhashable, propagated", ext.contains_raise, d, {})

# --- PyDict_Size -----------------------------------------------------------------------
show("Size", ext.size({1: 2, 3: 4}))
show("Size empty", ext.size({}))
internal("Size on list", ext.size, [1, 2])

# --- Keys / Values / Items ------------------------------------------------------------------
d = {"z": 26, "a": 1, "m": o}
k, v, it = ext.keys(d), ext.values(d), ext.items(d)
show("Keys", k)
show("Keys type", type(k).__name__)
show("Values types", [type(x).__name__ for x in v])
show("Values identity", v[2] is o)
show("Items", it[:2])
show("Items types", [type(x).__name__ for x in (it, it[0])])
show("Items identity", it[2][1] is o)
k.append("extra")
show("Keys is a copy", len(d))
show("Keys/Values/Items empty", (ext.keys({}), ext.values({}), ext.items({})))
internal("Keys on list", ext.keys, [])
internal("Values on list", ext.values, [])
internal("Items on list", ext.items, [])

# --- PyDict_Next -------------------------------------------------------------------------
d = {}
for key in ["q", 10, "b", (1,), None, 2.5]:
    d[key] = str(key)
show("Next order", ext.next_items(d))
show("Next order matches items()", ext.next_items(d) == list(d.items()))
del d[10]
d[10] = "readded"
show("Next after delete+re-add", [kv[0] for kv in ext.next_items(d)])
show("Next empty", ext.next_items({}))
show("Next NULL key/value", ext.next_nulls({1: 1, 2: 2, 3: 3}))
show("Next identity", ext.next_items({o: o})[0][0] is o)
show("Next on non-dict -> (0, error set)", ext.next_on_non_dict([1, 2]))
big = ext.build_big(50)
show("Next on C-built dict with deletions", [kv[0] for kv in ext.next_items(big)][:5])
show("C-built dict size", len(big))
d = {"a": 1, "b": 2, "c": 3}
ext.sum_values_next(d)
show("Next with value replacement", d)

# --- Copy -----------------------------------------------------------------------------
d = {"a": [1], "b": o}
c = ext.copy(d)
show("Copy equal", c == d)
show("Copy new object", c is not d)
show("Copy is shallow", c["a"] is d["a"] and c["b"] is o)
c["new"] = 1
show("Copy independent", "new" in d)
show("Copy type", type(c) is dict)
internal("Copy on list", ext.copy, [1])

# --- Update / Merge / MergeFromSeq2 ----------------------------------------------------------


class Mapping:
    """Not a dict: has keys() and __getitem__ only."""

    def __init__(self, data):
        self.data = data

    def keys(self):
        return list(self.data)

    def __getitem__(self, k):
        return self.data[k] * 10


d = {"a": 1, "b": 2}
ext.update(d, {"b": 20, "c": 30})
show("Update dict", d)
ext.update(d, Mapping({"a": 5, "z": 9}))
show("Update mapping (keys()+__getitem__)", d)
e = err("Update with list of pairs", ext.update, d, [("q", 1)])
err("Update with int", ext.update, d, 5)
internal("Update target list", ext.update, [], {})
d = {"a": 1, "b": 2}
ext.merge(d, {"b": 200, "c": 300}, 0)
show("Merge override=0", d)
ext.merge(d, {"b": 200, "c": 999}, 1)
show("Merge override=1", d)
ext.merge(d, Mapping({"a": 7, "n": 1}), 0)
show("Merge mapping override=0", d)
ext.merge(d, Mapping({"a": 7, "n": 2}), 1)
show("Merge mapping override=1", d)
err("Merge with int", ext.merge, d, 3, 1)
internal("Merge target list", ext.merge, [], {}, 1)
d = {"a": 1}
ext.merge_from_seq2(d, [("a", 2), ("b", 3), ["c", 4]], 0)
show("MergeFromSeq2 override=0", d)
ext.merge_from_seq2(d, iter([("a", 9), "xy"]), 1)
show("MergeFromSeq2 override=1 (2-char str is a pair)", d)
err("MergeFromSeq2 bad element", ext.merge_from_seq2, d, [(1, 2, 3)], 1)
show("order after merges", list(d))

# --- Clear ----------------------------------------------------------------------------
d = {"a": 1, "b": 2}
alias = d
ext.clear(d)
show("Clear", alias)
ext.clear(d)
show("Clear twice", d)
l = [1, 2]
ext.clear(l)
show("Clear on non-dict is a no-op", l)

# --- SetDefault -------------------------------------------------------------------------
d = {"a": 1}
show("SetDefault existing", ext.set_default(d, "a", 2))
show("SetDefault new", ext.set_default(d, "b", o) is o)
show("SetDefault dict", list(d))
err("SetDefault unhashable", ext.set_default, d, [], 1)

# --- Check / CheckExact, subclasses ---------------------------------------------------------


class MyDict(dict):
    def __missing__(self, key):
        return "from __missing__"

    def __getitem__(self, key):
        return "overridden " + str(dict.get(self, key, "?"))

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, ("wrapped", value))

    def __contains__(self, key):
        return True


od = collections.OrderedDict([("y", 1), ("x", 2)])
dd = collections.defaultdict(list, {"k": [1]})
md = MyDict()
dict.__setitem__(md, "real", 1)
show("checks dict", ext.checks({}))
show("checks subclass", ext.checks(md))
show("checks OrderedDict", ext.checks(od))
show("checks defaultdict", ext.checks(dd))
show("checks Counter", ext.checks(collections.Counter("aab")))
show("checks mappingproxy", ext.checks(types.MappingProxyType({})))
show("checks list", ext.checks([]))
show("checks Mapping class instance", ext.checks(Mapping({})))

lookup("GetItem subclass bypasses __getitem__", ext.get_item(md, "real"))
lookup("GetItem subclass missing: no __missing__", ext.get_item(md, "nope"))
lookup("GetItemWithError subclass missing", ext.get_item_with_error(md, "nope"))
ext.set_item(md, "new", 5)
show("SetItem subclass bypasses __setitem__", dict.__getitem__(md, "new"))
show("Contains subclass bypasses __contains__", ext.contains(md, "absent")[0])
show("Size subclass", ext.size(md))
show("Keys subclass", ext.keys(md))
lookup("GetItem defaultdict missing: no default_factory", ext.get_item(dd, "other"))
show("defaultdict unchanged", sorted(dd))
lookup("GetItem OrderedDict", ext.get_item(od, "x"))
show("Next OrderedDict", ext.next_items(od))
show("Copy OrderedDict type", type(ext.copy(od)).__name__)
show("Copy subclass type", type(ext.copy(md)).__name__)
target = {}
ext.update(target, md)
show("Update from subclass reads raw values", target)

d = {"a": 1, "b": 2}
show("_PyDict_Pop", (ext.pop(d, "a"), d))
show("_PyDict_Pop default", ext.pop(d, "zz", "dflt"))
err("_PyDict_Pop missing", ext.pop, d, "zz", message=True)
err("_PyDict_Pop unhashable", ext.pop, d, [], message=True)
show("_PyDict_Pop from empty with default", ext.pop({}, 1, None))
show("KnownHash get", ext.known_hash({"k": "v"}, "k"))
show("KnownHash missing", ext.known_hash({"k": "v"}, "x"))
d = {}
show("KnownHash set", (ext.known_hash(d, (1, 2), "tv"), d))
show("NewPresized", ext.presized(100))
show("GET_SIZE", (ext.get_size_macro({}), ext.get_size_macro(dict.fromkeys(range(7)))))

d = {"x": 1}
show("Private forms", ext.private_forms(d))
show("  after", d)
show("HasOnlyStringKeys false", ext.private_forms({1: 2})[0][5])
show("_PyDict_Next", ext.next_with_hash({"a": 1, (2, 3): "t"}))
d = {"a": 1, "b": 2}
ext.del_known_hash(d, "a")
show("DelItem_KnownHash", d)
err("DelItem_KnownHash missing", ext.del_known_hash, d, "a", message=True)

# ma_used, read from the struct: as the dict stands when C gets it, and
# after each change C makes through the API.
fresh = {}
show("ma_used of an empty dict", ext.used_now(fresh))
fresh.update(a=1, b=2, c=3)
show("ma_used after Python added three", ext.used_now(fresh))
del fresh["a"]
show("ma_used after Python deleted one", ext.used_now(fresh))
show("ma_used around SetItem, DelItem, Clear", ext.used_field({"x": 1, "y": 2}))


class SubDict(dict):
    pass


show("ma_used of a dict subclass", ext.used_now(SubDict(p=1, q=2)))
show("ma_used of a class's namespace copy", ext.used_now(dict(vars(SubDict))) > 0)
# Dict views C allocates itself and fills (mypyc): live views of the dict.
import sys
d = {"a": 1, "b": 2}
for which in ("keys", "items", "values"):
    v = ext.c_made_view(which, d)
    show(f"C-made {which} view", (type(v).__name__, list(v), len(v), isinstance(v, type(getattr({}, which)()))))
keys = ext.c_made_view("keys", d)
d["c"] = 3
show("  it is live", (list(keys), "c" in keys, keys & {"a", "z"}))
owned = {"x": 1}
before = sys.getrefcount(owned)
for _ in range(1000):
    ext.c_made_view("items", owned, 1)
    list(ext.c_made_view("values", owned))
show("  views give back their dict", sys.getrefcount(owned) - before)

# An array.array C stores in a dict, then Python drops both (its storage
# was freed twice: pyproj's Cython code builds such dicts).
import array
import gc
for round_number in range(3):
    numbers = array.array("d", [1.0, 2.0, 3.0])
    held = ext.dict_holding(numbers)
    print("array held by a dict C made:", held["value"][1], held["value"] is numbers)
    del numbers, held
    gc.collect()

# The same with an io.BytesIO, whose struct is as big as an array's: once
# its host had died, its proxy was released as an array's, and its `pos`
# freed as the array's storage (indexed_gzip's pickling, a segfault).
import io
for round_number in range(3):
    stream = io.BytesIO(b"0123456789" * 200)
    stream.seek(1500)
    held = ext.dict_holding(stream)
    print("BytesIO held by a dict C made:", held["value"].read(3), held["value"] is stream)
    del stream, held
    gc.collect()

print("DONE")
