import abc
import os
import subprocess
import sys
import types

import privobj_ext as ext


def show(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        cause = e.__cause__
        extra = f" (from {type(cause).__name__}: {cause})" if cause is not None else ""
        print(f"{label}: {type(e).__name__}: {e}{extra}")
        return None
    print(f"{label}: {r!r}")
    return r


class Plain:
    pass


# Attributes by static identifier.
show("ids str", ext.ids, "abc")
show("ids missing on int", ext.ids, 5)
show("set_and_lookup", ext.set_and_lookup, Plain(), [1, 2])
try:
    ext.set_and_lookup(5, 1)
except AttributeError as e:
    print("set_and_lookup on int: AttributeError", "'value'" in str(e))


class WithLen:
    def __len__(self):
        return 7


o = WithLen()
o.__len__ = lambda: 99  # the instance attribute is not a special method
show("special len", ext.special_len, o)
show("special len list", ext.special_len, [1, 2, 3])
show("special len none", ext.special_len, 3)


class Ctx:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


found = ext.type_lookup_exit(Ctx())
print("type lookup exit is the function:", found is Ctx.__dict__["__exit__"])
show("type lookup exit missing", ext.type_lookup_exit, 5)

# The method lookup: unbound for plain methods, bound otherwise.
show("get_method str.upper", ext.get_method_call, "abc", "upper", ())
show("get_method list.index", ext.get_method_call, [5, 6, 7], "index", (7,))


class M:
    def meth(self, x):
        return ("meth", x)

    @staticmethod
    def stat(x):
        return ("stat", x)

    @classmethod
    def cls(cls, x):
        return ("cls", cls.__name__, x)


m = M()
show("get_method plain", ext.get_method_call, m, "meth", (1,))
show("get_method static", ext.get_method_call, m, "stat", (2,))
show("get_method classmethod", ext.get_method_call, m, "cls", (3,))
m.meth = lambda x: ("shadowed", x)
show("get_method shadowed", ext.get_method_call, m, "meth", (4,))


class Custom:
    def __getattribute__(self, name):
        return lambda *a: ("custom", name, a)

    def meth(self, x):
        return ("meth", x)


show("get_method custom getattribute", ext.get_method_call, Custom(), "meth", (5,))
show("get_method module function", ext.get_method_call, os.path, "join", ("a", "b"))
show("get_method missing", ext.get_method_call, m, "nope", ())

show("vectorcall replace", ext.vectorcall_replace, "a-b-c", "-", "+")
show("vectorcall replace error", ext.vectorcall_replace, 5, "-", "+")


def kwfunc(a, b=2, *, c=3):
    return (a, b, c)


show("make_tp_call", ext.make_tp_call, kwfunc, (1,), {"c": 9})
show("make_tp_call positional", ext.make_tp_call, kwfunc, (1, 5), {})
show("make_tp_call type", ext.make_tp_call, dict, (), {"x": 1})
show("make_tp_call not callable", ext.make_tp_call, 5, (), {})
show("make_tp_call bad keyword", ext.make_tp_call, kwfunc, (1,), {"zz": 1})

show("check value", ext.check_result, 0, kwfunc, None)
show("check error", ext.check_result, 1, kwfunc, None)
show("check null no error where", ext.check_result, 2, len, "my_function")
show("check value with error where", ext.check_result, 3, len, "my_function")
show("check null no error repr", ext.check_result, 2, len, None)
show("check value with error repr", ext.check_result, 3, len, None)


class Meta(type):
    def __instancecheck__(cls, inst):
        return True

    def __subclasscheck__(cls, sub):
        return True


class Anything(metaclass=Meta):
    pass


class Fake:
    __class__ = int


show("real isinstance meta", ext.real_isinstance, 5, Anything)
show("real isinstance int", ext.real_isinstance, True, int)
show("real isinstance __class__", ext.real_isinstance, Fake(), int)
show("real isinstance bad cls", ext.real_isinstance, 5, 5)


class ClassLike:
    __bases__ = ()


class InstLike:
    __class__ = ClassLike()


show("real isinstance class-like", ext.real_isinstance, InstLike(), InstLike.__class__)
show("real issubclass meta", ext.real_issubclass, str, Anything)
show("real issubclass bool", ext.real_issubclass, bool, int)
show("real issubclass bad", ext.real_issubclass, 5, int)

show("charp array", ext.charp_array, [b"ls", b"-l", b""])
show("charp array tuple", ext.charp_array, (b"a",))
show("charp array str", ext.charp_array, [b"a", "b"])
show("charp array nul", ext.charp_array, [b"a\0b"])
show("charp array not seq", ext.charp_array, 5)

c_order, f_order = ext.walk_indices((2, 3))
print("C order", c_order)
print("F order", f_order)
print("3-d C order", ext.walk_indices((2, 1, 2))[0])
print("0-d", ext.walk_indices(()))


class Desc:
    def __get__(self, obj, cls):
        return "desc-get"

    def __set__(self, obj, value):
        print("  desc set", value)


class WithDesc:
    d = Desc()


w = WithDesc()
ns = {}
show("setattr dict", ext.generic_setattr_dict, w, "x", 1, ns)
show("setattr dict descriptor", ext.generic_setattr_dict, w, "d", 2, ns)
print("ns", ns, "w dict", w.__dict__)
show("delattr dict", ext.generic_setattr_dict, w, "x", ..., ns)
show("delattr dict missing", ext.generic_setattr_dict, w, "x", ..., ns)
show("setattr own dict", ext.generic_setattr_dict, w, "y", 3, None)
print("w dict", w.__dict__)

show("function str builtin", ext.function_str, len)
show("function str method", ext.function_str, str.upper)
show("function str python", ext.function_str, kwfunc)
show("function str class", ext.function_str, Plain)
show("function str module func", ext.function_str, os.path.join)
show("function str no qualname", ext.function_str, 5)


class Abstract(abc.ABC):
    @abc.abstractmethod
    def f(self):
        pass


show("is abstract", ext.is_abstract, Abstract.f)
show("is abstract plain", ext.is_abstract, kwfunc)
show("is abstract NULL", ext.is_abstract, None)


class BadFlag:
    @property
    def __isabstractmethod__(self):
        raise ValueError("flag")


show("is abstract raises", ext.is_abstract, BadFlag())

p = Plain()
p.a = 1
show("get state", ext.get_state, p)
show("get state empty", ext.get_state, Plain())


class Slotted:
    __slots__ = ("x",)

    def __getstate__(self):
        return ("custom", self.x)


s = Slotted()
s.x = 4
show("get state custom", ext.get_state, s)


class MetaA(type):
    pass


class MetaB(MetaA):
    pass


class MetaC(type):
    pass


A = MetaA("A", (), {})
B = MetaB("B", (), {})
C = MetaC("C", (), {})
show("metaclass type+A", ext.calculate_metaclass, type, (A,))
show("metaclass A+B", ext.calculate_metaclass, MetaA, (A, B))
show("metaclass B first", ext.calculate_metaclass, MetaB, (A,))
show("metaclass conflict", ext.calculate_metaclass, type, (A, C))
show("metaclass no bases", ext.calculate_metaclass, MetaC, ())

for name, doc in [
    ("f", "f(a, b)\n--\n\nAdd two numbers."),
    ("mod.Type", "Type(x)\n--\n\nA type."),
    ("f", "f(a)\n--\n\n"),
    ("f", "g(a)\n--\n\nWrong name."),
    ("f", "f(a)\nNo marker."),
    ("f", "f(a\n\n)\n--\n\nBlank line inside."),
    ("f", "Just a doc."),
    ("f", ""),
    ("f", None),
]:
    show(f"internal doc {name!r} {doc!r}", ext.internal_doc, name, doc)

print("swapped ops", ext.swapped_ops())
print("freed checks", ext.freed_checks([1, 2]))

# _PyObject_Dump writes to stderr: check the lines that do not hold addresses.
ext_dir = os.path.dirname(os.path.abspath(ext.__file__))
code = f"import sys; sys.path.insert(0, {ext_dir!r}); import privobj_ext; privobj_ext.dump([1, 'two'])"
proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
for line in proc.stderr.splitlines():
    if line.startswith(("object type name", "object repr")):
        print("dump:", line)
print("dump rc", proc.returncode)

ok, boxed = ext.new_boxed(41)
print("boxed", ok, repr(boxed), type(boxed).__name__)
del boxed
print("incref/decref", ext.incref_decref(object()))
print("trashcan", ext.trashcan([1]))

d = {"a": -1, "b": 2}
show("del if negative a", ext.dict_del_if_negative, d, "a")
show("del if negative b", ext.dict_del_if_negative, d, "b")
print("dict now", d)
show("del if missing", ext.dict_del_if_negative, d, "zz")
show("del if bad value", ext.dict_del_if_negative, {"k": "str"}, "k")

for override in (0, 1, 2):
    target = {"a": 1, "b": 2}
    show(f"merge ex {override}", ext.dict_merge_ex, target, {"b": 20, "c": 30}, override)
    print("  ->", target)
target = {"a": 1}
show("merge ex 2 no clash", ext.dict_merge_ex, target, types.MappingProxyType({"z": 26}), 2)
print("  ->", target)
show("merge ex mapping clash", ext.dict_merge_ex, target, types.MappingProxyType({"a": 0}), 2)
show("dict sizeof", ext.dict_sizeof, {"a": 1})

keys, values, items = ext.dict_views({"x": 1, "y": 2})
print("views", type(keys).__name__, sorted(keys), type(values).__name__, sorted(values),
      type(items).__name__, sorted(items))
show("view intersect", ext.view_intersect, {"x": 1, "y": 2}.keys(), ["y", "z"])
show("items intersect", ext.view_intersect, {"x": 1, "y": 2}.items(), {("x", 1), ("y", 3)})
show("views of non-dict", ext.dict_views, [1])

ext.debug_stats()

join, same = ext.import_helpers("os.path", "join")
print("module attr", join is os.path.join, same)
show("module attr missing", ext.import_helpers, "os", "no_such_attr")
show("module missing", ext.import_helpers, "no_such_module_xyz", "x")
show("import by id", ext.import_by_id)
fake = types.ModuleType("privobj_fake")
ext.set_module("privobj_fake", fake, 0)
print("set module", sys.modules.get("privobj_fake") is fake)
ext.set_module("privobj_fake2", fake, 1)
print("set module string", sys.modules.get("privobj_fake2") is fake)
show("import lock", ext.import_lock)
mods = {}
made = ext.create_initialized()
ext.fixup(made, "privobj_fixed", mods)
print("fixup", sorted(mods), all(v is made for v in mods.values()))
try:
    ext.fixup(fake, "x", {})
except SystemError:
    print("fixup module without def: SystemError")

mod = types.ModuleType("privobj_clear")
mod._private = 1
mod.__dunder = 2
mod.public = 3
mod.__builtins__ = {"b": 1}
ext.module_clear(mod, 1)
print("module clear", sorted((k, v) for k, v in vars(mod).items() if k not in ("__builtins__",)),
      mod.__builtins__)
ns = {"_a": 1, "b": 2, "__builtins__": 3}
ext.module_clear(ns, 0)
print("module clear dict", sorted(ns.items()))


class Spec:
    _initializing = True


show("spec initializing", ext.spec_initializing, Spec())
show("spec not initializing", ext.spec_initializing, object())
made = ext.create_initialized()
print("create initialized", type(made).__name__, made.__name__, made.__doc__)
print("module add", ext.module_add(made, "answer", [42]), made.answer, hasattr(made, "never"))
show("module add not module", ext.module_add, 5, "x", 1)

show("slices", ext.slice_helpers, 1, 5, 10, slice(None, None, -2))
show("slices big", ext.slice_helpers, -3, 2**40, 2**70, slice(-5, None))
show("slices bad length", ext.slice_helpers, 0, 1, -1, slice(None))
show("slices clamped", ext.slice_helpers, 0, 0, 10, slice(-100, 100, 3))
show("slices backwards clamped", ext.slice_helpers, 0, 0, 10, slice(50, -20, -1))
show("slices index objects", ext.slice_helpers, 0, 0, True, slice(False, None))
show("slices bad index", ext.slice_helpers, 0, 0, 5, slice("a", None))
show("slices zero step", ext.slice_helpers, 0, 1, 5, slice(None, None, 0))


async def coro():
    pass


async def agen():
    yield 1


c = coro()
g = agen()
wrapper_t, asend_t, athrow_t, wrapped_t = ext.helper_types()
print("coroutine wrapper", type(c.__await__()) is wrapper_t, wrapper_t.__name__)
print("asend", type(g.asend(None)) is asend_t, asend_t.__name__)
print("athrow", type(g.athrow(ValueError)) is athrow_t, athrow_t.__name__)
print("wrapped value", wrapped_t.__name__)
c.close()
print("empty bytearray storage", ext.empty_bytearray_storage())
print("package context outside init", ext.package_context(), ext.context_at_init)
print("DONE")
