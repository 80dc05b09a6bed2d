/* C types whose base is an immutable builtin (float, int, str, tuple,
 * bytes), each with a C field of its own. Their tp_new calls the base
 * type's tp_new, as multidict's istr and many unit/enum types do. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include <structmember.h>

static long deallocs = 0;

/* --- Meters: a float with a unit ----------------------------------------- */
typedef struct {
    PyFloatObject base;
    int scale;
} Meters;

static PyTypeObject MetersType;

static PyObject *
Meters_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = PyFloat_Type.tp_new(type, args, kwds);
    if (self == NULL)
        return NULL;
    ((Meters *)self)->scale = 1000;
    return self;
}

static PyObject *
Meters_millis(PyObject *self, PyObject *unused)
{
    return PyFloat_FromDouble(PyFloat_AS_DOUBLE(self) * ((Meters *)self)->scale);
}

static void
Meters_dealloc(PyObject *self)
{
    deallocs++;
    PyFloat_Type.tp_dealloc(self);
}

static PyMethodDef Meters_methods[] = {
    {"millis", Meters_millis, METH_NOARGS, NULL},
    {NULL},
};

static PyMemberDef Meters_members[] = {
    {"scale", T_INT, offsetof(Meters, scale), 0, NULL},
    {NULL},
};

static PyTypeObject MetersType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "immutablebase_ext.Meters",
    .tp_basicsize = sizeof(Meters),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Meters_new,
    .tp_dealloc = Meters_dealloc,
    .tp_methods = Meters_methods,
    .tp_members = Meters_members,
};

/* --- Tag: a str that remembers its lower-cased form (like multidict's istr) */
typedef struct {
    PyUnicodeObject base;
    PyObject *canonical;
} Tag;

static PyTypeObject TagType;

static PyObject *
Tag_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = PyUnicode_Type.tp_new(type, args, kwds);
    if (self == NULL)
        return NULL;
    PyObject *lower = PyObject_CallMethod(self, "lower", NULL);
    if (lower == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    ((Tag *)self)->canonical = lower;
    return self;
}

static void
Tag_dealloc(PyObject *self)
{
    deallocs++;
    Py_CLEAR(((Tag *)self)->canonical);
    PyUnicode_Type.tp_dealloc(self);
}

static PyObject *
Tag_info(PyObject *self, PyObject *unused)
{
    /* The str's own data, read through the PEP 393 macros and functions. */
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(self, &size);
    if (utf8 == NULL)
        return NULL;
    /* The last character, read from the struct's own text (PEP 393). */
    Py_UCS4 last = PyUnicode_READ(PyUnicode_KIND(self), PyUnicode_DATA(self),
                                  PyUnicode_GET_LENGTH(self) - 1);
    return Py_BuildValue("(s#nOiIi)", utf8, size, PyUnicode_GET_LENGTH(self),
                         ((Tag *)self)->canonical, PyUnicode_Check(self), (unsigned int)last,
                         PyUnicode_KIND(self));
}

static PyMethodDef Tag_methods[] = {
    {"info", Tag_info, METH_NOARGS, NULL},
    {NULL},
};

static PyMemberDef Tag_members[] = {
    {"canonical", T_OBJECT, offsetof(Tag, canonical), READONLY, NULL},
    {NULL},
};

static PyTypeObject TagType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "immutablebase_ext.Tag",
    .tp_basicsize = sizeof(Tag),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Tag_new,
    .tp_dealloc = Tag_dealloc,
    .tp_methods = Tag_methods,
    .tp_members = Tag_members,
};

/* --- Flag: an int with a name -------------------------------------------- */
typedef struct {
    PyLongObject base;
} FlagHead;

static PyTypeObject FlagType;

static PyObject *
Flag_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return PyLong_Type.tp_new(type, args, kwds);
}

