/* Case a: a perfectly ordinary module.  test_bad_input.py builds it with
 * CPython 3.11's headers and names the result bad_foreign.cpyext.so, so that
 * cpyext's loader finds a module that was not built against its headers and
 * must refuse it with an ImportError (instead of crashing on CPython's ABI). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
answer(PyObject *self, PyObject *noargs)
{
    (void)self;
    (void)noargs;
    return PyLong_FromLong(42);
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, "42"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "bad_foreign", NULL, -1, methods, NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_bad_foreign(void)
{
    return PyModule_Create(&module);
}
