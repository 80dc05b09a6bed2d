/* collections.OrderedDict: PyODict_New/SetItem/DelItem keep the order; the
 * dict-based macros read it; the checks. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
build(PyObject *self, PyObject *keys)
{
    PyObject *od = PyODict_New();
    if (od == NULL)
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(keys);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyLong_FromSsize_t(i);
        if (v == NULL || PyODict_SetItem(od, PyTuple_GET_ITEM(keys, i), v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(od);
            return NULL;
        }
        Py_DECREF(v);
    }
    return od;
}

static PyObject *
set_item(PyObject *self, PyObject *args)
{
    PyObject *od, *k, *v;
    if (!PyArg_ParseTuple(args, "OOO", &od, &k, &v))
        return NULL;
    if (PyODict_SetItem(od, k, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
del_item(PyObject *self, PyObject *args)
{
    PyObject *od, *k;
    if (!PyArg_ParseTuple(args, "OO", &od, &k))
        return NULL;
    if (PyODict_DelItem(od, k) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
reads(PyObject *self, PyObject *args)
{
    PyObject *od, *k;
    const char *sk;
    if (!PyArg_ParseTuple(args, "OOs", &od, &k, &sk))
        return NULL;
    PyObject *a = PyODict_GetItem(od, k);
    PyObject *b = PyODict_GetItemWithError(od, k);
    if (b == NULL && PyErr_Occurred())
        return NULL;
    PyObject *c = PyODict_GetItemString(od, sk);
    int has = PyODict_Contains(od, k);
    if (has < 0)
        return NULL;
    return Py_BuildValue("(OOOinn)", a ? a : Py_None, b ? b : Py_None, c ? c : Py_None, has, PyODict_Size(od),
                         PyODict_SIZE(od));
}

static PyObject *
checks(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(iii)", PyODict_Check(o), PyODict_CheckExact(o), PyDict_Check(o));
}

static PyObject *
refcount_neutral(PyObject *self, PyObject *value)
{
    PyObject *od = PyODict_New();
    PyObject *key = PyUnicode_FromString("key");
    if (od == NULL || key == NULL) {
        Py_XDECREF(od);
        Py_XDECREF(key);
        return NULL;
    }
    Py_ssize_t before = Py_REFCNT(value);
    int r = PyODict_SetItem(od, key, value);
    if (r == 0)
        r = PyODict_DelItem(od, key);
    Py_ssize_t after = Py_REFCNT(value);
    Py_DECREF(key);
    Py_DECREF(od);
    if (r < 0)
        return NULL;
    return PyLong_FromSsize_t(after - before);
}

static PyMethodDef methods[] = {
    {"build", build, METH_O, NULL},
    {"set_item", set_item, METH_VARARGS, NULL},
    {"del_item", del_item, METH_VARARGS, NULL},
    {"reads", reads, METH_VARARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {"refcount_neutral", refcount_neutral, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "odict_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_odict_ext(void)
{
    return PyModule_Create(&moduledef);
}
