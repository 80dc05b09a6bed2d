import gc

import immutablebase_ext as ext


def show(label, value):
    print(label + ":", repr(value))


def attempt(label, f):
    try:
        show(label, f())
    except Exception as e:
        print(label + ": raised", type(e).__name__, e)


m = ext.Meters(1.5)
show("float base", (float(m), m + 1, m * 2, m.millis(), m.scale, type(m).__name__))
show("float base repr/hash", (repr(m), hash(m) == hash(1.5), m == 1.5, m < 2))
show("float checks", ext.checks(m))
m.scale = 10
show("member set", (m.scale, m.millis()))
made = ext.make_meters(2.25)
show("made by C", (float(made), made.millis(), type(made).__name__))
attempt("float from str", lambda: float(ext.Meters("3.5")))
attempt("float bad arg", lambda: ext.Meters("abc"))


class Feet(ext.Meters):
    def describe(self):
        return "feet %s" % float(self)


f = Feet(3.0)
show("Python subclass of float base", (f.describe(), f.millis(), f + 0.5, isinstance(f, float)))

t = ext.Tag("Hello World")
show("str base", (str(t), t.upper(), t.canonical, len(t), t[0], t + "!", "Hello" in t))
show("str base C view", t.info())
show("str base dict key", ({t: 1}["Hello World"], {"Hello World": 2}[t], hash(t) == hash("Hello World")))
show("str checks", ext.checks(t))
show("str formatting", ("<%s>" % t, f"{t}", "-".join([t, t])))
u = ext.Tag("ÄÖü ✓")
show("non-ASCII str base", (str(u), u.canonical, u.info()))
attempt("str from bytes", lambda: str(ext.Tag(b"ab", "ascii")))

n = ext.Flag(21)
show("int base", (int(n), n + 1, n.doubled(), n * 2, n == 21, hash(n) == hash(21), n > 3))
show("int checks", ext.checks(n))
big = ext.Flag(2 ** 80)
show("big int base", (int(big), big.doubled() if False else big * 2))
show("int from str", int(ext.Flag("7f", 16)))
show("int index", ([0, 1, 2, 3][ext.Flag(2)], range(10)[ext.Flag(3)]))

p = ext.Pair(1, "two")
show("tuple base", (tuple(p), p[0], p[1], len(p), p.swap(), p == (1, "two"), list(p)))
show("tuple checks", ext.checks(p))
show("tuple unpack", [a for a in p])
attempt("tuple bad arity", lambda: ext.Pair(1))

b = ext.Blob(b"abc")
show("bytes base", (bytes(b), b.checksum(), len(b), b[1], b.upper(), b + b"d"))
show("bytes checks", ext.checks(b))
show("bytes from list", (ext.Blob([104, 105]), ext.Blob([104, 105]).checksum()))

before = ext.deallocs()
for i in range(50):
    ext.Meters(float(i)).millis()
    ext.Tag("x%d" % i).info()
gc.collect()
show("deallocs", ext.deallocs() - before)

# A Tag whose struct C wrote itself after tp_alloc (multidict's istr).
t = ext.tag_from_text("HeLLo")
show("tag from text", (t, type(t).__name__, t == "HeLLo", t.canonical, len(t), t.upper(), hash(t) == hash("HeLLo")))
show("tag from text info", t.info())
show("tag from text in a dict", {t: 1}["HeLLo"])
before = ext.deallocs()
del t
gc.collect()
show("tag from text dealloc", ext.deallocs() - before)
print("DONE")
