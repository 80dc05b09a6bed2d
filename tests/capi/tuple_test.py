import collections
import gc

import tuple_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args, message=False):
    """Call fn(*args); print the result, or the exception type (and the message
    when it comes from the C-API itself)."""
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
    """Expect SystemError from PyErr_BadInternalCall (the message may carry a
    file:line prefix, so only its ending is compared)."""
    try:
        fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}",
              str(e).endswith("bad argument to internal function"))
    else:
        print(f"{label}: no error")


# --- tuples built in C --------------------------------------------------
t = ext.make_tuple()
show("make_tuple", t)
show("make_tuple type is tuple", type(t) is tuple)
show("make_tuple len", len(t))
show("make_tuple item types", [type(x).__name__ for x in t])
show("make_tuple[2] is None", t[2] is None)
show("make_tuple hash equal", hash(t) == hash((42, "spam", None, 2.5)))

t = ext.make_with_setitem()
show("make_with_setitem", t)
show("make_with_setitem[2] is True", t[2] is True)

n = ext.make_nested()
show("make_nested", n)
show("make_nested == literal", n == ((1, 2), (3, (4,)), ()))
show("make_nested inner types", [type(x).__name__ for x in n])
show("make_nested deep", n[1][1][0])
show("make_nested empty", n[2] == () and len(n[2]) == 0)

show("new_sized(0)", ext.new_sized(0))
show("new_sized(5)", ext.new_sized(5))
show("new_sized(1000) sum", sum(ext.new_sized(1000)))
internal("PyTuple_New(-1)", ext.new_negative)

# --- identity -----------------------------------------------------------
a, b = object(), [1, 2]
w = ext.wrap2(a, b)
show("wrap2 identity", w[0] is a and w[1] is b)
b.append(3)
show("wrap2 sees list mutation", w[1])
big = 2 ** 100
s = "a string that is not interned " * 3
w = ext.wrap2(big, s)
show("wrap2 big int/str identity", w[0] is big and w[1] is s)
show("args_tuple", ext.args_tuple(1, "x", None))
show("args_tuple empty", ext.args_tuple())
show("args_tuple identity", ext.args_tuple(a, b)[0] is a)
show("args_tuple type", type(ext.args_tuple(1)) is tuple)

# --- PyTuple_GetItem ------------------------------------------------------
src = ("zero", a, 2.0)
show("GetItem 0", ext.get_item(src, 0))
show("GetItem 1 identity", ext.get_item(src, 1) is a)
show("GetItem 2", ext.get_item(src, 2))
err("GetItem 3", ext.get_item, src, 3, message=True)
err("GetItem -1", ext.get_item, src, -1, message=True)
err("GetItem on empty", ext.get_item, (), 0, message=True)
internal("GetItem on list", ext.get_item, [1, 2], 0)
internal("GetItem on str", ext.get_item, "ab", 0)
internal("GetItem on None", ext.get_item, None, 0)

# --- macros -------------------------------------------------------------
show("GET_ITEM 0", ext.macro_get_item(src, 0))
show("GET_ITEM identity", ext.macro_get_item(src, 1) is a)
show("GET_SIZE", ext.macro_size(src))
show("GET_SIZE empty", ext.macro_size(()))
show("sum_items", ext.sum_items((1, 2, 3, 4)))

# --- PyTuple_Size ---------------------------------------------------------
show("Size 3", ext.size(src))
show("Size 0", ext.size(()))
internal("Size on list", ext.size, [1])
show("Size on dict -> (result, error set)", ext.size_result_on_error({}))
show("Size on tuple -> (result, error set)", ext.size_result_on_error((1,)))

# --- PyTuple_GetSlice -----------------------------------------------------
ten = tuple(range(10))
show("GetSlice 2:5", ext.get_slice(ten, 2, 5))
show("GetSlice 0:10", ext.get_slice(ten, 0, 10))
show("GetSlice 0:10 equal", ext.get_slice(ten, 0, 10) == ten)
show("GetSlice 8:100", ext.get_slice(ten, 8, 100))
show("GetSlice -3:4 (low clamped to 0)", ext.get_slice(ten, -3, 4))
show("GetSlice 5:2 (empty)", ext.get_slice(ten, 5, 2))
show("GetSlice 20:30 (empty)", ext.get_slice(ten, 20, 30))
show("GetSlice 3:-1 (empty)", ext.get_slice(ten, 3, -1))
sl = ext.get_slice((a, b, 1), 0, 2)
show("GetSlice keeps identity", sl[0] is a and sl[1] is b)
show("GetSlice type", type(sl) is tuple)
internal("GetSlice on list", ext.get_slice, [1, 2, 3], 0, 2)

