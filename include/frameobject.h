/* Frame objects: making them, and their local variables. Not included by
 * Python.h, as in CPython. */
#ifndef Py_FRAMEOBJECT_H
#define Py_FRAMEOBJECT_H
/* The names of CPython's cpython/frameobject.h live in this file too. */
#define Py_CPYTHON_FRAMEOBJECT_H

#include "pyframe.h"

/* A frame for `code` that has not run, with the given globals (and locals,
 * or NULL). With PyTraceBack_Here it adds a traceback entry for code that
 * has no Python frame of its own (Cython's functions). */
PyAPI_FUNC(PyFrameObject *) PyFrame_New(PyThreadState *tstate, PyCodeObject *code, PyObject *globals,
                                        PyObject *locals);

/* Fast locals and the locals dict. RustPython keeps them in step by
 * itself, so these only report errors; see docs/differences.md. */
PyAPI_FUNC(int) PyFrame_FastToLocalsWithError(PyFrameObject *frame);
PyAPI_FUNC(void) PyFrame_FastToLocals(PyFrameObject *frame);
PyAPI_FUNC(void) PyFrame_LocalsToFast(PyFrameObject *frame, int clear);

/* Whether the frame began a new call of the evaluator (CPython 3.11 runs a
 * Python function called from Python in the caller's evaluator call). The
 * host runs every frame in an evaluator call of its own, so this is 1 for
 * every frame, as it was for every frame before 3.11. memray calls it. */
PyAPI_FUNC(int) _PyFrame_IsEntryFrame(PyFrameObject *frame);

#endif
