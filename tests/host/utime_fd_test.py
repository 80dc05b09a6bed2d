# os.utime with a file descriptor, which the host refused (pyfuse3).
import os, tempfile
fd, name = tempfile.mkstemp()
print("utime in supports_fd:", os.utime in os.supports_fd)
for kw in [dict(dir_fd=3), dict(follow_symlinks=False), dict(times=(1, 2), ns=(1, 2)), dict(times=1), dict(ns=(1,))]:
    try:
        os.utime(fd, **kw); print(kw, "ok")
    except Exception as e:
        print(kw, type(e).__name__, e)
for args, kw in [(((1.5, 2.25),), {}), ((), dict(ns=(-1, 3))), ((None,), {})]:
    try:
        os.utime(fd, *args, **kw)
        s = os.fstat(fd)
        print(args, kw, s.st_atime_ns if args != (None,) else "now", s.st_mtime_ns if args != (None,) else "")
    except Exception as e:
        print(args, kw, type(e).__name__, e)
os.close(fd); os.unlink(name)
