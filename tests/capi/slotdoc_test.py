# The methods readying adds to a C type (__init__, __new__, __sizeof__, the
# async dunders, __getattribute__...) carry CPython's docstrings, as its
# slot wrappers do: tools read them (python-igraph's tests call
# `.__doc__.startswith` on every attribute of its types).
from slotdoc_ext import T, U

for cls in (T, U):
    for name in ("__init__", "__new__", "__sizeof__", "__repr__", "__await__",
                 "__getattribute__", "__setattr__", "__delattr__"):
        f = getattr(cls, name, None)
        if f is not None:
            print(cls.__name__, name, repr(f.__doc__))
print(all(isinstance(getattr(T, n).__doc__, str) for n in dir(T)))
print("DONE")
