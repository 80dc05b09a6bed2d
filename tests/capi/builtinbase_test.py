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
print("DONE")
