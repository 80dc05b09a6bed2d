import ast
import importlib.util
import io
import os
import sys
import tempfile
import types

import run_ext as ext

SINGLE, FILE, EVAL, FUNC_TYPE, FSTRING = 256, 257, 258, 345, 800


def show(label, value):
    print(f"{label}: {value!r}")


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}")


def syntax_error(label, f, *args):
    try:
        f(*args)
        print(f"{label}: no error")
    except SyntaxError as e:
        print(f"{label}: {type(e).__name__} in {os.path.basename(e.filename)!r} at line {e.lineno}")


show("constants", ext.constants())

# --- compiling ---------------------------------------------------------------------
code = ext.compile_string("x = 1\ny = x + 1\n", "<module>", FILE, -1, -1)
show("file input", (type(code).__name__, code.co_filename, code.co_name))
ns = {}
exec(code, ns)
show("runs", (ns["x"], ns["y"]))
code = ext.compile_string("6 * 7", "<expr>", EVAL, -1, -1)
show("eval input", (code.co_filename, eval(code)))
code = ext.compile_string("1 + 1\n", "<single>", SINGLE, -1, -1)
show("single input", (code.co_filename, code.co_name))
out = io.StringIO()
saved, sys.stdout = sys.stdout, out
exec(code, {})
sys.stdout = saved
show("single input prints the value", out.getvalue())
show("with flags", type(ext.compile_string("a = 1", "<f>", FILE, 0, -1)).__name__)
tree = ext.compile_string("a = 1", "<ast>", FILE, 0x0400, -1)
show("PyCF_ONLY_AST", (type(tree).__name__, type(tree.body[0]).__name__))
tree = ext.compile_string("(int, str) -> None", "<ft>", FUNC_TYPE, 0x0400, -1)
show("func_type input with PyCF_ONLY_AST", (type(tree).__name__, ast.unparse(tree.returns)))
a, b, c = ext.compile_plain("z = 3", "<plain>", FILE)
show("Py_CompileString/Flags/Object", (a.co_filename, b.co_filename, c.co_filename))
syntax_error("syntax error, file input", ext.compile_string, "x = = 1", "<bad>", FILE, -1, -1)
syntax_error("syntax error, second line", ext.compile_string, "x = 1\nif\n", "<bad2>", FILE, -1, -1)
syntax_error("statement as eval input", ext.compile_string, "x = 1", "<bad3>", EVAL, -1, -1)
syntax_error("two statements as single input", ext.compile_string, "x = 1\ny = 2\n", "<bad4>", SINGLE, -1, -1)
syntax_error("indentation", ext.compile_string, "if x:\npass\n", "<bad5>", FILE, -1, -1)
attempt("non-UTF-8 filename", ext.compile_string, "1", "\udcff", EVAL, -1, -1)

# --- running strings ------------------------------------------------------------------
g = {"base": 10}
show("run eval", ext.run_string("base * 3", EVAL, g, None))
show("run file input", ext.run_string("made = base + 1", FILE, g, None))
show("effect", (g["made"], "__builtins__" in g))
l = {}
show("separate locals", (ext.run_string("local_one = base", FILE, g, l), l, "local_one" in g))
out = io.StringIO()
saved, sys.stdout = sys.stdout, out
show("run single input", ext.run_string("base + 5", SINGLE, g, None))
sys.stdout = saved
show("single input printed", out.getvalue())
attempt("runtime error", ext.run_string, "1 / 0", EVAL, g, None)
syntax_error("syntax error running", ext.run_string, "1 +", EVAL, g, None)
attempt("name error", ext.run_string, "undefined_name", EVAL, {}, None)

import __main__
err = io.StringIO()
saved_err, sys.stderr = sys.stderr, err
show("simple string", ext.run_simple("cpyext_simple = 'set in __main__'"))
show("in __main__", getattr(__main__, "cpyext_simple", None))
show("simple string failing", ext.run_simple("raise KeyError('from simple')"))
sys.stderr = saved_err
show("printed the exception", err.getvalue().strip().splitlines()[-1])
del __main__.cpyext_simple

# --- running files ----------------------------------------------------------------
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "script.py")
with open(path, "w") as f:
    f.write("result = [i * i for i in range(4)]\nvalue = len(result)\n")
g = {}
show("run file", (ext.run_file(path, FILE, g, False), g["result"], g["value"]))
g = {}
show("run file (closeit)", (ext.run_file(path, FILE, g, True), g["value"]))
expr_path = os.path.join(tmp, "expr.py")
with open(expr_path, "w") as f:
    f.write("40 + 2\n")
show("run file as an expression", ext.run_file(expr_path, EVAL, {}, True))
bad_path = os.path.join(tmp, "bad.py")
with open(bad_path, "w") as f:
    f.write("x = 1\ny = (\n")
syntax_error("run file with a syntax error", ext.run_file, bad_path, FILE, {}, True)

main_path = os.path.join(tmp, "main_script.py")
with open(main_path, "w") as f:
    f.write("cpyext_file_seen = __file__\n")
main_file = __main__.__dict__.pop("__file__")
show("simple file", ext.run_simple_file(main_path))
show("__file__ during the run", __main__.cpyext_file_seen == main_path)
show("__file__ removed after", "__file__" in __main__.__dict__)
__main__.__file__ = main_file
with open(main_path, "w") as f:
    f.write("raise ValueError('from a simple file')\n")
