# Lists and tuples nested 100,000 deep, made by Python or by C, handed to C
# and let go of: no level may cost a native stack frame.
import deepnest_ext as ext

N = 100_000


def nest(n, kinds):
    obj = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        obj = [obj] if kind == "list" else (obj,)
    return obj


for kinds in (["list"], ["tuple"], ["list", "tuple"]):
    obj = nest(N, kinds)
    print("python", kinds, "depth seen by C:", ext.depth(obj))
    print("again:", ext.depth(obj))
    del obj
    print("python", kinds, "freed")

# Made and let go of in C.
for tuple_ in (False, True):
    ext.build_and_drop(N, tuple_)
    print("built and dropped in C, tuple" if tuple_ else "built and dropped in C, list")

# Made in C and returned to Python, which walks it and lets go of it.
for tuple_ in (False, True):
    obj = ext.build(N, tuple_)
    depth = 0
    while obj:
        obj = obj[0]
        depth += 1
    print("built in C, returned:", "tuple" if tuple_ else "list", depth)
    del obj
    obj = ext.build(N, tuple_)
    print("C walks what it returned:", ext.depth(obj))
    del obj

print("wrap_and_drop:", ext.wrap_and_drop("leaf", N))
print("DONE")
