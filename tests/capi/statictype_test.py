import gc
import warnings

import statictype_ext as ext

Point = ext.Point


def show(label, value):
    print(label + ":", repr(value))


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(label + ": raised", type(e).__name__, str(e) if isinstance(e, (AttributeError, TypeError)) else "")


show("type name/module/qualname", (Point.__name__, Point.__module__, Point.__qualname__))
show("type doc", Point.__doc__)
# A static type's module is in its tp_name, not its dict: its instances
# have no __module__ (pickle's whichmodule relies on it), a Python
# subclass's instances see the subclass's.
show("instance __module__", getattr(Point(1), "__module__", "none"))
show("instance __module__ of a static subtype", getattr(ext.made_as_child(2), "__module__", "none"))
try:
    Point(1).__module__
except AttributeError as e:
    show("instance __module__ error", str(e))


class ModuleSub(Point):
    pass


show("instance __module__ of a Python subclass", ModuleSub(1).__module__)
show("type facts (ready, basetype, heaptype, base object, metatype)", ext.type_facts())
show("isinstance of type", isinstance(Point, type))
show("tp_dict (is dict, has method, constant)", ext.dict_facts())
show("constant added through tp_dict", Point.ANSWER)
show("mro names", [c.__name__ for c in Point.__mro__])

p = Point(3, 1.5, label="first")
show("repr", repr(p))
show("str", str(p))
show("members", (p.count, p.ratio, p.label, p.extra, p.name, p.frozen, p.flag, p.small))
show("hash", hash(p))
show("eq/ne", (p == Point(3), p != Point(3), p == Point(4), p == 3))
show("call", p(1, 2, k=3))
show("bump", (p.bump(), p.bump(), p.count))
show("add", (p.add(10), p.count))
show("describe", p.describe(1, 2, x=3))
show("describe without kwargs", p.describe())
o = Point.origin()
show("classmethod", (type(o).__name__, o.count, o.label))
show("staticmethod", Point.static_sum(1, 2, 3))
show("staticmethod via instance", p.static_sum(4))
show("method doc", Point.bump.__doc__)
show("member doc", Point.count.__doc__)

# members
p.count = 42
p.ratio = 2.25
p.label = "renamed"
p.extra = [1, 2]
show("members after set", (p.count, p.ratio, p.label, p.extra))
del p.extra
show("T_OBJECT deleted reads None", p.extra)
del p.label
attempt("T_OBJECT_EX deleted", getattr, p, "label")
attempt("delete T_OBJECT_EX twice", delattr, p, "label")
attempt("set readonly", setattr, p, "frozen", 1)
attempt("set T_STRING", setattr, p, "name", "x")
attempt("delete int member", delattr, p, "count")
attempt("int member from str", setattr, p, "count", "x")
attempt("bool member from int", setattr, p, "flag", 1)
p.flag = True
show("bool member", p.flag)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    p.small = 300
    p.count = 2**40
show("truncation warnings", [str(w.message) for w in caught])
show("truncated values", (p.small, p.count))
attempt("long member overflow", setattr, p, "count", 2**70)

# getset with closures
p.count = 4
show("getset", (p.tenfold, p.threefold, p.double_ratio))
p.tenfold = 90
show("getset set", (p.count, p.threefold))
attempt("getset delete", delattr, p, "tenfold")
attempt("getset readonly", setattr, p, "double_ratio", 1.0)
show("getset doc", Point.tenfold.__doc__)

# iterator type
show("iterate", list(ext.Countdown(4)))
it = iter(ext.Countdown(2))
show("iter is self", iter(it) is it)
show("next", (next(it), next(it), next(it, "done")))
attempt("no tp_new", ext.NoNew)
show("no tp_new: Py_TPFLAGS_DISALLOW_INSTANTIATION", bool(ext.NoNew.__flags__ & (1 << 7)))
attempt("no tp_new: object.__new__", object.__new__, ext.NoNew)

# the C view and identity
q = Point(5)
show("peek", ext.peek(q))
show("make from C", ext.make(8).count)
ext.keep(q)
del q
gc.collect()
show("kept by C only, count", ext.kept_count())
before = ext.deallocs()
ext.release()
gc.collect()
show("released: one dealloc", ext.deallocs() - before)


# Python subclasses
class Sub(Point):
    def __init__(self, count, tag):
        super().__init__(count)
        self.tag = tag

    def bump(self):
        return ("sub", super().bump())

    def __repr__(self):
        return "Sub<" + super().__repr__() + ">"


s = Sub(5, "t")
show("subclass attrs", (s.count, s.tag, s.label))
show("subclass override + super", s.bump())
show("subclass repr override", repr(s))
show("subclass str inherited", str(s))
show("subclass isinstance", (isinstance(s, Point), type(s).__name__))
show("subclass peek from C", ext.peek(s))
show("subclass classmethod", type(Sub.origin.__func__ if hasattr(Sub.origin, '__func__') else Sub).__name__)
s.extra = {"k": 1}
ext.keep(s)
del s
gc.collect()
show("subclass kept by C: state", ext.kept_count())
before = ext.deallocs()
ext.release()
gc.collect()
show("subclass released: one dealloc", ext.deallocs() - before)

