import genobj_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except BaseException as e:
        print(f"{label}: raised {type(e).__name__} {e.args!r}")
        return e
    print(f"{label}: returned {r!r}")
    return None


def gen():
    yield 1
    yield 2
    return "done"


async def coro():
    return 1


async def agen():
    yield 1


g = gen()
c = coro()
a = agen()
show("checks generator", ext.checks(g))
show("checks coroutine", ext.checks(c))
show("checks async generator", ext.checks(a))
show("checks list", ext.checks([]))
c.close()

e = err("SetStopIterationValue(5)", ext.set_stop_value, 5)
show("value", e.value)
e = err("SetStopIterationValue(None)", ext.set_stop_value, None)
show("value None", e.value)
e = err("SetStopIterationValue(tuple)", ext.set_stop_value, (1, 2))
show("value tuple", e.value)
e = err("SetStopIterationValue(exception)", ext.set_stop_value, KeyError("k"))
show("value exception", repr(e.value))

show("Fetch with no error", ext.fetch_stop_value(None))
show("Fetch StopIteration(7)", ext.fetch_stop_value(StopIteration(7)))
show("Fetch StopIteration()", ext.fetch_stop_value(StopIteration()))
show("Fetch StopIteration type", ext.fetch_stop_value(StopIteration))
show("Fetch ValueError", ext.fetch_stop_value(ValueError("v")))

show("drive", ext.drive(gen()))
g = gen()
show("send None", ext.send_value(g, None))
show("send 1", ext.send_value(g, 1))
show("send 2", ext.send_value(g, 2))

alias = ext.generic_alias(list, int)
show("GenericAlias", (alias, alias.__origin__, alias.__args__, alias == list[int]))
alias = ext.generic_alias(dict, (str, int))
show("GenericAlias tuple", (alias, alias.__args__))
show("GenericAliasType", (ext.alias_type_is(alias), ext.alias_type_is(list)))


# gi_frame_state outside the generator: created, suspended, finished.
def counting():
    yield 1
    yield 2


states = []
g = counting()
states.append(ext.frame_state(g))
next(g)
states.append(ext.frame_state(g))
list(g)
states.append(ext.frame_state(g) > 0)
print("gi_frame_state: created, suspended, finished:", states)


async def coroutine():
    pass


c = coroutine()
print("cr_frame_state of a new coroutine:", ext.frame_state(c))
c.close()


def gen_two():
    yield 1
    yield 2


async def inner_coroutine():
    await asyncio.sleep(0)
    return 1


async def outer_coroutine():
    return await inner_coroutine()


import asyncio

# A profile function at a `yield` sees its generator suspended, and at the
# real return not (yappi's test of a coroutine that awaits).
ext.profile_yields(True)
list(gen_two())
asyncio.run(outer_coroutine())
log = ext.profile_yields(None)
print("return events (name, suspended):", [e for e in log if e[0] in ("gen_two", "inner_coroutine", "outer_coroutine")])
print("DONE")
