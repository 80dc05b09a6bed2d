/* bool, and the two static objects behind Py_True and Py_False (ints, with
 * their digits: True is 1, False is 0). */
#ifndef Py_BOOLOBJECT_H
#define Py_BOOLOBJECT_H

PyAPI_DATA(PyTypeObject) PyBool_Type;
#define PyBool_Check(op) Py_IS_TYPE((op), &PyBool_Type)

PyAPI_DATA(PyLongObject) _Py_FalseStruct;
PyAPI_DATA(PyLongObject) _Py_TrueStruct;
#define Py_False ((PyObject *)&_Py_FalseStruct)
#define Py_True ((PyObject *)&_Py_TrueStruct)
#define Py_RETURN_TRUE return Py_NewRef(Py_True)
#define Py_RETURN_FALSE return Py_NewRef(Py_False)

PyAPI_FUNC(PyObject *) PyBool_FromLong(long ok);

#endif
