/* A C type that adds no fields, with a C tp_descr_get; a Python class lists
 * a plain Python class first and the C type second: its __base__ is the
 * plain class (the C type adds no layout), yet it inherits the C type's
 * tp_descr_get through the MRO, which works on its instances (ExtensionClass
 * test_mixing: `class O2(Classic, O)`). */
#include <Python.h>
static PyObject *desc_get(PyObject *self, PyObject *obj, PyObject *type) {
    return Py_BuildValue("(sO)", "got", obj ? obj : Py_None);
}
static PyTypeObject Desc_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mixbase_ext.Desc", .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = PyType_GenericNew,
    .tp_descr_get = desc_get,
};
/* Writes tp_descr_get into a (Python) class's type object, as
 * ExtensionClass's EC_init_of does for classes that define __of__. */
static PyObject *set_descr_get(PyObject *m, PyObject *cls) {
    ((PyTypeObject *)cls)->tp_descr_get = desc_get;
    PyType_Modified((PyTypeObject *)cls);
    Py_RETURN_NONE;
}
static PyTypeObject Plainbase_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mixbase_ext.PlainBase", .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = PyType_GenericNew,
};
static PyMethodDef methods[] = {{"set_descr_get", set_descr_get, METH_O, NULL}, {NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "mixbase_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_mixbase_ext(void) {
    if (PyType_Ready(&Desc_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    Py_INCREF(&Desc_Type); PyModule_AddObject(m, "Desc", (PyObject *)&Desc_Type);
    if (PyType_Ready(&Plainbase_Type) < 0) return NULL;
    Py_INCREF(&Plainbase_Type); PyModule_AddObject(m, "PlainBase", (PyObject *)&Plainbase_Type);
    return m;
}
