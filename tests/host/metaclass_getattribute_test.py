"""A metaclass's own __getattribute__ sees every class attribute load, also
after the host specialized the loading instruction (it reads the class's
dict directly from the third load on)."""


class Meta(type):
    def __getattribute__(cls, name):
        value = super().__getattribute__(name)
        if name.startswith("W"):
            return "[%s] %s" % (name, value)
        return value


class Codes(metaclass=Meta):
    W033 = "a warning"


def read():
    return Codes.W033


print([read() for _ in range(6)])


class Plain:
    X = 1


def read_plain():
    return Plain.X


print([read_plain() for _ in range(6)])
Plain.X = 2          # a specialized load still sees a changed class
print(read_plain())
print("DONE")
