import gc
import importlib
import os
import sys
import types

import module_ext


def show(label, value):
    print(f"{label}: {value!r}")


def err(label, fn, *args, message=False):
    try:
        r = fn(*args)
    except Exception as e:
        line = f"{label}: raised {type(e).__name__}"
        if message:
            line += f" {str(e)!r}"
        print(line)
        return e
    print(f"{label}: returned {r!r}")
    return None


def internal(label, fn, *args):
    """Expect SystemError from PyErr_BadInternalCall (message may carry a
    file:line prefix, so only its ending is compared)."""
    try:
        fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}",
              str(e).endswith("bad argument to internal function"))
    else:
        print(f"{label}: no error")


class Victim:
    pass


m = module_ext

# --- the module object -------------------------------------------------------
show("__name__", m.__name__)
show("__doc__", m.__doc__)
show("type is ModuleType", type(m) is types.ModuleType)
show("repr starts", repr(m).startswith("<module 'module_ext' from "))
show("__file__ stem", os.path.basename(m.__file__).split(".")[0])
show("__file__ is .so", m.__file__.endswith(".so"))
show("__file__ dir", os.path.dirname(os.path.abspath(m.__file__)) in
     [os.path.abspath(p) for p in sys.path if p])
show("__package__", m.__package__)
show("__spec__.name", m.__spec__.name)
show("__spec__.origin == __file__", m.__spec__.origin == m.__file__)
show("in sys.modules", sys.modules["module_ext"] is m)
show("init count", m.get_init_count())
import module_ext as again  # noqa: E402
show("second import same object", again is m)
show("importlib.import_module same", importlib.import_module("module_ext") is m)
show("__import__ same", __import__("module_ext") is m)
show("init count after re-imports", m.get_init_count())
show("self is the module", m.get_self() is m)
show("non-dunder names in order", [k for k in vars(m) if not k.startswith("__")])

# --- contents added during init -------------------------------------------------
show("obj_added (AddObject)", m.obj_added)
show("ref_added (AddObjectRef)", m.ref_added)
show("same object under two names", m.ref_added is m.ref_added_alias)
m.ref_added.append(1)
show("alias sees mutation", m.ref_added_alias)
show("INT_CONST", m.INT_CONST)
show("NEG_CONST", m.NEG_CONST)
show("MAX_CONST", m.MAX_CONST == 2 ** 63 - 1)
show("MIN_CONST", m.MIN_CONST == -2 ** 63)
show("MACRO_CONST (AddIntMacro)", m.MACRO_CONST)
show("STR_CONST", m.STR_CONST)
show("UTF8_CONST", m.UTF8_CONST)
show("EMPTY_CONST", m.EMPTY_CONST)
show("STRING_MACRO (AddStringMacro)", m.STRING_MACRO)
show("const types", [type(getattr(m, n)).__name__ for n in
                     ("INT_CONST", "STR_CONST", "obj_added", "ref_added")])
show("via_dict (PyModule_GetDict at init)", m.via_dict)
show("NAME_AT_INIT", m.NAME_AT_INIT)
show("json_mod is json", m.json_mod is sys.modules["json"])

# --- functions --------------------------------------------------------------------
f = m.get_self
show("func __name__", f.__name__)
show("func __qualname__", f.__qualname__)
show("func __doc__", f.__doc__)
show("func without doc", m.get_dict.__doc__)
show("func __module__", f.__module__)
show("func __self__ is module", f.__self__ is m)
show("func repr", repr(f))
show("func type", type(f) is type(len))

# --- PyModule_GetDict --------------------------------------------------------------
show("GetDict is __dict__", m.get_dict(m) is m.__dict__)
tm = types.ModuleType("tmpmod")
d = m.get_dict(tm)
d["injected"] = 5
show("GetDict live", tm.injected)
internal("GetDict on non-module", m.get_dict, {})

# --- PyModule_GetName / GetNameObject ------------------------------------------------
show("GetName", m.get_name(m))
show("GetName dotted", m.get_name(types.ModuleType("pkg.sub.mod")))
show("GetName sys", m.get_name(sys))
show("GetNameObject", m.get_name_object(m))
show("GetNameObject type", type(m.get_name_object(m)).__name__)
nameless = types.ModuleType("nameless")
del nameless.__name__
err("GetName nameless", m.get_name, nameless, message=True)
err("GetNameObject nameless", m.get_name_object, nameless, message=True)
badname = types.ModuleType("badname")
badname.__name__ = 5
err("GetNameObject non-str __name__", m.get_name_object, badname, message=True)
err("GetName on non-module", m.get_name, "str", message=True)
err("GetNameObject on non-module", m.get_name_object, None, message=True)

# --- PyModule_GetFilenameObject -------------------------------------------------------
show("GetFilenameObject == __file__", m.get_filename_object(m) == m.__file__)
err("GetFilenameObject without __file__", m.get_filename_object, types.ModuleType("nf"),
    message=True)
err("GetFilenameObject on non-module", m.get_filename_object, 3, message=True)

# --- PyModule_New / NewObject ----------------------------------------------------------
for maker, arg in ((m.new_module, "made.in.c"), (m.new_module_object, "made_obj")):
    nm = maker(arg)
    label = maker.__name__
    show(f"{label} type", type(nm) is types.ModuleType)
    show(f"{label} __name__", nm.__name__)
    show(f"{label} attrs", (nm.__doc__, nm.__package__, nm.__loader__, nm.__spec__))
    show(f"{label} dict keys", sorted(vars(nm)))
    show(f"{label} repr", repr(nm))
    show(f"{label} not in sys.modules", arg not in sys.modules)
    show(f"{label} GetName", m.get_name(nm))
    nm.x = 1
    show(f"{label} writable", vars(nm)["x"])
