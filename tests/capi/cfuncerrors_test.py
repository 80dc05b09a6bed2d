import sys
import cfuncerrors_ext as m
def show(label, fn):
    try:
        fn(); print(label, "no error")
    except TypeError as e:
        print(label, "->", e)
o = m.Obj()
show("mod.noargs(1)", lambda: m.noargs(1))
show("mod.noargs(x=1)", lambda: m.noargs(x=1))
show("mod.one()", lambda: m.one())
show("mod.one(1, 2)", lambda: m.one(1, 2))
show("mod.one(x=1)", lambda: m.one(x=1))
show("o.noargs(1)", lambda: o.noargs(1))
show("o.noargs(x=1)", lambda: o.noargs(x=1))
show("Obj.noargs(o, 1)", lambda: m.Obj.noargs(o, 1))
show("o.one(1, 2)", lambda: o.one(1, 2))
show("o.one()", lambda: o.one())
show("Obj.cnoargs(1)", lambda: m.Obj.cnoargs(1))
show("Obj.sone(1, 2)", lambda: m.Obj.sone(1, 2))
show("mod.varargs(x=1)", lambda: m.varargs(x=1))
show("mod.fast(x=1)", lambda: m.fast(x=1))
show("o.varargs(x=1)", lambda: o.varargs(x=1))
show("o.fast(x=1)", lambda: o.fast(x=1))
show("Obj.noargs()", lambda: m.Obj.noargs())
show("Obj.one()", lambda: m.Obj.one())
show("Obj.varargs()", lambda: m.Obj.varargs())
print("qualname", m.noargs.__qualname__, m.Obj.noargs.__qualname__, m.noargs.__module__)
print("DONE")
