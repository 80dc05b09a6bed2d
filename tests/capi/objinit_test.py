# object.__init__ with extra arguments on a C type that has tp_new but inherits tp_init
import objinit_ext as ext

def attempt(label, f):
    try:
        f()
        print(label, "-> ok")
    except TypeError as e:
        print(label, "-> TypeError:", e)

t = ext.T(7, 3)
attempt("T(7, 3).__init__(2, 15)", lambda: t.__init__(2, 15))
attempt("object.__init__(t, 2, 15)", lambda: object.__init__(t, 2, 15))
attempt("object.__init__(t, x=1)", lambda: object.__init__(t, x=1))
attempt("T.__init__ is object.__init__", lambda: print(T_init_is := (ext.T.__init__ is object.__init__)))
class Sub(ext.T):
    pass
attempt("Sub(1).__init__(2, 15)", lambda: Sub(1).__init__(2, 15))
print("DONE")
