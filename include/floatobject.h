/* float. A proxy carries its value, so PyFloat_AS_DOUBLE reads it inline. */
#ifndef Py_FLOATOBJECT_H
#define Py_FLOATOBJECT_H
#define Py_CPYTHON_FLOATOBJECT_H

typedef struct {
    PyObject_HEAD
    double ob_fval;
} PyFloatObject;

PyAPI_DATA(PyTypeObject) PyFloat_Type;
#define PyFloat_Check(op) PyObject_TypeCheck((op), &PyFloat_Type)
#define PyFloat_CheckExact(op) Py_IS_TYPE((op), &PyFloat_Type)
/* No type check: only after PyFloat_Check. */
#define PyFloat_AS_DOUBLE(op) (((PyFloatObject *)(op))->ob_fval)

#define Py_RETURN_NAN return PyFloat_FromDouble(Py_NAN)
#define Py_RETURN_INF(sign) \
    do { \
        double _py_inf_value = copysign(1., (sign)) == 1. ? Py_HUGE_VAL : -Py_HUGE_VAL; \
        return PyFloat_FromDouble(_py_inf_value); \
    } while (0)

/* DBL_MAX and DBL_MIN. */
PyAPI_FUNC(double) PyFloat_GetMax(void);
PyAPI_FUNC(double) PyFloat_GetMin(void);
/* sys.float_info. */
PyAPI_FUNC(PyObject *) PyFloat_GetInfo(void);
/* float(str_or_bytes). */
PyAPI_FUNC(PyObject *) PyFloat_FromString(PyObject *str);
PyAPI_FUNC(PyObject *) PyFloat_FromDouble(double v);
PyAPI_FUNC(double) PyFloat_AsDouble(PyObject *obj);

/* IEEE 754 binary16/32/64 in 2, 4 or 8 bytes at p, little-endian when le is
 * non-zero. Pack gives 0, or -1 with OverflowError when x does not fit. */
PyAPI_FUNC(int) PyFloat_Pack2(double x, char *p, int le);
PyAPI_FUNC(int) PyFloat_Pack4(double x, char *p, int le);
PyAPI_FUNC(int) PyFloat_Pack8(double x, char *p, int le);
/* -1.0 with an exception set on error (Unpack2 of a NaN gives a NaN). */
PyAPI_FUNC(double) PyFloat_Unpack2(const char *p, int le);
PyAPI_FUNC(double) PyFloat_Unpack4(const char *p, int le);
PyAPI_FUNC(double) PyFloat_Unpack8(const char *p, int le);

#endif
