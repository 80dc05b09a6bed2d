# cython: language_level=3
# Fused types, typed memoryviews, nogil sections and C arithmetic.
from cython.view cimport array as cvarray
cimport cython

ctypedef fused number:
    int
    long long
    double

cpdef number biggest(number a, number b):
    return a if a > b else b

def fused_names():
    return sorted(biggest.__signatures__.keys()) if hasattr(biggest, "__signatures__") else None

def total(double[:] values):
    cdef double s = 0
    cdef Py_ssize_t i
    with nogil:
        for i in range(values.shape[0]):
            s += values[i]
    return s

def scale_inplace(double[:] values, double k):
    cdef Py_ssize_t i
    for i in range(values.shape[0]):
        values[i] *= k

def sum_2d(long[:, :] grid):
    cdef long s = 0
    cdef Py_ssize_t i, j
    for i in range(grid.shape[0]):
        for j in range(grid.shape[1]):
            s += grid[i, j] * (i + 1)
    return s, grid.shape[0], grid.shape[1], grid.ndim

def byte_sum(const unsigned char[:] data):
    cdef long s = 0
    cdef Py_ssize_t i
    for i in range(data.shape[0]):
        s += data[i]
    return s

def make_array(int n):
    cdef cvarray arr = cvarray(shape=(n,), itemsize=sizeof(int), format="i")
    cdef int[:] view = arr
    cdef int i
    for i in range(n):
        view[i] = i * i
    return arr

def slices(double[:] values):
    cdef double[:] tail = values[1:]
    cdef double[:] every = values[::2]
    return list(tail), [every[i] for i in range(every.shape[0])]

cdef long square(long x) nogil:
    return x * x

def nogil_work(long n):
    cdef long s = 0, i
    with nogil:
        for i in range(n):
            s += square(i)
    return s

@cython.cdivision(False)
def divisions(long a, long b):
    return a // b, a % b, a / b

@cython.boundscheck(True)
def bounds(double[:] values, Py_ssize_t i):
    return values[i]

def overflow(x):
    cdef int small = x
    return small

def unsigned(x):
    cdef unsigned int u = x
    return u

def conversions(long long big, double d, bint flag, char c, Py_UCS4 ch):
    return big * 2, d / 2, flag, c, ch, <int>d
