import gc
import intcache_ext as ext

# The cached range's ends and the values just outside it.
for v in (-6, -5, -1, 0, 1, 42, 255, 256, 257, 1000, -1000, 2**40, -(2**40), 2**62):
    a, b, same = ext.pair(v)
    print(v, "values", a == v, b == v, type(a).__name__, type(b).__name__, "one object", same)
    x = int(str(v))   # a value Python makes on its own
    print(v, "is Python's", ext.same_as(v, x), "from_long is", ext.from_long(v) is x)

# Many made and released in C, in turn with small ones: the small ints stay
# the cached objects (a count that went wrong would free or corrupt them).
print("churn", ext.churn(100000), sum(range(100000)) + sum(i & 255 for i in range(100000)))
gc.collect()
print("after churn", [ext.from_long(v) is int(str(v)) for v in (-5, 0, 7, 256)])
print("after churn values", [ext.from_long(v) for v in (-5, 0, 7, 256, 257)])

k1, k2 = ext.kept_small(), ext.kept_small()
print("kept", k1, k1 is k2, k1 is int("42"))
del k1, k2
gc.collect()
print("kept again", ext.kept_small() is int("42"), ext.kept_small() + 0)

# A fresh int from C goes into a dict and a set and is found by value.
d = {ext.from_long(10**6 + i): i for i in range(1000)}
print("dict", len(d), d[10**6 + 500], all(d[10**6 + i] == i for i in range(1000)))
s = {ext.from_long(i) for i in range(-10, 300)}
print("set", len(s), min(s), max(s))

for v in (0.0, 1.5, -2.25, 1e300):
    a, b, same = ext.floats(v)
    print("float", v, a == v, b == v, "one object", same)
print("DONE")