# --- PyTuple_SetItem --------------------------------------------------------
show("SetItem fresh 0", ext.setitem_fresh_index(0))
show("SetItem fresh 1", ext.setitem_fresh_index(1))
err("SetItem fresh 2", ext.setitem_fresh_index, 2, message=True)
err("SetItem fresh -1", ext.setitem_fresh_index, -1, message=True)
internal("SetItem on list", ext.setitem_on, [1, 2], 0, "x")
internal("SetItem on None", ext.setitem_on, None, 0, "x")


class Victim:
    pass


alive, wr = ext.steal_test(Victim, False)
gc.collect()
show("SetItem steals: alive while in tuple", alive)
show("SetItem steals: freed with tuple", wr() is None)
alive, wr = ext.steal_test(Victim, True)
gc.collect()
show("SET_ITEM steals: alive while in tuple", alive)
show("SET_ITEM steals: freed with tuple", wr() is None)

# --- Check / CheckExact -------------------------------------------------------


class MyTuple(tuple):
    pass


Point = collections.namedtuple("Point", "x y")
mt = MyTuple((5, 6, 7))
pt = Point(3, 4)
show("checks tuple", ext.checks((1,)))
show("checks empty tuple", ext.checks(()))
show("checks C-made tuple", ext.checks(ext.make_tuple()))
show("checks subclass", ext.checks(mt))
show("checks namedtuple", ext.checks(pt))
show("checks list", ext.checks([1]))
show("checks str", ext.checks("ab"))
show("checks None", ext.checks(None))
show("checks tuple type itself", ext.checks(tuple))

show("GetItem subclass", ext.get_item(mt, 2))
show("GetItem namedtuple", ext.get_item(pt, 1))
show("Size subclass", ext.size(mt))
show("Size namedtuple", ext.size(pt))
show("GET_SIZE namedtuple", ext.macro_size(pt))
show("GetSlice subclass", ext.get_slice(mt, 0, 2))
show("GetSlice subclass type", type(ext.get_slice(mt, 0, 2)).__name__)
show("GetSlice namedtuple full type", type(ext.get_slice(pt, 0, 2)).__name__)
show("sum_items namedtuple", ext.sum_items(pt))
err("sum_items list", ext.sum_items, [1, 2], message=True)

show("_PyTuple_Resize grow", ext.resize_fresh(2, 4))
show("_PyTuple_Resize shrink", ext.resize_fresh(4, 1))
show("_PyTuple_Resize to empty", ext.resize_fresh(3, 0))
show("_PyTuple_Resize after Python saw it", (ext.resize_seen(5), ext.resize_seen(2)))
internal("_PyTuple_Resize shared", ext.resize_shared, (1, 2))

# A tuple C refills in place when it holds the only reference: Python sees
# each pair's own values, and one it still holds keeps its own.
for i in range(3):
    pair = ext.next_pair(i)
    show(f"reused pair {i}", (pair, pair == (i, i * 10), hash(pair) == hash((i, i * 10))))
    del pair
kept = [ext.next_pair(i) for i in range(3, 6)]
show("pairs kept", kept)
show("after the kept ones", ext.next_pair(7))
show("times a pair was reused", ext.pairs_reused())

deep = ()
for _ in range(200000):
    deep = (deep,)
show("a tuple nested 200000 deep, walked in C", ext.nesting_depth(deep))
del deep
gc.collect()
show("and released", True)
show("the empty tuple is shared (two PyTuple_New(0), args, slice)", ext.empty_is_shared())
show("borrowed empty args returned", [ext.return_borrowed_args() for _ in range(5)])
show("resize the empty tuple up", ext.resize_fresh(0, 3))
show("resize down to empty", ext.resize_fresh(2, 0))
show("resize empty to empty", ext.resize_fresh(0, 0))
print("DONE")
