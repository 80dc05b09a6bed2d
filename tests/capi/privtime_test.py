import os
import subprocess
import sys
import tempfile
import time
import privtime_ext as ext

ROUNDS = {0: "FLOOR", 1: "CEILING", 2: "HALF_EVEN", 3: "UP"}


def show(label, func, *args):
    try:
        result = func(*args)
    except Exception as e:
        result = f"{type(e).__name__}: {e}"
    print(label, result)


class Index:
    def __index__(self):
        return 7

    def __repr__(self):
        return "Index(7)"


class FloatSub(float):
    pass


# --- pytime.h: objects to time_t, timeval, timespec and _PyTime_t ---------------
values = [0, 1, -1, 7, True, Index(), 2**62, 10**10, -10**10, 2**63 - 1, -2**63, 2**63, -2**63 - 1, 10**30,
          0.0, -0.0, 1.5, 2.5, -1.5, -2.5, 0.5, -0.5, 1.0000000001, -5e-10, 1e-10, -1e-10, 0.9999999996,
          -4e-10, 1e-7, 1.4999995, 2.0000005, -2.0000005, 123456.7890123, 9.2e9, -9.3e9, 9.2e18, 9.3e18,
          -9.2e18, -9.3e18, 1e19, float("inf"), float("-inf"), float("nan"), FloatSub(2.5), "1", None, [1]]
for v in values:
    for r, name in ROUNDS.items():
        label = f"{v!r:>22} {name:9}"
        show(label + " time_t", ext.object_to_time_t, v, r)
        show(label + " timeval", ext.object_to_timeval, v, r)
        show(label + " timespec", ext.object_to_timespec, v, r)
        show(label + " from_seconds", ext.from_seconds_object, v, r)
        show(label + " from_ms", ext.from_milliseconds_object, v, r)

for v in [0, -1, 1, 2**63 - 1, -2**63, 2**63, -2**63 - 1, True, Index(), 1.5, "x", 10**40]:
    show(f"long_as_time_t {v!r}", ext.long_as_time_t, v)
for v in [0, -1, 2**63 - 1, -2**63, 1700000000]:
    show(f"long_from_time_t {v!r}", ext.long_from_time_t, v)
for v in [0, 5, -5, 2**63 - 1, -2**63, 2**63, -2**63 - 1, True, Index(), 1.5, "1", None]:
    show(f"from_nanoseconds {v!r}", ext.from_nanoseconds_object, v)
for v in [0, 1, -1, 2**63 - 1, -2**63]:
    show(f"as_nanoseconds {v!r}", ext.as_nanoseconds_object, v)

# --- C structs ------------------------------------------------------------------
for sec, usec in [(0, 0), (1, 500000), (-1, 999999), (-2, 1), (9223372036, 854775), (9223372036, 854776),
                  (9223372037, 0), (-9223372036, -854775), (-9223372037, 0), (2**62, 0), (-2**62, 0)]:
    show(f"from_timeval {sec} {usec}", ext.from_timeval, sec, usec)
for sec, nsec in [(0, 0), (1, 5), (-2, 999999999), (9223372036, 854775807), (9223372036, 854775808),
                  (-9223372037, 145224192), (-9223372037, 145224191), (2**62, 0), (-2**62, 0)]:
    show(f"from_timespec {sec} {nsec}", ext.from_timespec, sec, nsec)
for t in [0, 1, 499, 500, 501, 999, 1000, 1001, 1500, 2500, 3500, -1, -499, -500, -501, -999, -1000, -1001,
          -1500, -2500, 10**9 - 1, 10**9, 10**9 + 1, -10**9 + 1, -10**9, -10**9 - 1, 1_999_999_500, -1_999_999_500,
          2**63 - 1, -2**63, 2**63 - 1000, -2**63 + 1000]:
    for r, name in ROUNDS.items():
        show(f"as_structs {t} {name}", ext.as_structs, t, r)

