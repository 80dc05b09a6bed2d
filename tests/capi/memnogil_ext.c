/* A C thread frees a PyMem block after PyGILState_Release (simpleaudio's playback thread) */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pthread.h>

static void *worker(void *block) {
    PyGILState_STATE g = PyGILState_Ensure();
    PyGILState_Release(g);
    PyMem_Free(block);                 /* no GIL here */
    void *again = PyMem_Malloc(32);    /* nor here */
    PyMem_Free(again);
    return NULL;
}

static PyObject *run(PyObject *self, PyObject *unused) {
    pthread_t t;
    void *block = PyMem_Malloc(64);
    Py_BEGIN_ALLOW_THREADS
    pthread_create(&t, NULL, worker, block);
    pthread_join(t, NULL);
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {{"run", run, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "memnogil_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_memnogil_ext(void) { return PyModule_Create(&mod); }
