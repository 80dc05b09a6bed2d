/* The limited-API error functions CPython added in 3.12. Under CPython 3.11
 * (the oracle) each is written out with the 3.11 functions it stands for. */
#define CPYEXT_NEWER_API 1   /* our headers declare the 3.12 names only on request */
#include <Python.h>

#ifndef CPYEXT_ABI_TAG
static PyObject *
PyErr_GetRaisedException(void)
{
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (t == NULL)
        return NULL;
    PyErr_NormalizeException(&t, &v, &tb);
    if (tb != NULL)
        PyException_SetTraceback(v, tb);
    Py_XDECREF(t);
    Py_XDECREF(tb);
    return v;
}

static void
PyErr_SetRaisedException(PyObject *exc)
{
    if (exc == NULL) {
        PyErr_Clear();
        return;
    }
    PyErr_Restore(Py_NewRef((PyObject *)Py_TYPE(exc)), exc, PyException_GetTraceback(exc));
}

static PyObject *
PyException_GetArgs(PyObject *exc)
{
    return PyObject_GetAttrString(exc, "args");
}

static void
PyException_SetArgs(PyObject *exc, PyObject *args)
{
    PyObject_SetAttrString(exc, "args", args);
}
#endif

static PyObject *
raised(PyObject *self, PyObject *args)
{
    PyObject *type, *value;
    if (!PyArg_ParseTuple(args, "OO", &type, &value))
        return NULL;
    PyErr_SetObject(type, value);
    PyObject *exc = PyErr_GetRaisedException();
    int still_pending = PyErr_Occurred() != NULL;
    PyObject *r = Py_BuildValue("(Oi)", exc, still_pending);
    Py_XDECREF(exc);
    return r;
}

static PyObject *
nothing_raised(PyObject *self, PyObject *noargs)
{
    PyObject *exc = PyErr_GetRaisedException();
    return PyBool_FromLong(exc == NULL);
}

static PyObject *
reraise(PyObject *self, PyObject *exc)
{
    PyErr_SetRaisedException(Py_NewRef(exc));
    return NULL;
}

static PyObject *
clear_with_null(PyObject *self, PyObject *noargs)
{
    PyErr_SetString(PyExc_KeyError, "gone");
    PyErr_SetRaisedException(NULL);
    return PyBool_FromLong(PyErr_Occurred() == NULL);
}

static PyObject *
args_of(PyObject *self, PyObject *exc)
{
    return PyException_GetArgs(exc);
}

static PyObject *
set_args(PyObject *self, PyObject *args)
{
    PyObject *exc, *new_args;
    if (!PyArg_ParseTuple(args, "OO", &exc, &new_args))
        return NULL;
    PyException_SetArgs(exc, new_args);
    if (PyErr_Occurred())
        return NULL;
    return Py_NewRef(exc);
}

static PyMethodDef methods[] = {
    {"raised", raised, METH_VARARGS, NULL},
    {"nothing_raised", nothing_raised, METH_NOARGS, NULL},
    {"reraise", reraise, METH_O, NULL},
    {"clear_with_null", clear_with_null, METH_NOARGS, NULL},
    {"args_of", args_of, METH_O, NULL},
    {"set_args", set_args, METH_VARARGS, NULL},
    {NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "errors312_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_errors312_ext(void)
{
    return PyModule_Create(&module);
}
