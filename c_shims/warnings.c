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

/* warnings.warn(message, ResourceWarning, stack_level, source=source): the
 * source is the object whose resource leaked (tracemalloc reports where it
 * was allocated). */
int
PyErr_ResourceWarning(PyObject *source, Py_ssize_t stack_level, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *message = PyUnicode_FromFormatV(format, va);
    va_end(va);
    if (message == NULL)
        return -1;
    int status = -1;
    PyObject *warn = NULL, *args = NULL, *kwargs = NULL, *result = NULL;
    PyObject *warnings = PyImport_ImportModule("warnings");
    if (warnings == NULL)
        goto done;
    warn = PyObject_GetAttrString(warnings, "warn");
    if (warn == NULL)
        goto done;
    /* Level 1 is the Python code that called into C, as for PyErr_WarnEx. */
    args = Py_BuildValue("(OOn)", message, PyExc_ResourceWarning, stack_level > 0 ? stack_level : (Py_ssize_t)1);
    kwargs = PyDict_New();
    if (args == NULL || kwargs == NULL)
        goto done;
    if (PyDict_SetItemString(kwargs, "source", source != NULL ? source : Py_None) < 0)
        goto done;
    result = PyObject_Call(warn, args, kwargs);
    if (result != NULL)
        status = 0;
done:
    Py_XDECREF(result);
    Py_XDECREF(kwargs);
    Py_XDECREF(args);
    Py_XDECREF(warn);
    Py_XDECREF(warnings);
    Py_DECREF(message);
    return status;
}

/* A C file name as a str, decoded as os.fsdecode does. */
static PyObject *
decode_filename(const char *filename)
{
    PyObject *raw = PyBytes_FromString(filename);
    if (raw == NULL)
        return NULL;
    PyObject *os = PyImport_ImportModule("os");
    PyObject *decoded = NULL;
    if (os != NULL) {
        decoded = PyObject_CallMethod(os, "fsdecode", "O", raw);
        Py_DECREF(os);
    }
    Py_DECREF(raw);
    return decoded;
}

/* PyErr_WarnExplicitObject with a formatted message and C strings for the
 * file (decoded as file names are) and module (NULL: from the file). */
int
PyErr_WarnExplicitFormat(PyObject *category, const char *filename, int lineno, const char *module, PyObject *registry, const char *format, ...)
{
    PyObject *file = decode_filename(filename);
    if (file == NULL)
        return -1;
    PyObject *mod = NULL;
    if (module != NULL) {
        mod = PyUnicode_FromString(module);
        if (mod == NULL) {
            Py_DECREF(file);
            return -1;
        }
    }
    va_list va;
    va_start(va, format);
    PyObject *message = PyUnicode_FromFormatV(format, va);
    va_end(va);
    int status = -1;
    if (message != NULL) {
        status = PyErr_WarnExplicitObject(category, message, file, lineno, mod, registry);
        Py_DECREF(message);
    }
    Py_XDECREF(mod);
    Py_DECREF(file);
    return status;
}
