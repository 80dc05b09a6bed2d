import contextvars
import re

import context_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        message = re.sub(r"0x[0-9a-f]+", "0x?", str(e))
        print(f"{label}: raised {type(e).__name__} {message!r}")
        return None
    print(f"{label}: returned {r!r}")
    return r


v = ext.var_new("v")
show("var", (type(v) is contextvars.ContextVar, v.name))
show("get unset, no default", ext.var_get(v))
show("get unset, default arg", ext.var_get(v, "arg default"))
d = ext.var_new("d", "var default")
show("get var default", ext.var_get(d))
show("get arg beats var default", ext.var_get(d, "arg"))
token = ext.var_set(v, 42)
show("token", (type(token) is contextvars.Token, token.var is v, token.old_value is contextvars.Token.MISSING))
show("get after set", ext.var_get(v))
show("Python sees it", v.get())
token2 = ext.var_set(v, 43)
show("token2 old value", token2.old_value)
ext.var_reset(v, token2)
show("after reset", v.get())
err("reset twice", ext.var_reset, v, token2)
other = ext.var_new("other")
err("reset with another var's token", ext.var_reset, other, token)
ext.var_reset(v, token)
show("after first reset", ext.var_get(v))
err("var_get on non-var", ext.var_get, "x")
err("var_set on non-var", ext.var_set, "x", 1)
err("var_reset with non-token", ext.var_reset, v, "x")
err("var_new with NULL name", ext.var_new, None)

ctx = ext.context_new()
show("new context", (type(ctx) is contextvars.Context, len(ctx)))
show("run_in", ext.run_in(ctx, v, "inside"))
show("context keeps value", ctx[v])
show("outside unchanged", ext.var_get(v))
copy = ext.context_copy(ctx)
show("copy", (copy is not ctx, copy[v]))
err("copy of non-context", ext.context_copy, {})
ext.var_set(d, "current value")
current = ext.context_copy_current()
show("copy current", current[d])
show("copy current is a snapshot", (ext.var_set(d, "later") is not None, current[d], d.get()))

ext.enter(ctx)
show("entered: value", v.get())
err("enter twice", ext.enter, ctx)
ext.exit(ctx)
show("exited: value", ext.var_get(v))
err("exit again", ext.exit, ctx)
inner = ext.context_new()
ext.enter(ctx)
ext.enter(inner)
err("exit the outer first", ext.exit, ctx)
ext.exit(inner)
ext.exit(ctx)
err("enter non-context", ext.enter, 5)

show("checks ctx/var/token/int", [ext.checks(o) for o in (ctx, v, token, 5)])
value = object()
before = ext.refcnt(value)
show("refcounts", ext.refcounts(value))
show("refcounts neutral", ext.refcnt(value) == before)

print("DONE")
