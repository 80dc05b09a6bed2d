import seqnegidx_ext as ext

n = ext.Neg()
for i in (3, -1, -10, -11, -15, 10):
    for mode, name in ((0, "GetItem"), (1, "SetItem"), (2, "DelItem")):
        r, seen = ext.op(mode, n, i)
        print(f"PySequence_{name}(o, {i}): {r}; slot saw {seen}")

print("DONE")
