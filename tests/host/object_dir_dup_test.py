"""object.__dir__ lists each name once: a name both in the instance dict
and on the class (or a base) is not repeated."""


class A:
    x = 1

    def __init__(self):
        self.x = 2
        self.y = 3

    def f(self):
        pass


class B(A):
    f = None
    z = 0


d = B().__dir__()
print(len(d) == len(set(d)), sorted(n for n in set(d) if d.count(n) > 1))
print(sorted(n for n in d if not n.startswith("__")))
print(sorted(dir(B())) == sorted(set(d)))


class G(B):
    def __dir__(self):
        # a Group-like __dir__ that adds names to object's
        return super().__dir__() + ["child"]


print(sorted(n for n in dir(G()) if not n.startswith("__")))
