/* Case e: the extension calls C-API functions that cpyext does not provide.
 * They are declared here by hand (no header has them), so the object file
 * has two undefined symbols that the loader cannot resolve; it must name all
 * of them in one ImportError rather than crash at the first call. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern int PyCpyext_NoSuchFunction(void);
extern PyObject *PyCpyext_AnotherMissingFunction(PyObject *);

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "bad_missing_api", NULL, -1, NULL, NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_bad_missing_api(void)
{
    PyObject *m;
    if (PyCpyext_NoSuchFunction() < 0)
        return NULL;
    m = PyModule_Create(&module);
    if (m != NULL && PyCpyext_AnotherMissingFunction(m) == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
