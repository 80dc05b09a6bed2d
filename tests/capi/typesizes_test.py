# Cython's import-time check: a type smaller than the struct its headers
# declare is "size changed" (an error); larger is allowed for subclassable
# types. bool must be a whole one-digit PyLongObject, as in CPython.
import typesizes_ext

for name, basicsize, itemsize, struct_size in typesizes_ext.sizes():
    verdict = "ok" if basicsize >= struct_size else "size changed"
    print(f"{name}: itemsize {itemsize}, basicsize against the struct: {verdict}")
print("DONE")
