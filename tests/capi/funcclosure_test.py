import gc

import funcclosure_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return None
    print(f"{label}: returned {r!r}")
    return r


def internal(label, fn, *args):
    try:
        fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}", str(e).endswith("bad argument to internal function"))
    else:
        print(f"{label}: no error")


def outer(a, b):
    def inner():
        return a + b
    return inner


f = outer(1, 2)
show("before", f())
c1, c2 = ext.new_cell(10), ext.new_cell(20)
status, now = ext.set_closure(f, (c1, c2))
show("status, same tuple", (status, now[0] is c1, now[1] is c2))
show("__closure__ is the new cells", (f.__closure__[0] is c1, f.__closure__[1] is c2))
show("calls read the new cells", f())
c1.cell_contents = 100
show("cell change seen", f())

# A cell shared with another function stays shared.
g = outer(5, 6)
ext.set_closure(g, (c1, g.__closure__[1]))
c1.cell_contents = 7
show("shared cell", (f(), g()))

# A closure of a function with no free variables.
def plain():
    return 42
show("None on a plain function", ext.set_closure(plain, None))
show("plain still works", plain())
show("empty tuple", ext.set_closure(plain, ()))
show("closure now", plain.__closure__)

# Wrong kinds: CPython's SystemError for a non-tuple, bad call for a non-function.
err("list", ext.set_closure, f, [c1, c2])
err("int", ext.set_closure, f, 5)
show("unchanged after errors", f())
internal("not a function", ext.set_closure, len, None)
internal("a lambda's class instance", ext.set_closure, object(), ())

# Python still cannot set it.
err("assign __closure__", setattr, f, "__closure__", ())
err("delete __closure__", delattr, f, "__closure__")
show("descriptor", type(type(f).__dict__["__closure__"]).__name__)

# The old tuple lives on for whoever holds it.
old = f.__closure__
ext.set_closure(f, (ext.new_cell("x"), ext.new_cell("y")))
gc.collect()
show("old tuple still readable", [c.cell_contents for c in old])
show("new call", f())
print("DONE")
