/* A thread made in C that keeps its Python thread state between callbacks,
 * as cffi's callbacks do: on the thread's first callback, one extra
 * PyGILState_Ensure is left unpaired on purpose, so that the outer
 * PyGILState_Release (UNLOCKED) gives the GIL up but keeps the state. */
#include <Python.h>
#include <pthread.h>

#define MAX_CALLS 8

struct keeper {
    PyObject *callback;
    int calls;
    pthread_t thread;
    int started;
    /* per callback */
    int had_state_before[MAX_CALLS];
    int unlocked[MAX_CALLS];
    int same_state[MAX_CALLS];
    int check_inside[MAX_CALLS];
    int check_after[MAX_CALLS];
    int failed[MAX_CALLS];
};

static struct keeper running;

static void *
keeper_main(void *arg)
{
    struct keeper *k = arg;
    PyThreadState *first = NULL;
    for (int i = 0; i < k->calls; i++) {
        PyThreadState *before = PyGILState_GetThisThreadState();
        PyGILState_STATE st = PyGILState_Ensure();
        if (before == NULL)
            (void)PyGILState_Ensure();   /* never released: keeps the state */
        PyThreadState *now = PyGILState_GetThisThreadState();
        if (first == NULL)
            first = now;
        k->had_state_before[i] = before != NULL;
        k->unlocked[i] = st == PyGILState_UNLOCKED;
        k->same_state[i] = now == first;
        k->check_inside[i] = PyGILState_Check();
        PyObject *r = PyObject_CallFunction(k->callback, "i", i);
        k->failed[i] = r == NULL;
        if (r == NULL)
            PyErr_Clear();
        Py_XDECREF(r);
        PyGILState_Release(st);
        k->check_after[i] = PyGILState_Check();
    }
    return NULL;
}

static PyObject *
report(struct keeper *k)
{
    PyObject *out = PyList_New(0);
    for (int i = 0; out != NULL && i < k->calls; i++) {
        PyObject *row = Py_BuildValue("(iiiiii)", k->had_state_before[i], k->unlocked[i],
                                      k->same_state[i], k->check_inside[i],
                                      k->check_after[i], k->failed[i]);
        if (row == NULL || PyList_Append(out, row) < 0)
            Py_CLEAR(out);
        Py_XDECREF(row);
    }
    return out;
}

static int
start(PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyCallable_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "expected (callback, calls)");
        return -1;
    }
    if (running.started) {
        PyErr_SetString(PyExc_RuntimeError, "a keeper thread is running");
        return -1;
    }
    long calls = PyLong_AsLong(args[1]);
    if (calls < 1 || calls > MAX_CALLS) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "calls out of range");
        return -1;
    }
    memset(&running, 0, sizeof running);
    running.callback = Py_NewRef(args[0]);
    running.calls = (int)calls;
    if (pthread_create(&running.thread, NULL, keeper_main, &running) != 0) {
        Py_CLEAR(running.callback);
        PyErr_SetString(PyExc_RuntimeError, "pthread_create failed");
        return -1;
    }
    running.started = 1;
    return 0;
}

static PyObject *
join_keeper(PyObject *self, PyObject *unused)
{
    if (!running.started) {
        PyErr_SetString(PyExc_RuntimeError, "no keeper thread");
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    pthread_join(running.thread, NULL);
    Py_END_ALLOW_THREADS
    running.started = 0;
    Py_CLEAR(running.callback);
    return report(&running);
}

/* The thread runs while this call waits for it with the GIL released. */
static PyObject *
callbacks_while_joined(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (start(args, nargs) < 0)
        return NULL;
    return join_keeper(self, NULL);
}

/* The thread runs while Python goes on; join_keeper waits for it. */
static PyObject *
start_keeper(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (start(args, nargs) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
gil_check(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(PyGILState_Check());
}

static PyMethodDef methods[] = {
    {"callbacks_while_joined", (PyCFunction)(void (*)(void))callbacks_while_joined, METH_FASTCALL, NULL},
    {"start_keeper", (PyCFunction)(void (*)(void))start_keeper, METH_FASTCALL, NULL},
    {"join_keeper", join_keeper, METH_NOARGS, NULL},
    {"gil_check", gil_check, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "gilkeep_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_gilkeep_ext(void)
{
    return PyModule_Create(&moduledef);
}
