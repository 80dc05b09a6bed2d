import limitedapi_ext as ext


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(label, "->", type(e).__name__, e)
    else:
        print(label, "=", repr(r))


class MyInt(int):
    pass


for t in (int, MyInt, bool, list, str, object, type):
    show(f"type_facts({t.__name__})", ext.type_facts, t)
show("type_facts(3)", ext.type_facts, 3)
show("True is an int", ext.is_instance_of, True, int)
show("[] is not a str", ext.is_instance_of, [], str)
print("DONE")
