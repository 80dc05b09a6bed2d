/* The type objects of memoryview. */
#ifndef CPYEXT_MEMORYOBJECT_H
#define CPYEXT_MEMORYOBJECT_H

PyAPI_DATA(PyTypeObject) PyMemoryView_Type;
#define PyMemoryView_Check(op) Py_IS_TYPE((op), &PyMemoryView_Type)

#endif
