/* A metaclass written in C (a PyHeapTypeObject with fields of its own), its
   tp_new going through PyType_Type.tp_new; and a statically allocated
   singleton instance of a C type, as msgspec's NODEFAULT. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyHeapTypeObject base;
    PyObject *field_names;   /* set by the metaclass */
    Py_ssize_t created;      /* a plain C field */
} MetaObject;

static PyTypeObject MetaType;
static Py_ssize_t classes_made = 0;

static PyObject *
meta_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *name, *bases, *ns;
    if (!PyArg_ParseTuple(args, "UO!O!:Meta", &name, &PyTuple_Type, &bases, &PyDict_Type, &ns))
        return NULL;
    PyObject *annotations = PyDict_GetItemString(ns, "__annotations__");
    PyObject *names = annotations ? PySequence_Tuple(annotations) : PyTuple_New(0);
    if (names == NULL)
        return NULL;
    PyObject *cls = PyType_Type.tp_new(type, args, NULL);
    if (cls == NULL) {
        Py_DECREF(names);
        return NULL;
    }
    MetaObject *m = (MetaObject *)cls;
    m->field_names = names;
    m->created = ++classes_made;
    return cls;
}

static PyObject *
meta_describe(PyObject *cls, PyObject *unused)
{
    MetaObject *m = (MetaObject *)cls;
    return Py_BuildValue("(sOn)", ((PyTypeObject *)cls)->tp_name, m->field_names, m->created);
}

static PyMethodDef meta_methods[] = {
    {"describe", meta_describe, METH_NOARGS, NULL},
    {NULL},
};

static PyMemberDef meta_members[] = {
    {"__field_names__", T_OBJECT_EX, offsetof(MetaObject, field_names), READONLY, NULL},
    {"__created__", T_PYSSIZET, offsetof(MetaObject, created), READONLY, NULL},
    {NULL},
};

static PyTypeObject MetaType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cmetaclass_ext.Meta",
    .tp_basicsize = sizeof(MetaObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TYPE_SUBCLASS,
    .tp_new = meta_new,
    .tp_methods = meta_methods,
    .tp_members = meta_members,
};

/* A metaclass that takes the instance dict away from the classes it makes
 * (tp_dictoffset cleared after PyType_Type.tp_new), as ExtensionClass does
 * for NoInstanceDictionaryBase's subclasses. */
static PyObject *
nodict_meta_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *cls = PyType_Type.tp_new(type, args, kwds);
    if (cls == NULL)
        return NULL;
    ((PyTypeObject *)cls)->tp_dictoffset = 0;
    ((PyTypeObject *)cls)->tp_flags &= ~Py_TPFLAGS_MANAGED_DICT;
    return cls;
}

static PyTypeObject NoDictMetaType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cmetaclass_ext.NoDictMeta",
    .tp_basicsize = sizeof(PyHeapTypeObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TYPE_SUBCLASS,
    .tp_new = nodict_meta_new,
};

/* The type flags C sees: (immutable, heap type). */
static PyObject *
type_flags(PyObject *self, PyObject *cls)
{
    unsigned long flags = PyType_GetFlags((PyTypeObject *)cls);
    return Py_BuildValue("(ii)", (flags & Py_TPFLAGS_IMMUTABLETYPE) != 0, (flags & Py_TPFLAGS_HEAPTYPE) != 0);
}

/* Heap types from a spec, immutable or not. */
static PyType_Slot spec_slots[] = {{0, NULL}};
static PyType_Spec mutable_spec = {"cmetaclass_ext.MutableSpec", sizeof(PyObject), 0,
                                   Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, spec_slots};
static PyType_Spec immutable_spec = {"cmetaclass_ext.ImmutableSpec", sizeof(PyObject), 0,
                                     Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE, spec_slots};

/* A singleton that lives in static storage, never allocated. */
static PyObject *
marker_repr(PyObject *self)
{
    return PyUnicode_FromString("MARKER");
}

static PyTypeObject MarkerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cmetaclass_ext.MarkerType",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_repr = marker_repr,
};

static PyObject Marker = {_PyObject_EXTRA_INIT 1, &MarkerType};

static PyObject *
get_marker(PyObject *self, PyObject *unused)
{
    Py_INCREF(&Marker);
    return &Marker;
}

static PyObject *
is_marker(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(o == &Marker);
}

/* A plain C base; Python subclasses with __slots__ put their slots in its
   struct, and C finds them through the class's member table, after the
   metaclass's part of the type object, as msgspec does. */
typedef struct {
    PyObject_HEAD
    long tag;
} RecordObject;

static PyTypeObject RecordType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cmetaclass_ext.Record",
    .tp_basicsize = sizeof(RecordObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

static PyObject *
member_table(PyObject *self, PyObject *cls)
{
    if (!PyType_Check(cls))
        return PyErr_Format(PyExc_TypeError, "not a class");
    PyMemberDef *mp = (PyMemberDef *)((char *)cls + Py_TYPE(cls)->tp_basicsize);
    PyObject *out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < Py_SIZE(cls); i++, mp++) {
        PyObject *entry = Py_BuildValue("(sni)", mp->name,
                                        mp->offset - (Py_ssize_t)sizeof(RecordObject), mp->type);
        if (entry == NULL || PyList_Append(out, entry) < 0)
            Py_CLEAR(out);
        Py_XDECREF(entry);
    }
    if (out == NULL)
        return NULL;
    return Py_BuildValue("(Nn)", out, ((PyTypeObject *)cls)->tp_basicsize - (Py_ssize_t)sizeof(RecordObject));
}

