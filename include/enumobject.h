/* The type objects of enumerate and reversed. */
#ifndef CPYEXT_ENUMOBJECT_H
#define CPYEXT_ENUMOBJECT_H

PyAPI_DATA(PyTypeObject) PyEnum_Type;
PyAPI_DATA(PyTypeObject) PyReversed_Type;

#endif
