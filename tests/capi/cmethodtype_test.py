import cmethodtype_ext as ext


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


Thing = ext.Thing
T = ext.cmethod_type()
show("type name", (T.__name__, T.__qualname__, T.__module__))
show("bases", T.__bases__)
show("C facts", ext.type_facts())

f = ext.new_cmethod(0, "the self", Thing)
show("PyCMethod_New: type", type(f) is T)
show("checks", ext.checks(f))
show("inspect", ext.inspect(f))
show("call", f(1, 2, k=3))
show("name, doc", (f.__name__, f.__doc__, f.__self__))
show("repr", repr(f).split(" at 0x")[0])
g = ext.new_cmethod(0, None, Thing)
show("unbound: type, checks", (type(g) is T, ext.checks(g)))
show("unbound call", g(5))

p = ext.new_cmethod(1, None, None)
show("no class: builtin_function_or_method", (type(p).__name__, ext.checks(p)))
show("module function", (type(ext.checks).__name__, ext.checks(ext.checks)))

# A C type's METH_METHOD method: a method descriptor, bound a builtin_method.
t = Thing()
m = t.with_class
show("bound type", type(m) is T)
show("bound checks", ext.checks(m))
show("bound call", m(1, 2) == (t, Thing, 2))
show("descriptor", type(Thing.__dict__["with_class"]).__name__)
show("through the class", Thing.with_class(t, 7) == (t, Thing, 1))
class Sub(Thing):
    pass
show("subclass instance: defining class stays", Sub().with_class()[1] is Thing)
show("plain method", (type(t.plain).__name__, ext.checks(t.plain)))

err("instantiate", T)
err("subclass", type, "S", (T,), {})
err("set attribute on the type", setattr, T, "x", 1)
print("DONE")
