# In-place set operators with an operand that is not a set: CPython's
# return NotImplemented and the operator falls back to the binary one
# (a new set is bound); with a set they change the set itself.
keys = {2: "b", 3: "c"}.keys()
for op in ("|=", "&=", "-=", "^="):
    s = {1, 2}
    original = s
    try:
        exec(f"s {op} keys")
    except TypeError as e:
        print(op, "dict keys: TypeError", e)
    else:
        print(op, "dict keys:", sorted(s), "same object:", s is original)
    s = {1, 2}
    original = s
    exec(f"s {op} frozenset({{2, 3}})")
    print(op, "frozenset:", sorted(s), "same object:", s is original)
    s = {1, 2}
    try:
        exec(f"s {op} [2, 3]")
    except TypeError as e:
        print(op, "list: TypeError")


class Keys(set):
    pass


s = Keys({1})
s |= {5: 0}.keys()
print("subclass |= keys:", type(s).__name__, sorted(s))
print("DONE")
