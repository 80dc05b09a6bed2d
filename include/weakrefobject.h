/* Weak references. */
#ifndef Py_WEAKREFOBJECT_H
#define Py_WEAKREFOBJECT_H
#define Py_CPYTHON_WEAKREFOBJECT_H

/* Weak references are host objects; their fields are reached through the
 * functions. The struct has CPython 3.11's layout so that C can subclass
 * weakref.ref (Cython's `cdef class R(weakref.ref)` needs its size); the
 * layer does not fill its fields (differences.md). */
typedef struct _PyWeakReference PyWeakReference;
struct _PyWeakReference {
    PyObject_HEAD
    PyObject *wr_object;
    PyObject *wr_callback;
    Py_hash_t hash;
    PyWeakReference *wr_prev;
    PyWeakReference *wr_next;
    vectorcallfunc vectorcall;
};

PyAPI_DATA(PyTypeObject) _PyWeakref_RefType;
PyAPI_DATA(PyTypeObject) _PyWeakref_ProxyType;
PyAPI_DATA(PyTypeObject) _PyWeakref_CallableProxyType;
#define PyWeakref_CheckRef(op) PyObject_TypeCheck((op), &_PyWeakref_RefType)
#define PyWeakref_CheckRefExact(op) Py_IS_TYPE((op), &_PyWeakref_RefType)
#define PyWeakref_CheckProxy(op) (Py_IS_TYPE((op), &_PyWeakref_ProxyType) || Py_IS_TYPE((op), &_PyWeakref_CallableProxyType))
#define PyWeakref_Check(op) (PyWeakref_CheckRef(op) || PyWeakref_CheckProxy(op))

PyAPI_FUNC(PyObject *) PyWeakref_NewRef(PyObject *ob, PyObject *callback);
PyAPI_FUNC(PyObject *) PyWeakref_NewProxy(PyObject *ob, PyObject *callback);
/* Borrowed; Py_None once the referent is gone. */
PyAPI_FUNC(PyObject *) PyWeakref_GetObject(PyObject *ref);
#define PyWeakref_GET_OBJECT(ref) PyWeakref_GetObject(_PyObject_CAST(ref))
/* Clears the weak references to an object and calls their callbacks (a
 * tp_dealloc calls it; by then the host has already done it). */
PyAPI_FUNC(void) PyObject_ClearWeakRefs(PyObject *object);
/* The weak references from `head` to the end of its referent's list (all
 * of them for the first); 0 for NULL. */
PyAPI_FUNC(Py_ssize_t) _PyWeakref_GetWeakrefCount(PyWeakReference *head);

#endif
