import metamro_ext as metamro
class O(metamro.Base):
    def __get__(self, obj, typ): return ("got", obj)
class C(metamro.Base): pass
C.o = O()
print("type(O) is Meta:", type(O) is metamro.Meta)
print("O's tp_descr_get set:", metamro.has_descr_get(O()))
print("C().o via host:", C().o[0] if isinstance(C().o, tuple) else C().o)
class It(metamro.Base):
    def __iter__(self): return iter([1, 2])
    def __call__(self): return "called"
print("It: list():", list(It()), " call:", It()())
print("DONE")
