/* A type whose every kind of entry point drives a refcount below zero, so
 * that each fatal error must name the entry point that did it. */
#include <Python.h>

typedef struct {
    PyObject_HEAD
    int drop_in_dealloc;
    int drop_in_finalize;
} CulpritObject;

/* One Py_DECREF too many on a fresh object. */
static void
decref_too_often(void)
{
    PyObject *o = PyLong_FromLong(987654321);
    if (o == NULL)
        return;
    Py_DECREF(o);
    Py_DECREF(o);
}

static PyObject *
culprit_repr(PyObject *self)
{
    (void)self;
    decref_too_often();
    return PyUnicode_FromString("never");
}

static PyObject *
culprit_add(PyObject *a, PyObject *b)
{
    (void)a;
    (void)b;
    decref_too_often();
    Py_RETURN_NONE;
}

static PyObject *
culprit_get_value(PyObject *self, void *closure)
{
    (void)self;
    (void)closure;
    decref_too_often();
    Py_RETURN_NONE;
}

static PyObject *
culprit_arm(PyObject *self, PyObject *which)
{
    CulpritObject *c = (CulpritObject *)self;
    const char *name = PyUnicode_AsUTF8(which);
    if (name == NULL)
        return NULL;
    c->drop_in_dealloc = strcmp(name, "dealloc") == 0;
    c->drop_in_finalize = strcmp(name, "finalize") == 0;
    Py_RETURN_NONE;
}

static void
culprit_finalize(PyObject *self)
{
    if (((CulpritObject *)self)->drop_in_finalize)
        decref_too_often();
}

static void
culprit_dealloc(PyObject *self)
{
    if (PyObject_CallFinalizerFromDealloc(self) < 0)
        return;
    if (((CulpritObject *)self)->drop_in_dealloc)
        decref_too_often();
    Py_TYPE(self)->tp_free(self);
}

static PyGetSetDef culprit_getset[] = {
    {"value", culprit_get_value, NULL, NULL, NULL},
    {NULL}
};

static PyMethodDef culprit_methods[] = {
    {"arm", culprit_arm, METH_O, NULL},
    {NULL}
};

static PyNumberMethods culprit_as_number = {
    .nb_add = culprit_add,
};

static PyTypeObject CulpritType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "bad_slots.Culprit",
    .tp_basicsize = sizeof(CulpritObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_repr = culprit_repr,
    .tp_as_number = &culprit_as_number,
    .tp_getset = culprit_getset,
    .tp_methods = culprit_methods,
    .tp_finalize = culprit_finalize,
    .tp_dealloc = culprit_dealloc,
};

static int
bad_slots_exec(PyObject *module)
{
    if (PyType_Ready(&CulpritType) < 0)
        return -1;
    Py_INCREF(&CulpritType);
    if (PyModule_AddObject(module, "Culprit", (PyObject *)&CulpritType) < 0) {
        Py_DECREF(&CulpritType);
        return -1;
    }
    if (getenv("BAD_SLOTS_IN_EXEC") != NULL)
        decref_too_often();
    return 0;
}

static PyModuleDef_Slot bad_slots_slots[] = {
    {Py_mod_exec, bad_slots_exec},
    {0, NULL}
};

static struct PyModuleDef bad_slots_module = {
    PyModuleDef_HEAD_INIT, "bad_slots", NULL, 0, NULL, bad_slots_slots,
};

PyMODINIT_FUNC
PyInit_bad_slots(void)
{
    return PyModuleDef_Init(&bad_slots_module);
}
