"""Method resolution order of classes made by the class statement, type()
and metaclasses, printed to compare with CPython 3.11."""
import abc
import typing


def names(cls):
    return [c.__name__ for c in cls.__mro__]


# The bases list constrains the order (local precedence): ALR before UI.
class Root: pass
class UI: pass
class ALR: pass
class CLR(Root): pass
class SR(Root): pass
class TSER(UI, Root): pass
class CCR(TSER, ALR, UI, CLR): pass
class JTR(ALR, UI, SR): pass
class FCR(CCR, JTR): pass
for cls in (CCR, JTR, FCR):
    print(cls.__name__, names(cls), [c.__name__ for c in cls.mro()])

# The classic C3 examples.
class O: pass
class F(O): pass
class E(O): pass
class D(O): pass
class C(D, F): pass
class B(D, E): pass
class A(B, C): pass
print("A", names(A))
class K1(O): pass
class K2(O): pass
class K3(O): pass
class Z(K1, K2, K3): pass
class Y(Z, K2): pass
print("Y", names(Y))

# Orders C3 refuses.
def refused(label, *bases):
    try:
        type(label, bases, {})
    except TypeError as e:
        print(label, "TypeError", e)
    else:
        print(label, "accepted")
class P: pass
class Q(P): pass
class X1(P, UI): pass
class X2(UI, P): pass
refused("P then Q", P, Q)
refused("crossed", X1, X2)
refused("dup", P, P)

# A dunder found along the corrected order: ALR's, not UI's.
class UI2:
    def __repr__(self): return "UI2 repr"
    def __len__(self): return 2
    def __getattr__(self, name): return "UI2." + name
class ALR2:
    def __repr__(self): return "ALR2 repr"
    def __len__(self): return 3
class TS2(UI2, Root): pass
class Mixed(TS2, ALR2, UI2): pass
m = Mixed()
print("Mixed", names(Mixed), repr(m), len(m), m.anything)

# type() and metaclasses go the same way.
Made = type("Made", (TSER, ALR, UI, CLR), {"x": 1})
print("type()", names(Made))
class Meta(type):
    def __new__(mcls, name, bases, ns):
        return super().__new__(mcls, name, bases, ns)
class WithMeta(TSER, ALR, UI, CLR, metaclass=Meta): pass
print("metaclass", names(WithMeta))
class Abstract(abc.ABC):
    @abc.abstractmethod
    def f(self): ...
class AbsMixed(Abstract, TSER, ALR, UI): pass
print("ABC", names(AbsMixed), sorted(AbsMixed.__abstractmethods__))
T = typing.TypeVar("T")
class Gen(typing.Generic[T], TSER, ALR, UI): pass
print("Generic", names(Gen), names(Gen[int].__origin__))
class OwnOrder(type):
    def mro(cls):
        return [cls, object]
class Custom(TSER, ALR, metaclass=OwnOrder): pass
print("own mro()", names(Custom))
class Sub(Mixed): pass
print("Sub", names(Sub), repr(Sub()), len(Sub()))
