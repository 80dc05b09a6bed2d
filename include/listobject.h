/* list. A list is mutable on both sides of the boundary, so its items stay in
 * the host list and the item macros are calls: a change on either side is
 * seen by the other. Reaching into ob_item is not supported. */
#ifndef Py_LISTOBJECT_H
#define Py_LISTOBJECT_H
#define Py_CPYTHON_LISTOBJECT_H

typedef struct { PyObject_VAR_HEAD } PyListObject;

PyAPI_DATA(PyTypeObject) PyList_Type;
PyAPI_DATA(PyTypeObject) PyListIter_Type;
PyAPI_DATA(PyTypeObject) PyListRevIter_Type;
#define PyList_Check(op) PyType_FastSubclass(Py_TYPE(op), Py_TPFLAGS_LIST_SUBCLASS)
#define PyList_CheckExact(op) Py_IS_TYPE((op), &PyList_Type)

PyAPI_FUNC(PyObject *) PyList_New(Py_ssize_t size);
PyAPI_FUNC(Py_ssize_t) PyList_Size(PyObject *list);
PyAPI_FUNC(PyObject *) PyList_GetItem(PyObject *list, Py_ssize_t index);
PyAPI_FUNC(int) PyList_SetItem(PyObject *list, Py_ssize_t index, PyObject *item);
PyAPI_FUNC(int) PyList_Insert(PyObject *list, Py_ssize_t index, PyObject *item);
PyAPI_FUNC(int) PyList_Append(PyObject *list, PyObject *item);
PyAPI_FUNC(PyObject *) PyList_GetSlice(PyObject *list, Py_ssize_t low, Py_ssize_t high);
PyAPI_FUNC(int) PyList_SetSlice(PyObject *list, Py_ssize_t low, Py_ssize_t high, PyObject *itemlist);
PyAPI_FUNC(int) PyList_Sort(PyObject *list);
PyAPI_FUNC(int) PyList_Reverse(PyObject *list);
PyAPI_FUNC(PyObject *) PyList_AsTuple(PyObject *list);
PyAPI_FUNC(PyObject *) _PyList_Extend(PyObject *list, PyObject *iterable);

#define PyList_GET_ITEM(op, i) PyList_GetItem(_PyObject_CAST(op), (i))
/* Like CPython's macro, this does not release the item it replaces: the
 * list's reference to it passes to the caller. */
PyAPI_FUNC(void) _PyList_SET_ITEM(PyObject *list, Py_ssize_t index, PyObject *item);
#define PyList_SET_ITEM(op, i, v) _PyList_SET_ITEM(_PyObject_CAST(op), (i), _PyObject_CAST(v))
#define PyList_GET_SIZE(op) PyList_Size(_PyObject_CAST(op))

#endif
