/* memoryview. A memoryview is a host object; the Py_buffer C reads through
 * PyMemoryView_GET_BUFFER is kept by the layer for as long as the view
 * lives, so the macros are calls. PyMemoryViewObject gives CPython's field
 * order, but only its header is maintained. */
#ifndef Py_MEMORYOBJECT_H
#define Py_MEMORYOBJECT_H

PyAPI_DATA(PyTypeObject) PyMemoryView_Type;
#define PyMemoryView_Check(op) Py_IS_TYPE((op), &PyMemoryView_Type)

PyAPI_FUNC(PyObject *) PyMemoryView_FromObject(PyObject *base);
PyAPI_FUNC(PyObject *) PyMemoryView_FromMemory(char *mem, Py_ssize_t size, int flags);
PyAPI_FUNC(PyObject *) PyMemoryView_FromBuffer(const Py_buffer *info);
PyAPI_FUNC(PyObject *) PyMemoryView_GetContiguous(PyObject *base, int buffertype, char order);

typedef struct {
    PyObject_HEAD
    int flags;
    Py_ssize_t exports;
    Py_buffer master;
} _PyManagedBufferObject;

typedef struct {
    PyObject_VAR_HEAD
    _PyManagedBufferObject *mbuf;
    Py_hash_t hash;
    int flags;
    Py_ssize_t exports;
    Py_buffer view;
    PyObject *weakreflist;
    Py_ssize_t ob_array[1];
} PyMemoryViewObject;

/* The view's buffer, valid while the memoryview lives. */
PyAPI_FUNC(Py_buffer *) _PyMemoryView_GetBuffer(PyObject *mview);
#define PyMemoryView_GET_BUFFER(op) _PyMemoryView_GetBuffer(_PyObject_CAST(op))
#define PyMemoryView_GET_BASE(op) (_PyMemoryView_GetBuffer(_PyObject_CAST(op))->obj)

#endif
