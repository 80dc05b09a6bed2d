"""A bytes object passed to a C function as a char pointer: the function
sees the object's own bytes, so what it writes there shows in the object
(pycryptodome's PKCS#1 decoding relies on this)."""
import ctypes

libc = ctypes.CDLL(None)


def show(label, f):
    try:
        print(label, f())
    except Exception as e:
        print(label, type(e).__name__, e)


# No argtypes: the bytes go as a char pointer.
buf = bytes(8)
memset = libc.memset
show("no argtypes memset:", lambda: (memset(buf, 0x41, 3), buf)[1])

# c_char_p argtype.
buf2 = bytes(6)
memcpy = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t)(
    ctypes.cast(libc.memcpy, ctypes.c_void_p).value)
show("c_char_p memcpy:", lambda: (memcpy(buf2, b"xyz", 3), buf2)[1])

# c_void_p argtype.
buf3 = bytes(5)
memset2 = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t)(
    ctypes.cast(libc.memset, ctypes.c_void_p).value)
show("c_void_p memset:", lambda: (memset2(buf3, 0x42, 2), buf3)[1])

# The C side still sees a NUL-terminated string.
strlen = libc.strlen
strlen.restype = ctypes.c_size_t
show("strlen:", lambda: strlen(b"hello"))
strlen.argtypes = [ctypes.c_char_p]
show("strlen c_char_p:", lambda: strlen(b"hello world"))

# A POINTER(c_ubyte) argtype refuses bytes, as in CPython.
memcpy3 = libc.memcpy
memcpy3.argtypes = [ctypes.POINTER(ctypes.c_ubyte), ctypes.c_char_p, ctypes.c_size_t]
show("POINTER(c_ubyte):", lambda: memcpy3(bytes(4), b"ab", 2))

# A function that only reads leaves the object as it was.
src = b"unchanged"
show("read only:", lambda: (strlen(src), src)[1])

# A pointer C returns into its bytes argument stays valid while the bytes
# object lives.
strchr = libc.strchr
strchr.restype = ctypes.POINTER(ctypes.c_char)
hay = b"hello world"
found = strchr(hay, ord("w"))
junk = [bytes(32) * i for i in range(100)]
print("pointer into argument:", found[0], found[:5])
strchr.restype = ctypes.c_char_p
print("c_char_p result:", strchr(hay, ord("o")))
print("DONE")
