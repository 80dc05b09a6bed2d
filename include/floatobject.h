/* float. A proxy carries its value, so PyFloat_AS_DOUBLE reads it inline. */
#ifndef CPYEXT_FLOATOBJECT_H
#define CPYEXT_FLOATOBJECT_H

typedef struct {
    PyObject_HEAD
    double ob_fval;
} PyFloatObject;

PyAPI_DATA(PyTypeObject) PyFloat_Type;
#define PyFloat_Check(op) PyObject_TypeCheck((op), &PyFloat_Type)
#define PyFloat_CheckExact(op) Py_IS_TYPE((op), &PyFloat_Type)
#define PyFloat_AS_DOUBLE(op) (((PyFloatObject *)(op))->ob_fval)

PyAPI_FUNC(PyObject *) PyFloat_FromDouble(double v);
PyAPI_FUNC(double) PyFloat_AsDouble(PyObject *obj);

#define Py_RETURN_NAN return PyFloat_FromDouble(__builtin_nan(""))
#define Py_RETURN_INF(sign) \
    do { \
        if (copysign(1., sign) == 1.) { return PyFloat_FromDouble(__builtin_inf()); } \
        else { return PyFloat_FromDouble(-__builtin_inf()); } \
    } while (0)

#endif
