/* The type objects of sequence and callable iterators. */
#ifndef CPYEXT_ITEROBJECT_H
#define CPYEXT_ITEROBJECT_H

PyAPI_DATA(PyTypeObject) PySeqIter_Type;
#define PySeqIter_Check(op) Py_IS_TYPE((op), &PySeqIter_Type)
PyAPI_DATA(PyTypeObject) PyCallIter_Type;
#define PyCallIter_Check(op) Py_IS_TYPE((op), &PyCallIter_Type)

#endif