# dealloc exactly once, whichever side held the last reference
before = ext.deallocs()
for i in range(1000):
    x = Point(i)
    ext.keep(x)
    del x
ext.release()
gc.collect()
show("1000 objects: deallocs", ext.deallocs() - before)
t = ext.ticker(3)
show("never-readied type", (t.remaining(), list(t), t.remaining()))
show("never-readied type again", list(ext.ticker(2)))
q = Point(5, label="moved")
ext.retype(q, ext.PointChild)
show("Py_SET_TYPE on an instance Python holds", (type(q).__name__, isinstance(q, Point), q.count, q.label, q.bump()))
ext.retype(q, Point)
show("and back", (type(q).__name__, q.count))
c = ext.made_as_child(9)
show("Py_SET_TYPE before Python sees it", (type(c).__name__, c.count))

# A Python subclass that defines no comparison keeps Point's
# tp_richcompare; one that defines __eq__ (or whose base does) does not.
class PlainSub(Point):
    pass


class EqSub(Point):
    def __eq__(self, other):
        return NotImplemented


class UnderEqSub(EqSub):
    pass


for cls in (Point, PlainSub, EqSub, UnderEqSub):
    show(f"tp_richcompare of {cls.__name__} is Point's", ext.richcompare_of(cls)[0])
show("PlainSub's is not int's", ext.richcompare_of(PlainSub)[1] is False)

P = ext.Preset
show("tp_dict filled before PyType_Ready", (P.answer, P.shadowed, P.kind, P().method(), P().answer))
show("and tp_dict is the type's dict after", ext.preset_dict_entry("answer"))
sound = ext.Sound()
ext.play(sound)
del sound
show("a dying object released again from its own tp_dealloc: freed once", ext.finish_playing())
class TwoBases(ext.PlainBase, ext.Fielded):
    def __init__(self):
        pass


two = TwoBases()
show("two C bases: best base, field from its tp_new", (TwoBases.__base__.__name__, two.field))
ext.Fielded.__init__(two, 42)
show("and its tp_init on the instance", two.field)
del two
# Getsets named __module__ and __doc__: the type's own from tp_name and
# tp_doc, the instance's from C; the class pickles by reference.
import pickle
named = ext.Named()
show("Named.__module__, __doc__", (ext.Named.__module__, ext.Named.__doc__))
show("its dict holds the getsets", type(ext.Named.__dict__["__module__"]).__name__)
show("instance __module__, __doc__", (named.__module__, named.__doc__))
named.__module__ = "set on the instance"
show("after setting the instance's", (named.__module__, ext.Named.__module__))
show("pickled class comes back", pickle.loads(pickle.dumps(ext.Named)) is ext.Named)
class PyNamed(ext.Named):
    pass
show("Python subclass: __module__, __doc__", (PyNamed.__module__, PyNamed.__doc__, PyNamed().__module__))
child = ext.NamedChild()
show("static subtype: instance __module__", child.__module__)
show("static subtype: type __module__", ext.NamedChild.__module__)

# Slots and tp_dict keys C writes after PyType_Ready.
late = ext.Late()
show("late tp_call", late(1, 2))
class Holder:
    attr = late
show("late tp_descr_get, class", Holder.attr[0:2] == ("got through", None))
show("late tp_descr_get, instance", Holder().attr[0])
show("late tp_dict key (getattr)", getattr(ext.Late, "".join(["zq_after_", "ready_key"])))
second = "".join(["zq_", "second_key"])
ext.tp_dict_key(ext.Late, second, 99)
show("tp_dict key written from a call", (getattr(ext.Late, "".join(["zq_second", "_key"])), getattr(ext.Late(), second)))
cls, found = ext.class_with_key("Made", "".join(["zq_", "made_key"]))
show("type() made in C, key written by C", (found, getattr(cls, "".join(["zq_made", "_key"])), cls.__name__))
class Meta(type):
    pass
class WithMeta(metaclass=Meta):
    pass
for base in (ext.Named, WithMeta):
    kept, same, first_ok = ext.class_keeps_bases(base)
    show("bases tuple given away stays the class's", (type(kept).__name__, kept.__bases__ == (base,), same, first_ok))
# dir() of an instance of a static C type lists only what getattr finds
# (PyAV's test_decode_close_then_use walks dir() and getattrs each name).
for instance in (P(), named, late):
    missing = [a for a in dir(instance) if not hasattr(instance, a)]
    show(f"dir() of {type(instance).__name__}() names getattr cannot get", missing)
print("DONE")
