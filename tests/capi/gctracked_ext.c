#include <Python.h>
static PyObject *c_is_tracked(PyObject *self, PyObject *o) {
    return PyBool_FromLong(PyObject_GC_IsTracked(o));
}
static PyMethodDef methods[] = {{"is_tracked", c_is_tracked, METH_O, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "gctracked_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_gctracked_ext(void) { return PyModule_Create(&mod); }
