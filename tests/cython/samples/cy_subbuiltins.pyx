# cdef classes deriving from immutable builtins, with C fields of their own.

cdef class MyFloat(float):
    cdef public int extra

    def __init__(self, value):
        self.extra = 3

    def doubled(self):
        return float(self) * 2


cdef class MyStr(str):
    cdef public object tag

    def __cinit__(self, *args, **kwargs):
        self.tag = "cinit"

    def shout(self):
        return self.upper() + "!"


cdef class MyComplex(complex):
    pass


def make_str(s):
    return MyStr(s)
