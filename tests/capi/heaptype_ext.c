/* Heap types from PyType_Spec in a multi-phase module with module state. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject *Counter;   /* the heap type */
    PyObject *Special;   /* a subclass made from another spec */
    long created;        /* instances made so far */
} module_state;

typedef struct {
    PyObject_HEAD
    long value;
    PyObject *tag;
} Counter;

static struct PyModuleDef heaptype_def;

static PyObject *
Counter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Counter *self = (Counter *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    PyObject *module = PyType_GetModuleByDef(type, &heaptype_def);
    if (module == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    ((module_state *)PyModule_GetState(module))->created++;
    self->value = PyTuple_GET_SIZE(args) ? PyLong_AsLong(PyTuple_GET_ITEM(args, 0)) : 0;
    self->tag = Py_NewRef(Py_None);
    return (PyObject *)self;
}

static void
Counter_dealloc(Counter *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    Py_XDECREF(self->tag);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp); /* instances of heap types hold their type */
}

static PyObject *
Counter_repr(Counter *self)
{
    PyObject *v = PyLong_FromLong(self->value);
    PyObject *s = PyObject_Str(v);
    PyObject *p = PyUnicode_FromString("Counter:");
    PyObject *r = PyUnicode_Concat(p, s);
    Py_DECREF(v); Py_DECREF(s); Py_DECREF(p);
    return r;
}

static PyObject *
Counter_add(PyObject *a, PyObject *b)
{
    if (!PyLong_Check(b))
        Py_RETURN_NOTIMPLEMENTED;
    return PyLong_FromLong(((Counter *)a)->value + PyLong_AsLong(b));
}

static Py_ssize_t
Counter_len(Counter *self)
{
    return self->value;
}

static PyObject *
Counter_getitem(Counter *self, PyObject *key)
{
    return PyTuple_Pack(2, key, self->tag);
}

/* METH_METHOD: reaches module state through the defining class. */
static PyObject *
Counter_created(PyObject *self, PyTypeObject *defining_class, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    module_state *state = PyType_GetModuleState(defining_class);
    if (state == NULL)
        return NULL;
    return PyTuple_Pack(3, PyLong_FromLong(state->created), PyLong_FromSsize_t(nargs),
                        kwnames ? kwnames : Py_None);
}

static PyObject *
Counter_increment(Counter *self, PyObject *unused)
{
    self->value++;
    return PyLong_FromLong(self->value);
}

static PyMethodDef Counter_methods[] = {
    {"created", (PyCFunction)(void (*)(void))Counter_created, METH_METHOD | METH_FASTCALL | METH_KEYWORDS, "instances made"},
    {"increment", (PyCFunction)Counter_increment, METH_NOARGS, NULL},
    {NULL},
};

static PyMemberDef Counter_members[] = {
    {"value", T_LONG, offsetof(Counter, value), 0, "the value"},
    {"tag", T_OBJECT, offsetof(Counter, tag), 0, NULL},
    {NULL},
};

static PyObject *
Counter_get_double(Counter *self, void *closure)
{
    return PyLong_FromLong(self->value * 2);
}

static PyGetSetDef Counter_getset[] = {
    {"double", (getter)Counter_get_double, NULL, "twice the value", NULL},
    {NULL},
};

static PyType_Slot Counter_slots[] = {
    {Py_tp_doc, "A counter made from a spec."},
    {Py_tp_new, Counter_new},
    {Py_tp_dealloc, Counter_dealloc},
    {Py_tp_repr, Counter_repr},
    {Py_tp_methods, Counter_methods},
    {Py_tp_members, Counter_members},
    {Py_tp_getset, Counter_getset},
    {Py_nb_add, Counter_add},
    {Py_sq_length, Counter_len},
    {Py_mp_subscript, Counter_getitem},
    {0, NULL},
};

static PyType_Spec Counter_spec = {
    .name = "heaptype_ext.Counter",
    .basicsize = sizeof(Counter),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = Counter_slots,
};

static PyObject *
Special_repr(Counter *self)
{
    return PyUnicode_FromString("special");
}

