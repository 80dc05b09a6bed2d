/* set and frozenset. The elements live in the host set, so a change made on
 * either side is seen by the other; PySetObject's table is not maintained
 * (reach the elements through the functions below). */
#ifndef Py_SETOBJECT_H
#define Py_SETOBJECT_H
#define Py_CPYTHON_SETOBJECT_H

#define PySet_MINSIZE 8

typedef struct {
    PyObject *key;
    Py_hash_t hash;
} setentry;

/* CPython's field order, for C types that extend set; only the header is
 * maintained here. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t fill;
    Py_ssize_t used;
    Py_ssize_t mask;
    setentry *table;
    Py_hash_t hash;
    Py_ssize_t finger;
    setentry smalltable[PySet_MINSIZE];
    PyObject *weakreflist;
} PySetObject;

PyAPI_DATA(PyTypeObject) PySet_Type;
PyAPI_DATA(PyTypeObject) PyFrozenSet_Type;
PyAPI_DATA(PyTypeObject) PySetIter_Type;

PyAPI_FUNC(PyObject *) PySet_New(PyObject *iterable);
PyAPI_FUNC(PyObject *) PyFrozenSet_New(PyObject *iterable);
PyAPI_FUNC(int) PySet_Add(PyObject *set, PyObject *key);
PyAPI_FUNC(int) PySet_Clear(PyObject *set);
PyAPI_FUNC(int) PySet_Contains(PyObject *anyset, PyObject *key);
PyAPI_FUNC(int) PySet_Discard(PyObject *set, PyObject *key);
PyAPI_FUNC(PyObject *) PySet_Pop(PyObject *set);
PyAPI_FUNC(Py_ssize_t) PySet_Size(PyObject *anyset);
/* Private API that some extensions use: walks the set by position; the key
 * is a borrowed reference. */
PyAPI_FUNC(int) _PySet_NextEntry(PyObject *set, Py_ssize_t *pos, PyObject **key, Py_hash_t *hash);
PyAPI_FUNC(int) _PySet_Update(PyObject *set, PyObject *iterable);

/* The size lives in the host set: a call, not a field read. */
#define PySet_GET_SIZE(so) PySet_Size(_PyObject_CAST(so))

#define PySet_CheckExact(op) Py_IS_TYPE((op), &PySet_Type)
#define PySet_Check(op) PyObject_TypeCheck((op), &PySet_Type)
#define PyFrozenSet_CheckExact(op) Py_IS_TYPE((op), &PyFrozenSet_Type)
#define PyFrozenSet_Check(op) PyObject_TypeCheck((op), &PyFrozenSet_Type)
#define PyAnySet_CheckExact(op) (Py_IS_TYPE((op), &PySet_Type) || Py_IS_TYPE((op), &PyFrozenSet_Type))
#define PyAnySet_Check(op) (PyAnySet_CheckExact(op) || PyObject_TypeCheck((op), &PySet_Type) || PyObject_TypeCheck((op), &PyFrozenSet_Type))
#endif
