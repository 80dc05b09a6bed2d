# A value C got and let go while Python still holds it keeps its address
# for C through the calls after it (its proxy parked among the recent
# ones, then on the parked list), while the values Python let go are freed
# around it; a value C gets twice in one call is one address.
import gc
import recentpark_ext as m

base = 10 ** 12
x = base + 1
f = float(base) + 0.5
s = "a str Python keeps " + str(base)
m.borrow(0, x)
m.borrow(1, f)
m.borrow(2, s)
for k in range(3):
    # Fresh values each call, which Python drops at once: each parks,
    # and a later call's end frees it.
    for i in range(10):
        m.touch(base + 100 + i)
        m.touch(float(i) + 0.25)
    print(m.same(0, x), m.same(1, f), m.same(2, s))
    print(m.show(0), m.show(1), m.show(2))

# More values Python keeps than the recent ones hold: they move on to the
# parked list with their identity.
kept = [base + 1000 + i for i in range(12)]
for v in kept:
    m.touch(v)
for v in kept:
    m.borrow(3, v)
    m.touch(base + 7)
    print(m.same(3, v), end=" ")
print()

# One object twice in a call, fresh or kept.
print(m.is_(x, x), m.is_(base + 5, base + 5), m.is_(x, base + 1))
y = base + 9
print(m.is_(y, y), m.is_(f, f))

gc.collect()
print(m.same(0, x), m.same(1, f), m.same(2, s))
print("DONE")
