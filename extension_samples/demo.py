"""Imports the sample extensions and shows what they do.

Runs unchanged under CPython 3.11 (with the samples built against CPython's
headers) and under cpyext; tests/test_samples.py requires the same output.
"""
import threading
import time

import counter
import spam

print("spam.__doc__:", spam.__doc__)
print("version():", spam.version(), "| ANSWER:", spam.ANSWER, "| __version__:", spam.__version__)
print("describe:", spam.describe([1, "two", 3.0]))
print("describe:", spam.describe(2**70))
print("clamp:", spam.clamp(15, 0, 10), spam.clamp(-5, 0, 10), spam.clamp(2**80, 0, 10))
print("greet:", spam.greet("world"), "|", spam.greet("cpyext", greeting="Hi"))
print("total:", spam.total(1, 2.5, 3))
print("join:", spam.join("a", 1, None), "|", spam.join("x", "y", sep=" + "))
print("word_counts:", spam.word_counts("the cat and the hat and the bat"))
print("minmax:", spam.minmax([3, 1, 4, 1, 5, 9, 2, 6]), spam.minmax("hello"))
print("reversed_bytes:", spam.reversed_bytes(b"stressed"))
print("apply:", spam.apply(lambda x: x * x, [1, 2, 3, 4]))
print("hypot:", spam.hypot(3, 4))
try:
    spam.fail("something broke")
except spam.error as e:
    print("spam.error raised:", repr(e), "| is an Exception:", isinstance(e, Exception))
try:
    spam.apply(lambda x: 1 / x, [1, 0])
except ZeroDivisionError as e:
    print("a Python error crossed C unchanged:", type(e).__name__)
print("call_in_thread:", spam.call_in_thread(lambda: "called from a C thread"))
print("function metadata:", spam.greet.__name__, spam.greet.__module__, repr(spam.greet.__doc__))

# Two threads sleeping in C with the GIL released overlap.
start = time.monotonic()
threads = [threading.Thread(target=spam.sleep_ms, args=(300,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("two 300 ms sleeps overlapped:", time.monotonic() - start < 0.55)

print("counter:", counter.__doc__, "| START:", counter.START)
print("increments:", counter.increment(), counter.increment(5), counter.increment(-2))
print("value:", counter.value(), "| history:", counter.history())

# Types defined in C.
import gc

import registry
import tree
import vector

Vector = vector.Vector
v, w = Vector(3, 4), Vector(1, 0)
print("vector:", v, "+", w, "=", v + w, "| -v =", -v, "| 2*v =", 2 * v, "| abs(v) =", abs(v))
print("vector members:", v.x, v.y, "| angle:", round(w.angle, 3), "| dot:", v.dot(w), "| as sequence:", list(v))
print("vector classmethod:", Vector.unit(0.0), "| equal:", Vector(1, 2) == Vector(1, 2))


class Labeled(Vector):
    def __repr__(self):
        return "Labeled" + super().__repr__()


lv = Labeled(1, 1)
lv.label = "north-east"
print("Python subclass of a C type:", lv, lv.label, lv + lv)

r1, r2 = registry.Registry(), registry.Registry()
r1.add("a", 1)
r1.add("b", 2)
r2.add("c", 3)
print("registry:", len(r1), r1["b"], "| entries in all registries:", registry.total_entries())

root = tree.Tree("root")
for i in range(3):
    child = root.add(i)
    child.add(i * 10)
print("tree size:", root.size(), "| a child's parent is the root:", root.children[0].parent is root)
del root, child
gc.collect()
print("tree nodes left after collecting the cycles:", tree.alive())
