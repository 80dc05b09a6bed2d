import builtins
import io
import os
import sys
import traceback
import types
import warnings

import errors_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def catch(fn, *args):
    try:
        fn(*args)
    except BaseException as e:  # noqa: B902 - SystemExit etc. are raised on purpose
        return e
    return None


def err(label, fn, *args, message=False):
    e = catch(fn, *args)
    if e is None:
        print(f"{label}: no exception")
    else:
        line = f"{label}: raised {type(e).__name__}"
        if message:
            line += f" {str(e)!r}"
        print(line)
    return e


def tname(x):
    return None if x is None else (x.__name__ if isinstance(x, type) else type(x).__name__)


def tb_names(tb):
    return [fs.name for fs in traceback.extract_tb(tb)]


stored = []


def raiser():
    e = ValueError("from callback")
    stored.append(e)
    raise e


def key_raiser():
    raise KeyError("kk")


# --- PyErr_SetString -----------------------------------------------------------
e = err("SetString ValueError", ext.set_string, ValueError, "boom", message=True)
show("  args", e.args)
show("  __context__/__cause__", (e.__context__, e.__cause__, e.__suppress_context__))
show("  __traceback__ names", tb_names(e.__traceback__))
e = err("SetString KeyError", ext.set_string, KeyError, "k")
show("  args", e.args)
e = err("SetString non-ASCII", ext.set_string, RuntimeError, "héllo €", message=True)
e = err("SetString MyError", ext.set_string, ext.MyError, "mine", message=True)
e = err("SetString empty", ext.set_string, ValueError, "", message=True)
e = err("SetString non-exception type", ext.set_string, int, "x", message=True)
e = err("SetString non-type", ext.set_string, 42, "x", message=True)
try:
    raise KeyError("handled")
except KeyError as handled:
    e = catch(ext.set_string, ValueError, "in handler")
    show("SetString inside except: __context__ is handled", e.__context__ is handled)
    show("  __suppress_context__", e.__suppress_context__)
e = err("SetString twice", ext.set_twice, message=True)
show("  first error not chained", e.__context__)

# --- PyErr_SetObject / SetNone --------------------------------------------------
show("SetObject str args", catch(ext.set_object, ValueError, "s").args)
show("SetObject tuple args (unpacked)", catch(ext.set_object, ValueError, (1, 2)).args)
show("SetObject empty tuple args", catch(ext.set_object, ValueError, ()).args)
show("SetObject KeyError tuple (unpacked)", catch(ext.set_object, KeyError, (1, 2)).args)
show("SetObject None args", catch(ext.set_object, ValueError, None).args)
show("SetObject int args", catch(ext.set_object, ValueError, 5).args)
show("SetObject list args", catch(ext.set_object, ValueError, [1]).args)
inst = ValueError("inst")
show("SetObject instance: same object", catch(ext.set_object, ValueError, inst) is inst)
kinst = KeyError("sub")
e = catch(ext.set_object, LookupError, kinst)
show("SetObject subclass instance: same object", e is kinst)
e = catch(ext.set_object, ValueError, kinst)
show("SetObject unrelated instance: wrapped",
     (type(e).__name__, e is kinst, e.args[0] is kinst))
e = catch(ext.set_object, OSError, (2, "No such file"))
show("SetObject OSError errno mapping", (type(e).__name__, e.errno, e.strerror))
show("SetObject StopIteration value", catch(ext.set_object, StopIteration, 7).value)
show("SetObject MyError", (type(catch(ext.raise_my_error, "m")).__name__,
                           catch(ext.raise_my_error, "m").args))
show("SetObject NULL value args", catch(ext.set_object_null, ValueError).args)
e = catch(ext.set_none, ValueError)
show("SetNone", (type(e).__name__, e.args))
e = catch(ext.set_none, StopIteration)
show("SetNone StopIteration value", e.value)
e = catch(ext.set_none, KeyboardInterrupt)
show("SetNone KeyboardInterrupt (BaseException)", type(e).__name__)
e = err("SetObject non-exception type", ext.set_object, str, "x", message=True)

