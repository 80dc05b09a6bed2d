import gc
import shapes

v = shapes.Vec2(1, 2) + shapes.Vec2(3, 4)
print("vec", v.x, v.y, (v * 2).x, v == shapes.Vec2(4, 6), shapes.Vec2(1, 1) < v, v.at(1))
v += shapes.Vec2(1, 1)
print("iadd", v.x, v.y)
try:
    v.at(5)
except IndexError as e:
    print("IndexError", e)
try:
    shapes.Square(-1)
except ValueError as e:
    print("ValueError", e)


class Circle(shapes.Shape):
    def __init__(self, r):
        shapes.Shape.__init__(self, "circle")
        self.r = r

    def area(self):
        return 3.0 * self.r * self.r


class Broken(shapes.Shape):
    def __init__(self):
        shapes.Shape.__init__(self, "broken")

    def area(self):
        raise KeyError("no area")


sq, c = shapes.Square(2), Circle(1)
print("areas", sq.area(), c.area(), shapes.total_area([sq, c]))
print("describe", shapes.describe_all(shapes.ShapeVector([sq, c])))
print("live", shapes.cvar.Shape_live if hasattr(shapes, "cvar") else shapes.Shape.live)
try:
    shapes.total_area([Broken()])
except KeyError as e:
    print("KeyError through C++", e)
del sq, c
gc.collect()

m = shapes.word_lengths(["alpha", "be", "gamma"])
print("map", sorted(m.items()), m["be"], len(m), "be" in m)
dv = shapes.scaled([1.0, 2.5], 2)
print("vector", list(dv), dv[1], len(dv), type(dv).__name__)
sv = shapes.StringVector(["x", "yz"])
sv.append("w")
print("strings", list(sv), sv.pop(), sv.size())

buf = bytearray(5)
print("buffer", shapes.fill(buf), bytes(buf))
try:
    shapes.fill(b"read-only")
except TypeError as e:
    print("TypeError for bytes")

print("overloads", shapes.overloaded(1), shapes.overloaded(1.5), shapes.overloaded("s"))
try:
    shapes.overloaded([])
except (TypeError, NotImplementedError) as e:
    print(type(e).__name__, str(e).splitlines()[0])
print("templates", shapes.IntBox(7).get(), shapes.StringBox("s").get(), shapes.IntBox(3).value)
print("repr ok", repr(shapes.Vec2()).startswith("<shapes.Vec2"))
print("callbacks", shapes.apply(shapes.negate, 3), shapes.apply(shapes.Ops.twice, 4), shapes.apply(shapes.Ops().twice, 5))
