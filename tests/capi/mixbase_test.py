import mixbase_ext as mixbase
class Plain:
    pass
class Mixed(Plain, mixbase.Desc): pass
class Holder: pass
print("Mixed.__base__:", Mixed.__base__.__name__)
Holder.a = mixbase.Desc()
Holder.b = Mixed()
h = Holder()
print("h.a:", h.a[0])
try:
    print("h.b:", h.b[0])
except Exception as e:
    print("h.b:", type(e).__name__, e)

class O(mixbase.PlainBase): pass
mixbase.set_descr_get(O)          # C writes tp_descr_get into O's type object
class Mixed2(Plain, O): pass      # __base__ is Plain (O adds no fields)
mixbase.set_descr_get(Mixed2)     # as EC_init_of does for O2, which defines __of__
Holder.c = O()
Holder.d = Mixed2()
print("h.c:", h.c[0])
try:
    print("h.d:", h.d[0])
except Exception as e:
    print("h.d:", type(e).__name__, e)
print("DONE")
