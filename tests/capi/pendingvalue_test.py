# Values C makes (ints, floats, ASCII strs) before and after they cross into
# Python: their fields, API calls on them, identity, C's own references, a
# borrowed pointer a dict keeps valid, and many rows made and dropped.
import gc
import sys
import pendingvalue_ext as m

for v in (257, -6, 1000, -1000, 2**30 - 1, 2**30, -2**30, 2**60, -2**62, 2**63 - 1, -2**63, 2**64 - 1, 2**63):
    ds, back, made = m.digits(v)
    print(v, ds, back == made, made == v, type(made).__name__)

print(m.fields())

for kind in range(3):
    t, l = m.twice(kind)
    print(t, t[0] is t[1], t[0] is l[0], m.kept_value() is t[0], sys.getrefcount(t[0]) - sys.getrefcount(t))
    del t, l
    print(m.kept_value())

d = {}
m.store(d)
for _ in range(3):
    for i in range(20):
        m.rows(5)
    print(m.read_borrowed(d))
gc.collect()
print(m.read_borrowed(d))

total = 0
for k in range(50):
    rs = m.rows(200)
    total += sum(r[0] + r[3] for r in rs) + len(rs[-1][2])
    if k % 10 == 0:
        print(rs[0], rs[-1], hash(rs[5][2]) == hash("row 5"), rs[7][1] == 3.5)
print(total)
print(m.dropped())

for k in range(3):
    print(repr(m.ret(k)))
arg = 10 ** 15
t = m.ret(arg)
print(t, t[1] is arg, t[3] is m.kept_value(), type(t[2]).__name__)
for i in range(300):
    assert m.ret(3)[2] == (4242, "in")
    assert m.ret(i % 3) is not None
del t
print(m.kept_value(), m.kept_value() is m.kept_value())
print("DONE")
