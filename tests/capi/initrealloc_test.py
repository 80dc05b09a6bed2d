import sys
import gc
import initrealloc_ext as m

for grow in (False, True):
    o = m.make(grow)
    rc = sys.getrefcount(o)
    before = m.freed()
    del o
    gc.collect()
    print("realloc after PyObject_Init:" if grow else "no realloc:", "getrefcount", rc,
          "freed on del:", m.freed() - before)
print("DONE")
