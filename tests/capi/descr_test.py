import sys
import descr_ext as ext
from descr_ext import Thing


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return None
    print(f"{label}: returned {r!r}")
    return r


# Method descriptors of a C type: the struct holds the type, the name and
# the type's own PyMethodDef.
meth = Thing.__dict__["meth"]
show("meth type", type(meth).__name__)
show("meth parts", ext.descr_parts(meth))
show("meth def (flags, is ours)", ext.descr_def(meth))
cls_descr = Thing.__dict__["cls"]
show("cls type", type(cls_descr).__name__)
show("cls parts", ext.descr_parts(cls_descr))
show("cls def", ext.descr_def(cls_descr))
show("defining def", ext.descr_def(Thing.__dict__["defining"]))

# Method descriptors of builtin types.
get = dict.__dict__["get"]
show("dict.get parts", ext.descr_parts(get))
show("str.join parts", ext.descr_parts(str.__dict__["join"]))
show("dict.fromkeys parts", ext.descr_parts(dict.__dict__["fromkeys"]))

# The head of other descriptors: getsets, members, slot wrappers.
show("head of int.real", ext.descr_head(int.__dict__["real"]))
show("head of a member", ext.descr_head(Thing.__dict__["number"]))
show("head of int.__add__", ext.descr_head(int.__dict__["__add__"]))
show("head of type.__name__", ext.descr_head(type.__dict__["__name__"]))

# Bound methods of a C type are builtin functions with the instance as self.
t = Thing()
name, self, flags, cls = ext.bound_parts(t.meth)
show("t.meth", (name, self is t, flags, cls))
show("t.meth(1)", t.meth(1))
name, self, flags, cls = ext.bound_parts(Thing.cls)
show("Thing.cls", (name, self is Thing, flags, cls))
name, self, flags, cls = ext.bound_parts(t.defining)
show("t.defining", (name, self is t, flags, cls))
show("t.defining(1, 2)", t.defining(1, 2))

# PyDescr_New*.
m, c, mem, gs = ext.new_descriptors()
show("new method", (type(m).__name__, m.__name__, m.__doc__))
show("new method call", m(t, 1, 2))
show("new method parts", ext.descr_parts(m))
show("new method def", ext.descr_def(m))
show("new classmethod", type(c).__name__)
show("new classmethod call", c(Thing, 5))
show("new classmethod def is ours", ext.descr_def(c)[1])
class Sub(Thing):
    pass


Sub.extra = m
Sub.extra_cls = c
Sub.ratio_again = mem
Sub.doubled = gs
t = Sub()
show("installed method", t.extra("a"))
show("installed classmethod", t.extra_cls("b"))
t.ratio = 2.5
show("member descriptor get", t.ratio_again)
t.ratio_again = 4.0
show("member descriptor set", t.ratio)
show("getset get", t.doubled)
t.doubled = 21
show("getset set", t.number)
err("getset delete", delattr, t, "doubled")
show("getset doc", type(t).__dict__["doubled"].__doc__)

# PyDictProxy_New.
d = {"a": 1}
p = ext.dict_proxy(d)
show("proxy", (type(p).__name__, p["a"], len(p)))
d["b"] = 2
show("proxy sees changes", sorted(p.items()))
def assign():
    p["c"] = 3


err("proxy item assignment", assign)
err("proxy of a list", ext.dict_proxy, [1, 2])
err("proxy of an int", ext.dict_proxy, 5)

# PyWrapper_New.
w = ext.wrapper_new(int.__dict__["__add__"], 5)
show("wrapper", (type(w).__name__, w(3)))
w = ext.wrapper_new(str.__dict__["__len__"], "four")
show("wrapper len", w())

# PyDescr_IsData.
show("IsData", (ext.is_data(property(lambda s: 1)), ext.is_data(meth), ext.is_data(Thing.__dict__["number"]),
                ext.is_data(staticmethod(len)), ext.is_data(type.__dict__["__name__"])))

