/* Generators, coroutines and asynchronous generators. */
#ifndef Py_GENOBJECT_H
#define Py_GENOBJECT_H

/* _PyErr_StackItem, the exception state a generator keeps between runs, is
 * pystate.h's (the element of a thread's handled-exception stack). */
#include "pystate.h"

struct PyCodeObject;
struct _frame;

/* CPython's layout of the three kinds. The layer's generators are host
 * objects made by running Python code: C reaches them through the abstract
 * API (PyIter_Next, PyObject_CallMethod(gen, "send", ...)). */
#define _PyGenObject_HEAD(prefix) \
    PyObject_HEAD \
    struct PyCodeObject *prefix##_code; \
    PyObject *prefix##_weakreflist; \
    PyObject *prefix##_name; \
    PyObject *prefix##_qualname; \
    _PyErr_StackItem prefix##_exc_state; \
    PyObject *prefix##_origin_or_finalizer; \
    char prefix##_hooks_inited; \
    char prefix##_closed; \
    char prefix##_running_async; \
    int8_t prefix##_frame_state; \
    PyObject *prefix##_iframe[1];

typedef struct {
    _PyGenObject_HEAD(gi)
} PyGenObject;

typedef struct {
    _PyGenObject_HEAD(cr)
} PyCoroObject;

typedef struct {
    _PyGenObject_HEAD(ag)
} PyAsyncGenObject;

#undef _PyGenObject_HEAD

PyAPI_DATA(PyTypeObject) PyGen_Type;
PyAPI_DATA(PyTypeObject) PyCoro_Type;
PyAPI_DATA(PyTypeObject) PyAsyncGen_Type;
/* The helper objects of coroutines and async generators: what
 * coro.__await__() returns, and what asend()/athrow() return. */
PyAPI_DATA(PyTypeObject) _PyCoroWrapper_Type;
PyAPI_DATA(PyTypeObject) _PyAsyncGenASend_Type;
PyAPI_DATA(PyTypeObject) _PyAsyncGenAThrow_Type;
PyAPI_DATA(PyTypeObject) _PyAsyncGenWrappedValue_Type;
#define PyGen_Check(op) PyObject_TypeCheck((op), &PyGen_Type)
#define PyGen_CheckExact(op) Py_IS_TYPE((op), &PyGen_Type)
#define PyCoro_CheckExact(op) Py_IS_TYPE((op), &PyCoro_Type)
#define PyAsyncGen_CheckExact(op) Py_IS_TYPE((op), &PyAsyncGen_Type)

/* Generators come from running a code object's frame; the layer's frames
 * are the host's, so these are declared but not provided. */
PyAPI_FUNC(PyObject *) PyGen_New(struct _frame *frame);
PyAPI_FUNC(PyObject *) PyGen_NewWithQualName(struct _frame *frame, PyObject *name, PyObject *qualname);
PyAPI_FUNC(PyObject *) PyCoro_New(struct _frame *frame, PyObject *name, PyObject *qualname);
PyAPI_FUNC(PyObject *) PyAsyncGen_New(struct _frame *frame, PyObject *name, PyObject *qualname);

/* StopIteration carrying a generator's return value, and back. */
PyAPI_FUNC(int) _PyGen_SetStopIterationValue(PyObject *value);
PyAPI_FUNC(int) _PyGen_FetchStopIterationValue(PyObject **pvalue);
/* What a generator, coroutine or async generator does as it is destroyed:
 * close it if suspended, warn of a coroutine never awaited, or hand an
 * async generator to its finalizer hook. Keeps the pending error. */
PyAPI_FUNC(void) _PyGen_Finalize(PyObject *self);

#endif
