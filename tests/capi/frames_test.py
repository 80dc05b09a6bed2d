import builtins
import io
import sys
import traceback
import types
import weakref

import frames_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def catch(fn, *args):
    try:
        fn(*args)
    except BaseException as e:  # noqa: B902
        return e
    return None


def entries(tb):
    """(file name, line, function) of each traceback entry; this script's
    own frames by base name, since its path differs between runs."""
    out = []
    for fs in traceback.extract_tb(tb):
        name = fs.filename
        if name == __file__:
            name = "<this script>"
        out.append((name, fs.lineno, fs.name))
    return out


# --- PyCode_NewEmpty -------------------------------------------------------------
code = ext.code_new_empty("pkg/mod.pyx", "func", 42)
show("NewEmpty type", type(code).__name__)
show("NewEmpty attrs", (code.co_filename, code.co_name, code.co_qualname, code.co_firstlineno))
show("NewEmpty counts", (code.co_argcount, code.co_posonlyargcount, code.co_kwonlyargcount, code.co_varnames,
                         code.co_freevars, code.co_cellvars))
show("NewEmpty struct", ext.code_fields(code))
show("NewEmpty names", (code.co_names, code.co_nlocals))
show("NewEmpty line 0 first line", ext.code_new_empty("f.pyx", "g", 7).co_firstlineno)
show("NewEmpty non-ASCII", ext.code_new_empty("dïr/ßrc.pyx", "fünc", 3).co_name)

# --- the synthetic traceback (Cython's __Pyx_AddTraceback) ------------------------


def raise_from_c(*spec):
    ext.raise_with_entries(ValueError, "boom", list(spec))


e = catch(raise_from_c, ("func", "pkg/mod.pyx", 42, 42))
show("one entry", entries(e.__traceback__))
show("  exception", (type(e).__name__, str(e)))
formatted = "".join(traceback.format_exception(type(e), e, e.__traceback__))
show("  formatted line", '  File "pkg/mod.pyx", line 42, in func\n' in formatted)
show("  last line", formatted.splitlines()[-1])
synthetic = e.__traceback__.tb_next.tb_next
show("  tb_lineno, tb_lasti", (synthetic.tb_lineno, synthetic.tb_lasti))
show("  tb_frame.f_code.co_name", synthetic.tb_frame.f_code.co_name)
show("  tb_frame.f_globals is module globals", synthetic.tb_frame.f_globals is globals())
show("  tb_next", synthetic.tb_next)

e = catch(raise_from_c, ("inner", "pkg/a.pyx", 10, 12), ("outer", "pkg/b.pyx", 100, 105))
show("two entries (innermost added first)", entries(e.__traceback__))

rows = ext.tb_fields(e.__traceback__)
show("C walks the traceback struct (tb_lineno is computed lazily)", rows)



def deep(n):
    if n == 0:
        raise ValueError("deep")
    deep(n - 1)


e = catch(deep, 300)
rows = ext.tb_fields(e.__traceback__)
show("C walks a 300-deep traceback", (len(rows), rows[-1], rows[1]))

e = catch(raise_from_c, ("noline", "pkg/c.pyx", 77, -1))
show("f_lineno not set: first line", entries(e.__traceback__)[-1])

e = catch(raise_from_c, ("override", "pkg/d.pyx", 5, 500))
show("f_lineno overrides the first line", entries(e.__traceback__)[-1])

e = catch(ext.traceback_add, "zfunc", "zlib/x.c", 99)
show("_PyTraceback_Add", entries(e.__traceback__))
show("  exception", (type(e).__name__, str(e)))

# PyTraceBack_Print of the entries C made (no source lines to print).
e = catch(raise_from_c, ("inner", "pkg/a.pyx", 10, 12), ("outer", "pkg/b.pyx", 100, 105))
out = io.StringIO()
ext.traceback_print(e.__traceback__.tb_next.tb_next, out)
print("PyTraceBack_Print:")
print(out.getvalue(), end="")
out = io.StringIO()
ext.traceback_print(None, out)
show("PyTraceBack_Print(NULL)", out.getvalue())
show("PyTraceBack_Print(non-traceback)", type(catch(ext.traceback_print, 42, io.StringIO())).__name__)
saved_limit = getattr(sys, "tracebacklimit", None)
sys.tracebacklimit = 1
out = io.StringIO()
ext.traceback_print(e.__traceback__.tb_next.tb_next, out)
show("PyTraceBack_Print with tracebacklimit 1", out.getvalue())
sys.tracebacklimit = 0
out = io.StringIO()
ext.traceback_print(e.__traceback__.tb_next.tb_next, out)
show("PyTraceBack_Print with tracebacklimit 0", out.getvalue())
if saved_limit is None:
    del sys.tracebacklimit
else:
    sys.tracebacklimit = saved_limit


# PyTraceBack_Here for a real Python frame.
def here():
    ext.raise_here(sys._getframe())


e = catch(here)
names = [n for (_, _, n) in entries(e.__traceback__)]
show("PyTraceBack_Here(current frame)", names)
show("  exception", (type(e).__name__, e.args))
show("PyTraceBack_Here without error", ext.here_without_error(sys._getframe()))

