#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* A static type and a PyType_FromSpec type, both with a dotted name
   "tpnamemsg_ext.X" and no number or comparison slots.  CPython's TypeError
   messages for binary operators and ordering comparisons use tp_name, the
   full dotted name. */
static PyTypeObject Static_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tpnamemsg_ext.Static",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

static PyType_Slot heap_slots[] = {
    {Py_tp_new, PyType_GenericNew},
    {0, NULL},
};

static PyType_Spec heap_spec = {
    "tpnamemsg_ext.pkg.Heap", sizeof(PyObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, heap_slots,
};

static PyObject *
tp_name_of(PyObject *self, PyObject *arg)
{
    return PyUnicode_FromString(Py_TYPE(arg)->tp_name);
}

static PyMethodDef methods[] = {
    {"tp_name_of", tp_name_of, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {
    PyModuleDef_HEAD_INIT, "tpnamemsg_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_tpnamemsg_ext(void)
{
    PyObject *m = PyModule_Create(&moddef);
    if (m == NULL)
        return NULL;
    if (PyType_Ready(&Static_Type) < 0)
        return NULL;
    Py_INCREF(&Static_Type);
    PyModule_AddObject(m, "Static", (PyObject *)&Static_Type);
    PyObject *h = PyType_FromSpec(&heap_spec);
    if (h == NULL)
        return NULL;
    PyModule_AddObject(m, "Heap", h);
    return m;
}
