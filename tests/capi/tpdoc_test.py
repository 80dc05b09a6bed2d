import tpdoc_ext
print("T.__doc__ =", repr(tpdoc_ext.T.__doc__))
print("T().__doc__ =", repr(tpdoc_ext.T().__doc__))
print("T.__dict__['__doc__'] =", repr(tpdoc_ext.T.__dict__['__doc__']))
print("S.__doc__ =", repr(tpdoc_ext.S.__doc__))
print("S.__text_signature__ =", repr(tpdoc_ext.S.__text_signature__))


class Sub(tpdoc_ext.T):
    "sub doc"


print("Sub.__doc__ =", repr(Sub.__doc__))
print("int.__doc__ starts:", repr(int.__doc__[:20]))
print("DONE")
