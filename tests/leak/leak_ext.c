/* Extension for tests/test_leaks.py: objects crossing the C boundary and back.
 *
 * Builds against CPython 3.11's headers and cpyext's; uses no variadic C-API
 * function.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* METH_O: f(x) -> x, the same object */
static PyObject *
ident(PyObject *self, PyObject *arg)
{
    (void)self;
    Py_INCREF(arg);
    return arg;
}

/* METH_O: f(x) -> (x, x + 1), a fresh tuple holding the argument and a fresh
 * int, both made in C */
static PyObject *
make_tuple(PyObject *self, PyObject *arg)
{
    PyObject *t, *next;
    long v;
    (void)self;
    v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    next = PyLong_FromLong(v + 1);
    if (next == NULL)
        return NULL;
    t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(next);
        return NULL;
    }
    Py_INCREF(arg);
    PyTuple_SET_ITEM(t, 0, arg);
    PyTuple_SET_ITEM(t, 1, next);
    return t;
}

/* METH_O: f(i) -> a fresh one-character str, chr(97 + i % 26), made by
 * PyUnicode_New and filled in place (orjson, ormsgpack and Cython make strs
 * so) */
static PyObject *
make_char(PyObject *self, PyObject *arg)
{
    PyObject *s;
    long v;
    (void)self;
    v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    s = PyUnicode_New(1, 127);
    if (s == NULL)
        return NULL;
    PyUnicode_1BYTE_DATA(s)[0] = (Py_UCS1)('a' + v % 26);
    PyUnicode_1BYTE_DATA(s)[1] = 0;
    return s;
}

/* METH_O: f(i) -> a fresh small int, i % 200 + 1, made by _PyLong_New and
 * filled in place */
static PyObject *
make_small_int(PyObject *self, PyObject *arg)
{
    PyLongObject *r;
    long v;
    (void)self;
    v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    r = _PyLong_New(1);
    if (r == NULL)
        return NULL;
    r->ob_digit[0] = (digit)(v % 200 + 1);
    return (PyObject *)r;
}

/* METH_O: f(i) -> None, after building {'k': [{'a': [i]}, {'a': [i + 1]}]}
 * in C, as Cython fills containers (PyList_SET_ITEM, PyDict_SetItem of
 * filled lists), and dropping it inside C: Python never sees any of it */
static PyObject *
make_nested(PyObject *self, PyObject *arg)
{
    long v;
    PyObject *outer, *top;
    (void)self;
    v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    outer = PyList_New(2);
    if (outer == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < 2; i++) {
        PyObject *inner = PyList_New(1), *d = PyDict_New();
        if (inner == NULL || d == NULL) {
            Py_XDECREF(inner);
            Py_XDECREF(d);
            Py_DECREF(outer);
            return NULL;
        }
        PyList_SET_ITEM(inner, 0, PyLong_FromLong(v + i));
        if (PyDict_SetItemString(d, "a", inner) < 0) {
            Py_DECREF(inner);
            Py_DECREF(d);
            Py_DECREF(outer);
            return NULL;
        }
        Py_DECREF(inner);
        PyList_SET_ITEM(outer, i, d);
    }
    top = PyDict_New();
    if (top == NULL || PyDict_SetItemString(top, "k", outer) < 0) {
        Py_XDECREF(top);
        Py_DECREF(outer);
        return NULL;
    }
    Py_DECREF(outer);
    Py_DECREF(top);
    Py_RETURN_NONE;
}

/* An object C allocates with calloc, starts with PyObject_Init and frees
 * with tp_free = free, as cffi's ffi.new() does. */
static void
malloced_dealloc(PyObject *self)
{
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject MallocedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "leak_ext.Malloced",
    .tp_basicsize = sizeof(PyObject) + 64,
    .tp_dealloc = malloced_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_free = free,
};

/* METH_O: f(x) -> a fresh Malloced object (x is ignored) */
static PyObject *
make_malloced(PyObject *self, PyObject *arg)
{
    PyObject *o;
    (void)self;
    (void)arg;
    o = calloc(1, MallocedType.tp_basicsize);
    if (o == NULL)
        return PyErr_NoMemory();
    return PyObject_Init(o, &MallocedType);
}

/* METH_O: like ident, but takes one reference too many: every object passed
 * through it is leaked.  Only used under CPython, to show the test's bound
 * does catch a leak of one object per crossing. */
static PyObject *
leaky_ident(PyObject *self, PyObject *arg)
{
    (void)self;
    Py_INCREF(arg);
    Py_INCREF(arg);
    return arg;
}

/* Closing: a GC type that parks its structs in a free list from tp_dealloc
 * and, before parking, calls a method of the dying object (a Cython cdef
 * class with @cython.freelist whose __dealloc__ calls self.close(), as
 * psycopg's do). The call resurrects the object for its duration, bracketed
 * by Py_SET_REFCNT as Cython does. */
