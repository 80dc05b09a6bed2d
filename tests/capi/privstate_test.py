import gc
import io
import os
import subprocess
import sys
import tempfile
import threading
import warnings
import weakref
import privstate_ext as ext


def show(label, fn, *args):
    try:
        print(label, repr(fn(*args)))
    except BaseException as e:
        print(label, "raised", type(e).__name__, e)


# --- pystate.h -----------------------------------------------------------------
print("interp (is current, is main)", ext.interp())
print("main module is __main__", ext.main_module() is sys.modules["__main__"])
saved_main = sys.modules.pop("__main__")
show("main module missing", ext.main_module)
sys.modules["__main__"] = saved_main
print("idref flag", ext.idref())
print("thread dict", ext.tstate_dict())
print("prealloc", ext.prealloc())

started, release = threading.Event(), threading.Event()


def worker_frame_marker():
    started.set()
    release.wait(30)


def raiser_marker():
    try:
        raise KeyError("in thread")
    except KeyError:
        started.set()
        release.wait(30)


t = threading.Thread(target=worker_frame_marker)
t.start()
started.wait(30)
frames = ext.current_frames()
print("frames: a dict with both threads", type(frames).__name__, threading.get_ident() in frames, t.ident in frames)
print("frames: this thread's frame", frames[threading.get_ident()].f_code.co_name)
f = frames[t.ident]
names = []
while f is not None:
    names.append(f.f_code.co_name)
    f = f.f_back
print("frames: the worker is in", "worker_frame_marker" in names)
print("frames: same keys as sys._current_frames", sorted(frames) == sorted(sys._current_frames()))
release.set()
t.join()

started.clear()
release.clear()
t = threading.Thread(target=raiser_marker)
t.start()
started.wait(30)
try:
    raise ValueError("here")
except ValueError:
    excs = ext.current_exceptions()
release.set()
t.join()
mine = excs[threading.get_ident()]
print("exceptions: this thread", type(mine).__name__, len(mine), mine[0].__name__, mine[1], mine[2] is mine[1].__traceback__)
other = excs[t.ident]
print("exceptions: the worker", other[0].__name__, other[1])
excs = ext.current_exceptions()
print("exceptions: none handled", excs[threading.get_ident()])

# --- ceval.h ---------------------------------------------------------------------
print("builtin len", ext.get_builtin("len") is len, ext.get_builtin("None"))
show("builtin missing", ext.get_builtin, "no_such_builtin")
print("builtin by id", ext.get_builtin_id())
before = ext.get_switch()
print("switch interval default", before, sys.getswitchinterval())
ext.set_switch(1000)
print("switch interval 1000us", ext.get_switch(), sys.getswitchinterval())
ext.set_switch(250000)
print("switch interval 250000us", ext.get_switch(), sys.getswitchinterval())
sys.setswitchinterval(0.002)
print("switch interval from sys", ext.get_switch())
ext.set_switch(before)
print("switch interval restored", ext.get_switch(), sys.getswitchinterval())


def traced_target(n):
    x = n + 1
    return x


events = []
print("settrace result", ext.set_trace(events, 0))
traced_target(1)
ext.set_trace(None, 0)
traced_target(2)
print("trace events", [e for e in events if e[1] == "traced_target"])
events = []
print("setprofile result", ext.set_trace(events, 1))
traced_target(1)
ext.set_trace(None, 1)
traced_target(3)
print("profile events", [e for e in events if e[1] == "traced_target"])
print("sys.gettrace/getprofile cleared", sys.gettrace(), sys.getprofile())


class Index:
    def __index__(self):
        return 7


for v in [0, 5, -3, 2**70, -2**70, True, Index(), None, 1.5, "3"]:
    show("slice index " + (repr(v) if not isinstance(v, Index) else "Index()"), ext.slice_index, v)

# --- code.h ------------------------------------------------------------------------
print("extra indexes", ext.request_indexes())
code = compile("a = 1", "<extra>", "exec")
show("get unset extra", ext.get_extra, code, 0)
show("get extra beyond the indexes", ext.get_extra, code, 200)
ext.set_extra(code, 11, 0)
ext.set_extra(code, 22, 1)
print("get extras", ext.get_extra(code, 0), ext.get_extra(code, 1))
ext.set_extra(code, 33, 0)
print("replaced extra freed the old one", ext.freed(), ext.get_extra(code, 0))
ext.set_extra(code, 0, 0)
print("set to NULL frees", ext.freed(), ext.get_extra(code, 0))
ext.set_extra(code, 44, 0)
del code
gc.collect()
print("freed with the code object", ext.freed())


