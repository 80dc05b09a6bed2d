"""An in-place operator whose instruction the host specialized for str, int
or float operands must still run the in-place method when later operands are
of another type (list.__iadd__ extends in place, set.__isub__ mutates)."""


def add_to_last(h, x):
    h[-1] += x


def sub(a, b):
    a -= b
    return a


def mul(a, b):
    a *= b
    return a


def add(a, b):
    a += b
    return a


for _ in range(50):          # warm-up: specialized for str += str
    add_to_last(["s"], "x")
h = [["a"]]
add_to_last(h, "!")
print("list += str after str warm-up:", h)

for _ in range(50):          # warm-up: int -= int, then float -= float
    sub(5, 3)
    sub(2.5, 1.0)
s = {1, 2, 3}
r = sub(s, {2})
print("set -= set:", sorted(s), r is s)

for _ in range(50):
    mul(3, 4)
    mul(1.5, 2.0)
lst = [1, 2]
r = mul(lst, 2)
print("list *= int:", lst, r is lst)

for _ in range(50):
    add(1, 2)
    add(1.0, 2.0)
    add("a", "b")
lst = [1]
r = add(lst, (2, 3))
print("list += tuple:", lst, r is lst)


class Acc:
    def __init__(self):
        self.log = []

    def __iadd__(self, other):
        self.log.append(("iadd", other))
        return self

    def __add__(self, other):
        self.log.append(("add", other))
        return self


a = Acc()
r = add(a, 7)
print("__iadd__ preferred:", a.log, r is a)
print("DONE")
