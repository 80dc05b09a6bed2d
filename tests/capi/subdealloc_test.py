# A Python subclass of a C type has CPython's subtype_dealloc as its
# tp_dealloc, which runs the C base's: C tells its own types from a Python
# subclass by comparing tp_dealloc (PyGLM).
import gc
import subdealloc_ext as ext


class Sub(ext.Base):
    pass


class SubSub(Sub):
    pass


def show(label, value):
    print(f"{label}: {value!r}")


show("Base instance has Base's tp_dealloc", ext.has_base_dealloc(ext.Base()))
show("Sub instance has Base's tp_dealloc", ext.has_base_dealloc(Sub()))
show("SubSub instance has Base's tp_dealloc", ext.has_base_dealloc(SubSub()))
show("Sub's tp_dealloc is set", ext.type_has_dealloc(Sub))
gc.collect()
before = ext.deallocs()
for cls in (ext.Base, Sub, SubSub):
    o = cls()
    del o
gc.collect()
show("Base's tp_dealloc ran for each instance", ext.deallocs() - before)
print("DONE")
