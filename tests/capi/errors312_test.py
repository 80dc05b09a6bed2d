import errors312_ext as ext

exc, pending = ext.raised(ValueError, "bad value")
print("raised:", type(exc).__name__, exc.args, "still pending:", pending)
exc, pending = ext.raised(KeyError, KeyError("k"))
print("raised instance:", type(exc).__name__, exc.args, pending)
print("nothing raised gives NULL:", ext.nothing_raised())
try:
    ext.reraise(OSError(2, "missing"))
except OSError as e:
    print("reraised:", type(e).__name__, e.errno, e.strerror)
print("NULL clears:", ext.clear_with_null())
print("args:", ext.args_of(RuntimeError("a", 1)))
e = ext.set_args(RuntimeError("a"), ("b", 2))
print("set args:", e.args, str(e))
try:
    ext.set_args(RuntimeError("a"), 5)
except TypeError as e:
    print("set args to a non-iterable:", type(e).__name__)
print("DONE")
