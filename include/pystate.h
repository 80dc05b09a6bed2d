/* Interpreter and thread states.
 *
 * There is one interpreter. Each OS thread that runs extension code gets
 * one PyThreadState for its whole life; the layer keeps in it the fields
 * listed as maintained below, and the others keep CPython's layout only. */
#ifndef Py_PYSTATE_H
#define Py_PYSTATE_H
#define Py_CPYTHON_PYSTATE_H

#include <stdint.h>

#ifndef CPYEXT_STATE_TYPEDEFS
#define CPYEXT_STATE_TYPEDEFS
typedef struct _ts PyThreadState;
typedef struct _is PyInterpreterState;
#endif
typedef struct _frame PyFrameObject;

#define MAX_CO_EXTRA_USERS 255

/* The interpreter. PyInterpreterState is opaque. */
PyAPI_FUNC(PyInterpreterState *) PyInterpreterState_New(void);
PyAPI_FUNC(void) PyInterpreterState_Clear(PyInterpreterState *interp);
PyAPI_FUNC(void) PyInterpreterState_Delete(PyInterpreterState *interp);
PyAPI_FUNC(PyInterpreterState *) PyInterpreterState_Get(void);
/* The old spelling, still used by extensions written for 3.8. */
#define _PyInterpreterState_Get PyInterpreterState_Get
/* Borrowed: a dict extensions may keep per-interpreter data in. */
PyAPI_FUNC(PyObject *) PyInterpreterState_GetDict(PyInterpreterState *interp);
PyAPI_FUNC(int64_t) PyInterpreterState_GetID(PyInterpreterState *interp);
PyAPI_FUNC(PyInterpreterState *) PyInterpreterState_Main(void);
PyAPI_FUNC(PyInterpreterState *) PyInterpreterState_Head(void);
PyAPI_FUNC(PyInterpreterState *) PyInterpreterState_Next(PyInterpreterState *interp);
PyAPI_FUNC(PyThreadState *) PyInterpreterState_ThreadHead(PyInterpreterState *interp);
PyAPI_FUNC(PyThreadState *) PyThreadState_Next(PyThreadState *tstate);

/* The running interpreter's configuration: read-only, values from start-up.
 * GetConfigCopy replaces the contents of an initialised PyConfig; the caller
 * frees the copy with PyConfig_Clear. */
PyAPI_FUNC(const PyConfig *) _Py_GetConfig(void);
PyAPI_FUNC(const PyConfig *) _PyInterpreterState_GetConfig(PyInterpreterState *interp);
PyAPI_FUNC(int) _PyInterpreterState_GetConfigCopy(PyConfig *config);

/* Modules made by single-phase init, found by their definition. */
PyAPI_FUNC(int) PyState_AddModule(PyObject *module, struct PyModuleDef *def);
PyAPI_FUNC(int) PyState_RemoveModule(struct PyModuleDef *def);
/* Borrowed: the module single-phase init made from the definition. */
PyAPI_FUNC(PyObject *) PyState_FindModule(struct PyModuleDef *def);

/* Thread states. */
PyAPI_FUNC(PyThreadState *) PyThreadState_New(PyInterpreterState *interp);
PyAPI_FUNC(void) PyThreadState_Clear(PyThreadState *tstate);
PyAPI_FUNC(void) PyThreadState_Delete(PyThreadState *tstate);
PyAPI_FUNC(void) PyThreadState_DeleteCurrent(void);
PyAPI_FUNC(PyThreadState *) PyThreadState_Get(void);
#define PyThreadState_GET() PyThreadState_Get()
/* NULL when this thread does not hold the GIL. */
PyAPI_FUNC(PyThreadState *) _PyThreadState_UncheckedGet(void);
PyAPI_FUNC(PyThreadState *) PyThreadState_Swap(PyThreadState *tstate);
/* Borrowed: this thread's own dict (NULL without an error if none). */
PyAPI_FUNC(PyObject *) PyThreadState_GetDict(void);
PyAPI_FUNC(int) PyThreadState_SetAsyncExc(unsigned long id, PyObject *exc);
PyAPI_FUNC(PyInterpreterState *) PyThreadState_GetInterpreter(PyThreadState *tstate);
/* New reference: the frame the thread is running, or NULL. */
PyAPI_FUNC(PyFrameObject *) PyThreadState_GetFrame(PyThreadState *tstate);
PyAPI_FUNC(uint64_t) PyThreadState_GetID(PyThreadState *tstate);
PyAPI_FUNC(void) PyThreadState_EnterTracing(PyThreadState *tstate);
PyAPI_FUNC(void) PyThreadState_LeaveTracing(PyThreadState *tstate);

