/* PyTuple_Pack takes C varargs, which Rust cannot define. */
#include "Python.h"

PyObject *
PyTuple_Pack(Py_ssize_t n, ...)
{
    PyObject *tuple = PyTuple_New(n);
    if (tuple == NULL) {
        return NULL;
    }
    va_list items;
    va_start(items, n);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = va_arg(items, PyObject *);
        PyTuple_SET_ITEM(tuple, i, Py_NewRef(item));
    }
    va_end(items);
    return tuple;
}
