import copy
import pickle
import cy_pickle as m

p = m.Point(1.5, -2, ["tag"])
for proto in range(0, pickle.HIGHEST_PROTOCOL + 1):
    q = pickle.loads(pickle.dumps(p, proto))
    print(proto, q, q is not p, q.label == p.label)
print(copy.copy(p), copy.deepcopy(p).label is not p.label)
h = pickle.loads(pickle.dumps(m.PyHolder(p)))
print(h.point)
c = pickle.loads(pickle.dumps(m.Custom(5)))
print(c.get(), copy.copy(m.Custom(1)).get())
try:
    pickle.dumps(m.NoPickle())
except TypeError as e:
    print("TypeError", e)
print("DONE")
