import gc

import list_ext as ext


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


class Victim:
    pass


# --- creation -----------------------------------------------------------
l = ext.new_filled(4)
show("new_filled(4)", l)
show("new_filled type", type(l) is list)
show("new_filled(0)", ext.new_filled(0))
show("new_filled(500) sum", sum(ext.new_filled(500)))
l = ext.new_filled(3)
l.append("py")
show("C-made list is mutable from Python", l)
show("new_with_setitem", ext.new_with_setitem())
show("new_empty_then_append", ext.new_empty_then_append())
internal("PyList_New(-1)", ext.new_negative)

# --- PyList_Append --------------------------------------------------------
l = [1]
o = object()
ext.append(l, o)
ext.append(l, "two")
show("Append seen by Python", len(l) == 3 and l[1] is o and l[2] == "two")
ext.append(l, l)
show("Append self (recursive repr)", repr(l[3]) == repr(l) and l[3] is l)
internal("Append on tuple", ext.append, (1,), 2)
internal("Append on None", ext.append, None, 2)
internal("Append NULL", ext.append_null, [])

# --- PyList_Insert -------------------------------------------------------------
l = ["a", "b", "c"]
ext.insert(l, 0, "front")
show("Insert 0", l)
ext.insert(l, 2, "mid")
show("Insert 2", l)
ext.insert(l, -1, "neg1")
show("Insert -1", l)
ext.insert(l, -100, "negbig")
show("Insert -100", l)
ext.insert(l, 100, "past_end")
show("Insert 100", l)
ext.insert(l, len(l), "at_len")
show("Insert len", l)
e = []
ext.insert(e, 5, "only")
show("Insert into empty at 5", e)
internal("Insert on tuple", ext.insert, (1,), 0, 2)

# --- PyList_GetItem --------------------------------------------------------------
src = ["zero", o, 2.0]
show("GetItem 0", ext.get_item(src, 0))
show("GetItem 1 identity", ext.get_item(src, 1) is o)
err("GetItem 3", ext.get_item, src, 3, message=True)
err("GetItem -1", ext.get_item, src, -1, message=True)
err("GetItem on empty", ext.get_item, [], 0, message=True)
internal("GetItem on tuple", ext.get_item, (1, 2), 0)
internal("GetItem on dict", ext.get_item, {0: 1}, 0)

# --- PyList_SetItem --------------------------------------------------------------
l = [1, 2, 3]
ext.set_item(l, 1, "x")
show("SetItem 1", l)
ext.set_item(l, 0, o)
show("SetItem identity", l[0] is o)
err("SetItem 3", ext.set_item, l, 3, "y", message=True)
err("SetItem -1", ext.set_item, l, -1, "y", message=True)
show("SetItem failure left list alone", l[1:])
internal("SetItem on tuple", ext.set_item, (1,), 0, "y")
wr = ext.steal_test(Victim)
gc.collect()
show("SetItem steals (freed with list)", wr() is None)
lst, wr = ext.append_keeps_ref(Victim)
gc.collect()
show("Append does not steal (alive in list)", wr() is not None and wr() is lst[0])
del lst
gc.collect()
show("Append: freed after list dropped", wr() is None)

# --- macros -------------------------------------------------------------------------
l = ["p", "q", "r"]
show("GET_SIZE/GET_ITEM then SET_ITEM", ext.macro_ops(l, 1, "new"))
show("after SET_ITEM", l)
show("GET_ITEM identity", ext.macro_ops(l, 0, o)[1] == "p" and l[0] is o)

# --- PyList_Size ----------------------------------------------------------------
show("Size 3", ext.size([1, 2, 3]))
show("Size 0", ext.size([]))
internal("Size on tuple", ext.size, (1, 2))
internal("Size on str", ext.size, "abc")

# --- PyList_GetSlice / SetSlice ----------------------------------------------
ten = list(range(10))
show("GetSlice 2:5", ext.get_slice(ten, 2, 5))
show("GetSlice 8:100", ext.get_slice(ten, 8, 100))
show("GetSlice -3:4 (low clamped to 0)", ext.get_slice(ten, -3, 4))
show("GetSlice 5:2", ext.get_slice(ten, 5, 2))
show("GetSlice 20:30", ext.get_slice(ten, 20, 30))
full = ext.get_slice(ten, 0, 10)
show("GetSlice full is a copy", full == ten and full is not ten)
full.append(10)
show("GetSlice copy independent", len(ten))
sl = ext.get_slice([o, l], 0, 2)
show("GetSlice keeps identity", sl[0] is o and sl[1] is l)
internal("GetSlice on tuple", ext.get_slice, (1, 2), 0, 1)
l = list(range(6))
ext.set_slice(l, 1, 3, ["a", "b", "c"])
show("SetSlice replace", l)
ext.set_slice(l, 0, 2, None)
show("SetSlice delete (NULL)", l)
ext.set_slice(l, 100, 200, [7])
show("SetSlice past end", l)
internal("SetSlice on tuple", ext.set_slice, (1, 2), 0, 1, [])

