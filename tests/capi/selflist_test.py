import selflist_ext as selflist
l = [1, 2]
print("append other:", selflist.append_via_slice(l, 3), l)
l = [1, 2]
print("append itself: C saw len", selflist.append_via_slice(l, l), "; Python sees len", len(l), "; l[2] is l:", len(l) == 3 and l[2] is l)
x = selflist.selfref()
print("made in C: len", len(x), "; x[0] is x:", len(x) == 1 and x[0] is x)
for v, what in [(1, "PyList_Append(l, l)"), (2, "repr first, then slice"), (3, "slice only"), (4, "slice of another new list")]:
    x = selflist.variant(v)
    print(f"variant {v} ({what}): len {len(x)}")
x = selflist.selfset()
print("set into itself:", len(x), x[0] is x)
a = selflist.pair()
print("a pair:", len(a), len(a[0]), a[0][0] is a, a[0] is not a)
print("slice from a tuple:", selflist.tuple_slice())
print("DONE")