# --- broken-down time -------------------------------------------------------------
for t in [0, 1, 86399, 86400, 951782400, 1_000_000_000, 2**31 - 1, 2**31, -1, -86401, -2_208_988_800,
          -62_135_596_800, 253_402_300_799, 2**55, 2**62, -2**62]:
    show(f"gmtime {t}", ext.gmtime, t)
    try:
        print("  matches time.gmtime", tuple(ext.gmtime(t))[:8] == tuple(time.gmtime(t))[:8])
    except Exception as e:
        print("  time.gmtime also fails" if not isinstance(e, AssertionError) else e)
for t in [0, 86399, 1_000_000_000, 2**31, -1, 2**62]:
    show(f"localtime {t}", ext.localtime, t)

print("deadline", ext.deadline())

# --- pylifecycle.h ------------------------------------------------------------------
show("urandom -1", ext.urandom, -1, 0)
show("urandom nonblock -1", ext.urandom, -1, 1)
print("urandom 0", ext.urandom(0, 0), ext.urandom(0, 1))
for nonblock in (0, 1):
    a, b = ext.urandom(64, nonblock), ext.urandom(64, nonblock)
    print("urandom 64", nonblock, len(a), len(b), a != b, a != bytes(64))

print("core initialized, status exception, error, Py_IsInitialized", ext.state())
print("git identifier and version are sys._git's", ext.git() == tuple(sys._git[1:3]))
print("restore signals", ext.restore_signals())

# NULL or "" forgets the path set: Py_GetProgramFullPath gives its default
# again (NULL in CPython 3.11 once running, sys.executable in cpyext).
DEFAULTS = (None, sys.executable)
print("program full path: default", ext.program_full_path(None) in DEFAULTS)
print("program full path set", ext.program_full_path("/opt/example/bin/python3"))
print("set again", ext.program_full_path("/usr/local/bin/other"))
print("empty path: default", ext.program_full_path("") in DEFAULTS)
print("set after reset", ext.program_full_path("/srv/py"))
print("NULL path: default", ext.program_full_path(None) in DEFAULTS)

read_end, write_end = os.pipe()
for name in [None, "<stdin>", "???", "script.py"]:
    print("fd_is_interactive pipe", repr(name), ext.fd_is_interactive(read_end, name))
master, slave = os.openpty()
print("fd_is_interactive tty", ext.fd_is_interactive(slave, "script.py"))
os.close(read_end)
os.close(write_end)

# The locale functions change the process's locale: each runs in a child.
LC_CTYPE, LC_ALL = ext.locale_constants()
ext_dir = os.path.dirname(os.path.abspath(ext.__file__))


