/* A metatype made from a spec with `type` as its base, as protobuf's upb
 * makes its MessageMeta: its slots are taken from a throw-away heap subtype
 * of `type` with PyType_GetSlot, it delegates attribute lookup to type's
 * tp_getattro and falls back to attributes computed on demand, and its
 * classes are made with PyType_Type.tp_new. Also a getter that returns NULL
 * without an exception to mean "no such attribute". */
#include <Python.h>

static getattrofunc type_getattro;
static setattrofunc type_setattro;
static ternaryfunc type_call;
static newfunc type_new;
static PyObject *dynamic_hits;

static PyObject *
meta_getattro(PyObject *cls, PyObject *name)
{
    PyObject *found = type_getattro(cls, name);
    if (found != NULL || !PyErr_ExceptionMatches(PyExc_AttributeError))
        return found;
    PyErr_Clear();
    if (PyUnicode_CompareWithASCIIString(name, "computed") != 0) {
        PyErr_SetObject(PyExc_AttributeError, name);
        return NULL;
    }
    /* Computed once, then cached in the class as an ordinary attribute. */
    PyObject *value = PyUnicode_FromFormat("computed for %s", ((PyTypeObject *)cls)->tp_name);
    if (value == NULL || PyObject_SetAttr(cls, name, value) < 0) {
        Py_XDECREF(value);
        return NULL;
    }
    if (PyList_Append(dynamic_hits, name) < 0) {
        Py_DECREF(value);
        return NULL;
    }
    return value;
}

/* Records the names set on its classes, then sets them as type does. */
static PyObject *set_log;

static int
meta_setattro(PyObject *cls, PyObject *name, PyObject *value)
{
    PyObject *entry = Py_BuildValue("(sOO)", ((PyTypeObject *)cls)->tp_name, name, value ? Py_True : Py_False);
    if (entry == NULL || PyList_Append(set_log, entry) < 0) {
        Py_XDECREF(entry);
        return -1;
    }
    Py_DECREF(entry);
    return type_setattro(cls, name, value);
}

static PyType_Slot meta_slots[] = {
    {Py_tp_getattro, meta_getattro},
    {Py_tp_setattro, meta_setattro},
    {0, NULL},
};
static PyType_Spec meta_spec = {"specmeta_ext.Meta", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, meta_slots};

static PyObject *
from_string(PyObject *cls, PyObject *arg)
{
    return Py_BuildValue("(sO)", ((PyTypeObject *)cls)->tp_name, arg);
}

static PyObject *
maybe_get(PyObject *self, void *closure)
{
    (void)closure;
    PyObject *dict = PyObject_GenericGetDict(self, NULL);
    if (dict == NULL)
        return NULL;
    PyObject *value = PyDict_GetItemString(dict, "stored");
    Py_XINCREF(value);
    Py_DECREF(dict);
    return value; /* NULL without an exception: absent */
}

static PyMethodDef base_methods[] = {
    {"FromString", from_string, METH_O | METH_CLASS, "make from a string"},
    {NULL, NULL, 0, NULL},
};
static PyGetSetDef base_getset[] = {
    {"maybe", maybe_get, NULL, "present only once stored", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};
static PyType_Slot base_slots[] = {
    {Py_tp_methods, base_methods},
    {Py_tp_getset, base_getset},
    {0, NULL},
};
static PyType_Spec base_spec = {"specmeta_ext.Base", 0, 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, base_slots};

/* make(name, bases, dict): a class of Meta, made by type's own tp_new. */
static PyObject *
make(PyObject *module, PyObject *args)
{
    PyObject *meta = PyObject_GetAttrString(module, "Meta");
    if (meta == NULL)
        return NULL;
    PyObject *cls = type_new((PyTypeObject *)meta, args, NULL);
    Py_DECREF(meta);
    return cls;
}

/* Calls and sets through the slots taken from the throw-away subtype. */
static PyObject *
call_via_type(PyObject *module, PyObject *cls)
{
    (void)module;
    PyObject *empty = PyTuple_New(0);
    if (empty == NULL)
        return NULL;
    PyObject *r = type_call(cls, empty, NULL);
    Py_DECREF(empty);
    return r;
}

static PyObject *
set_via_type(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *cls, *name, *value;
    if (!PyArg_ParseTuple(args, "OUO", &cls, &name, &value))
        return NULL;
    if (type_setattro(cls, name, value) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"make", make, METH_VARARGS, NULL},
    {"call_via_type", call_via_type, METH_O, NULL},
    {"set_via_type", set_via_type, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "specmeta_ext", NULL, -1, module_methods};

PyMODINIT_FUNC
PyInit_specmeta_ext(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    PyObject *bases = Py_BuildValue("(O)", &PyType_Type);
    PyType_Slot no_slots[] = {{0, NULL}};
    PyType_Spec probe_spec = {"specmeta_ext.Probe", 0, 0, Py_TPFLAGS_DEFAULT, no_slots};
    PyObject *probe = PyType_FromSpecWithBases(&probe_spec, bases);
    if (probe == NULL)
        return NULL;
    type_getattro = (getattrofunc)PyType_GetSlot((PyTypeObject *)probe, Py_tp_getattro);
    type_setattro = (setattrofunc)PyType_GetSlot((PyTypeObject *)probe, Py_tp_setattro);
    type_call = (ternaryfunc)PyType_GetSlot((PyTypeObject *)probe, Py_tp_call);
    type_new = (newfunc)PyType_GetSlot((PyTypeObject *)probe, Py_tp_new);
    PyObject *same = Py_BuildValue("(iiii)", type_getattro == PyType_Type.tp_getattro,
                                   type_setattro == PyType_Type.tp_setattro, type_call == PyType_Type.tp_call,
                                   type_new == PyType_Type.tp_new);
    PyModule_AddObject(m, "probe_slots_are_types", same);
    PyObject *basicsize = PyObject_GetAttrString(probe, "__basicsize__");
    PyModule_AddObject(m, "probe_basicsize_is_heaptype",
                       PyBool_FromLong(PyLong_AsSsize_t(basicsize) == (Py_ssize_t)sizeof(PyHeapTypeObject)));
    Py_DECREF(basicsize);
    Py_DECREF(probe);
    meta_spec.basicsize = (int)sizeof(PyHeapTypeObject) + (int)sizeof(void *);
    PyObject *meta = PyType_FromSpecWithBases(&meta_spec, bases);
    Py_DECREF(bases);
    if (meta == NULL)
        return NULL;
    PyModule_AddObject(m, "Meta", meta);
    PyModule_AddObject(m, "Base", PyType_FromSpec(&base_spec));
    set_log = PyList_New(0);
    Py_INCREF(set_log);
    PyModule_AddObject(m, "set_log", set_log);
    dynamic_hits = PyList_New(0);
    Py_INCREF(dynamic_hits);
    PyModule_AddObject(m, "dynamic_hits", dynamic_hits);
    return m;
}
