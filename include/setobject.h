/* set and frozenset: the type objects (their functions come later). */
#ifndef CPYEXT_SETOBJECT_H
#define CPYEXT_SETOBJECT_H
PyAPI_DATA(PyTypeObject) PySet_Type;
PyAPI_DATA(PyTypeObject) PyFrozenSet_Type;
#define PyFrozenSet_CheckExact(op) Py_IS_TYPE((op), &PyFrozenSet_Type)
#define PyFrozenSet_Check(op) PyObject_TypeCheck((op), &PyFrozenSet_Type)
#define PyAnySet_CheckExact(op) (Py_IS_TYPE((op), &PySet_Type) || Py_IS_TYPE((op), &PyFrozenSet_Type))
#define PyAnySet_Check(op) (PyAnySet_CheckExact(op) || PyObject_TypeCheck((op), &PySet_Type) || PyObject_TypeCheck((op), &PyFrozenSet_Type))
#define PySet_Check(op) PyObject_TypeCheck((op), &PySet_Type)
#endif
