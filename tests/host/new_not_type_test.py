# T.__new__(x) with x not a type, or with no argument: CPython 3.11's messages
# (Cython's tp_new test reads "... is not a type object (NoneType)").
class Meta(type):
    pass


class WithMeta(metaclass=Meta):
    pass


calls = [
    ("None.__new__(None)", lambda: None.__new__(None)),
    ("object.__new__(None)", lambda: object.__new__(None)),
    ("tuple.__new__(5)", lambda: tuple.__new__(5)),
    ("int.__new__()", lambda: int.__new__()),
    ("object.__new__()", lambda: object.__new__()),
    ("int.__new__(str)", lambda: int.__new__(str)),
    ("int.__new__(bool, 5)", lambda: int.__new__(bool, 5)),
]
for text, f in calls:
    try:
        print(text, "->", f())
    except TypeError as e:
        print(text, "TypeError:", e)
print(type(object.__new__(WithMeta)).__name__, tuple.__new__(tuple, [1, 2]), int.__new__(int, "7"))
print("DONE")