err = io.StringIO()
saved_err, sys.stderr = sys.stderr, err
show("simple file failing", ext.run_simple_file(main_path))
sys.stderr = saved_err
show("printed", err.getvalue().strip().splitlines()[-1])
show("not interactive", ext.interactive(path))

# --- interactive input: PyRun_InteractiveLoop, InteractiveOne, AnyFile -------------
session_path = os.path.join(tmp, "session.txt")
with open(session_path, "w") as f:
    f.write("x = 6\nx * 7\ndef f(n):\n    return n + 1\n\nf(x)\n1/0\n'after the error'\nfor i in range(2):\n    print('loop', i)\n\nx +\n")
for how in ["loop", "one", "any"]:
    err = io.StringIO()
    saved_err, sys.stderr = sys.stderr, err
    try:
        result = ext.interactive_loop(session_path, how)
    finally:
        sys.stderr = saved_err
    show(f"interactive {how}", result)
    errors = [line for line in err.getvalue().splitlines() if line and not line.startswith(" ")]
    show(f"interactive {how} errors", [e for e in errors if not e.startswith(("Traceback", "File"))][-2:])
show("interactive left ps1", getattr(sys, "ps1", None))
show("interactive defined f", __main__.f(1))

# --- PyErr_Display -------------------------------------------------------------------
err = io.StringIO()
saved_err, sys.stderr = sys.stderr, err
ext.display(ValueError("shown"))
ext.display("not an exception")
sys.stderr = saved_err
show("display", err.getvalue().splitlines())

# --- import.h ------------------------------------------------------------------------
show("level 0", ext.import_level("json", None, None, 0).__name__)
show("dotted, no fromlist, gives the top", ext.import_level("os.path", None, None, 0).__name__)
show("dotted, fromlist, gives the leaf", ext.import_level("xml.dom", None, ["minidom"], 0).__name__)
show("relative", ext.import_level("dom", {"__package__": "xml", "__name__": "xml.x"}, None, 1).__name__)
show("object form", ext.import_level_object("json.decoder", None, ("x",), 0).__name__)
show("ImportModuleEx", ext.import_ex("json", None).__name__)
attempt("missing module", ext.import_level, "no_such_module_cpyext", None, None, 0)
attempt("negative level", ext.import_level, "json", None, None, -1)
attempt("empty name", ext.import_level, "", None, None, 0)
attempt("relative without package", ext.import_level, "x", {}, None, 1)
attempt("name not a str", ext.import_level_object, 42, None, None, 0)
show("no-block import", ext.import_noblock("string").__name__)

mod_path = os.path.join(tmp, "reloadable_mod.py")
with open(mod_path, "w") as f:
    f.write("VALUE = 1\n")
sys.path.insert(0, tmp)
import reloadable_mod
with open(mod_path, "w") as f:
    f.write("VALUE = 2  # changed\n")
importlib.invalidate_caches()
os.utime(mod_path, (1, 1 << 30))
show("reload", (ext.reload(reloadable_mod) is reloadable_mod, reloadable_mod.VALUE))
attempt("reload a non-module", ext.reload, 42)
sys.path.remove(tmp)

code = compile("ANSWER = 42\nNAME = __name__\n", "<exec-code>", "exec")
m = ext.exec_code_module("cpyext_exec_mod", code, 0)
show("exec code module", (m.ANSWER, m.NAME, sys.modules["cpyext_exec_mod"] is m, m.__file__))
m = ext.exec_code_module("cpyext_exec_mod2", code, 1, "/tmp/somewhere/mod2.py")
show("with a path", (m.__file__, m.__loader__.__class__.__name__, m.__spec__.name))
m = ext.exec_code_module("cpyext_exec_mod3", code, 3, "/tmp/x/mod3.py")
show("object form", (m.__file__, "__builtins__" in m.__dict__))
failing = compile("raise RuntimeError('module body failed')", "<fail>", "exec")
attempt("failing body", ext.exec_code_module, "cpyext_exec_fail", failing, 0)
show("failed module removed", "cpyext_exec_fail" in sys.modules)

show("importer for a directory", type(ext.get_importer(tmp)).__name__)
show("cached", ext.get_importer(tmp) is sys.path_importer_cache[tmp])
number, tag = ext.magic()
show("magic number", number == int.from_bytes(importlib.util.MAGIC_NUMBER, "little"))
show("magic tag", tag == sys.implementation.cache_tag)

sys.modules.pop("__hello__", None)
show("frozen module", ext.import_frozen("__hello__"))
hello = sys.modules["__hello__"]
show("ran", (hello.initialized, hello.__origname__, "__builtins__" in hello.__dict__))
show("frozen package", ext.import_frozen("__phello__"))
show("package path", sys.modules["__phello__"].__path__)
show("not frozen", ext.import_frozen("cpyext_not_frozen"))
show("not frozen, not made", "cpyext_not_frozen" in sys.modules)
lines_path = os.path.join(tmp, "lines.txt")
with open(lines_path, "w") as f:
    f.write("first\nsecond line\nlast without newline")
show("PyOS_Readline from a file", ext.readline(lines_path))
show("inittab after start-up", ext.append_inittab())
show("not a built-in module now", "cpyext_late_builtin" in sys.builtin_module_names)
try:
    __import__("cpyext_late_builtin")
    print("imported")
except ImportError:
    print("and not importable")

print("DONE")
