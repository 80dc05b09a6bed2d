/* A tp_dealloc that releases the GIL and waits for a lock another thread
 * holds (h5py's object ids, PyGObject): the holder then runs a collection
 * before it lets go. CPython: the holder has the GIL, collects, unlocks,
 * and the dealloc goes on. */
#include <Python.h>
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int waiting = 0;
static int deallocs = 0;

static void waiter_dealloc(PyObject *self) {
    Py_BEGIN_ALLOW_THREADS
    waiting = 1;
    pthread_mutex_lock(&lock);
    pthread_mutex_unlock(&lock);
    waiting = 0;
    Py_END_ALLOW_THREADS
    deallocs++;
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject Waiter_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "deallocwait_ext.Waiter",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = waiter_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

/* A dealloc that, GIL released, calls back into Python through
 * PyGILState_Ensure (a C library's callback from inside a close). */
static PyObject *callback = NULL;

static void caller_dealloc(PyObject *self) {
    Py_BEGIN_ALLOW_THREADS
    PyGILState_STATE g = PyGILState_Ensure();
    if (callback) {
        PyObject *r = PyObject_CallNoArgs(callback);
        if (r == NULL)
            PyErr_WriteUnraisable(callback);
        Py_XDECREF(r);
    }
    PyGILState_Release(g);
    Py_END_ALLOW_THREADS
    deallocs++;
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject Caller_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "deallocwait_ext.Caller",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = caller_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

static PyObject *set_callback(PyObject *self, PyObject *f) {
    Py_INCREF(f);
    Py_XSETREF(callback, f);
    Py_RETURN_NONE;
}

static PyObject *hold(PyObject *self, PyObject *unused) {
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&lock);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *let_go(PyObject *self, PyObject *unused) {
    pthread_mutex_unlock(&lock);
    Py_RETURN_NONE;
}

/* Whether a dealloc is blocked on the lock now (it has released the GIL). */
static PyObject *dealloc_waiting(PyObject *self, PyObject *unused) {
    return PyBool_FromLong(waiting);
}

static PyObject *dealloc_count(PyObject *self, PyObject *unused) {
    return PyLong_FromLong(deallocs);
}

static PyMethodDef methods[] = {
    {"hold", hold, METH_NOARGS, NULL},
    {"set_callback", set_callback, METH_O, NULL},
    {"let_go", let_go, METH_NOARGS, NULL},
    {"dealloc_waiting", dealloc_waiting, METH_NOARGS, NULL},
    {"dealloc_count", dealloc_count, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "deallocwait_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_deallocwait_ext(void) {
    if (PyType_Ready(&Waiter_Type) < 0 || PyType_Ready(&Caller_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (!m) return NULL;
    Py_INCREF(&Waiter_Type);
    if (PyModule_AddObject(m, "Waiter", (PyObject *)&Waiter_Type) < 0) return NULL;
    Py_INCREF(&Caller_Type);
    if (PyModule_AddObject(m, "Caller", (PyObject *)&Caller_Type) < 0) return NULL;
    return m;
}
