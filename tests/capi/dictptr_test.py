import dictptr_ext as dictptr
class Sub(dictptr.Base): pass
class Plain: pass
for cls in (Sub, Plain):
    o = cls(); o.a = 1; o.b = 2
    print(cls.__name__, "has dict ptr:", dictptr.drop_dict(o), " __dict__ after:", o.__dict__, " hasattr a:", hasattr(o, "a"))
print("DONE")
