/* What PyType_Ready derives from a type's slots, and two sequence/buffer
 * details: the sequence table's concat and repeat behind __add__, __mul__,
 * __rmul__, __iadd__, __imul__ when the number table lacks them; a type that
 * compares but has no hash is unhashable; an empty buffer view keeps its
 * offset; PySequence_Fast of a list is the list. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
} SeqObject;

static Py_ssize_t seq_len(PyObject *s) { return 0; }
static PyObject *seq_concat(PyObject *a, PyObject *b) { return PyUnicode_FromString("sq_concat"); }
static PyObject *seq_iconcat(PyObject *a, PyObject *b) { return PyUnicode_FromString("sq_inplace_concat"); }
static PyObject *seq_repeat(PyObject *a, Py_ssize_t n) { return PyUnicode_FromFormat("sq_repeat %zd", n); }
static PyObject *seq_irepeat(PyObject *a, Py_ssize_t n) { return PyUnicode_FromFormat("sq_inplace_repeat %zd", n); }
static PyObject *seq_richcompare(PyObject *a, PyObject *b, int op) { Py_RETURN_NOTIMPLEMENTED; }

static PySequenceMethods seq_as_sequence = {
    .sq_length = seq_len,
    .sq_concat = seq_concat,
    .sq_repeat = seq_repeat,
    .sq_inplace_concat = seq_iconcat,
    .sq_inplace_repeat = seq_irepeat,
};

/* tp_hash is left 0 beside tp_richcompare. */
static PyTypeObject SeqType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqslots_ext.Seq",
    .tp_basicsize = sizeof(SeqObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_as_sequence = &seq_as_sequence,
    .tp_richcompare = seq_richcompare,
    .tp_new = PyType_GenericNew,
};

/* A type with a __hash__ method of its own stays hashable. */
static PyObject *hashed_hash(PyObject *self, PyObject *unused) { return PyLong_FromLong(7); }
static PyMethodDef hashed_methods[] = {{"__hash__", hashed_hash, METH_NOARGS}, {NULL}};
static PyTypeObject HashedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqslots_ext.Hashed",
    .tp_basicsize = sizeof(SeqObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_richcompare = seq_richcompare,
    .tp_methods = hashed_methods,
    .tp_new = PyType_GenericNew,
};

/* Subscriptable as a mapping only (numpy's scalars): not a sequence. */
static PyObject *keyed_subscript(PyObject *self, PyObject *key) { return Py_NewRef(key); }
static PyMappingMethods keyed_as_mapping = {.mp_subscript = keyed_subscript};
static PyTypeObject KeyedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqslots_ext.Keyed",
    .tp_basicsize = sizeof(SeqObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_mapping = &keyed_as_mapping,
    .tp_new = PyType_GenericNew,
};

/* A C subtype of Keyed, with no tables of its own: it inherits mp_subscript
 * only, so it is no more a sequence (or iterable) than Keyed. */
