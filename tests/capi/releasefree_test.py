import gc
import releasefree_ext as keep
gc.disable()   # CPython frees these by reference counting alone

def alive(t): return sum(1 for o in gc.get_objects() if type(o) is t)

# 1. objects that cannot be weakly referenced, handed to C and back, then dropped
for make in (lambda: TypeError("x"), lambda: iter([]), lambda: enumerate([]), lambda: zip()):
    t = type(make()); before = alive(t)
    for _ in range(5):
        keep.ident(make())
    print(f"{t.__name__:14} handed through C and dropped: {alive(t) - before} of 5 still alive")

# 2. an exception C raises keeps its traceback, and so the frames' locals, alive
class Resource:
    def __del__(self):
        print("  Resource finalized")
def use():
    r = Resource()
    keep.raise_new(ValueError)
try:
    use()
except ValueError:
    pass
print("  after the except block")
gc.collect()
print("  after gc.collect()")
print("DONE")
