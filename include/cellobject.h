/* Cells: the variables a closure shares with the function that made it. */
#ifndef Py_CELLOBJECT_H
#define Py_CELLOBJECT_H

/* CPython's layout; the layer's cells are host objects, reached through
 * the functions (the macros call them). */
typedef struct {
    PyObject_HEAD
    PyObject *ob_ref;
} PyCellObject;

PyAPI_DATA(PyTypeObject) PyCell_Type;
#define PyCell_Check(op) Py_IS_TYPE((op), &PyCell_Type)
PyAPI_FUNC(PyObject *) PyCell_New(PyObject *obj);
PyAPI_FUNC(PyObject *) PyCell_Get(PyObject *cell);
PyAPI_FUNC(int) PyCell_Set(PyObject *cell, PyObject *value);

/* Borrowed: the cell holds its content. */
PyAPI_FUNC(PyObject *) _PyCell_GetBorrowed(PyObject *cell);
/* Stores v, stealing it and releasing the old content (CPython's macro
 * leaks the old one; the layer cannot keep a raw pointer in a host cell). */
PyAPI_FUNC(void) _PyCell_SetStolen(PyObject *cell, PyObject *v);
#define PyCell_GET(op) _PyCell_GetBorrowed(_PyObject_CAST(op))
#define PyCell_SET(op, v) _PyCell_SetStolen(_PyObject_CAST(op), (v))

#endif
