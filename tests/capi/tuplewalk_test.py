# Walking a long tuple item by item from C, with each access function. Each
# access must cost the same whatever the tuple's length (a walk that was
# quadratic, 25 s for 65,536 items, runs past the harness's time limit at
# this length).
import tuplewalk_ext as m

N = 131072
names = ["PyTuple_GET_ITEM", "PyTuple_GetItem", "PySequence_GetItem", "PySequence_ITEM", "PyObject_Length"]
for label, make in [("None", lambda n: (None,) * n), ("ints", lambda n: tuple(range(n))), ("mixed", lambda n: (None, 1) * (n // 2))]:
    for how, name in enumerate(names):
        print(label, name, m.walk(make(N), how))
print("negative index:", m.item(("a", "b", "c"), -1), m.item(("a", "b", "c"), 0))
for bad in (3, -4):
    try:
        m.item(("a", "b", "c"), bad)
    except IndexError as e:
        print("IndexError", bad, e)
print("subclass:", m.item(type("T", (tuple,), {"__getitem__": lambda self, i: "own"})((1, 2)), 0))
print("DONE")
