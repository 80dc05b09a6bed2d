# A C tp_dealloc that calls a method on the dying object (Cython's, for a
# `__dealloc__` that calls `self.close()`: the count raised to 1 around the
# call), for the C type and for Python classes below it (rasterio's
# RPCTransformer): the method runs, on the object, with no error.
import gc
import deallocself_ext as ext


class Sub(ext.Obj):
    pass


class SubClose(ext.Obj):
    def close(self):
        ext.log.append("py close")


class SubDict(ext.Obj):
    def __init__(self):
        self.attr = 1

    def close(self):
        # CPython's subtype_dealloc cleared the instance dict already.
        ext.log.append(f"has attr: {hasattr(self, 'attr')}")


class SubDel(ext.Obj):
    # __del__ runs once, before the C base's tp_dealloc; the host made for
    # the object there must not run it again as it dies.
    def __del__(self):
        ext.log.append("__del__")


for cls in (ext.Obj, Sub, SubClose, SubDict, SubDel):
    x = cls()
    del x
    gc.collect()
    print(f"{cls.__name__}: {ext.log}")
    ext.log.clear()
print("DONE")
