import builtins
import sys
import types

import funcs_ext as ext


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


def internal(label, fn, *args):
    try:
        fn(*args)
    except Exception as e:
        print(f"{label}: raised {type(e).__name__}", str(e).endswith("bad argument to internal function"))
    else:
        print(f"{label}: no error")


# Module functions: the struct C reads holds the PyMethodDef and the module.
name, flags, self, module, same, cls = ext.inspect(ext.plain)
show("plain: name, flags, self is module, m_module, accessors agree, class", (name, flags, self is ext, module, same, cls))
name, flags, self, module, same, cls = ext.inspect(ext.noargs)
show("noargs", (name, flags, self is ext, module, same))
name, flags, self, module, same, cls = ext.inspect(ext.added_later)
show("added by PyModule_AddFunctions", (name, flags, self is ext, module, same))
show("added_later()", ext.added_later())
show("added_later doc", ext.added_later.__doc__)
show("plain doc", ext.plain.__doc__)

# Cython's fast path: METH_O called through the function pointer.
show("fast_call_one(plain)", ext.fast_call_one(ext.plain, "x"))
# A builtin the interpreter made: called through PyObject_Call.
show("fast_call_one(len)", ext.fast_call_one(len, [1, 2, 3]))
show("fast_call_one(abs)", ext.fast_call_one(abs, -4))
show("fast_call_one(lambda)", ext.fast_call_one(lambda v: v * 2, 21))
show("len: name, self is builtins", (ext.name_and_self(len)[0], ext.name_and_self(len)[1] is builtins))
bound = [].append
n, s = ext.name_and_self(bound)
show("[].append: name, self type", (n, type(s).__name__))
show("name_and_self(non-builtin)", ext.name_and_self(lambda: 0))
lst = []
before = (ext.refcnt(len), ext.refcnt(lst))
for _ in range(200):
    ext.name_and_self(len)
    ext.name_and_self(lst.append)
    ext.inspect(ext.plain)
show("function proxies release what they hold", (ext.refcnt(len), ext.refcnt(lst)) == before)

# PyCFunction_New / NewEx / PyCMethod_New.
f = ext.make_function("varargs")
show("varargs(1, 2) without self", f(1, 2))
show("varargs name/doc/self", (f.__name__, f.__doc__, f.__self__))
show("varargs inspect", ext.inspect(f)[:2] + (ext.inspect(f)[2],))
marker = object()
f = ext.make_function("varargs", marker)
show("varargs bound: self passed", f(3)[0] is marker)
show("varargs bound: __self__", f.__self__ is marker)
show("varargs bound: GET_SELF", ext.inspect(f)[2] is marker)
f = ext.make_function("o", None, "some.module")
show("o(5)", f(5))
show("o module", (f.__module__, ext.inspect(f)[3]))
try:
    f(1, 2)
except TypeError as e:
    # The message names the function; CPython prefixes the module.
    print("o() with two args: TypeError", "takes exactly one argument (2 given)" in str(e))
f = ext.make_function("kw", ext)
show("kw(1, a=2)", f(1, a=2)[1:])
show("kw self is module", f(1)[0] is ext)
f = ext.make_function("method", "the self")
show("method: self, defining class, nargs", f(1, 2, x=3))
show("method: GET_CLASS", ext.inspect(f)[5])
err("METH_METHOD without class", ext.make_function, "method_no_class")
err("class without METH_METHOD", ext.make_function, "class_no_method")
err("bad call flags", ext.make_function, "bad")

show("cfunction_call", ext.cfunction_call(ext.make_function("kw"), (1, 2), {"k": 3}))
show("cfunction_call no kwargs", ext.cfunction_call(ext.make_function("kw"), (1,)))
err("cfunction_call raising", ext.cfunction_call, ext.make_function("o"), (1, 2))
show("getters on a non-function", ext.getters_on_non_function(42))
o = object()
before = ext.refcnt(o)
ext.make_and_drop(o)
show("refcounts neutral", ext.refcnt(o) == before)

# Bound methods.
class C:
    def m(self, x):
        return ("m", x)


