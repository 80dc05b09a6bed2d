/* registry: a multi-phase module with heap types and module state. Each
 * Registry records entries; the module counts entries across registries in
 * its state, which methods reach through their defining class. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    long total_entries;
} registry_state;

typedef struct {
    PyObject_HEAD
    PyObject *entries; /* a dict */
} Registry;

static PyObject *
Registry_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Registry *self = (Registry *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->entries = PyDict_New();
    if (self->entries == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static void
Registry_dealloc(Registry *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    Py_XDECREF(self->entries);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *
Registry_add(PyObject *self, PyTypeObject *defining_class, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (nargs != 2 || kwnames != NULL) {
        PyErr_SetString(PyExc_TypeError, "add(name, value)");
        return NULL;
    }
    if (PyDict_SetItem(((Registry *)self)->entries, args[0], args[1]) < 0)
        return NULL;
    registry_state *state = PyType_GetModuleState(defining_class);
    state->total_entries++;
    Py_RETURN_NONE;
}

static Py_ssize_t
Registry_len(Registry *self)
{
    return PyDict_Size(self->entries);
}

static PyObject *
Registry_getitem(Registry *self, PyObject *key)
{
    PyObject *v = PyDict_GetItemWithError(self->entries, key);
    if (v == NULL && !PyErr_Occurred())
        PyErr_SetObject(PyExc_KeyError, key);
    return Py_XNewRef(v);
}

static PyMethodDef Registry_methods[] = {
    {"add", (PyCFunction)(void (*)(void))Registry_add, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, "add(name, value)"},
    {NULL},
};

static PyType_Slot Registry_slots[] = {
    {Py_tp_doc, "A name -> value registry."},
    {Py_tp_new, Registry_new},
    {Py_tp_dealloc, Registry_dealloc},
    {Py_tp_methods, Registry_methods},
    {Py_mp_length, Registry_len},
    {Py_mp_subscript, Registry_getitem},
    {0, NULL},
};

static PyType_Spec Registry_spec = {
    .name = "registry.Registry",
    .basicsize = sizeof(Registry),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = Registry_slots,
};

static PyObject *
total_entries(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(((registry_state *)PyModule_GetState(module))->total_entries);
}

static int
registry_exec(PyObject *module)
{
    PyObject *type = PyType_FromModuleAndSpec(module, &Registry_spec, NULL);
    if (type == NULL)
        return -1;
    int r = PyModule_AddObjectRef(module, "Registry", type);
    Py_DECREF(type);
    return r;
}

static PyMethodDef registry_methods[] = {
    {"total_entries", total_entries, METH_NOARGS, "entries added to all registries"},
    {NULL},
};

static PyModuleDef_Slot registry_slots[] = {
    {Py_mod_exec, registry_exec},
    {0, NULL},
};

static struct PyModuleDef registry_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "registry",
    .m_doc = "Heap types and module state.",
    .m_size = sizeof(registry_state),
    .m_methods = registry_methods,
    .m_slots = registry_slots,
};

PyMODINIT_FUNC
PyInit_registry(void)
{
    return PyModuleDef_Init(&registry_module);
}
