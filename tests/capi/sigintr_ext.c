/* Signals seen from C: PyOS_InterruptOccurred (PySignal_SetWakeupFd, which CPython 3.11 does
 * not export, is left out). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <signal.h>
#include <pthread.h>

/* raise(SIGINT) if asked, then PyOS_InterruptOccurred twice. */
static PyObject *
interrupt_occurred(PyObject *self, PyObject *args)
{
    int do_raise = 0, simulate = 0;
    if (!PyArg_ParseTuple(args, "|ii", &do_raise, &simulate))
        return NULL;
    if (do_raise)
        raise(SIGINT);
    if (simulate)
        PyErr_SetInterrupt();
    int first = PyOS_InterruptOccurred();
    int second = PyOS_InterruptOccurred();
    return Py_BuildValue("(ii)", first, second);
}

/* raise(SIGINT) and let PyErr_CheckSignals run the handler. */
static PyObject *
raise_and_check(PyObject *self, PyObject *unused)
{
    raise(SIGINT);
    if (PyErr_CheckSignals() < 0)
        return NULL;
    return PyLong_FromLong(PyOS_InterruptOccurred());
}

static void *
check_in_thread(void *result)
{
    PyGILState_STATE state = PyGILState_Ensure();
    *(int *)result = PyOS_InterruptOccurred();
    PyGILState_Release(state);
    return NULL;
}

/* PyErr_SetInterrupt, then PyOS_InterruptOccurred in a thread made in C,
 * then in this (the main) thread, with no Python code in between. */
static PyObject *
other_thread(PyObject *self, PyObject *unused)
{
    pthread_t thread;
    int in_thread = -1;
    PyErr_SetInterrupt();
    Py_BEGIN_ALLOW_THREADS
    pthread_create(&thread, NULL, check_in_thread, &in_thread);
    pthread_join(thread, NULL);
    Py_END_ALLOW_THREADS
    int in_main = PyOS_InterruptOccurred();
    return Py_BuildValue("(ii)", in_thread, in_main);
}

static PyMethodDef methods[] = {
    {"other_thread", other_thread, METH_NOARGS, NULL},
    {"interrupt_occurred", interrupt_occurred, METH_VARARGS, NULL},
    {"raise_and_check", raise_and_check, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "sigintr_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_sigintr_ext(void)
{
    return PyModule_Create(&module);
}
