/* What a C function receives from a call: the caller's own argument tuple
 * when C calls it with PyObject_Call (CPython passes an exact tuple on
 * unchanged; Cython's `f(*t) is t`), and keyword names of a str subclass as
 * the caller's objects (Cython compares them with the subclass's __eq__). */
#include <Python.h>

/* METH_VARARGS: its argument tuple itself. */
static PyObject *
args_of(PyObject *self, PyObject *args)
{
    Py_INCREF(args);
    return args;
}

/* METH_VARARGS | METH_KEYWORDS: the argument tuple, and the keyword names'
 * type names in order. */
static PyObject *
args_kw_of(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *names = PyList_New(0);
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    if (names == NULL)
        return NULL;
    while (kwargs != NULL && PyDict_Next(kwargs, &pos, &key, &value)) {
        PyObject *name = PyUnicode_FromString(Py_TYPE(key)->tp_name);
        if (name == NULL || PyList_Append(names, name) < 0) {
            Py_XDECREF(name);
            Py_DECREF(names);
            return NULL;
        }
        Py_DECREF(name);
    }
    return Py_BuildValue("(ON)", args, names);
}

/* METH_FASTCALL | METH_KEYWORDS: the keyword names' type names, and
 * whether the first compares equal to "k" (which runs a subclass's __eq__). */
static PyObject *
kwnames_of(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    Py_ssize_t n = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    PyObject *names = PyList_New(n);
    if (names == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyList_SET_ITEM(names, i, PyUnicode_FromString(Py_TYPE(PyTuple_GET_ITEM(kwnames, i))->tp_name));
    if (n == 0)
        return names;
    PyObject *k = PyUnicode_FromString("k");
    int eq = PyObject_RichCompareBool(PyTuple_GET_ITEM(kwnames, 0), k, Py_EQ);
    Py_DECREF(k);
    if (eq < 0) {
        Py_DECREF(names);
        return NULL;
    }
    return Py_BuildValue("(NO)", names, eq ? Py_True : Py_False);
}

/* call(f, args[, kwargs]): PyObject_Call from C, and whether the result is
 * the very tuple passed. */
static PyObject *
call(PyObject *self, PyObject *args)
{
    PyObject *f, *t, *kw = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &f, &t, &kw))
        return NULL;
    PyObject *r = PyObject_Call(f, t, kw);
    if (r == NULL)
        return NULL;
    PyObject *same = PyBool_FromLong(r == t || (PyTuple_Check(r) && PyTuple_GET_SIZE(r) == 2 && PyTuple_GET_ITEM(r, 0) == t));
    return Py_BuildValue("(NN)", r, same);
}

/* tp_call of the function's type, as Cython's __Pyx_PyObject_Call calls it. */
static PyObject *
call_slot(PyObject *self, PyObject *args)
{
    PyObject *f, *t, *kw = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &f, &t, &kw))
        return NULL;
    PyObject *r = Py_TYPE(f)->tp_call(f, t, kw);
    if (r == NULL)
        return NULL;
    return Py_BuildValue("(NN)", r, PyBool_FromLong(r == t));
}

static PyMethodDef methods[] = {
    {"args_of", args_of, METH_VARARGS, NULL},
    {"args_kw_of", (PyCFunction)(void (*)(void))args_kw_of, METH_VARARGS | METH_KEYWORDS, NULL},
    {"kwnames_of", (PyCFunction)(void (*)(void))kwnames_of, METH_FASTCALL | METH_KEYWORDS, NULL},
    {"call", call, METH_VARARGS, NULL},
    {"call_slot", call_slot, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "argspass_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_argspass_ext(void)
{
    return PyModule_Create(&moduledef);
}
