import operator

import protocols_ext as ext

Num, Seq, Map = ext.Num, ext.Seq, ext.Map


def show(label, value):
    print(label + ":", repr(value))


def attempt(label, f, *args, message=True):
    try:
        show(label, f(*args))
    except Exception as e:
        print(label + ": raised", type(e).__name__, str(e) if message else "")


a, b = Num(7), Num(3)
for name in ["add", "sub", "mul", "mod", "lshift", "rshift", "and_", "xor", "or_", "floordiv", "truediv", "matmul"]:
    op = getattr(operator, name)
    show(name, (op(a, b), op(a, 2), op(10, b)))
show("divmod", (divmod(a, b), divmod(17, b)))
show("pow", (a ** 2, pow(a, 2, 5), 2 ** Num(3)))
show("unary", (-a, +a, abs(Num(-4)), ~a))
show("bool", (bool(Num(0)), bool(a)))
show("int/float/index", (int(a), float(a), operator.index(a), [10, 20, 30, 40, 50, 60, 70, 80][a]))
c = Num(1)
d = c
c += 2
show("inplace add", (c, c is d))
c -= 1
show("inplace sub falls back", (c, c is d))
# The interpreter words these messages itself: compare types only.
attempt("unsupported operand", operator.add, a, "x", message=False)
attempt("truediv by zero", operator.truediv, a, 0)
attempt("unsupported unary", lambda: -Seq(1), message=False)


class SubNum(Num):
    def __add__(self, other):
        return ("SubNum.__add__", other)

    def __radd__(self, other):
        return ("SubNum.__radd__", other)


s = SubNum(5)
show("subclass override", (s + 1, 1 + s, s - 1))
show("subclass vs base (reflected first)", Num(1) + s)

q = Seq(4, 5, 6)
show("len", len(q))
show("items", (q[0], q[2], q[-1]))
attempt("index error", lambda: q[3])
q[1] = 50
show("after setitem", (q[0], q[1], q[2]))
del q[0]
show("after delitem", (q[0], q[1]))
attempt("setitem error", operator.setitem, q, 9, 1)
show("contains", (6 in q, 7 in q, "x" in q))
show("concat/repeat", (q + [1], q * 3))
show("iterate via sq_item", list(Seq(1, 2, 3)))

m = Map()
m["abc"] = 1
m["Def"] = 2
show("map len", len(m))
show("map get", (m["ABC"], m["def"]))
attempt("map missing", operator.getitem, m, "zzz")
del m["abc"]
show("map after del", len(m))
attempt("map del missing", operator.delitem, m, "abc")
attempt("map bad key", operator.getitem, m, 3)

# Each slot's dunder carries CPython's text signature (inspect.signature).
import inspect
for cls in (Num, Seq, Map):
    for name in sorted(n for n in vars(cls) if n.startswith("__") and n not in ("__doc__", "__module__", "__new__", "__init__", "__dict__", "__weakref__", "__sizeof__", "__getattribute__", "__setattr__", "__delattr__", "__reduce__", "__reduce_ex__", "__getstate__", "__init_subclass__", "__subclasshook__", "__class__", "__dir__", "__format__")):
        dunder = getattr(cls, name)
        show(f"signature of {cls.__name__}.{name}", (getattr(dunder, "__text_signature__", None), str(inspect.signature(dunder))))
print("DONE")
