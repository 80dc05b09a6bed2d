import lateslot_ext as ext


class G:
    pass


g = G()
print("before:", sorted(k for k, v in ext.slots(g).items() if v))
print("as_float before:", ext.as_float_if_slot(g))
G.__float__ = lambda self: 1.5
G.__index__ = lambda self: 3
G.__add__ = lambda self, o: "added"
G.__len__ = lambda self: 0
G.__getitem__ = lambda self, k: k
G.__call__ = lambda self: "called"
G.__iter__ = lambda self: iter(())
print("after assigning:", sorted(k for k, v in ext.slots(g).items() if v))
print("as_float after:", ext.as_float_if_slot(g))
del G.__float__
print("after del __float__:", ext.as_float_if_slot(g))


class Sub(G):
    pass


print("subclass made after:", sorted(k for k, v in ext.slots(Sub()).items() if v))


class H:
    pass


h = H()
ext.slots(h)  # the type object is handed to C before the change
H.__float__ = lambda self: 2.5
print("H, seen by C first, then __float__ added:", ext.as_float_if_slot(h))

# Subclasses made before the change follow their base.
class Base:
    pass


class Derived(Base):
    pass


d = Derived()
ext.slots(d)
Base.__float__ = lambda self: 4.5
print("subclass seen by C, base gains __float__:", ext.as_float_if_slot(d))
Derived.__float__ = lambda self: 5.5
print("subclass overrides:", ext.as_float_if_slot(d))
del Derived.__float__
print("override deleted, base's again:", ext.as_float_if_slot(d))

# type.__setattr__ / __delattr__ called explicitly, and through a metaclass's
# super() (enum's metaclass does this).
type.__setattr__(H, "__len__", lambda self: 7)
print("H after type.__setattr__ __len__:", ext.slots(h)["sq_length"], len(h))
type.__delattr__(H, "__len__")
print("H after type.__delattr__ __len__:", ext.slots(h)["sq_length"])


class Meta(type):
    def __setattr__(cls, name, value):
        super().__setattr__(name, value)

    def __delattr__(cls, name):
        super().__delattr__(name)


class M(metaclass=Meta):
    pass


m = M()
ext.slots(m)
M.__float__ = lambda self: 6.5
print("metaclass super().__setattr__:", ext.as_float_if_slot(m))
del M.__float__
print("metaclass super().__delattr__:", ext.as_float_if_slot(m))

import enum


class Color(enum.Enum):
    RED = 1


Color.extra = 3
del Color.extra
print("enum attribute set and deleted:", hasattr(Color, "extra"))
try:
    del Color.RED
except AttributeError as e:
    print("enum member delete:", type(e).__name__)
try:
    object.__setattr__(Color, "x", 1)
except TypeError as e:
    print("object.__setattr__ on a class:", e)
print("type has __setattr__ and __delattr__ only as before:", "__hash__" in type.__dict__, "__setattr__" in type.__dict__)
print("DONE")
