# cython: language_level=3
# Fast paths Cython generates for typed builtins: str, bytes, list, dict,
# tuple, set, int and float operations.

def str_ops(str s):
    cdef Py_UCS4 ch
    cdef int upper = 0
    for ch in s:
        if ch.isupper():
            upper += 1
    return (len(s), s[0], s[-1], s[1:3], s[::-1], upper, s.upper(), s.split(","),
            s.startswith("He"), s.endswith("!"), s.find("o"), "o" in s, s.replace("l", "L"),
            s.strip("!H"), s * 2, s + "?", s.encode("utf-8"), ",".join([s, s]), s.count("l"),
            s.isdigit(), s.lower(), s.partition(","), f"<{s}:{len(s):03d}>", hash(s) == hash(str(s)))

def unicode_ops(str s):
    return len(s), s.encode("utf-8"), s.encode("utf-16-le"), [ord(c) for c in s], s.casefold(), s[1]

def bytes_ops(bytes b):
    cdef unsigned char c
    cdef long s = 0
    for c in b:
        s += c
    return (len(b), b[0], b[-1], b[1:3], s, b.decode("latin-1"), b + b"!", b"b" in b,
            b.split(b" "), b.upper(), bytearray(b), b.hex(), b * 2, b.find(b"c"))

def list_ops(list l):
    l.append(4)
    l.insert(0, -1)
    l.extend([5, 6])
    x = l.pop()
    y = l.pop(0)
    l[1] = 20
    del l[2]
    l.reverse()
    cdef list doubled = [v * 2 for v in l]
    return (l, x, y, len(l), l[0], l[-1], l[1:3], doubled, sorted(l), 20 in l, l.index(20),
            l.count(5), list(reversed(l)), l + [0], l * 2, min(l), max(l), sum(l))

def dict_ops(dict d):
    d["new"] = 1
    d.setdefault("other", [])
    v = d.pop("a", None)
    cdef list keys = []
    for k in d:
        keys.append(k)
    items = [(k, v) for k, v in d.items()]
    return (keys, items, list(d.values()), v, d.get("missing", "dflt"), "new" in d, len(d),
            {k: 1 for k in "ab"}, dict(d, extra=2), d.copy() == d, sorted(d.keys()))

def tuple_ops(tuple t):
    a, b, *rest = t
    return (a, b, rest, t[1:], t + (9,), len(t), t.count(1), t.index(3), t * 2, hash(t) == hash(tuple(t)))

def set_ops(set s):
    s.add(10)
    s.discard(1)
    return (sorted(s), sorted(s | {99}), sorted(s & {2, 10}), 10 in s, len(s), sorted({x % 3 for x in s}),
            frozenset(s) == s)

def int_ops(a, b):
    cdef long la = a
    cdef long lb = b
    return (a + b, a * b, a ** 3, a // b, a % b, -a, abs(-a), a << 70, (a << 70) >> 69, a & b, a | b, a ^ b,
            la * lb, la // lb, la % lb, int("123") + a, str(a), hex(a), int.from_bytes(b"\x01\x00", "little"),
            (2 ** 100) // a, divmod(a, b), pow(a, 2, 7), a == b, a < b, float(a) / b)

def float_ops(double x, y):
    return (x + y, x * y, x / y, x // y, x % y, -x, abs(x), x ** 2, round(x, 1), int(x), float("1.5") + x,
            repr(x), str(x / 3), x < y, float("inf") > x, (x != x))

def conversions():
    return (str(12), int(3.9), float(2), bool([]), bool([0]), list("ab"), tuple([1, 2]), set([1, 1]),
            dict([(1, 2)]), list(range(3)), list(zip("ab", [1, 2])), list(enumerate("xy")), repr("q"),
            bytes(3), sorted({"b": 1, "a": 2}), isinstance(1, int), isinstance(True, int), type(1.0).__name__)

def unpacking():
    a, (b, c), d = 1, (2, 3), [4]
    first, *mid, last = range(5)
    return a, b, c, d, first, mid, last

def string_formatting(name, double value, int n):
    return ("%s=%.2f" % (name, value), "{}:{:>5}".format(name, n), f"{value:.3e}", f"{n:#x}",
            "%d%%" % n, f"{name!r}")
