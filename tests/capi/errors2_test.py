import builtins
import errno
import os
import signal
import sys
import tempfile
import warnings

import errors2_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def catch(fn, *args):
    try:
        fn(*args)
    except BaseException as e:  # noqa: B902
        return e
    return None


def describe(e):
    return None if e is None else (type(e).__name__, str(e))


# --- every PyExc_* object and the hierarchy seen from C -----------------------------
table = ext.exception_table()
show("exception objects", len(table))
for name, obj, matches in table:
    same = obj is getattr(builtins, name)
    print(f"  {name}: builtin={same} matches={matches}")
show("macros on a class", ext.check_macros(ValueError))
show("macros on an instance", ext.check_macros(ValueError("x")))
show("macros on a non-exception", ext.check_macros(int))
show("PyExceptionClass_Name(ValueError)", ext.class_name(ValueError))
show("PyExceptionClass_Name(UnicodeDecodeError)", ext.class_name(UnicodeDecodeError))
show("PyExceptionClass_Name(C's ImportError subclass)", ext.class_name(ext.MyImportError))



def returning_generator(v):
    yield 1
    return v


g = returning_generator(["ret"])
show("StopIteration value field: first send", ext.stop_iteration_value(g))
show("StopIteration value field: return value", ext.stop_iteration_value(g))
show("StopIteration value field: bare return", (ext.stop_iteration_value(g2 := returning_generator(None)),
                                                ext.stop_iteration_value(g2)))

# --- errno -------------------------------------------------------------------------
for variant in range(4):
    e = catch(ext.set_errno, variant, OSError, errno.ENOENT, "/no/such/file", "/other")
    print(f"errno variant {variant}: {type(e).__name__} errno={e.errno} strerror={e.strerror!r} "
          f"filename={e.filename!r} filename2={e.filename2!r} args={e.args!r}")
e = catch(ext.set_errno, 0, OSError, errno.EACCES, None, None)
show("EACCES", (type(e).__name__, e.errno, e.strerror))
e = catch(ext.set_errno, 0, OSError, 0, None, None)
show("errno 0", (type(e).__name__, e.args))
e = catch(ext.set_errno, 3, OSError, errno.EEXIST, None, "/second")
show("Objects without a first name", (type(e).__name__, e.filename, e.filename2))
e = catch(ext.set_errno, 2, ValueError, errno.EPERM, "f", None)
show("errno with ValueError", (type(e).__name__, e.args))
e = catch(ext.set_errno, 1, OSError, errno.ENOTDIR, "dïr/fïle", None)
show("non-ASCII file name", (type(e).__name__, e.filename))
try:
    raise KeyError("handled")
except KeyError as handled:
    e = catch(ext.set_errno, 0, OSError, errno.EPERM, None, None)
    show("errno inside except: context", e.__context__ is handled)

# --- import errors -----------------------------------------------------------------
e = catch(ext.set_import_error, None, "cannot import", "pkg.mod", "/p/mod.py")
show("SetImportError", (type(e).__name__, e.msg, e.name, e.path, e.args))
e = catch(ext.set_import_error, None, "no name", None, None)
show("SetImportError without name and path", (type(e).__name__, e.name, e.path))
e = catch(ext.set_import_error, ModuleNotFoundError, "missing", "m", None)
show("SetImportErrorSubclass", (type(e).__name__, e.name, e.path))
e = catch(ext.set_import_error, ext.MyImportError, "mine", "n", "p")
show("SetImportErrorSubclass (C class)", (type(e).__name__, e.name, e.path))
show("SetImportErrorSubclass(ValueError)", describe(catch(ext.set_import_error, ValueError, "x", None, None)))
show("SetImportError without message", describe(catch(ext.set_import_error, None, None, "n", None)))

# --- syntax locations and program text -------------------------------------------------
tmp = tempfile.mkdtemp()
src = os.path.join(tmp, "src.py")
with open(src, "wb") as f:
    f.write(b"first line\r\n    second line\r\nthird\n" + b"x" * 1200 + b"\nlast no newline")
bad = os.path.join(tmp, "bad.py")
with open(bad, "wb") as f:
    f.write(b"ok\n\xff\xfe bad\n")


def location(e):
    name = e.filename
    if isinstance(name, str) and name.startswith(tmp):
        name = "<tmp>" + name[len(tmp):]
    return (type(e).__name__, e.msg if hasattr(e, "msg") else None, name, e.lineno, e.offset,
            e.end_lineno, e.end_offset, e.text, getattr(e, "print_file_and_line", "<unset>"))


