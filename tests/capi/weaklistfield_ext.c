#include <Python.h>
#include <stddef.h>
/* A C type with a weak reference list field (tp_weaklistoffset), as
 * numpy's ndarray: C reads the field to see whether weak references to an
 * instance exist (ndarray.resize refuses to resize then). */
typedef struct { PyObject_HEAD PyObject *weakreflist; long v; } Obj;
static void obj_dealloc(PyObject *self) {
    if (((Obj *)self)->weakreflist != NULL) PyObject_ClearWeakRefs(self);
    Py_TYPE(self)->tp_free(self);
}
static PyObject *has_weakrefs(PyObject *self, PyObject *o) {
    return PyBool_FromLong(((Obj *)o)->weakreflist != NULL);
}
/* numpy's check, in short: refuse while weak references exist. */
static PyObject *resize(PyObject *self, PyObject *n) {
    if (((Obj *)self)->weakreflist != NULL) {
        PyErr_SetString(PyExc_ValueError, "cannot resize an array that is referenced by a weak reference");
        return NULL;
    }
    ((Obj *)self)->v = PyLong_AsLong(n);
    Py_RETURN_NONE;
}
static PyMethodDef obj_methods[] = {{"resize", resize, METH_O, NULL}, {NULL}};
static PyTypeObject T = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "weaklistfield_ext.T", .tp_basicsize = sizeof(Obj),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew, .tp_dealloc = obj_dealloc,
    .tp_weaklistoffset = offsetof(Obj, weakreflist), .tp_methods = obj_methods,
};
static PyMethodDef methods[] = {{"has_weakrefs", has_weakrefs, METH_O, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "weaklistfield_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_weaklistfield_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (!m || PyType_Ready(&T) < 0) return NULL;
    Py_INCREF(&T);
    PyModule_AddObject(m, "T", (PyObject *)&T);
    return m;
}
