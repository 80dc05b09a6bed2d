from newsafe_ext import Base, Derived

class PB(Base):
    def __new__(cls, *args):
        return Base.__new__(cls, *args)

class PD(PB, Derived):          # mpi4py.util.pkl5.Intracomm(pkl5.Comm, MPI.Intracomm)
    pass

class Plain(PB):
    pass

print("PD.__base__:", PD.__base__.__name__)
print("PD.__mro__:", [c.__name__ for c in PD.__mro__])
for cls in (PB, Plain, PD):
    try:
        o = cls()
        print(cls.__name__, "->", type(o).__name__, o.value)
    except TypeError as e:
        print(cls.__name__, "-> TypeError:", e)
class PX(Derived):
    pass
for args in [(PX,), (Derived,)]:
    try:
        print("Base.__new__", args[0].__name__, "->", type(Base.__new__(*args)).__name__)
    except TypeError as e:
        print("Base.__new__", args[0].__name__, "-> TypeError:", e)
print("DONE")
