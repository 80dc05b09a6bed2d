import gc

import builtinbase_ext as ext

Stack, Counter, AppError = ext.Stack, ext.Counter, ext.AppError


def show(label, value):
    print(label + ":", repr(value))


s = Stack([1, 2])
show("list base: contents", (list(s), len(s), s.pushes))
show("push", (s.push(3), s.push("x"), s.pushes, list(s)))
show("top", s.top())
s.append(4)
show("list methods", (s.pop(), s.index(2), s[1:], s.count(1)))
show("isinstance / checks", (isinstance(s, list), ext.checks(s)))
show("mro", [c.__name__ for c in Stack.__mro__])


class PyStack(Stack):
    def push(self, item):
        return ("python push", super().push(item))


p = PyStack()
show("Python subclass", (p.push(9), list(p), p.pushes))

c = Counter(a=1)
show("dict base", (c["a"], c["b"], c["c"], c.misses, dict(c), ext.checks(c)))
c["b"] = 5
show("dict methods", (sorted(c.items()), c.get("zz", "default"), len(c)))

try:
    ext.fail(42)
except AppError as e:
    show("exception base", (type(e).__name__, e.args, e.code, ext.code_of(e), isinstance(e, Exception)))
    show("exception checks", ext.checks(e))
e = AppError("made in Python", 7)
show("exception made in Python", (e.args, e.code, str(e)))
e.code = 8
show("member set", ext.code_of(e))

before = ext.deallocs()
for i in range(100):
    Stack([i]).push(i)
gc.collect()
show("deallocs", ext.deallocs() - before)
# A C subtype of tuple declared with tp_itemsize 0 inherits the tuple's.
show("Triple item size, basic size", ext.item_sizes())
triples = [ext.Triple(i, i / 2, i / 4) for i in range(50)]
garbage = [[float(i)] * 3 for i in range(200)]
show("Triple items read by C", [(t.a, t.b, t.c) for t in triples[::10]])
show("Triple as a tuple", (tuple(triples[3]), len(triples[3]), isinstance(triples[3], tuple)))
# A C subtype that keeps its builtin base's tp_new: the builtin's __new__
# makes one (pickle's copyreg calls `str.__new__(Label, state)`, protocol 2
# `Label.__new__(Label)`), as in CPython, where the two tp_new are one.
import copy
import pickle
show("Stack.__new__(Stack)", (type(ext.Stack.__new__(ext.Stack)).__name__, list(ext.Stack.__new__(ext.Stack))))
show("list.__new__(Stack)", type(list.__new__(ext.Stack)).__name__)
show("Counter.__new__(Counter)", type(ext.Counter.__new__(ext.Counter)).__name__)
show("str.__new__(Label, 'abc')", (type(str.__new__(ext.Label, "abc")).__name__, str.__new__(ext.Label, "abc").shout()))
show("Label.__new__ is str's", (ext.Label.__new__ is str.__new__, ext.Label.__new__.__self__ is str))
made = BaseException.__new__(ext.AppError, "m", 3)
show("BaseException.__new__(AppError, ...)", (type(made).__name__, made.args))
try:
    str.__new__(ext.Stack)
except TypeError as e:
    show("str.__new__(Stack)", str(e))
s = ext.Stack()
s.append(3)
s.append(4)
show("copy of a Stack", (type(copy.copy(s)).__name__, list(copy.copy(s))))
show("HEAPTYPE in __flags__ of static C types", [bool(t.__flags__ & (1 << 9)) for t in (ext.Stack, ext.Label, ext.AppError)])
for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
    try:
        back = pickle.loads(pickle.dumps(s, protocol))
        label = pickle.loads(pickle.dumps(ext.Label("text"), protocol))
        show(f"pickled with protocol {protocol}", (type(back).__name__, list(back), type(label).__name__, label.shout()))
    except TypeError as e:
        show(f"pickled with protocol {protocol}", str(e))


class Tag(ext.Label):
    def __new__(cls, value):
        return str.__new__(cls, value.strip())


show("a Python subclass's __new__ calling str's", (type(Tag("  t ")).__name__, Tag("  t ").shout()))
show("and its pickle", (type(pickle.loads(pickle.dumps(Tag("x"), 2))).__name__, str(pickle.loads(pickle.dumps(Tag("x"), 2)))))
# A missing attribute names a C type by its tp_name, as CPython does.
for obj in (ext.Stack(), ext.Label("x"), ext.AppError("m", 1), Tag("t")):
    try:
        obj.no_such_attribute
    except AttributeError as e:
        show(f"missing attribute of a {type(obj).__name__}", (str(e), e.name, e.obj is obj))
# float as a later base, through tp_bases (numpy's float64).
import gc
import weakref
r = ext.Real(2.5)
show("Real", (type(r).__name__, [c.__name__ for c in type(r).__mro__], float(r), float(r) + 1, r.twice(), isinstance(r, float)))
show("Real as a float", (r == 2.5, f"{r:.3f}", float.__repr__(r), hash(r) == hash(2.5), hash(ext.Real(-7.0))))
show("Real's size and weak references", (type(r).__basicsize__ == float.__basicsize__, type(r).__weakrefoffset__))
before = ext.real_deallocs()
reals = [ext.Real(i / 4) for i in range(100)]
show("Reals", sum(float(x) for x in reals))
del reals, r
gc.collect()
show("Real deallocs", ext.real_deallocs() - before)
# bytes filled in the struct after tp_alloc, compared and hashed by bytes'
# own slots taken from its type object (numpy's bytes_).
blob = ext.Blob("data")
show("Blob", (bytes(blob), len(blob), blob == b"data", blob != b"x", blob < b"z", hash(blob) == hash(b"data"), blob.upper()))
print("DONE")