c = C()
m = ext.method_new(C.m, c)
show("PyMethod_New call", m(5))
show("is MethodType", type(m) is types.MethodType)
func, self, same = ext.method_parts(m)
show("method parts", (func is C.m, self is c, same))
func, self, same = ext.method_parts(c.m)
show("Python-bound method parts", (func is C.m, self is c, same))
internal("PyMethod_New(f, NULL)", ext.method_new, C.m, None)
show("PyMethod_Function(non-method)", ext.method_parts(42))

sm, cm = ext.static_and_class(len)
show("static/class types", (type(sm).__name__, type(cm).__name__))
show("staticmethod wraps", sm.__func__ is len)


class D:
    pass


D.s, D.c = ext.static_and_class(lambda *a: a)
show("staticmethod call", D.s(1))
show("classmethod call", D.c(1) == (D, 1))


# Instance methods.
def described(self, x):
    "described doc"
    return ("described", type(self).__name__, x)


im, is_im, same = ext.instance_method(described)
show("instancemethod", (type(im).__name__, is_im, same, im.__func__ is described))
show("instancemethod forwards attributes", (im.__name__, im.__doc__, im.__module__))
show("instancemethod call", im(None, 1))


class WithIM:
    m = im


show("through the class", WithIM.m is described)
show("through an instance", WithIM().m(2))
show("bound type", type(WithIM().m) is types.MethodType)
im2, _, _ = ext.instance_method(len)
show("instancemethod of a builtin", im2([1, 2]))
internal("PyInstanceMethod_Function(non-im)", ext.instance_method_function, described)


# Python functions.
def sample(a, b=2, *, c=3) -> int:
    return a + b + c


def make_closure():
    captured = 10

    def inner():
        return captured

    return inner


code, is_dict, module, defaults, kwdefaults, closure, annotations, agree = ext.function_parts(sample)
show("sample parts", (code is sample.__code__, is_dict, module, defaults, kwdefaults, closure, annotations, agree))
inner = make_closure()
parts = ext.function_parts(inner)
show("closure parts", (parts[3], parts[4], type(parts[5]).__name__, len(parts[5]), parts[5][0].cell_contents, parts[6]))
internal("PyFunction_GetCode(non-function)", ext.function_parts, len)
show("PyFunction_Check", (ext.function_check(sample), ext.function_check(len), ext.function_check(C.m)))

g = {"__name__": "made.here", "VALUE": 5}
src = compile("def made(x=1):\n    'made doc'\n    return x + VALUE\n", "<test>", "exec")
made_code = [c for c in src.co_consts if isinstance(c, types.CodeType)][0]
f = ext.function_new(made_code, g)
show("PyFunction_New", (f.__name__, f.__qualname__, f.__module__, f.__doc__, f(2), f.__globals__ is g))
f = ext.function_new(made_code, g, "Outer.made")
show("NewWithQualName", (f.__name__, f.__qualname__))
f = ext.function_new(made_code, g, None)
show("NewWithQualName NULL", f.__qualname__)

show("SetDefaults", (ext.function_set("defaults", sample, (10,)), sample.__defaults__, sample(1)))
show("SetDefaults None", (ext.function_set("defaults", sample, None), sample.__defaults__))
err("SetDefaults NULL", ext.function_set, "defaults", sample, "NULL")
err("SetDefaults list", ext.function_set, "defaults", sample, [1])
show("SetKwDefaults", (ext.function_set("kwdefaults", sample, {"c": 30}), sample.__kwdefaults__))
err("SetKwDefaults tuple", ext.function_set, "kwdefaults", sample, (1,))
show("SetAnnotations", (ext.function_set("annotations", sample, {"a": str}), sample.__annotations__))
err("SetAnnotations list", ext.function_set, "annotations", sample, [1])
internal("SetDefaults(non-function)", ext.function_set, "defaults", len, None)

def kw_target(a, b=0):
    return (a, b)


show("_PyFunction_Vectorcall", ext.function_vectorcall(kw_target, 1, 2))

# Cells.
first, is_cell, same, via_macro, empty_no_error, cell = ext.cell_roundtrip("content")
show("cell roundtrip", (first, is_cell, same, via_macro, empty_no_error, type(cell).__name__, cell.cell_contents))
first, *_ = ext.cell_roundtrip(None)
show("empty cell Get", first)
show("cell errors", ext.cell_errors(42))

print("DONE")
