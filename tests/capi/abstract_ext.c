/* abstract.h: PyNumber_Index and the sequence protocol. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
number_index(PyObject *self, PyObject *o)
{
    PyObject *r = PyNumber_Index(o);
    if (r == NULL)
        return NULL;
    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, r);
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(PyLong_CheckExact(r)));
    return t;
}

static PyObject *
sequence_check(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(PySequence_Check(o));
}

static PyObject *
sequence_size(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PySequence_Size(o);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
sequence_get_item(PyObject *self, PyObject *args)
{
    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    if (i == -1 && PyErr_Occurred())
        return NULL;
    return PySequence_GetItem(PyTuple_GET_ITEM(args, 0), i);
}

static PyMethodDef methods[] = {
    {"number_index", number_index, METH_O, NULL},
    {"sequence_check", sequence_check, METH_O, NULL},
    {"sequence_size", sequence_size, METH_O, NULL},
    {"sequence_get_item", sequence_get_item, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "abstract_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_abstract_ext(void)
{
    return PyModule_Create(&moduledef);
}
