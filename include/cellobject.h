/* The type objects of cells. */
#ifndef CPYEXT_CELLOBJECT_H
#define CPYEXT_CELLOBJECT_H

PyAPI_DATA(PyTypeObject) PyCell_Type;
#define PyCell_Check(op) Py_IS_TYPE((op), &PyCell_Type)

#endif
