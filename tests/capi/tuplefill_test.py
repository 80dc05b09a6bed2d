# Tuples C stores in a container before setting their items hold those items
# once the C call returns: in CPython the container holds the very object C
# fills. Under cpyext such a tuple had crossed into Python with an unset item
# and the store (or the module's import) failed with SystemError.
import gc
import tuplefill_ext as m

print("NAMES", m.NAMES, len(m.NAMES), hash(m.NAMES) == hash((("alpha", 0), ("beta", 1), ("gamma", 2))))
for n in (0, 1, 5):
    d = {}
    print("dict", n, m.store_in_dict(d, n), d["t"], d["t"] == tuple(range(n)))
l = []
print("list", m.store_in_list(l), l, l[0][1] is l[1])
d = {}
r = m.store_and_return(d)
print("returned", r, r is d["r"], d)
d2 = {}
print("repr in the call", m.store_then_repr(d2), d2)
gc.collect()
print("after collect", m.NAMES[2], l, d["r"])
print("DONE")
