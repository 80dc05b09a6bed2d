import collections.abc

import seqslots_ext as ext


def attempt(label, f, *args):
    try:
        print(f"{label}: {f(*args)!r}")
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}: {e}")


s = ext.Seq()
print("Seq.__hash__ in its dict:", ext.Seq.__dict__.get("__hash__", "<missing>"))
attempt("hash(Seq())", hash, s)
print("Seq is Hashable:", isinstance(s, collections.abc.Hashable))
attempt("hash(Hashed()), whose __hash__ is only a method", hash, ext.Hashed())
for name in ("__add__", "__iadd__", "__mul__", "__rmul__", "__imul__"):
    f = getattr(s, name, None)
    print(name, f(3) if f is not None else "<missing>")
attempt("Seq().__mul__('x')", s.__mul__, "x")
print("operators:", s + s, s * 2, 2 * s)
t = ext.Seq()
t += s
u = ext.Seq()
u *= 4
print("in place:", t, u)

ba = bytearray(16)
m = memoryview(ba)
for lo, hi in [(3, 8), (3, 3), (5, 5), (16, 16), (0, 0)]:
    print(f"view [{lo}:{hi}] offset and length:", ext.buffer_offset(ba, m[lo:hi]))
print("PySequence_Fast(list) is the list:", ext.fast_is_same([1, 2]), "tuple:", ext.fast_is_same((1,)),
      "range:", ext.fast_is_same(range(2)))
grow = [1, 2]
print("PySequence_Fast of a list sees later changes:", ext.fast_after_change(grow, lambda: grow.append(3)))
# PySequence_Check and PyMapping_Check follow the type's own tables.
class PyKeyed(ext.Keyed):
    pass


class PyIndexed(ext.Keyed):
    def __getitem__(self, i):
        return i


for label, obj in [("mapping-only C type", ext.Keyed()), ("C type with sq_item", ext.Indexed()),
                   ("C type with sq_length only", ext.Seq()), ("its Python subclass", PyKeyed()),
                   ("a Python subclass with __getitem__", PyIndexed()), ("list", []), ("dict", {}), ("int", 1)]:
    print(f"sequence, mapping check of a {label}:", ext.checks(obj))


class PyKeyedSub(ext.KeyedSub):
    pass


# Only a type with sq_item (or __iter__, or a Python __getitem__) iterates;
# one that inherits mp_subscript alone is not iterable, C subtype or not.
for label, obj in [("mapping-only C type", ext.Keyed()), ("its C subtype", ext.KeyedSub()),
                   ("a Python subclass of that", PyKeyedSub()), ("its Python subclass", PyKeyed()),
                   ("a Python subclass with __getitem__", PyIndexed()), ("C type with sq_item", ext.Indexed())]:
    try:
        it = iter(obj)
        result = f"iterates: {next(it)}, {next(it)}"
    except TypeError:
        result = "not iterable"
    print(f"iter() of a {label}: {result}; checks {ext.checks(obj)}; obj['k'] = {obj['k'] if label != 'C type with sq_item' else '-'}")

class Both(ext.Shim, ext.LaidOut):
    pass
class Later(Both):
    pass
both = Both()
print("two C bases:", both["k"], both[0], Both.__getitem__(both, 1), Later()[2], len(both))
print("DONE")
