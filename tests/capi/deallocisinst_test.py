import gc

import deallocisinst_ext as ext


class Plain(ext.Base):
    pass


class WithDel(ext.Base):
    def __del__(self):
        pass


class Grandchild(WithDel):
    pass


# (PyObject_IsInstance(self, Base) in Base's tp_dealloc, Py_TYPE(self) is Base)
for cls in (ext.Base, Plain, WithDel, Grandchild):
    o = cls()
    del o
    gc.collect()
    print(cls.__name__, ext.last())
o = WithDel()
o.me = o
del o
gc.collect()
print("in a cycle", ext.last())
print("DONE")