#define CLOSING_PARK 8

typedef struct {
    PyObject_HEAD
    PyObject *data;
} ClosingObject;

static ClosingObject *closing_parked[CLOSING_PARK];
static int n_closing_parked = 0;
static PyTypeObject ClosingType;

static PyObject *
closing_close(PyObject *self, PyObject *unused)
{
    (void)unused;
    Py_CLEAR(((ClosingObject *)self)->data);
    Py_RETURN_NONE;
}

static void
closing_dealloc(PyObject *self)
{
    PyObject *name, *r;
    PyObject_GC_UnTrack(self);
    Py_SET_REFCNT(self, Py_REFCNT(self) + 1);
    name = PyUnicode_FromString("close");
    r = name == NULL ? NULL : PyObject_CallMethodNoArgs(self, name);
    Py_XDECREF(name);
    if (r == NULL)
        PyErr_WriteUnraisable(self);
    else
        Py_DECREF(r);
    Py_SET_REFCNT(self, Py_REFCNT(self) - 1);
    Py_CLEAR(((ClosingObject *)self)->data);
    if (n_closing_parked < CLOSING_PARK) {
        closing_parked[n_closing_parked++] = (ClosingObject *)self;
        return;
    }
    PyObject_GC_Del(self);
}

static int
closing_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((ClosingObject *)self)->data);
    return 0;
}

static PyMethodDef closing_methods[] = {
    {"close", closing_close, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyTypeObject ClosingType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "leak_ext.Closing",
    .tp_basicsize = sizeof(ClosingObject),
    .tp_dealloc = closing_dealloc,
    .tp_traverse = closing_traverse,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_methods = closing_methods,
};

/* METH_O: f(x) -> a Closing object holding x, from the free list when it
 * has a struct parked */
static PyObject *
make_closing(PyObject *self, PyObject *data)
{
    ClosingObject *o;
    (void)self;
    if (n_closing_parked > 0) {
        o = closing_parked[--n_closing_parked];
        memset(o, 0, sizeof(ClosingObject));
        PyObject_Init((PyObject *)o, &ClosingType);
    }
    else {
        o = PyObject_GC_New(ClosingObject, &ClosingType);
        if (o == NULL)
            return NULL;
    }
    Py_INCREF(data);
    o->data = data;
    PyObject_GC_Track(o);
    return (PyObject *)o;
}

/* Threads made in C that call into Python. Each gets a thread state: with
 * PyGILState_Ensure (the state lives as long as the thread), or, as
 * pybind11's gil_scoped_acquire does on a thread with none, a state from
 * PyThreadState_New made current by PyEval_RestoreThread and deleted with
 * PyThreadState_DeleteCurrent after each call. */
struct thread_job {
    PyObject *callback;
    int calls;
    int hand_made;
};

static void
call_back(PyObject *callback)
{
    PyObject *r = PyObject_CallNoArgs(callback);
    if (r == NULL)
        PyErr_WriteUnraisable(callback);
    else
        Py_DECREF(r);
}

static void *
thread_main(void *arg)
{
    struct thread_job *job = arg;
    int i;
    for (i = 0; i < job->calls; i++) {
        if (job->hand_made) {
            PyThreadState *ts = PyThreadState_New(PyInterpreterState_Main());
            PyEval_RestoreThread(ts);
            call_back(job->callback);
            PyThreadState_Clear(ts);
            PyThreadState_DeleteCurrent();
        }
        else {
            PyGILState_STATE st = PyGILState_Ensure();
            call_back(job->callback);
            PyGILState_Release(st);
        }
    }
    return NULL;
}

/* run_threads(callback, nthreads, calls, hand_made) -> None: starts nthreads
 * threads that each call callback() `calls` times, and waits for them with
 * the GIL released */
static PyObject *
run_threads(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    struct thread_job job;
    pthread_t threads[16];
    int n, i, started = 0;
    (void)self;
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "run_threads takes 4 arguments");
        return NULL;
    }
    job.callback = args[0];
    n = (int)PyLong_AsLong(args[1]);
    job.calls = (int)PyLong_AsLong(args[2]);
    job.hand_made = PyObject_IsTrue(args[3]);
    if (PyErr_Occurred())
        return NULL;
    if (n < 0 || n > 16) {
        PyErr_SetString(PyExc_ValueError, "0 to 16 threads");
        return NULL;
    }
    Py_INCREF(job.callback);
    Py_BEGIN_ALLOW_THREADS
    for (i = 0; i < n; i++) {
        if (pthread_create(&threads[i], NULL, thread_main, &job) != 0)
            break;
        started++;
    }
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    Py_END_ALLOW_THREADS
    Py_DECREF(job.callback);
    if (started < n) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return NULL;
    }
    Py_RETURN_NONE;
}

