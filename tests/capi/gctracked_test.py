# gc.is_tracked and PyObject_GC_IsTracked answer as CPython's: a tuple or dict
# stays tracked while it holds anything that may be tracked, and only heap
# types (classes) are tracked among type objects (blist's tests).
import gc
import gctracked_ext as tracked
x, y = 1.5, "a"
cases = {
    "(1, 2, (None, ()), int)": (1, 2, (None, ()), int),
    "tuple([{x: y}])": tuple([{x: y}]),
    "({},)": ({},),
    "{1: {}}": {1: {}},
    "{1: (2, 3)}": {1: (2, 3)},
    "int": int,
    "class C: pass": type("C", (), {}),
}
gc.collect(); gc.collect()
for name, obj in cases.items():
    print(f"{name:26} gc.is_tracked={gc.is_tracked(obj)!s:5} PyObject_GC_IsTracked={tracked.is_tracked(obj)}")
print("DONE")
