"""memoryview of ctypes objects: c_wchar arrays (this panicked the host),
and the format and shape of common ctypes types."""
import ctypes
from ctypes import c_bool, c_char, c_double, c_int, c_wchar


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


w = (c_wchar * 3)("a", "b", "c")
show("wchar array:", lambda: (memoryview(w).format, memoryview(w).itemsize, memoryview(w).shape, memoryview(w).nbytes))
show("wchar array bytes:", lambda: memoryview(w).tobytes().decode("utf-32-le"))
show("wchar:", lambda: (memoryview(c_wchar("x")).format, memoryview(c_wchar("x")).itemsize))
show("int array:", lambda: (memoryview((c_int * 3)()).format, memoryview((c_int * 3)()).shape))
show("double:", lambda: memoryview(c_double()).format)
show("char array:", lambda: memoryview((c_char * 3)()).format)
show("bool array:", lambda: memoryview((c_bool * 2)()).format)
show("2d array:", lambda: memoryview(((c_int * 3) * 2)()).shape)
print("DONE")
