import operator

import sqitemkey_ext as ext

o = ext.Sq()


def out(label, fn):
    try:
        r = fn()
    except Exception as e:
        print(f"{label}: {type(e).__name__}: {e}")
    else:
        print(f"{label}: {r!r}")


def setitem(k):
    o[k] = 1


def delitem(k):
    del o[k]


class Idx:
    def __index__(self):
        return 1


print(o[0], o[-1], o[True], o[Idx()])
print("PyMapping_Check, PySequence_Check:", ext.c_checks(o))
for key in [10**20, -10**20, "a", 1.5, None, slice(0, 1)]:
    out(f"get {key!r}", lambda: o[key])
    out(f"operator.getitem {key!r}", lambda: operator.getitem(o, key))
    out(f"set {key!r}", lambda: setitem(key))
    out(f"del {key!r}", lambda: delitem(key))
    out(f"PyObject_GetItem {key!r}", lambda: ext.c_getitem(o, key))
    out(f"PyObject_SetItem {key!r}", lambda: ext.c_setitem(o, key, 1))
out("get 5", lambda: o[5])
out("set 5", lambda: setitem(5))
print("DONE")
