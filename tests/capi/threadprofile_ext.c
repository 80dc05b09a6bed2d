/* A profiler that walks the interpreter's thread states and sets a C
   profile function on each, as yappi does: every live Python thread is
   listed, also one that never ran extension code, and _PyEval_SetProfile
   gives a function to another thread's state. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

static PyObject *events;  /* list of (thread id, event, code name) */

static int
prof(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    if (what != PyTrace_CALL || events == NULL)
        return 0;
    PyCodeObject *code = PyFrame_GetCode(frame);
    PyObject *item = Py_BuildValue("(kiO)", PyThreadState_Get()->thread_id, what, code->co_name);
    Py_DECREF(code);
    if (item == NULL)
        return -1;
    int r = PyList_Append(events, item);
    Py_DECREF(item);
    return r;
}

/* The thread ids of the interpreter's list, walked through the fields. */
static PyObject *
thread_ids(PyObject *self, PyObject *unused)
{
    PyObject *ids = PyList_New(0);
    if (ids == NULL)
        return NULL;
    for (PyThreadState *ts = PyInterpreterState_ThreadHead(PyInterpreterState_Get()); ts != NULL; ts = ts->next) {
        PyObject *id = PyLong_FromUnsignedLong(ts->thread_id);
        if (id == NULL || PyList_Append(ids, id) < 0) {
            Py_XDECREF(id);
            Py_DECREF(ids);
            return NULL;
        }
        Py_DECREF(id);
    }
    return ids;
}

/* Sets (or with None clears) the profile function of every thread state;
   returns how many states were given it and how many refused. */
static PyObject *
profile_all(PyObject *self, PyObject *arg)
{
    int on = PyObject_IsTrue(arg);
    if (on && events == NULL) {
        events = PyList_New(0);
        if (events == NULL)
            return NULL;
    }
    int set = 0, refused = 0;
    for (PyThreadState *ts = PyInterpreterState_ThreadHead(PyInterpreterState_Get()); ts != NULL; ts = ts->next) {
        if (_PyEval_SetProfile(ts, on ? prof : NULL, NULL) < 0) {
            PyErr_Clear();
            refused++;
        }
        else
            set++;
    }
    return Py_BuildValue("(ii)", set, refused);
}

/* Whether the state of thread `id` holds our function. */
static PyObject *
has_prof(PyObject *self, PyObject *arg)
{
    unsigned long id = PyLong_AsUnsignedLong(arg);
    if (id == (unsigned long)-1 && PyErr_Occurred())
        return NULL;
    for (PyThreadState *ts = PyInterpreterState_ThreadHead(PyInterpreterState_Get()); ts != NULL; ts = ts->next)
        if (ts->thread_id == id)
            return PyBool_FromLong(ts->c_profilefunc == prof);
    Py_RETURN_NONE;
}

/* The events recorded so far, and forget them. */
static PyObject *
take_events(PyObject *self, PyObject *unused)
{
    if (events == NULL)
        return PyList_New(0);
    PyObject *r = events;
    events = PyList_New(0);
    return r;
}

static PyMethodDef methods[] = {
    {"thread_ids", thread_ids, METH_NOARGS},
    {"profile_all", profile_all, METH_O},
    {"has_prof", has_prof, METH_O},
    {"take_events", take_events, METH_NOARGS},
    {NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "threadprofile_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_threadprofile_ext(void)
{
    return PyModule_Create(&module);
}
