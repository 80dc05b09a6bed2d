/* tuple. A proxy holds its items' proxies inline, as CPython's tuple does, so
 * the GET_ITEM/SET_ITEM macros work on memory and borrowed items live as long
 * as the tuple. A tuple made in C becomes a host tuple when it crosses into
 * Python; it must be filled by then. */
#ifndef Py_TUPLEOBJECT_H
#define Py_TUPLEOBJECT_H
#define Py_CPYTHON_TUPLEOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    PyObject *ob_item[1];
} PyTupleObject;
#define _PyTuple_CAST(op) ((PyTupleObject *)(op))

PyAPI_DATA(PyTypeObject) PyTuple_Type;
PyAPI_DATA(PyTypeObject) PyTupleIter_Type;
#define PyTuple_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_TUPLE_SUBCLASS)
#define PyTuple_CheckExact(op) Py_IS_TYPE((op), &PyTuple_Type)

PyAPI_FUNC(PyObject *) PyTuple_New(Py_ssize_t size);
PyAPI_FUNC(Py_ssize_t) PyTuple_Size(PyObject *p);
PyAPI_FUNC(PyObject *) PyTuple_GetItem(PyObject *p, Py_ssize_t pos);
PyAPI_FUNC(int) PyTuple_SetItem(PyObject *p, Py_ssize_t pos, PyObject *o);
PyAPI_FUNC(PyObject *) PyTuple_GetSlice(PyObject *p, Py_ssize_t low, Py_ssize_t high);
PyAPI_FUNC(PyObject *) PyTuple_Pack(Py_ssize_t n, ...);
/* Only for a tuple C is still filling (count 1, not yet seen by Python):
 * *p is replaced by a tuple of the new size with the items kept. On
 * failure *p is released and set to NULL. */
PyAPI_FUNC(int) _PyTuple_Resize(PyObject **p, Py_ssize_t newsize);
/* A hint for CPython's collector; nothing to do here. */
PyAPI_FUNC(void) _PyTuple_MaybeUntrack(PyObject *op);
/* Statistics of the tuple free lists; the layer keeps none, so nothing is written. */
PyAPI_FUNC(void) _PyTuple_DebugMallocStats(FILE *out);

#define PyTuple_GET_SIZE(op) Py_SIZE(op)
#define PyTuple_GET_ITEM(op, i) (((PyTupleObject *)(op))->ob_item[i])
static inline void PyTuple_SET_ITEM(PyObject *op, Py_ssize_t index, PyObject *value) {
    ((PyTupleObject *)op)->ob_item[index] = value;
}
#define PyTuple_SET_ITEM(op, index, value) PyTuple_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))

/* Cython 3.0.1 to 3.0.12 (not 3.0.0; fixed in 3.1.0) slices a
 * fastcall argument array with PyTuple_GetSlice when CYTHON_ASSUME_SAFE_MACROS
 * is 0, which pyport.h presets: `def f(a, *args)` then passes a
 * `PyObject *const *` where a tuple is expected (a C++ module does not
 * compile; a C one gets a warning and the call fails or crashes). Such an
 * argument is an array of arguments, so it is sliced as one; every other
 * call is PyTuple_GetSlice itself. (Cython's own configurations without the
 * safe macros also turn METH_FASTCALL off, which Cython 3.1.0's output does
 * not survive, so that preset cannot follow.) */
#ifndef CPYEXT_NO_CYTHON_PRESETS
static inline PyObject *_CPyext_TupleFromArgs(PyObject *const *args, Py_ssize_t low, Py_ssize_t high) {
    Py_ssize_t n = high > low ? high - low : 0;
    PyObject *t = PyTuple_New(n);
    if (t == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(args[low + i]);
        PyTuple_SET_ITEM(t, i, args[low + i]);
    }
    return t;
}
#  ifdef __cplusplus
extern "C++" {
static inline PyObject *PyTuple_GetSlice(PyObject *const *args, Py_ssize_t low, Py_ssize_t high) {
    return _CPyext_TupleFromArgs(args, low, high);
}
}
#  elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#    define PyTuple_GetSlice(p, low, high) _Generic((p), \
        PyObject *const *: _CPyext_TupleFromArgs, \
        PyObject **: _CPyext_TupleFromArgs, \
        default: PyTuple_GetSlice)((p), (low), (high))
#  endif
#endif

#endif
