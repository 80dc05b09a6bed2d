/* Extensions tell "default comparison" types apart by comparing slot pointers
 * (BTrees' check_argument_cmp: Py_TYPE(arg)->tp_richcompare ==
 * Py_TYPE(object)->tp_richcompare, i.e. type's, which is object's). */
#include <Python.h>

static PyObject *same_cmp(PyObject *m, PyObject *args) {
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) return NULL;
    return PyBool_FromLong(Py_TYPE(a)->tp_richcompare == Py_TYPE(b)->tp_richcompare);
}
static PyObject *is_object_cmp(PyObject *m, PyObject *a) {
    return PyBool_FromLong(Py_TYPE(a)->tp_richcompare == PyBaseObject_Type.tp_richcompare);
}
/* The slot called directly, as extensions do. */
static PyObject *call_eq_slot(PyObject *m, PyObject *args) {
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) return NULL;
    return Py_TYPE(a)->tp_richcompare(a, b, Py_EQ);
}
static PyMethodDef methods[] = {
    {"call_eq_slot", call_eq_slot, METH_VARARGS, NULL},
    {"same_cmp", same_cmp, METH_VARARGS, NULL},
    {"is_object_cmp", is_object_cmp, METH_O, NULL},
    {NULL}
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "objectcmp_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_objectcmp_ext(void) { return PyModule_Create(&moddef); }
