# weakref and pickle errors name a C type by its tp_name, module part included.
import pickle
import weakref

import tpnameweakpickle_ext as m


def show(what, f):
    try:
        f()
        print(what, "no error")
    except TypeError as e:
        print(what, "TypeError:", e)


plain = m.make_plain()
print(type(plain).__name__, type(plain).__module__)
show("weakref Plain", lambda: weakref.ref(plain))
show("weakref Stateful", lambda: weakref.ref(m.Stateful()))
show("pickle Plain", lambda: pickle.dumps(plain, 2))
show("reduce_ex Plain", lambda: plain.__reduce_ex__(4))
show("pickle Stateful", lambda: pickle.dumps(m.Stateful(), 2))
print("DONE")
