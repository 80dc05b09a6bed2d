# Cython's import-time check: a type smaller than the struct its headers
# declare is "size changed" (an error); larger is allowed for subclassable
# types. bool must be a whole one-digit PyLongObject, as in CPython.
import typesizes_ext

for name, basicsize, itemsize, struct_size in typesizes_ext.sizes():
    verdict = "ok" if basicsize >= struct_size else "size changed"
    print(f"{name}: itemsize {itemsize}, basicsize against the struct: {verdict}")

# Cython's rule for a type with items: one item, at least the struct's
# alignment, is added to basicsize (checked in every mode, also with
# `check_size ignore`). hunter's `types.CodeType` failed with basicsize 16.
for name, basicsize, itemsize, struct_size, align in typesizes_ext.varsizes():
    if itemsize:
        if struct_size % align:
            align = struct_size % align
        itemsize = max(itemsize, align)
    fits = basicsize + itemsize >= struct_size
    print(f"{name}: item {itemsize > 0}, Cython's check: {'ok' if fits else 'size changed'}")

print("DONE")
