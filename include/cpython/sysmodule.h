/* CPython's Include/cpython/sysmodule.h: the private names of "sysmodule.h".
 * Included by that header; an extension that includes this path directly
 * gets all of <Python.h>, which includes it again. */
#ifndef Py_SYSMODULE_H
#  include "Python.h"
#elif !defined(Py_CPYTHON_SYSMODULE_DECLS_H)
#define Py_CPYTHON_SYSMODULE_DECLS_H

/* Borrowed: sys.<name> (name a str object), or NULL without an error. */
PyAPI_FUNC(PyObject *) _PySys_GetAttr(PyThreadState *tstate, PyObject *name);
/* sys.getsizeof(o) without a default: (size_t)-1 with an exception. */
PyAPI_FUNC(size_t) _PySys_GetSizeOf(PyObject *);
#endif