static PyObject *
read_at(PyObject *self, PyObject *args)
{
    PyObject *obj;
    Py_ssize_t offset;
    if (!PyArg_ParseTuple(args, "On", &obj, &offset))
        return NULL;
    PyObject *v = *(PyObject **)((char *)obj + offset);
    if (v == NULL)
        Py_RETURN_NONE;
    return Py_BuildValue("(O)", v);
}

static PyObject *
write_at(PyObject *self, PyObject *args)
{
    PyObject *obj, *value;
    Py_ssize_t offset;
    if (!PyArg_ParseTuple(args, "OnO", &obj, &offset, &value))
        return NULL;
    PyObject **at = (PyObject **)((char *)obj + offset);
    PyObject *old = *at;
    Py_INCREF(value);
    *at = value;
    Py_XDECREF(old);
    Py_RETURN_NONE;
}

/* A Python tuple subclass (a namedtuple) allocated with its tp_alloc and
   filled in place, as fast decoders do. */
static PyObject *
tuple_in_place(PyObject *self, PyObject *args)
{
    PyTypeObject *type;
    PyObject *first, *second;
    if (!PyArg_ParseTuple(args, "O!OO", &PyType_Type, &type, &first, &second))
        return NULL;
    PyObject *out = type->tp_alloc(type, 2);
    if (out == NULL)
        return NULL;
    Py_INCREF(first);
    Py_INCREF(second);
    PyTuple_SET_ITEM(out, 0, first);
    PyTuple_SET_ITEM(out, 1, second);
    return out;
}

/* set_before_ready(orig_bases): a type object from PyType_Type's tp_alloc
 * given an attribute with PyObject_SetAttrString before PyType_Ready, as
 * mypyc makes `class C(Generic[T])`: it goes into the type's dict. */
static PyObject *
set_before_ready(PyObject *self, PyObject *orig_bases)
{
    PyHeapTypeObject *ht = (PyHeapTypeObject *)PyType_Type.tp_alloc(&PyType_Type, 0);
    if (ht == NULL)
        return NULL;
    PyObject *name = PyUnicode_FromString("MadeEarly");
    if (name == NULL) {
        Py_DECREF(ht);
        return NULL;
    }
    ht->ht_type.tp_name = "MadeEarly";
    ht->ht_type.tp_basicsize = sizeof(PyObject);
    ht->ht_type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HEAPTYPE | Py_TPFLAGS_BASETYPE;
    Py_INCREF(&PyBaseObject_Type);
    ht->ht_type.tp_base = &PyBaseObject_Type;
    ht->ht_type.tp_bases = PyTuple_Pack(1, &PyBaseObject_Type);
    ht->ht_name = name;
    Py_INCREF(name);
    ht->ht_qualname = name;
    if (PyObject_SetAttrString((PyObject *)ht, "__orig_bases__", orig_bases) < 0)
        return NULL;
    if (PyType_Ready((PyTypeObject *)ht) < 0)
        return NULL;
    return (PyObject *)ht;
}

static PyMethodDef methods[] = {
    {"set_before_ready", set_before_ready, METH_O, NULL},
    {"tuple_in_place", tuple_in_place, METH_VARARGS, NULL},
    {"member_table", member_table, METH_O, NULL},
    {"read_at", read_at, METH_VARARGS, NULL},
    {"write_at", write_at, METH_VARARGS, NULL},
    {"get_marker", get_marker, METH_NOARGS, NULL},
    {"type_flags", type_flags, METH_O, NULL},
    {"is_marker", is_marker, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cmetaclass_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_cmetaclass_ext(void)
{
    MetaType.tp_base = &PyType_Type;
    NoDictMetaType.tp_base = &PyType_Type;
    if (PyType_Ready(&MetaType) < 0 || PyType_Ready(&MarkerType) < 0 || PyType_Ready(&RecordType) < 0 ||
        PyType_Ready(&NoDictMetaType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&RecordType);
    PyModule_AddObject(m, "Record", (PyObject *)&RecordType);
    Py_INCREF(&MetaType);
    PyModule_AddObject(m, "Meta", (PyObject *)&MetaType);
    /* Handed to Python before C returned it from any call. */
    Py_INCREF(&Marker);
    PyModule_AddObject(m, "MARKER", &Marker);
    Py_INCREF(&NoDictMetaType);
    PyModule_AddObject(m, "NoDictMeta", (PyObject *)&NoDictMetaType);
    PyModule_AddObject(m, "MutableSpec", PyType_FromSpec(&mutable_spec));
    PyModule_AddObject(m, "ImmutableSpec", PyType_FromSpec(&immutable_spec));
    PyObject *base = PyObject_CallFunction((PyObject *)&MetaType, "s(){}", "Base");
    if (base == NULL)
        return NULL;
    PyModule_AddObject(m, "Base", base);
    return m;
}
