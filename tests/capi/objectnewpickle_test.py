# object.__new__ after a C type that inherits object's tp_new is readied:
# a builtin bound to object, which pickle reduces to getattr(object, '__new__')
# (awkward's custom pickler returns `(object.__new__, (cls,), state)`).
import copy
import pickle
import objectnewpickle_ext as ext

f = object.__new__
print("type:", type(f).__name__, "name:", f.__name__, "qualname:", f.__qualname__)
print("bound to object:", f.__self__ is object)
print("in object's dict as is:", object.__dict__["__new__"] is f, type(object.__dict__["__new__"]).__name__)
print("reduce:", f.__reduce_ex__(4))
for proto in range(pickle.HIGHEST_PROTOCOL + 1):
    print("protocol", proto, "round trip is object.__new__:", pickle.loads(pickle.dumps(f, proto)) is f)
print("copy:", copy.copy(f) is f, copy.deepcopy(f) is f)


class Point:
    def __init__(self, x):
        self.x = x

    def __reduce__(self):
        return (object.__new__, (Point,), {"x": self.x})


p = pickle.loads(pickle.dumps(Point(3)))
print("reduced through object.__new__:", type(p).__name__, p.x)

# Still does its job; the C type (no tp_new of its own) cannot be instantiated.
print(type(object.__new__(Point)).__name__)
for cls in [ext.Plain, type("Sub", (ext.Plain,), {})]:
    try:
        cls()
    except TypeError as e:
        print("TypeError:", e)
for bad in [(), (1,)]:
    try:
        object.__new__(*bad)
    except TypeError as e:
        print("TypeError:", e)
print("DONE")
