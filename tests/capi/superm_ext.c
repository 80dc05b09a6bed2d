/* A bound builtin method of a base class, read through PyCFunction_GET_FUNCTION
   (what Cython 0.29's __Pyx_PyObject_CallOneArg / CallNoArg do). */
#include <Python.h>

static PyObject *base_who(PyObject *self, PyObject *unused) { return PyUnicode_FromString("Base.who"); }
static PyObject *derived_who(PyObject *self, PyObject *unused) { return PyUnicode_FromString("Derived.who"); }

static PyMethodDef base_methods[] = {{"who", base_who, METH_NOARGS, NULL}, {NULL}};
static PyMethodDef derived_methods[] = {{"who", derived_who, METH_NOARGS, NULL}, {NULL}};

static PyTypeObject BaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "superm_ext.Base", .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_methods = base_methods, .tp_new = PyType_GenericNew,
};
static PyTypeObject DerivedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "superm_ext.Derived", .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_methods = derived_methods, .tp_new = PyType_GenericNew,
};

/* Calls a METH_NOARGS builtin the way Cython's fast path does. */
static PyObject *call_c(PyObject *mod, PyObject *meth) {
    if (!PyCFunction_Check(meth)) { PyErr_SetString(PyExc_TypeError, "not a builtin"); return NULL; }
    if (!(PyCFunction_GET_FLAGS(meth) & METH_NOARGS)) { PyErr_SetString(PyExc_TypeError, "not METH_NOARGS"); return NULL; }
    return PyCFunction_GET_FUNCTION(meth)(PyCFunction_GET_SELF(meth), NULL);
}
/* super(Derived, self).who() called from C, as Cython 0.29 compiles `super().who()`. */
static PyObject *super_who(PyObject *mod, PyObject *self) {
    PyObject *args = PyTuple_Pack(2, (PyObject *)&DerivedType, self);
    PyObject *sup = PyObject_Call((PyObject *)&PySuper_Type, args, NULL);
    Py_DECREF(args);
    if (!sup) return NULL;
    PyObject *m = PyObject_GetAttrString(sup, "who");
    Py_DECREF(sup);
    if (!m) return NULL;
    PyObject *r = call_c(mod, m);
    Py_DECREF(m);
    return r;
}
static PyMethodDef mod_methods[] = {
    {"call_c", call_c, METH_O, NULL}, {"super_who", super_who, METH_O, NULL}, {NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "superm_ext", NULL, -1, mod_methods};

PyMODINIT_FUNC PyInit_superm_ext(void) {
    DerivedType.tp_base = &BaseType;
    if (PyType_Ready(&BaseType) < 0 || PyType_Ready(&DerivedType) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (!m) return NULL;
    Py_INCREF(&BaseType); PyModule_AddObject(m, "Base", (PyObject *)&BaseType);
    Py_INCREF(&DerivedType); PyModule_AddObject(m, "Derived", (PyObject *)&DerivedType);
    return m;
}
