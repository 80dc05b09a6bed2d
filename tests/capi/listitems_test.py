import gc

import listitems_ext as ext


def show(label, value):
    print(f"{label}: {value!r}")


show("from_array", ext.from_array((1, "two", 3.0, None)))
show("from_array empty", ext.from_array(()))
made = ext.from_array(tuple(range(5)))
made.append(5)
show("from_array then append in Python", made)
show("from_array is list", type(made) is list)

data = list(range(10))
show("raw_slice 2:5", ext.raw_slice(data, 2, 5))
show("raw_slice 0:100", ext.raw_slice(data, 0, 100))
show("raw_slice 7:3", ext.raw_slice(data, 7, 3))
data[3] = "three"
del data[0]
data.append("end")
show("raw_slice after Python changed it", ext.raw_slice(data, 0, 4))
show("raw_items", ext.raw_items(data))
data.clear()
show("raw_items of a cleared list", ext.raw_items(data))

class Sub(list):
    pass

show("raw_items of a list subclass", ext.raw_items(Sub([1, 2, 3])))

me = [1, 2]
me.append(me)
show("contains_itself", ext.contains_itself(me))
show("contains_itself (no)", ext.contains_itself([1, [2]]))

outer = [["a", "b", "c"], "x"]
show("inner_items", ext.inner_items(outer))
outer[0].append("d")
show("inner_items after append", ext.inner_items(outer))

target = [3, 1, 2]
show("mutate_and_read", ext.mutate_and_read(target))
show("mutate_and_read list", target)

target = ["p", "q", "r"]
show("set_and_read", ext.set_and_read(target))
show("set_and_read list", target)

show("fast_items list", ext.fast_items([4, 5, 6]))
show("fast_items tuple", ext.fast_items((7, 8)))
show("fast_items range", ext.fast_items(range(3)))

held = [1, 2, 3]
ext.keep(held)
held.append(4)
held[0] = "first"
show("kept_items after Python changes", ext.kept_items())
held.sort(key=str)
show("kept_items after sort", ext.kept_items())
del held[:]
show("kept_items after clearing", ext.kept_items())
ext.keep(None)

seen = []
def callback(lst):
    seen.append(list(lst))
    lst.append(3)
    lst[0] = "one"
show("round_trip", ext.round_trip(callback))
show("round_trip callback saw", seen)

popped = [1, "two", 3.5]
show("pop_by_size", ext.pop_by_size(popped))
show("pop_by_size list after", popped)
show("pop_by_size twice", (ext.pop_by_size(popped), popped))

grown = [0]
for i in range(1, 20):
    ext.append_fast(grown, i * i)
show("append_fast", grown)
grown.append("py")
show("append_fast then Python", ext.raw_items(grown)[-3:])

# An item Python removes from a list C holds is not kept alive by C's view
# of the list (once a collection has run, which brings that view up to date).
import weakref

class Item:
    pass

held = [Item(), Item()]
ext.keep(held)
ext.kept_items()              # C has seen (and mirrored) both items
watch = weakref.ref(held[0])
del held[0]
gc.collect()
show("removed item freed", watch() is None)
show("kept list after removal", len(ext.kept_items()))
ext.keep(None)

# Many crossings of one list: items stay right, nothing accumulates.
big = list(range(1000))
total = 0
for i in range(200):
    big[i] = -i
    total += sum(ext.raw_slice(big, i, i + 2))
show("200 slices", total)
gc.collect()
show("stored, then written in ob_item", ext.store_then_write())
print("DONE")
