/* The type objects of complex. */
#ifndef CPYEXT_COMPLEXOBJECT_H
#define CPYEXT_COMPLEXOBJECT_H

PyAPI_DATA(PyTypeObject) PyComplex_Type;
#define PyComplex_Check(op) Py_IS_TYPE((op), &PyComplex_Type)

#endif
