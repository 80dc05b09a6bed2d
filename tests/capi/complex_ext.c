/* complex: the Py_complex conversions. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

static PyObject *
pair(double a, double b)
{
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyFloat_FromDouble(a));
    PyTuple_SET_ITEM(t, 1, PyFloat_FromDouble(b));
    return t;
}

static PyObject *
from_doubles(PyObject *self, PyObject *args)
{
    double re = PyFloat_AsDouble(PyTuple_GET_ITEM(args, 0));
    double im = PyFloat_AsDouble(PyTuple_GET_ITEM(args, 1));
    if (PyErr_Occurred())
        return NULL;
    return PyComplex_FromDoubles(re, im);
}

static PyObject *
from_c_complex(PyObject *self, PyObject *args)
{
    Py_complex c;
    c.real = PyFloat_AsDouble(PyTuple_GET_ITEM(args, 0));
    c.imag = PyFloat_AsDouble(PyTuple_GET_ITEM(args, 1));
    if (PyErr_Occurred())
        return NULL;
    return PyComplex_FromCComplex(c);
}

static PyObject *
as_c_complex(PyObject *self, PyObject *o)
{
    Py_complex c = PyComplex_AsCComplex(o);
    if (PyErr_Occurred()) {
        /* the error value is (-1.0, 0.0) */
        if (c.real != -1.0 || c.imag != 0.0) {
            PyErr_SetString(PyExc_AssertionError, "wrong error value");
        }
        return NULL;
    }
    return pair(c.real, c.imag);
}

static PyObject *
real_imag(PyObject *self, PyObject *o)
{
    double re = PyComplex_RealAsDouble(o);
    if (re == -1.0 && PyErr_Occurred())
        return NULL;
    double im = PyComplex_ImagAsDouble(o);
    if (im == -1.0 && PyErr_Occurred())
        return NULL;
    return pair(re, im);
}

static PyObject *
check(PyObject *self, PyObject *o)
{
    return pair(PyComplex_Check(o), PyComplex_CheckExact(o));
}

/* ---- C complex arithmetic ---- */

/* op(a, b) on C values: (result, errno) with errno set to 99 before the call. */
static PyObject *
n_c_op(PyObject *self, PyObject *args)
{
    const char *op;
    Py_complex a, b = {0.0, 0.0};
    if (!PyArg_ParseTuple(args, "sD|D", &op, &a, &b)) return NULL;
    errno = 99;
    if (strcmp(op, "abs") == 0) {
        double r = _Py_c_abs(a);
        return Py_BuildValue("(di)", r, errno);
    }
    Py_complex r;
    if (strcmp(op, "sum") == 0) r = _Py_c_sum(a, b);
    else if (strcmp(op, "diff") == 0) r = _Py_c_diff(a, b);
    else if (strcmp(op, "neg") == 0) r = _Py_c_neg(a);
    else if (strcmp(op, "prod") == 0) r = _Py_c_prod(a, b);
    else if (strcmp(op, "quot") == 0) r = _Py_c_quot(a, b);
    else if (strcmp(op, "pow") == 0) r = _Py_c_pow(a, b);
    else {
        PyErr_SetString(PyExc_ValueError, "unknown op");
        return NULL;
    }
    int e = errno;
    return Py_BuildValue("(ddi)", r.real, r.imag, e);
}

/* The value C reads from the object itself (PyComplexObject.cval). */
static PyObject *
n_cval(PyObject *self, PyObject *o)
{
    if (!PyComplex_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "cval needs a complex");
        return NULL;
    }
    Py_complex c = ((PyComplexObject *)o)->cval;
    return Py_BuildValue("(dd)", c.real, c.imag);
}

static PyMethodDef methods[] = {
    {"n_c_op", n_c_op, METH_VARARGS, NULL},
    {"n_cval", n_cval, METH_O, NULL},
    {"from_doubles", from_doubles, METH_VARARGS, NULL},
    {"from_c_complex", from_c_complex, METH_VARARGS, NULL},
    {"as_c_complex", as_c_complex, METH_O, NULL},
    {"real_imag", real_imag, METH_O, NULL},
    {"check", check, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "complex_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_complex_ext(void)
{
    return PyModule_Create(&moduledef);
}