static PyType_Slot Special_slots[] = {
    {Py_tp_repr, Special_repr},
    {0, NULL},
};

static PyType_Spec Special_spec = {
    .name = "heaptype_ext.Special",
    .basicsize = sizeof(Counter),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = Special_slots,
};

/* No tp_new (a heap type gets object's), and a member named __name__, as
 * zope.interface's InterfaceBase has. */
typedef struct {
    PyObject_HEAD
    PyObject *name;
} Named;

static PyMemberDef Named_members[] = {
    {"__name__", T_OBJECT, offsetof(Named, name), 0, NULL},
    {NULL},
};

static void
Named_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    Py_XDECREF(((Named *)self)->name);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyType_Slot Named_slots[] = {
    {Py_tp_members, Named_members},
    {Py_tp_dealloc, Named_dealloc},
    {0, NULL},
};

static PyType_Spec Named_spec = {
    .name = "heaptype_ext.Named",
    .basicsize = sizeof(Named),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = Named_slots,
};

/* A type only C makes instances of (multidict's views): no tp_new. */
static PyType_Spec Internal_spec = {
    .name = "heaptype_ext.Internal",
    .basicsize = sizeof(Named),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_DISALLOW_INSTANTIATION,
    .slots = Named_slots,
};

static PyObject *
type_facts(PyObject *module, PyObject *cls)
{
    PyTypeObject *tp = (PyTypeObject *)cls;
    module_state *state = PyModule_GetState(module);
    PyObject *by_def = PyType_GetModuleByDef(tp, &heaptype_def);
    if (by_def == NULL)
        return NULL;
    return PyTuple_Pack(6,
        PyBool_FromLong(PyType_HasFeature(tp, Py_TPFLAGS_HEAPTYPE)),
        PyBool_FromLong(PyType_GetModule((PyTypeObject *)state->Counter) == module),
        PyBool_FromLong(by_def == module),
        PyBool_FromLong(PyType_GetSlot(tp, Py_tp_repr) == (void *)Counter_repr),
        PyBool_FromLong(PyType_GetSlot(tp, Py_nb_add) == (void *)Counter_add),
        PyBool_FromLong(PyType_GetSlot(tp, Py_nb_subtract) == NULL));
}

static PyObject *
no_module(PyObject *module, PyObject *cls)
{
    PyObject *m = PyType_GetModule((PyTypeObject *)cls);
    return Py_XNewRef(m);
}

static PyObject *
created(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(((module_state *)PyModule_GetState(module))->created);
}

static int
heaptype_exec(PyObject *module)
{
    module_state *state = PyModule_GetState(module);
    state->Counter = PyType_FromModuleAndSpec(module, &Counter_spec, NULL);
    if (state->Counter == NULL)
        return -1;
    state->Special = PyType_FromModuleAndSpec(module, &Special_spec, state->Counter);
    if (state->Special == NULL)
        return -1;
    PyObject *named = PyType_FromModuleAndSpec(module, &Named_spec, NULL);
    if (named == NULL || PyModule_AddObject(module, "Named", named) < 0) {
        Py_XDECREF(named);
        return -1;
    }
    PyObject *internal = PyType_FromModuleAndSpec(module, &Internal_spec, NULL);
    if (internal == NULL || PyModule_AddObject(module, "Internal", internal) < 0) {
        Py_XDECREF(internal);
        return -1;
    }
    if (PyModule_AddObjectRef(module, "Counter", state->Counter) < 0 ||
        PyModule_AddObjectRef(module, "Special", state->Special) < 0)
        return -1;
    return 0;
}

static PyMethodDef module_methods[] = {
    {"type_facts", type_facts, METH_O, NULL},
    {"no_module", no_module, METH_O, NULL},
    {"created", created, METH_NOARGS, NULL},
    {NULL},
};

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, heaptype_exec},
    {0, NULL},
};

static struct PyModuleDef heaptype_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "heaptype_ext",
    .m_size = sizeof(module_state),
    .m_methods = module_methods,
    .m_slots = module_slots,
};

PyMODINIT_FUNC
PyInit_heaptype_ext(void)
{
    return PyModuleDef_Init(&heaptype_def);
}
