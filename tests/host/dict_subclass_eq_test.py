"""Equality of dict subclasses compares the stored values, as CPython's
dict_equal does, whatever the subclass's __getitem__ or __missing__ says."""


class Proxy(dict):
    """Stores None and computes its values (PyTables' ProxyDict)."""

    def __getitem__(self, key):
        if key not in self:
            raise KeyError(key)
        return (id(self), key)

    def __setitem__(self, key, value):
        super().__setitem__(key, None)


a = Proxy()
b = Proxy()
a["x"] = 1
b["x"] = 2
print(a == b, a != b, dict.__eq__(a, b), a == {"x": None}, {"x": None} == b)
print(a.keys() == b.keys(), a.items() == b.items(), a.items() == {"x": None}.items())


class Missing(dict):
    def __missing__(self, key):
        return 0


m = Missing(p=0)
print(m == {"q": 0}, m == {"p": 0}, {"q": 0} == m)


class Loud(dict):
    def __getitem__(self, key):
        raise RuntimeError("not called by ==")


print(Loud(k=1) == {"k": 1}, Loud(k=1) == Loud(k=2), Loud(k=[1]) == {"k": [1]})
