# Instances a type parks in its own free list from tp_dealloc and takes back
# later: they are live objects again, whichever way C revives them.
import gc

import freelist_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


a = ext.make(1)
b = ext.make(2)
show("fresh", (a, b, ext.stats()))
del a, b
gc.collect()
show("parked after del", ext.stats())

for how, name in [(0, "Py_INCREF"), (1, "_Py_NewReference"), (2, "PyObject_Init")]:
    x = ext.make(10 + how, how)
    show(f"revived by {name}", (x, x.value, type(x).__name__, ext.stats()[0]))
    y = ext.add(x, x)
    show(f"  used in C", (y, y.value))
    del x, y
    gc.collect()

# A loop that revives and parks the same few structs many times.
total = ext.make(0)
for i in range(1, 2001):
    total = ext.add(total, ext.make(i))
show("sum through the free list", (total.value, ext.stats()[0]))
kept = [ext.make(i) for i in range(8)]
show("more than the pool holds", ([k.value for k in kept], ext.stats()[0]))
del kept, total
gc.collect()
show("pool refilled", ext.stats()[0])

# A free-list type whose tp_dealloc calls a method of the dying object:
# each struct is deallocated once, and none stays alive as an object once
# parked (a host object made for the method call leaked, one per struct).
class Payload:
    pass


for _ in range(3):
    objs = [ext.make_closing(Payload()) for _ in range(20)]
    show("closing objects hold their data", all(type(o) is ext.Closing for o in objs))
    del objs
gc.collect()
show("closing: deallocs, closes, parked", ext.closing_stats())
show("closing: live after parking", sum(1 for o in gc.get_objects() if type(o) is ext.Closing))
show("closing: live payloads", sum(1 for o in gc.get_objects() if type(o) is Payload))
print("DONE")
