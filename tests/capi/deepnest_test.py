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

# Made and let go of in C. (Returning such a container made in C to
# Python is left out: its conversion to a host object still recurses.)
for tuple_ in (False, True):
    ext.build_and_drop(N, tuple_)
    print("built and dropped in C, tuple" if tuple_ else "built and dropped in C, list")

print("wrap_and_drop:", ext.wrap_and_drop("leaf", N))
print("DONE")
