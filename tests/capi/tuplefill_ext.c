/* A tuple C stores in a container (a module, a dict, a list) before it sets
 * the tuple's items with PyTuple_SET_ITEM: in CPython the container holds the
 * very object C then fills (pycld2 adds ENCODINGS and LANGUAGES to its module
 * this way). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* store_in_dict(d, n): d["t"] = a new n-tuple, filled after the store with
 * 0..n-1; returns None. */
static PyObject *
store_in_dict(PyObject *self, PyObject *args)
{
    PyObject *d;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!n", &PyDict_Type, &d, &n))
        return NULL;
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    if (PyDict_SetItemString(d, "t", t) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, PyLong_FromSsize_t(i));
    Py_DECREF(t);
    Py_RETURN_NONE;
}

/* store_in_list(l): appends a 2-tuple to l, then fills it with a str and a
 * tuple that is itself stored in l before it is filled. */
static PyObject *
store_in_list(PyObject *self, PyObject *l)
{
    PyObject *outer = PyTuple_New(2);
    if (outer == NULL || PyList_Append(l, outer) < 0) {
        Py_XDECREF(outer);
        return NULL;
    }
    PyObject *inner = PyTuple_New(2);
    if (inner == NULL || PyList_Append(l, inner) < 0) {
        Py_DECREF(outer);
        Py_XDECREF(inner);
        return NULL;
    }
    PyTuple_SET_ITEM(outer, 0, PyUnicode_FromString("outer"));
    PyTuple_SET_ITEM(outer, 1, inner); /* steals our reference to inner */
    PyTuple_SET_ITEM(inner, 0, PyUnicode_FromString("inner"));
    PyTuple_SET_ITEM(inner, 1, PyFloat_FromDouble(2.5));
    Py_DECREF(outer);
    Py_RETURN_NONE;
}

/* store_and_return(d): d["r"] = a 3-tuple filled after the store; returns
 * that tuple. */
static PyObject *
store_and_return(PyObject *self, PyObject *d)
{
    PyObject *t = PyTuple_New(3);
    if (t == NULL)
        return NULL;
    if (PyDict_SetItemString(d, "r", t) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, Py_BuildValue("(ss)", "en", "ENGLISH"));
    PyTuple_SET_ITEM(t, 1, Py_NewRef(Py_None));
    PyTuple_SET_ITEM(t, 2, PyBytes_FromString("b"));
    return t;
}

/* store_then_repr(d): d["s"] = a 2-tuple filled after the store; returns
 * its repr, taken before the call returns. */
static PyObject *
store_then_repr(PyObject *self, PyObject *d)
{
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    if (PyDict_SetItemString(d, "s", t) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(7));
    PyTuple_SET_ITEM(t, 1, PyUnicode_FromString("seven"));
    PyObject *r = PyObject_Repr(PyDict_GetItemString(d, "s"));
    Py_DECREF(t);
    return r;
}

static PyMethodDef methods[] = {
    {"store_then_repr", store_then_repr, METH_O, NULL},
    {"store_in_dict", store_in_dict, METH_VARARGS, NULL},
    {"store_in_list", store_in_list, METH_O, NULL},
    {"store_and_return", store_and_return, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "tuplefill_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_tuplefill_ext(void)
{
    PyObject *m = PyModule_Create(&moddef);
    if (m == NULL)
        return NULL;
    /* Added to the module first, filled after (PyModule_AddObject steals). */
    PyObject *names = PyTuple_New(3);
    if (names == NULL || PyModule_AddObject(m, "NAMES", names) < 0) {
        Py_XDECREF(names);
        Py_DECREF(m);
        return NULL;
    }
    static const char *const words[] = {"alpha", "beta", "gamma"};
    for (Py_ssize_t i = 0; i < 3; i++)
        PyTuple_SET_ITEM(names, i, Py_BuildValue("(sn)", words[i], i));
    return m;
}
