import sys
import types

import typeobj_ext as ext
from typeobj_ext import GCHeap, Heap


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args):
    try:
        r = fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__} {str(e)!r}")
        return None
    print(f"{label}: returned {r!r}")
    return r


# PyHeapTypeObject: names, module and the type's own protocol tables.
name, qualname, module, own_tables, add_is_ours = ext.heap_layout(Heap)
show("Heap layout", (name, qualname, module is ext, own_tables, add_is_ours))
name, qualname, module, own_tables, add_is_ours = ext.heap_layout(GCHeap)
show("GCHeap layout", (name, qualname, module, own_tables))
show("Heap() + 1", Heap() + 1)
show("Heap attributes", (Heap.__name__, Heap.__qualname__, Heap.__module__, Heap.__doc__))
show("static type layout", ext.heap_layout(int))

# Type names.
class Outer:
    class Inner:
        pass


show("Python class ht_name/ht_qualname", ext.heap_layout(Outer.Inner)[:2])
show("Python class flags say heap type", ext.heap_layout(Outer) is not None)
show("names of int", ext.type_names(int))
show("names of Heap", ext.type_names(Heap))
show("names of Inner", ext.type_names(Outer.Inner))
show("names of types.SimpleNamespace", ext.type_names(types.SimpleNamespace))

# _PyType_Lookup: the MRO, without descriptors, no exception when missing.
class Base:
    attr = "base"

    def method(self):
        return 1


class Derived(Base):
    pass


show("lookup inherited", ext.type_lookup(Derived, "attr"))
show("lookup function is raw", ext.type_lookup(Derived, "method") is Base.__dict__["method"])
show("lookup missing", ext.type_lookup(Derived, "nope"))
show("lookup on int", ext.type_lookup(int, "bit_length") is int.__dict__["bit_length"])

# PyType_GetModuleByDef.
show("module by def", ext.module_by_def(Heap) is ext)


class HeapChild(Heap):
    pass


show("module by def (subclass)", ext.module_by_def(HeapChild) is ext)
err("module by def (int)", ext.module_by_def, int)
show("type misc Heap/object", ext.type_misc(Heap, object))
show("type misc int/Heap", ext.type_misc(int, Heap))
show("type misc bool/int", ext.type_misc(bool, int))

# PyObject_CallFinalizer: once for a GC type.
show("finalizer runs (non-GC)", ext.call_finalizer(Heap()))
show("finalizer runs (GC)", ext.call_finalizer(GCHeap()))

# Modules.
spec = types.SimpleNamespace(name="made.by.spec")
m = ext.from_def_and_spec(spec)
show("FromDefAndSpec", (type(m).__name__, m.__name__, m.__doc__, hasattr(m, "exec_count")))
show("ExecDef", (ext.exec_def(m), m.exec_count))
show("ExecDef again", (ext.exec_def(m), m.exec_count))
m.fail = True
err("ExecDef failing slot", ext.exec_def, m)
m.fail = "quietly"
err("ExecDef failing slot without exception", ext.exec_def, m)
show("module names", ext.module_names(ext)[0])
name, file, same = ext.module_names(ext)
show("module file", (file == ext.__file__, same))
err("names of a module without __file__", ext.module_names, m)
err("names of a non-module", ext.module_names, 5)
holder = types.ModuleType("holder")
ext.add_type(holder, Heap)
show("AddType", holder.Heap is Heap)
ext.add_type(holder, types.SimpleNamespace)
show("AddType short name", sorted(k for k in vars(holder) if not k.startswith("__")))
err("AddType to a non-module", ext.add_type, 5, Heap)

# PyObject_Bytes.
class WithBytes:
    def __bytes__(self):
        return b"from __bytes__"


class BadBytes:
    def __bytes__(self):
        return "not bytes"


show("Bytes(bytes)", ext.object_bytes(b"abc"))
show("Bytes(bytearray)", ext.object_bytes(bytearray(b"xy")))
show("Bytes(list)", ext.object_bytes([65, 66]))
show("Bytes(memoryview)", ext.object_bytes(memoryview(b"mv")))
show("Bytes(__bytes__)", ext.object_bytes(WithBytes()))
show("Bytes(NULL)", ext.object_bytes(None))
err("Bytes(bad __bytes__)", ext.object_bytes, BadBytes())
err("Bytes(str)", ext.object_bytes, "text")
err("Bytes(int)", ext.object_bytes, 5)
err("Bytes(object)", ext.object_bytes, object())
err("Bytes(list of big ints)", ext.object_bytes, [256])

# PyObject_Dir.
show("Dir(obj) has attr", "attr" in ext.object_dir(Derived()))


def local_scope():
    alpha = 1
    beta = 2
    return ext.object_dir(None)


show("Dir(NULL) in a function", local_scope())

# PyObject_GenericGetDict / SetDict.
class Plain:
    pass


p = Plain()
p.x = 1
show("GetDict", ext.get_dict(p))
ext.set_dict(p, {"y": 2})
show("SetDict", (vars(p), getattr(p, "y")))
err("SetDict non-dict", ext.set_dict, p, [1])
err("SetDict NULL", ext.set_dict, p, "NULL")
err("GetDict without dict", ext.get_dict, 5)

