/* The varargs half of ceval.h: the deprecated PyEval_CallFunction and
 * PyEval_CallMethod, which build their arguments with Py_BuildValue rules. */
#include "Python.h"

/* Py_VaBuildValue's result as an argument tuple (a single value is wrapped). */
static PyObject *
build_arguments(const char *format, va_list va)
{
    if (format == NULL || *format == '\0')
        return PyTuple_New(0);
    PyObject *args = Py_VaBuildValue(format, va);
    if (args == NULL || PyTuple_Check(args))
        return args;
    PyObject *single = PyTuple_Pack(1, args);
    Py_DECREF(args);
    return single;
}

PyObject *
PyEval_CallFunction(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *args = build_arguments(format, va);
    va_end(va);
    if (args == NULL)
        return NULL;
    PyObject *result = PyObject_Call(callable, args, NULL);
    Py_DECREF(args);
    return result;
}

PyObject *
PyEval_CallMethod(PyObject *obj, const char *name, const char *format, ...)
{
    PyObject *method = PyObject_GetAttrString(obj, name);
    if (method == NULL)
        return NULL;
    va_list va;
    va_start(va, format);
    PyObject *args = build_arguments(format, va);
    va_end(va);
    if (args == NULL) {
        Py_DECREF(method);
        return NULL;
    }
    PyObject *result = PyObject_Call(method, args, NULL);
    Py_DECREF(args);
    Py_DECREF(method);
    return result;
}
