/* A pthread-key destructor that takes the GIL when its thread ends, after
 * the thread's other thread-locals are gone (viztracer frees its
 * per-thread records so): it releases an object it kept. */
#include <Python.h>
#include <pthread.h>

static pthread_key_t key;
static int destructor_ran;

static void at_thread_exit(void *value)
{
    PyGILState_STATE state = PyGILState_Ensure();
    Py_DECREF((PyObject *)value);
    destructor_ran++;
    PyGILState_Release(state);
}

static void *thread_body(void *arg)
{
    PyGILState_STATE state = PyGILState_Ensure();
    /* Python runs on this thread, so it has the host's state to lose. */
    PyObject *r = PyObject_Repr((PyObject *)arg);
    Py_XDECREF(r);
    pthread_setspecific(key, arg);
    PyGILState_Release(state);
    return NULL;
}

static PyObject *keep_until_thread_ends(PyObject *m, PyObject *obj)
{
    pthread_t thread;
    Py_INCREF(obj); /* the thread's, released by its key destructor */
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = pthread_create(&thread, NULL, thread_body, obj);
    if (rc == 0)
        pthread_join(thread, NULL);
    Py_END_ALLOW_THREADS
    if (rc != 0) {
        Py_DECREF(obj);
        return PyErr_Format(PyExc_RuntimeError, "pthread_create: %d", rc);
    }
    return PyLong_FromLong(destructor_ran);
}

static PyObject *noop(PyObject *m, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"keep_until_thread_ends", keep_until_thread_ends, METH_O},
    {"noop", noop, METH_NOARGS},
    {NULL}
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "tsdexit_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_tsdexit_ext(void)
{
    if (pthread_key_create(&key, at_thread_exit) != 0)
        return PyErr_Format(PyExc_RuntimeError, "pthread_key_create failed");
    return PyModule_Create(&mod);
}
