"""The calls that take C varargs or arrays: PyObject_CallFunction and
PyObject_CallMethod (with their _SizeT forms and the plain symbols),
PyObject_Call{Function,Method}ObjArgs, PyObject_VectorcallDict and
PyObject_VectorcallMethod, against CPython 3.11."""
import callfunc_ext as ext

ADDRESS_FREE = True


def out(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:  # every outcome is printed, failures included
        print(f"{label}: {type(e).__name__}: {e}")
    else:
        print(f"{label}: {r!r}")


def rec(*args, **kwargs):
    return ("rec", args, kwargs)


class Target:
    attr = 5

    def m(self, *args, **kwargs):
        return ("m", args, kwargs)

    def __call__(self, *args):
        return ("call", args)

    @staticmethod
    def s(*args):
        return ("static", args)

    @classmethod
    def c(cls, *args):
        return ("class", cls.__name__, args)

    def raises(self, *args):
        raise KeyError("from method")


t = Target()
for case in range(26):
    out(f"CallFunction case {case}", ext.call_function, case, rec)
out("CallFunction non-callable", ext.call_function, 2, 5)
out("CallFunction NULL format non-callable", ext.call_function, 0, "s")
out("CallFunction builtin", ext.call_function, 3, max)
out("CallFunction type", ext.call_function, 8, tuple)
out("CallFunction raising", ext.call_function, 2, lambda x: 1 / 0)
for case in range(10):
    out(f"CallMethod case {case}", ext.call_method, case, t, "m")
out("CallMethod missing", ext.call_method, 2, t, "nope")
out("CallMethod non-callable attribute", ext.call_method, 2, t, "attr")
out("CallMethod non-callable attribute bad format", ext.call_method, 7, t, "attr")
out("CallMethod staticmethod", ext.call_method, 3, t, "s")
out("CallMethod classmethod", ext.call_method, 3, Target, "c")
out("CallMethod raising", ext.call_method, 2, t, "raises")
out("CallMethod on str", ext.call_method, 3, "a-b", "split")
out("CallMethod str.join", ext.call_method, 5, ", ", "join")
for case in range(10):
    out(f"ObjArgs case {case} (rec)", ext.obj_args, case, rec, "a", "b")
for case in (5, 6, 7):
    out(f"ObjArgs case {case} (method)", ext.obj_args, case, t, "m", 2)
out("CallMethodObjArgs missing", ext.obj_args, 5, t, "nope", None)
out("CallMethodObjArgs non-str name", ext.obj_args, 5, t, 3, None)
out("CallMethodObjArgs non-callable", ext.obj_args, 5, t, "attr", None)
out("CallFunctionObjArgs non-callable", ext.obj_args, 1, 5, "a", None)
for label, kw in [("None", None), ("{}", {}), ("kw", {"x": 1, "y": 2}), ("non-str key", {1: 2})]:
    for offset in (False, True):
        out(f"VectorcallDict {label} offset={offset}", ext.vectorcall_dict, rec, (1, 2), kw, offset)
out("VectorcallDict no positional", ext.vectorcall_dict, rec, (), {"k": "v"}, False)
out("VectorcallDict C function", ext.vectorcall_dict, ext.obj_args, (1, rec, "a", "b"), None, False)
out("VectorcallDict dict()", ext.vectorcall_dict, dict, (), {"a": 1}, False)
out("VectorcallDict non-callable", ext.vectorcall_dict, 3, (), None, False)
out("VectorcallDict duplicate keyword", ext.vectorcall_dict, lambda a: a, (1,), {"a": 2}, False)
out("VectorcallMethod", ext.vectorcall_method, "m", (t, 1, 2), None, ())
out("VectorcallMethod keywords", ext.vectorcall_method, "m", (t, 1), ("k",), (2,))
out("VectorcallMethod str.upper", ext.vectorcall_method, "upper", ("abc",), None, ())
out("VectorcallMethod list.append", ext.vectorcall_method, "append", ([], 5), None, ())
out("VectorcallMethod missing", ext.vectorcall_method, "nope", (t,), None, ())
out("VectorcallMethod staticmethod", ext.vectorcall_method, "s", (t, 1), None, ())
out("VectorcallMethod raising", ext.vectorcall_method, "raises", (t,), None, ())
for case in range(4):
    out(f"plain symbol (no PY_SSIZE_T_CLEAN) case {case}", ext.call_compat, case, rec)
print("DONE")
