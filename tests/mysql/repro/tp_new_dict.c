#define PY_SSIZE_T_CLEAN
#include <Python.h>
typedef struct { PyObject_HEAD int x; } NObj;
static PyTypeObject N_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tp_new_dict.N", .tp_basicsize = sizeof(NObj),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "tp_new_dict", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_tp_new_dict(void) {
    if (PyType_Ready(&N_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    Py_INCREF(&N_Type); PyModule_AddObject(m, "N", (PyObject *)&N_Type);
    return m;
}
