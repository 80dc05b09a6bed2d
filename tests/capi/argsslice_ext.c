/* Cython 3.0.1 to 3.0.12, under our headers' CYTHON_ASSUME_SAFE_MACROS 0,
 * slice a METH_FASTCALL argument array with PyTuple_GetSlice for
 * `def f(a, *args)`. Our headers take such an array for what it is; with
 * CPython's (where Cython takes another path) the tuple is built by hand. */
#include <Python.h>

static PyObject *
rest(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "rest() needs an argument");
        return NULL;
    }
#ifdef CPYEXT_VERSION
    PyObject *tail = PyTuple_GetSlice(args, 1, nargs);
#else
    PyObject *tail = PyTuple_New(nargs - 1);
    for (Py_ssize_t i = 1; tail != NULL && i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(tail, i - 1, args[i]);
    }
#endif
    if (tail == NULL)
        return NULL;
    return Py_BuildValue("(ON)", args[0], tail);
}

/* A tuple is still sliced by the real function. */
static PyObject *
slice(PyObject *self, PyObject *args)
{
    PyObject *t;
    Py_ssize_t low, high;
    if (!PyArg_ParseTuple(args, "O!nn", &PyTuple_Type, &t, &low, &high))
        return NULL;
    return PyTuple_GetSlice(t, low, high);
}

static PyMethodDef methods[] = {
    {"rest", (PyCFunction)(void (*)(void))rest, METH_FASTCALL, NULL},
    {"slice", slice, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "argsslice_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_argsslice_ext(void)
{
    return PyModule_Create(&moduledef);
}
