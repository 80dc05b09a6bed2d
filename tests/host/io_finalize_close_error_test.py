# A file object whose descriptor was closed by hand is finalized without a
# report unless in development mode (pyparted's tests: 115 "Exception ignored").
import gc, io, os, subprocess, sys, tempfile

def hook(u):
    print("  unraisable:", type(u.exc_value).__name__, getattr(u.exc_value, "errno", None), type(u.object).__name__)

sys.unraisablehook = hook
print("dev_mode:", sys.flags.dev_mode)
fd, name = tempfile.mkstemp()
for label, make in [("FileIO", lambda fd: io.FileIO(fd, "r")),
                    ("BufferedReader", lambda fd: os.fdopen(fd, "rb")),
                    ("TextIOWrapper", lambda fd: os.fdopen(fd, "r"))]:
    d = os.dup(fd)
    f = make(d)
    os.close(d)
    print(label, "dropped")
    del f
    gc.collect()

class Bad(io.IOBase):
    def close(self):
        raise OSError(5, "close failed")
b = Bad()
print("IOBase subclass dropped")
del b
gc.collect()
os.close(fd); os.unlink(name)
if not sys.flags.dev_mode:
    out = subprocess.run([sys.executable, "-X", "dev", "-W", "ignore", __file__], capture_output=True, text=True).stdout
    print(out, end="")
