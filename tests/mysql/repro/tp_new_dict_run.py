import tp_new_dict
N = tp_new_dict.N
print(type(N()).__name__)
print('__new__' in N.__dict__, N.__new__ is object.__new__)
class Sub(N): pass
for cls in (N, Sub):
    try:
        print(type(cls.__new__(cls)).__name__)
    except Exception as e:
        print(type(e).__name__, e)
