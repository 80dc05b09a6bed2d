/* Traceback objects. */
#ifndef Py_TRACEBACK_H
#define Py_TRACEBACK_H
/* The names of CPython's cpython/traceback.h live in this file too. */
#define Py_CPYTHON_TRACEBACK_H

/* Declared once here or in pyframe.h/traceback.h (a second typedef is
 * what -pedantic C99 warns about). */
#ifndef CPYEXT_FRAMEOBJECT_TYPEDEF
#define CPYEXT_FRAMEOBJECT_TYPEDEF
typedef struct _frame PyFrameObject;
#endif

/* CPython's layout. The traceback is the host's; its proxy fills the
 * fields when it is made: tb_next and tb_frame (held by the proxy),
 * tb_lasti, and tb_lineno -1 as CPython 3.11 leaves it (the attribute
 * tb_lineno has the line). */
typedef struct _traceback PyTracebackObject;
struct _traceback {
    PyObject_HEAD
    PyTracebackObject *tb_next;
    PyFrameObject *tb_frame;
    int tb_lasti;
    int tb_lineno;
};

/* Adds an entry for `frame` in front of the pending exception's traceback.
 * Returns 0, or -1 with an exception set. */
PyAPI_FUNC(int) PyTraceBack_Here(PyFrameObject *frame);
/* Writes the traceback to `file` as the traceback module formats it,
 * without the "Traceback (most recent call last):" line. */
PyAPI_FUNC(int) PyTraceBack_Print(PyObject *traceback, PyObject *file);
/* A traceback entry "File filename, line lineno, in funcname" in front of
 * the pending exception's traceback. */
PyAPI_FUNC(void) _PyTraceback_Add(const char *funcname, const char *filename, int lineno);
/* Writes line `lineno` of a source file to `f`, its leading blanks replaced
 * by `indent` spaces; -1 without an exception if there is no such line. */
PyAPI_FUNC(int) _Py_DisplaySourceLine(PyObject *f, PyObject *filename, int lineno, int indent, int *truncation,
                                      PyObject **line);

PyAPI_DATA(PyTypeObject) PyTraceBack_Type;
#define PyTraceBack_Check(op) Py_IS_TYPE((op), &PyTraceBack_Type)

#endif
