import hugealloc_ext as ext

for name in ["bytes_huge", "bytes_max", "bytes_resize_huge", "tuple_huge", "list_huge",
             "str_huge", "bytearray_huge", "bytearray_resize_huge", "generic_alloc_huge",
             "generic_alloc_small"]:
    print(name, getattr(ext, name)())

# The process goes on as usual afterwards.
print("after:", bytes(3), [0] * 3, "x" * 3)
print("DONE")