static PyObject *
Flag_doubled(PyObject *self, PyObject *unused)
{
    long value = PyLong_AsLong(self);
    if (value == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromLong(value * 2);
}

static PyMethodDef Flag_methods[] = {
    {"doubled", Flag_doubled, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject FlagType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "immutablebase_ext.Flag",
    .tp_basicsize = sizeof(FlagHead),
    .tp_itemsize = sizeof(digit),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Flag_new,
    .tp_methods = Flag_methods,
};

/* --- Pair: a 2-tuple with a C-level weight -------------------------------- */
typedef struct {
    PyTupleObject base;
} PairHead;

static PyTypeObject PairType;

static PyObject *
Pair_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *left, *right;
    if (!PyArg_ParseTuple(args, "OO", &left, &right))
        return NULL;
    PyObject *items = PyTuple_Pack(2, left, right);
    if (items == NULL)
        return NULL;
    PyObject *inner = PyTuple_Pack(1, items);
    Py_DECREF(items);
    if (inner == NULL)
        return NULL;
    PyObject *self = PyTuple_Type.tp_new(type, inner, NULL);
    Py_DECREF(inner);
    return self;
}

static PyObject *
Pair_swap(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(2, PyTuple_GET_ITEM(self, 1), PyTuple_GET_ITEM(self, 0));
}

static PyMethodDef Pair_methods[] = {
    {"swap", Pair_swap, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject PairType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "immutablebase_ext.Pair",
    .tp_basicsize = sizeof(PairHead) - sizeof(PyObject *),
    .tp_itemsize = sizeof(PyObject *),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Pair_new,
    .tp_methods = Pair_methods,
};

/* --- Blob: bytes with a checksum ------------------------------------------ */
static PyTypeObject BlobType;

static PyObject *
Blob_checksum(PyObject *self, PyObject *unused)
{
    const unsigned char *data = (const unsigned char *)PyBytes_AS_STRING(self);
    unsigned long sum = 0;
    for (Py_ssize_t i = 0; i < PyBytes_GET_SIZE(self); i++)
        sum = sum * 31 + data[i];
    return PyLong_FromUnsignedLong(sum);
}

static PyMethodDef Blob_methods[] = {
    {"checksum", Blob_checksum, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject BlobType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "immutablebase_ext.Blob",
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_methods = Blob_methods,
};

static PyObject *
make_meters(PyObject *module, PyObject *value)
{
    /* C making an instance through the type, as a factory function would. */
    return PyObject_CallOneArg((PyObject *)&MetersType, value);
}

static PyObject *
get_deallocs(PyObject *module, PyObject *unused)
{
    return PyLong_FromLong(deallocs);
}

static PyObject *
checks(PyObject *module, PyObject *o)
{
    return Py_BuildValue("(iiiiiiiiii)", PyFloat_Check(o), PyFloat_CheckExact(o),
                         PyUnicode_Check(o), PyUnicode_CheckExact(o), PyLong_Check(o),
                         PyLong_CheckExact(o), PyTuple_Check(o), PyTuple_CheckExact(o),
                         PyBytes_Check(o), PyBytes_CheckExact(o));
}

/* A Tag made the fast way multidict makes an istr: tp_alloc, then the
   struct's own fields (a non-compact str whose text is a separate block),
   without str's tp_new. */
static PyObject *
tag_from_text(PyObject *module, PyObject *text)
{
    if (!PyUnicode_CheckExact(text) || !PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_TypeError, "an ASCII str is needed");
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *self = TagType.tp_alloc(&TagType, 0);
    if (self == NULL)
        return NULL;
    PyASCIIObject *ascii = (PyASCIIObject *)self;
    PyCompactUnicodeObject *compact = (PyCompactUnicodeObject *)self;
    ascii->length = length;
    ascii->hash = -1;
    ascii->state.interned = 0;
    ascii->state.kind = PyUnicode_1BYTE_KIND;
    ascii->state.compact = 0;
    ascii->state.ascii = 1;
    ascii->state.ready = 1;
    ascii->wstr = NULL;
    compact->wstr_length = 0;
    char *data = PyObject_Malloc(length + 1);
    if (data == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    memcpy(data, PyUnicode_DATA(text), length + 1);
    ((PyUnicodeObject *)self)->data.any = data;
    compact->utf8 = data;
    compact->utf8_length = length;
    ((Tag *)self)->canonical = PyObject_CallMethod(text, "lower", NULL);
    if (((Tag *)self)->canonical == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

static PyMethodDef module_methods[] = {
    {"tag_from_text", tag_from_text, METH_O, NULL},
    {"make_meters", make_meters, METH_O, NULL},
    {"deallocs", get_deallocs, METH_NOARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "immutablebase_ext", NULL, -1, module_methods,
};

PyMODINIT_FUNC
PyInit_immutablebase_ext(void)
{
    MetersType.tp_base = &PyFloat_Type;
    TagType.tp_base = &PyUnicode_Type;
    FlagType.tp_base = &PyLong_Type;
    PairType.tp_base = &PyTuple_Type;
    BlobType.tp_base = &PyBytes_Type;
    BlobType.tp_basicsize = PyBytes_Type.tp_basicsize;
    BlobType.tp_itemsize = PyBytes_Type.tp_itemsize;
    PyTypeObject *types[] = {&MetersType, &TagType, &FlagType, &PairType, &BlobType};
    for (int i = 0; i < 5; i++)
        if (PyType_Ready(types[i]) < 0)
            return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    const char *names[] = {"Meters", "Tag", "Flag", "Pair", "Blob"};
    for (int i = 0; i < 5; i++)
        if (PyModule_AddObjectRef(m, names[i], (PyObject *)types[i]) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    return m;
}
