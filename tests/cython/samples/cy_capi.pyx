# cython: language_level=3
# Direct C-API calls through Cython's `cpython.*` and `libc.*` declarations,
# as real packages make them.
from cpython.mem cimport PyMem_Malloc, PyMem_Free, PyMem_Realloc
from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_DecodeUTF8, PyUnicode_AsUTF8String
from cpython.object cimport PyObject_RichCompare, Py_LT, Py_EQ, PyObject_Hash
from cpython.ref cimport PyObject
from cpython.exc cimport PyErr_SetString, PyErr_Occurred
from cpython.list cimport PyList_New, PyList_Append
from cpython.dict cimport PyDict_GetItem, PyDict_SetItem, PyDict_Size
from cpython.long cimport PyLong_FromLongLong, PyLong_AsLongLong
from cpython.float cimport PyFloat_FromDouble, PyFloat_AsDouble
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE
from cpython.pycapsule cimport PyCapsule_New, PyCapsule_GetPointer, PyCapsule_IsValid
from libc.string cimport memcpy, strlen, memset
from libc.stdlib cimport qsort
from libc.math cimport sqrt, floor, isnan, NAN

cdef int cmp_ints(const void *a, const void *b) noexcept nogil:
    return (<const int *>a)[0] - (<const int *>b)[0]

def sorted_ints(list values):
    cdef Py_ssize_t n = len(values), i
    cdef int *buf = <int *>PyMem_Malloc(n * sizeof(int))
    if buf == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            buf[i] = values[i]
        qsort(buf, n, sizeof(int), cmp_ints)
        return [buf[i] for i in range(n)]
    finally:
        PyMem_Free(buf)

def grow(int n):
    cdef char *p = <char *>PyMem_Malloc(2)
    memset(p, ord("a"), 2)
    p = <char *>PyMem_Realloc(p, n)
    memset(p + 2, ord("b"), n - 2)
    try:
        return PyBytes_FromStringAndSize(p, n)
    finally:
        PyMem_Free(p)

def bytes_info(bytes b):
    cdef char *s = PyBytes_AS_STRING(b)
    return PyBytes_GET_SIZE(b), strlen(s), s[0]

def utf8_roundtrip(str s):
    cdef bytes raw = PyUnicode_AsUTF8String(s)
    return PyUnicode_DecodeUTF8(raw, len(raw), "strict")

def compare(a, b):
    return PyObject_RichCompare(a, b, Py_LT), PyObject_RichCompare(a, b, Py_EQ), PyObject_Hash(a) == hash(a)

def containers():
    cdef list l = PyList_New(0)
    PyList_Append(l, 1)
    PyList_Append(l, "two")
    cdef dict d = {}
    PyDict_SetItem(d, "k", l)
    cdef PyObject *found = PyDict_GetItem(d, "k")
    cdef PyObject *missing = PyDict_GetItem(d, "nope")
    return l, <object>found is l, missing == NULL, PyDict_Size(d)

def numbers(long long v, double f):
    return PyLong_AsLongLong(PyLong_FromLongLong(v)), PyFloat_AsDouble(PyFloat_FromDouble(f)), sqrt(f), floor(f), isnan(NAN)

cdef int set_error(bytes msg) except -1:
    PyErr_SetString(ValueError, msg)
    return -1

def raise_it(msg):
    set_error(msg.encode())

def buffer_sum(obj):
    cdef Py_buffer view
    PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE)
    cdef long total = 0
    cdef Py_ssize_t i
    try:
        for i in range(view.len):
            total += (<unsigned char *>view.buf)[i]
        return total, view.len, view.readonly
    finally:
        PyBuffer_Release(&view)

cdef int payload = 42

def capsule():
    c = PyCapsule_New(&payload, "cy_capi.payload", NULL)
    return PyCapsule_IsValid(c, "cy_capi.payload"), (<int *>PyCapsule_GetPointer(c, "cy_capi.payload"))[0]
