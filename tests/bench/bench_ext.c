/* Micro-benchmark extension for tests/bench/run.py.
 *
 * Builds unchanged against CPython 3.11's headers, PyPy 3.9's headers and
 * cpyext's headers (include/).
 *
 * Every function does as little as it can, so what run.py measures is the
 * cost of crossing the boundary (and, for the walks, the tuple build, the
 * parse and the UTF-8 view, the cost of the C-API functions they use).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

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

/* METH_VARARGS: f(n, s) parsed by PyArg_ParseTuple("is") into a C struct -> None */
static struct {
    int number;
    const char *text;
} parsed;

static PyObject *
bench_parse_store(PyObject *self, PyObject *args)
{
    (void)self;
    if (!PyArg_ParseTuple(args, "is", &parsed.number, &parsed.text))
        return NULL;
    Py_INCREF(Py_None);
    return Py_None;
}

/* METH_NOARGS: a new tuple of 100 fresh ints 1000..1099 */
static PyObject *
bench_make_tuple(PyObject *self, PyObject *unused)
{
    Py_ssize_t i;
    PyObject *t;
    (void)self;
    (void)unused;
    t = PyTuple_New(100);
    if (t == NULL)
        return NULL;
    for (i = 0; i < 100; i++) {
        PyObject *v = PyLong_FromLong(1000 + (long)i);
        if (v == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* METH_O: f(s) -> the length of s's UTF-8 form, from PyUnicode_AsUTF8AndSize */
static PyObject *
bench_utf8_size(PyObject *self, PyObject *s)
{
    Py_ssize_t size = 0;
    const char *p;
    (void)self;
    p = PyUnicode_AsUTF8AndSize(s, &size);
    if (p == NULL)
        return NULL;
    return PyLong_FromSsize_t(size);
}

/* METH_FASTCALL: f(g, x) -> g(x), through PyObject_CallOneArg */
static PyObject *
bench_call_one(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "call_one() takes exactly 2 arguments");
        return NULL;
    }
    return PyObject_CallOneArg(args[0], args[1]);
}

/* A C type with two members: x (T_INT) and y (T_OBJECT) */
typedef struct {
    PyObject_HEAD
    int x;
    PyObject *y;
} BenchObject;

static PyObject *
Bench_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    BenchObject *self;
    (void)args;
    (void)kwds;
    self = (BenchObject *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->x = 1000;
    self->y = PyLong_FromLong(1000);
    if (self->y == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
Bench_dealloc(BenchObject *self)
{
    Py_XDECREF(self->y);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef Bench_members[] = {
    {"x", T_INT, offsetof(BenchObject, x), 0, "an int member"},
    {"y", T_OBJECT, offsetof(BenchObject, y), READONLY, "an object member"},
    {NULL, 0, 0, 0, NULL}
};

static PyTypeObject BenchType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "bench_ext.Bench",              /* tp_name */
    sizeof(BenchObject),            /* tp_basicsize */
};

static PyMethodDef bench_methods[] = {
    {"noargs", bench_noargs, METH_NOARGS, "f() -> None"},
    {"meth_o", bench_meth_o, METH_O, "f(x) -> x"},
    {"varargs", bench_varargs, METH_VARARGS, "f(a, b, c) -> a"},
    {"varargs_kw", (PyCFunction)(void (*)(void))bench_varargs_kw, METH_VARARGS | METH_KEYWORDS,
     "f(*args, **kw) -> len(args) + len(kw)"},
    {"fastcall", (PyCFunction)(void (*)(void))bench_fastcall, METH_FASTCALL, "f(a, ...) -> a"},
    {"list_sum", bench_list_sum, METH_O, "sum of a list of ints"},
    {"dict_sum", bench_dict_sum, METH_O, "sum of the values of a dict of ints"},
    {"parse_store", bench_parse_store, METH_VARARGS, "f(n, s): PyArg_ParseTuple \"is\" into a struct"},
    {"make_tuple", bench_make_tuple, METH_NOARGS, "a tuple of 100 fresh ints"},
    {"utf8_size", bench_utf8_size, METH_O, "len of PyUnicode_AsUTF8AndSize(s)"},
    {"call_one", (PyCFunction)(void (*)(void))bench_call_one, METH_FASTCALL, "f(g, x) -> g(x)"},
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
    PyObject *m;
    BenchType.tp_dealloc = (destructor)Bench_dealloc;
    BenchType.tp_flags = Py_TPFLAGS_DEFAULT;
    BenchType.tp_doc = "a C type with an int and an object member";
    BenchType.tp_members = Bench_members;
    BenchType.tp_new = Bench_new;
    if (PyType_Ready(&BenchType) < 0)
        return NULL;
    m = PyModule_Create(&bench_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&BenchType);
    if (PyModule_AddObject(m, "Bench", (PyObject *)&BenchType) < 0) {
        Py_DECREF(&BenchType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
