/* Containers nested 100,000 deep crossing between C and Python: each level
 * is reached by C through the item macros, and releasing the outermost
 * must not recurse once per level (CPython's trashcan; rtoml walks such a
 * list to its depth limit). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* How deep the first item of each list or tuple goes, read in a loop. */
static PyObject *
depth(PyObject *self, PyObject *obj)
{
    Py_ssize_t n = 0;
    for (;;) {
        if (PyList_Check(obj) && PyList_GET_SIZE(obj) > 0) {
            obj = PyList_GET_ITEM(obj, 0);
        } else if (PyTuple_Check(obj) && PyTuple_GET_SIZE(obj) > 0) {
            obj = PyTuple_GET_ITEM(obj, 0);
        } else {
            break;
        }
        n++;
    }
    return PyLong_FromSsize_t(n);
}

/* A list (or tuple, if `tuple` is true) nested n deep, made in C. */
static PyObject *
make(Py_ssize_t n, int tuple)
{
    PyObject *obj = PyList_New(0);
    if (obj == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *outer = tuple ? PyTuple_New(1) : PyList_New(1);
        if (outer == NULL) {
            Py_DECREF(obj);
            return NULL;
        }
        if (tuple) {
            PyTuple_SET_ITEM(outer, 0, obj);
        } else {
            PyList_SET_ITEM(outer, 0, obj);
        }
        obj = outer;
    }
    return obj;
}

static PyObject *
build(PyObject *self, PyObject *args)
{
    Py_ssize_t n;
    int tuple;
    if (!PyArg_ParseTuple(args, "np", &n, &tuple)) {
        return NULL;
    }
    return make(n, tuple);
}

/* Builds it and lets go of it inside the same call. */
static PyObject *
build_and_drop(PyObject *self, PyObject *args)
{
    PyObject *obj = build(self, args);
    if (obj == NULL) {
        return NULL;
    }
    Py_DECREF(obj);
    Py_RETURN_NONE;
}

/* Wraps a Python object n deep in new lists, then lets go of them. */
static PyObject *
wrap_and_drop(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On", &obj, &n)) {
        return NULL;
    }
    Py_INCREF(obj);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *outer = PyList_New(0);
        if (outer == NULL || PyList_Append(outer, obj) < 0) {
            Py_XDECREF(outer);
            Py_DECREF(obj);
            return NULL;
        }
        Py_DECREF(obj);
        obj = outer;
    }
    Py_ssize_t size = PyList_GET_SIZE(obj);
    Py_DECREF(obj);
    return PyLong_FromSsize_t(size);
}

static PyMethodDef methods[] = {
    {"depth", depth, METH_O, NULL},
    {"build", build, METH_VARARGS, NULL},
    {"build_and_drop", build_and_drop, METH_VARARGS, NULL},
    {"wrap_and_drop", wrap_and_drop, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "deepnest_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_deepnest_ext(void)
{
    return PyModule_Create(&module);
}
