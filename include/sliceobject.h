/* Ellipsis and slices. */
#ifndef CPYEXT_SLICEOBJECT_H
#define CPYEXT_SLICEOBJECT_H

PyAPI_DATA(PyObject) _Py_EllipsisObject;
#define Py_Ellipsis (&_Py_EllipsisObject)
PyAPI_DATA(PyTypeObject) PySlice_Type;
PyAPI_DATA(PyTypeObject) PyEllipsis_Type;
#define PySlice_Check(op) Py_IS_TYPE((op), &PySlice_Type)

#endif
