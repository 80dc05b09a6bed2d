/* Two C types, Derived(Base) with the same instance size and each its own
 * tp_new (as Cython makes for cdef classes with __cinit__: mpi4py's Comm and
 * Intracomm).  A Python class PB(Base) defining __new__ and a class
 * PD(PB, Derived): CPython's best_base gives PD.__base__ == PB (Derived adds no
 * fields, so its solid base is Base), and Base.__new__(PD) is accepted
 * (tp_new_wrapper walks tp_base past slot_tp_new types to Base).
 * Base has a weak-reference list whose tp_weaklistoffset is set after
 * PyType_Ready, as Cython 3 does for `cdef object __weakref__`; Derived,
 * readied later, inherits it. */
#include <Python.h>
#include <stddef.h>

typedef struct { PyObject_HEAD long value; PyObject *weakreflist; } BaseObject;

static PyObject *base_new(PyTypeObject *t, PyObject *a, PyObject *k)
{
    BaseObject *self = (BaseObject *)t->tp_alloc(t, 0);
    if (self) self->value = 1;
    return (PyObject *)self;
}
static PyObject *derived_new(PyTypeObject *t, PyObject *a, PyObject *k)
{
    BaseObject *self = (BaseObject *)base_new(t, a, k);
    if (self) self->value = 2;
    return (PyObject *)self;
}
static PyObject *get_value(PyObject *self, void *c) { return PyLong_FromLong(((BaseObject *)self)->value); }
static PyGetSetDef getset[] = {{"value", get_value, NULL, NULL, NULL}, {NULL}};

static PyTypeObject BaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "newsafe_ext.Base", .tp_basicsize = sizeof(BaseObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = base_new, .tp_getset = getset,
};
static PyTypeObject DerivedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "newsafe_ext.Derived", .tp_basicsize = sizeof(BaseObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_new = derived_new,
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "newsafe_ext", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_newsafe_ext(void)
{
    DerivedType.tp_base = &BaseType;
    if (PyType_Ready(&BaseType) < 0) return NULL;
    /* Cython: if (type->tp_weaklistoffset == 0) type->tp_weaklistoffset = offsetof(...); after PyType_Ready */
    if (BaseType.tp_weaklistoffset == 0) BaseType.tp_weaklistoffset = offsetof(BaseObject, weakreflist);
    if (PyType_Ready(&DerivedType) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    Py_INCREF(&BaseType); PyModule_AddObject(m, "Base", (PyObject *)&BaseType);
    Py_INCREF(&DerivedType); PyModule_AddObject(m, "Derived", (PyObject *)&DerivedType);
    return m;
}
