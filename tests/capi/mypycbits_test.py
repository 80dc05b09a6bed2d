import gc
import inspect

import mypycbits_ext as ext

for name in ("sig_only", "empty", "sig_doc", "nodoc"):
    f = getattr(ext, name)
    print(name, repr(f.__doc__), repr(f.__text_signature__))


for cls in (ext.FinalDict, ext.FinalDictWithDel):
    # (Released without a cycle, CPython's inherited dict_dealloc skips
    # tp_finalize of a static type; the layer runs it: not compared.)
    d = cls(a=1)
    del d
    gc.collect()
    ext.events.clear()
    d = cls()
    d["self"] = d
    del d
    gc.collect()
    print(cls.__name__, "in a cycle:", ext.events)
    ext.events.clear()
    Sub = type("Sub", (cls,), {})
    d = Sub()
    d["self"] = d
    del d
    gc.collect()
    print(cls.__name__, "Python subclass in a cycle:", ext.events)
    ext.events.clear()
x = {"still": "working"}
print(x)
print("DONE")
