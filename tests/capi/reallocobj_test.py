# C that alone holds a variable-size object grows it with PyObject_Realloc
# and makes the new block an object again with PyObject_InitVar (guppy3's
# bitsets; CPython's own _PyBytes_Resize): the contents move with it.
import gc

import reallocobj_ext as ext

for n in (1, 2, 5, 100, 3000):
    v = ext.make(n)
    print(n, type(v).__name__, v.sum() == sum(i * i for i in range(n)))
vs = [ext.make(n) for n in range(1, 60)]
print(all(v.sum() == sum(i * i for i in range(n)) for n, v in zip(range(1, 60), vs)))
del v, vs
gc.collect()
print("DONE")
