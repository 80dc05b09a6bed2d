import pyclass_ext as ext


def show(label, value):
    print(label + ":", repr(value))


class Plain:
    pass


class Rich:
    def __repr__(self):
        return "Rich!"

    def __str__(self):
        return "rich str"

    def __hash__(self):
        return 42

    def __call__(self, x):
        return ("called", type(x).__name__)

    def __add__(self, other):
        return ("added", other)

    def __len__(self):
        return 3

    def __getitem__(self, key):
        return ("item", key)

    def __iter__(self):
        return iter([10, 20])

    def __eq__(self, other):
        return "eq result"


class Unhashable:
    def __eq__(self, other):
        return True


class MyInt(int):
    pass


class MyDict(dict):
    pass


class MyError(ValueError):
    pass


class Child(Rich):
    def __repr__(self):
        return "Child overrides repr"


for cls in (Plain, Rich, Unhashable, MyInt, MyDict, MyError, Child):
    f = ext.facts(cls)
    show("facts " + cls.__name__, f[:7] + (f[7] is cls.__base__, f[8], f[9]))
    show("present " + cls.__name__, ext.present(cls))

show("slots Rich", ext.call_slots(Rich()))
show("slots Child", ext.call_slots(Child()))
show("slots Plain", [type(x).__name__ for x in ext.call_slots(Plain())])
show("slots MyInt", ext.call_slots(MyInt(5)))

# The in-place slots of builtin types and of Python classes, called directly.
class Accumulator:
    def __init__(self):
        self.items = []
    def __iadd__(self, other):
        self.items.append(other)
        return self
    def __repr__(self):
        return f"Accumulator({self.items})"
print("set in place", ext.inplace({1, 2}, {2, 3}))
print("list in place", ext.inplace([1], [2]))
print("int in place", ext.inplace(5, 3))
print("class in place", ext.inplace(Accumulator(), 7))

# A class's tp_dict is its live namespace: what Python sets later, C sees;
# what C writes, Python sees (and the attribute caches learn of it).
class Live:
    early = 1

show("tp_dict early", ext.dict_entry(Live, "early"))
show("tp_dict late, before", ext.dict_entry(Live, "late"))
Live.late = "set from Python"
show("tp_dict late, after", ext.dict_entry(Live, "late"))
del Live.early
show("tp_dict early, deleted", ext.dict_entry(Live, "early"))
show("tp_dict inherited", ext.dict_entry(type("Sub", (Live,), {}), "late"))
obj = Live()
show("attribute before C writes", getattr(obj, "from_c", "absent"))
ext.dict_store(Live, "from_c", "written by C")
show("attribute after C writes", (obj.from_c, Live.from_c, "from_c" in Live.__dict__))
ext.dict_store(Live, "from_c")
show("attribute after C deletes", getattr(obj, "from_c", "absent"))
show("tp_dict of int", ext.dict_entry(int, "bit_length") is not None)


# The async slots of Python classes (C awaits or iterates through them).
class Awaitable:
    def __await__(self):
        return iter(["awaited"])

    def __aiter__(self):
        return "aiter result"

    def __anext__(self):
        return "anext result"


class OnlyAwait:
    def __await__(self):
        return iter([])


a = Awaitable()
a.__await__ = lambda: "instance attribute, not a slot"
awaited, aiter_result, anext_result = ext.async_slots(a)
show("async slots", (list(awaited), aiter_result, anext_result))
r = ext.async_slots(OnlyAwait())
show("only await", (type(r[0]).__name__, r[1], r[2]))
show("plain object", ext.async_slots(object()))


async def coro():
    return 5


c = coro()
r = ext.async_slots(c)
show("coroutine", (type(r[0]).__name__, r[1], r[2]))
c.close()

# A builtin type's own tp_repr on a subclass instance that overrides __repr__.
import enum


class Color(enum.IntEnum):
    RED = 1
    BIG = 10**30


class Money(float):
    def __repr__(self):
        return f"Money({super().__repr__()})"


class Text(str):
    def __repr__(self):
        return "Text!"


class Items(list):
    def __repr__(self):
        return "Items!"


class Pairs(dict):
    def __repr__(self):
        return "Pairs!"


for base, value in [(int, Color.RED), (int, Color.BIG), (float, Money(2.5)), (str, Text("hi")),
                    (list, Items([1, 2])), (dict, Pairs(a=1)), (bool, True), (tuple, (1,)),
                    (int, 7), (float, 0.1), (Money, Money(1.5)), (Color, Color.RED)]:
    show(f"{base.__name__}.tp_repr({type(value).__name__})", ext.builtin_repr(base, value))

print("DONE")
