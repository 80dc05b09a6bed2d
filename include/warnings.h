/* Issuing warnings from C. */
#ifndef CPYEXT_WARNINGS_H
#define CPYEXT_WARNINGS_H

PyAPI_FUNC(int) PyErr_WarnEx(PyObject *category, const char *message, Py_ssize_t stack_level);
/* The message is made by PyUnicode_FromFormat. */
PyAPI_FUNC(int) PyErr_WarnFormat(PyObject *category, Py_ssize_t stack_level, const char *format, ...);
PyAPI_FUNC(int) PyErr_WarnExplicit(PyObject *category, const char *message, const char *filename, int lineno,
                                   const char *module, PyObject *registry);

#endif
