import io
import os
import pathlib
import sys
import tempfile

import fileobj_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def attempt(label, f, *args):
    try:
        show(label, f(*args))
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "data.txt")
with open(path, "w") as f:
    f.write("first line\nsecond\nno newline at the end")

# --- PyFile_FromFd -------------------------------------------------------------------
fd = os.open(path, os.O_RDONLY)
f = ext.from_fd(fd, "r", -1, "utf-8", None, True)
show("text file", (type(f).__name__, f.mode, f.read(5)))
f.close()
try:
    os.fstat(fd)
    print("fd still open")
except OSError:
    print("fd closed with the file")
fd = os.open(path, os.O_RDONLY)
f = ext.from_fd(fd, "rb", 0, None, None, False)
show("binary unbuffered", (type(f).__name__, f.read(3)))
f.close()
show("fd kept open", os.fstat(fd) is not None)
os.close(fd)
attempt("bad mode", ext.from_fd, 0, "zz", -1, None, None, False)
attempt("NULL mode", lambda: ext.from_fd(os.open(path, os.O_RDONLY), None, -1, None, None, True).readline())

# --- PyFile_GetLine --------------------------------------------------------------------
with open(path) as f:
    show("line, n<0", ext.get_line(f, -1))
    show("line, n=0", ext.get_line(f, 0))
    show("line, n=5", ext.get_line(f, 5))
    show("last line, n<0", ext.get_line(f, -1))
    attempt("at EOF, n<0", ext.get_line, f, -1)
    show("at EOF, n=0", ext.get_line(f, 0))
with open(path, "rb") as f:
    show("bytes line", ext.get_line(f, -1))
show("StringIO", ext.get_line(io.StringIO("a\nb"), -1))


class Weird:
    def readline(self, *args):
        return 42


attempt("readline returns an int", ext.get_line, Weird(), -1)
attempt("no readline", ext.get_line, object(), -1)

# --- writing -------------------------------------------------------------------------------
out = io.StringIO()
ext.write_object("text", out, 1)
ext.write_object("text", out, 0)
ext.write_object([1, "a"], out, 0)
show("write object", out.getvalue())
attempt("write object to NULL", ext.write_object, 1, None, 0)
attempt("write object to a non-file", ext.write_object, 1, 42, 0)
show("write string", (ext.write_string("plain\n", out, False), out.getvalue().splitlines()[-1]))
attempt("write string with an error pending", ext.write_string, "x", out, True)
attempt("write string to NULL", ext.write_string, "x", None, False)

# --- file descriptors ----------------------------------------------------------------------
show("int", ext.as_fd(5))
with open(path) as f:
    show("file", ext.as_fd(f) == f.fileno())


class FD:
    def __init__(self, v):
        self.v = v

    def fileno(self):
        return self.v


show("fileno()", ext.as_fd(FD(3)))
attempt("negative", ext.as_fd, -1)
attempt("negative fileno()", ext.as_fd, FD(-5))
attempt("fileno() not an int", ext.as_fd, FD("3"))
attempt("neither", ext.as_fd, "abc")
attempt("float", ext.as_fd, 1.5)
attempt("too big", ext.as_fd, 1 << 40)

# --- universal newlines -----------------------------------------------------------------
nl_path = os.path.join(tmp, "newlines.bin")
with open(nl_path, "wb") as f:
    f.write(b"unix\nwindows\r\nold mac\rlast")
show("universal fgets", ext.universal_fgets(nl_path, 64))
show("universal fgets, short buffer", ext.universal_fgets(nl_path, 4))

show("fopen_obj + sized fgets", ext.sized_fgets(nl_path))
show("fopen_obj with a Path", ext.sized_fgets(pathlib.Path(nl_path))[:1])
try:
    ext.sized_fgets(os.path.join(tmp, "missing"))
except FileNotFoundError as e:
    print("fopen_obj missing file:", e.errno, e.strerror, os.path.basename(e.filename))
attempt("fopen_obj with an int", ext.sized_fgets, 42)

# --- open_code ------------------------------------------------------------------------
with ext.open_code(path) as f:
    show("open_code", (type(f).__name__, f.read(5)))
with ext.open_code(pathlib.Path(path).as_posix()) as f:
    show("open_code object", f.read(5))
try:
    ext.open_code(os.path.join(tmp, "missing"))
except FileNotFoundError as e:
    print("open_code missing file: FileNotFoundError", e.errno)
attempt("open_code non-str", ext.open_code, b"bytes")

show("filesystem encoding", ext.encoding_globals())
show("utf8 mode", ext.utf8_mode() == sys.flags.utf8_mode)

# --- the locale codec -----------------------------------------------------------------
show("decode ascii", ext.decode(b"abc"))
show("decode utf-8", ext.decode("h\u00e9\u20ac\U0001f600".encode()))
show("decode invalid bytes", ext.decode(b"a\xff\xfeb"))
show("decode empty", ext.decode(b""))
show("encode", ext.encode([ord(c) for c in "h\u00e9\u20ac"]))
show("encode escapes back", ext.encode([0x61, 0xDCFF, 0x62]))
show("encode lone surrogate", ext.encode([0x61, 0xD800, 0x62]))
show("round trip", ext.encode(ext.decode(b"x\x80y\xc3\xa9")[0]))

# --- os.fspath -------------------------------------------------------------------------
show("str", ext.fspath("a/b"))
show("bytes", ext.fspath(b"a/b"))
show("Path", ext.fspath(pathlib.PurePosixPath("/x/y")))


class P:
    def __fspath__(self):
        return 42


attempt("__fspath__ returns int", ext.fspath, P())
attempt("not a path", ext.fspath, 3.5)
attempt("None", ext.fspath, None)

# --- the open_code hook (last: a hook stays for the process) ---------------------------
events = []
sys.addaudithook(lambda event, args: events.append(event) if event == "setopencodehook" else None)
attempt("NULL hook while none is set", ext.set_open_code_hook, None)
seen = []
attempt("set the hook", ext.set_open_code_hook, seen)
show("audited", events)
attempt("a second hook", ext.set_open_code_hook, [])
attempt("NULL hook once one is set", ext.set_open_code_hook, None)
with ext.open_code(path) as f:
    show("PyFile_OpenCode goes through the hook", (f.read(5), seen[-1] == path))
with io.open_code(path) as f:
    show("io.open_code goes through the hook", (f.read(5), seen[-1] == path))
attempt("io.open_code non-str", io.open_code, b"bytes")
with open(os.path.join(tmp, "hooked_mod.py"), "w") as f:
    f.write("VALUE = 42\n")
with open(os.path.join(tmp, "refused.py"), "w") as f:
    f.write("VALUE = 0\n")
sys.path.insert(0, tmp)
sys.dont_write_bytecode = True
import hooked_mod
show("import reads the source through the hook", (hooked_mod.VALUE, os.path.join(tmp, "hooked_mod.py") in seen))
try:
    import refused
except Exception as e:
    print(f"import of a refused file: {type(e).__name__}: {e}")

print("DONE")
