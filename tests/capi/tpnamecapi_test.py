import collections
import datetime
import io

import tpnamecapi_ext as ext

# Objects whose types have a dotted tp_name: a C type of the extension,
# builtin types that live outside builtins. A Python class has its
# __name__ as tp_name.


class Plain:
    pass


class Outer:
    class Inner:
        pass


objects = [ext.Thing(), datetime.date(2020, 1, 2), io.StringIO(), collections.OrderedDict(), Plain(), Outer.Inner()]
whats = ["setattr", "contains", "bytes_asstring", "memoryview", "aiter", "unicode_fromobject",
         "concat_left", "concat_right", "split_sep", "unicode_contains", "format_spec", "iter", "call", "import"]

for what in whats:
    for o in objects:
        try:
            r = ext.run(what, o)
        except Exception as e:
            print(f"{what} {type(o).__name__}: {type(e).__name__}: {e}")
        else:
            print(f"{what} {type(o).__name__}: ok {type(r).__name__}")
for o in [collections.OrderedDict(), Plain.__dict__ and [], {}]:
    try:
        ext.run("hash", o)
    except TypeError as e:
        print("hash:", e)
print("DONE")
