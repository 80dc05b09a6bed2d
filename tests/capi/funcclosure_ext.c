/* PyFunction_SetClosure: a function's closure replaced from C. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* (function, closure or None or NULL-for-missing) -> status, closure after */
static PyObject *
set_closure(PyObject *self, PyObject *args)
{
    PyObject *func, *closure;
    if (!PyArg_ParseTuple(args, "OO", &func, &closure))
        return NULL;
    if (PyFunction_SetClosure(func, closure) < 0)
        return NULL;
    PyObject *now = PyFunction_GetClosure(func);
    return Py_BuildValue("(iO)", 0, now ? now : Py_None);
}

static PyObject *
new_cell(PyObject *self, PyObject *value)
{
    return PyCell_New(value);
}

static PyMethodDef methods[] = {
    {"set_closure", set_closure, METH_VARARGS, NULL},
    {"new_cell", new_cell, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "funcclosure_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_funcclosure_ext(void)
{
    return PyModule_Create(&module);
}
