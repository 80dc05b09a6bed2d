/* A C metatype with a tp_alloc of its own, which fills in each class it
   makes before type.__new__ finishes it, as SIP's wrappertype does: a
   field of the metatype's struct, tp_doc, tp_repr and slots in the
   PyHeapTypeObject's own protocol tables (as_number, as_sequence), which
   the new class then serves. C makes its classes by calling the metatype
   with (name, bases, dict), and passes what alloc needs in a static. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyHeapTypeObject base;
    const char *tag;    /* set by alloc from `current`, or inherited by init */
    int user_class;     /* made by a class statement, not by make() */
} MetaObject;

static PyTypeObject MetaType;
static const char *current = NULL;
static int allocs = 0, inits = 0;

static PyObject *
made_add(PyObject *a, PyObject *b)
{
    return Py_BuildValue("(sOO)", "add", a, b);
}

static Py_ssize_t
made_len(PyObject *self)
{
    return 42;
}

static PyObject *
made_repr(PyObject *self)
{
    return PyUnicode_FromFormat("<made %s>", ((MetaObject *)Py_TYPE(self))->tag);
}

static PyObject *
meta_alloc(PyTypeObject *self, Py_ssize_t nitems)
{
    PyObject *o = PyType_Type.tp_alloc(self, nitems);
    if (o == NULL)
        return NULL;
    allocs++;
    if (current != NULL) {
        MetaObject *m = (MetaObject *)o;
        m->tag = current;
        /* type's dealloc frees a heap type's tp_doc with PyObject_Free. */
        static const char doc[] = "made by make()";
        char *copy = PyObject_Malloc(sizeof doc);
        if (copy == NULL) {
            Py_DECREF(o);
            return PyErr_NoMemory();
        }
        memcpy(copy, doc, sizeof doc);
        m->base.ht_type.tp_doc = copy;
        m->base.ht_type.tp_repr = made_repr;
        m->base.as_number.nb_add = made_add;
        m->base.as_sequence.sq_length = made_len;
    }
    return o;
}

static int
meta_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    if (PyType_Type.tp_init(self, args, kwds) < 0)
        return -1;
    inits++;
    MetaObject *m = (MetaObject *)self;
    if (m->tag == NULL) {
        /* A class statement's class: it takes its base's tag. */
        PyTypeObject *base = ((PyTypeObject *)self)->tp_base;
        m->user_class = 1;
        if (base != NULL && PyObject_TypeCheck((PyObject *)base, &MetaType))
            m->tag = ((MetaObject *)base)->tag;
    }
    return 0;
}

static PyTypeObject MetaType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "metaalloc_ext.Meta",
    .tp_basicsize = sizeof(MetaObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_alloc = meta_alloc,
    .tp_init = meta_init,
};

/* The root of the made classes: a static type whose type is Meta, so
   laid out as Meta's instances are. */
static MetaObject Root = {
    .base = {
        .ht_type = {
            PyVarObject_HEAD_INIT(&MetaType, 0)
            .tp_name = "metaalloc_ext.Root",
            .tp_basicsize = sizeof(PyObject),
            .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
            .tp_new = PyType_GenericNew,
        },
    },
    .tag = "root",
};
#define RootType (Root.base.ht_type)

/* make(name, tag, base=Root): calls Meta(name, (base,), {"kind": tag})
   with `tag` waiting for Meta's alloc. */
static PyObject *
make(PyObject *module, PyObject *args)
{
    const char *name;
    static char tags[8][32];
    static int ntags = 0;
    const char *tag;
    PyObject *base = (PyObject *)&RootType;
    if (!PyArg_ParseTuple(args, "ss|O", &name, &tag, &base))
        return NULL;
    if (ntags == 8)
        return PyErr_Format(PyExc_RuntimeError, "too many tags");
    snprintf(tags[ntags], sizeof tags[ntags], "%s", tag);
    PyObject *dict = Py_BuildValue("{ss}", "kind", tag);
    if (dict == NULL)
        return NULL;
    PyObject *call = Py_BuildValue("(s(O)N)", name, base, dict);
    if (call == NULL)
        return NULL;
    current = tags[ntags++];
    PyObject *cls = PyObject_Call((PyObject *)&MetaType, call, NULL);
    current = NULL;
    Py_DECREF(call);
    return cls;
}

/* info(cls): (tag, user_class, tp_doc) as C sees them. */
static PyObject *
info(PyObject *module, PyObject *cls)
{
    if (!PyObject_TypeCheck(cls, &MetaType))
        return PyErr_Format(PyExc_TypeError, "not a Meta class");
    MetaObject *m = (MetaObject *)cls;
    return Py_BuildValue("(zis)", m->tag, m->user_class, ((PyTypeObject *)cls)->tp_doc ? "doc" : "no doc");
}

/* c_slots(obj): what C finds through obj's type: repr, len, obj + 1. */
static PyObject *
c_slots(PyObject *module, PyObject *obj)
{
    PyTypeObject *tp = Py_TYPE(obj);
    PyObject *r = tp->tp_repr(obj);
    if (r == NULL)
        return NULL;
    Py_ssize_t n = tp->tp_as_sequence && tp->tp_as_sequence->sq_length ? tp->tp_as_sequence->sq_length(obj) : -7;
    PyObject *one = PyLong_FromLong(1);
    PyObject *sum = PyNumber_Add(obj, one);
    Py_DECREF(one);
    if (sum == NULL) {
        Py_DECREF(r);
        return NULL;
    }
    return Py_BuildValue("(NnN)", r, n, sum);
}

static PyObject *
counts(PyObject *module, PyObject *unused)
{
    return Py_BuildValue("(ii)", allocs, inits);
}

static PyMethodDef methods[] = {
    {"make", make, METH_VARARGS, NULL},
    {"info", info, METH_O, NULL},
    {"c_slots", c_slots, METH_O, NULL},
    {"counts", counts, METH_NOARGS, NULL},
    {NULL},
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "metaalloc_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_metaalloc_ext(void)
{
    MetaType.tp_base = &PyType_Type;
    if (PyType_Ready(&MetaType) < 0 || PyType_Ready(&RootType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&MetaType);
    PyModule_AddObject(m, "Meta", (PyObject *)&MetaType);
    Py_INCREF(&RootType);
    PyModule_AddObject(m, "Root", (PyObject *)&RootType);
    return m;
}