# --- PyErr_Occurred / Clear ------------------------------------------------------
none_start, occ, none_after = ext.occurred_sequence()
show("Occurred: nothing set", none_start)
show("Occurred: after SetString is the type", occ is KeyError)
show("Occurred: after Clear", none_after)
show("Occurred after Python raise", ext.occurred_after_call(raiser) is ValueError)
show("Occurred after KeyError raise", ext.occurred_after_call(key_raiser) is KeyError)
show("Occurred after Python success", ext.occurred_after_call(lambda: 1))
show("Clear after call", ext.clear_after_call(raiser))

# --- PyErr_Fetch / Restore --------------------------------------------------------------
stored.clear()
t, v, tb, clean = ext.fetch_after_call(raiser)
show("Fetch type", t is ValueError)
show("Fetch value is the raised object", v is stored[0])
show("Fetch tb type", type(tb).__name__)
show("Fetch tb names", tb_names(tb))
show("Fetch cleared the error", clean)
show("Fetch with nothing set", ext.fetch_nothing())
show("Restore(NULL, NULL, NULL) clears", ext.fetch_restore_null())


def run_restore():
    return ext.fetch_restore(raiser)


stored.clear()
e = catch(run_restore)
show("Restore: same exception object reaches Python", e is stored[0])
show("Restore: message", str(e))
show("Restore: traceback names", tb_names(e.__traceback__))
e = catch(ext.restore_made, ValueError, "restored msg")
show("Restore made (type, str)", (type(e).__name__, e.args))
e = catch(ext.restore_made, KeyError, None)
show("Restore made (type, NULL)", (type(e).__name__, e.args))
inst = RuntimeError("r")
show("Restore made (type, instance)", catch(ext.restore_made, RuntimeError, inst) is inst)

# --- Fetch without normalization / PyErr_NormalizeException ------------------------------
t, v, tb = ext.fetch_raw(ValueError, "raw message")
show("Fetch after SetString (raw)", (tname(t), type(v).__name__, v, tb))
t, v, tb = ext.fetch_raw(ValueError, None)
show("Fetch after SetNone (raw)", (tname(t), v, tb))
t, v, tb = ext.fetch_raw(ValueError, (1, 2))
show("Fetch after SetObject tuple (raw)", (tname(t), v, tb))
inst = ValueError("i")
t, v, tb = ext.fetch_raw(ValueError, inst)
show("Fetch after SetObject instance (raw)", (tname(t), v is inst, tb))
try:
    raise KeyError("ctx")
except KeyError as handled:
    t, v, tb = ext.fetch_raw(ValueError, "in handler")
    show("Fetch after SetString in handler (normalized for chaining)",
         (tname(t), type(v).__name__, v.args, v.__context__ is handled))

t, v, tb = ext.fetch_normalized(ValueError, "norm")
show("Normalize after SetString", (tname(t), type(v).__name__, v.args, tb))
t, v, tb = ext.fetch_normalized(ValueError, None)
show("Normalize after SetNone", (tname(t), type(v).__name__, v.args, tb))
t, v, tb = ext.fetch_normalized(ValueError, (1, 2))
show("Normalize after SetObject tuple", (tname(t), type(v).__name__, v.args))
t, v, tb = ext.fetch_normalized(KeyError, "k")
show("Normalize KeyError", (tname(t), type(v).__name__, v.args))
t, v, tb = ext.fetch_normalized(ext.MyError, "m")
show("Normalize MyError", (tname(t), type(v).__name__, v.args))

t, v, tb = ext.normalize_given(ValueError, "given")
show("Normalize (ValueError, str)", (tname(t), type(v).__name__, v.args, tb))
t, v, tb = ext.normalize_given(ValueError, None)
show("Normalize (ValueError, NULL)", (tname(t), type(v).__name__, v.args))
t, v, tb = ext.normalize_given(LookupError, kinst)
show("Normalize (LookupError, KeyError inst): type becomes KeyError",
     (tname(t), v is kinst))
t, v, tb = ext.normalize_given(ValueError, kinst)
show("Normalize (ValueError, KeyError inst): wrapped", (tname(t), type(v).__name__,
                                                       v.args[0] is kinst))
t, v, tb = ext.normalize_given(OSError, (2, "x"))
show("Normalize (OSError, (2, 'x')): type stays OSError", (tname(t), type(v).__name__))
t, v, tb = ext.normalize_given(UnicodeDecodeError, "bad")
show("Normalize with failing constructor", (tname(t), type(v).__name__))

