/* The type objects of generators and coroutines. */
#ifndef CPYEXT_GENOBJECT_H
#define CPYEXT_GENOBJECT_H

PyAPI_DATA(PyTypeObject) PyGen_Type;
#define PyGen_Check(op) Py_IS_TYPE((op), &PyGen_Type)
PyAPI_DATA(PyTypeObject) PyCoro_Type;
#define PyCoro_Check(op) Py_IS_TYPE((op), &PyCoro_Type)

#endif