for variant in range(4):
    e = catch(ext.syntax_location, variant, SyntaxError, src, 2, 5, 3, 7)
    show(f"SyntaxLocation variant {variant}", location(e))
e = catch(ext.syntax_location, 2, SyntaxError, None, 4, -1, -1, -1)
show("SyntaxLocationObject without file", location(e))
e = catch(ext.syntax_location, 2, SyntaxError, "/no/such/file.py", 1, 0, 1, 0)
show("SyntaxLocationObject missing file", location(e))
e = catch(ext.syntax_location, 3, ValueError, src, 1, 1, 1, 2)
show("location on a ValueError", location(e))
e = catch(ext.syntax_location, 1, IndentationError, src, 3, 0, 0, 0)
show("location on an IndentationError", location(e))

for line in range(-1, 7):
    show(f"ProgramText line {line}", ext.program_text(0, src, line))
show("ProgramTextObject line 2", ext.program_text(1, src, 2))
show("ProgramText undecodable line", ext.program_text(0, bad, 2))
show("ProgramText decodable line of that file", ext.program_text(0, bad, 1))
show("ProgramText missing file", ext.program_text(0, "/no/such/file", 1))
show("ProgramText NULL name", ext.program_text(0, None, 1))
show("ProgramTextObject NULL name", ext.program_text(1, None, 1))

# --- Unicode errors ----------------------------------------------------------------
d = ext.decode_error_create("utf-8", b"ab\xffcd", 2, 3, "invalid start byte")
show("DecodeError_Create", (type(d).__name__, d.encoding, d.object, d.start, d.end, d.reason, str(d)))
show("decode getters", ext.unicode_error_get("d", d))
show("decode setters", ext.unicode_error_set("d", d, 1, 4, "new reason"))
show("  after", (d.start, d.end, d.reason, ext.unicode_error_get("d", d)))
show("decode clipping", (ext.unicode_error_set("d", d, -5, 99, "r"), ext.unicode_error_get("d", d)[2:4]))
show("decode clipping past the end", (ext.unicode_error_set("d", d, 10, 0, "r"), ext.unicode_error_get("d", d)[2:4]))
e = UnicodeEncodeError("ascii", "héllo", 1, 2, "ordinal not in range")
show("encode getters", ext.unicode_error_get("e", e))
show("encode setters", (ext.unicode_error_set("e", e, 0, 5, "other"), ext.unicode_error_get("e", e)))
show("encode getters on a decode error", ext.unicode_error_get("e", d))
show("decode getters on an encode error", ext.unicode_error_get("d", e))
t = UnicodeTranslateError("abc", 0, 1, "no mapping")
show("translate getters", ext.unicode_error_get("t", t))
show("translate setters", (ext.unicode_error_set("t", t, 2, 3, "changed"), ext.unicode_error_get("t", t)))
e = UnicodeEncodeError("ascii", "", 0, 0, "empty")
show("encode getters on an empty object", ext.unicode_error_get("e", e))
show("DecodeError_Create empty", str(ext.decode_error_create("latin-1", b"", 0, 0, "nothing")))

# --- signals --------------------------------------------------------------------------
received = []


def handler(signum, frame):
    received.append(signum)


old = signal.signal(signal.SIGUSR1, handler)
show("SetInterruptEx(SIGUSR1) + CheckSignals", ext.interrupt(signal.SIGUSR1))
show("  handler ran", received == [signal.SIGUSR1])


def raising_handler(signum, frame):
    raise RuntimeError(f"signal {signum}")


signal.signal(signal.SIGUSR1, raising_handler)
show("handler raising", describe(catch(ext.interrupt, signal.SIGUSR1)))
signal.signal(signal.SIGUSR1, signal.SIG_IGN)
show("ignored signal", ext.interrupt(signal.SIGUSR1))
signal.signal(signal.SIGUSR1, old)
# Python's own SIGINT handler, set here: a process started with SIGINT
# ignored (a background job) keeps SIG_IGN under CPython, not under RustPython.
old_int = signal.signal(signal.SIGINT, signal.default_int_handler)
show("SetInterrupt (SIGINT, default handler)", describe(catch(ext.interrupt, 0)))
show("SetInterrupt from a C signal handler", describe(catch(ext.interrupt_from_c_handler)))
show("SetInterrupt from a thread without the GIL", describe(catch(ext.interrupt_from_thread)))
signal.signal(signal.SIGINT, signal.SIG_IGN)
show("SetInterrupt with SIGINT ignored", describe(catch(ext.interrupt_from_thread)))
signal.signal(signal.SIGINT, old_int)
show("SetInterruptEx out of range", ext.interrupt(100000))
show("CheckSignals with nothing pending", ext.check_signals())

