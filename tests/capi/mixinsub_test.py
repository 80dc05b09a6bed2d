import mixinsub_ext as m


class PNode:
    pass


class Mixin:
    pass


# Shown to C first: its bases tuple shows PNode, whose other subclass
# shows Mixin, whose subclass IT derives from G, half made at that moment.
class G(m.Node, PNode):
    pass


class Other(Mixin, PNode):
    pass


class IT(Mixin, G):
    pass


class IT2(Mixin, G):
    def __init__(self, name):
        self.set_name(name)


print("G", m.basicsize(G))
print("IT", m.basicsize(IT), m.basicsize(IT) == m.basicsize(G))
print("IT2", m.basicsize(IT2), m.basicsize(IT2) == m.basicsize(G))
print("Other is plain", m.basicsize(Other) < m.basicsize(m.Node))
for cls in (G, IT):
    objs = [cls() for _ in range(50)]
    for i, o in enumerate(objs):
        o.set_name("n%d" % i)
        o.set_name("m%d" % i)
    print(cls.__name__, objs[7].cname, objs[49].cname, isinstance(objs[0], Mixin))
objs = [IT2("x%d" % i) for i in range(20)]
print("IT2", objs[3].cname, objs[19].cname)
del objs
print("DONE")
