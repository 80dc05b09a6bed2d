import cy_subbuiltins as m

f = m.MyFloat(1.5)
print("float", f == 1.5, float(f), f.extra, f.doubled(), f + 1, repr(f), isinstance(f, float), hash(f) == hash(1.5))
s = m.MyStr("abc")
print("str", s == "abc", len(s), s.tag, s.shout(), s + "d", str(s), repr(s), s.startswith("a"), {s: 1}["abc"])
s2 = m.make_str("xyz")
print("str2", s2, type(s2).__name__, s2.tag)
c = m.MyComplex(1, 2)
print("complex", c == 1 + 2j, c.real, c.imag)


class PyStr(m.MyStr):
    pass


p = PyStr("sub")
print("pystr", p == "sub", p.tag, p.shout(), type(p).__name__)
print("DONE")
