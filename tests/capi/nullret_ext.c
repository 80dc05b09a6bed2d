/* C functions that return NULL without an exception, or a result with one set: the SystemError's wording */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
static PyObject *null_noexc(PyObject *self, PyObject *unused) { return NULL; }
static PyObject *result_exc(PyObject *self, PyObject *unused) {
    PyErr_SetString(PyExc_ValueError, "pending");
    Py_RETURN_NONE;
}
static PyMethodDef obj_methods[] = {
    {"null_noexc", null_noexc, METH_NOARGS, NULL}, {"result_exc", result_exc, METH_NOARGS, NULL}, {NULL}};
static PyTypeObject Obj_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nullret_ext.Obj", .tp_basicsize = sizeof(PyObject), .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = obj_methods, .tp_new = PyType_GenericNew,
};
static PyMethodDef methods[] = {
    {"null_noexc", null_noexc, METH_NOARGS, NULL}, {"result_exc", result_exc, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "nullret_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_nullret_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL || PyType_Ready(&Obj_Type) < 0) return NULL;
    Py_INCREF(&Obj_Type); PyModule_AddObject(m, "Obj", (PyObject *)&Obj_Type);
    return m;
}