# --- PyList_AsTuple ---------------------------------------------------------------
t = ext.as_tuple([1, o, "z"])
show("AsTuple", type(t) is tuple and t[0] == 1 and t[1] is o and t[2] == "z")
show("AsTuple empty", ext.as_tuple([]))
internal("AsTuple on tuple", ext.as_tuple, (1,))
internal("AsTuple on None", ext.as_tuple, None)

# --- PyList_Sort / Reverse -------------------------------------------------------
l = [5, 3, 9, 1, 3]
ext.sort(l)
show("Sort ints", l)
l = ["pear", "apple", "fig"]
ext.sort(l)
show("Sort strs", l)
l = []
ext.sort(l)
show("Sort empty", l)
l = [3, "a", 1]
err("Sort mixed types", ext.sort, l)
internal("Sort on tuple", ext.sort, (2, 1))
l = [1, 2, 3, 4]
ext.reverse(l)
show("Reverse", l)
l = []
ext.reverse(l)
show("Reverse empty", l)
internal("Reverse on tuple", ext.reverse, (1, 2))

# --- Check / CheckExact ----------------------------------------------------------


class MyList(list):
    def append(self, x):   # not used by the C-API: PyList_Append bypasses it
        super().append(("wrapped", x))


ml = MyList([3, 1, 2])
show("checks list", ext.checks([]))
show("checks subclass", ext.checks(ml))
show("checks tuple", ext.checks(()))
show("checks None", ext.checks(None))
show("checks list type", ext.checks(list))
show("Size subclass", ext.size(ml))
show("GetItem subclass", ext.get_item(ml, 2))
ext.append(ml, 9)
show("Append on subclass bypasses override", list(ml))
ext.sort(ml)
show("Sort subclass", list(ml))
show("GetSlice subclass type", type(ext.get_slice(ml, 0, 2)).__name__)
show("AsTuple subclass", ext.as_tuple(ml))

# --- a list shared between C (static) and Python -----------------------------------
shared = [1, 2]
ext.store(shared)
show("stored is same object", ext.get_stored() is shared)
show("C sees initial", ext.read_stored())
shared.append(3)
shared[0] = "one"
show("C sees Python mutation", ext.read_stored())
del shared[1]
show("C sees Python deletion", ext.read_stored())
shared.extend(range(100))
show("C sees growth (size)", ext.read_stored()[0])
shared.clear()
show("C sees clear", ext.read_stored())
ext.mutate_stored("from C")
show("Python sees C append+setitem", shared)
ext.mutate_stored(o)
show("Python sees C-appended object", shared[-1] is o)
del shared
show("C still holds the list", ext.read_stored()[0])
kept = ext.get_stored()
show("list kept alive by C", len(kept))
ext.clear_stored()
show("after clear_stored", ext.get_stored())

# --- a list passed from Python, mutated by C ------------------------------------
data = []
for i in range(3):
    ext.append(data, i * 2)
show("Python sees all C appends", data)
alias = data
ext.insert(data, 0, "first")
show("alias sees C insert", alias is data and alias[0] == "first")

# A list built in place up to its allocated room, then appended to.
print("build_in_place", ext.build_in_place(0, False), ext.build_in_place(4, False))
print("build_in_place crossing", ext.build_in_place(6, True))

# PyList_SetSlice on a list C is still filling.
print("cut the unset tail", ext.slice_while_filling(5, 2, 2, 5, None))
print("replace a filled part", ext.slice_while_filling(4, 4, 1, 3, ("a", "b", "c")))
print("insert, then cut", ext.slice_while_filling(3, 3, 0, 0, ["x"]))
print("slice beyond the end", ext.slice_while_filling(2, 2, 5, 9, ("z",)))
print("the list into itself", ext.slice_while_filling(3, 3, 1, 2, ...))

print("stored, then filled", ext.store_then_fill(3), ext.store_then_fill(0))

# C keeps a list of lists; Python then drops the inner lists, which only the
# kept list's items held, and the collector runs (the layer rebuilds what C
# sees of the kept list as it starts).
import gc

outer = [[i, [i]] for i in range(50)]
ext.keep(outer)
del outer[:]
gc.collect()
print("kept list after its items went and a collection:", ext.kept_size())
ext.keep(None)


# A list C changes through generic calls: ob_size and ob_item follow.
for what, arg in [("PyObject_DelItem", 1), ("PyObject_SetItem slice", [7]), ("PySequence_DelItem", None),
                  ("PySequence_SetSlice", [1, 2, 3]), ("PySequence_DelSlice", None), ("method pop", None),
                  ("bound append", 50), ("function", lambda items: items.extend([60, 70]))]:
    items = [10, 20, 30, 40]
    args = (what, items) if arg is None else (what, items, arg)
    print(f"mirror after {what}: {ext.mirror_after(*args)} {items}")
# mypyc's `xs[i] = v`: Py_DECREF(PyList_GET_ITEM(xs, i)), then
# PyList_SET_ITEM, on tuples that only the list holds.
stack = ext.replace_top(40)
print("replaced at the top:", len(stack), stack[0], stack[-1], all(t[1] == 3 for t in stack))
print("DONE")
