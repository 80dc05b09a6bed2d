# cython: language_level=3
# array.array through Cython's cpython/array.pxd, as packages use it
# (fastavro, pyroaring): the struct read directly, arrays made with clone()
# and copy(), storage grown with resize()/extend_buffer(), typed memoryviews.
from cpython cimport array
import array
from libc.string cimport memcpy

def total(array.array a):
    cdef Py_ssize_t i
    cdef double s = 0
    for i in range(len(a)):
        s += a.data.as_doubles[i]
    return s

def describe(array.array a):
    return (a.ob_descr.typecode, a.ob_descr.itemsize, len(a), a.itemsize)

def squares(int n):
    cdef array.array template = array.array('i')
    cdef array.array out = array.clone(template, n, zero=False)
    cdef int i
    for i in range(n):
        out.data.as_ints[i] = i * i
    return out

def zeros_like(array.array a):
    return array.clone(a, len(a), zero=True)

def doubled_copy(array.array a):
    cdef array.array c = array.copy(a)
    cdef Py_ssize_t i
    for i in range(len(c)):
        c.data.as_ints[i] *= 2
    return c

def fill_in_place(array.array a, int value):
    cdef Py_ssize_t i
    for i in range(len(a)):
        a.data.as_ints[i] = value + i

def grow_to(array.array a, Py_ssize_t n):
    # The pattern of pyroaring's to_array(): resize, then write through data.
    cdef Py_ssize_t old = len(a), i
    array.resize(a, n)
    for i in range(old, n):
        a.data.as_uints[i] = <unsigned int>(i * 10)
    return a

def append_raw(array.array a, bytes more):
    array.extend_buffer(a, more, len(more) // a.itemsize)
    return a

def resize_smart_many(array.array a, int times):
    cdef int i
    for i in range(times):
        array.resize_smart(a, len(a) + 1)
        a.data.as_ints[len(a) - 1] = i
    return a

def shrink(array.array a, Py_ssize_t n):
    array.resize(a, n)
    return a

def from_memview(array.array a):
    cdef int[:] view = a
    view[0] = -1
    return sum(view)

def extend_arrays(array.array a, array.array b):
    array.extend(a, b)
    return a

def zero_it(array.array a):
    array.zero(a)
    return a

cdef class Holder:
    cdef array.array values
    def __init__(self):
        self.values = array.array('d', [1.5, 2.5])
    def push(self, double x):
        array.resize_smart(self.values, len(self.values) + 1)
        self.values.data.as_doubles[len(self.values) - 1] = x
    def get(self):
        return self.values
