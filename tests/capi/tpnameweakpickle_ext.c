/* Messages that name a C type: weakref and pickling of instances of types
   whose tp_name carries a module part. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    long value;
} Holder;

/* A heap type without tp_new and without a weakref slot. */
static PyType_Slot plain_slots[] = {{0, NULL}};
static PyType_Spec plain_spec = {"tpnameweakpickle_ext.Plain", sizeof(Holder), 0, Py_TPFLAGS_DEFAULT, plain_slots};

/* A static type with tp_new whose instances hold C state beyond object's. */
static PyTypeObject StatefulType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tpnameweakpickle_ext.Stateful",
    .tp_basicsize = sizeof(Holder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

static PyObject *plain_type;

static PyObject *
make_plain(PyObject *self, PyObject *unused)
{
    PyTypeObject *tp = (PyTypeObject *)plain_type;
    return tp->tp_alloc(tp, 0);
}

static PyMethodDef methods[] = {
    {"make_plain", make_plain, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "tpnameweakpickle_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_tpnameweakpickle_ext(void)
{
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    plain_type = PyType_FromSpec(&plain_spec);
    if (plain_type == NULL || PyModule_AddObjectRef(m, "Plain", plain_type) < 0)
        return NULL;
    if (PyType_Ready(&StatefulType) < 0 || PyModule_AddObjectRef(m, "Stateful", (PyObject *)&StatefulType) < 0)
        return NULL;
    return m;
}
