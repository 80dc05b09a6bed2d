import exported_ext as ext

print("new refs:", ext.new_refs(object()))
print("sequences:", ext.sequences([1, 2, 3], 2), ext.sequences("abc", "d"), ext.sequences((), None))
for bad in [(5, 1), (object(), 1)]:
    try:
        ext.sequences(*bad)
    except TypeError as e:
        print("sequences error:", type(e).__name__)
for s, n in [(slice(None), 10), (slice(1, -1, 2), 10), (slice(None, None, -1), 5), (slice(100, 200), 7),
             (slice(-100, 3), 4)]:
    print("indices:", s, n, ext.indices(s, n))
try:
    ext.indices(slice(0, 1, 0), 3)
except ValueError as e:
    print("indices error:", e)
print("nargs:", ext.nargs(0), ext.nargs(3))
for o in [object(), [1], 5]:
    try:
        ext.next_not_implemented(o)
    except TypeError as e:
        print("next not implemented:", e)
class Raises:
    @property
    def boom(self):
        raise KeyError("boom")
print("lookup attr:", ext.lookup_attr(1, "real"), ext.lookup_attr(object(), "missing"))
try:
    ext.lookup_attr(Raises(), "boom")
except KeyError as e:
    print("lookup attr error:", repr(e))
try:
    ext.lookup_attr(object(), 5)
except TypeError as e:
    print("lookup attr name:", e)
print("DONE")