# --- the handled exception ------------------------------------------------------------
err = ValueError("handled from C")
ext.set_handled(err)
show("SetHandledException: sys.exc_info", sys.exc_info()[1] is err)
show("  GetHandledException", ext.get_handled() is err)
ext.set_handled(None)
show("SetHandledException(NULL)", sys.exc_info())
try:
    raise KeyError("outer")
except KeyError as outer:
    ext.set_exc_info(KeyError, err, None)
    show("SetExcInfo inside except", sys.exc_info()[1] is err)
    ext.set_exc_info(None, None, None)
    show("SetExcInfo(NULL...)", sys.exc_info()[1])

# --- _PyErr_ChainExceptions, _PyErr_SetKeyError, _PyErr_WriteUnraisableMsg -------------
e = catch(ext.chain, ValueError, "first", TypeError)
show("ChainExceptions", (describe(e), describe(e.__context__)))
e = catch(ext.chain, ValueError, "only", None)
show("ChainExceptions alone", (describe(e), e.__context__))
e = catch(ext.format_from_cause, ValueError, 5)
show("FormatFromCause", (describe(e), describe(e.__cause__), e.__context__ is e.__cause__, e.__suppress_context__))
e = catch(ext.set_key_error, (1, 2))
show("SetKeyError with a tuple", (type(e).__name__, e.args))
e = catch(ext.set_key_error, "k")
show("SetKeyError", (type(e).__name__, e.args))
seen = []
old_hook = sys.unraisablehook
sys.unraisablehook = lambda u: seen.append((u.exc_type.__name__, str(u.exc_value), u.err_msg, u.object))
ext.write_unraisable_msg("in my callback", "obj")
ext.write_unraisable_msg(None, 42)
sys.unraisablehook = old_hook
show("WriteUnraisableMsg", seen)

# --- warnings ------------------------------------------------------------------------


def record(fn, *args):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn(*args)
    return [(w.category.__name__, str(w.message), os.path.basename(w.filename), w.lineno,
             type(w.source).__name__ if w.source is not None else None) for w in caught]


class Leaky:
    pass


show("ResourceWarning", record(ext.resource_warning, Leaky(), 3))
show("ResourceWarning without source", record(ext.resource_warning, None, 4))
show("WarnExplicitObject", record(ext.warn_explicit_object, UserWarning, "explicit", "some/file.py", 12, "mod", None))
show("WarnExplicitObject NULL category", record(ext.warn_explicit_object, None, "rt", "f.py", 1, None, None))
show("WarnExplicitObject Warning instance",
     record(ext.warn_explicit_object, UserWarning, FutureWarning("inst"), "f.py", 2, None, None))
reg = {}
show("WarnExplicitObject registry", record(ext.warn_explicit_object, UserWarning, "reg", "r.py", 5, "m", reg))
show("  registry used", len(reg) > 0)
show("WarnExplicitFormat", record(ext.warn_explicit_format, DeprecationWarning, "fmt.py", 9, "fmtmod", 7))
show("WarnExplicitFormat NULL module", record(ext.warn_explicit_format, UserWarning, "x/fmt.py", 3, None, 8))
show("PyErr_Warn", record(ext.warn_macro, "old style"))
with warnings.catch_warnings():
    warnings.simplefilter("error")
    show("ResourceWarning as error", describe(catch(ext.resource_warning, None, 5)))
    show("WarnExplicitFormat as error", describe(catch(ext.warn_explicit_format, UserWarning, "e.py", 1, None, 9)))

# --- Py_FatalError (in a child process: it ends the process) ---------------------------
import subprocess  # noqa: E402

child = subprocess.run([sys.executable, "-c", "import errors2_ext; errors2_ext.fatal()"], capture_output=True,
                       text=True, env=dict(os.environ, PYTHONPATH=os.path.dirname(ext.__file__)))
show("Py_FatalError", (child.returncode, child.stderr.splitlines()[:1], child.stdout))
# The handled exception C sets is in the thread state, where C reads it
# directly (tstate->exc_info->exc_value): outside any handler, then inside one.
print("exc_info value:", ext.exc_info_value())
try:
    raise KeyError("outer")
except KeyError:
    print("exc_info value in a handler:", ext.exc_info_value())
print("DONE")
