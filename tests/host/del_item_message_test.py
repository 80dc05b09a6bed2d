# The TypeError for deleting an item of an object that has no deletion:
# CPython words it one way for an index (through PySequence_DelItem, as any
# class carries a sequence table) and another for any other key (msprime's
# tests match the latter).
class Plain:
    pass


class WithGet:
    def __getitem__(self, key):
        return key


for obj in (Plain(), WithGet(), 5, "text", (1, 2)):
    for key in ("x", 0, 1.5, True, None):
        try:
            del obj[key]
        except TypeError as e:
            print(type(obj).__name__, repr(key), e)
print("DONE")