# --- frames made by PyFrame_New ---------------------------------------------------
g = {"__name__": "fake"}
f, line = ext.frame_new(code, g, None, -1)
show("PyFrame_New type, line", (type(f).__name__, line))
line, lasti, fcode, back, locs, glob, blt, gen = ext.frame_info(f)
show("  line, lasti", (line, lasti))
show("  code is code", fcode is code)
show("  back", back)
show("  locals", locs)
show("  globals is g", glob is g)
show("  builtins is builtins.__dict__", blt is builtins.__dict__)
show("  generator", gen)
show("  g unchanged", sorted(g))
show("PyFrame_New + f_lineno", ext.frame_new(code, g, None, 1234)[1])
loc = {"k": 1}
f, _ = ext.frame_new(code, g, loc, -1)
show("PyFrame_New with locals: locals unchanged", loc)
show("  f_locals is the mapping", f.f_locals is loc)
show("  PyFrame_GetLocals", ext.frame_info(f)[4] is loc)
show("PyFrame_New globals not a dict", type(catch(ext.frame_new, code, [], None, -1)).__name__)


def a_function(x, y):
    return x + y


f, _ = ext.frame_new(a_function.__code__, g, None, -1)
info = ext.frame_info(f)
show("PyFrame_New(function's code): line, lasti", info[:2])
show("  code name and file", (info[2].co_name, info[2].co_filename == __file__))
show("  f_code is the code", f.f_code is a_function.__code__)
show("  f_code.co_argcount, co_varnames", (f.f_code.co_argcount, f.f_code.co_varnames))
show("  f_lineno is the first line", f.f_lineno == a_function.__code__.co_firstlineno)
show("  f_globals is g, f_back", (f.f_globals is g, f.f_back))
show("  PyFrame_GetLocals", info[4])
show("  g unchanged", sorted(g))
loc = {"x": 1}
f, _ = ext.frame_new(a_function.__code__, g, loc, -1)
show("  with locals: PyFrame_GetLocals", ext.frame_info(f)[4])
f, _ = ext.frame_new(code, g, None, -1)
show("PyFrame_New(empty code): f_code, f_lineno, f_back, f_locals",
     (f.f_code is code, f.f_lineno, f.f_back, f.f_locals))


def a_generator(a, b):
    yield a + b


f, _ = ext.frame_new(a_generator.__code__, g, None, -1)
show("PyFrame_New(generator's code): co_argcount, co_varnames, line",
     (f.f_code.co_argcount, f.f_code.co_varnames, ext.frame_info(f)[0] == a_generator.__code__.co_firstlineno))

# --- accessors on Python frames ---------------------------------------------------


def outer():
    return inner(1, 2)


def inner(a, b):
    c = a + b
    frame = sys._getframe()
    return ext.frame_info(frame), frame, c


(line, lasti, fcode, back, locs, glob, blt, gen), frame, _ = outer()
show("Python frame: line is the frame_info call", line == inner.__code__.co_firstlineno + 3)
show("  lasti >= 0", lasti >= 0)
show("  code is inner's", fcode is inner.__code__)
show("  back is outer's frame", back.f_code is outer.__code__)
show("  locals", sorted((k, v) for k, v in locs.items() if k != "frame"))
show("  globals", glob is globals())
show("  builtins", blt is builtins.__dict__)
show("  generator", gen)
show("FastToLocals", ext.fast_to_locals(frame))


def gen_function():
    yield ext.frame_info(sys._getframe())




def walk_a():
    return walk_b()


def walk_b():
    v = 1

    def walk_c():
        return ext.walk(sys._getframe()), v

    return walk_c()[0]


show("walking frames with PyFrame_GetBack", walk_a()[:3])
gen_obj = gen_function()
info = next(gen_obj)
show("generator frame: generator is the generator", info[7] is gen_obj)
show("frame_info(non-frame)", type(catch(ext.frame_info, 42)).__name__)

# --- a frame's pointer while the frame lives ---------------------------------------
# A profiler keys its data on the PyFrameObject * (yappi); only booleans are
# printed, as the numbers of events may differ.


def leaf(n):
    return n + 1


def middle(n):
    total = 0
    for i in range(n):
        total += leaf(i)
    return total


def counting(n):
    for i in range(n):
        yield leaf(i)


def generator_run():
    g = counting(10)
    next(g)
    next(g)
    next(g)
    return g


ext.keyed_start(False, counting.__code__)
middle(3)
kept = generator_run()
r = ext.keyed_stop(kept.gi_frame)
show("profile: the pointer at each return is the one at its call", r[0] > 0 and r[1] == r[0])
show("profile: a generator's frame keeps its pointer across resumes", r[4] >= 6 and r[5] == r[4])
show("  and it is gi_frame's", r[6])
del kept


class Step:
    def __await__(self):
        yield


async def coroutine_work():
    await Step()
    await Step()
    return 1