# --- PyErr_ExceptionMatches / GivenExceptionMatches -------------------------------------
show("ExceptionMatches KeyError vs LookupError", ext.exception_matches(KeyError, LookupError))
show("ExceptionMatches KeyError vs KeyError", ext.exception_matches(KeyError, KeyError))
show("ExceptionMatches KeyError vs ValueError", ext.exception_matches(KeyError, ValueError))
show("ExceptionMatches tuple", ext.exception_matches(KeyError, (ValueError, LookupError)))
show("ExceptionMatches tuple miss", ext.exception_matches(KeyError, (ValueError, TypeError)))
show("ExceptionMatches nested tuple", ext.exception_matches(KeyError, (ValueError, (TypeError, KeyError))))
show("ExceptionMatches empty tuple", ext.exception_matches(KeyError, ()))
show("ExceptionMatches MyError vs Exception", ext.exception_matches(ext.MyError, Exception))
show("ExceptionMatches MySubError vs MyError", ext.exception_matches(ext.MySubError, ext.MyError))
show("ExceptionMatches MyError vs MySubError", ext.exception_matches(ext.MyError, ext.MySubError))
show("ExceptionMatches instance raised", ext.exception_matches(KeyError("x"), LookupError))
show("ExceptionMatches KeyboardInterrupt vs Exception",
     ext.exception_matches(KeyboardInterrupt, Exception))
show("ExceptionMatches KeyboardInterrupt vs BaseException",
     ext.exception_matches(KeyboardInterrupt, BaseException))
show("ExceptionMatches StopIteration vs Exception", ext.exception_matches(StopIteration, Exception))
show("ExceptionMatches nothing set", ext.exception_matches_nothing_set(ValueError))
show("GivenMatches class/class", ext.given_matches(KeyError, LookupError))
show("GivenMatches class/unrelated", ext.given_matches(KeyError, ValueError))
show("GivenMatches instance/class", ext.given_matches(KeyError("x"), LookupError))
show("GivenMatches instance/unrelated", ext.given_matches(KeyError("x"), TypeError))
show("GivenMatches NULL given", ext.given_matches(None, ValueError))
show("GivenMatches same", ext.given_matches(ValueError, ValueError))
show("GivenMatches tuple", ext.given_matches(ValueError, (KeyError, ValueError)))
show("GivenMatches nested tuple", ext.given_matches(ValueError, ((KeyError,), (ValueError,))))
show("GivenMatches instance/tuple", ext.given_matches(ValueError("v"), (KeyError, Exception)))
show("GivenMatches empty tuple", ext.given_matches(ValueError, ()))
show("GivenMatches subclass via OSError alias", ext.given_matches(FileNotFoundError, IOError))
show("GivenMatches non-exception classes same", ext.given_matches(int, int))
show("GivenMatches non-exception subclass", ext.given_matches(bool, int))
show("GivenMatches exc is instance", ext.given_matches(KeyError, KeyError("x")))

# --- canned errors --------------------------------------------------------------------
e = err("NoMemory", ext.no_memory)
show("  args", e.args)
show("  is MemoryError", type(e) is MemoryError)
err("BadArgument", ext.bad_argument, message=True)
e = err("BadInternalCall", ext.bad_internal_call)
show("  message ending", str(e).endswith("bad argument to internal function"))
show("  message names the C file (macro passes __FILE__)", "errors_ext.c:" in str(e))
e = err("SetFromErrno ENOENT", ext.set_from_errno, OSError, 2, None)
show("  errno/strerror/filename", (e.errno, e.strerror, e.filename))
e = err("SetFromErrno EACCES", ext.set_from_errno, OSError, 13, None)
show("  errno/strerror", (e.errno, e.strerror))
e = err("SetFromErrnoWithFilenameObject", ext.set_from_errno, OSError, 2, "missing.txt")
show("  errno/filename", (e.errno, e.filename))
show("  str", str(e))
e = err("SetFromErrnoWithFilename", ext.set_from_errno_filename, 17, "exists.txt")
show("  errno/filename", (e.errno, e.filename))
e = err("SetFromErrno with ValueError", ext.set_from_errno, ValueError, 2, None)
show("  args", e.args)
# With an error already set: OSError keeps it where no subclass matches the
# errno; otherwise the made instance is a result with an exception set.
for exc_type, code in ((OSError, 9), (OSError, 2), (ValueError, 9)):
    e = err(f"SetFromErrno({exc_type.__name__}, {code}) with an error set", ext.set_from_errno_pending, exc_type, code, message=True)
    show("  cause", repr(e.__cause__))

