/* Parameterised generics (PEP 585): list[int] and friends. */
#ifndef Py_GENERICALIASOBJECT_H
#define Py_GENERICALIASOBJECT_H

PyAPI_FUNC(PyObject *) Py_GenericAlias(PyObject *origin, PyObject *args);
PyAPI_DATA(PyTypeObject) Py_GenericAliasType;

#endif
