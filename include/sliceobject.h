/* Ellipsis and slices. */
#ifndef Py_SLICEOBJECT_H
#define Py_SLICEOBJECT_H

PyAPI_DATA(PyObject) _Py_EllipsisObject;
#define Py_Ellipsis (&_Py_EllipsisObject)
/* A slice's proxy holds its three parts (None when absent), as CPython's
 * slice does, so C may read them directly. */
typedef struct {
    PyObject_HEAD
    PyObject *start;
    PyObject *stop;
    PyObject *step;
} PySliceObject;

PyAPI_DATA(PyTypeObject) PySlice_Type;
PyAPI_DATA(PyTypeObject) PyEllipsis_Type;
#define PySlice_Check(op) Py_IS_TYPE((op), &PySlice_Type)
PyAPI_FUNC(PyObject *) PySlice_New(PyObject *start, PyObject *stop, PyObject *step);
PyAPI_FUNC(int) PySlice_Unpack(PyObject *slice, Py_ssize_t *start, Py_ssize_t *stop, Py_ssize_t *step);
PyAPI_FUNC(Py_ssize_t) PySlice_AdjustIndices(Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop, Py_ssize_t step);
/* The old form: only integer (or None) parts, no __index__. */
PyAPI_FUNC(int) PySlice_GetIndices(PyObject *slice, Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop, Py_ssize_t *step);
PyAPI_FUNC(int) _PyEval_SliceIndex(PyObject *v, Py_ssize_t *pi);
/* slice(start, stop); and slice.indices(length) as three new references. */
PyAPI_FUNC(PyObject *) _PySlice_FromIndices(Py_ssize_t start, Py_ssize_t stop);
PyAPI_FUNC(int) _PySlice_GetLongIndices(PySliceObject *self, PyObject *length, PyObject **start_ptr,
                                        PyObject **stop_ptr, PyObject **step_ptr);
/* Exported for the stable ABI; source gets the macro, as in CPython. */
PyAPI_FUNC(int) PySlice_GetIndicesEx(PyObject *slice, Py_ssize_t length, Py_ssize_t *start, Py_ssize_t *stop,
                                     Py_ssize_t *step, Py_ssize_t *slicelength);
#define PySlice_GetIndicesEx(slice, length, start, stop, step, slicelen) \
    (PySlice_Unpack((slice), (start), (stop), (step)) < 0 ? ((*(slicelen) = 0), -1) : \
     ((*(slicelen) = PySlice_AdjustIndices((length), (start), (stop), *(step))), 0))

#endif
