"""property.getter/setter/deleter of a property subclass call the subclass
(its __init__ runs), carry the getter's doc and keep what the old one had."""


class lazyproperty(property):
    def __init__(self, fget, fset=None, fdel=None, doc=None):
        super().__init__(fget, fset, fdel, doc)
        self._key = self.fget.__name__
        self.made = getattr(self, "made", 0) + 1


class A:
    @lazyproperty
    def cache(self):
        "the cache"
        return 1

    @cache.setter
    def cache(self, value):
        self.stored = value

    @cache.deleter
    def cache(self):
        self.deleted = True


p = A.__dict__["cache"]
print(type(p).__name__, p._key, p.made, p.__doc__)
a = A()
a.cache = 5
del a.cache
print(a.cache, a.stored, a.deleted)

# A new getter's doc replaces one taken from the old getter.
def g2(self):
    "second getter"
    return 2
print(p.getter(g2).__doc__, p.getter(g2).fset is p.fset)
# None keeps the old accessor.
print(p.setter(None).fset is p.fset)

# The plain property is unchanged.
q = property(lambda self: 1, doc="plain")
print(type(q.setter(lambda s, v: None)).__name__, q.setter(lambda s, v: None).__doc__)


# A subclass whose __init__ takes other arguments fails as in CPython.
class Strict(property):
    def __init__(self, fget):
        super().__init__(fget)


s = Strict(lambda self: 1)
try:
    s.setter(lambda self, v: None)
except TypeError as e:
    print("TypeError", "positional" in str(e))
print(type(property.getter).__name__, property.getter.__doc__)
