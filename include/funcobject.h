/* The type objects of Python functions, staticmethod and classmethod. */
#ifndef CPYEXT_FUNCOBJECT_H
#define CPYEXT_FUNCOBJECT_H

PyAPI_DATA(PyTypeObject) PyFunction_Type;
#define PyFunction_Check(op) Py_IS_TYPE((op), &PyFunction_Type)
PyAPI_DATA(PyTypeObject) PyStaticMethod_Type;
PyAPI_DATA(PyTypeObject) PyClassMethod_Type;

#endif
