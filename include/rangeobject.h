/* The type objects of range. */
#ifndef CPYEXT_RANGEOBJECT_H
#define CPYEXT_RANGEOBJECT_H

PyAPI_DATA(PyTypeObject) PyRange_Type;
#define PyRange_Check(op) Py_IS_TYPE((op), &PyRange_Type)

#endif
