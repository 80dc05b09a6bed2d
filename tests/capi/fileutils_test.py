# The descriptor helpers of internal/pycore_fileutils.h.
import os
import tempfile
import fileutils_ext as ext

r, w = os.pipe()
print("dup (new, cloexec, inheritable):", ext.dup(r))
print("inherit:", ext.inherit(w))
print("blocking:", ext.blocking(r))
os.close(r)
os.close(w)

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "f.bin")
    print("roundtrip:", ext.roundtrip(os.fsencode(path), b"hello arena"))
    missing = os.fsencode(os.path.join(d, "missing"))
    for what in ["open", "dup", "read", "write", "fstat", "get_inheritable",
                 "set_inheritable", "get_blocking", "set_blocking"]:
        try:
            ext.fail(what, missing)
        except OSError as e:
            name = os.path.basename(e.filename) if e.filename else e.filename
            print(what, type(e).__name__, e.errno, e.strerror, name)
    print("noraise:", ext.noraise(missing))
print("DONE")
