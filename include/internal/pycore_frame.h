/* The frame object's struct, as CPython 3.11 lays it out. CPython keeps it
 * out of the public headers; Cython includes this file (with Py_BUILD_CORE)
 * to set f_lineno on frames it makes for tracebacks.
 *
 * Under cpyext the struct is the first part of a frame's proxy, and only
 * f_lineno is meaningful: set by C, it overrides the line the frame
 * reports (PyFrame_GetLineNumber, PyTraceBack_Here), as in CPython. The
 * other fields stay zero, apart from f_trace_lines. */
#ifndef Py_INTERNAL_FRAME_H
#define Py_INTERNAL_FRAME_H

struct _PyInterpreterFrame;

struct _frame {
    PyObject_HEAD
    PyFrameObject *f_back;
    struct _PyInterpreterFrame *f_frame;
    PyObject *f_trace;
    int f_lineno;
    char f_trace_lines;
    char f_trace_opcodes;
    char f_fast_as_locals;
    PyObject *_f_frame_data[1];
};

/* The states a generator's frame goes through, as `gi_frame_state` of a
 * generator, coroutine or asynchronous generator shows them (profilers
 * test for FRAME_SUSPENDED). The layer keeps that field up to date each
 * time C gets the object; FRAME_CLEARED is not used. */
enum _framestate {
    FRAME_CREATED = -2,
    FRAME_SUSPENDED = -1,
    FRAME_EXECUTING = 0,
    FRAME_COMPLETED = 1,
    FRAME_CLEARED = 4
};

#endif
