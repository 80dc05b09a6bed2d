/* Frame objects: the accessors every extension may use. Frames are the
 * host's; a frame object's struct (internal/pycore_frame.h) is opaque to
 * extensions, as in CPython 3.11. */
#ifndef Py_PYFRAME_H
#define Py_PYFRAME_H
/* The names of CPython's cpython/pyframe.h live in this file too. */
#define Py_CPYTHON_PYFRAME_H

#ifndef CPYEXT_FRAMEOBJECT_TYPEDEF
#define CPYEXT_FRAMEOBJECT_TYPEDEF
typedef struct _frame PyFrameObject;
#endif

/* The line the frame is running (or stopped at). */
PyAPI_FUNC(int) PyFrame_GetLineNumber(PyFrameObject *frame);
/* New references. */
PyAPI_FUNC(PyCodeObject *) PyFrame_GetCode(PyFrameObject *frame);

PyAPI_DATA(PyTypeObject) PyFrame_Type;
#define PyFrame_Check(op) Py_IS_TYPE((op), &PyFrame_Type)

/* New references; GetBack and GetGenerator may return NULL (no caller, no
 * generator) without an exception set. */
PyAPI_FUNC(PyFrameObject *) PyFrame_GetBack(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetLocals(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetGlobals(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetBuiltins(PyFrameObject *frame);
PyAPI_FUNC(PyObject *) PyFrame_GetGenerator(PyFrameObject *frame);
/* The byte offset of the last instruction run, or -1 if none has run. */
PyAPI_FUNC(int) PyFrame_GetLasti(PyFrameObject *frame);

#endif
