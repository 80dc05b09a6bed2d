import sys
import recdepth_ext as m

def depth():
    f, n = sys._getframe(), 0
    while f:
        n, f = n + 1, f.f_back
    return n

sys.setrecursionlimit(100)
n, exc = m.enter_until_fail()
print("enter_until_fail: ok levels + python depth =", n + depth(), exc)


# C calls an object at each level, ignoring a failed Py_EnterRecursiveCall
# (pikepdf's StackGuard): a call near the limit fails with RecursionError.
# Where exactly depends on the kind of callable (CPython checks Python
# frames and tp_call, not a builtin's vectorcall), so only that is shown.
def near_limit(result):
    failed_at, entered, exc = result
    return 90 <= failed_at <= 100, entered, exc


print("nested_calls(200, list):", near_limit(m.nested_calls(200, list)))
print("nested_calls(200, lambda):", near_limit(m.nested_calls(200, lambda: None)))


# The same from Python frames further down.
def nested(k, f):
    return nested(k - 1, f) if k else f()


n, exc = nested(5, m.enter_until_fail)
print("5 frames down: ok levels + python depth =", n + depth() + 6, exc)
print("5 frames down, nested_calls(200, list):", nested(5, lambda: near_limit(m.nested_calls(200, list))))
sys.setrecursionlimit(1000)
print("DONE")