def with_extra():
    return 1


ext.set_extra(with_extra.__code__, 55, 0)
print("function's code keeps its extra", ext.get_extra(with_extra.__code__, 0), with_extra())


def error_type(fn, *args):
    try:
        return fn(*args)
    except Exception as e:
        return type(e).__name__


print("set extra on a non-code", error_type(ext.set_extra, "nope", 1, 0))
print("get extra on a non-code", error_type(ext.get_extra, "nope", 0))
print("set extra on an index not handed out", error_type(ext.set_extra, with_extra.__code__, 1, 250))
print("set extra on a negative index", error_type(ext.set_extra, with_extra.__code__, 1, -1))
print("no more indexes", ext.exhaust_indexes())


class FloatSub(float):
    pass


class Plain:
    pass


for v in [None, ..., 1, "s", True, False, b"b", 1.0, 0.0, -0.0, float("inf"), 1j, 0j,
          complex(0.0, -0.0), complex(-0.0, 0.0), complex(-0.0, -0.0), (1, 2.0, -0.0), (), ((1, -0.0),),
          frozenset(), frozenset({-0.0})]:
    print("constant key", repr(v), repr(ext.constant_key(v)))
co = compile("1", "<k>", "eval")
print("constant key code", ext.constant_key(co) is co)
for v in [[1], Plain(), FloatSub(2.0), slice(1, 2)]:
    k = ext.constant_key(v)
    print("constant key by identity", type(v).__name__, type(k).__name__, len(k), k[0] == id(v), k[1] is v)
k = ext.constant_key((FloatSub(3.0),))
print("constant key nested identity", k[0][0][0] == id(k[1][0]), k[1])

# --- pyerrors.h --------------------------------------------------------------------
print("check signals", ext.check_signals())
print("exc info, none handled", ext.exc_info())
print("handled, none", ext.get_handled())
try:
    raise IndexError("handled one")
except IndexError as e:
    info = ext.exc_info()
    print("exc info", info[0].__name__, info[1] is e, info[2] is e.__traceback__)
    print("handled", ext.get_handled() is e)
mark = OSError("set from C")
print("set handled, seen by sys.exc_info", ext.with_handled(mark, lambda: sys.exc_info()[1] is mark))
print("set handled, seen through the tstate", ext.with_handled(mark, lambda: ext.get_handled() is mark))
print("set handled, restored", sys.exc_info())
try:
    raise KeyError("outer")
except KeyError as outer:
    print("set handled to NULL", ext.with_handled(None, lambda: sys.exc_info()))
    print("restored outer", sys.exc_info()[1] is outer)


class Sub(ValueError):
    pass


class WithInit(ValueError):
    def __init__(self, *args):
        super().__init__(*args)


class WithNew(ValueError):
    def __new__(cls, *args):
        return super().__new__(cls, *args)


with_attr = ValueError("has attr")
with_attr.extra = 1
with_note = ValueError("noted")
with_note.add_note("a note")
for exc in [ValueError("boom"), ValueError(), ValueError(1, 2), TypeError("t"), Sub("sub"), WithInit("init"),
            WithNew("new"), with_attr, with_note, KeyError("k"), OSError(2, "nofile"), StopIteration(3),
            UnicodeDecodeError("utf-8", b"\xff", 0, 1, "bad"), SystemExit(3)]:
    returned_pending, returned_null, now = ext.try_set_from_cause(exc)
    print("try set from cause", type(exc).__name__, repr(exc.args), "->", returned_pending, returned_null,
          type(now).__name__, repr(now.args), now is exc, now.__cause__ is exc, now.__context__ is exc,
          now.__suppress_context__)

tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "lines.txt")
with open(path, "wb") as f:
    f.write(b"line1\n  caf\xe9 x\n\tthird\r\nlast")
for enc in [None, "latin-1", "utf-8", "ascii", "no-such-codec"]:
    print("decoded text", enc, [ext.decoded_text(path, n, enc) for n in [0, 1, 2, 3, 4, 5]])
