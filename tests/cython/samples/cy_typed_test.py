import array
import cy_typed as m

print(m.biggest(3, 7), m.biggest(2.5, 1.0), m.biggest[int](5, 4) if hasattr(m.biggest, "__getitem__") else None)
print(m.fused_names())
a = array.array("d", [1.0, 2.5, 3.5, 4.0])
print(m.total(a))
m.scale_inplace(a, 2)
print(a.tolist())
print(m.slices(a))
grid = array.array("l", range(6))
mv = memoryview(grid).cast("B").cast("l", [2, 3])
print(m.sum_2d(mv))
print(m.byte_sum(b"\x01\x02\xff"), m.byte_sum(bytearray(b"abc")))
arr = m.make_array(5)
print(list(memoryview(arr)), memoryview(arr).format, memoryview(arr).shape)
print(m.nogil_work(1000))
print(m.divisions(7, 2), m.divisions(-7, 2))
try:
    m.divisions(1, 0)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
try:
    m.bounds(a, 10)
except IndexError as e:
    print("IndexError", e)
print(m.bounds(a, -1))
for bad in [2**40, "x"]:
    try:
        m.overflow(bad)
    except (OverflowError, TypeError) as e:
        print(type(e).__name__, e)
try:
    m.unsigned(-1)
except OverflowError as e:
    print("OverflowError", e)
print(m.conversions(2**40, 3.75, 0, 65, "é"))
try:
    m.total(array.array("i", [1]))
except ValueError as e:
    print("ValueError", e)
print("DONE")