def child(code, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    base.update(env)
    prefix = f"import sys; sys.path.insert(0, {ext_dir!r}); import privtime_ext as ext\n"
    proc = subprocess.run([sys.executable, "-c", prefix + code], capture_output=True, text=True, env=base, timeout=60)
    return proc.stdout.strip(), proc.stderr.strip()


c_env = dict(LANG="C", LC_CTYPE="C", PYTHONCOERCECLOCALE="0")
print("legacy C locale", child(f"ext.set_locale_from_env({LC_CTYPE}); print(ext.legacy())", **c_env))
print("coerce, quiet", child(f"ext.set_locale_from_env({LC_CTYPE}); print(ext.coerce(0)); print(ext.legacy())", **c_env))
print("coerce, warning", child(f"ext.set_locale_from_env({LC_CTYPE}); print(ext.coerce(1))", **c_env))
print("LC_ALL=C", child(f"print(ext.set_locale_from_env({LC_ALL})); print(ext.legacy()); print(ext.coerce(1))",
                        LC_ALL="C", PYTHONCOERCECLOCALE="0"))
print("UTF-8 locale", child(f"print(ext.set_locale_from_env({LC_CTYPE})); print(ext.legacy())",
                            LC_CTYPE="C.UTF-8", PYTHONCOERCECLOCALE="0"))

# --- pythonrun.h --------------------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    ok = os.path.join(tmp, "ok.py")
    with open(ok, "w") as f:
        f.write("import sys\nprint('ran as', __name__, __file__ == 'named.py')\nran_marker = 42\n")
    sys.stdout.flush()
    for closeit in (0, 1):
        print("simple file", closeit, ext.run_file("simple", ok, "named.py", closeit))
        sys.stdout.flush()
        import __main__
        print("  marker set in __main__", getattr(__main__, "ran_marker", None))
        del __main__.ran_marker
        print("any file", closeit, ext.run_file("any", ok, "named.py", closeit))
        sys.stdout.flush()
        del __main__.ran_marker
    print("any file, NULL name", ext.run_file("any", ok, None, 0))
    sys.stdout.flush()
    bad = os.path.join(tmp, "bad.py")
    with open(bad, "w") as f:
        f.write("print('before the error')\nraise KeyError('in file')\n")
    print("simple file raising", ext.run_file("simple", bad, "bad.py", 0))
    sys.stdout.flush()
    lines = os.path.join(tmp, "lines.txt")
    with open(lines, "w") as f:
        f.write("6 * 7\nx = 'looped'\nif x:\n    print(x)\n\nprint('last', 1 / 0 if False else 'line')\n")
    print("interactive loop", ext.run_file("loop", lines, "<typed>", 0))
    sys.stdout.flush()

sources = ["abc = 1", "é", "", b"xyz", bytearray(b"q = 2"), memoryview(b"mv"), memoryview(bytearray(b"mutable")),
           type("S", (str,), {})("sub"), "a\0b", b"a\0", bytearray(b"\0"), memoryview(b"x\0"), 5, None, ["no"]]
for source in sources:
    show(f"source_as_string {type(source).__name__} {bytes(source) if isinstance(source, memoryview) else source!r}",
         ext.source_as_string, source)

master2, slave2 = os.openpty()
print("readline tstate", ext.readline_tstate(slave2))
for fd in (master, slave, master2, slave2):
    os.close(fd)

# --- sysmodule.h ----------------------------------------------------------------------
for name, pending in [("byteorder", 0), ("no_such_attribute_here", 0), ("byteorder", 1),
                      ("no_such_attribute_here", 1), (["unhashable"], 0), (["unhashable"], 1)]:
    show(f"sys_get_attr {name!r} {pending}", ext.sys_get_attr, name, pending)
sys.privtime_marker = "set from Python"
print("sys_get_attr new attribute", ext.sys_get_attr("privtime_marker", 0))


def sized(n, base=object, **extra):
    return type("Sized", (base,), {"__sizeof__": lambda self: n, **extra})


cases = [("plain class", sized(100)()), ("slotted", sized(100, __slots__=())()), ("list subclass", sized(100, list)()),
         ("zero", sized(0)()), ("bool result", sized(True)()), ("negative", sized(-1)()), ("str result", sized("12")()),
         ("float result", sized(1.5)()), ("huge", sized(2**64)()), ("index result", sized(Index())())]
for label, obj in cases:
    show(f"getsizeof {label}", ext.sys_get_size_of, obj)


class Raising:
    def __sizeof__(self):
        raise LookupError("no size")


class NotCallable:
    __sizeof__ = None


show("getsizeof raising", ext.sys_get_size_of, Raising())
show("getsizeof None method", ext.sys_get_size_of, NotCallable())

# --- pymem.h, pythread.h ----------------------------------------------------------------
before, during, after = ext.allocator_name()
print("allocator name known", before in ("pymalloc", "malloc", "pymalloc_debug", "malloc_debug"),
      "custom", during, "restored", after == before)
print("PYTHONMALLOC=malloc", child("print(ext.allocator_name())", PYTHONMALLOC="malloc"))
print("fork reinit", ext.fork_reinit())
print("DONE")
