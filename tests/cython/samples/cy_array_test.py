import array

import cy_array as m

print(m.total(array.array('d', [1.0, 2.5, 3.5])))
print(m.describe(array.array('d', [1.0])), m.describe(array.array('H')), m.describe(array.array('b', [1, 2, 3])))
print(m.squares(6), m.squares(0))
print(m.zeros_like(array.array('i', [5, 6, 7])))
a = array.array('i', [1, 2, 3])
print(m.doubled_copy(a), a)
m.fill_in_place(a, 100)
print(a)
print(m.grow_to(array.array('I', [1, 2]), 5))
print(m.grow_to(array.array('I'), 3))
print(m.append_raw(array.array('h', [1]), array.array('h', [2, 3]).tobytes()))
r = m.resize_smart_many(array.array('i'), 10)
print(r, len(r))
print(m.shrink(array.array('i', range(10)), 4), m.shrink(array.array('i', [1]), 0))
v = array.array('i', [5, 6, 7])
print(m.from_memview(v), v)
print(m.extend_arrays(array.array('i', [1]), array.array('i', [2, 3])))
print(m.zero_it(array.array('d', [1.5, 2.5])).tolist())
h = m.Holder()
for x in (3.5, 4.5, 5.5):
    h.push(x)
kept = h.get()
print(kept, len(kept))
h.push(10.0)
print(h.get().tolist())
# Python resizes the array between two calls that hand it to C.
b = array.array('i', [1, 2])
m.fill_in_place(b, 5)
b.append(7)
b.extend([8, 9])
m.fill_in_place(b, 0)
print(b, m.grow_to(array.array('I', [4]), 2), m.doubled_copy(b))
class Sub(array.array):
    pass
s = m.zeros_like(Sub('i', [1, 2]))
print(type(s).__name__, s.tolist())
print("DONE")
