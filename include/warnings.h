/* Issuing warnings from C. Warnings go through the `warnings` module, so
 * its filters, registries and catch_warnings apply as for Python code. */
#ifndef Py_WARNINGS_H
#define Py_WARNINGS_H
/* The names of CPython's cpython/warnings.h live in this file too. */
#define Py_CPYTHON_WARNINGS_H

/* They return 0, or -1 with an exception set when the warning became an
 * error (a filter's "error" action, a raising showwarning, ...). */
PyAPI_FUNC(int) PyErr_WarnEx(PyObject *category, const char *message, Py_ssize_t stack_level);
/* The message is made by PyUnicode_FromFormat. */
PyAPI_FUNC(int) PyErr_WarnFormat(PyObject *category, Py_ssize_t stack_level, const char *format, ...);
/* A ResourceWarning whose `source` is the object that leaked the resource. */
PyAPI_FUNC(int) PyErr_ResourceWarning(PyObject *source, Py_ssize_t stack_level, const char *format, ...);
PyAPI_FUNC(int) PyErr_WarnExplicit(PyObject *category, const char *message, const char *filename, int lineno,
                                   const char *module, PyObject *registry);
PyAPI_FUNC(int) PyErr_WarnExplicitObject(PyObject *category, PyObject *message, PyObject *filename, int lineno,
                                         PyObject *module, PyObject *registry);
PyAPI_FUNC(int) PyErr_WarnExplicitFormat(PyObject *category, const char *filename, int lineno, const char *module,
                                         PyObject *registry, const char *format, ...);

/* Deprecated spelling of a stack-level-1 PyErr_WarnEx. */
#define PyErr_Warn(category, message) PyErr_WarnEx((category), (message), 1)

#endif
