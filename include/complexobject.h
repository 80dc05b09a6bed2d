/* complex. Complex proxies hold no copy of the value: use the functions. */
#ifndef CPYEXT_COMPLEXOBJECT_H
#define CPYEXT_COMPLEXOBJECT_H

typedef struct {
    double real;
    double imag;
} Py_complex;

PyAPI_DATA(PyTypeObject) PyComplex_Type;
#define PyComplex_Check(op) PyObject_TypeCheck((op), &PyComplex_Type)
#define PyComplex_CheckExact(op) Py_IS_TYPE((op), &PyComplex_Type)

PyAPI_FUNC(PyObject *) PyComplex_FromCComplex(Py_complex v);
PyAPI_FUNC(PyObject *) PyComplex_FromDoubles(double real, double imag);
PyAPI_FUNC(double) PyComplex_RealAsDouble(PyObject *op);
PyAPI_FUNC(double) PyComplex_ImagAsDouble(PyObject *op);
/* {-1.0, 0.0} with an exception set on failure. */
PyAPI_FUNC(Py_complex) PyComplex_AsCComplex(PyObject *op);

#endif
