# PyEval_SetProfile and PyEval_SetTrace write the function and its object
# into the calling thread's state, as CPython does: C reads
# tstate->c_profilefunc to learn whether its own function is still the one
# installed (memray drops its stack otherwise).
import tracestate_ext as ext


def f():
    return g()


def g():
    return 1


print("start: c_profilefunc set, c_profileobj set:", ext.start())
f()
print("inside: ours, any:", ext.state())
res = ext.stop()
print("stop: cleared:", res[0], "calls/returns:", res[1] > 0, res[2] > 0, "frame != PyEval_GetFrame():", res[3])
print([e for e in res[4] if e.split()[1] in ("f", "g")])
print("after stop: ours, any:", ext.state())
print("PyEval_SetTrace: set, cleared:", ext.trace_fields())
import sys


class Marker:
    pass


marker = Marker()
ext.install_with(0, marker)
print("sys.gettrace() is the C function's object:", sys.gettrace() is marker)
ext.install_with(0, None)
print("after removing it:", sys.gettrace())
ext.install_with(1, marker)
print("sys.getprofile() is the C function's object:", sys.getprofile() is marker)
ext.install_with(1, None)
print("after removing it:", sys.getprofile())
print("DONE")
