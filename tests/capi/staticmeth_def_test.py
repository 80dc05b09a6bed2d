# A C type's METH_STATIC method seen from C: its definition, flags and self.
import staticmeth_def_ext as ext

H = ext.Holder
print("call", H.twice(21), H().twice(5))
print("doc", H.twice.__doc__)
print("from the class", ext.inspect(H.twice))
print("from an instance", ext.inspect(H().twice))
print("same object", H.twice is H.twice)
print("called through the pointer", ext.call_through(H.twice, 4))
print("classmethod", ext.inspect(H.klass)[0], ext.inspect(H.klass)[1:3], H.klass() is H)
entry = H.__dict__["twice"]
print("type in dict", type(entry).__name__, entry.__func__ is H.twice, entry.__func__(3))
print("isinstance staticmethod", isinstance(entry, staticmethod), callable(entry))
print("DONE")
