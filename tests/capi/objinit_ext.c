/* A static type with its own tp_new and no tp_init (what Cython makes of a
 * class with __cinit__ only).  CPython's object.__init__ accepts extra
 * arguments when the type overrides tp_new and inherits tp_init, so
 * obj.__init__(2, 15) is a no-op (quicktions' testImmutable). */
#include <Python.h>

typedef struct { PyObject_HEAD long v; } TObject;

static PyObject *T_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    TObject *self = (TObject *)type->tp_alloc(type, 0);
    if (self) self->v = PyTuple_GET_SIZE(args);
    return (PyObject *)self;
}

static PyTypeObject T_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "objinit_ext.T",
    .tp_basicsize = sizeof(TObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = T_new,
};

static PyMethodDef methods[] = {
    {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "objinit_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_objinit_ext(void)
{
    if (PyType_Ready(&T_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    Py_INCREF(&T_Type);
    PyModule_AddObject(m, "T", (PyObject *)&T_Type);
    return m;
}