/* The objects below are ones the layer watches for their death (a weak
 * reference whose callback tidies up): each must cost nothing once dead. */

static PyObject *
answer(PyObject *self, PyObject *unused)
{
    (void)unused;
    Py_INCREF(self);
    return self;
}

static PyMethodDef answer_def = {"answer", answer, METH_NOARGS, NULL};

/* METH_O: f(x) -> a fresh builtin function bound to x, made by
 * PyCFunction_NewEx; calling it returns x */
static PyObject *
make_function(PyObject *self, PyObject *arg)
{
    (void)self;
    return PyCFunction_NewEx(&answer_def, arg, NULL);
}

static Py_ssize_t extra_index = -1;

/* METH_O: f(code) -> None, after storing a value in the code object's extra
 * slot (as a JIT or a profiler does); the value is static, its free
 * function NULL */
static PyObject *
set_code_extra(PyObject *self, PyObject *code)
{
    static int value;
    (void)self;
    if (extra_index < 0) {
        extra_index = _PyEval_RequestCodeExtraIndex(NULL);
        if (extra_index < 0)
            return NULL;
    }
    if (_PyCode_SetExtra(code, extra_index, &value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* METH_O: f(memoryview) -> its length, read from the view the memoryview
 * keeps (PyMemoryView_GET_BUFFER) */
static PyObject *
view_length(PyObject *self, PyObject *view)
{
    (void)self;
    if (!PyMemoryView_Check(view)) {
        PyErr_SetString(PyExc_TypeError, "a memoryview is required");
        return NULL;
    }
    return PyLong_FromSsize_t(PyMemoryView_GET_BUFFER(view)->len);
}

/* A profile function as a profiler writes one: it reads each frame's code
 * and line, and keeps the frame pointer of the latest call without a
 * reference (yappi keys its data on it). */
static PyFrameObject *profiled_last;
static long profiled_events;

static int
profile_frames(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    (void)obj;
    (void)arg;
    if (what != PyTrace_CALL && what != PyTrace_RETURN)
        return 0;
    PyCodeObject *code = PyFrame_GetCode(frame);
    profiled_events += PyFrame_GetLineNumber(frame) >= 0;
    Py_DECREF(code);
    if (what == PyTrace_CALL)
        profiled_last = frame;
    return 0;
}

/* METH_O: f(on) -> the number of events seen so far, after setting the
 * profile function (a true `on`) or removing it */
static PyObject *
set_frame_profile(PyObject *self, PyObject *on)
{
    (void)self;
    int flag = PyObject_IsTrue(on);
    if (flag < 0)
        return NULL;
    PyEval_SetProfile(flag ? profile_frames : NULL, NULL);
    return PyLong_FromLong(profiled_events);
}

static PyMethodDef leak_methods[] = {
    {"make_function", make_function, METH_O, "f(x) -> a builtin function returning x"},
    {"set_code_extra", set_code_extra, METH_O, "f(code) -> None, storing a code extra"},
    {"view_length", view_length, METH_O, "f(memoryview) -> len of its kept view"},
    {"ident", ident, METH_O, "f(x) -> x"},
    {"make_tuple", make_tuple, METH_O, "f(x) -> (x, x + 1), built in C"},
    {"make_malloced", make_malloced, METH_O, "f(x) -> a fresh object from calloc, freed by free"},
    {"leaky_ident", leaky_ident, METH_O, "f(x) -> x, leaking one reference to x"},
    {"make_char", make_char, METH_O, "f(i) -> chr(97 + i % 26), made by PyUnicode_New"},
    {"make_small_int", make_small_int, METH_O, "f(i) -> i % 200 + 1, made by _PyLong_New"},
    {"make_nested", make_nested, METH_O, "f(i) -> None, after building and dropping nested containers in C"},
    {"run_threads", (PyCFunction)(void (*)(void))run_threads, METH_FASTCALL, "f(callback, nthreads, calls, hand_made) -> None, callbacks from C threads"},
    {"make_closing", make_closing, METH_O, "f(x) -> a free-list object holding x, whose dealloc calls its close()"},
    {"set_frame_profile", set_frame_profile, METH_O, "f(on) -> events so far, setting or removing a C profile function"},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef leak_module = {
    PyModuleDef_HEAD_INIT,
    "leak_ext",
    "objects crossing the C boundary, for the leak test",
    -1,
    leak_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_leak_ext(void)
{
    if (PyType_Ready(&MallocedType) < 0 || PyType_Ready(&ClosingType) < 0)
        return NULL;
    return PyModule_Create(&leak_module);
}
