"""Attribute loads of a C type's members and getsets from one load site
run many times (hot enough for the interpreter to specialise it): each
load returns what the struct, the class and its subclasses say now."""
import hotattr_ext as ext
from hotattr_ext import Bare, Box

HOT = 40


def each_n(objs):
    return [o.n for o in objs]


def each_twice(objs):
    return [o.twice for o in objs]


def each_obj(objs):
    out = []
    for o in objs:
        try:
            out.append(o.obj)
        except AttributeError as e:
            out.append(f"AttributeError {e}")
    return out


def each_checked(objs):
    out = []
    for o in objs:
        try:
            out.append(o.checked)
        except ValueError as e:
            out.append(f"ValueError {e}")
    return out


def summary(values):
    """Runs of equal values, as (value, count)."""
    runs = []
    for v in values:
        if runs and runs[-1][0] == v:
            runs[-1][1] += 1
        else:
            runs.append([v, 1])
    return [tuple(r) for r in runs]


for cls in (Box, Bare):
    name = cls.__name__
    b = cls()
    print(name, "n hot:", summary(each_n([b] * HOT)))
    ext.set_n(b, 7)
    print(name, "n after C wrote it:", summary(each_n([b] * 3)))
    print(name, "twice hot:", summary(each_twice([b] * HOT)))
    ext.set_n(b, 9)
    print(name, "twice after C wrote n:", summary(each_twice([b] * 3)))
    print(name, "obj NULL hot:", summary(each_obj([b] * HOT)))
    ext.set_obj(b, "stored")
    print(name, "obj set:", summary(each_obj([b] * 3)))
    ext.set_obj(b, None)
    print(name, "obj NULL again:", summary(each_obj([b] * 3)))
    print(name, "checked hot:", summary(each_checked([b] * HOT)))
    ext.set_n(b, -2)
    print(name, "checked failing:", summary(each_checked([b] * 3)))
    ext.set_n(b, 3)
    print(name, "checked again:", summary(each_checked([b] * 3)))
    for _ in range(HOT):
        try:
            b.missing
        except AttributeError as e:
            last = f"AttributeError {e}"
    print(name, "missing hot:", last)
    try:
        b.ro = 1
    except AttributeError as e:
        print(name, "ro write:", type(e).__name__, e)


class Sub(Box):
    pass


class Over(Box):
    n = property(lambda self: "Over.n")


class Fallback(Box):
    def __getattr__(self, name):
        return "fallback " + name


b, s, o, f = Box(), Sub(), Over(), Fallback()
ext.set_n(s, 11)
print("mixed n:", summary(each_n([b, s] * (HOT // 2))))
print("mixed with Over:", summary(each_n([b, s, o] * 10)))
print("obj through __getattr__:", summary(each_obj([f] * HOT)))
print("obj mixed:", summary(each_obj([b, f] * 10)))
print("missing through __getattr__:", [f.missing for _ in range(3)])

# The class namespace changes after the site is hot.
print("Sub n hot:", summary(each_n([s] * HOT)))
Sub.n = "class attribute of Sub"
print("Sub n shadowed:", summary(each_n([s] * 3)))
del Sub.n
print("Sub n restored:", summary(each_n([s] * 3)))
print("twice hot again:", summary(each_twice([b] * HOT)))
ext.set_class_attr(Box, "twice", 42)
print("twice after tp_dict write:", summary(each_twice([b, s] * 2)))
ext.set_class_attr(Box, "twice")
try:
    b.twice
except AttributeError as e:
    print("twice after tp_dict delete:", type(e).__name__, e)
print("DONE")