/* C-level trace and profile functions (PyEval_SetTrace). */
typedef int (*Py_tracefunc)(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg);
#define PyTrace_CALL 0
#define PyTrace_EXCEPTION 1
#define PyTrace_LINE 2
#define PyTrace_RETURN 3
#define PyTrace_C_CALL 4
#define PyTrace_C_EXCEPTION 5
#define PyTrace_C_RETURN 6
#define PyTrace_OPCODE 7

/* The line-table cursor of a trace (CPython's layout). */
typedef struct {
    void *code;
    struct {
        int ar_start;
        int ar_end;
        int ar_line;
        struct {
            int computed_line;
            const uint8_t *lo_next;
            const uint8_t *limit;
        } opaque;
    } bounds;
} PyTraceInfo;

typedef struct _PyCFrame {
    uint8_t use_tracing;
    struct _PyInterpreterFrame *current_frame;
    struct _PyCFrame *previous;
} _PyCFrame;

typedef struct _err_stackitem {
    PyObject *exc_value;
    struct _err_stackitem *previous_item;
} _PyErr_StackItem;

typedef struct _stack_chunk {
    struct _stack_chunk *previous;
    size_t size;
    size_t top;
    PyObject *data[1];
} _PyStackChunk;

/* CPython 3.11's field order. Maintained by the layer: interp,
 * recursion_remaining and recursion_limit (Py_EnterRecursiveCall), exc_info
 * (points at exc_state), cframe (points at root_cframe), dict, thread_id,
 * native_thread_id and id. The pending error is NOT kept in curexc_*: use
 * PyErr_Fetch/PyErr_Restore. */
struct _ts {
    PyThreadState *prev;
    PyThreadState *next;
    PyInterpreterState *interp;
    int _initialized;
    int _static;
    int recursion_remaining;
    int recursion_limit;
    int recursion_headroom;
    int tracing;
    int tracing_what;
    _PyCFrame *cframe;
    Py_tracefunc c_profilefunc;
    Py_tracefunc c_tracefunc;
    PyObject *c_profileobj;
    PyObject *c_traceobj;
    PyObject *curexc_type;
    PyObject *curexc_value;
    PyObject *curexc_traceback;
    _PyErr_StackItem *exc_info;
    PyObject *dict;
    int gilstate_counter;
    PyObject *async_exc;
    unsigned long thread_id;
    unsigned long native_thread_id;
    int trash_delete_nesting;
    PyObject *trash_delete_later;
    void (*on_delete)(void *);
    void *on_delete_data;
    int coroutine_origin_tracking_depth;
    PyObject *async_gen_firstiter;
    PyObject *async_gen_finalizer;
    PyObject *context;
    uint64_t context_ver;
    uint64_t id;
    PyTraceInfo trace_info;
    _PyStackChunk *datastack_chunk;
    PyObject **datastack_top;
    PyObject **datastack_limit;
    _PyErr_StackItem exc_state;
    _PyCFrame root_cframe;
};

/* Cross-interpreter data (no subinterpreters here: declared for the type). */
typedef struct _xid _PyCrossInterpreterData;
typedef int (*crossinterpdatafunc)(PyObject *obj, _PyCrossInterpreterData *data);

typedef enum { PyGILState_LOCKED, PyGILState_UNLOCKED } PyGILState_STATE;
PyAPI_FUNC(PyGILState_STATE) PyGILState_Ensure(void);
PyAPI_FUNC(void) PyGILState_Release(PyGILState_STATE state);
PyAPI_FUNC(int) PyGILState_Check(void);
/* This thread's state (NULL on a thread made in C that never entered). */
PyAPI_FUNC(PyThreadState *) PyGILState_GetThisThreadState(void);

/* Private names of CPython's cpython/pystate.h. */
/* The interpreter, without checks. */
PyAPI_FUNC(PyInterpreterState *) _PyGILState_GetInterpreterStateUnsafe(void);
/* New reference: sys.modules["__main__"] (KeyError if it is gone). */
PyAPI_FUNC(PyObject *) _PyInterpreterState_GetMainModule(PyInterpreterState *interp);
/* A flag of the interpreter, kept and reported (one interpreter, never
 * destroyed early). */
PyAPI_FUNC(int) _PyInterpreterState_RequiresIDRef(PyInterpreterState *interp);
PyAPI_FUNC(void) _PyInterpreterState_RequireIDRef(PyInterpreterState *interp, int required);
/* Borrowed: the dict of any thread state, made on first request. */
PyAPI_FUNC(PyObject *) _PyThreadState_GetDict(PyThreadState *tstate);
/* A new thread state, listed but current on no thread. */
PyAPI_FUNC(PyThreadState *) _PyThreadState_Prealloc(PyInterpreterState *interp);
/* New references: sys._current_frames(), and each thread's handled
 * exception as a (type, value, traceback) tuple. */
PyAPI_FUNC(PyObject *) _PyThread_CurrentFrames(void);
PyAPI_FUNC(PyObject *) _PyThread_CurrentExceptions(void);

#endif
