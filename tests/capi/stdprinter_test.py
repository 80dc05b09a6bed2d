import os
import sys

import stdprinter_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args, **kwargs):
    try:
        r = fn(*args, **kwargs)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return None
    print(f"{label}: returned {r!r}")
    return r


# Output to fd 1 goes around sys.stdout: flush it first so the order holds.
sys.stdout.flush()
out = ext.new_printer(1)
T = ext.printer_type()
show("type", (type(out) is T, T.__name__, T.__qualname__, T.__module__))
show("base", T.__bases__)
show("checks", ext.checks(out))
show("checks on a file", ext.checks(sys.stdout))
show("repr", repr(out).startswith("<stdprinter(fd=1) object at 0x"))
show("fileno, closed, encoding, mode", (out.fileno(), out.closed, out.encoding, out.mode))
show("isatty", out.isatty() == os.isatty(1))
show("flush", out.flush())
# Capture fd 1 in a pipe while the printer writes to it.
sys.stdout.flush()
saved = os.dup(1)
r, w = os.pipe()
os.dup2(w, 1)
try:
    counts = [out.write("to fd 1 directly\n"), out.write("non-ASCII \xe9\u20ac\n"),
              out.write("lone surrogate \udc80!\n")]
    ext.write_string(out, "PyFile_WriteString\n")
    print("print(file=printer)", file=out)
finally:
    os.dup2(saved, 1)
    os.close(saved)
    os.close(w)
data = b""
while chunk := os.read(r, 4096):
    data += chunk
os.close(r)
show("counts", counts)
show("bytes on fd 1", data)
show("empty write", out.write(""))
err("write(bytes)", out.write, b"x")
err("write(int)", out.write, 1)
err("write()", out.write)
err("write(2 args)", out.write, "a", "b")
err("fileno(x)", out.fileno, 1)
err("set closed", setattr, out, "closed", True)
err("new attribute", setattr, out, "x", 1)
err("instantiate", T)
err("subclass", type, "Sub", (T,), {})
show("dir has", sorted(n for n in dir(out) if not n.startswith("__")))
err_printer = ext.new_printer(2)
show("stderr printer", (err_printer.fileno(), repr(err_printer).startswith("<stdprinter(fd=2) object")))
show("fd 0", ext.new_printer(0))
show("fd 3", ext.new_printer(3))
show("fd -1", ext.new_printer(-1))
print("DONE")
