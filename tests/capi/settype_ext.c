/* Py_SET_TYPE on a heap type made by PyType_FromSpec: give it a metatype
   afterwards (SWIG 4.4+ -builtin does this for every wrapped class). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int meta_setattro(PyObject *type, PyObject *name, PyObject *value) {
    PyErr_Format(PyExc_AttributeError, "Meta.setattro refuses %R", name);
    return -1;
}
static PyObject *meta_hello(PyObject *cls, PyObject *unused) {
    return PyUnicode_FromString("hello from Meta");
}
static PyMethodDef meta_methods[] = {{"hello", meta_hello, METH_NOARGS, NULL}, {NULL}};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "settype_ext", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_settype_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    PyType_Slot meta_slots[] = {
        {Py_tp_setattro, (void *)meta_setattro},
        {Py_tp_methods, meta_methods},
        {Py_tp_base, (void *)&PyType_Type},
        {0, NULL}};
    PyType_Spec meta_spec = {"settype_ext.Meta", (int)PyType_Type.tp_basicsize, 0,
                             Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, meta_slots};
    PyObject *meta = PyType_FromSpec(&meta_spec);
    if (!meta) return NULL;
    PyType_Slot t_slots[] = {{0, NULL}};
    PyType_Spec t_spec = {"settype_ext.T", sizeof(PyObject), 0,
                          Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, t_slots};
    PyObject *t = PyType_FromSpec(&t_spec);
    if (!t) return NULL;
    Py_SET_TYPE(t, (PyTypeObject *)meta);   /* as SwigPyBuiltin_SetMetaType */
    PyType_Modified((PyTypeObject *)t);
    PyModule_AddObject(m, "Meta", meta);
    PyModule_AddObject(m, "T", t);
    return m;
}
