import cmetaclass_ext as ext

print("Base", type(ext.Base).__name__, ext.Base.describe(), ext.Base.__created__)


class Point(ext.Base):
    x: int
    y: int

    def norm(self):
        return abs(self.x) + abs(self.y)


print("Point", type(Point).__name__, Point.describe(), Point.__field_names__, Point.__created__)
p = Point()
p.x, p.y = 3, -4
print("instance", p.norm(), isinstance(p, ext.Base), isinstance(Point, ext.Meta))


class Sub(Point):
    z: float


print("Sub", Sub.describe(), Sub.__mro__[1] is Point)
Dyn = ext.Meta("Dyn", (object,), {"__annotations__": {"a": 1}, "k": 5})
print("Dyn", Dyn.describe(), Dyn.k, Dyn().k)
try:
    ext.Meta("Bad", "not a tuple", {})
except TypeError as e:
    print("TypeError", e)

print("marker", ext.MARKER, ext.get_marker() is ext.MARKER, ext.is_marker(ext.MARKER), type(ext.MARKER).__name__)
print("marker in a container", [ext.MARKER, ext.get_marker()], ext.is_marker({"k": ext.MARKER}["k"]))
