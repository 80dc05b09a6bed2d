import gc

import typeextras_ext as ext


def show(label, value):
    print(label + ":", repr(value))


def delta(f):
    gc.collect()
    f0, d0 = ext.counts()
    f()
    gc.collect()
    f1, d1 = ext.counts()
    return (f1 - f0, d1 - d0)


show("finalize then dealloc", delta(lambda: ext.Fin()))
ext.set_resurrect(True)
show("resurrected: finalized, not freed", delta(lambda: ext.Fin()))
ext.set_resurrect(False)
back = ext.take_resurrected()
show("resurrected object usable", (len(back), type(back[0]).__name__))
show("released again: finalized again (not a GC type), freed", delta(lambda: back.clear()))


# A finalizer that stores its object in a global, as Cython's `__del__`
# does: a non-GC type's runs at every death (no "finalized" bit), a GC
# type's once, so its second death frees it.
kept = None


def keep(obj):
    global kept
    kept = obj


def zombie_round(make):
    global kept
    ext.set_zombie_hook(keep)
    before = ext.zombie_counts()
    o = make()
    o = None
    gc.collect()
    show("  first death", (ext.zombie_counts(), type(kept).__name__))
    show("  finalized bit (GC types only)", ext.gc_is_finalized(kept))
    kept = None
    gc.collect()
    show("  second death", (ext.zombie_counts(), type(kept).__name__))
    ext.set_zombie_hook(None)
    kept = None
    gc.collect()
    show("  third death, not stored", ext.zombie_counts())
    show("  total change", [tuple(a - b for a, b in zip(x, y)) for x, y in zip(ext.zombie_counts(), before)])


print("non-GC zombie:")
zombie_round(ext.Zombie)
print("GC zombie:")
zombie_round(ext.GcZombie)

aw = ext.Aw()
show("__await__", list(aw.__await__()))


async def use():
    return await aw


coro = use()
try:
    while True:
        coro.send(None)
except StopIteration as e:
    show("await finished", e.value)
show("__aiter__ / __anext__", (aw.__aiter__() is aw, aw.__anext__()))

show("METH_COEXIST method replaces slot wrapper", ext.Coexist.__contains__(ext.Coexist(), 1))
show("without METH_COEXIST the slot wrapper stays", ext.NoCoexist.__contains__(ext.NoCoexist(), 1))
show("in uses the slot", (1 in ext.Coexist(), 1 in ext.NoCoexist()))

vc = ext.VC()
show("vectorcall", (vc(), vc(1, 2), vc(3, k=4, j=5)))
old = ext.Old()
show("tp_getattr", old.magic)
for action in (lambda: old.other, lambda: setattr(old, "x", 1), lambda: delattr(old, "x")):
    try:
        action()
    except AttributeError as e:
        show("tp_getattr/tp_setattr error", str(e))
print("DONE")
