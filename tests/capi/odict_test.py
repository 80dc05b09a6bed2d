import collections

import odict_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return
    print(f"{label}: returned {r!r}")


class MyOD(collections.OrderedDict):
    def __setitem__(self, k, v):
        super().__setitem__(k, ("wrapped", v))


od = ext.build(("z", "a", "m"))
show("New + SetItem", (type(od).__name__, list(od.items())))
ext.set_item(od, "a", "again")
show("SetItem existing keeps position", list(od.items()))
ext.del_item(od, "z")
ext.set_item(od, "z", "back")
show("DelItem + SetItem moves to end", list(od))
od.move_to_end("a")
show("Python's move_to_end sees C's entries", list(od))
show("Reads", ext.reads(od, "m", "z"))
show("Reads missing", ext.reads(od, "nope", "nope"))
err("SetItem unhashable", ext.set_item, od, [], 1)
err("DelItem missing", ext.del_item, od, "nope")
err("DelItem unhashable", ext.del_item, od, [])
show("Reversed", list(reversed(od)))
show("popitem(last=False)", od.popitem(last=False))
m = MyOD()
ext.set_item(m, "k", 1)
show("SetItem bypasses a subclass's __setitem__", dict(m))
for label, obj in [("OrderedDict", collections.OrderedDict()), ("subclass", MyOD()), ("dict", {})]:
    show(f"Checks {label}", ext.checks(obj))
show("Refcount neutral", ext.refcount_neutral(object()))

print("DONE")
