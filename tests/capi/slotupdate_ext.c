/* A class's slots after Python changes the class: a heap type that C
 * readied without a tp_init gets an `__init__` from Python later (as
 * @dataclass does to mypyc's native classes), and C then calls the type's
 * tp_init itself, as mypyc's constructors do. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
    PyObject *value;   /* NULL until something sets it */
} Holder;

static PyObject *
Holder_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    /* Takes (and ignores) any arguments, as mypyc's tp_new does. */
    return type->tp_alloc(type, 0);
}

static int
Holder_traverse(Holder *self, visitproc visit, void *arg)
{
    Py_VISIT(self->value);
    Py_VISIT(Py_TYPE(self));
    return 0;
}

static int
Holder_clear(Holder *self)
{
    Py_CLEAR(self->value);
    return 0;
}

static void
Holder_dealloc(Holder *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    PyObject_GC_UnTrack(self);
    Holder_clear(self);
    tp->tp_free((PyObject *)self);
    Py_DECREF(tp);
}

static PyObject *
Holder_get_value(Holder *self, void *closure)
{
    if (self->value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "attribute 'value' of 'Holder' undefined");
        return NULL;
    }
    return Py_NewRef(self->value);
}

static int
Holder_set_value(Holder *self, PyObject *value, void *closure)
{
    Py_XSETREF(self->value, Py_XNewRef(value));
    return 0;
}

static PyGetSetDef Holder_getset[] = {
    {"value", (getter)Holder_get_value, (setter)Holder_set_value, NULL, NULL},
    {NULL},
};

static PyType_Slot Holder_slots[] = {
    {Py_tp_new, Holder_new},
    {Py_tp_dealloc, Holder_dealloc},
    {Py_tp_traverse, Holder_traverse},
    {Py_tp_clear, Holder_clear},
    {Py_tp_getset, Holder_getset},
    {0, NULL},
};

static PyType_Spec Holder_spec = {
    .name = "slotupdate_ext.Holder",
    .basicsize = sizeof(Holder),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .slots = Holder_slots,
};

/* A type with a tp_init of its own that ends with object's, as C types'
 * initialisers do: that super-call must stay object's, whatever `__init__`
 * the instance's class has. */
static long own_init_calls = 0;

static int
Owner_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    own_init_calls++;
    PyObject *empty = PyTuple_New(0);
    if (empty == NULL)
        return -1;
    int status = PyBaseObject_Type.tp_init(self, empty, NULL);
    Py_DECREF(empty);
    return status;
}

static PyType_Slot Owner_slots[] = {
    {Py_tp_init, Owner_init},
    {0, NULL},
};

static PyType_Spec Owner_spec = {
    .name = "slotupdate_ext.Owner",
    .basicsize = sizeof(Holder),
    .flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .slots = Owner_slots,
};

/* construct(type, args, kwargs): tp_new, then the type's own tp_init. */
static PyObject *
construct(PyObject *module, PyObject *args)
{
    PyTypeObject *type;
    PyObject *call_args, *kwargs;
    if (!PyArg_ParseTuple(args, "O!O!O", &PyType_Type, &type, &PyTuple_Type, &call_args, &kwargs))
        return NULL;
    if (kwargs == Py_None)
        kwargs = NULL;
    PyObject *self = type->tp_new(type, call_args, kwargs);
    if (self == NULL)
        return NULL;
    if (type->tp_init(self, call_args, kwargs) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

static PyObject *
init_calls(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(own_init_calls);
}

static PyMethodDef methods[] = {
    {"construct", construct, METH_VARARGS, NULL},
    {"init_calls", init_calls, METH_NOARGS, NULL},
    {NULL},
};

static int
exec_module(PyObject *module)
{
    PyObject *holder = PyType_FromSpec(&Holder_spec);
    if (holder == NULL || PyModule_AddObject(module, "Holder", holder) < 0) {
        Py_XDECREF(holder);
        return -1;
    }
    PyObject *owner = PyType_FromSpecWithBases(&Owner_spec, holder);
    if (owner == NULL || PyModule_AddObject(module, "Owner", owner) < 0) {
        Py_XDECREF(owner);
        return -1;
    }
    return 0;
}

static PyModuleDef_Slot module_slots[] = {
    {Py_mod_exec, exec_module},
    {0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "slotupdate_ext", NULL, 0, methods, module_slots,
};

PyMODINIT_FUNC
PyInit_slotupdate_ext(void)
{
    return PyModuleDef_Init(&moduledef);
}
