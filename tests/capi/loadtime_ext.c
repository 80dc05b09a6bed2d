/* A library constructor that uses the C API while the module loads, as C++
 * globals do (pybind11's gil_scoped_acquire in matplotlib's ft2font): the
 * importing thread holds the GIL while dlopen runs it, as in CPython. */
#include <Python.h>

static int gil_held_at_load = -1;
static long dict_size_at_load = -1;

__attribute__((constructor)) static void
at_load(void)
{
    PyThreadState *mine = PyGILState_GetThisThreadState();
    PyThreadState *current = _PyThreadState_UncheckedGet();
    gil_held_at_load = mine != NULL && mine == current;
    /* What pybind11's gil_scoped_acquire does when the GIL is not held. */
    int acquire = mine != current;
    if (acquire)
        PyEval_AcquireThread(mine);
    PyObject *d = PyDict_New();
    dict_size_at_load = d != NULL ? (long)PyDict_Size(d) : -2;
    Py_XDECREF(d);
    if (acquire)
        PyEval_SaveThread();
}

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "loadtime_ext", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_loadtime_ext(void)
{
    const char *version = Py_GetVersion();
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL)
        return NULL;
    if (PyModule_AddIntConstant(m, "gil_held_at_load", gil_held_at_load) < 0
        || PyModule_AddIntConstant(m, "dict_size_at_load", dict_size_at_load) < 0
        || PyModule_AddIntConstant(m, "version_ok", version != NULL) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
