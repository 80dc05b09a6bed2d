/* PyThreadState_SetAsyncExc: an exception raised in another (or this)
 * thread. PyAudio raises its callback's error in the main thread so. */
#include <Python.h>

static PyObject *
set_async_exc(PyObject *self, PyObject *args)
{
    unsigned long id;
    PyObject *exc;
    if (!PyArg_ParseTuple(args, "kO", &id, &exc))
        return NULL;
    return PyLong_FromLong(PyThreadState_SetAsyncExc(id, exc == Py_None ? NULL : exc));
}

/* Asks, then withdraws, in one C call: nothing is raised. */
static PyObject *
set_then_clear(PyObject *self, PyObject *args)
{
    unsigned long id;
    PyObject *exc;
    if (!PyArg_ParseTuple(args, "kO", &id, &exc))
        return NULL;
    int set = PyThreadState_SetAsyncExc(id, exc);
    int cleared = PyThreadState_SetAsyncExc(id, NULL);
    return Py_BuildValue("(ii)", set, cleared);
}

static PyObject *
noop(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"set_async_exc", set_async_exc, METH_VARARGS, NULL},
    {"set_then_clear", set_then_clear, METH_VARARGS, NULL},
    {"noop", noop, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "asyncexc_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_asyncexc_ext(void)
{
    return PyModule_Create(&moduledef);
}
