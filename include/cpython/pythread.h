/* CPython's Include/cpython/pythread.h: the private names of "pythread.h".
 * Included by that header; an extension that includes this path directly
 * gets all of <Python.h>, which includes it again. */
#ifndef Py_PYTHREAD_H
#  include "Python.h"
#elif !defined(Py_CPYTHON_PYTHREAD_DECLS_H)
#define Py_CPYTHON_PYTHREAD_DECLS_H

/* After fork(): a new unlocked lock in *lock; 0, or -1. */
PyAPI_FUNC(int) _PyThread_at_fork_reinit(PyThread_type_lock *lock);
#endif
