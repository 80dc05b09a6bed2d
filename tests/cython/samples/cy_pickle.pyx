# cython: language_level=3
# Pickling and copying of cdef classes (Cython's generated __reduce_cython__).

cdef class Point:
    cdef public double x, y
    cdef public object label

    def __init__(self, x=0, y=0, label=None):
        self.x = x
        self.y = y
        self.label = label

    def __repr__(self):
        return f"Point({self.x}, {self.y}, {self.label!r})"

cdef class Custom:
    cdef int value

    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        return (Custom, (self.value + 1,))

    def get(self):
        return self.value

cdef class NoPickle:
    cdef void *ptr

class PyHolder:
    def __init__(self, point):
        self.point = point
