/* The varargs half of pyerrors.h: PyErr_Format(V), PyOS_(v)snprintf. */
#include "Python.h"

/* Sets `exception` with a message from PyUnicode_FromFormatV; any error
 * already set is dropped first, as in CPython. Returns NULL. */
PyObject *
PyErr_FormatV(PyObject *exception, const char *format, va_list va)
{
    PyErr_Clear();
    PyObject *message = PyUnicode_FromFormatV(format, va);
    if (message != NULL) {
        PyErr_SetObject(exception, message);
        Py_DECREF(message);
    }
    return NULL;
}

PyObject *
PyErr_Format(PyObject *exception, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyErr_FormatV(exception, format, va);
    va_end(va);
    return NULL;
}

/* The C library's vsnprintf, with the buffer always NUL-terminated. A size
 * beyond INT_MAX writes nothing and returns -666, as CPython does. */
int
PyOS_vsnprintf(char *str, size_t size, const char *format, va_list va)
{
    int len;
    if (size > INT_MAX - 1) {
        len = -666;
    }
    else {
        va_list copy;
        va_copy(copy, va);
        len = vsnprintf(str, size, format, copy);
        va_end(copy);
    }
    if (size > 0)
        str[size - 1] = '\0';
    return len;
}

int
PyOS_snprintf(char *str, size_t size, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    int len = PyOS_vsnprintf(str, size, format, va);
    va_end(va);
    return len;
}

/* The pending error becomes the __cause__ (and __context__) of a new
 * `exception` whose message PyUnicode_FromFormatV makes. */
PyObject *
_PyErr_FormatFromCause(PyObject *exception, const char *format, ...)
{
    PyObject *type, *cause, *tb;
    PyErr_Fetch(&type, &cause, &tb);
    PyErr_NormalizeException(&type, &cause, &tb);
    if (tb != NULL) {
        PyException_SetTraceback(cause, tb);
        Py_DECREF(tb);
    }
    Py_XDECREF(type);
    va_list va;
    va_start(va, format);
    PyErr_FormatV(exception, format, va);
    va_end(va);
    PyObject *value;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    if (value != NULL && cause != NULL) {
        Py_INCREF(cause);
        PyException_SetCause(value, cause);
        PyException_SetContext(value, cause);
    }
    else {
        Py_XDECREF(cause);
    }
    PyErr_Restore(type, value, tb);
    return NULL;
}