print("decoded text, missing file", ext.decoded_text(os.path.join(tmp, "missing"), 1, None))

e = ext.translate_error("abc", 1, 2, "why")
print("translate error", type(e).__name__, e.object, e.start, e.end, e.reason, str(e))
show("translate error, bad object", ext.translate_error, 5, 0, 1, "r")

code = ("import sys; sys.path.insert(0, %r); import privstate_ext; privstate_ext.fatal_format(%d)")
for with_func in [1, 0]:
    proc = subprocess.run([sys.executable, "-c", code % (os.path.dirname(ext.__file__), with_func)],
                          capture_output=True, text=True, timeout=60)
    print("fatal error format", proc.returncode, proc.stderr.splitlines()[0] if proc.stderr else None)

# --- genobject.h ---------------------------------------------------------------------
log = []


def gen():
    try:
        yield 1
        yield 2
    finally:
        log.append("finally ran")


g = gen()
next(g)
ext.gen_finalize(g)
print("finalize a suspended generator", log, g.gi_frame)
show("it is exhausted", next, g)
log.clear()
g = gen()
ext.gen_finalize(g)
print("finalize an unstarted generator", log)
show("unstarted is exhausted", next, g)
g = gen()
list(g)
log.clear()
ext.gen_finalize(g)
print("finalize a finished generator", log)


def stubborn():
    try:
        yield 1
    finally:
        yield 2


unraisable = []
old_hook = sys.unraisablehook
sys.unraisablehook = lambda u: unraisable.append((type(u.exc_value).__name__, str(u.exc_value)))
g = stubborn()
next(g)
ext.gen_finalize(g)
sys.unraisablehook = old_hook
print("finalize a generator that yields in finally", unraisable)


async def coro():
    return 1


c = coro()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    ext.gen_finalize(c)
print("finalize an unawaited coroutine", [(w.category.__name__, str(w.message)) for w in caught])
show("then it is closed", c.send, None)
g = gen()
next(g)
show("finalize keeps a pending error", ext.gen_finalize_keeps_error, g)
print("and still closed the generator", log[-1:])

# --- weakrefobject.h -----------------------------------------------------------------


class Target:
    pass


obj = Target()
print("weakref count of NULL", ext.weakref_count(None))
basic = weakref.ref(obj)
print("weakref count, one", ext.weakref_count(basic))
with_callback = weakref.ref(obj, lambda r: None)
proxy = weakref.proxy(obj)
print("weakref count, three from the head", ext.weakref_count(basic), weakref.getweakrefcount(obj))
del with_callback
print("weakref count, two", ext.weakref_count(basic))

# --- traceback.h -----------------------------------------------------------------------
src = os.path.join(tmp, "src_lines.py")
with open(src, "wb") as f:
    f.write(b"# -*- coding: latin-1 -*-\n\x0c \tcaf\xe9 = 1\n\n    spaced   \nno_newline")
for lineno, indent in [(1, 0), (2, 2), (3, 4), (4, 4), (4, 1), (5, 3), (6, 0), (0, 0)]:
    out = io.StringIO()
    print("display line", lineno, indent, ext.display_line(out, src, lineno, indent, 1), repr(out.getvalue()))
out = io.StringIO()
print("display line, no out params", ext.display_line(out, src, 2, 0, 0), repr(out.getvalue()))
sys.path.insert(0, tmp)
out = io.StringIO()
print("display line found on sys.path", ext.display_line(out, "elsewhere/src_lines.py", 2, 0, 1), repr(out.getvalue()))
sys.path.remove(tmp)
print("display line, missing file", ext.display_line(io.StringIO(), os.path.join(tmp, "nope.py"), 1, 0, 1))
show("display line, not a file", ext.display_line, object(), src, 2, 0, 1)

# --- fileobject.h ------------------------------------------------------------------------
print("fd converter", ext.fd_converter(3), ext.fd_converter(sys.stdout))
show("fd converter, negative", ext.fd_converter, -1)
show("fd converter, bad type", ext.fd_converter, "x")
show("fd converter, float", ext.fd_converter, 1.5)
with open(path, "rb") as f:
    print("fd converter through O&", ext.fd_parse(f) == f.fileno())
show("fd converter through O&, bad", ext.fd_parse, None)
print("DONE")
