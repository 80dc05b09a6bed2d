import cy_capi as m

print(m.sorted_ints([5, -1, 3, 3, 0]), m.sorted_ints([]))
print(m.grow(6))
print(m.bytes_info(b"hello"))
print(m.utf8_roundtrip("héllo ☃"))
print(m.compare(1, 2), m.compare("b", "a"))
print(m.containers())
print(m.numbers(-(2 ** 62), 2.25))
try:
    m.raise_it("bad")
except ValueError as e:
    print("ValueError", e)
print(m.buffer_sum(b"\x01\x02\x03"), m.buffer_sum(bytearray(b"ab")))
print(m.capsule())
try:
    m.sorted_ints([1, "x"])
except TypeError as e:
    print("TypeError", e)
print("DONE")
