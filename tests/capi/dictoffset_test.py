import dictoffset_ext as dictoff
o = dictoff.Obj(k=5)
print("tp_init dict:", o.__dict__, getattr(o, "a", "MISSING"), getattr(o, "k", "MISSING"))
o.z = 9
print("after o.z = 9:", o.__dict__, getattr(o, "z", "MISSING"))
p = dictoff.make(2)
print("PyObject_New dict:", p.__dict__, getattr(p, "b", "MISSING"))
print("hasattr:", hasattr(p, "b"), "vars:", vars(p))
print("DONE")
