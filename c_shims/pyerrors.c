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

/* Whether the pending exception `value` of class `type` can be made again
 * from a message alone: its class keeps no fields beyond BaseException's,
 * makes and initialises instances as BaseException does (no __new__ or
 * __init__ of a class written in Python), its args are empty or one str,
 * and its __dict__ is empty. -1 on an error while looking. */
static int
remakeable_exception(PyObject *type, PyObject *value)
{
    PyTypeObject *tp = (PyTypeObject *)type;
    if (tp->tp_basicsize != ((PyTypeObject *)PyExc_BaseException)->tp_basicsize || tp->tp_itemsize != 0)
        return 0;
    static const char *const makers[] = {"__new__", "__init__"};
    PyObject *mro = PyObject_GetAttrString(type, "__mro__");
    if (mro == NULL)
        return -1;
    if (!PyTuple_Check(mro)) {
        Py_DECREF(mro);
        return 0;
    }
    for (int m = 0; m < 2; m++) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(mro); i++) {
            PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
            PyObject *dict = PyObject_GetAttrString((PyObject *)base, "__dict__");
            if (dict == NULL) {
                Py_DECREF(mro);
                return -1;
            }
            int defines = PyMapping_HasKeyString(dict, makers[m]);
            Py_DECREF(dict);
            if (defines) {
                if (base->tp_flags & Py_TPFLAGS_HEAPTYPE) {
                    Py_DECREF(mro);
                    return 0;
                }
                break;
            }
        }
    }
    Py_DECREF(mro);
    PyObject *args = PyObject_GetAttrString(value, "args");
    if (args == NULL)
        return -1;
    int args_ok = PyTuple_Check(args) && (PyTuple_GET_SIZE(args) == 0 ||
                  (PyTuple_GET_SIZE(args) == 1 && PyUnicode_CheckExact(PyTuple_GET_ITEM(args, 0))));
    Py_DECREF(args);
    if (!args_ok)
        return 0;
    PyObject *dict = PyObject_GetAttrString(value, "__dict__");
    if (dict == NULL) {
        if (!PyErr_ExceptionMatches(PyExc_AttributeError))
            return -1;
        PyErr_Clear();
        return 1;
    }
    Py_ssize_t size = PyObject_Size(dict);
    Py_DECREF(dict);
    if (size < 0)
        return -1;
    return size == 0;
}

/* Replaces the pending exception with a new one of the same class whose
 * message is "PREFIX (Class: str(old))", the old one as its __cause__, when
 * the class can be made again from a message alone (remakeable_exception).
 * Returns the new exception (borrowed), or NULL with the old one left in
 * place. */
PyObject *
_PyErr_TrySetFromCause(const char *format, ...)
{
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    if (type == NULL)
        return NULL;
    PyErr_NormalizeException(&type, &value, &tb);
    int remakeable = value != NULL ? remakeable_exception(type, value) : 0;
    if (remakeable < 0)
        PyErr_Clear();
    PyObject *prefix = NULL;
    if (remakeable > 0) {
        va_list va;
        va_start(va, format);
        prefix = PyUnicode_FromFormatV(format, va);
        va_end(va);
        if (prefix == NULL)
            PyErr_Clear();
    }
    if (prefix == NULL) {
        PyErr_Restore(type, value, tb);
        return NULL;
    }
    PyErr_Format(type, "%U (%s: %S)", prefix, ((PyTypeObject *)type)->tp_name, value);
    Py_DECREF(prefix);
    PyObject *new_type, *new_value, *new_tb;
    PyErr_Fetch(&new_type, &new_value, &new_tb);
    PyErr_NormalizeException(&new_type, &new_value, &new_tb);
    if (new_value == NULL) {
        Py_XDECREF(new_type);
        Py_XDECREF(new_tb);
        PyErr_Restore(type, value, tb);
        return NULL;
    }
    PyException_SetCause(new_value, value);
    Py_DECREF(type);
    Py_XDECREF(tb);
    PyErr_Restore(new_type, new_value, new_tb);
    return new_value;
}

/* Py_FatalError with a printf-style message: writes "Fatal Python error:
 * FUNC: MESSAGE" (no "FUNC: " for a NULL func) and aborts. */
void
_Py_FatalErrorFormat(const char *func, const char *format, ...)
{
    char message[1024];
    va_list va;
    va_start(va, format);
    vsnprintf(message, sizeof(message), format, va);
    va_end(va);
    _Py_FatalErrorFunc(func, message);
}
