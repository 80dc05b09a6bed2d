import gc
import weakref

import memory_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


show("allocators", ext.allocators())
for domain, name in enumerate(["RAW", "MEM", "OBJ"]):
    show(f"hook over {name}", ext.hooked(domain))
show("strdup", ext.strdups())
show("PyMem_New/Resize/Del", ext.macros())
show("tracemalloc not tracing", ext.trace())

was = gc.isenabled()
show("gc switches", ext.gc_switches())
show("gc state kept", gc.isenabled() == was)

w = ext.Weak()
r = weakref.ref(w)
show("weak references", ext.weak_facts(w))
show("weakref alive", r() is w)
del w
gc.collect()
show("weakref dead", r() is None)

show("is_gc, C type without Py_TPFLAGS_HAVE_GC", ext.is_gc(ext.Weak()))
show("is_gc, C type with it", ext.is_gc(ext.Tracked()))
show("is_gc int", ext.is_gc(5))
f = ext.Finalizable()
show("not finalized yet", ext.is_finalized(f))
show("non-GC object", ext.is_finalized(5))
del f
gc.collect()
back = ext.take_resurrected()
show("resurrected by its finalizer", type(back).__name__)
show("finalized", ext.is_finalized(back))
del back
gc.collect()
show("not finalized twice", type(ext.take_resurrected()).__name__)
print("DONE")
