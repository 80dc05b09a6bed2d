/* An object header embedded inside another object's struct (guppy3's
 * NyMutBitSetObject.fst_root): Py_REFCNT of it must read its ob_refcnt. */
#include <Python.h>

typedef struct {
    PyObject_HEAD
    Py_ssize_t pad[6];        /* data that happens to look like pointers */
    PyVarObject embedded;     /* a pseudo-object living inside this one */
} Outer;

static PyObject *
outer_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
    Outer *self = (Outer *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    for (int i = 0; i < 6; i++)
        self->pad[i] = (Py_ssize_t)0x100 + i;   /* not NULL, not a valid pointer */
    Py_SET_REFCNT(&self->embedded, 1);
    Py_SET_SIZE(&self->embedded, 0);
    return (PyObject *)self;
}

static PyObject *
outer_refcnt(Outer *self, PyObject *unused)
{
    return PyLong_FromSsize_t(Py_REFCNT(&self->embedded));
}

static PyObject *
outer_incdec(Outer *self, PyObject *unused)
{
    /* guppy also Py_INCREF/Py_DECREFs it while it is shared */
    Py_INCREF(&self->embedded);
    Py_ssize_t two = Py_REFCNT(&self->embedded);
    Py_DECREF(&self->embedded);
    return Py_BuildValue("nn", two, Py_REFCNT(&self->embedded));
}

static PyMethodDef outer_methods[] = {
    {"refcnt", (PyCFunction)outer_refcnt, METH_NOARGS, NULL},
    {"incdec", (PyCFunction)outer_incdec, METH_NOARGS, NULL},
    {NULL}
};

static PyTypeObject Outer_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "embeddedobj_ext.Outer",
    .tp_basicsize = sizeof(Outer),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = outer_new,
    .tp_methods = outer_methods,
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "embeddedobj_ext", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_embeddedobj_ext(void)
{
    if (PyType_Ready(&Outer_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    Py_INCREF(&Outer_Type);
    PyModule_AddObject(m, "Outer", (PyObject *)&Outer_Type);
    return m;
}
