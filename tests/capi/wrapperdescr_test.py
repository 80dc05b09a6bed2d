import wrapperdescr_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args, **kwargs):
    try:
        r = fn(*args, **kwargs)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return None
    print(f"{label}: returned {r!r}")
    return r


d = ext.new_wrapper(0, int)
show("type", type(d).__name__)
show("same type as int.__add__", type(d) is type(int.__add__))
show("name, qualname, objclass", (d.__name__, d.__qualname__, d.__objclass__))
show("doc", d.__doc__)
show("text signature", d.__text_signature__)
show("repr", repr(d))
show("inspect", ext.inspect(d))
show("call", d(6, 7))
show("call on a subclass", d(True, 3))
class MyInt(int):
    pass
show("call on a Python subclass", d(MyInt(2), 5))
err("wrong self", d, "x", 2)
err("keywords refused", d, 6, n=7)
err("too many", d, 6, 7, 8)
show("__get__ on None", d.__get__(None, int) is d)
bound = d.__get__(6, int)
show("bound type", type(bound).__name__)
show("bound call", bound(4))
show("bound self", bound.__self__)
err("bound keywords", bound, n=4)

# On a class: instances get method-wrappers.
class K(int):
    __twice__ = ext.new_wrapper(0, int)
show("through an instance", K(3).__twice__(5))
show("through the class", K.__twice__(K(3), 5))

# A wrapper that takes keyword arguments.
kw = ext.new_wrapper(1, str)
show("kw doc", kw.__doc__)
show("kw no keywords", kw("s", 1, 2))
show("kw keywords", kw("s", 1, a=2))
show("kw bound", "t".__len__ and kw.__get__("t", str)(x=1))
err("kw wrong self", kw, 1)

# Errors from the wrapped function pass through.
f = ext.new_wrapper(2, int)
show("fails doc", f.__doc__)
err("fails", f, 1, 2)
err("fails: wrapper's own argument error", f, 1)
print("DONE")
