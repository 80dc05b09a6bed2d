# The 'exception' event of a trace function carries the traceback entry of
# the frame it happens in, as CPython's does (the traceback is extended
# before the trace function is called): the host called it first, so the
# frame where an exception was raised reported a traceback of None.
import sys

events = []


def tracer(frame, event, arg):
    if event == "exception":
        exc_type, exc, tb = arg
        where = None if tb is None else (tb.tb_frame.f_code.co_name, tb.tb_lineno - frame.f_code.co_firstlineno)
        events.append((frame.f_code.co_name, exc_type.__name__, where))
    return tracer


def inner():
    raise KeyError("k")


def outer():
    try:
        inner()
    except KeyError:
        pass
    try:
        raise ValueError("v")
    except ValueError:
        try:
            raise
        except ValueError:
            pass


sys.settrace(tracer)
outer()
sys.settrace(None)
for event in events:
    print(event)
print("DONE")
