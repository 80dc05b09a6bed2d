import importlib
import sys
import types

import multiphase_ext

MODE = 0   # read by the extension's create/exec slots through __main__.MODE


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


def fresh_import():
    sys.modules.pop("multiphase_ext", None)
    return importlib.import_module("multiphase_ext")


m = multiphase_ext
first = m

# --- the module --------------------------------------------------------------
show("__name__", m.__name__)
show("__doc__", m.__doc__)
show("type is ModuleType", type(m) is types.ModuleType)
show("in sys.modules", sys.modules["multiphase_ext"] is m)
show("__spec__.name", m.__spec__.name)
show("created_by", m.created_by)
show("def passed to create is ours", m.def_ok_in_create)
show("spec passed to create is __spec__", m.spec_seen_by_create is m.__spec__)
show("exec order", m.order)
show("methods present before exec", m.methods_before_exec)
show("counter seen in exec2", m.counter_seen_in_exec2)
show("calls (init, create, exec1, exec2)", m.calls())

# --- functions ------------------------------------------------------------------
f = m.increment
show("func __name__", f.__name__)
show("func __doc__", f.__doc__)
show("func __module__", f.__module__)
show("func __self__ is module", f.__self__ is m)
show("self is module", m.self_is(m))
show("func repr", repr(f))

# --- state ------------------------------------------------------------------------
show("state_info (counter, zeroed, exec1, exec2)", m.state_info())
show("increment", m.increment())
show("increment", m.increment())
show("increment x10", [m.increment() for _ in range(10)][-1])
show("state_info after", m.state_info())
show("counter_of self", m.counter_of(m))
show("GetState self", m.state_of(m))
show("GetState Python module", m.state_of(types.ModuleType("plain")))
show("GetState sys", m.state_of(sys))
err("GetState non-module", m.state_of, 42, message=True)
err("counter_of Python module", m.counter_of, types.ModuleType("plain"), message=True)

# --- PyModule_GetDef ------------------------------------------------------------------
show("GetDef is &moduledef", m.def_is_ours())
show("GetDef self", m.def_of(m))
show("GetDef Python module", m.def_of(types.ModuleType("plain")))
err("GetDef non-module", m.def_of, "str", message=True)
show("def m_name / m_size", m.def_name())

# --- reload is a no-op for a module with state ------------------------------------
before = m.calls()
r = importlib.reload(m)
show("reload returns same module", r is m)
show("reload: calls unchanged (init, create, exec1, exec2)", m.calls() == before)
show("reload: state kept", m.state_info())
show("reload: order unchanged", m.order)

# --- a fresh import makes a new module with new state -----------------------------
m2 = fresh_import()
show("fresh import: new object", m2 is not first)
show("fresh import: calls", m2.calls())
show("fresh import: new state", m2.state_info())
show("fresh import: increment", m2.increment())
show("fresh import: old state untouched", first.counter_of(first))
show("old module's function uses old state", first.increment())
show("new module unaffected", m2.counter_of(m2))
show("counter_of across modules", m2.counter_of(first))
show("old module still has its own order list", first.order is not m2.order)
show("GetDef of both is the same def", (first.def_of(m2), m2.def_of(first)))
show("functions bound to their own module", (m2.increment.__self__ is m2,
                                              first.increment.__self__ is first))

# --- failures in create / exec -------------------------------------------------------
for mode, label in [
    (1, "exec raises"),
    (2, "exec returns -1 without exception"),
    (3, "exec returns 0 with exception set"),
    (4, "create returns NULL without exception"),
    (5, "create returns module with exception set"),
    (6, "create returns non-module with m_size > 0"),
    (7, "create raises"),
]:
    MODE = mode
    e = err(f"import, {label}", fresh_import, message=True)
    if e is not None and e.__cause__ is not None:
        show("  __cause__", (type(e.__cause__).__name__, str(e.__cause__)))
    show("  not left in sys.modules", "multiphase_ext" not in sys.modules)

MODE = 0
m3 = fresh_import()
show("import works again", m3.state_info())
show("final calls", m3.calls())
show("first module still alive and working", first.increment())

import _imp
import importlib.machinery

name, imp = m3.imp_from_inittab(importlib.machinery.ModuleSpec("_imp", None))
show("PyInit__imp", (name, imp.__name__, imp is _imp, sorted(set(dir(imp)) ^ set(dir(_imp))),
                     imp.__doc__ == _imp.__doc__, imp.lock_held(), imp.extension_suffixes() == _imp.extension_suffixes()))

print("DONE")
