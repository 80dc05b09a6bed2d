# The trashcan: a C type whose tp_dealloc uses Py_TRASHCAN_BEGIN has the
# deallocations nested more than 50 deep kept and run after the outermost
# one ends, in CPython's order; one that does not runs them all nested,
# however deep (the host's own trashcan once deferred those too, so a
# Cython class saw its base's __dealloc__ run before a subclass's).
import trashcan_ext as m


def chain(cls, n):
    x = None
    for i in range(n):
        x = cls(x, i)
    return x


def runs(log):
    """The log as runs of consecutive starts (+) and ends (-)."""
    out = []
    for v in log:
        sign = "-" if v < 0 else "+"
        v = ~v if v < 0 else v
        if out and out[-1][0] == sign and out[-1][2] == v + (1 if sign == "+" else -1):
            out[-1][2] = v
        else:
            out.append([sign, v, v])
    return " ".join(f"{s}{a}..{b}" for s, a, b in out)


for cls, n in ((m.Plain, 120), (m.Guarded, 120), (m.Guarded, 30)):
    x = chain(cls, n)
    del x
    log, events, freed = m.take_log()
    print(cls.__name__, n, events, freed, runs(log))

# A chain far deeper than the C stack could take nested.
x = chain(m.Guarded, 300000)
del x
log, events, freed = m.take_log()
print("deep", events, freed)
print("DONE")
