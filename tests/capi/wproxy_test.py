import weakref, wproxy_ext
class C:
    def __repr__(self): return 'C()'
calls = []
class F:
    def __call__(self): calls.append(1); return 'CALLED'
    def __repr__(self): return 'F()'
class R(weakref.ref):
    def __call__(self): return 'R.__call__'
c, f = C(), F()
for label, o in [('weakref.proxy(C())', weakref.proxy(c)),
                 ('weakref.proxy(callable)', weakref.proxy(f)),
                 ('PyWeakref_NewProxy(C())', wproxy_ext.new_proxy(c)),
                 ('weakref.ref(C())', weakref.ref(c)),
                 ('R(C()) (ref subclass, own __call__)', R(c))]:
    try:
        d = wproxy_ext.info(o)
        d['target'] = repr(d['target'])
        print(label, d)
    except Exception as e:
        print(label, 'EXC', type(e).__name__, e)
print('referent called by PyWeakref_GetObject:', len(calls), 'times')
del c
import gc
gc.collect()
print("dead referent:", repr(wproxy_ext.info(weakref.ref(C()))["target"]))
print("DONE")
