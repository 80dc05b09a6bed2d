/* CPython's Include/cpython/pylifecycle.h: the private names of "pylifecycle.h".
 * Included by that header; an extension that includes this path directly
 * gets all of <Python.h>, which includes it again. */
#ifndef Py_PYLIFECYCLE_H
#  include "Python.h"
#elif !defined(Py_CPYTHON_PYLIFECYCLE_DECLS_H)
#define Py_CPYTHON_PYLIFECYCLE_DECLS_H

/* Start-up stages: the interpreter starts whole here, so the core is up
 * exactly when it runs, and _Py_InitializeMain starts it if it does not. */
PyAPI_FUNC(int) _Py_IsCoreInitialized(void);
PyAPI_FUNC(PyStatus) _Py_InitializeMain(void);

/* Puts back the default action of SIGPIPE and SIGXFSZ. */
PyAPI_FUNC(void) _Py_RestoreSignals(void);

/* Whether fp is a terminal, or (with -i) the name is NULL, "<stdin>" or "???". */
PyAPI_FUNC(int) _Py_FdIsInteractive(FILE *fp, PyObject *filename);

/* Sets what Py_GetProgramFullPath returns. */
Py_DEPRECATED(3.11) PyAPI_FUNC(void) _Py_SetProgramFullPath(const wchar_t *);

/* sys._git[1] and sys._git[2] of the interpreter. */
PyAPI_FUNC(const char *) _Py_gitidentifier(void);
PyAPI_FUNC(const char *) _Py_gitversion(void);

/* Random bytes for cryptographic use (getrandom, else /dev/urandom). */
PyAPI_FUNC(int) _PyOS_URandom(void *buffer, Py_ssize_t size);
PyAPI_FUNC(int) _PyOS_URandomNonblock(void *buffer, Py_ssize_t size);

/* The legacy C locale (PEP 538). */
PyAPI_FUNC(int) _Py_CoerceLegacyLocale(int warn);
PyAPI_FUNC(int) _Py_LegacyLocaleDetected(int warn);
PyAPI_FUNC(char *) _Py_SetLocaleFromEnv(int category);
#endif
