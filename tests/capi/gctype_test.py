import gc
import weakref

import gctype_ext as ext

Node = ext.Node


def show(label, value):
    print(label + ":", repr(value))


def collected(make):
    """Deallocs caused by dropping what make() built, and whether the
    collector ran tp_clear. (How many objects of a cycle get tp_clear
    depends on the collector's order; see docs/differences.md.)"""
    gc.collect()
    d0, c0 = ext.counts()
    make()
    gc.collect()
    d1, c1 = ext.counts()
    return (d1 - d0, c1 > c0)


show("tracked", ext.is_tracked(Node()))
show("no cycle", collected(lambda: Node()))


def c_cycle():
    a, b = Node(), Node()
    a.next = b
    b.next = a


show("C-C cycle", collected(c_cycle))


def self_cycle():
    a = Node()
    a.next = a


show("self cycle", collected(self_cycle))


def mixed_cycle():
    a = Node()
    holder = [a]
    a.next = holder


show("C-Python cycle", collected(mixed_cycle))


def mixed_through_dict():
    a = Node()
    b = Node()
    d = {"a": a}
    a.next = b
    b.next = d


show("C-C-Python cycle", collected(mixed_through_dict))

def shared_parent():
    # One node referenced from the C fields of many others.
    parent = Node()
    kids = [Node() for _ in range(5)]
    for k in kids:
        k.next = parent
    parent.next = kids


show("cycle through a shared node", collected(shared_parent))


def shared_but_reachable():
    parent = Node()
    for _ in range(3):
        Node().next = parent
    return parent


survivor = shared_but_reachable()
gc.collect()
show("shared node still reachable", survivor.id > 0)
del survivor

# A cycle that is still reachable from Python must survive collection.
keep = Node()
keep.next = Node()
keep.next.next = keep
gc.collect()
show("reachable cycle survives", (keep.next.next is keep, keep.next.id - keep.id))
del keep
gc.collect()

# weak references, with callbacks
calls = []
n = Node()
r = weakref.ref(n, lambda ref: calls.append("called"))
show("weakref alive", r() is n)
del n
gc.collect()
show("weakref dead", (r() is None, calls))


class PyNode(Node):
    pass


def subclass_cycle():
    a = PyNode()
    a.attr = a  # through the instance __dict__
    a.next = [a]


show("subclass cycle", collected(subclass_cycle))

before = ext.counts()[0]
for i in range(20000):
    a, b = Node(), Node()
    a.next = b
    b.next = a
del a, b
gc.collect()
show("20000 cycles freed", ext.counts()[0] - before)
# PyObject_GC_Resize: the fields and the items that fit survive each resize.
for sizes in [(), (5,), (1,), (0,), (3, 8, 2), (0, 4)]:
    b = ext.bag(("a", 2, None, ["x"]), *sizes)
    print("resized", sizes, type(b).__name__, b.tag, len(b), [b[i] for i in range(len(b))], ext.is_tracked(b))
cycle = ext.bag((1,), 4)
del cycle
bags = [ext.bag(tuple(range(i)), i * 2, i) for i in range(200)]
print("many resized", sum(len(b) for b in bags), [b[i - 1] for i, b in enumerate(bags) if i][:5])
# A dict's item taken back from zero by C and kept in a list: the dict's
# release leaves it alive, the list's ends it, once.
# (A list C made releases its items when the call returns: design.md.)
before = ext.counts()[0]
print("revived through a list", ext.revived_through_list()[0], ext.counts()[0] - before)
before = ext.counts()[0]
after_dict, after_list, node = ext.revived_through_list(1)
print("revived and kept", after_dict, after_list, type(node).__name__, node.next, ext.counts()[0] - before)
del node
gc.collect()
print("  then freed once", ext.counts()[0] - before)


# gc.get_referrers sees C references visited by tp_traverse, also when
# several C objects hold the same object (pycurl's
# duphandle test: both handles refer to the one callback).
def named(refs, a, b):
    out = []
    for r in refs:
        out.append("a" if r is a else "b" if r is b else type(r).__name__)
    return sorted(out)


def referrers_of_shared():
    def callback():
        pass
    a, b = Node(), Node()
    seen = []
    a.next = callback
    seen.append(named(gc.get_referrers(callback), a, b))
    b.next = callback
    seen.append(named(gc.get_referrers(callback), a, b))
    a.next = None
    seen.append(named(gc.get_referrers(callback), a, b))
    return seen


show("referrers of an object two C objects hold", referrers_of_shared())
print("DONE")
