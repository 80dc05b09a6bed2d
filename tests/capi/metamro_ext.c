/* A C metatype with an `mro` method in C (as ExtensionClass's): classes made through it from Python
 * that define __get__ must get tp_descr_get, as with `type`. */
#include <Python.h>
static PyObject *meta_new(PyTypeObject *self, PyObject *args, PyObject *kw) {
    return PyType_Type.tp_new(self, args, kw);          /* as EC_new does */
}
static int meta_init(PyObject *self, PyObject *args, PyObject *kw) {
    return PyType_Type.tp_init(self, args, kw);         /* as EC_init does */
}
static PyObject *meta_mro(PyObject *self, PyObject *unused) {
    /* as ExtensionClass's `mro`: computes the class's MRO in C */
    return PyObject_CallMethod((PyObject *)&PyType_Type, "mro", "O", self);
}
static PyMethodDef meta_methods[] = {{"mro", meta_mro, METH_NOARGS, NULL}, {NULL}};
static PyTypeObject Meta_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "metamro_ext.Meta", .tp_basicsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = (newfunc)meta_new, .tp_init = meta_init, .tp_methods = meta_methods,
};
static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "metamro_ext.Base", .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = PyType_GenericNew,
};
static PyObject *has_descr_get(PyObject *m, PyObject *o) { return PyBool_FromLong(Py_TYPE(o)->tp_descr_get != NULL); }
static PyMethodDef methods[] = {{"has_descr_get", has_descr_get, METH_O, NULL}, {NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "metamro_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_metamro_ext(void) {
    Meta_Type.tp_base = &PyType_Type;
    Meta_Type.tp_basicsize = PyType_Type.tp_basicsize;
    Meta_Type.tp_itemsize = PyType_Type.tp_itemsize;
    Meta_Type.tp_traverse = PyType_Type.tp_traverse;
    Meta_Type.tp_clear = PyType_Type.tp_clear;
    if (PyType_Ready(&Meta_Type) < 0) return NULL;
    Py_SET_TYPE(&Base_Type, &Meta_Type);
    if (PyType_Ready(&Base_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    Py_INCREF(&Meta_Type); PyModule_AddObject(m, "Meta", (PyObject *)&Meta_Type);
    Py_INCREF(&Base_Type); PyModule_AddObject(m, "Base", (PyObject *)&Base_Type);
    return m;
}
