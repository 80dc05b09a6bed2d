import issubunready_ext as ext


class Meta(type):
    pass


for t in (type, bool, int, object, dict, Meta):
    print(t.__name__, ext.is_subtype(t))
print("self", ext.self_subtype())
print("DONE")
