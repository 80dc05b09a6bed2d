import tpnamemsg_ext as ext


def out(label, fn):
    try:
        r = fn()
    except Exception as e:
        print(f"{label}: {type(e).__name__}: {e}")
    else:
        print(f"{label}: {r!r}")


for cls in (ext.Static, ext.Heap):
    o = cls()
    n = cls.__name__
    print(n, cls.__module__, cls.__qualname__, ext.tp_name_of(o))
    out(f"{n} - 1", lambda: o - 1)
    out(f"1 - {n}", lambda: 1 - o)
    out(f"{n} * 'x'", lambda: o @ "x")
    out(f"{n} < 1", lambda: o < 1)
    out(f"1 >= {n}", lambda: 1 >= o)
    out(f"-{n}", lambda: -o)
    out(f"{n}[0]", lambda: o[0])
    out(f"len({n})", lambda: len(o))
    out(f"{n}()", lambda: o())

    class Sub(cls):
        pass

    s = Sub()
    out("Sub - 1", lambda: s - 1)
    out("Sub < 1", lambda: s < 1)
print("DONE")
