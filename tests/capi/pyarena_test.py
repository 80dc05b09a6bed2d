# _PyArena_*: blocks stay intact until the arena is freed; the arena holds
# one reference to each object it is given and releases it when freed.
import gc
import sys
import weakref
import pyarena_ext as ext


class Item:
    pass


obj = object()
before = sys.getrefcount(obj)
print("fill:", ext.fill(obj))
print("refcount back to before:", sys.getrefcount(obj) == before)

item = Item()
died = []
r = weakref.ref(item, lambda _: died.append(True))
held, after = ext.own(item)
print("the arena's list held the item once more:", held - after)
del item
gc.collect()
print("item gone with the arena's list:", r() is None, died)

print("empty:", ext.empty())
print("DONE")
