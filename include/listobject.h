/* list. The host list holds the items. A list proxy also carries CPython's
 * fields: ob_size, and in ob_item an array of (owned) item proxies that the
 * layer brings up to date each time the list is handed to C and after each
 * list function. A list from PyList_New lives in that array alone until it
 * first crosses into Python, so C may fill ob_item directly, as it does in
 * CPython. Python code can change a list while C holds it, so the item
 * macros stay calls that read the host list (docs/design.md, "Lists"). */
#ifndef Py_LISTOBJECT_H
#define Py_LISTOBJECT_H
#define Py_CPYTHON_LISTOBJECT_H

typedef struct {
    PyObject_VAR_HEAD
    PyObject **ob_item;
    Py_ssize_t allocated;
} PyListObject;
#define _PyList_CAST(op) ((PyListObject *)(op))

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
PyAPI_FUNC(PyObject *) _PyList_Extend(PyListObject *list, PyObject *iterable);
/* Statistics of the list free list; the layer keeps none, so nothing is written. */
PyAPI_FUNC(void) _PyList_DebugMallocStats(FILE *out);

/* As PyList_GetItem, but an index a Python thread has just cut off gets
 * the item C last saw there rather than NULL, as the macro cannot fail. */
PyAPI_FUNC(PyObject *) _PyList_GET_ITEM(PyObject *list, Py_ssize_t index);
#define PyList_GET_ITEM(op, i) _PyList_GET_ITEM(_PyObject_CAST(op), (i))
/* Like CPython's macro, this does not release the item it replaces: the
 * list's reference to it passes to the caller. */
PyAPI_FUNC(void) _PyList_SET_ITEM(PyObject *list, Py_ssize_t index, PyObject *item);
#define PyList_SET_ITEM(op, i, v) _PyList_SET_ITEM(_PyObject_CAST(op), (i), _PyObject_CAST(v))
/* As PyList_Size; the items below the size it returns stay readable with
 * PyList_GET_ITEM while C runs, even if a Python thread shrinks the list. */
PyAPI_FUNC(Py_ssize_t) _PyList_GET_SIZE(PyObject *list);
#define PyList_GET_SIZE(op) _PyList_GET_SIZE(_PyObject_CAST(op))

#endif
