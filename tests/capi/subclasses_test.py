import subclasses_ext as m

# A class that has subclasses when C first meets it.
class P:
    pass


class Q(P):
    pass


class R(P):
    pass


print("Python class with subclasses:", m.has_subclasses(P), m.walk_subclasses(P))
print("Python class without subclasses:", m.has_subclasses(Q), m.walk_subclasses(Q))

# A C type, and Python subclasses that C meets through their instances.
Base = m.make_type()
print("C type, no subclass yet:", m.has_subclasses(Base), m.walk_subclasses(Base))


class Sub(Base):
    pass


class Leaf(Sub):
    pass


Leaf()
print("C type with a Python subclass:", m.has_subclasses(Base), m.walk_subclasses(Base),
      len(Base.__subclasses__()))
print("Python subclass with a subclass:", m.has_subclasses(Sub), m.walk_subclasses(Sub))
print("leaf:", m.has_subclasses(Leaf))
print("DONE")