# --- PyErr_NewException / NewExceptionWithDoc -------------------------------------------
M = ext.MyError
show("MyError __name__/__qualname__/__module__", (M.__name__, M.__qualname__, M.__module__))
show("MyError __bases__", M.__bases__ == (Exception,))
show("MyError __doc__", M.__doc__)
show("MyError repr", repr(M))
show("MyError instance str", str(M("a", 1)))
e = catch(ext.raise_my_error, "payload")
show("raise MyError caught as Exception", isinstance(e, Exception) and type(e) is M)
S = ext.MySubError
show("MySubError doc/bases/module", (S.__doc__, S.__bases__ == (M,), S.__module__))
show("MySubError instance of MyError", isinstance(S(), M))

E = ext.new_exception("pkg.mod.Err", ValueError, None)
show("new: dotted name", (E.__name__, E.__qualname__, E.__module__, E.__bases__ == (ValueError,)))
show("new: type", type(E) is type)


class Mixin:
    def hello(self):
        return "mixin"


E = ext.new_exception("m.TupleBase", (KeyError, Mixin), None)
show("new: tuple base", [b.__name__ for b in E.__bases__])
show("new: mixin method", E().hello())
show("new: mro", [c.__name__ for c in E.__mro__])
d = {"attr": 5}
E = ext.new_exception("m.WithDict", None, d)
show("new: dict attr", E.attr)
show("new: NULL base is Exception", E.__bases__ == (Exception,))
show("new: caller's dict gets __module__", sorted(d))
d = {"__module__": "custom"}
E = ext.new_exception("m.KeepsModule", None, d)
show("new: __module__ from dict kept", E.__module__)
E = ext.new_exception("a.b.c.Deep", None, None)
show("new: module part", E.__module__)
err("new: name without dot", ext.new_exception, "nodot", None, None, message=True)
E = ext.new_exception_with_doc("m.Documented", "The doc.", None, None)
show("withdoc: __doc__/__module__/__name__", (E.__doc__, E.__module__, E.__name__))
E = ext.new_exception_with_doc("m.NoDoc", None, ValueError, None)
show("withdoc: NULL doc", (E.__doc__, E.__bases__ == (ValueError,)))
d = {"x": 1}
E = ext.new_exception_with_doc("m.DocDict", "D.", (TypeError,), d)
show("withdoc: dict/base", (E.x, E.__bases__ == (TypeError,), E.__doc__))
show("withdoc: caller's dict gets __doc__ and __module__", sorted(d))
err("withdoc: name without dot", ext.new_exception_with_doc, "nodot", "d", None, None,
    message=True)

# --- PyErr_WriteUnraisable --------------------------------------------------------------
caught = []
old_hook = sys.unraisablehook
sys.unraisablehook = caught.append
target = object()
ok = ext.write_unraisable(ValueError, "lost error", target)
sys.unraisablehook = old_hook
show("WriteUnraisable: no error afterwards", ok)
show("WriteUnraisable: hook calls", len(caught))
u = caught[0]
show("WriteUnraisable: exc_type", u.exc_type.__name__)
show("WriteUnraisable: exc_value", (type(u.exc_value).__name__, str(u.exc_value)))
show("WriteUnraisable: err_msg", u.err_msg)
show("WriteUnraisable: object is the one passed", u.object is target)
show("WriteUnraisable: exc_traceback type", type(u.exc_traceback).__name__)

caught.clear()
sys.unraisablehook = caught.append
ext.write_unraisable(KeyError, "no obj", None)
sys.unraisablehook = old_hook
show("WriteUnraisable NULL obj: object", caught[0].object)
show("WriteUnraisable NULL obj: exc", (caught[0].exc_type.__name__, caught[0].exc_value.args))

caught.clear()
stored.clear()
sys.unraisablehook = caught.append
ok = ext.write_unraisable_from_call(raiser, "obj-string")
sys.unraisablehook = old_hook
show("WriteUnraisable after call: no error afterwards", ok)
show("WriteUnraisable after call: value is the raised object", caught[0].exc_value is stored[0])
show("WriteUnraisable after call: object", caught[0].object)
show("WriteUnraisable after call: tb names", tb_names(caught[0].exc_traceback))
caught.clear()