show("New distinct objects", m.new_module("q") is not m.new_module("q"))
nm = m.new_module("docme")
m.set_doc_string(nm, "set from C")
show("SetDocString", nm.__doc__)

# --- PyModule_Check ------------------------------------------------------------------


class SubModule(types.ModuleType):
    pass


show("Check module", m.module_checks(m))
show("Check ModuleType()", m.module_checks(types.ModuleType("z")))
show("Check subclass", m.module_checks(SubModule("s")))
show("Check dict", m.module_checks({}))
show("Check ModuleType class", m.module_checks(types.ModuleType))

# --- PyModule_AddObject / AddObjectRef / constants at runtime -------------------------
tgt = types.ModuleType("target")
m.add_object(tgt, "a", [1, 2])
show("AddObject", tgt.a)
m.add_object(tgt, "a", "replaced")
show("AddObject replaces", tgt.a)
wr = m.add_object_steal(tgt, "victim", Victim)
show("AddObject stole (alive via module)", wr() is tgt.victim)
del tgt.victim
gc.collect()
show("AddObject stole (freed when removed)", wr() is None)
wr = m.add_object_ref_keeps(tgt, "kept", Victim)
gc.collect()
show("AddObjectRef kept by module", wr() is not None and wr() is tgt.kept)
del tgt.kept
gc.collect()
show("AddObjectRef freed when removed", wr() is None)
o = object()
m.add_object_ref(tgt, "o", o)
show("AddObjectRef identity", tgt.o is o)
m.add_object_ref(SubModule("sub"), "o", o)
show("AddObjectRef on module subclass ok", True)
err("AddObject on non-module", m.add_object, {}, "x", 1, message=True)
err("AddObjectRef on non-module", m.add_object_ref, object(), "x", 1, message=True)
err("AddObjectRef NULL value, no error set", m.add_object_ref_null, tgt, False, message=True)
err("AddObjectRef NULL value, error set (kept)", m.add_object_ref_null, tgt, True, message=True)
show("NULL value not added", hasattr(tgt, "null_value"))
m.add_int_constant(tgt, "I", -99)
m.add_string_constant(tgt, "S", "strval")
show("AddIntConstant/AddStringConstant", (tgt.I, tgt.S))
err("AddIntConstant on non-module", m.add_int_constant, [], "I", 1, message=True)
err("AddStringConstant on non-module", m.add_string_constant, [], "S", "v", message=True)
show("target non-dunder names", [k for k in vars(tgt) if not k.startswith("__")])

# --- imports --------------------------------------------------------------------------
import json  # noqa: E402
import os.path  # noqa: E402,F811
show("ImportModule json", m.import_module("json") is json)
show("ImportModule os.path", m.import_module("os.path") is os.path)
show("ImportModule os.path name", m.import_module("os.path").__name__ == os.path.__name__)
show("ImportModule not yet imported (colorsys)", "colorsys" in sys.modules)
cs = m.import_module("colorsys")
show("ImportModule loads it", cs is sys.modules["colorsys"] and cs.__name__)
show("ImportModule package submodule", m.import_module("email.mime").__name__)
err("ImportModule nonexistent", m.import_module, "no_such_module_xyz")
err("ImportModule nonexistent submodule", m.import_module, "json.no_such_sub")
show("ImportModule nonexistent is ModuleNotFoundError subclass of ImportError",
     issubclass(ModuleNotFoundError, ImportError))
show("Import json", m.import_("json") is json)
show("Import os.path", m.import_("os.path") is os.path)
err("Import nonexistent", m.import_, "no_such_module_xyz")
err("Import non-str", m.import_, 42)
show("GetModuleDict is sys.modules", m.get_module_dict() is sys.modules)
show("GetModule json", m.get_module("json") is json)
show("GetModule missing", m.get_module("not_imported_anywhere"))

am = m.add_module("capi_added_module")
show("AddModule type", type(am) is types.ModuleType)
show("AddModule __name__", am.__name__)
show("AddModule in sys.modules", sys.modules.get("capi_added_module") is am)
show("AddModule again same", m.add_module("capi_added_module") is am)
show("AddModule dict keys", sorted(k for k in vars(am)))
show("AddModule existing (sys)", m.add_module("sys") is sys)
am2 = m.add_module_object("capi_added_module2")
show("AddModuleObject in sys.modules", sys.modules.get("capi_added_module2") is am2)
show("AddModuleObject __name__", am2.__name__)
show("AddModuleObject existing", m.add_module_object("capi_added_module") is am)
show("AddModuleObject existing json", m.add_module_object("json") is json)
import capi_added_module  # noqa: E402
show("import of AddModule'd name", capi_added_module is am)
sys.modules["capi_fake"] = "not a module"
fake = m.add_module_object("capi_fake")
show("AddModuleObject over a non-module entry: new module", type(fake) is types.ModuleType)
show("  and it replaced the sys.modules entry", sys.modules["capi_fake"] is fake)
show("  its __name__", fake.__name__)

# Objects added at init and kept by C without a reference of its own stay
# valid while the module holds them.
import gc
for i in range(200):
    module_ext.registry_put(f"k{i}", [i])
    [object() for _ in range(50)]
gc.collect()
show("registry kept in a static", module_ext.registry_get("k7"))
show("  Python sees the same dict", (module_ext.registry["k199"], len(module_ext.registry_names)))

print("DONE")
