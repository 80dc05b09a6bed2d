# A PyObject header that C embeds in its own instance's struct (guppy3's
# bitsets keep their first union object so): Py_REFCNT and the inline
# Py_INCREF/Py_DECREF read and write its ob_refcnt, as in CPython.
import embeddedobj_ext as ext

objs = [ext.Outer() for _ in range(100)]
print("refcnt:", {o.refcnt() for o in objs})
print("incref/decref:", {o.incdec() for o in objs})
print("DONE")
