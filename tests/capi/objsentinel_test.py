import gc

import objsentinel_ext as ext

a, b = object(), object()
ext.store([a, b, a])
gc.collect()
print("read back after the call:", ext.read(0) is a, ext.read(1) is b, ext.read(2) is a)
for _ in range(3):
    ext.replace(0, a)
    ext.replace(2, a)
print("after replacing with the same object:", ext.read(0) is a, ext.read(2) is a)
# Many calls later (the layer's sweeps of kept values run meanwhile).
junk = [ext.read(1) for _ in range(5000)]
del junk
gc.collect()
print("still valid:", ext.read(0) is a, ext.read(1) is b)
ext.replace(1, a)
print("b replaced by a:", ext.read(1) is a)
del b
print("DONE")
