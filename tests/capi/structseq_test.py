import copy
import pickle
import structseq_ext as ext
from structseq_ext import Point, Mixed, Plain


def show(label, fn, *args, **kwargs):
    try:
        r = fn(*args, **kwargs)
    except Exception as e:
        print(label, "->", type(e).__name__, "|", e)
    else:
        print(label, "=", repr(r))


print("unnamed field name", ext.unnamed_name())
print("type facts", ext.type_facts())
for t in (Point, Mixed, Plain):
    # (a heap type named without a dot has no __module__ in CPython)
    print(t.__name__, t.__module__ if t is not Plain else "-", t.__qualname__, t.__bases__, issubclass(t, tuple),
          t.n_sequence_fields, t.n_fields, t.n_unnamed_fields, t.__match_args__, repr(t.__doc__))

p = ext.make_point(1, 2, "home", 0.5)
print("repr", repr(p), "str", str(p))
print("len", len(p), "tuple", tuple(p), "list", list(p), "items", p[0], p[1], p[-1], p[:5], p[::-1])
print("fields", p.x, p.y, p.label, p.weight)
show("index past visible", lambda: p[2])
for name in ("x", "label", "z"):
    try:
        setattr(p, name, 5)
    except AttributeError:
        print("set", name, "-> AttributeError")
print("is tuple", isinstance(p, tuple), type(p) is Point)
print("eq", p == (1, 2), p == Point((1, 2)), p != (1, 2, "home"), p < (1, 3), hash(p) == hash((1, 2)))
print("contains", 1 in p, "home" in p, "add", p + (3,), (0,) + p, p + p, "mul", p * 2, 2 * p)
print("count/index", p.count(1), p.index(2), p.count("home"), p.index(1, 0, 2))
show("index of hidden", p.index, "home")
print("unpack", *p)
match p:
    case Point(x, y):
        print("match", x, y)

print("reduce", p.__reduce__())
q = pickle.loads(pickle.dumps(p))
print("pickle", repr(q), q.label, q.weight, type(q) is Point)
print("copy", repr(copy.copy(p)), copy.copy(p).label)

print("new from seq", repr(Point((5, 6))), Point((5, 6)).label)
print("new with hidden", repr(Point((5, 6, "lab"))), Point((5, 6, "lab")).label, Point((5, 6, "lab")).weight)
print("new with dict", Point((5, 6), {"weight": 9.0}).weight, Point([7, 8], dict={"label": "d"}).label)
print("new keywords", repr(Point(sequence=(1, 2))))
show("too short", Point, (1,))
show("too long", Point, (1, 2, 3, 4, 5))
show("exact length", Plain, (1, 2, 3))
show("not a sequence", Point, 5)
show("dict not a dict", Point, (1, 2), [1])
show("no args", Point)

m = ext.make_mixed("a", "b", "c")
print("mixed", tuple(m), m.first, m.third, len(m))
show("mixed repr", repr, m)
print("mixed reduce", m.__reduce__())

print("read back", ext.read_back())
print("inspect C-made", ext.inspect(p))
print("inspect Python-made", ext.inspect(Point((3, 4))))


try:
    class Sub(Point):
        pass
except TypeError:
    print("subclassing refused")
from structseq_ext import Pair
print("pair", repr(Pair((1, 2))), Pair.__doc__, Pair.n_fields, Pair((3, 4)).right, Pair((5, 6)) == (5, 6))
print("DONE")
