import io
import os
import sys

import sys_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


def captured_stderr(f, *args):
    saved = sys.stderr
    sys.stderr = io.StringIO()
    try:
        f(*args)
        return sys.stderr.getvalue()
    finally:
        sys.stderr = saved


# --- PySys_GetObject / PySys_SetObject ------------------------------------------
found, value, pending = ext.get_object("maxsize")
show("maxsize", (found, value == sys.maxsize, pending))
show("modules is sys.modules", ext.get_object("modules")[1] is sys.modules)
show("missing attribute", ext.get_object("no_such_attribute_here"))

marker = object()
show("set", ext.set_object("cpyext_marker", marker, False)[0])
show("set shows in sys", getattr(sys, "cpyext_marker", None) is marker)
show("get back", ext.get_object("cpyext_marker")[1] is marker)
show("replace", ext.set_object("cpyext_marker", "second", False)[0])
show("replaced", sys.cpyext_marker)
show("delete", ext.set_object("cpyext_marker", None, True)[0])
show("deleted", hasattr(sys, "cpyext_marker"))
show("delete missing (no error)", ext.set_object("cpyext_marker", None, True)[0])
attempt("non-UTF-8 name", ext.get_object, "caf\udce9")

# --- the writers ------------------------------------------------------------------
sys.stdout.flush()
ext.write_stdout("hello", 7)
ext.write_long()
show("stderr writer", captured_stderr(ext.write_stderr, "problem"))
show("format stderr", captured_stderr(ext.format_both, [1, "two"]))
attempt("error kept across writes", ext.write_with_error)

saved = sys.stdout
sys.stdout = io.StringIO()
ext.write_stdout("captured", 1)
text = sys.stdout.getvalue()
sys.stdout = saved
show("writer goes through sys.stdout", text)


class Broken:
    def write(self, text):
        raise RuntimeError("cannot write")


saved = sys.stderr
sys.stderr = Broken()
try:
    ext.write_stderr("broken")   # falls back to the C stderr, error cleared
    fell_back = True
except Exception as e:
    fell_back = f"raised {e!r}"
finally:
    sys.stderr = saved
show("a failing sys.stderr falls back, no error", fell_back)

# --- warn options --------------------------------------------------------------------
saved_warnoptions = list(sys.warnoptions)
ext.reset_warn_options()
show("after reset", (sys.warnoptions, ext.has_warn_options()))
ext.add_warn_option("ignore::DeprecationWarning")
ext.add_warn_option_unicode("error::UserWarning")
show("after adding", (sys.warnoptions, ext.has_warn_options()))
ext.reset_warn_options()
show("reset again", (sys.warnoptions, ext.has_warn_options()))
attempt("add non-str option", ext.add_warn_option_unicode, 42)
ext.reset_warn_options()
sys.warnoptions.extend(saved_warnoptions)

# --- -X options --------------------------------------------------------------------
ext.add_xoption("cpyext_flag")
ext.add_xoption("cpyext_key=some=value")
options, same = ext.get_xoptions()
show("xoptions", (options.get("cpyext_flag"), options.get("cpyext_key"), same, options is sys._xoptions))

# --- argv and path ---------------------------------------------------------------
saved_argv, saved_path = list(sys.argv), list(sys.path)
ext.set_argv(["prog", "-v", "caf\u00e9"], 0)
show("argv", sys.argv)
show("path untouched", sys.path == saved_path)
ext.set_argv([], -1)
show("empty argv", sys.argv)
here = os.path.dirname(os.path.realpath(__file__))
ext.set_argv([os.path.abspath(__file__), "x"], 1)
show("updatepath inserts the script directory", sys.path[0] == here)
sys.path[:] = saved_path
ext.set_argv(["-c", "x"], 1)
show("updatepath for -c inserts ''", sys.path[0])
sys.path[:] = saved_path
ext.set_path("/one:/two::/three")
show("set path", sys.path)
sys.path[:] = saved_path
sys.argv[:] = saved_argv

# --- audit hooks -------------------------------------------------------------------
ext.add_audit_hook()
sys.audit("cpyext.test.python", 1, "a")
ext.audit("cpyext.test.c", 5, "five")
attempt("a refusing hook", sys.audit, "cpyext.test.refuse", 0)
attempt("a refusing hook from C", ext.audit, "cpyext.test.refuse", 1, "b")
show("events", ext.audit_events())
sys.audit("unrelated.event")

print("DONE")
