/* The varargs half of abstract.h: calls whose arguments are C varargs,
 * either a Py_BuildValue format (PyObject_CallFunction, CallMethod) or a
 * NULL-terminated list of objects (the ObjArgs pair). */
#include "Python.h"

/* Defined in modsupport.c: the format's top-level items as a tuple. */
extern PyObject *cpyext_build_args(const char *format, va_list va, int size_t_lengths);

static PyObject *
null_error(void)
{
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_SystemError, "null argument to internal routine");
    return NULL;
}

/* Calls with the values a format builds; a single tuple value stands for
 * the whole argument list (CPython keeps this for compatibility). */
static PyObject *
call_with_format(PyObject *callable, const char *format, va_list va, int size_t_lengths)
{
    if (format == NULL || *format == '\0')
        return PyObject_CallNoArgs(callable);
    PyObject *args = cpyext_build_args(format, va, size_t_lengths);
    if (args == NULL)
        return NULL;
    if (PyTuple_GET_SIZE(args) == 1 && PyTuple_Check(PyTuple_GET_ITEM(args, 0))) {
        PyObject *only = Py_NewRef(PyTuple_GET_ITEM(args, 0));
        Py_SETREF(args, only);
    }
    PyObject *result = PyObject_Call(callable, args, NULL);
    Py_DECREF(args);
    return result;
}

static PyObject *
call_function(PyObject *callable, const char *format, va_list va, int size_t_lengths)
{
    if (callable == NULL)
        return null_error();
    return call_with_format(callable, format, va, size_t_lengths);
}

static PyObject *
call_method(PyObject *obj, const char *name, const char *format, va_list va, int size_t_lengths)
{
    if (obj == NULL || name == NULL)
        return null_error();
    PyObject *method = PyObject_GetAttrString(obj, name);
    if (method == NULL)
        return NULL;
    PyObject *result;
    if (!PyCallable_Check(method)) {
        PyErr_Format(PyExc_TypeError, "attribute of type '%.200s' is not callable", Py_TYPE(method)->tp_name);
        result = NULL;
    }
    else {
        result = call_with_format(method, format, va, size_t_lengths);
    }
    Py_DECREF(method);
    return result;
}

PyObject *
PyObject_CallFunction(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_function(callable, format, va, 0);
    va_end(va);
    return result;
}

PyObject *
_PyObject_CallFunction_SizeT(PyObject *callable, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_function(callable, format, va, 1);
    va_end(va);
    return result;
}

PyObject *
PyObject_CallMethod(PyObject *obj, const char *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method(obj, name, format, va, 0);
    va_end(va);
    return result;
}

PyObject *
_PyObject_CallMethod_SizeT(PyObject *obj, const char *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method(obj, name, format, va, 1);
    va_end(va);
    return result;
}

/* Calls with the objects up to the NULL that ends the list. */
static PyObject *
call_object_list(PyObject *callable, va_list va)
{
    PyObject *small[8];
    PyObject **stack = small;
    Py_ssize_t n = 0, capacity = (Py_ssize_t)Py_ARRAY_LENGTH(small);
    va_list count;
    va_copy(count, va);
    while (va_arg(count, PyObject *) != NULL)
        n++;
    va_end(count);
    if (n > capacity) {
        stack = PyMem_Malloc(sizeof(PyObject *) * (size_t)n);
        if (stack == NULL)
            return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++)
        stack[i] = va_arg(va, PyObject *);
    PyObject *result = PyObject_Vectorcall(callable, stack, (size_t)n, NULL);
    if (stack != small)
        PyMem_Free(stack);
    return result;
}

PyObject *
PyObject_CallFunctionObjArgs(PyObject *callable, ...)
{
    if (callable == NULL)
        return null_error();
    va_list va;
    va_start(va, callable);
    PyObject *result = call_object_list(callable, va);
    va_end(va);
    return result;
}

PyObject *
PyObject_CallMethodObjArgs(PyObject *obj, PyObject *name, ...)
{
    if (obj == NULL || name == NULL)
        return null_error();
    PyObject *method = PyObject_GetAttr(obj, name);
    if (method == NULL)
        return NULL;
    va_list va;
    va_start(va, name);
    PyObject *result = call_object_list(method, va);
    va_end(va);
    Py_DECREF(method);
    return result;
}

/* Method calls named by a static _Py_Identifier. */
PyObject *
_PyObject_CallMethodId(PyObject *obj, _Py_Identifier *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method(obj, name ? name->string : NULL, format, va, 0);
    va_end(va);
    return result;
}

PyObject *
_PyObject_CallMethodId_SizeT(PyObject *obj, _Py_Identifier *name, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *result = call_method(obj, name ? name->string : NULL, format, va, 1);
    va_end(va);
    return result;
}

PyObject *
_PyObject_CallMethodIdObjArgs(PyObject *obj, _Py_Identifier *name, ...)
{
    if (obj == NULL || name == NULL)
        return null_error();
    PyObject *method = PyObject_GetAttrString(obj, name->string);
    if (method == NULL)
        return NULL;
    va_list va;
    va_start(va, name);
    PyObject *result = call_object_list(method, va);
    va_end(va);
    Py_DECREF(method);
    return result;
}

PyObject *
_PyObject_CallMethod(PyObject *obj, PyObject *name, const char *format, ...)
{
    if (obj == NULL || name == NULL)
        return null_error();
    PyObject *method = PyObject_GetAttr(obj, name);
    if (method == NULL)
        return NULL;
    PyObject *result;
    if (!PyCallable_Check(method)) {
        PyErr_Format(PyExc_TypeError, "attribute of type '%.200s' is not callable", Py_TYPE(method)->tp_name);
        result = NULL;
    }
    else {
        va_list va;
        va_start(va, format);
        result = call_with_format(method, format, va, 1);
        va_end(va);
    }
    Py_DECREF(method);
    return result;
}
