import sys

import refcntnogil_ext as ext

print("nogil None:", ext.refcnt_nogil(None))
print("nogil list:", ext.refcnt_nogil([1, 2]))
ext.keep_until_exit(None)  # the C atexit handler prints its line, then DONE
sys.stdout.flush()
