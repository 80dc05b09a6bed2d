/* What Python sees of C's state: sys.getrefcount counts references C
 * holds; a type's instance dict at tp_dictoffset is the dict Python's
 * attributes live in (set through a static tp_dictoffset, and through a
 * "__dictoffset__" member of a PyType_Spec, as wrapt does); sys.getsizeof
 * and __sizeof__ report the struct; tp_hash = PyObject_HashNotImplemented
 * makes a type unhashable. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static PyObject *held[8];

static PyObject *
hold(PyObject *module, PyObject *args)
{
    PyObject *o;
    int slot;
    if (!PyArg_ParseTuple(args, "iO", &slot, &o))
        return NULL;
    if (slot < 0 || slot >= 8) {
        PyErr_SetString(PyExc_IndexError, "slot");
        return NULL;
    }
    Py_INCREF(o);
    Py_XSETREF(held[slot], o);
    Py_RETURN_NONE;
}

static PyObject *
release(PyObject *module, PyObject *arg)
{
    long slot = PyLong_AsLong(arg);
    if (slot < 0 || slot >= 8) {
        PyErr_SetString(PyExc_IndexError, "slot");
        return NULL;
    }
    Py_CLEAR(held[slot]);
    Py_RETURN_NONE;
}

/* --- a static type with a dict field ----------------------------------- */
typedef struct {
    PyObject_HEAD
    PyObject *dict;
    int number;
} Bag;

static void
Bag_dealloc(Bag *self)
{
    Py_CLEAR(self->dict);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Bag_own_dict(Bag *self, PyObject *unused)
{
    /* The struct's dict, made lazily as wrapt's __self_dict__ does. */
    if (self->dict == NULL && (self->dict = PyDict_New()) == NULL)
        return NULL;
    return Py_NewRef(self->dict);
}

static PyObject *
Bag_put(Bag *self, PyObject *args)
{
    PyObject *key, *value;
    if (!PyArg_ParseTuple(args, "OO", &key, &value))
        return NULL;
    if (self->dict == NULL && (self->dict = PyDict_New()) == NULL)
        return NULL;
    if (PyDict_SetItem(self->dict, key, value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
Bag_dict_ptr_matches(Bag *self, PyObject *unused)
{
    PyObject **ptr = _PyObject_GetDictPtr((PyObject *)self);
    return PyBool_FromLong(ptr != NULL && *ptr == self->dict);
}

static PyMethodDef Bag_methods[] = {
    {"own_dict", (PyCFunction)Bag_own_dict, METH_NOARGS, NULL},
    {"put", (PyCFunction)Bag_put, METH_VARARGS, NULL},
    {"dict_ptr_matches", (PyCFunction)Bag_dict_ptr_matches, METH_NOARGS, NULL},
    {NULL},
};

static PyGetSetDef Bag_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL},
};

static PyMemberDef Bag_members[] = {
    {"number", T_INT, offsetof(Bag, number), 0, NULL},
    {NULL},
};

static PyTypeObject BagType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "refdict_ext.Bag",
    .tp_basicsize = sizeof(Bag),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_dictoffset = offsetof(Bag, dict),
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)Bag_dealloc,
    .tp_methods = Bag_methods,
    .tp_members = Bag_members,
    .tp_getset = Bag_getset,
};

/* --- the same, with a tp_new that makes the dict itself (as wrapt does) ---- */
static PyObject *
OwnDictBag_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Bag *self = (Bag *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    /* tp_alloc leaves the field NULL, so this does not leak. */
    if (self->dict != NULL) {
        PyErr_SetString(PyExc_AssertionError, "tp_alloc left a dict");
        Py_DECREF(self);
        return NULL;
    }
    self->dict = Py_BuildValue("{s:i}", "made_in_new", 1);
    if (self->dict == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static PyTypeObject OwnDictBagType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "refdict_ext.OwnDictBag",
    .tp_basicsize = sizeof(Bag),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_dictoffset = offsetof(Bag, dict),
    .tp_new = OwnDictBag_new,
    .tp_dealloc = (destructor)Bag_dealloc,
    .tp_methods = Bag_methods,
    .tp_members = Bag_members,
    .tp_getset = Bag_getset,
};

/* --- the same through a spec, the offset given as a member ---------------- */
static PyMemberDef SpecBag_members[] = {
    {"__dictoffset__", T_PYSSIZET, offsetof(Bag, dict), READONLY, NULL},
    {"number", T_INT, offsetof(Bag, number), 0, NULL},
    {NULL},
};

static PyType_Slot SpecBag_slots[] = {
    {Py_tp_dealloc, Bag_dealloc},
    {Py_tp_methods, Bag_methods},
    {Py_tp_members, SpecBag_members},
    {Py_tp_getset, Bag_getset},
    {Py_tp_new, PyType_GenericNew},
    {0, NULL},
};

static PyType_Spec SpecBag_spec = {
    "refdict_ext.SpecBag", sizeof(Bag), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, SpecBag_slots,
};

/* --- an unhashable variable-size type -------------------------------------- */
typedef struct {
    PyObject_VAR_HEAD
    char bits[1];
} Bits;

static PyObject *
Bits_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Py_ssize_t n = 0;
    if (!PyArg_ParseTuple(args, "|n", &n))
        return NULL;
    return type->tp_alloc(type, n);
}

static PyObject *
Bits_sizeof(PyObject *self, PyObject *unused)
{
    /* Counts a (pretend) separate buffer, as bitarray's does. */
    return PyLong_FromSsize_t(Py_TYPE(self)->tp_basicsize + Py_SIZE(self) + 1000);
}

static PyMethodDef Bits_methods[] = {
    {"__sizeof__", Bits_sizeof, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject BitsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "refdict_ext.Bits",
    .tp_basicsize = offsetof(Bits, bits),
    .tp_itemsize = 1,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Bits_new,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_methods = Bits_methods,
};

static PyMethodDef module_methods[] = {
    {"hold", hold, METH_VARARGS, NULL},
    {"release", release, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "refdict_ext", NULL, -1, module_methods,
};

PyMODINIT_FUNC
PyInit_refdict_ext(void)
{
    if (PyType_Ready(&BagType) < 0 || PyType_Ready(&BitsType) < 0 || PyType_Ready(&OwnDictBagType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    PyObject *spec_bag = PyType_FromSpec(&SpecBag_spec);
    if (spec_bag == NULL || PyModule_AddObjectRef(m, "Bag", (PyObject *)&BagType) < 0 ||
        PyModule_AddObject(m, "SpecBag", spec_bag) < 0 ||
        PyModule_AddObjectRef(m, "Bits", (PyObject *)&BitsType) < 0 ||
        PyModule_AddObjectRef(m, "OwnDictBag", (PyObject *)&OwnDictBagType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
