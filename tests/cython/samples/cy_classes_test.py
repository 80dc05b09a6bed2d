import gc
import cy_classes as m

c = m.Counter("x", 3)
print(m.log())
print(c, c.count, c.name, c.label, len(c), bool(c), list(c))
print(c.bump(), c.bump(5), c.call_twice())
c.count = 2
print(c.count, c[0], c[1], 1 in c, 5 in c)
try:
    c[7]
except IndexError as e:
    print("IndexError", e.args)
try:
    c.name = "y"
except AttributeError as e:
    print("AttributeError", type(e).__name__)
c.payload_prop = [1, 2]
print(c.payload_prop)
del c.payload_prop
print(c.payload_prop)
print(c == m.Counter("z", 2), c == 3, hash(c) == hash(2))
d = c + 5
print(d, c(1, 2, k=3, a=4))
print(m.log())
del d
print(m.log())

s = m.Sub("s")
print(s.bump(3), s.scaled(), m.type_checks(s), m.type_checks(c), m.type_checks(1))
print(m.log())


class PySub(m.Counter):
    def __init__(self, name):
        super().__init__(name, 100)
        self.extra = "e"

    def bump(self, by=1):
        return -by


p = PySub("py")
print(p.count, p.extra, p.bump(4), m.call_bump(p, 7), m.call_bump(c, 7))
print(m.type_checks(p), isinstance(p, m.Counter))
print(m.log())
del p
gc.collect()
print(m.log())

m.make_cycle()
gc.collect()
print(sorted(m.log()))

w = m.WithSlots(5)
w.anything = 7
print(w.anything, w.__dict__)
del c, s, w
gc.collect()
print(sorted(m.log()))
v = m.Vec3(1.0, 2.0)
print(v + 1, len(v), v[5], m.Vec2.__add__(v, 2), m.Vec2.__len__(v))
import weakref
w = m.Weakly()
w.n = 3
cache = weakref.WeakValueDictionary()
cache["w"] = w
r = weakref.ref(w)
print(r() is w, cache["w"].n, len(cache))
del w
gc.collect()
print(r(), len(cache))
try:
    weakref.ref(m.NotWeakly())
except TypeError:
    print("TypeError: no weak references to NotWeakly")
print("DONE")
