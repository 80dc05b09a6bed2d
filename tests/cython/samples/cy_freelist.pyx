# cython: language_level=3
# @cython.freelist classes whose __dealloc__ calls a method of the dying
# object (psycopg's PGresult and friends call self.clear()/close() so): the
# call takes the object back from the dead for its duration, then the struct
# is parked in the type's free list and reused by the next instance.
cimport cython

cdef int n_dealloc = 0
cdef int n_close = 0

@cython.freelist(8)
cdef class CdefClose:
    cdef object payload
    def __cinit__(self, payload=None):
        self.payload = payload
    cdef void _close(self):
        global n_close
        n_close += 1
        self.payload = None
    def __dealloc__(self):
        global n_dealloc
        n_dealloc += 1
        self._close()

@cython.freelist(8)
cdef class DefClose:
    cdef object payload
    def __cinit__(self, payload=None):
        self.payload = payload
    def close(self):
        global n_close
        n_close += 1
        self.payload = None
    def __dealloc__(self):
        global n_dealloc
        n_dealloc += 1
        self.close()

@cython.freelist(8)
cdef class CpdefClose:
    cdef object payload
    def __cinit__(self, payload=None):
        self.payload = payload
    cpdef clear(self):
        global n_close
        n_close += 1
        self.payload = None
    def __dealloc__(self):
        global n_dealloc
        n_dealloc += 1
        self.clear()

class Sub(DefClose):
    pass

def stats():
    return n_dealloc, n_close
