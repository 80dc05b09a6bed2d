/* Micro-benchmark extension for tests/bench/run.py.
 *
 * Builds unchanged against CPython 3.11's headers, PyPy 3.9's headers and
 * cpyext's headers (/work/main/include).  It deliberately uses no variadic
 * C-API function (PyArg_ParseTuple, Py_BuildValue, PyErr_Format, ...), since
 * cpyext does not provide them: arguments are taken apart by hand.
 *
 * Every function does as little as it can, so what run.py measures is the
 * cost of crossing the boundary (and, for list_sum / dict_sum, the cost of
 * the C-API accessors).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* METH_NOARGS: f() -> None */
static PyObject *
bench_noargs(PyObject *self, PyObject *unused)
{
    (void)self;
    (void)unused;
    Py_INCREF(Py_None);
    return Py_None;
}

/* METH_O: f(x) -> x  (the argument is handed back) */
static PyObject *
bench_meth_o(PyObject *self, PyObject *arg)
{
    (void)self;
    Py_INCREF(arg);
    return arg;
}

/* METH_VARARGS: f(a, b, c) -> a */
static PyObject *
bench_varargs(PyObject *self, PyObject *args)
{
    PyObject *first;
    (void)self;
    if (PyTuple_GET_SIZE(args) != 3) {
        PyErr_SetString(PyExc_TypeError, "varargs() takes exactly 3 arguments");
        return NULL;
    }
    first = PyTuple_GET_ITEM(args, 0);
    Py_INCREF(first);
    return first;
}

/* METH_VARARGS | METH_KEYWORDS: f(*args, **kw) -> len(args) + len(kw) */
static PyObject *
bench_varargs_kw(PyObject *self, PyObject *args, PyObject *kwargs)
{
    Py_ssize_t n;
    (void)self;
    n = PyTuple_GET_SIZE(args);
    if (kwargs != NULL) {
        Py_ssize_t k = PyDict_Size(kwargs);
        if (k < 0)
            return NULL;
        n += k;
    }
    return PyLong_FromSsize_t(n);
}

/* METH_FASTCALL: f(a, b, ...) -> a
 * (PyPy declares the argument array as PyObject **, CPython as
 * PyObject *const *; the cast in the method table covers both.) */
static PyObject *
bench_fastcall(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "fastcall() takes at least 1 argument");
        return NULL;
    }
    Py_INCREF(args[0]);
    return args[0];
}

/* METH_O: sum of a list of ints, walked with PyList_GET_ITEM + PyLong_AsLong */
static PyObject *
bench_list_sum(PyObject *self, PyObject *lst)
{
    Py_ssize_t i, n;
    long total = 0;
    (void)self;
    if (!PyList_Check(lst)) {
        PyErr_SetString(PyExc_TypeError, "list_sum() expects a list");
        return NULL;
    }
    n = PyList_GET_SIZE(lst);
    for (i = 0; i < n; i++) {
        long v = PyLong_AsLong(PyList_GET_ITEM(lst, i));
        if (v == -1 && PyErr_Occurred())
            return NULL;
        total += v;
    }
    return PyLong_FromLong(total);
}

/* METH_O: sum of the values of a dict of ints, walked with PyDict_Next */
static PyObject *
bench_dict_sum(PyObject *self, PyObject *d)
{
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    long total = 0;
    (void)self;
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "dict_sum() expects a dict");
        return NULL;
    }
    while (PyDict_Next(d, &pos, &key, &value)) {
        long v = PyLong_AsLong(value);
        if (v == -1 && PyErr_Occurred())
            return NULL;
        total += v;
    }
    return PyLong_FromLong(total);
}

static PyMethodDef bench_methods[] = {
    {"noargs", bench_noargs, METH_NOARGS, "f() -> None"},
    {"meth_o", bench_meth_o, METH_O, "f(x) -> x"},
    {"varargs", bench_varargs, METH_VARARGS, "f(a, b, c) -> a"},
    {"varargs_kw", (PyCFunction)(void (*)(void))bench_varargs_kw, METH_VARARGS | METH_KEYWORDS,
     "f(*args, **kw) -> len(args) + len(kw)"},
    {"fastcall", (PyCFunction)(void (*)(void))bench_fastcall, METH_FASTCALL, "f(a, ...) -> a"},
    {"list_sum", bench_list_sum, METH_O, "sum of a list of ints"},
    {"dict_sum", bench_dict_sum, METH_O, "sum of the values of a dict of ints"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef bench_module = {
    PyModuleDef_HEAD_INIT,
    "bench_ext",
    "cpyext boundary micro-benchmarks",
    -1,
    bench_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_bench_ext(void)
{
    return PyModule_Create(&bench_module);
}
