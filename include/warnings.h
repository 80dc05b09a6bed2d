/* Issuing warnings from C. */
#ifndef CPYEXT_WARNINGS_H
#define CPYEXT_WARNINGS_H

PyAPI_FUNC(int) PyErr_WarnEx(PyObject *category, const char *message, Py_ssize_t stack_level);

#endif
