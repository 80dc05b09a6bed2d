#include <Python.h>
/* tp_new tests whether the subtype overrides __init__, as multidict's proxies do */
typedef struct { PyObject_HEAD int inited; } O;
static int o_init(PyObject *self, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"arg", NULL};
    PyObject *a;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O:__init__", kwlist, &a)) return -1;
    ((O*)self)->inited = 1;
    return 0;
}
static PyObject *o_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
    PyObject *self = type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    if (type->tp_init == o_init && o_init(self, args, kw) < 0) { Py_DECREF(self); return NULL; }
    return self;
}
static PyObject *o_inited(PyObject *self, PyObject *u) { return PyLong_FromLong(((O*)self)->inited); }
static PyObject *overrides(PyObject *m, PyObject *t) { return PyBool_FromLong(((PyTypeObject *)t)->tp_init != o_init); }
static PyMethodDef om[] = {{"inited", o_inited, METH_NOARGS}, {NULL}};
static PyMethodDef mm[] = {{"overrides", overrides, METH_O}, {NULL}};
static PyTypeObject OT = {PyVarObject_HEAD_INIT(NULL, 0) .tp_name = "subinit_ext.O", .tp_basicsize = sizeof(O),
  .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_init = o_init, .tp_new = o_new, .tp_methods = om};
static struct PyModuleDef d = {PyModuleDef_HEAD_INIT, "subinit_ext", NULL, -1, mm};
PyMODINIT_FUNC PyInit_subinit_ext(void) { if (PyType_Ready(&OT) < 0) return NULL; PyObject *m = PyModule_Create(&d); PyModule_AddObjectRef(m, "O", (PyObject*)&OT); return m; }
