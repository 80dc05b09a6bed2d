/* CPython's Include/cpython/pythonrun.h: the private names of "pythonrun.h".
 * Included by that header; an extension that includes this path directly
 * gets all of <Python.h>, which includes it again. */
#ifndef Py_PYTHONRUN_H
#  include "Python.h"
#elif !defined(Py_CPYTHON_PYTHONRUN_DECLS_H)
#define Py_CPYTHON_PYTHONRUN_DECLS_H

/* The file runners, with the file name as a str object. */
PyAPI_FUNC(int) _PyRun_SimpleFileObject(FILE *fp, PyObject *filename, int closeit, PyCompilerFlags *flags);
PyAPI_FUNC(int) _PyRun_AnyFileObject(FILE *fp, PyObject *filename, int closeit, PyCompilerFlags *flags);
PyAPI_FUNC(int) _PyRun_InteractiveLoopObject(FILE *fp, PyObject *filename, PyCompilerFlags *flags);

/* The source text of a str, bytes, bytearray or buffer for compile()-like
 * functions; *cmd_copy receives a copy the caller releases (or NULL). */
PyAPI_FUNC(const char *) _Py_SourceAsString(PyObject *cmd, const char *funcname, const char *what,
                                            PyCompilerFlags *cf, PyObject **cmd_copy);

/* The thread state of the thread inside PyOS_Readline, NULL outside it. */
PyAPI_DATA(PyThreadState *) _PyOS_ReadlineTState;
#endif
