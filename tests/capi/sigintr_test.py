import signal
import threading

import sigintr_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except BaseException as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return None
    print(f"{label}: returned {r!r}")
    return r


# PyOS_InterruptOccurred: true once for a SIGINT not yet handled, which its
# handler then never sees.
show("nothing pending", ext.interrupt_occurred())
show("SIGINT raised in C", ext.interrupt_occurred(1))
show("PyErr_SetInterrupt", ext.interrupt_occurred(0, 1))
err("checked first: the handler runs", ext.raise_and_check)
hits = []
signal.signal(signal.SIGINT, lambda signum, frame: hits.append(signum))
show("Python handler, consumed", ext.interrupt_occurred(1))
signal.raise_signal(signal.SIGINT)
show("handler ran for raise_signal only", hits)
show("handled, then nothing pending", ext.interrupt_occurred())
signal.signal(signal.SIGINT, signal.SIG_IGN)
show("SIG_IGN", ext.interrupt_occurred(1))
signal.signal(signal.SIGINT, signal.default_int_handler)
show("thread made in C: never; then the main thread", ext.other_thread())
show("then nothing", ext.interrupt_occurred())
print("DONE")
