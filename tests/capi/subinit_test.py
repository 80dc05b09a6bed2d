# A Python subclass of a C type that defines __init__ gets CPython's slot_tp_init as
# tp_init, so C can tell it overrides the base's (multidict's proxies do).
import subinit_ext
class Sub(subinit_ext.O):
    def __init__(self, *a, **k):
        self.seen = (a, k)
class Sub2(subinit_ext.O):
    pass
class Sub3(Sub):
    pass
class Sub4(subinit_ext.O):
    def __init__(self, x):
        super().__init__(x)
for c in (subinit_ext.O, Sub, Sub2, Sub3, Sub4):
    print(c.__name__, subinit_ext.overrides(c))
s = Sub(); print("Sub()", s.inited(), s.seen)
s = Sub({}, x=1); print("Sub({}, x=1)", s.inited(), s.seen)
print("Sub3(1, 2)", Sub3(1, 2).seen)
print("Sub4(5)", Sub4(5).inited())
print("Sub2(1)", Sub2(1).inited())
try: Sub2()
except TypeError as e: print("Sub2()", e)
class Bad(subinit_ext.O):
    def __init__(self): return 5
try: Bad()
except TypeError as e: print("Bad()", e)
print("DONE")
