import gc

import lifetime_ext as ext


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__, e)
    else:
        print(label, "=", repr(r))


# A callable kept by a dict, called later through the bare pointer.
holder = {}
ext.keep_in_dict(holder, lambda x: x * 3)
gc.collect()
show("call through the kept pointer", ext.call_kept, 14)
show("the kept pointer is the dict's object", lambda: ext.kept_is(holder["kept"]))


class Node:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Node({self.name})"


node = Node("a")
ext.keep_in_dict(holder, node)
show("an instance kept by the dict", lambda: ext.kept_is(holder["kept"]))
show("repr through C after gc", lambda: (gc.collect(), repr(holder["kept"]))[1])

# Stolen, then paid back.
for value in (12345678901, "a fresh str " + str(len(holder) + 41), [1, 2], Node("b"), 2.5):
    target = [None]
    show(f"steal then incref {type(value).__name__}", ext.steal_then_incref, target, value)
    show("  the list holds it", lambda: target[0] is value)

# An error set before a destructor that releases the GIL.
before = ext.freed_count()
show("error survives the destructor", ext.fail_while_freeing)
show("the destructor ran once", lambda: ext.freed_count() - before)

dels = []


class CallsCInDel:
    def __del__(self):
        dels.append(ext.freed_count() >= 0)


show("error survives a __del__ that calls C", ext.fail_while_dropping, CallsCInDel)
show("__del__ ran", lambda: dels)

# PyGILState_Ensure inside Py_BEGIN_ALLOW_THREADS, on the same thread.
show("callback without the GIL", ext.callback_without_gil, lambda: "called")
show("callback raising", ext.callback_without_gil, lambda: 1 / 0)
show("nested callback", ext.callback_without_gil, lambda: ext.callback_without_gil(lambda: "inner"))

# T.__new__ of a static type with tp_new.
Handle = ext.Handle
show("__new__ in the type's dict", lambda: "__new__" in Handle.__dict__)
show("Handle.__new__(Handle)", lambda: type(Handle.__new__(Handle)).__name__)


class SubHandle(Handle):
    pass


show("Handle.__new__(SubHandle)", lambda: type(Handle.__new__(SubHandle)).__name__)
show("Handle.__new__(int)", Handle.__new__, int)
show("Handle.__new__()", Handle.__new__)

# An object freed with libc's free as its tp_free, then plain memory from
# PyObject_Malloc at the same address, freed with PyObject_Free.
show("owned by malloc, then plain memory", ext.owned_then_plain, 200)


# Containers C stored in a dict of its own and released, read again in
# later calls through bare pointers (numpy's dispatch cache).
import weakref


class Marker:
    def __repr__(self):
        return "Marker()"


marker = Marker()
marker_ref = weakref.ref(marker)
ext.store_containers(marker)
gc.collect()
[ext.read_containers() for _ in range(3)]
got = ext.read_containers()
show("read through bare pointers", lambda: got)
show("each is the marker", lambda: [x is marker for x in got[:2] + got[3:5]])
show("C appends to the bare list", ext.append_to_bare_list, 5)
show("Python sees it", lambda: ext.get_registry()["l"])
ext.get_registry()["l"].append(6)
show("C sees Python's append", ext.read_containers)
show("the tuple is the dict's", lambda: ext.get_registry()["t"][0] is marker)
got = None
del marker
ext.drop_registry()
gc.collect()
show("all freed once the dict goes", lambda: marker_ref() is None)


# A finalizer that calls gc.collect() through C during a collection C
# started: the collections nest, and C can still call in afterwards.
finalized = []


class CollectsInDel:
    def __del__(self):
        ext.collect_from_c()
        finalized.append(True)


cycle = CollectsInDel()
cycle.me = cycle
del cycle
ext.collect_from_c()
show("finalizer ran", lambda: finalized)
show("C collects again", ext.collect_from_c)

c = ext.Collector()
c.ref = [c]
del c
ext.collect_from_c()
show("a C dealloc that collects ran", ext.collector_deallocs)
show("C collects after it", ext.collect_from_c)

# A method fetched through a tp_getattro of C's own, then everything dropped
# by pure Python: the object is freed by the next collection.
import weakref
for label, use in [("untouched", lambda o: None), ("o.ping()", lambda o: o.ping()),
                   ("m = o.ping; del m", lambda o: o.ping)]:
    o = ext.Lookup()
    use(o)
    watch = weakref.ref(o)
    del o
    gc.collect()
    freed = watch() is None
    show(f"custom getattro, {label}: freed", lambda: freed)

print("DONE")
