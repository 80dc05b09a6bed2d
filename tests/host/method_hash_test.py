"""hash() of builtin functions and bound builtin methods agrees with ==:
a fresh bound method finds the dict entry of an equal one."""
import _struct

items = []
other = []
s = _struct.Struct("i")
table = {items.append: "append", items.pop: "pop", len: "len", s.pack: "pack"}
for label, function in [("items.append", items.append), ("items.pop", items.pop), ("len", len), ("s.pack", s.pack)]:
    print(label, "found:", table.get(function), "hash equal:", hash(function) == hash(function))
print("other.append found:", table.get(other.append), "equal:", other.append == items.append)
print("unhashable self still hashes:", isinstance(hash([].append), int))
