"""range indexing and slicing errors, and slice.indices(), word their
messages as CPython 3.11 does."""


class Index:
    def __index__(self):
        return 2


class BadIndex:
    def __index__(self):
        raise ValueError("from __index__")


r = range(10)
for label, f in [
    ("[::0]", lambda: r[::0]),
    ("['a']", lambda: r["a"]),
    ("[1.5]", lambda: r[1.5]),
    ("[None]", lambda: r[None]),
    ("['a':]", lambda: r["a":]),
    ("[:'a']", lambda: r[:"a"]),
    ("[::'x']", lambda: r[::"x"]),
    ("[Index()]", lambda: r[Index()]),
    ("[Index():]", lambda: r[Index():]),
    ("[BadIndex()]", lambda: r[BadIndex()]),
    ("[BadIndex():]", lambda: r[BadIndex():]),
    ("[100]", lambda: r[100]),
    ("[-11]", lambda: r[-11]),
    ("[2**100]", lambda: r[2**100]),
    ("[1:8:3]", lambda: r[1:8:3]),
    ("[::-2]", lambda: r[::-2]),
    ("slice(0, 5, 0).indices(5)", lambda: slice(0, 5, 0).indices(5)),
    ("slice('a').indices(5)", lambda: slice("a").indices(5)),
    ("slice(1, None, 2).indices(7)", lambda: slice(1, None, 2).indices(7)),
]:
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)
