import set_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        msg = str(e)
        if isinstance(e, SystemError):
            msg = msg.endswith("bad argument to internal function")
        print(f"{label}: raised {type(e).__name__} {msg!r}")
        return
    print(f"{label}: returned {r!r}")


class MySet(set):
    pass


class MyFrozen(frozenset):
    pass


s = ext.new_set()
show("New empty", (type(s).__name__, s))
show("New from list", sorted(ext.new_set([3, 1, 2, 1])))
show("New from dict keys", sorted(ext.new_set({"a": 1, "b": 2})))
show("New from generator", sorted(ext.new_set(x * x for x in range(4))))
err("New from int", ext.new_set, 5)
err("New with unhashable item", ext.new_set, [[1]])
fs = ext.new_frozenset([1, 2])
show("FrozenSet new", (type(fs).__name__, sorted(fs)))
show("FrozenSet new empty", ext.new_frozenset())
err("FrozenSet from int", ext.new_frozenset, 1.5)

s = ext.new_set()
ext.add(s, "a")
ext.add(s, 1)
ext.add(s, (1, 2))
ext.add(s, "a")
show("After adds", sorted(s, key=repr))
show("Size", ext.size(s))
show("GET_SIZE", ext.get_size_macro(s))
err("Add unhashable", ext.add, s, [])
err("Add dict", ext.add, s, {})
show("Contains a", ext.contains(s, "a"))
show("Contains b", ext.contains(s, "b"))
err("Contains unhashable set key", ext.contains, s, {1})
err("Contains unhashable list key", ext.contains, s, [1])
show("Contains on frozenset", ext.contains(frozenset([1]), 1))
show("Contains frozenset key", ext.contains({frozenset([1])}, frozenset([1])))
err("Contains on list", ext.contains, [1], 1)
show("Discard present", ext.discard(s, "a"))
show("Discard absent", ext.discard(s, "a"))
err("Discard unhashable", ext.discard, s, [1])
err("Discard on frozenset", ext.discard, frozenset([1]), 1)
show("After discards", sorted(s, key=repr))
p = ext.pop(s)
show("Pop returned a member", p in {1, (1, 2)})
show("Pop removed it", p not in s and len(s) == 1)
ext.pop(s)
err("Pop empty", ext.pop, s)
err("Pop frozenset", ext.pop, frozenset([1]))
s = {1, 2, 3}
show("Clear", (ext.clear(s), s))
err("Clear frozenset", ext.clear, frozenset([1]))
err("Clear list", ext.clear, [1])
show("Size frozenset", ext.size(frozenset("abc")))
err("Size list", ext.size, [1, 2])
err("Size dict", ext.size, {})

show("Fresh frozenset filled in C", sorted(ext.fill_fresh_frozenset(3)))
show("Fresh frozenset type", type(ext.fill_fresh_frozenset(1)).__name__)
shared = frozenset([1, 2])
err("Add to a shared frozenset", ext.add, shared, 3)
show("Shared frozenset unchanged", sorted(shared))
err("Add to a list", ext.add, [], 1)

entries = ext.next_entries({"x", "y", 3})
show("NextEntry keys", sorted((k for k, _ in entries), key=repr))
show("NextEntry hashes", all(h for _, h in entries))
show("NextEntry frozenset", sorted(k for k, _ in ext.next_entries(frozenset([5, 6]))))
show("NextEntry empty", ext.next_entries(set()))

s = {1}
ext.update(s, [2, 3])
ext.update(s, {4: "x"})
show("Update", sorted(s))
err("Update from int", ext.update, s, 7)
err("Update frozenset", ext.update, frozenset(), [1])

for label, obj in [("set", set()), ("frozenset", frozenset()), ("MySet", MySet()),
                   ("MyFrozen", MyFrozen()), ("list", []), ("dict", {})]:
    show(f"Checks {label}", ext.checks(obj))

show("Subclass ops", ext.sub_ops(MySet([1])))
key = object()
show("Refcount neutral", ext.refcount_neutral(key))
show("Refcount neutral str", ext.refcount_neutral("some key"))

# PySetObject's `used`, read directly as PyO3 and CPython's macro do: right
# when a set is made in Python, changed in Python and handed to C again,
# and after each C call that changes a set C made.
grown = {1, 2, 3}
show("used of a set", (ext.used_field(grown), ext.used_field(frozenset(range(5))), ext.used_field(set())))
grown.update({4, 5})
show("used after Python adds", ext.used_field(grown))
grown.clear()
show("used after Python clears", ext.used_field(grown))


class SetSub(set):
    def __len__(self):
        return 99


show("used of a set subclass (its __len__ not asked)", ext.used_field(SetSub([1, 2])))
show("PySet_Size of a set subclass (its __len__ not asked)", ext.size(SetSub([1, 2, 3])))


class FrozenSub(frozenset):
    def __len__(self):
        return 99


show("PySet_Size of a frozenset subclass", ext.size(FrozenSub([1])))
show("used while C builds a set", ext.used_while_building(False))
show("used while C builds a frozenset", ext.used_while_building(True))

print("DONE")
