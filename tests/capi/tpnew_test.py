import tpnew_ext as tpnew
class Plain(tpnew.Base): pass
class WithNew(tpnew.Base):
    def __new__(cls):
        return super().__new__(cls)
class Slotted(tpnew.Base):
    __slots__ = ('a', '__dict__')
class SlottedNew(tpnew.Base):
    __slots__ = ('a', '__dict__')
    def __new__(cls):
        return cls.__base__.__new__(cls)
for c in (tpnew.Base, Plain, WithNew, Slotted, SlottedNew):
    print(f"{c.__name__:10} tp_new is Base's: {tpnew.same_new(c())}")
print("DONE")
