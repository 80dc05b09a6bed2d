"""A dict whose keys are deleted and inserted again keeps a bounded size:
the host's entry table compacts instead of growing with every reinsert."""
import sys

d = {i: i for i in range(8)}
sizes = []
for rnd in range(4):
    for i in range(200000):
        v = d.pop(i % 8)
        d[i % 8] = v
    sizes.append(sys.getsizeof(d))
print("len", len(d), "bounded:", max(sizes) < 4096)
print("order kept:", list(d) == list(range(8)))

# the same through del and setdefault, and a set
d = {"a": 1, "b": 2}
for i in range(100000):
    del d["a"]
    d.setdefault("a", i)
print(sorted(d.items()), sys.getsizeof(d) < 4096)

s = set(range(8))
for i in range(100000):
    s.discard(i % 8)
    s.add(i % 8)
print(sorted(s), sys.getsizeof(s) < 4096)
print("DONE")
