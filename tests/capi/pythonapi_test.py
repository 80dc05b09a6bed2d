# ctypes.pythonapi and PyDLL: CPython's recipes from the wild print the same
# under both interpreters.
import ctypes
import gc
import sys
import threading
import weakref

import pythonapi_ext

api = ctypes.pythonapi
py_object = ctypes.py_object


def declare(function, restype, *argtypes):
    function.restype = restype
    function.argtypes = list(argtypes)
    return function


# A new reference returned as py_object is taken over.
from_long = declare(api.PyLong_FromLong, py_object, ctypes.c_long)
print("PyLong_FromLong", from_long(42), from_long(-7) + 1)
print("PyUnicode_FromString", declare(api.PyUnicode_FromString, py_object, ctypes.c_char_p)(b"caf\xc3\xa9"))

# py_object arguments reach C as objects.
repr_ = declare(api.PyObject_Repr, py_object, py_object)
print("PyObject_Repr", repr_([1, "a", None]), repr_({"k": (2.5,)}))


class Angry:
    def __repr__(self):
        raise ValueError("no repr for you")


try:
    repr_(Angry())
except ValueError as e:
    print("PyObject_Repr raised", type(e).__name__, e)

# An exception C leaves pending is raised, whatever the result type.
set_string = declare(api.PyErr_SetString, None, py_object, ctypes.c_char_p)
try:
    set_string(KeyError, b"set from C")
except KeyError as e:
    print("PyErr_SetString raised", repr(e))

# Bytes.
as_string = declare(api.PyBytes_AsString, ctypes.c_char_p, py_object)
print("PyBytes_AsString", as_string(b"hello"))
try:
    as_string("not bytes")
except TypeError as e:
    print("PyBytes_AsString raised TypeError")
size = declare(api.PyObject_Size, ctypes.c_ssize_t, py_object)
print("PyObject_Size", size([1, 2, 3]), size("four"))

# Reference counts through Py_IncRef / Py_DecRef.
incref = declare(api.Py_IncRef, None, py_object)
decref = declare(api.Py_DecRef, None, py_object)
thing = object()
before = sys.getrefcount(thing)
incref(thing)
incref(thing)
after_inc = sys.getrefcount(thing)
decref(thing)
decref(thing)
print("Py_IncRef/Py_DecRef deltas", after_inc - before, sys.getrefcount(thing) - before)


# A result's new reference is handed over: nothing leaks, nothing is freed twice.
class Plain:
    pass


call = declare(api.PyObject_CallObject, py_object, py_object, py_object)
made = call(Plain, ())
ref = weakref.ref(made)
print("PyObject_CallObject", type(made).__name__, sys.getrefcount(made))
del made
gc.collect()
print("result freed after del", ref() is None)
for _ in range(2000):
    from_long(10**30)

# Capsules.
capsule_new = declare(api.PyCapsule_New, py_object, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p)
get_pointer = declare(api.PyCapsule_GetPointer, ctypes.c_void_p, py_object, ctypes.c_char_p)
# The capsule keeps the name's pointer: the name must outlive the call.
name = ctypes.create_string_buffer(b"demo.capsule")
capsule = capsule_new(1234, name, None)
print("PyCapsule", type(capsule).__name__, get_pointer(capsule, name))
try:
    get_pointer(capsule, b"other.name")
except ValueError as e:
    print("PyCapsule_GetPointer raised ValueError")

# The GIL is held inside a pythonapi call, in the main thread and others.
gil_check = declare(api.PyGILState_Check, ctypes.c_int)
results = []
worker = threading.Thread(target=lambda: results.append(gil_check()))
worker.start()
worker.join()
print("PyGILState_Check", gil_check(), results)

# The recipe that changes a caller's local variable.
def change_local():
    x = 1
    frame = sys._getframe()
    frame.f_locals["x"] = 2
    api.PyFrame_LocalsToFast(py_object(frame), ctypes.c_int(0))
    return x


print("PyFrame_LocalsToFast", change_local())

# PyDLL on an extension's own exported functions.
lib = ctypes.PyDLL(pythonapi_ext.__file__)
pair = declare(lib.pythonapi_ext_pair, py_object, py_object, py_object)
print("pair", pair(1, "two"), pair(pair, None)[0] is pair)
print("pair, py_object instances, no argtypes")
lib.pythonapi_ext_pair.argtypes = None
print("   ", lib.pythonapi_ext_pair(py_object([3]), py_object(None)))
fail = declare(lib.pythonapi_ext_fail, py_object, ctypes.c_char_p)
try:
    fail(b"nothing here")
except LookupError as e:
    print("NULL with an exception raised", repr(e))
print("int result", declare(lib.pythonapi_ext_gil_held, ctypes.c_int)())
refcnt = declare(lib.pythonapi_ext_refcnt, ctypes.c_ssize_t, py_object)
print("C sees a live object", refcnt(thing) >= 1)

# PYFUNCTYPE prototypes call with the same convention.
proto = ctypes.PYFUNCTYPE(py_object, py_object, py_object)
pair2 = proto(("pythonapi_ext_pair", lib))
print("PYFUNCTYPE", pair2("a", ("b",)))
address = ctypes.cast(lib.pythonapi_ext_pair, ctypes.c_void_p).value
print("PYFUNCTYPE at an address", proto(address)(3, 4))

# errcheck runs on the converted result.
length = declare(api.PyObject_Length, ctypes.c_ssize_t, py_object)
length.errcheck = lambda result, func, args: ("checked", result, len(args))
print("errcheck", length([1, 2]))

# ctypes' own helpers are untouched.
buf = ctypes.create_string_buffer(b"xyz")
print("string_at", ctypes.string_at(buf, 3), ctypes.cast(buf, ctypes.c_char_p).value)
print("CDLL", ctypes.CDLL(None).labs(-5))

# More arguments than argtypes: the rest by the default conversions (a
# variadic function; scrypt passes one its C function ignores).
libc = ctypes.CDLL(None)
snprintf = libc.snprintf
snprintf.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p]
snprintf.restype = ctypes.c_int
out = ctypes.create_string_buffer(32)
print("variadic", snprintf(out, 32, b"%d-%s-%ld", 7, b"x", ctypes.c_long(-3)), out.value)
labs = libc.labs
labs.argtypes = [ctypes.c_long]
labs.restype = ctypes.c_long
print("extra ignored", labs(-9, 123))
labs.errcheck = lambda result, func, args: ("checked", result, len(args))
print("extra with errcheck", labs(-4, 0))
try:
    snprintf(out)
except TypeError as e:
    print("too few", type(e).__name__, e)

print("DONE")
