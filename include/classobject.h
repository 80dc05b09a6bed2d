/* The type objects of bound methods. */
#ifndef CPYEXT_CLASSOBJECT_H
#define CPYEXT_CLASSOBJECT_H

PyAPI_DATA(PyTypeObject) PyMethod_Type;
#define PyMethod_Check(op) Py_IS_TYPE((op), &PyMethod_Type)

#endif
