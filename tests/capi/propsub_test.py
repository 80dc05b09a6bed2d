import propsub_ext as m
print("property tp_members (name, flags):", sorted(m.members()))
T = m.make_type()
print("__doc__ in the type's dict:", type(T.__dict__.get("__doc__")).__name__)


def getter(self):
    "getter doc"
    return 1


for label, args in [("explicit doc", (len, None, None, "the doc")), ("doc from the getter", (getter,))]:
    try:
        p = T(*args)
        print(label, "-> __doc__ =", repr(p.__doc__))
    except Exception as e:
        print(label, "->", type(e).__name__, e)
try:
    p = T(len)
    p.__doc__ = "set later"
    print("set __doc__:", repr(p.__doc__))
except Exception as e:
    print("setattr:", type(e).__name__, e)
print("DONE")
