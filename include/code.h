/* The type objects of code objects. */
#ifndef CPYEXT_CODE_H
#define CPYEXT_CODE_H

PyAPI_DATA(PyTypeObject) PyCode_Type;
#define PyCode_Check(op) Py_IS_TYPE((op), &PyCode_Type)

#endif