c = coroutine_work()
ext.keyed_start(False, coroutine_work.__code__)
c.send(None)
c.send(None)
r = ext.keyed_stop(c.cr_frame)
show("profile: a coroutine's frame keeps its pointer across awaits, and it is cr_frame's", (r[4] >= 4 and r[5] == r[4], r[6]))
show("  the coroutine ends", catch(c.send, None).__class__.__name__)

ext.keyed_start(True, None)
middle(3)
r = ext.keyed_stop(None)
show("trace: the pointer at each line is the one at its call", r[2] > 0 and r[3] == r[2])
show("trace: the pointer at each return is the one at its call", r[0] > 0 and r[1] == r[0])


def asks_twice():
    first = ext.caller_frame_address()
    second = ext.caller_frame_address()
    return first == second, ext.address_of(sys._getframe()) == first


show("PyEval_GetFrame twice in one frame, and the frame handed to C", asks_twice())


class Local:
    pass


def holds_a_local():
    o = Local()
    return weakref.ref(o)


ext.keyed_start(False, None)
ref = holds_a_local()
alive = ref() is not None
ext.keyed_stop(None)
show("profile: a local outlives its function's return", alive)

f, _ = ext.frame_new(code, g, None, 1234)
show("PyFrame_New + f_lineno, read in a later call", ext.frame_info(f)[0])
del f

# --- PyCode_New* --------------------------------------------------------------------


def new_code(posonly_variant, **kw):
    args = dict(argcount=2, posonly=1, kwonly=1, nlocals=4, stacksize=3, flags=3, code=b"", consts=(None,),
                names=("n",), varnames=("a", "b", "c", "x"), freevars=(), cellvars=(), filename="gen.pyx",
                name="made", qualname="Cls.made", firstlineno=17, linetable=b"", exctable=b"")
    args.update(kw)
    return ext.code_new(posonly_variant, *args.values())


made = new_code(1)
show("NewWithPosOnlyArgs", (made.co_argcount, made.co_posonlyargcount, made.co_kwonlyargcount, made.co_nlocals,
                            made.co_varnames, made.co_names, made.co_filename, made.co_name, made.co_qualname,
                            made.co_firstlineno, made.co_flags & 0xff, made.co_freevars, made.co_cellvars))
show("  struct", ext.code_fields(made))
fn = types.FunctionType(made, {})
import inspect  # noqa: E402

show("  signature of a function on it", str(inspect.signature(fn)))
made = new_code(0, posonly=5)
show("PyCode_New (no positional-only)", (made.co_argcount, made.co_posonlyargcount, made.co_kwonlyargcount))
show("PyCode_New bad code", type(catch(lambda: new_code(1, code=None))).__name__)
show("PyCode_New bad names", type(catch(lambda: new_code(1, names=[]))).__name__)
show("PyCode_New bad filename", type(catch(lambda: new_code(1, filename=b"x"))).__name__)
show("PyCode_New posonly > argcount", type(catch(lambda: new_code(1, posonly=3))).__name__)
show("PyCode_New negative kwonly", type(catch(lambda: new_code(1, kwonly=-1))).__name__)

# --- code accessors -----------------------------------------------------------------


def closure_maker():
    v = 1

    def inner_closure(p):
        q = p + v
        return q

    return inner_closure


ic = closure_maker()
show("struct of a closure's code", ext.code_fields(ic.__code__)[:6])
show("struct of a function's code", ext.code_fields(a_function.__code__))
show("getters", ext.code_getters(ic.__code__))
show("getters (cells)", ext.code_getters(closure_maker.__code__))
show("Addr2Line(-1) is the first line", ext.addr2line(a_function.__code__, -1) == a_function.__code__.co_firstlineno)
show("Addr2Line agrees with co_lines",
     all(ext.addr2line(a_function.__code__, start) == line
         for start, end, line in a_function.__code__.co_lines() if line is not None))
show("Addr2Location(-1)", ext.addr2location(a_function.__code__, -1)[0:1]
     + tuple(v - a_function.__code__.co_firstlineno if i % 2 == 0 else v
             for i, v in enumerate(ext.addr2location(a_function.__code__, -1)[1:])))
show("Optimize returns the code", ext.code_optimize(a_function.__code__) is a_function.__code__)


def two_yields():
    yield 1
    x = yield 2
    return x


show("YIELD_VALUE then RESUME in PyCode_GetCode", ext.yields_resume(two_yields.__code__))

# A signal handler written in C, due while C raises and adds a traceback
# entry (cysignals): it runs later, and never sees C's pending error.
import signal

previous = signal.signal(signal.SIGUSR1, ext.record_signal)
try:
    ext.raise_with_signal_pending(signal.SIGUSR1, "raised in C")
except ValueError as e:
    show("the error C raised", (repr(e), e.__traceback__.tb_next.tb_frame.f_code.co_name, e.__traceback__.tb_next.tb_lineno))
for _ in range(10):
    pass
signal.signal(signal.SIGUSR1, previous)
show("the handler ran, with no error pending", ext.signal_log())

# The module's frame started an evaluator call of its own (CPython 3.11
# inlines a Python function called from Python, whose frame is then none).
show("_PyFrame_IsEntryFrame of the module's frame", ext.caller_is_entry_frame())

print("DONE")