buf = io.StringIO()
old_stderr = sys.stderr
sys.stderr = buf
ext.write_unraisable(RuntimeError, "to stderr", None)
sys.stderr = old_stderr
lines = buf.getvalue().splitlines()
show("WriteUnraisable default hook: last line", lines[-1] if lines else None)

# --- PyErr_Print / PrintEx -----------------------------------------------------------------
for name in ("last_type", "last_value", "last_traceback"):
    if hasattr(sys, name):
        delattr(sys, name)
buf = io.StringIO()
sys.stderr = buf
ok = ext.err_print(ValueError, "printed without last vars", False)
sys.stderr = old_stderr
lines = buf.getvalue().splitlines()
show("PrintEx(0): error cleared", ok)
show("PrintEx(0): last line", lines[-1])
show("PrintEx(0): sys.last_type exists", hasattr(sys, "last_type"))

buf = io.StringIO()
sys.stderr = buf
ok = ext.err_print(KeyError, "printed", None)
sys.stderr = old_stderr
lines = buf.getvalue().splitlines()
show("Print: error cleared", ok)
show("Print: last line contains message", "printed" in lines[-1])
show("Print: last line", lines[-1])
show("Print: sys.last_type", sys.last_type is KeyError)
show("Print: sys.last_value", (type(sys.last_value).__name__, sys.last_value.args))

stored.clear()
buf = io.StringIO()
sys.stderr = buf
ext.err_print_from_call(raiser)
sys.stderr = old_stderr
out = buf.getvalue()
lines = out.splitlines()
show("Print after call: header", lines[0])
show("Print after call: mentions callback frame", "in raiser" in out)
show("Print after call: last line", lines[-1])
show("Print after call: sys.last_value is the raised object", sys.last_value is stored[0])

hooked = []
old_excepthook = sys.excepthook
sys.excepthook = lambda *a: hooked.append(a)
ext.err_print(ValueError, "to excepthook", True)
sys.excepthook = old_excepthook
show("Print calls sys.excepthook", len(hooked))
ht, hv, htb = hooked[0]
show("  excepthook args", (ht.__name__, type(hv).__name__, hv.args, htb))

# --- PyException_* accessors ---------------------------------------------------------------
try:
    raiser()
except ValueError as caught_exc:
    ex = caught_exc
show("GetTraceback is __traceback__", ext.get_traceback(ex) is ex.__traceback__)
show("GetTraceback on fresh exception", ext.get_traceback(ValueError()))
saved_tb = ex.__traceback__
show("SetTraceback None", ext.set_traceback(ex, None))
show("  __traceback__ now", ex.__traceback__)
# CPython returns None here and NULL for a fresh exception; RustPython stores no
# difference between the two, so cpyext returns NULL (docs/differences.md).
show("  GetTraceback now is None or NULL", ext.get_traceback(ex) in (None, "<NULL>"))
show("SetTraceback tb", ext.set_traceback(ex, saved_tb))
show("  restored", ex.__traceback__ is saved_tb)
err("SetTraceback non-traceback", ext.set_traceback, ex, 5)
show("  unchanged after failure", ex.__traceback__ is saved_tb)

a, b = ValueError("a"), KeyError("b")
show("GetCause fresh", ext.get_cause(a))
show("__suppress_context__ fresh", a.__suppress_context__)
ext.set_cause(a, b)
show("SetCause", a.__cause__ is b)
show("GetCause", ext.get_cause(a) is b)
show("SetCause sets __suppress_context__", a.__suppress_context__)
ext.set_cause(a, None)
show("SetCause NULL", (a.__cause__, ext.get_cause(a), a.__suppress_context__))
try:
    try:
        raise b
    except KeyError as inner:
        raise a from inner
except ValueError:
    pass
show("GetCause after raise-from", ext.get_cause(a) is b)

c, d = ValueError("c"), KeyError("d")
show("GetContext fresh", ext.get_context(c))
ext.set_context(c, d)
show("SetContext", c.__context__ is d)
show("GetContext", ext.get_context(c) is d)
show("SetContext leaves __suppress_context__", c.__suppress_context__)
ext.set_context(c, None)
show("SetContext NULL", (c.__context__, ext.get_context(c)))
try:
    try:
        raise d
    except KeyError:
        raise ValueError("implicit")
