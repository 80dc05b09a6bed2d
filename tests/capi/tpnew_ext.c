/* persistent's ghostify keeps __slots__ only for classes that override
 * __new__, telling them apart by `Py_TYPE(self)->tp_new == Pertype.tp_new`. */
#include <Python.h>
static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tpnew_ext.Base",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};
static PyObject *same_new(PyObject *m, PyObject *obj) {
    return PyBool_FromLong(Py_TYPE(obj)->tp_new == Base_Type.tp_new);
}
static PyMethodDef methods[] = {{"same_new", same_new, METH_O, NULL}, {NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "tpnew_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_tpnew_ext(void) {
    Base_Type.tp_new = PyType_GenericNew;
    if (PyType_Ready(&Base_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (!m) return NULL;
    Py_INCREF(&Base_Type);
    PyModule_AddObject(m, "Base", (PyObject *)&Base_Type);
    return m;
}