static PyTypeObject KeyedSubType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqslots_ext.KeyedSub",
    .tp_basicsize = sizeof(SeqObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

/* With sq_item: a sequence. */
static PyObject *indexed_item(PyObject *self, Py_ssize_t i) { return PyLong_FromSsize_t(i); }
static PySequenceMethods indexed_as_sequence = {.sq_item = indexed_item};
static PyTypeObject IndexedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqslots_ext.Indexed",
    .tp_basicsize = sizeof(SeqObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_as_sequence = &indexed_as_sequence,
    .tp_new = PyType_GenericNew,
};

static PyObject *
checks(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(ii)", PySequence_Check(o), PyMapping_Check(o));
}

static PyObject *
buffer_offset(PyObject *self, PyObject *args)
{
    PyObject *base, *view;
    Py_buffer b, v;
    if (!PyArg_ParseTuple(args, "OO", &base, &view))
        return NULL;
    if (PyObject_GetBuffer(base, &b, PyBUF_SIMPLE) < 0)
        return NULL;
    if (PyObject_GetBuffer(view, &v, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&b);
        return NULL;
    }
    PyObject *r = Py_BuildValue("(nn)", (Py_ssize_t)((char *)v.buf - (char *)b.buf), v.len);
    PyBuffer_Release(&v);
    PyBuffer_Release(&b);
    return r;
}

static PyObject *
fast_is_same(PyObject *self, PyObject *o)
{
    PyObject *f = PySequence_Fast(o, "not iterable");
    if (f == NULL)
        return NULL;
    PyObject *r = PyBool_FromLong(f == o);
    Py_DECREF(f);
    return r;
}

/* Keeps PySequence_Fast's result, then reads it after Python changed the list. */
static PyObject *
fast_after_change(PyObject *self, PyObject *args)
{
    PyObject *list, *change;
    if (!PyArg_ParseTuple(args, "OO", &list, &change))
        return NULL;
    PyObject *fast = PySequence_Fast(list, "not iterable");
    if (fast == NULL)
        return NULL;
    PyObject *r = PyObject_CallNoArgs(change);
    if (r == NULL) {
        Py_DECREF(fast);
        return NULL;
    }
    Py_DECREF(r);
    r = PyLong_FromSsize_t(PySequence_Fast_GET_SIZE(fast));
    Py_DECREF(fast);
    return r;
}

static PyMethodDef methods[] = {
    {"buffer_offset", buffer_offset, METH_VARARGS},
    {"checks", checks, METH_O},
    {"fast_is_same", fast_is_same, METH_O},
    {"fast_after_change", fast_after_change, METH_VARARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "seqslots_ext", NULL, -1, methods};

/* Two C bases of one Python class, both indexing: one with a field (the
   layout, as ndarray) and one without (a Cython shim with __getitem__).
   The first along the MRO serves, as CPython's slot inheritance picks it. */
typedef struct {
    PyObject_HEAD
    long field;
} LaidOutObject;

static PyObject *laid_out_subscript(PyObject *self, PyObject *key) { return PyUnicode_FromString("LaidOut mp_subscript"); }
static PyObject *laid_out_item(PyObject *self, Py_ssize_t i) { return PyUnicode_FromString("LaidOut sq_item"); }
static Py_ssize_t laid_out_length(PyObject *self) { return 7; }
static PyObject *shim_subscript(PyObject *self, PyObject *key) { return PyUnicode_FromString("Shim mp_subscript"); }

static PyMappingMethods laid_out_mapping = {.mp_length = laid_out_length, .mp_subscript = laid_out_subscript};
static PySequenceMethods laid_out_sequence = {.sq_length = laid_out_length, .sq_item = laid_out_item};
static PyMappingMethods shim_mapping = {.mp_subscript = shim_subscript};

static PyTypeObject LaidOutType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqslots_ext.LaidOut",
    .tp_basicsize = sizeof(LaidOutObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_mapping = &laid_out_mapping,
    .tp_as_sequence = &laid_out_sequence,
    .tp_new = PyType_GenericNew,
};

static PyTypeObject ShimType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqslots_ext.Shim",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_mapping = &shim_mapping,
};

PyMODINIT_FUNC
PyInit_seqslots_ext(void)
{
    if (PyType_Ready(&SeqType) < 0 || PyType_Ready(&HashedType) < 0 || PyType_Ready(&KeyedType) < 0
        || PyType_Ready(&IndexedType) < 0 || PyType_Ready(&LaidOutType) < 0 || PyType_Ready(&ShimType) < 0)
        return NULL;
    KeyedSubType.tp_base = &KeyedType;
    if (PyType_Ready(&KeyedSubType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddType(m, &SeqType) < 0 || PyModule_AddType(m, &HashedType) < 0
        || PyModule_AddType(m, &KeyedType) < 0 || PyModule_AddType(m, &IndexedType) < 0
        || PyModule_AddType(m, &KeyedSubType) < 0 || PyModule_AddType(m, &LaidOutType) < 0
        || PyModule_AddType(m, &ShimType) < 0)
        return NULL;
    return m;
}
