import tupleid_ext as tupleid
t = ([],); t[0].append(t)
print("macros: inner is t:", tupleid.same(t))
print("functions: inner is t:", tupleid.same_via_getitem(t))
l = [1]; t2 = (l,); l.append(t2)
print("list item 1 is t2:", tupleid.same((l,)) if False else "skip")
print("DONE")