show("GetDictPtr instance", ext.dict_ptr(p) is vars(p))
show("GetDictPtr module", ext.dict_ptr(types) is vars(types))
show("GetDictPtr int", ext.dict_ptr(5))

class WithProperty:
    level = "class level"

    @property
    def prop(self):
        return "property"

    def meth(self):
        return "method"


w = WithProperty()
w.own = "own"
show("GetAttrWithDict own", ext.getattr_with_dict(w, "own", None, 0))
show("GetAttrWithDict class", ext.getattr_with_dict(w, "level", None, 0))
show("GetAttrWithDict missing suppressed", ext.getattr_with_dict(w, "nope", None, 1))
err("GetAttrWithDict missing", ext.getattr_with_dict, w, "nope", None, 0)
other = {"own": "from dict", "prop": "shadowed?", "level": "dict level"}
show("with dict: own", ext.getattr_with_dict(w, "own", other, 0))
show("with dict: data descriptor wins", ext.getattr_with_dict(w, "prop", other, 0))
show("with dict: dict beats class attribute", ext.getattr_with_dict(w, "level", other, 0))
show("with dict: method bound", ext.getattr_with_dict(w, "meth", other, 0)())
show("with dict: missing suppressed", ext.getattr_with_dict(w, "nope", other, 1))
err("with dict: missing", ext.getattr_with_dict, w, "nope", other, 0)

# Repr guard, IncRef/DecRef, Py_RETURN_RICHCOMPARE.
# The layout attributes as CPython states them: C compares them with its
# structs (Cython's Limited API code reads a class's dict through
# type.__dictoffset__ and checks its shared types' __basicsize__).
class Meta(type):
    pass


for cls in [type, Meta, object, int, tuple, Heap, GCHeap]:
    show(f"layout of {cls.__name__}", (cls.__basicsize__, cls.__itemsize__, cls.__dictoffset__ != 0,
                                       cls.__weakrefoffset__ != 0))
show("type's dict and weak list offsets", (type.__dictoffset__, type.__weakrefoffset__, Meta.__dictoffset__))
show("ReprEnter/Leave", ext.repr_guard([]))
# A ReprEnter never left keeps its object: objects made later are not
# taken for it.
class Fresh:
    pass


show("ReprEnter without Leave", (ext.repr_enter_only(Fresh()), ext.repr_enter_only([])))
show("  later objects enter as new", sorted({ext.repr_guard(Fresh())[0] for _ in range(2000)} | {ext.repr_guard([])[0] for _ in range(2000)}))
show("IncRef/DecRef", ext.incref_decref(object()))
show("RICHCOMPARE", [ext.richcompare(1, 2, op) for op in range(6)])
show("RICHCOMPARE equal", [ext.richcompare(3, 3, op) for op in range(6)])

# Weak proxies.
class Target:
    def __call__(self):
        return "called"

    value = 7


target = Target()
prox = ext.weak_proxy(target)
import weakref

show("proxy", (type(prox) is weakref.CallableProxyType, prox.value, prox()))
plain_target = Plain()
prox = ext.weak_proxy(plain_target, None)
show("plain proxy", type(prox) is weakref.ProxyType)
calls = []
prox = ext.weak_proxy(Plain(), calls.append)
show("dead proxy callback ran", len(calls))
err("proxy of int", ext.weak_proxy, 5)
import weakref

r = weakref.ref(target)
show("GET_OBJECT", ext.weak_ref_object(r) is target)

# Capsule setters.
show("capsule setters", ext.capsule_setters())
show("capsule errors", ext.capsule_errors(5))

# `obj.__class__ = B` in Python: C's Py_TYPE follows, for an instance C
# has seen already, of a Python class or of a Python subclass of a C type.
class PlainA:
    pass


class PlainB:
    pass


class HeapA(Heap):
    pass


class HeapB(Heap):
    pass


for first, second in ((PlainA, PlainB), (HeapA, HeapB)):
    obj = first()
    before = ext.type_of(obj)
    obj.__class__ = second
    after = ext.type_of(obj)
    show(f"Py_TYPE across __class__ = {second.__name__}", (before[0] is first, before[1], after[0] is second, after[1]))
    try:
        obj.__class__ = int
    except TypeError as e:
        show("refused __class__ assignment", (str(e), ext.type_of(obj)[1]))


# A C type that keeps object's attribute access has no attribute dunders of
# its own (CPython wraps a type's own slots only), so dataclass(frozen=True)
# can add its own, as it does to mypyc's native dataclasses.
show("attribute dunders in a C type's dict", [n for n in ("__getattribute__", "__setattr__", "__delattr__") if n in vars(Heap)])
import dataclasses
frozen = dataclasses.dataclass(frozen=True)(Heap)
show("frozen dataclass over a C type", (frozen is Heap, "__setattr__" in vars(Heap)))
# tp_bases and tp_mro of the builtin types, as tuples C walks; the types
# readied before tuple's own type once had bare headers there.
for t in (type, object, int, bool, float, complex, str, bytes, bytearray, tuple, list, dict, Heap):
    show(f"bases and mro of {t.__name__}", ext.mro_names(t))
print("DONE")
