import mapiter_ext


class Sub(mapiter_ext.Map):
    pass


class Plain:
    pass


class PyMap:
    def __getitem__(self, key):
        raise KeyError(key)


def unpack(obj):
    a, b = obj
    return a, b


def star(obj):
    a, *b = obj
    return a, b


def loop(obj):
    return [x for x in obj]


for label, obj in [("C", mapiter_ext.Map()), ("C subclass", Sub()), ("Python", PyMap()),
                   ("plain", Plain()), ("dict subclass", type("D", (dict,), {"__iter__": None})())]:
    for name, op in [("unpack", unpack), ("star", star), ("iter", iter), ("list", list),
                     ("tuple", tuple), ("loop", loop), ("in", lambda o: 1 in o)]:
        try:
            result = op(obj)
            print(label, name, type(result).__name__ if name == "iter" else result)
        except Exception as e:
            print(label, name, type(e).__name__, e)
    if label.startswith("C"):
        print(label, "getitem", obj["k"])
    print(label, "sequence_check", mapiter_ext.sequence_check(obj))
print("DONE")
