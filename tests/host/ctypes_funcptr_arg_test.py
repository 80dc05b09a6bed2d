"""Function objects (CFUNCTYPE callbacks, foreign functions) passed as
arguments, callbacks that take pointer arguments, CFUNCTYPE.from_param,
argument conversion errors, and restype None."""
import ctypes
from ctypes import CFUNCTYPE, POINTER, c_int, c_size_t, c_void_p

libc = ctypes.CDLL(None)


class Pair(ctypes.Structure):
    _fields_ = [("a", c_int), ("b", c_int)]


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


CMP = CFUNCTYPE(c_int, POINTER(c_int), POINTER(c_int))
ascending = CMP(lambda a, b: a[0] - b[0])
descending = CMP(lambda a, b: b.contents.value - a.contents.value)
qsort = libc.qsort
qsort.restype = None


def sort(cmp, values, argtype):
    qsort.argtypes = [c_void_p, c_size_t, c_size_t, argtype]
    arr = (c_int * len(values))(*values)
    qsort(arr, len(arr), ctypes.sizeof(c_int), cmp)
    return list(arr)


show("CFUNCTYPE argtype:", lambda: sort(ascending, [5, 1, 4, 2, 3], CMP))
show("c_void_p argtype:", lambda: sort(descending, [5, 1, 4, 2, 3], c_void_p))
show("POINTER(c_int) argtype:", lambda: sort(ascending, [2, 1], POINTER(c_int)))


def no_argtypes(values):
    qsort.argtypes = None
    arr = (c_int * len(values))(*values)
    qsort(arr, len(arr), ctypes.sizeof(c_int), ascending)
    return list(arr)


show("no argtypes:", lambda: no_argtypes([9, 7, 8]))

# Argument types seen inside a callback.
seen = []
PTRCB = CFUNCTYPE(None, POINTER(c_int), c_void_p)
cb = PTRCB(lambda p, v: seen.append((type(p).__name__, p[0], v)))
caller = CFUNCTYPE(None, POINTER(c_int), c_void_p)(ctypes.cast(cb, c_void_p).value)
x = c_int(42)
caller(ctypes.byref(x), 7)
caller(ctypes.byref(x), None)
print("callback args:", seen)

# A foreign function passed where a c_void_p is expected.
strlen = libc.strlen
strlen.argtypes = [c_void_p]
strlen.restype = c_size_t
show("foreign function as c_void_p:", lambda: type(strlen(libc.strlen)).__name__)

show("from_param instance:", lambda: CMP.from_param(ascending) is ascending)
show("from_param int:", lambda: CMP.from_param(3))

labs = libc.labs
labs.argtypes = [ctypes.c_long]
show("bad argument:", lambda: labs("x"))
show("ArgumentError class:", lambda: ctypes.ArgumentError.__mro__[1].__name__)

absf = libc.abs
absf.restype = None
show("restype None:", lambda: absf(-5))
show("restype getter:", lambda: absf.restype)

# c_char results and callbacks returning bytes.
show("c_char callback:", lambda: CFUNCTYPE(ctypes.c_char, ctypes.c_char)(lambda ch: ch.upper())(b"q"))
toupper = libc.toupper
toupper.restype = ctypes.c_char
show("c_char restype:", lambda: toupper(ord("a")))


# A restype that subclasses a simple type gives an instance of it.
class MyInt(c_int):
    pass


absf2 = libc.labs
absf2.argtypes = [ctypes.c_long]
absf2.restype = MyInt
show("subclass restype:", lambda: (type(absf2(-3)).__name__, absf2(-3).value))
show("struct argument in callback:", lambda: CFUNCTYPE(c_int, Pair)(lambda p: p.a * 10 + p.b)(Pair(3, 4)))
show("struct pointer in callback:", lambda: CFUNCTYPE(c_int, POINTER(Pair))(lambda p: p.contents.a + p[0].b)(ctypes.byref(Pair(3, 4))))

# Prototypes built from (name, dll) with paramflags: keyword and default
# arguments, and OUT parameters returned as the result.
atoi = CFUNCTYPE(c_int, ctypes.c_char_p)(("atoi", libc), ((1, "s"),))
show("paramflags keyword:", lambda: atoi(s=b"42"))
sscanf = CFUNCTYPE(c_int, ctypes.c_char_p, ctypes.c_char_p, POINTER(c_int))(
    ("sscanf", libc), ((1, "text"), (1, "fmt", b"%d"), (2, "out")))
show("paramflags OUT:", lambda: sscanf(b"123"))
show("paramflags OUT keyword:", lambda: sscanf(text=b"77"))

# A str goes to C as a wchar_t string when there are no argtypes.
wcslen = libc.wcslen
wcslen.restype = c_size_t
show("str without argtypes:", lambda: wcslen("abc"))

# cast() to a CFUNCTYPE type, and a function object cast to c_void_p gives
# the code address it holds.
strlen_addr = ctypes.cast(libc.strlen, c_void_p).value
show("cast to CFUNCTYPE:", lambda: ctypes.cast(strlen_addr, CFUNCTYPE(c_size_t, ctypes.c_char_p))(b"abcd"))
show("cast of cast:", lambda: ctypes.cast(ctypes.cast(libc.strlen, c_void_p), CFUNCTYPE(c_size_t, ctypes.c_char_p))(b"xy"))
show("same code address:", lambda: ctypes.cast(CFUNCTYPE(c_int)(strlen_addr), c_void_p).value == strlen_addr)

# argtypes items need a from_param method.
show("bad argtypes item:", lambda: setattr(libc.strlen, "argtypes", [ctypes.c_char_p, 3]))
print("DONE")
