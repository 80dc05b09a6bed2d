/* The type objects of frames. */
#ifndef CPYEXT_FRAMEOBJECT_H
#define CPYEXT_FRAMEOBJECT_H

PyAPI_DATA(PyTypeObject) PyFrame_Type;
#define PyFrame_Check(op) Py_IS_TYPE((op), &PyFrame_Type)

#endif
