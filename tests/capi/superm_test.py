# A base class's builtin method bound to a subclass instance, called from C
# through PyCFunction_GET_FUNCTION (Cython 0.29's super().m()).
import superm_ext
d = superm_ext.Derived()
m = superm_ext.Base.who.__get__(d)            # Base's method bound to a Derived
s = super(superm_ext.Derived, d).who          # the same, through super()
print("python call      :", m(), s())
print("C call (GET_FUNCTION) of Base.who.__get__(d):", superm_ext.call_c(m))
print("C call (GET_FUNCTION) of super().who        :", superm_ext.call_c(s))
print("super(Derived, self).who() from C          :", superm_ext.super_who(d))
# A classmethod of the base bound to the subclass keeps the base's too.
print("Derived's own, bound to d               :", superm_ext.call_c(d.who))
print("DONE")
