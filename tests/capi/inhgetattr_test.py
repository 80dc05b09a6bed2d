import inhgetattr_ext as m
print("'__getattribute__' in vars(Base):", "__getattribute__" in vars(m.Base))
print("'__getattribute__' in vars(Sub): ", "__getattribute__" in vars(m.Sub))
class Mixin(m.Base):
    def __getattribute__(self, name):
        return 42 if name == "magic" else super().__getattribute__(name)
class X(m.Sub, Mixin): pass
try:
    print("X().magic:", X().magic)
except AttributeError as e:
    print("X().magic: AttributeError", e)
print("DONE")
