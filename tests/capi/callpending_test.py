# C calling Python with its own error still set (y-py restores an observer's
# error and calls the next observer): CPython's call checks make the result
# a SystemError naming the callee, caused by the pending error.
import re
import callpending_ext as ext


def show(label, outcome):
    # Addresses in reprs differ between the interpreters.
    print(label, re.sub(r" at 0x[0-9a-f]+", " at ADDR", repr(outcome)))


class C:
    def meth(self):
        return "meth"

    def __repr__(self):
        return "<C>"


# Made beforehand: making it in the function is a call, which CPython's
# checks would already refuse.
RAISED = KeyError("raised")


def raises():
    raise RAISED


show("lambda", ext.call_object(lambda: 42))
show("function raising", ext.call_object(raises))
show("class", ext.call_object(C))
show("bound builtin", ext.call_object([3].copy))
show("len", ext.call_one_arg(len, [1, 2]))
show("vectorcall lambda", ext.vectorcall(lambda x: x, 7))
show("vectorcall str.upper", ext.vectorcall(str.upper, "a"))
show("method", ext.call_method(C(), "meth"))
show("C function", ext.call_one_arg(ext.returns_arg, 5))
show("no pending", ext.call_no_pending(lambda: "fine"))
print("DONE")
