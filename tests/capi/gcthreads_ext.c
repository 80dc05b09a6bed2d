/* A plain GC type (tp_new = PyType_GenericNew, tp_traverse, tp_clear,
 * tp_dealloc), subclassed in Python; four threads create and drop instances
 * and call gc.collect(). CPython: no problem. */
#include <Python.h>
typedef struct { PyObject_HEAD PyObject *dict; PyObject *x; } BaseObject;
static int base_traverse(BaseObject *self, visitproc visit, void *arg) { Py_VISIT(self->x); return 0; }
static int base_clear(BaseObject *self) { Py_CLEAR(self->x); return 0; }
static void base_dealloc(BaseObject *self) {
    PyObject_GC_UnTrack(self);
    base_clear(self);
    Py_TYPE(self)->tp_free(self);
}
static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gcthreads_ext.Base",
    .tp_basicsize = sizeof(BaseObject),
    .tp_dealloc = (destructor)base_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)base_traverse,
    .tp_clear = (inquiry)base_clear,
    .tp_new = PyType_GenericNew,
};
static void plain_dealloc(PyObject *self) { Py_TYPE(self)->tp_free(self); }
static PyTypeObject Plain_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gcthreads_ext.Plain",
    .tp_basicsize = sizeof(PyObject),
    .tp_dealloc = plain_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "gcthreads_ext", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_gcthreads_ext(void) {
    if (PyType_Ready(&Base_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (!m) return NULL;
    Py_INCREF(&Base_Type);
    PyModule_AddObject(m, "Base", (PyObject *)&Base_Type);
    if (PyType_Ready(&Plain_Type) < 0) return NULL;
    Py_INCREF(&Plain_Type);
    PyModule_AddObject(m, "Plain", (PyObject *)&Plain_Type);
    return m;
}
