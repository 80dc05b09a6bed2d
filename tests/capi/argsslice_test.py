# The argument array of a METH_FASTCALL function sliced with PyTuple_GetSlice
# (C from Cython 3.0.1 to 3.0.12 for `def f(a, *args)`), and a tuple sliced
# as before.
import argsslice_ext as ext

print(ext.rest(1))
print(ext.rest(1, "two", 3.0, None))
print(ext.rest(*range(10)))
print(ext.slice((1, 2, 3, 4), 1, 3), ext.slice((1, 2), 5, 9), ext.slice((1, 2, 3), -5, 2))
print("DONE")
