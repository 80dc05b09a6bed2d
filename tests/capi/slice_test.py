import slice_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return
    print(f"{label}: returned {r!r}")


class Index:
    def __index__(self):
        return 2

    def __repr__(self):
        return "Index()"


show("Fields 1:2:3", ext.fields(slice(1, 2, 3)))
show("Fields :5", ext.fields(slice(5)))
show("Fields None parts", ext.fields(slice(None, None, None)))
obj = object()
s = slice("a", obj, [1])
f = ext.fields(s)
show("Fields are the objects", (f[0] is s.start, f[1] is obj, f[2] is s.step))
show("Fields via subscript", ext.fields(slice(-1, None, -2)))
err("Fields of an int", ext.fields, 5)
show("New", ext.new_and_read(1, 10, 2))
show("New defaults", ext.new_and_read(None, 3))
show("New any objects", ext.new_and_read("x", "y", "z"))

for sl, n in [(slice(None), 10), (slice(2, -2), 10), (slice(None, None, -1), 5), (slice(-100, 100, 3), 10),
              (slice(Index(), None), 5), (slice(5, 1, -2), 10)]:
    show(f"GetIndicesEx {sl!r} {n}", ext.indices_ex(sl, n))
err("GetIndicesEx zero step", ext.indices_ex, slice(None, None, 0), 5)
err("GetIndicesEx bad part", ext.indices_ex, slice("a"), 5)
for sl, n in [(slice(1, 3), 5), (slice(None), 5), (slice(None, None, -1), 5), (slice(-2, None), 5),
              (slice(1, 10), 5), (slice(7, None), 5), (slice(None, None, 0), 5), (slice(Index()), 5),
              (slice(2 ** 80), 5)]:
    show(f"GetIndices {sl!r} {n}", ext.indices_old(sl, n))
for label, part in [("object", object()), ("int", 12345678)]:
    before = ext.refcnt(part)
    ext.exercise(part)
    s = slice(part)
    ext.fields(s)
    ext.fields(s)
    del s
    show(f"Refcount neutral {label}", ext.refcnt(part) - before)

print("DONE")