except ValueError as outer:
    implicit = outer
show("GetContext implicit chaining", ext.get_context(implicit) is d)
show("GetCause implicit chaining", ext.get_cause(implicit))

# --- PyErr_GetExcInfo / PyErr_GetHandledException --------------------------------------------
show("GetExcInfo outside handler", ext.get_exc_info())
show("GetHandledException outside handler", ext.get_handled())
try:
    raise KeyError("handled now")
except KeyError as h:
    t, v, tb = ext.get_exc_info()
    show("GetExcInfo in handler", (t is KeyError, v is h, tb is h.__traceback__))
    show("GetHandledException in handler", ext.get_handled() is h)

    def nested():
        return ext.get_exc_info()[1]
    show("GetExcInfo from a function called in handler", nested() is h)
show("GetExcInfo after handler", ext.get_exc_info())

# --- PyErr_WarnEx --------------------------------------------------------------------------


def warn_here(level):
    return ext.warn(UserWarning, "careful", level)


with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    ext.warn(UserWarning, "top-level warning", 1)
    warn_here(1)
    warn_here(2)
    ext.warn(DeprecationWarning, "deprecated", 1)
show("WarnEx count", len(w))
show("WarnEx categories", [x.category.__name__ for x in w])
show("WarnEx messages", [str(x.message) for x in w])
show("WarnEx filenames", [os.path.basename(x.filename) for x in w])
show("WarnEx stacklevel 2 points at caller", w[2].lineno != w[1].lineno)
with warnings.catch_warnings():
    warnings.simplefilter("error")
    err("WarnEx as error", ext.warn, RuntimeWarning, "now an error", 1, message=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    show("WarnEx ignored", ext.warn(UserWarning, "ignored", 1))

# --- the PyExc_* objects ---------------------------------------------------------------------
NAMES = [
    "BaseException", "Exception", "BaseExceptionGroup",
    "ArithmeticError", "AssertionError", "AttributeError",
    "BlockingIOError", "BrokenPipeError", "BufferError",
    "ChildProcessError", "ConnectionAbortedError", "ConnectionError",
    "ConnectionRefusedError", "ConnectionResetError", "EOFError",
    "EnvironmentError", "FileExistsError", "FileNotFoundError",
    "FloatingPointError", "GeneratorExit", "IOError", "ImportError",
    "IndentationError", "IndexError", "InterruptedError",
    "IsADirectoryError", "KeyError", "KeyboardInterrupt",
    "LookupError", "MemoryError", "ModuleNotFoundError", "NameError",
    "NotADirectoryError", "NotImplementedError", "OSError",
    "OverflowError", "PermissionError", "ProcessLookupError",
    "RecursionError", "ReferenceError", "RuntimeError",
    "StopAsyncIteration", "StopIteration", "SyntaxError",
    "SystemError", "SystemExit", "TabError", "TimeoutError",
    "TypeError", "UnboundLocalError", "UnicodeDecodeError",
    "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
    "ValueError", "ZeroDivisionError",
    "Warning", "BytesWarning", "DeprecationWarning", "EncodingWarning",
    "FutureWarning", "ImportWarning", "PendingDeprecationWarning",
    "ResourceWarning", "RuntimeWarning", "SyntaxWarning",
    "UnicodeWarning", "UserWarning",
]
objs = ext.exc_types()
show("exc_types count", (len(objs), len(NAMES)))
mismatches = [n for n, o in zip(NAMES, objs) if getattr(builtins, n) is not o]
show("PyExc_* identical to builtins", mismatches)
show("PyExc_EnvironmentError/IOError are OSError", objs[15] is OSError and objs[20] is OSError)
show("exc_types all types", all(isinstance(o, type) for o in objs))

# PyErr_SetString(type, "raised from C") for every builtin exception type
results = []
for n, o in zip(NAMES, objs):
    e = catch(ext.raise_each, o)
    results.append(n if type(e) is o else f"{n}->{type(e).__name__}")
show("SetString with each type", results)
show("SetString message on each", sorted({str(catch(ext.raise_each, o)) for o in objs
                                          if o not in (KeyError, UnicodeDecodeError,
                                                       UnicodeEncodeError, UnicodeTranslateError,
                                                       BaseExceptionGroup)}))
show("module type", type(ext) is types.ModuleType)

print("DONE")
