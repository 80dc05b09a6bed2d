# complex() parses a str, a subclass too, before trying __complex__ or
# __float__ (numpy's np.str_ has __float__; complex(np.str_("1+2j"))).
class WithFloat(str):
    def __float__(self):
        return 9.5


class WithComplex(str):
    def __complex__(self):
        return 7j


class Num:
    def __float__(self):
        return 2.5


def show(label, fn, *args):
    try:
        print(label, repr(fn(*args)))
    except Exception as e:
        print(label, type(e).__name__, e)


show("float subclass", complex, WithFloat("1+2j"))
show("float subclass real", complex, WithFloat(" 3 "))
show("float subclass malformed", complex, WithFloat("x"))
show("float subclass with imag", complex, WithFloat("1"), 2)
show("complex subclass", complex, WithComplex("4-1j"))
show("float() of it", float, WithFloat("2"))
show("plain str", complex, "5j")
show("number with __float__", complex, Num())
show("second arg str", complex, 1, "2")
print("DONE")
