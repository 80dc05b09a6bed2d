#include <Python.h>

static PyObject *
double_it(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(2 * v);
}

static PyMethodDef methods[] = {
    {"double_it", double_it, METH_O, "Return 2 * arg, for an int arg."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "sample._fast", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__fast(void)
{
    return PyModule_Create(&def);
}
