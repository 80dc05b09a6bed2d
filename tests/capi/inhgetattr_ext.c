/* A C type that inherits tp_getattro from its C base has no
 * `__getattribute__` of its own in CPython (wrappers are added for the slots a
 * type defines itself), so a Python class later in the MRO can supply one
 * (Acquisition's Implicit/Explicit under ExtensionClass.Base). */
#include <Python.h>
static PyObject *base_getattro(PyObject *o, PyObject *n) { return PyObject_GenericGetAttr(o, n); }
static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "inhgetattr_ext.Base", .tp_basicsize = sizeof(PyObject),
    .tp_getattro = base_getattro,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = PyType_GenericNew,
};
static PyTypeObject Sub_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "inhgetattr_ext.Sub", .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "inhgetattr_ext", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_inhgetattr_ext(void) {
    if (PyType_Ready(&Base_Type) < 0) return NULL;
    Sub_Type.tp_base = &Base_Type;
    if (PyType_Ready(&Sub_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    Py_INCREF(&Base_Type); PyModule_AddObject(m, "Base", (PyObject *)&Base_Type);
    Py_INCREF(&Sub_Type); PyModule_AddObject(m, "Sub", (PyObject *)&Sub_Type);
    return m;
}
