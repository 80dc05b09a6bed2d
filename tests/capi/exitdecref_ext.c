/* A reference kept in a C static and released by a destructor that runs
 * when the process exits, after the interpreter has finished (a C++ static
 * holding a py::object: pikepdf's QPDFLogger -> Pl_PythonLogger). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>

static PyObject *kept;

static PyObject *keep(PyObject *self, PyObject *obj) {
    Py_INCREF(obj);
    Py_XSETREF(kept, obj);
    Py_RETURN_NONE;
}

__attribute__((destructor)) static void release_at_exit(void) {
    /* No thread state, no GIL: the interpreter is gone. */
    Py_XDECREF(kept);
    fprintf(stderr, "exitdecref: released at exit\n");
}

static PyMethodDef methods[] = {
    {"keep", keep, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "exitdecref_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_exitdecref_ext(void) { return PyModule_Create(&def); }
