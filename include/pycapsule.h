/* The type objects of capsules. */
#ifndef CPYEXT_PYCAPSULE_H
#define CPYEXT_PYCAPSULE_H

PyAPI_DATA(PyTypeObject) PyCapsule_Type;
#define PyCapsule_Check(op) Py_IS_TYPE((op), &PyCapsule_Type)

#endif
