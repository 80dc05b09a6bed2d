import bytearray_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return
    print(f"{label}: returned {r!r}")


class MyBytes(bytearray):
    pass


show("FromStringAndSize", ext.from_string(b"hello", 5))
show("FromStringAndSize prefix", ext.from_string(b"hello", 2))
show("FromStringAndSize empty", ext.from_string(b"", 0))
err("FromStringAndSize negative", ext.from_string, b"x", -1)
show("Filled in C", ext.filled_in_c(5))
show("Filled in C empty", ext.filled_in_c(0))
show("FromObject bytes", ext.from_object(b"abc"))
show("FromObject list", ext.from_object([1, 2, 255]))
show("FromObject memoryview", ext.from_object(memoryview(b"mv")))
show("FromObject int", ext.from_object(3))
err("FromObject float", ext.from_object, 1.5)
err("FromObject str", ext.from_object, "text")
src = bytearray(b"same")
copy = ext.from_object(src)
show("FromObject copies", (copy == src, copy is src))
show("Concat", ext.concat(bytearray(b"ab"), b"cd"))
show("Concat bytes+bytes", ext.concat(b"ab", b"cd"))
show("Concat memoryview", ext.concat(memoryview(b"x"), bytearray(b"y")))
err("Concat int", ext.concat, bytearray(b"a"), 1)
err("Concat str first", ext.concat, "a", b"b")

ba = bytearray(b"abc")
show("Sizes", ext.sizes(ba))
show("Sizes empty", ext.sizes(bytearray()))
show("Contents", ext.contents(ba))
show("Contents empty", ext.contents(bytearray()))
ext.poke(ba, 0, ord("X"))
show("C write seen by Python", ba)
ba[1] = ord("Y")
show("Python write seen by C", ext.contents(ba))
ba.extend(b"defgh")
show("After Python extends", ext.contents(ba))
del ba[:2]
show("After Python deletes", ext.contents(ba))
show("Buffer is the storage", ext.same_memory(ba))

ba = bytearray(b"abcdef")
ext.resize(ba, 3)
show("Resize smaller", ba)
ext.resize(ba, 5)
show("Resize larger (new bytes unspecified)", (ba[:3], ext.sizes(ba)))
ext.resize(ba, 0)
show("Resize to 0", (ba, ext.contents(ba)))
ba = bytearray(b"xyz")
err("Resize while exported", ext.resize_exported, ba, 10)
show("Unchanged", ba)
show("Resize to same size while exported", ext.resize_exported(ba, 3))
m = memoryview(ba)
err("Resize while a memoryview exists", ext.resize, ba, 1)
m.release()
ext.resize(ba, 1)
show("Resize after release", ba)

sub = MyBytes(b"sub")
show("Subclass contents", ext.contents(sub))
ext.poke(sub, 0, ord("S"))
show("Subclass write", sub)
for label, obj in [("bytearray", bytearray()), ("subclass", MyBytes()), ("bytes", b""), ("list", [])]:
    show(f"Checks {label}", ext.checks(obj))
show("Refcount neutral", ext.refcount_neutral(bytearray(b"rc")))

grown = bytearray(b"abc")
show("append_by_resize", (ext.append_by_resize(grown, ord("X")), grown))
grown.extend(b"--")
show("append_by_resize after Python grew it", (ext.append_by_resize(grown, ord("Y")), grown))
del grown[:4]
show("append_by_resize after Python shrank it", (ext.append_by_resize(grown, ord("Z")), grown))

for start in (b"", b"xy", b"0123456789" * 3):
    trimmed = bytearray(start)
    ext.write_and_trim(trimmed, 40, b"encoded")
    show(f"write_and_trim into {len(start)} bytes", (bytes(trimmed), len(trimmed)))
grows = bytearray(b"ab")
show("a callback grows it while C holds it", (ext.call_with(grows, lambda b: b.extend(b"cdef")), bytes(grows)))

print("DONE")
