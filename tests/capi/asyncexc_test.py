import threading
import time

import asyncexc_ext as ext


class Stop(Exception):
    pass


# This thread: raised by the time the next call into C has returned.
try:
    ext.set_async_exc(threading.get_ident(), Stop)
    ext.noop()
    for _ in range(100):
        pass
    print("this thread: not raised")
except Stop as e:
    print("this thread: raised", type(e).__name__)

# An instance, not a class: CPython raises it with PyErr_SetNone, a SystemError.
try:
    ext.set_async_exc(threading.get_ident(), Stop())
    ext.noop()
    for _ in range(100):
        pass
    print("an instance: not raised")
except SystemError:
    print("an instance: SystemError")
except Stop:
    print("an instance: raised Stop")

print("unknown thread id:", ext.set_async_exc(12345, Stop))
print("asked and withdrawn:", ext.set_then_clear(threading.get_ident(), Stop))
ext.noop()
print("withdrawn: nothing raised")

# Another thread, busy calling into C, stops with the exception.
ready = threading.Event()
outcome = []


def worker():
    ready.set()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ext.noop()
        outcome.append("not raised")
    except Stop as e:
        outcome.append("raised " + type(e).__name__)


t = threading.Thread(target=worker)
t.start()
ready.wait()
print("other thread reached:", ext.set_async_exc(t.ident, Stop))
t.join()
print("other thread:", outcome)
print("DONE")
