/* The type objects of enumerate and reversed. */
#ifndef Py_ENUMOBJECT_H
#define Py_ENUMOBJECT_H

PyAPI_DATA(PyTypeObject) PyEnum_Type;
PyAPI_DATA(PyTypeObject) PyReversed_Type;

#endif
