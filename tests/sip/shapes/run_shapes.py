# Run under CPython 3.11 and cpyext by tests/test_sip.py: the outputs must match.
import gc, sys
import shapes
print(shapes.__file__.endswith(".so"))
print(sorted(n for n in dir(shapes) if not n.startswith("_")))
C = shapes.Color
print(C.Red, C.Green, C.Blue, type(C.Red).__name__, C.Green.value, list(C), type(C).__name__)
print(shapes.next_color(C.Green), shapes.next_color(C.Blue))
print(shapes.add(2, 3), shapes.add(b"ab", b"cde"))
try:
    shapes.add("a", 1)
except TypeError as e:
    print("TypeError", e)
c = shapes.Circle(2.0)
print(c, c.area(), c.radius(), c.name(), c.describe(), c.report())
print(shapes.Shape.count())
c.scale(2.0); print(c.radius())
c.scale(1, 4); print(c.radius())
c.scale(b"double"); print(c.radius())
try:
    c.scale(b"triple")
except shapes.BadShapeError as e:
    print("BadShapeError", e, type(e).__mro__)
try:
    c.scale(1, 2, 3)
except TypeError as e:
    print("TypeError", str(e).splitlines())
try:
    c.check(-1)
except Exception as e:
    print(type(e).__name__, e)
try:
    c.check(1000)
except IndexError as e:
    print("IndexError", e)
c.check(5)
print(c.kind, c.color, shapes.Shape.Kind.Round, shapes.Shape.Kind.Angular)
c.kind = shapes.Shape.Kind.Angular; c.color = C.Blue
print(c.kind, c.color)
try:
    c.kind = 7
except TypeError as e:
    print("TypeError", e)
try:
    shapes.Shape("abstract")
except TypeError as e:
    print("TypeError", e)

class Square(shapes.Shape):
    def __init__(self, side):
        super().__init__("square")
        self.side = side
    def area(self):
        return float(self.side * self.side)
    def describe(self):
        return "my square " + super().describe()

class Broken(shapes.Shape):
    def __init__(self):
        super().__init__("broken")
    def area(self):
        raise ValueError("no area")

class Bad(shapes.Shape):
    def __init__(self):
        super().__init__("bad")
    def area(self):
        return "not a float"

s = Square(3)
print(s.area(), s.report(), s.name(), shapes.Shape.count())
print(shapes.total_area([c, s, shapes.Circle(1.0)]))
print(shapes.describe_all(s, c))
try:
    shapes.total_area([c, 1])
except TypeError as e:
    print("TypeError", e)
old = sys.unraisablehook
b = Broken()
try:
    print(b.report())
except ValueError as e:
    print("ValueError", e)
try:
    print(Bad().report())
except TypeError as e:
    print("TypeError", e)
c2 = shapes.Circle(c)
print(c2 == c, c2 == shapes.Circle(1.0), c2 + shapes.Circle(1.0))

print(shapes.Circle(c).radius())
n = shapes.Shape.count()
del s, b, c2
gc.collect()
print(n - shapes.Shape.count())
print(isinstance(c, shapes.Shape), issubclass(shapes.Circle, shapes.Shape))
print(type(shapes.Circle).__name__, type(shapes.Circle).__mro__[1:])
print(shapes.Circle.area.__doc__)
print(shapes.Circle.__init__.__doc__ if shapes.Circle.__init__.__doc__ else None)
print("DONE")
