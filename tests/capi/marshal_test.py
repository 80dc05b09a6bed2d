import marshal
import marshal_ext as ext

print("version", ext.version())

VALUES = [None, True, False, Ellipsis, StopIteration, 0, 1, -1, 255, 2**31 - 1, -2**31, 2**31, 2**63, -2**100,
          10**50, 0.0, -0.0, 1.5, 1e300, float("inf"), 1 + 2j, -0.5j, "", "ascii", "h\xe9llo", "\u20ac\U0001f600",
          "x" * 300, b"", b"bytes\x00\xff", bytearray(b"ba"), (), (1, "a", None), [1, [2, [3]]], {}, {"k": [1, 2], 3: 4.5},
          set(), {1, 2, 3}, frozenset({"a"}), ((1,), [(), {}]), memoryview(b"mv")]
for version in range(5):
    for v in VALUES:
        data = ext.dumps(v, version)
        back = ext.loads(data)
        same = back == v or (v != v and back != back)
        # Both directions agree with the marshal module.
        print(version, type(v).__name__, repr(back)[:60], type(back).__name__, same,
              marshal.loads(data) == back, ext.loads(marshal.dumps(v, version)) == back)

nan = ext.loads(ext.dumps(float("nan")))
print("nan", nan != nan)
shared = ["same"]
pair = ext.loads(ext.dumps([shared, shared]))
print("shared refs", pair, pair[0] is pair[1])
print("default version equals 4", ext.dumps((1, "a")) == ext.dumps((1, "a"), 4))


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__)
    else:
        print(label, "=", repr(r))


show("unmarshallable object", ext.dumps, object())
show("unmarshallable nested", ext.dumps, [1, lambda: 0])
show("empty data", ext.loads, b"")
show("bad type code", ext.loads, b"\x01")
show("truncated", ext.loads, ext.dumps("a long enough string")[:-3])
show("trailing data ignored", ext.loads, ext.dumps(7) + b"junk")

print("file", ext.file_round_trip((1, "two", [3.0], {"four": 4}, None), 0x12345678, 4))
print("file v2", ext.file_round_trip(((1, 2), b"x"), -2, 2))
print("long bytes", ext.long_bytes(1), ext.long_bytes(-1), ext.long_bytes(0x1234567890))
show("read long", ext.read_from, b"\x01\x02\x03\x04", "l")
show("read negative long", ext.read_from, b"\xfe\xff\xff\xff", "l")
show("read short", ext.read_from, b"\xff\x7f", "s")
show("read negative short", ext.read_from, b"\x00\x80", "s")
show("read long at EOF", ext.read_from, b"\x01\x02", "l")
show("read short at EOF", ext.read_from, b"\x01", "s")
show("read object", ext.read_from, marshal.dumps({"a": (1, 2)}), "o")
show("read last object", ext.read_from, marshal.dumps([1, 2, 3]), "L")
show("read object at EOF", ext.read_from, b"", "o")
show("read last object at EOF", ext.read_from, b"", "L")
print("DONE")
