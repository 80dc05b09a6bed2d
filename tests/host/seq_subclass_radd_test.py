"""A tuple, list or str subclass as the left operand of + or * leaves the
operation to the right operand's `__radd__`/`__rmul__` when it has one, as
the exact types do (the host's subclasses got an nb_add that raised
TypeError from the sequence's concatenation)."""


class Right:
    def __radd__(self, other):
        return "Right.__radd__ " + type(other).__name__

    def __rmul__(self, other):
        return "Right.__rmul__ " + type(other).__name__

    def __iter__(self):
        return iter([7])


class T(tuple):
    pass


class L(list):
    pass


class S(str):
    pass


class RT(tuple):
    def __radd__(self, other):
        return "RT.__radd__"


def attempt(label, f):
    try:
        print(label, repr(f()))
    except Exception as e:
        print(label, type(e).__name__, e)


for left in (T((1,)), L([1]), S("a"), (1,), [1], "a"):
    name = type(left).__name__
    attempt(name + " + Right:", lambda: left + Right())
    attempt(name + " * Right:", lambda: left * Right())
    attempt(name + " + same:", lambda: left + left)
    attempt(name + " * 2:", lambda: left * 2)
    attempt("2 * " + name + ":", lambda: 2 * left)
    attempt(name + " + 1:", lambda: left + 1)
attempt("T + RT:", lambda: T((1,)) + RT((2,)))
attempt("tuple + RT:", lambda: (1,) + RT((2,)))
attempt("T + tuple:", lambda: T((1,)) + (2,))
attempt("L + list:", lambda: L([1]) + [2])
for make in (L, list, T, tuple, S, str):
    x = make("1") if make in (S, str) else make([1])
    x += Right()
    print(make.__name__, "+= Right:", repr(x))
    x = make("1") if make in (S, str) else make([1])
    x *= Right()
    print(make.__name__, "*= Right:", repr(x))
y = L([1])
z = y
y += [2]
print("L += list:", y, y is z, type(y).__name__)
y *= 2
print("L *= 2:", y, y is z)
t = T((1,))
t += (2,)
print("T += tuple:", t, type(t).__name__)
