/* Ints and floats made in C: the small ints CPython caches (-5..=256) are one
 * object each, shared with Python's; any other value is a new object every
 * time; a C reference to a cached int stays valid after C lets its own go. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* from_long(v) -> PyLong_FromLong(v) */
static PyObject *
from_long(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    (void)self;
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(v);
}

/* pair(v) -> (PyLong_FromLong(v), PyLong_FromLongLong(v)), two separate makes */
static PyObject *
pair(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    PyObject *a, *b, *t;
    (void)self;
    if (v == -1 && PyErr_Occurred())
        return NULL;
    a = PyLong_FromLong(v);
    b = PyLong_FromLongLong((long long)v);
    if (a == NULL || b == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    t = PyTuple_Pack(3, a, b, a == b ? Py_True : Py_False);
    Py_DECREF(a);
    Py_DECREF(b);
    return t;
}

/* same_as(v, obj) -> whether PyLong_FromLong(v) is the object obj */
static PyObject *
same_as(PyObject *self, PyObject *args)
{
    long v;
    PyObject *obj, *made, *r;
    (void)self;
    if (!PyArg_ParseTuple(args, "lO", &v, &obj))
        return NULL;
    made = PyLong_FromLong(v);
    if (made == NULL)
        return NULL;
    r = made == obj ? Py_True : Py_False;
    Py_DECREF(made);
    Py_INCREF(r);
    return r;
}

/* churn(n) -> sum of n fresh ints made and released in C, each read back,
 * and of the small ints 0..255 made and released the same way */
static PyObject *
churn(PyObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg), i, total = 0;
    (void)self;
    if (n == -1 && PyErr_Occurred())
        return NULL;
    for (i = 0; i < n; i++) {
        PyObject *big = PyLong_FromLong(1000000 + i);
        PyObject *small = PyLong_FromSsize_t((Py_ssize_t)(i & 255));
        if (big == NULL || small == NULL) {
            Py_XDECREF(big);
            Py_XDECREF(small);
            return NULL;
        }
        total += PyLong_AsLong(big) - 1000000 + PyLong_AsLong(small);
        Py_DECREF(big);
        Py_DECREF(small);
    }
    return PyLong_FromLong(total);
}

/* kept_small() -> a small int C made, let go of once more than it owned
 * would be a bug; here C keeps one reference in a static and hands out
 * another: both must stay the cached object. */
static PyObject *kept;

static PyObject *
kept_small(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    if (kept == NULL) {
        kept = PyLong_FromLong(42);
        if (kept == NULL)
            return NULL;
    }
    Py_INCREF(kept);
    return kept;
}

/* floats(v) -> (a, b, a is b) for two PyFloat_FromDouble(v) */
static PyObject *
floats(PyObject *self, PyObject *arg)
{
    double v = PyFloat_AsDouble(arg);
    PyObject *a, *b, *t;
    (void)self;
    if (v == -1.0 && PyErr_Occurred())
        return NULL;
    a = PyFloat_FromDouble(v);
    b = PyFloat_FromDouble(v);
    if (a == NULL || b == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    t = PyTuple_Pack(3, a, b, a == b ? Py_True : Py_False);
    Py_DECREF(a);
    Py_DECREF(b);
    return t;
}

static PyMethodDef methods[] = {
    {"from_long", from_long, METH_O, NULL},
    {"pair", pair, METH_O, NULL},
    {"same_as", same_as, METH_VARARGS, NULL},
    {"churn", churn, METH_O, NULL},
    {"kept_small", kept_small, METH_NOARGS, NULL},
    {"floats", floats, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "intcache_ext", NULL, -1, methods, NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_intcache_ext(void)
{
    return PyModule_Create(&moduledef);
}
