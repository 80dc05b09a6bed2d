#define PY_SSIZE_T_CLEAN
#include <Python.h>
/* A static type whose tp_setattro / tp_getattro just forward to
 * PyObject_GenericSetAttr / PyObject_GenericGetAttr (as mysqlclient's
 * _mysql.connection does), subclassable from Python. */
typedef struct { PyObject_HEAD } SObj;
static int S_setattro(PyObject *self, PyObject *name, PyObject *v) {
    return PyObject_GenericSetAttr(self, name, v);
}
static PyObject *S_getattro(PyObject *self, PyObject *name) {
    return PyObject_GenericGetAttr(self, name);
}
static PyTypeObject S_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "setattr_race.S", .tp_basicsize = sizeof(SObj),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_setattro = S_setattro, .tp_getattro = S_getattro, .tp_new = PyType_GenericNew,
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "setattr_race", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_setattr_race(void) {
    if (PyType_Ready(&S_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    Py_INCREF(&S_Type); PyModule_AddObject(m, "S", (PyObject *)&S_Type);
    return m;
}
