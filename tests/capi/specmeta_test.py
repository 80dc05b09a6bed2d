import specmeta_ext as ext

print("probe slots are type's", ext.probe_slots_are_types)
print("probe basicsize is a heap type's", ext.probe_basicsize_is_heaptype)


class Mixin:
    def hello(self):
        return "hello from " + type(self).__name__


Message = ext.make("Message", (ext.Base, Mixin), {"__slots__": (), "kind": "msg"})
print("class", type(Message).__name__, [c.__name__ for c in Message.__mro__])
# Found by type's tp_getattro along the MRO: a METH_CLASS method of the C
# base, a Python mixin's method, a class attribute, type's own attributes.
print("FromString", Message.FromString("x"))
print("inherited", Message.hello.__qualname__, Message().hello())
print("kind", Message.kind, Message.__name__, Message.__qualname__, Message.__dict__["kind"])
# Not found: the metatype computes it, then it is cached in the class.
print("computed", Message.computed, Message.computed, ext.dynamic_hits)
print("cached", "computed" in Message.__dict__)
try:
    Message.absent
except AttributeError as e:
    print("AttributeError", e)
print("getattr default", getattr(Message, "absent", "dflt"), hasattr(Message, "absent"))

# A Python subclass of a class of the metatype, and a Python metaclass
# deriving from it.
class Sub(Message):
    __slots__ = ()
print("sub", type(Sub).__name__, Sub.FromString(2), Sub.computed, Sub().hello())


class PyMeta(ext.Meta):
    def describe(cls):
        return "PyMeta " + cls.__name__


class Other(metaclass=PyMeta):
    pass


print("python metaclass", type(Other).__name__, Other.describe(), Other.computed)
Other.flag = 1
del Other.flag
print("set through the C metatype's tp_setattro", ext.set_log[-3:], hasattr(Other, "flag"))

# type's tp_call and tp_setattro, called directly on a class of the metatype.
inst = ext.call_via_type(Message)
print("called", type(inst).__name__, inst.hello())
ext.set_via_type(Message, "added", 41)
print("set", Message.added, Message().added)
try:
    ext.set_via_type(int, "nope", 1)
except TypeError as e:
    print("TypeError", e)

# A getter's NULL without an exception reads as a missing attribute in
# getattr() with a default and in hasattr().
m = Message()
print("maybe absent", getattr(m, "maybe", "none yet"), hasattr(m, "maybe"))
print("DONE")
