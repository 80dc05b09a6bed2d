/* The varargs half of warnings.h: PyErr_WarnFormat. */
#include "Python.h"

/* Defined by the layer (api/warnings.rs): warns with a str message. */
extern int cpyext_warn_unicode(PyObject *category, PyObject *message, Py_ssize_t stack_level);

int
PyErr_WarnFormat(PyObject *category, Py_ssize_t stack_level, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *message = PyUnicode_FromFormatV(format, va);
    va_end(va);
    if (message == NULL)
        return -1;
    int status = cpyext_warn_unicode(category, message, stack_level);
    Py_DECREF(message);
    return status;
}
