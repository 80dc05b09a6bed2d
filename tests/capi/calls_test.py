import functools
import traceback

import calls_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def catch(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as e:
        return e
    return None


def err(label, fn, *args, message=False, **kwargs):
    e = catch(fn, *args, **kwargs)
    if e is None:
        print(f"{label}: no exception")
    else:
        line = f"{label}: raised {type(e).__name__}"
        if message:
            line += f" {str(e)!r}"
        print(line)
    return e


def tb_names(tb):
    return [fs.name for fs in traceback.extract_tb(tb)]


def strip_self(r):
    """The functions return (self, ...); check self and drop it."""
    assert r[0] is ext, "self is not the module"
    return r[1:]


# --- function objects -------------------------------------------------------------
for name in ("noargs", "meth_o", "varargs", "varargs_kw", "fastcall", "fastcall_kw",
             "null_noargs", "identity"):
    f = getattr(ext, name)
    show(f"{name}: __name__/__qualname__/__module__",
         (f.__name__, f.__qualname__, f.__module__))
    show(f"{name}: __doc__", f.__doc__)
    show(f"{name}: __self__ is module", f.__self__ is ext)
    show(f"{name}: repr", repr(f))
show("noargs __text_signature__", ext.noargs.__text_signature__)
show("fastcall_kw __text_signature__", ext.fastcall_kw.__text_signature__)
show("meth_o __text_signature__", ext.meth_o.__text_signature__)
show("function type is builtin_function_or_method", type(ext.noargs) is type(len))
show("callable", callable(ext.noargs))
show("module __doc__", ext.__doc__)

# --- METH_NOARGS ---------------------------------------------------------------------
r = ext.noargs()
show("NOARGS self is module", r[0] is ext)
show("NOARGS arg is NULL", r[1])
err("NOARGS with 1 arg", ext.noargs, 1)
err("NOARGS with keyword", ext.noargs, x=1)
show("NOARGS with empty **{}", strip_self(ext.noargs(**{})))

# --- METH_O ------------------------------------------------------------------------------
o = object()
r = ext.meth_o(o)
show("O self is module", r[0] is ext)
show("O arg identity", r[1] is o)
show("O None", strip_self(ext.meth_o(None)))
show("O tuple is passed as one arg", strip_self(ext.meth_o((1, 2))))
err("O with 0 args", ext.meth_o)
err("O with 2 args", ext.meth_o, 1, 2)
err("O with keyword", ext.meth_o, arg=1)

# --- METH_VARARGS ----------------------------------------------------------------------------
show("VARARGS ()", strip_self(ext.varargs()))
show("VARARGS (1, 'a', None)", strip_self(ext.varargs(1, "a", None)))
show("VARARGS star", strip_self(ext.varargs(*range(4))))
r = strip_self(ext.varargs(o, o))
show("VARARGS identity", r[0][0] is o and r[0][1] is o)
t = (1, 2)
show("VARARGS *t passes an equal tuple", strip_self(ext.varargs(*t))[0] == t)
err("VARARGS with keyword", ext.varargs, 1, x=2)

# --- METH_VARARGS | METH_KEYWORDS ---------------------------------------------------------
show("KW ()", strip_self(ext.varargs_kw()))
show("KW positional only", strip_self(ext.varargs_kw(1, 2)))
show("KW keywords only", strip_self(ext.varargs_kw(a=1, b="x")))
show("KW both", strip_self(ext.varargs_kw(1, a=2)))
r = strip_self(ext.varargs_kw(k=o))
show("KW kwargs type / identity", (type(r[1]).__name__, r[1]["k"] is o))
d = {"x": 1}
r = strip_self(ext.varargs_kw(**d))
show("KW **d gives an equal dict", r[1] == d)
show("KW **d gives a new dict", r[1] is not d)
show("KW keyword order", list(strip_self(ext.varargs_kw(z=1, a=2, m=3))[1]))

# --- METH_FASTCALL -----------------------------------------------------------------------------
show("FASTCALL ()", strip_self(ext.fastcall()))
show("FASTCALL (1, 2, 3)", strip_self(ext.fastcall(1, 2, 3)))
show("FASTCALL star", strip_self(ext.fastcall(*"abcd")))
r = strip_self(ext.fastcall(o))
show("FASTCALL identity", r[0][0] is o)
err("FASTCALL with keyword", ext.fastcall, 1, x=2)
show("FASTCALL first_arg", ext.first_arg("a", "b"))
err("FASTCALL first_arg no args", ext.first_arg, message=True)

# --- METH_FASTCALL | METH_KEYWORDS ---------------------------------------------------------
show("FASTCALL_KW ()", strip_self(ext.fastcall_kw()))
show("FASTCALL_KW positional", strip_self(ext.fastcall_kw(1, 2)))
show("FASTCALL_KW keywords", strip_self(ext.fastcall_kw(a=1, b=2)))
show("FASTCALL_KW both", strip_self(ext.fastcall_kw(1, 2, a=3, b=4)))
show("FASTCALL_KW **{}", strip_self(ext.fastcall_kw(**{})))
show("FASTCALL_KW *args **kwargs", strip_self(ext.fastcall_kw(*(1,), **{"z": 9, "y": 8})))
r = strip_self(ext.fastcall_kw(o, k=o))
show("FASTCALL_KW kwnames type", type(r[1]).__name__)
show("FASTCALL_KW kwnames item type", type(r[1][0]).__name__)
show("FASTCALL_KW identity", r[0][0] is o and r[2][0] is o)

# --- other ways of calling ------------------------------------------------------------------


class Holder:
    f = ext.varargs   # builtin functions do not bind as methods


show("builtin as class attribute does not bind", strip_self(Holder().f(1)))
show("functools.partial", strip_self(functools.partial(ext.varargs, 1)(2)))
show("functools.partial kw", strip_self(functools.partial(ext.fastcall_kw, 1, a=2)(3, b=4)))
show("map over METH_O", [strip_self(x)[0] for x in map(ext.meth_o, [1, 2])])
show("sorted key=identity", sorted([3, 1, 2], key=ext.identity))
show("getattr call", strip_self(getattr(ext, "fastcall")(5)))

# --- NULL without exception / result with exception -------------------------------------------
# CPython 3.11 specializes hot call sites, and its specialized builtin calls skip the
# result/exception consistency check (the error then surfaces later, or as the generic
# "error return without exception set"). A code object that runs only once always takes
# the checked path, so each direct call below is compiled and run fresh.


def direct_call(src):
    try:
        exec(compile(src, "<direct>", "exec"), {"ext": ext})
    except Exception as e:
        return e
    return None


def report(label, e, cause=False):
    if e is None:
        print(f"{label}: no exception")
        return
    print(f"{label}: raised {type(e).__name__} {str(e)!r}")
    if cause:
        c = e.__cause__
        show(f"  {label} __cause__", (type(c).__name__, str(c)))
        show(f"  {label} __context__ is __cause__", e.__context__ is c)
        show(f"  {label} __suppress_context__", e.__suppress_context__)
    else:
        show(f"  {label} __cause__/__context__", (e.__cause__, e.__context__))


NULL_CALLS = [("null_noargs", "()"), ("null_o", "(1)"), ("null_varargs", "(1, 2)"),
              ("null_kw", "(1)"), ("null_kw", "(a=1)"), ("null_fast", "(1)"),
              ("null_fastkw", "(1)"), ("null_fastkw", "(a=1)")]
for name, args in NULL_CALLS:
    report(f"{name}{args}", direct_call(f"ext.{name}{args}"))
RESULT_CALLS = [("result_noargs", "()"), ("result_o", "(1)"), ("result_varargs", "()"),
                ("result_kw", "(k=2)"), ("result_fast", "()"), ("result_fastkw", "(1, b=2)")]
for name, args in RESULT_CALLS:
    report(f"{name}{args}", direct_call(f"ext.{name}{args}"), cause=True)

# the same functions called from C through PyObject_Vectorcall (always checked)
report("Vectorcall null_o", catch(ext.vectorcall, ext.null_o, (1,), None, ()))
report("Vectorcall null_fastkw kw", catch(ext.vectorcall, ext.null_fastkw, (), ("a",), (1,)))
report("Vectorcall result_fast", catch(ext.vectorcall, ext.result_fast, (), None, ()),
       cause=True)
# METH_VARARGS goes through tp_call, which always checks, however it is called
report("PyObject_Call null_varargs", catch(ext.call, ext.null_varargs, (), None))
report("PyObject_Call result_kw", catch(ext.call, ext.result_kw, (), {"x": 1}), cause=True)
report("Python-level null_varargs via *args", catch(ext.null_varargs, *(1, 2)))
report("Python-level result_varargs via *args", catch(ext.result_varargs, *()), cause=True)

e = err("proper error", ext.raise_plain, None, message=True)
show("  proper error __cause__/__context__", (e.__cause__, e.__context__))
show("errors do not leak into the next call", ext.identity(5))

# --- a Python callback raising through C --------------------------------------------------
stored = []


def callback():
    e = ValueError("callback failed")
    stored.append(e)
    raise e


def run_callback():
    return ext.callback_raises(callback)


e = catch(run_callback)
show("callback error: type", type(e).__name__)
show("callback error: same object", e is stored[0])
show("callback error: message", str(e))
show("callback error: has traceback", e.__traceback__ is not None)
show("callback error: traceback names", tb_names(e.__traceback__))
show("callback error: no __context__", e.__context__)


def deeper():
    return callback()


stored.clear()
e = catch(ext.callback_raises, deeper)
show("callback error via deeper frames: names", tb_names(e.__traceback__))
show("callback error via deeper frames: same object", e is stored[0])
try:
    ext.callback_raises(lambda: 1)
except AssertionError as e2:
    show("callback that does not raise", str(e2))

# --- calling Python from C -------------------------------------------------------------------


def rec(*args, **kwargs):
    return (args, kwargs)


show("CallObject NULL args", ext.call_object(rec, None))
show("CallObject tuple args", ext.call_object(rec, (1, "b")))
show("CallObject empty tuple", ext.call_object(rec, ()))
show("Call with kwargs", ext.call(rec, (1,), {"k": 2}))
show("Call kwargs NULL", ext.call(rec, (1, 2), None))
show("Call empty kwargs", ext.call(rec, (), {}))
show("CallNoArgs", ext.call_noargs(rec))
show("CallOneArg", ext.call_one(rec, o)[0][0] is o)
show("Vectorcall positional", ext.vectorcall(rec, (1, 2), None, ()))
show("Vectorcall keywords", ext.vectorcall(rec, (1,), ("a", "b"), (2, 3)))
show("Vectorcall keywords only", ext.vectorcall(rec, (), ("x",), (9,)))
show("Vectorcall on a C function", strip_self(ext.vectorcall(ext.fastcall_kw, (1,), ("q",), (2,))))
show("Vectorcall on a type", ext.vectorcall(dict, (), ("a",), (1,)))
show("Vectorcall on a bound method", ext.vectorcall([3, 1, 2].index, (1,), None, ()))
show("Call builtin", ext.call(sorted, ([3, 1, 2],), {"reverse": True}))
show("Call class", type(ext.call_noargs(object)).__name__)
show("Call C function through C", strip_self(ext.call(ext.varargs_kw, (1,), {"a": 2})))
show("CallMethodNoArgs", ext.call_method_noargs("abc", "upper"))
show("CallMethodOneArg", ext.call_method_one("a,b", "split", ","))
show("CallMethodOneArg list.append", ext.call_method_one([], "append", 1))
err("CallMethodNoArgs missing attribute", ext.call_method_noargs, "abc", "nope")
err("CallNoArgs non-callable", ext.call_noargs, 5)
err("CallObject non-callable", ext.call_object, "str", None)
err("Call: wrong arg count to Python function", ext.call, lambda a: a, (), None)
e = err("Call: callee raises", ext.call_one, int, "not a number")
show("CallableCheck", [ext.callable_check(x) for x in (len, rec, ext.noargs, int, 5, "s",
                                                       Holder, Holder(), None)])
show("C -> Python -> C recursion", ext.call_noargs(lambda: ext.identity("inner")))
show("callback_sum", ext.callback_sum(lambda i: i * i, 10))
err("callback_sum callback raises", ext.callback_sum, lambda i: 1 // (i - 3), 5)
err("callback_sum callback returns non-int", ext.callback_sum, lambda i: "x", 2)

# --- identity ------------------------------------------------------------------------------------


class K:
    pass


def func():
    pass


big = 10 ** 40
samples = [0, 1, -5, 257, 2 ** 31, big, -big, 1.5, 1j, "", "s", "non-ascii é", "x" * 1000,
           b"bytes", [], [1], {}, {"a": 1}, (), (1, 2), set(), frozenset([1]), object(), K,
           K(), None, True, False, Ellipsis, NotImplemented, func, len, ext, ext.identity,
           int, type, range(3), slice(1, 2), bytearray(b"x"), memoryview(b"m"),
           ValueError("e")]
show("identity(x) is x", all(ext.identity(x) is x for x in samples))
show("identity failures", [repr(x) for x in samples if ext.identity(x) is not x])
show("twice: t[0] is t[1] is x", all((lambda t: t[0] is t[1] is x)(ext.twice(x))
                                     for x in samples))
show("C sees the same pointer", all(ext.same(x, x) for x in samples))
show("C sees different pointers", ext.same(object(), object()))
lst = [1]
t = ext.twice(lst)
lst.append(2)
show("twice shares the object", t)
show("in list/dict", all((lambda r: r[0][0] is x and r[1]["k"] is x)(ext.in_list_and_dict(x))
                         for x in samples))
k = K()
k.attr = "v"
show("instance attrs survive round trip", ext.identity(k).attr)
show("identity of function keeps __name__", ext.identity(func).__name__)

show("_PyStack_AsDict", ext.stack_as_dict((1, "two", [3]), ("a", "b", "c")))
show("_PyStack_AsDict empty", ext.stack_as_dict((), ()))
show("_PyStack_AsDict repeated name", ext.stack_as_dict((1, 2), ("x", "x")))

# --- keyword names over many calls ---------------------------------------------------
# More distinct names than the layer remembers (its per-thread cache of
# interned names), names of one length that differ only in order, and names
# met again after others pushed them out: each call gets its own names,
# interned (a literal keyword is, in CPython).
import sys
names = ["ab", "ba", "aa", "bb"] + ["kw%02d" % n for n in range(24)] + ["ba", "ab", "kw00", "kw23"]
seen = []
for n, name in enumerate(names):
    ns = {"ext": ext}
    exec("r1 = ext.varargs_kw(%s=%d)\nr2 = ext.fastcall_kw(%s=%d, zz=0)" % (name, n, name, n), ns)
    kw = ns["r1"][2]
    key = next(iter(kw))
    kwnames = ns["r2"][2]
    seen.append((list(kw.items()) == [(name, n)], key is sys.intern(name),
                 kwnames == (name, "zz"), kwnames[0] is sys.intern(name),
                 ns["r2"][3] == (n, 0)))
show("keyword names, many calls", all(all(s) for s in seen))
show("keyword names, failures", [names[i] for i, s in enumerate(seen) if not all(s)])

print("DONE")