# PyMember_GetOne / PyMember_SetOne.
t = Thing()
show("GetOne int", ext.member_get(t, 0))
show("SetOne int", ext.member_set(t, 0, 42))
show("GetOne int after", (ext.member_get(t, 0), t.number))
show("SetOne double", ext.member_set(t, 1, 1.5))
show("GetOne double", ext.member_get(t, 1))
err("GetOne missing T_OBJECT_EX", ext.member_get, t, 2)
show("SetOne object", ext.member_set(t, 2, "held"))
show("GetOne object", ext.member_get(t, 2))
show("SetOne object NULL", ext.member_set(t, 2, "NULL"))
err("SetOne object NULL again", ext.member_set, t, 2, "NULL")
err("SetOne readonly", ext.member_set, t, 3, 1)
err("SetOne int from str", ext.member_set, t, 0, "x")
err("SetOne int NULL", ext.member_set, t, 0, "NULL")
err("SetOne int overflow", ext.member_set, t, 0, 2 ** 40)

# tp_descr_get/tp_descr_set of builtin and Python classes, called from C.
class Owner:
    def method(self, x):
        return ("method", x)

    @property
    def prop(self):
        return "prop value"

    @prop.setter
    def prop(self, v):
        self.stored = v


class Loud:
    def __get__(self, obj, owner):
        return ("Loud.__get__", type(obj).__name__, owner.__name__ if owner else None)

    def __set__(self, obj, value):
        obj.loud = value

    def __delete__(self, obj):
        obj.loud = "deleted"


o = Owner()
f = Owner.__dict__["method"]
bound = ext.slot_get(f, o, Owner)
show("function bound by tp_descr_get", (bound(1), bound.__self__ is o))
show("function unbound (NULL object)", ext.slot_get(f, None, Owner) is f)
show("classmethod", ext.slot_get(classmethod(len), None, Owner).__self__ is Owner)
show("staticmethod", ext.slot_get(staticmethod(len), o, Owner) is len)
prop = Owner.__dict__["prop"]
show("property get", ext.slot_get(prop, o, Owner))
show("property set", (ext.slot_set(prop, o, 5), o.stored))
err("property delete", ext.slot_set, prop, o)
show("Python descriptor get", ext.slot_get(Loud(), o, Owner))
show("Python descriptor set/delete", (ext.slot_set(Loud(), o, 7), o.loud, ext.slot_set(Loud(), o), o.loud))
show("no descriptor slots", (ext.slot_get(42, o, Owner), ext.slot_set(Owner.method, o, 1)))
# Documented after the fact through the definitions behind the objects
# (numpy's add_docstring): a member may be a getset descriptor here, so
# the kind is reported as the getset it would be documented as.
T = ext.Thing
for label, obj in [("member", T.__dict__["number"]), ("getset", T.__dict__["label"]),
                   ("method without doc", T.__dict__["defining"]), ("method with doc", T.__dict__["meth"]),
                   ("module function", ext.undocumented)]:
    before = obj.__doc__
    how = ext.document(obj, f"{label}: documented from C")
    show(f"document {label}", (before, how, obj.__doc__))
show("documented again", ext.document(T.__dict__["label"], "again"))
# A doc C writes later may start with a text signature: inspect.signature
# reads it (numpy's ufunc methods are documented so).
import inspect
show("text signature from the start", (T.signed.__text_signature__, T.signed.__doc__, str(inspect.signature(T.signed))))
for obj, doc in [(T.__dict__["signed_later"], "signed_later($self, value, /)\n--\n\nSigned later."),
                 (ext.signed_function_later, "signed_function_later($module, /, *, flag=False)\n--\n\nA function.")]:
    before = obj.__text_signature__
    ext.document(obj, doc)
    show(f"text signature of {obj.__name__} written later", (before, obj.__text_signature__, obj.__doc__, str(inspect.signature(obj))))

# The __slots__ of a Python class: offsets after the header, in order, a
# base class's first; C stores there, Python sees it.
class Slotted:
    __slots__ = ("first", "second")
class MoreSlotted(Slotted):
    __slots__ = ("third",)
show("slot members", [ext.slot_member(MoreSlotted.__dict__["third"]), ext.slot_member(Slotted.__dict__["first"]),
                      ext.slot_member(Slotted.__dict__["second"])])
marker = object()
made = ext.filled_at_slots(Slotted, marker)
show("values C stored at the offsets", (made.first is marker, made.second is marker, sys.getrefcount(marker) > 1))
made = ext.filled_at_slots(MoreSlotted, "v")
show("subclass slot", (made.third, getattr(made, "first", "unset")))
import gc
gc.collect()
show("collects after", True)
print("DONE")
