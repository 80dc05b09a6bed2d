import functools

import kwcalls_ext as ext


def show(label, *values):
    print(f"{label}: {values[0] if len(values) == 1 else values!r}")


def err(label, fn, *args, **kwargs):
    try:
        r = fn(*args, **kwargs)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
    else:
        print(f"{label}: no exception, {r!r}")


o = ext.KW()
KW = ext.KW

# --- methods of a C type, called from Python code ------------------------------------
show("va", o.va(1, 2, x=3, y=4))
show("va no keywords", o.va(1))
show("va keywords only", o.va(x=1))
show("va no arguments", o.va())
show("va through the type", KW.va(o, 1, x=2))
show("va bound, kept", [functools.partial(o.va, 1, x=1)(n, y=n) for n in range(3)])
show("va ** literal keys", o.va(**{"a": 1, "b": 2}))
show("va ** built keys", sorted(o.va(**{"".join(["k", str(n)]): n for n in range(3)})[2].items()))
show("va a keyword twice over calls", [o.va(n, same=n)[2] for n in range(3)])
err("va through the type, wrong self", KW.va, 1, x=2)
show("fast", o.fast(1, 2, x=3, y=4))
show("fast no keywords", o.fast(1, 2))
show("fast keywords only", o.fast(x=1))
show("fast through the type", KW.fast(o, 1, y=2))
# (names built at run time: only literal ones are sure to be interned)
show("fast many keywords", o.fast(0, **{"k%d" % n: n for n in range(12)})[:4])
show("fast many arguments", o.fast(*range(10), a=1, b=2))
show("meth", o.meth(1, z=2))
show("meth through the type", KW.meth(o, z=3))
show("meth no arguments", o.meth())
show("cls", KW.cls(1, k=2))
show("cls on an instance", o.cls(k=1))
show("static", KW.static(1, k=2))
show("static on an instance", o.static(k=3))
err("o with a keyword", o.o, x=1)
err("o with a keyword and an argument", o.o, 1, x=1)
err("noargs with a keyword", o.noargs, x=1)
try:
    o.plain(1, x=1)
except TypeError:
    print("plain with a keyword: raised TypeError")
err("fastonly with a keyword", o.fastonly, 1, x=1)
err("o through the type with a keyword", KW.o, o, 1, x=1)

# --- module functions ------------------------------------------------------------------
show("module va", ext.va(1, x=2))
show("module fast", ext.fast(1, x=2, y=3))
show("module fast no keywords", ext.fast(1))
show("keys interned", ext.keys_interned(alpha=1, beta=2))
show("keys interned, no keywords", ext.keys_interned(1))
err("module o with a keyword", ext.o, x=1)
err("module noargs with a keyword", ext.noargs, x=1)
err("module plain with a keyword", ext.plain, x=1)
err("module fastonly with a keyword", ext.fastonly, 1, x=1)

# PyArg_ParseTupleAndKeywords finds each keyword by its C name.
show("parse", ext.parse(1), ext.parse(1, 2), ext.parse(1, b=2, c=3), ext.parse(a=5, c="x"))
show("parse, the names in turn", [ext.parse(n, c=n, b=-n) for n in range(4)])
err("parse, a given twice", ext.parse, 1, a=2)
err("parse, an unknown name", ext.parse, 1, d=2)
err("parse, a missing", ext.parse, b=2)
err("parse, too many", ext.parse, 1, 2, 3, c=4)

# A call site passes the same kwnames tuple each time; C may keep one.
show("kwnames, one call site", [ext.keep_kwnames(1, alpha=n, beta=n) for n in range(3)])
kept_tuple = ext.kept()
for n in range(12):
    exec("ext.keep_kwnames(k%d=1, other=2)" % n)
show("kwnames kept over other calls", kept_tuple, ext.kept())
show("kwnames, one call site again", [ext.keep_kwnames(alpha=n, beta=n) for n in range(2)])

# --- calls from C, keyword names made at run time --------------------------------------
show("vcall va", ext.vcall(o.va, (1, 2, 3), ("x",)))
show("vcall fast", ext.vcall(o.fast, (1, 2, 3), ("x", "y"))[:4])
show("vcall meth", ext.vcall(o.meth, (1, 2), ("z",))[1][:4])
show("vcall type method", ext.vcall(KW.va, (o, 1, 2), ("x",)))
show("vcall parse", ext.vcall(ext.parse, (1, 2), ("c",)))
show("vcall parse, all by name", ext.vcall(ext.parse, (1, 2), ("b", "a")))
show("vcall no keywords", ext.vcall(ext.fast, (1, 2), ()))
err("vcall o with a keyword", ext.vcall, ext.o, (1,), ("x",))
err("vcall python function", ext.vcall, lambda a, b=0: (a, b), (1, 2), ("b",))

# --- member reads ------------------------------------------------------------------------
show("members, new", (o.i, o.d, o.flag, o.s))
err("member obj, unset", lambda: o.obj)
ext.set_members(o, 7, 2.5, True, [1])
show("members, set", (o.i, o.d, o.flag, o.s, o.obj))
ext.set_members(o, -3, -0.5, False)
show("members, again", (o.i, o.d, o.flag, o.s))
err("member obj, unset again", lambda: o.obj)
o.i = 11
o.d = 1.25
show("members, written from Python", [(o.i, o.d) for _ in range(3)])
err("member s, readonly", setattr, o, "s", "x")
print("DONE")
