#include <Python.h>
typedef struct { PyObject_HEAD int x; } Obj;
static int obj_init(PyObject *self, PyObject *a, PyObject *k) { return 0; }
static PyObject *obj_new(PyTypeObject *t, PyObject *a, PyObject *k) { return t->tp_alloc(t, 0); }
static PyObject *obj_repr(PyObject *self) { return PyUnicode_FromString("<T>"); }
static PyObject *obj_getattro(PyObject *self, PyObject *n) { return PyObject_GenericGetAttr(self, n); }
static PyObject *obj_await(PyObject *self) { return PyObject_GetIter(Py_None); }
static PyAsyncMethods am = {obj_await, 0, 0};
static PyTypeObject T = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "slotdoc_ext.T", .tp_basicsize = sizeof(Obj),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_init = obj_init, .tp_new = obj_new, .tp_repr = obj_repr,
    .tp_as_async = &am,
};
/* U: a spec type with tp_init only (no tp_new: inherits object's) */
static PyType_Slot uslots[] = {{Py_tp_init, obj_init}, {0, NULL}};
static PyType_Spec uspec = {"slotdoc_ext.U", sizeof(Obj), 0, Py_TPFLAGS_DEFAULT, uslots};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "slotdoc_ext", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_slotdoc_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (!m || PyType_Ready(&T) < 0) return NULL;
    Py_INCREF(&T);
    PyModule_AddObject(m, "T", (PyObject *)&T);
    PyObject *u = PyType_FromSpec(&uspec);
    if (!u) return NULL;
    PyModule_AddObject(m, "U", u);
    return m;
}
