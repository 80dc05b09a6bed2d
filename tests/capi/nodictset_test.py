import nodictset_ext as ext

o = ext.Nd()


def out(label, fn):
    try:
        r = fn()
    except Exception as e:
        print(f"{label}: {type(e).__name__}: {e}")
    else:
        print(f"{label}: {r!r}")


def py_set():
    o.foo = 1


def py_del():
    del o.foo


out("o.foo = 1", py_set)
out("del o.foo", py_del)
out("setattr", lambda: setattr(o, "foo", 1))
out("PyObject_GenericSetAttr", lambda: ext.generic_set(o, "foo", 1))
out("PyObject_GenericSetAttr delete", lambda: ext.generic_set(o, "foo"))
out("PyObject_SetAttrString", lambda: ext.set_string(o, "foo", 1))
out("o.foo", lambda: o.foo)
print("DONE")
