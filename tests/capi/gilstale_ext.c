/* A thread made in C (an OpenMP worker, say) that leaves an error pending
 * when its outermost PyGILState_Release ends its thread state: the next
 * PyGILState_Ensure on that thread starts without it. Cython's prange keeps
 * only the first worker's exception and leaves the others' set. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <pthread.h>

static int seen[4];

static void *
worker(void *arg)
{
    (void)arg;
    PyGILState_STATE outer = PyGILState_Ensure();
    Py_BEGIN_ALLOW_THREADS
    {
        PyGILState_STATE inner = PyGILState_Ensure();
        PyErr_SetString(PyExc_ValueError, "left behind");
        PyGILState_Release(inner);
    }
    Py_END_ALLOW_THREADS
    /* Still this thread's state: the error is there. */
    seen[0] = PyErr_Occurred() != NULL;
    PyGILState_Release(outer);

    PyGILState_STATE again = PyGILState_Ensure();
    seen[1] = PyErr_Occurred() != NULL;
    PyErr_SetString(PyExc_KeyError, "nested");
    {
        /* An inner Release does not end the state: the error stays. */
        PyGILState_STATE inner = PyGILState_Ensure();
        PyGILState_Release(inner);
    }
    seen[2] = PyErr_Occurred() != NULL;
    PyGILState_Release(again);

    PyGILState_STATE last = PyGILState_Ensure();
    seen[3] = PyErr_Occurred() != NULL;
    PyErr_Clear();
    PyGILState_Release(last);
    return NULL;
}

static PyObject *
run(PyObject *self, PyObject *unused)
{
    pthread_t t;
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pthread_create(&t, NULL, worker, NULL);
    if (rc == 0)
        pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    if (rc != 0)
        return PyErr_Format(PyExc_OSError, "pthread_create: %d", rc);
    return Py_BuildValue("(iiii)", seen[0], seen[1], seen[2], seen[3]);
}

static PyMethodDef methods[] = {
    {"run", run, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "gilstale_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_gilstale_ext(void)
{
    return PyModule_Create(&module);
}
