import collections

import sequence_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return
    print(f"{label}: returned {r!r}")


class Seq:
    """A sequence by __getitem__/__len__ only."""
    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]


class Addable:
    def __add__(self, other):
        return "added"


show("Concat lists", ext.concat([1], [2, 3]))
show("Concat tuples", ext.concat((1,), (2,)))
show("Concat str", ext.concat("ab", "cd"))
show("Concat bytes", ext.concat(b"ab", b"cd"))
err("Concat str+int", ext.concat, "a", 1)
err("Concat int", ext.concat, 1, 2)
err("Concat dict", ext.concat, {}, {})
err("Concat number-like", ext.concat, Addable(), [1])
a = [1]
r = ext.concat(a, [2], True)
show("InPlaceConcat list", (r, r is a, a))
t = (1,)
r = ext.concat(t, (2,), True)
show("InPlaceConcat tuple", (r, r is t))
err("InPlaceConcat int", ext.concat, 1, 2, True)
show("Repeat list", ext.repeat([1, 2], 2))
show("Repeat str", ext.repeat("ab", 3))
show("Repeat zero", ext.repeat((1,), 0))
show("Repeat negative", ext.repeat([1], -1))
err("Repeat int", ext.repeat, 3, 2)
err("Repeat dict", ext.repeat, {}, 2)
a = [1]
r = ext.repeat(a, 3, True)
show("InPlaceRepeat list", (r, r is a))
err("InPlaceRepeat int", ext.repeat, 1, 2, True)

show("GetSlice list", ext.get_slice([0, 1, 2, 3, 4], 1, 3))
show("GetSlice negative", ext.get_slice([0, 1, 2, 3, 4], -3, -1))
show("GetSlice clipped", ext.get_slice("hello", 2, 100))
show("GetSlice range", ext.get_slice(range(10), 2, 5))
show("GetSlice dict-free Seq", ext.get_slice(Seq("abcdef"), 1, 4))
err("GetSlice int", ext.get_slice, 5, 0, 1)
err("GetSlice set", ext.get_slice, {1}, 0, 1)
a = [0, 1, 2, 3, 4]
ext.set_slice(a, 1, 3, ["x", "y", "z"])
show("SetSlice", a)
ext.set_slice(a, 0, 2)
show("DelSlice", a)
err("SetSlice tuple", ext.set_slice, (1, 2), 0, 1, [5])
err("DelSlice tuple", ext.set_slice, (1, 2), 0, 1)
err("SetSlice str", ext.set_slice, "ab", 0, 1, "x")

a = [0, 1, 2]
ext.set_item(a, 1, "one")
ext.set_item(a, -1, "last")
show("SetItem", a)
ext.set_item(a, 0)
show("DelItem", a)
ext.set_item(a, -1)
show("DelItem negative", a)
err("SetItem out of range", ext.set_item, [1], 5, 0)
err("DelItem out of range", ext.set_item, [1], 5)
err("SetItem tuple", ext.set_item, (1,), 0, 2)
err("DelItem tuple", ext.set_item, (1,), 0)
err("SetItem dict", ext.set_item, {}, 0, 1)
err("DelItem dict", ext.set_item, {0: 1}, 0)
err("SetItem int", ext.set_item, 5, 0, 1)
ba = bytearray(b"abc")
ext.set_item(ba, -1, ord("Z"))
show("SetItem bytearray", ba)
show("ITEM", (ext.get_item([1, 2, 3], 0), ext.get_item("xyz", 2)))

show("List from tuple", ext.to_list((1, 2)))
show("List from gen", ext.to_list(i for i in range(3)))
l = [1]
show("List copies", ext.to_list(l) is not l)
err("List from int", ext.to_list, 5)
show("Length", (ext.length([1, 2]), ext.length("abc"), ext.length(Seq([1]))))
err("Length int", ext.length, 5)
err("Length dict", ext.length, {})

items = [1, 2, 1, "1", 1.0]
show("Count", ext.search(items, 1, "count"))
show("Count none", ext.search(items, 9, "count"))
show("Index", ext.search(items, "1", "index"))
err("Index missing", ext.search, items, 9, "index")
show("Contains", (ext.search(items, "1", "contains"), ext.search(items, 7, "contains")))
show("In", ext.search(items, 2, "in"))
show("Contains str", ext.search("hello", "ell", "contains"))
show("Contains dict", ext.search({"k": 1}, "k", "contains"))
show("Contains by iteration", ext.search(Seq([5, 6]), 6, "contains"))
show("Contains generator", ext.search((i for i in range(5)), 3, "contains"))
err("Count int", ext.search, 5, 1, "count")
err("Index int", ext.search, 5, 1, "index")
err("Contains int", ext.search, 5, 1, "contains")
err("Contains str with int", ext.search, "abc", 1, "contains")
show("IterSearch constants", ext.constants())
show("IterSearch", (ext.iter_search([1, 2, 2], 2, 1), ext.iter_search([1, 2, 2], 2, 2), ext.iter_search([1, 2, 2], 2, 3)))
err("IterSearch int", ext.iter_search, 1, 2, 1)

t = (1, 2, 3)
n, by_get, by_items, same = ext.fast(t)
show("Fast tuple", (n, by_get, by_items, same))
show("Fast list", ext.fast([4, 5])[:3])
show("Fast gen", ext.fast(x for x in "ab")[:3])
show("Fast set size", ext.fast({7})[:3])
show("Fast dict", ext.fast({"a": 1})[:3])
show("Fast empty", ext.fast([])[:3])
err("Fast int", ext.fast, 5)
show("Fast macros on a list", ext.fast_macros_on(["p", "q"]))
show("Fast macros on a tuple", ext.fast_macros_on(("r",)))
show("Fast macros on an empty list", ext.fast_macros_on([]))
show("Fast refcount of a tuple", ext.fast_refcount((1, 2)))

d = {"a": 1, 5: 2}
show("HasKey", ext.mapping_ops(d, 5, "a"))
show("HasKey missing", ext.mapping_ops(d, 6, "b"))
show("HasKey unhashable", ext.mapping_ops(d, [], "a"))
show("HasKey list", ext.mapping_ops([1, 2], 1, "x"))
show("HasKey int", ext.mapping_ops(5, 1, "x"))
ext.mapping_set_string(d, "new", 3)
show("SetItemString", d)
od = collections.OrderedDict()
ext.mapping_set_string(od, "k", "v")
show("SetItemString OrderedDict", list(od.items()))
err("SetItemString list", ext.mapping_set_string, [], "k", 1)
err("SetItemString tuple", ext.mapping_set_string, (), "k", 1)
ext.mapping_del(d, 5)
ext.mapping_del(d, "a")
show("DelItem/DelItemString", d)
err("DelItem missing", ext.mapping_del, d, 99)
err("DelItemString missing", ext.mapping_del, d, "zz")

show("list sq_repeat", ext.type_repeat(list, [1, 2], 3))
show("tuple sq_repeat", ext.type_repeat(tuple, (0,), 2))
show("str sq_repeat", ext.type_repeat(str, "ab", 2))
show("bytes sq_repeat", ext.type_repeat(bytes, b"x", 3))
err("int has no sq_repeat", ext.type_repeat, int, 3, 2)


class Overrides(list):
    def __mul__(self, n):
        return "override"


show("list sq_repeat skips a subclass override", ext.type_repeat(list, Overrides([7]), 2))
grown = [1]
show("list sq_inplace_concat", (ext.list_inplace_concat(grown, [2, 3]), grown))

print("DONE")
