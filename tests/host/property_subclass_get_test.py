"""A property subclass's own `__get__` runs on every attribute load, also
once the load site is hot (the host's specialised load called fget directly
from the third load on)."""


class Tagged(property):
    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        return "Tagged.__get__ " + str(self.fget(obj))


class Lazy(property):
    """astropy's lazyproperty: the first load stores the value in the
    instance dict, later loads return it without calling fget."""

    def __init__(self, fget):
        super().__init__(fget)
        self.key = fget.__name__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        try:
            return obj.__dict__[self.key]
        except KeyError:
            value = obj.__dict__[self.key] = self.fget(obj)
            return value


calls = []


class C:
    @Tagged
    def x(self):
        return 1

    @Lazy
    def y(self):
        calls.append(1)
        return len(calls)

    @property
    def z(self):
        return "plain"


c = C()
print("Tagged:", [c.x for _ in range(6)])
print("Lazy:", [c.y for _ in range(6)], "fget calls:", len(calls))
print("plain property:", [c.z for _ in range(6)])
print("class access:", type(C.x).__name__, type(C.y).__name__)
