/* A C pickler memoizes objects by address: a recursive tuple reached again
 * through a list inside it must be the same pointer. */
#include <Python.h>
static PyObject *same(PyObject *m, PyObject *t) {
    PyObject *lst = PyTuple_GET_ITEM(t, 0);
    PyObject *inner = PyList_GET_ITEM(lst, 0);
    return PyBool_FromLong(inner == t);
}
static PyObject *same_via_getitem(PyObject *m, PyObject *t) {
    PyObject *lst = PyTuple_GetItem(t, 0);
    PyObject *inner = PyList_GetItem(lst, 0);
    return PyBool_FromLong(inner == t);
}
static PyMethodDef methods[] = {{"same", same, METH_O, NULL}, {"same_via_getitem", same_via_getitem, METH_O, NULL}, {NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "tupleid_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_tupleid_ext(void) { return PyModule_Create(&moddef); }
