/* A static type in the classic style: tp_new/tp_init/tp_dealloc, members,
 * getset with a closure, methods of every kind, and the basic slots. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static long dealloc_count = 0;

typedef struct {
    PyObject_HEAD
    int count;
    double ratio;
    PyObject *label;     /* T_OBJECT_EX */
    PyObject *extra;     /* T_OBJECT */
    char *name;          /* T_STRING, read-only */
    long frozen;         /* READONLY T_LONG */
    char flag;           /* T_BOOL */
    unsigned char small; /* T_UBYTE */
} Point;

static PyTypeObject PointType;

static PyObject *
Point_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Point *self = (Point *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->name = "point";
    self->frozen = 7;
    self->label = PyUnicode_FromString("unnamed");
    if (self->label == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int
Point_init(Point *self, PyObject *args, PyObject *kwds)
{
    Py_ssize_t n = PyTuple_GET_SIZE(args);
    if (n > 2) {
        PyErr_SetString(PyExc_TypeError, "Point() takes at most 2 arguments");
        return -1;
    }
    if (n >= 1) {
        long c = PyLong_AsLong(PyTuple_GET_ITEM(args, 0));
        if (c == -1 && PyErr_Occurred())
            return -1;
        self->count = (int)c;
    }
    if (n >= 2) {
        double r = PyFloat_AsDouble(PyTuple_GET_ITEM(args, 1));
        if (r == -1.0 && PyErr_Occurred())
            return -1;
        self->ratio = r;
    }
    if (kwds != NULL) {
        PyObject *label = PyDict_GetItemString(kwds, "label");
        if (label != NULL)
            Py_SETREF(self->label, Py_NewRef(label));
    }
    return 0;
}

static void
Point_dealloc(Point *self)
{
    dealloc_count++;
    Py_XDECREF(self->label);
    Py_XDECREF(self->extra);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Point_repr(Point *self)
{
    PyObject *label = PyObject_Repr(self->label);
    if (label == NULL)
        return NULL;
    PyObject *prefix = PyUnicode_FromString("Point(");
    PyObject *count = PyObject_Str(PyLong_FromLong(self->count));
    PyObject *sep = PyUnicode_FromString(", ");
    PyObject *close = PyUnicode_FromString(")");
    PyObject *a = PyUnicode_Concat(prefix, count);
    PyObject *b = PyUnicode_Concat(a, sep);
    PyObject *c = PyUnicode_Concat(b, label);
    PyObject *r = PyUnicode_Concat(c, close);
    Py_DECREF(label); Py_DECREF(prefix); Py_DECREF(count); Py_DECREF(sep); Py_DECREF(close);
    Py_DECREF(a); Py_DECREF(b); Py_DECREF(c);
    return r;
}

static PyObject *
Point_str(Point *self)
{
    return PyUnicode_FromString("a point");
}

static Py_hash_t
Point_hash(Point *self)
{
    return self->count * 31 + 1;
}

static PyObject *
Point_richcompare(PyObject *a, PyObject *b, int op)
{
    if (!PyObject_TypeCheck(b, &PointType) || (op != Py_EQ && op != Py_NE))
        Py_RETURN_NOTIMPLEMENTED;
    int same = ((Point *)a)->count == ((Point *)b)->count;
    return PyBool_FromLong(op == Py_EQ ? same : !same);
}

static PyObject *
Point_call(Point *self, PyObject *args, PyObject *kwds)
{
    return PyLong_FromLong(self->count * 100 + PyTuple_GET_SIZE(args) + (kwds ? PyDict_Size(kwds) : 0));
}

/* Methods of every kind. */
static PyObject *
Point_bump(Point *self, PyObject *Py_UNUSED(ignored))
{
    self->count++;
    return PyLong_FromLong(self->count);
}

static PyObject *
Point_add(Point *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    self->count += (int)v;
    Py_RETURN_NONE;
}

static PyObject *
Point_describe(Point *self, PyObject *args, PyObject *kwds)
{
    return PyTuple_Pack(3, args, kwds ? kwds : Py_None, self->label);
}

static PyObject *
Point_origin(PyObject *cls, PyObject *Py_UNUSED(ignored))
{
    /* METH_CLASS: cls is the class it was called on (subclasses too). */
    return PyObject_CallNoArgs(cls);
}

static PyObject *
Point_static_sum(PyObject *null_self, PyObject *args)
{
    long total = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(args); i++)
        total += PyLong_AsLong(PyTuple_GET_ITEM(args, i));
    return PyTuple_Pack(2, PyLong_FromLong(total), null_self == NULL ? Py_True : Py_False);
}

static PyMethodDef Point_methods[] = {
    {"bump", (PyCFunction)Point_bump, METH_NOARGS, "bump() -> new count"},
    {"add", (PyCFunction)Point_add, METH_O, "add(n)"},
    {"describe", (PyCFunction)(void (*)(void))Point_describe, METH_VARARGS | METH_KEYWORDS, "describe(*a, **k)"},
    {"origin", (PyCFunction)Point_origin, METH_CLASS | METH_NOARGS, "origin() -> a new instance of cls"},
    {"static_sum", (PyCFunction)Point_static_sum, METH_STATIC | METH_VARARGS, "static_sum(*ints)"},
    {NULL},
};

static PyMemberDef Point_members[] = {
    {"count", T_INT, offsetof(Point, count), 0, "the count"},
    {"ratio", T_DOUBLE, offsetof(Point, ratio), 0, NULL},
    {"label", T_OBJECT_EX, offsetof(Point, label), 0, NULL},
    {"extra", T_OBJECT, offsetof(Point, extra), 0, NULL},
    {"name", T_STRING, offsetof(Point, name), READONLY, NULL},
    {"frozen", T_LONG, offsetof(Point, frozen), READONLY, NULL},
    {"flag", T_BOOL, offsetof(Point, flag), 0, NULL},
    {"small", T_UBYTE, offsetof(Point, small), 0, NULL},
    {NULL},
};

static PyObject *
Point_get_scaled(Point *self, void *closure)
{
    long factor = (long)(Py_ssize_t)closure;
    return PyLong_FromLong(self->count * factor);
}

static int
Point_set_scaled(Point *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete scaled");
        return -1;
    }
    long v = PyLong_AsLong(value);
    if (v == -1 && PyErr_Occurred())
        return -1;
    self->count = (int)(v / (long)(Py_ssize_t)closure);
    return 0;
}

static PyObject *
Point_get_double(Point *self, void *closure)
{
    return PyFloat_FromDouble(self->ratio * 2);
}

static PyGetSetDef Point_getset[] = {
    {"tenfold", (getter)Point_get_scaled, (setter)Point_set_scaled, "count * 10", (void *)10},
    {"threefold", (getter)Point_get_scaled, (setter)Point_set_scaled, NULL, (void *)3},
    {"double_ratio", (getter)Point_get_double, NULL, NULL, NULL},
    {NULL},
};

static PyTypeObject PointType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Point",
    .tp_doc = "A point with a count.",
    .tp_basicsize = sizeof(Point),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = Point_new,
    .tp_init = (initproc)Point_init,
    .tp_dealloc = (destructor)Point_dealloc,
    .tp_repr = (reprfunc)Point_repr,
    .tp_str = (reprfunc)Point_str,
    .tp_hash = (hashfunc)Point_hash,
    .tp_richcompare = Point_richcompare,
    .tp_call = (ternaryfunc)Point_call,
    .tp_methods = Point_methods,
    .tp_members = Point_members,
    .tp_getset = Point_getset,
};

/* An iterator type: counts down from n. */
typedef struct {
    PyObject_HEAD
    long left;
} Countdown;

static PyObject *
Countdown_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Countdown *self = (Countdown *)PyType_GenericNew(type, args, kwds);
    if (self == NULL)
        return NULL;
    self->left = PyTuple_GET_SIZE(args) ? PyLong_AsLong(PyTuple_GET_ITEM(args, 0)) : 3;
    return (PyObject *)self;
}

static PyObject *
Countdown_next(Countdown *self)
{
    if (self->left <= 0)
        return NULL; /* exhausted: no exception */
    return PyLong_FromLong(self->left--);
}

static PyTypeObject CountdownType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Countdown",
    .tp_basicsize = sizeof(Countdown),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = Countdown_new,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)Countdown_next,
};

/* A type without tp_new: Python cannot instantiate it. */
static PyTypeObject NoNewType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.NoNew",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

static PyObject *
deallocs(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(dealloc_count);
}

/* C-side view of an object: (count via the struct, PyObject_TypeCheck). */
static PyObject *
peek(PyObject *self, PyObject *obj)
{
    if (!PyObject_TypeCheck(obj, &PointType)) {
        PyErr_SetString(PyExc_TypeError, "not a Point");
        return NULL;
    }
    Point *p = (Point *)obj;
    return PyTuple_Pack(3, PyLong_FromLong(p->count),
                        Py_TYPE(obj) == &PointType ? Py_True : Py_False,
                        p->label ? p->label : Py_None);
}

/* C keeps a reference across calls. */
static PyObject *kept = NULL;

static PyObject *
keep(PyObject *self, PyObject *obj)
{
    Py_XSETREF(kept, Py_NewRef(obj));
    Py_RETURN_NONE;
}

static PyObject *
kept_count(PyObject *self, PyObject *unused)
{
    if (kept == NULL)
        Py_RETURN_NONE;
    return PyLong_FromLong(((Point *)kept)->count);
}

static PyObject *
release(PyObject *self, PyObject *unused)
{
    Py_CLEAR(kept);
    Py_RETURN_NONE;
}

/* Makes a Point from C, with PyObject_New-style allocation through the type. */
static PyObject *
make(PyObject *self, PyObject *arg)
{
    PyObject *args = PyTuple_Pack(1, arg);
    PyObject *p = PyObject_Call((PyObject *)&PointType, args, NULL);
    Py_DECREF(args);
    return p;
}

static PyObject *
dict_facts(PyObject *self, PyObject *unused)
{
    PyObject *d = PointType.tp_dict;
    return PyTuple_Pack(3, PyBool_FromLong(PyDict_Check(d)),
                        PyBool_FromLong(PyDict_GetItemString(d, "bump") != NULL),
                        PyDict_GetItemString(d, "ANSWER"));
}

static PyObject *
type_facts(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(5,
        PyBool_FromLong(PyType_HasFeature(&PointType, Py_TPFLAGS_READY)),
        PyBool_FromLong(PyType_HasFeature(&PointType, Py_TPFLAGS_BASETYPE)),
        PyBool_FromLong(PyType_HasFeature(&PointType, Py_TPFLAGS_HEAPTYPE)),
        PyBool_FromLong(PointType.tp_base == &PyBaseObject_Type),
        PyBool_FromLong(Py_TYPE(&PointType) == &PyType_Type));
}

/* A static type the module never passes to PyType_Ready: its instances
 * come from PyObject_New, and CPython readies it on first use. */
typedef struct {
    PyObject_HEAD
    long left;
} Ticker;

static PyObject *
Ticker_next(Ticker *self)
{
    if (self->left <= 0)
        return NULL;
    return PyLong_FromLong(self->left--);
}

static void
Ticker_dealloc(Ticker *self)
{
    PyObject_Free(self);
}

static PyObject *
Ticker_remaining(Ticker *self, PyObject *unused)
{
    return PyLong_FromLong(self->left);
}

static PyMethodDef Ticker_methods[] = {
    {"remaining", (PyCFunction)Ticker_remaining, METH_NOARGS, NULL},
    {NULL},
};

static PyTypeObject TickerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Ticker",
    .tp_basicsize = sizeof(Ticker),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_dealloc = (destructor)Ticker_dealloc,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)Ticker_next,
    .tp_methods = Ticker_methods,
};

static PyObject *
ticker(PyObject *module, PyObject *arg)
{
    Ticker *t = PyObject_New(Ticker, &TickerType);
    if (t == NULL)
        return NULL;
    t->left = PyLong_AsLong(arg);
    return (PyObject *)t;
}

/* A subtype of Point with Point's struct, that instances move to and back
   with Py_SET_TYPE (numpy gives a user dtype's descriptor a class of its
   own so, after making it). */
static PyTypeObject PointChildType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.PointChild",
    .tp_basicsize = sizeof(Point),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_base = &PointType,
};

static PyObject *
preset_method(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString("the method");
}

static PyMethodDef preset_methods[] = {
    {"method", preset_method, METH_NOARGS, NULL},
    {"shadowed", preset_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

/* A type whose tp_dict C fills before PyType_Ready (numpy's ufunc type):
   the entries are the type's, and win over a method of the same name. */
static PyTypeObject PresetType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Preset",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = preset_methods,
    .tp_new = PyType_GenericNew,
};

static PyObject *
preset_dict_entry(PyObject *module, PyObject *name)
{
    PyObject *found = PyDict_GetItemWithError(PresetType.tp_dict, name);
    if (found == NULL && !PyErr_Occurred())
        return PyUnicode_FromString("missing");
    return Py_XNewRef(found);
}

/* A channel that holds a Sound, and a callback that releases it before it
   clears the slot; the Sound's dealloc runs the callback again (pygame's
   mixer): the second release of the dying Sound takes its count below
   zero, which CPython ignores. */
static PyObject *channel_sound = NULL;
static int channel_playing = 0, sounds_freed = 0;

static void
channel_finished(void)
{
    Py_XDECREF(channel_sound);
    channel_sound = NULL;
}

static void
sound_dealloc(PyObject *self)
{
    if (channel_playing) {
        channel_playing = 0;
        channel_finished();
    }
    sounds_freed++;
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject SoundType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Sound",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = sound_dealloc,
};

static PyObject *
play(PyObject *module, PyObject *sound)
{
    Py_XSETREF(channel_sound, Py_NewRef(sound));
    channel_playing = 1;
    Py_RETURN_NONE;
}

static PyObject *
finish_playing(PyObject *module, PyObject *unused)
{
    channel_finished();
    return PyLong_FromLong(sounds_freed);
}

/* Two bases for one Python class: Plain adds no fields, Fielded does and
   sets its field in tp_new (pandas' MultiIndexUIntEngine over
   BaseMultiIndexCodesEngine and UInt64Engine). `class C(Plain, Fielded)`
   has Fielded as its best base, whose tp_new and size its instances get. */
typedef struct { PyObject_HEAD PyObject *field; } Fielded;

static PyObject *
plain_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return type->tp_alloc(type, 0);
}

static PyObject *
fielded_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Fielded *self = (Fielded *)type->tp_alloc(type, 0);
    if (self != NULL)
        self->field = PyUnicode_FromString("set by tp_new");
    return (PyObject *)self;
}

static int
fielded_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *value = Py_None;
    if (!PyArg_ParseTuple(args, "|O", &value))
        return -1;
    Py_SETREF(((Fielded *)self)->field, Py_NewRef(value)); /* NULL would crash */
    return 0;
}

static void
fielded_dealloc(PyObject *self)
{
    Py_XDECREF(((Fielded *)self)->field);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *
fielded_get(PyObject *self, void *closure)
{
    PyObject *field = ((Fielded *)self)->field;
    return Py_NewRef(field ? field : Py_None);
}

static PyGetSetDef fielded_getset[] = {{"field", fielded_get, NULL, NULL, NULL}, {NULL}};

static PyTypeObject PlainBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.PlainBase",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = plain_new,
};

static PyTypeObject FieldedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Fielded",
    .tp_basicsize = sizeof(Fielded),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = fielded_new,
    .tp_init = fielded_init,
    .tp_dealloc = fielded_dealloc,
    .tp_getset = fielded_getset,
};

static PyObject *
retype(PyObject *module, PyObject *args)
{
    PyObject *obj, *type;
    if (!PyArg_ParseTuple(args, "OO!", &obj, &PyType_Type, &type))
        return NULL;
    Py_SET_TYPE(obj, (PyTypeObject *)type);
    Py_RETURN_NONE;
}

/* A Point made, then given the subtype before Python sees it. */
static PyObject *
made_as_child(PyObject *module, PyObject *arg)
{
    PyObject *p = PyObject_CallOneArg((PyObject *)&PointType, arg);
    if (p != NULL)
        Py_SET_TYPE(p, &PointChildType);
    return p;
}

/* Which tp_richcompare a type has: Point's own, or int's (shapely tells
 * its geometries from other objects by that pointer). */
static PyObject *
richcompare_of(PyObject *self, PyObject *type)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "a type");
        return NULL;
    }
    richcmpfunc f = ((PyTypeObject *)type)->tp_richcompare;
    return Py_BuildValue("(OO)", f == Point_richcompare ? Py_True : Py_False,
                         f == PyLong_Type.tp_richcompare ? Py_True : Py_False);
}

static PyMethodDef module_methods[] = {
    {"richcompare_of", richcompare_of, METH_O, NULL},
    {"retype", retype, METH_VARARGS, NULL},
    {"made_as_child", made_as_child, METH_O, NULL},
    {"preset_dict_entry", preset_dict_entry, METH_O, NULL},
    {"play", play, METH_O, NULL},
    {"finish_playing", finish_playing, METH_NOARGS, NULL},
    {"ticker", ticker, METH_O, NULL},
    {"deallocs", deallocs, METH_NOARGS, NULL},
    {"peek", peek, METH_O, NULL},
    {"keep", keep, METH_O, NULL},
    {"kept_count", kept_count, METH_NOARGS, NULL},
    {"release", release, METH_NOARGS, NULL},
    {"make", make, METH_O, NULL},
    {"type_facts", type_facts, METH_NOARGS, NULL},
    {"dict_facts", dict_facts, METH_NOARGS, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "statictype_ext", NULL, -1, module_methods};

/* A static type whose getsets are named __module__ and __doc__ (Cython's
 * `property __module__:`): the type answers from tp_name and tp_doc, its
 * instances from the getsets. */
typedef struct {
    PyObject_HEAD
    PyObject *module;
} NamedObject;

static PyObject *
named_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    NamedObject *self = (NamedObject *)type->tp_alloc(type, 0);
    if (self != NULL)
        self->module = PyUnicode_FromString("module of the instance");
    return (PyObject *)self;
}

static void
named_dealloc(NamedObject *self)
{
    Py_XDECREF(self->module);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
named_get_module(NamedObject *self, void *closure)
{
    return Py_NewRef(self->module);
}

static int
named_set_module(NamedObject *self, PyObject *value, void *closure)
{
    if (value == NULL) {
        PyErr_SetString(PyExc_AttributeError, "cannot delete __module__");
        return -1;
    }
    Py_SETREF(self->module, Py_NewRef(value));
    return 0;
}

static PyObject *
named_get_doc(NamedObject *self, void *closure)
{
    return PyUnicode_FromString("doc of the instance");
}

static PyGetSetDef named_getset[] = {
    {"__module__", (getter)named_get_module, (setter)named_set_module, NULL, NULL},
    {"__doc__", (getter)named_get_doc, NULL, NULL, NULL},
    {NULL},
};

static PyTypeObject NamedType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Named",
    .tp_basicsize = sizeof(NamedObject),
    .tp_dealloc = (destructor)named_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "The class's own doc.",
    .tp_getset = named_getset,
    .tp_new = named_new,
};

/* A static subtype of Named: its instances reach the base's getset. */
static PyTypeObject NamedChildType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.NamedChild",
    .tp_basicsize = sizeof(NamedObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_base = &NamedType,
};

/* A type given tp_call and tp_descr_get after PyType_Ready (PyGObject's
 * FunctionInfo): CPython reads the slots at each use. */
static PyObject *
late_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    return Py_BuildValue("(sO)", "called with", args);
}

static PyObject *
late_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    return Py_BuildValue("(sOO)", "got through", obj ? obj : Py_None, type ? type : Py_None);
}

static PyTypeObject LateType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "statictype_ext.Late",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

/* tp_dict_key(cls, key, value): writes tp_dict[key] = value with
 * PyDict_SetItemString, as PyGObject adds its enum values. */
static PyObject *
tp_dict_key(PyObject *self, PyObject *args)
{
    PyTypeObject *cls;
    const char *key;
    PyObject *value;
    if (!PyArg_ParseTuple(args, "O!sO", &PyType_Type, &cls, &key, &value))
        return NULL;
    if (PyDict_SetItemString(cls->tp_dict, key, value) < 0)
        return NULL;
    PyType_Modified(cls);
    Py_RETURN_NONE;
}

/* class_with_key(name, key): type(name, (object,), {}) made in C, then a
 * key only C has spelled written into its tp_dict. */
static PyObject *
class_with_key(PyObject *self, PyObject *args)
{
    const char *name, *key;
    if (!PyArg_ParseTuple(args, "ss", &name, &key))
        return NULL;
    PyObject *cls = PyObject_CallFunction((PyObject *)&PyType_Type, "s(O){}", name, (PyObject *)&PyBaseObject_Type);
    if (cls == NULL)
        return NULL;
    PyObject *seven = PyLong_FromLong(7);
    int err = PyDict_SetItemString(((PyTypeObject *)cls)->tp_dict, key, seven);
    Py_DECREF(seven);
    if (err < 0) {
        Py_DECREF(cls);
        return NULL;
    }
    PyObject *found = PyObject_GetAttrString(cls, key);
    if (found == NULL) {
        Py_DECREF(cls);
        return NULL;
    }
    return Py_BuildValue("(NN)", cls, found);
}

/* class_keeps_bases(base): type("Kept", (base,), {}) from C with the bases
 * tuple given away ("N"), then that tuple read again: it is the class's
 * tp_bases, which keeps it alive. */
static PyObject *
class_keeps_bases(PyObject *self, PyObject *base)
{
    PyObject *bases = PyTuple_Pack(1, base);
    if (bases == NULL)
        return NULL;
    PyObject *cls = PyObject_CallFunction((PyObject *)Py_TYPE(base), "sNN", "Kept", bases, PyDict_New());
    if (cls == NULL)
        return NULL;
    int same = ((PyTypeObject *)cls)->tp_bases == bases;
    PyObject *first = PyTuple_GetItem(bases, 0);
    return Py_BuildValue("(NiO)", cls, same, first == base ? Py_True : Py_False);
}

static PyMethodDef late_module_methods[] = {
    {"class_keeps_bases", class_keeps_bases, METH_O, NULL},
    {"tp_dict_key", tp_dict_key, METH_VARARGS, NULL},
    {"class_with_key", class_with_key, METH_VARARGS, NULL},
    {NULL},
};

PyMODINIT_FUNC
PyInit_statictype_ext(void)
{
    PresetType.tp_dict = Py_BuildValue("{sisssO}", "answer", 42, "shadowed", "from the preset dict", "kind", Py_None);
    if (PresetType.tp_dict == NULL || PyType_Ready(&PresetType) < 0 || PyType_Ready(&SoundType) < 0 ||
        PyType_Ready(&PlainBaseType) < 0 || PyType_Ready(&FieldedType) < 0 || PyType_Ready(&NamedType) < 0)
        return NULL;
    if (PyType_Ready(&PointType) < 0 || PyType_Ready(&CountdownType) < 0 || PyType_Ready(&NoNewType) < 0 ||
        PyType_Ready(&PointChildType) < 0 || PyType_Ready(&NamedChildType) < 0 || PyType_Ready(&LateType) < 0)
        return NULL;
    LateType.tp_call = late_call;
    LateType.tp_descr_get = late_descr_get;
    /* A key whose text nothing else in the program spells. */
    PyObject *marker = PyUnicode_FromString("written after PyType_Ready");
    if (PyDict_SetItemString(LateType.tp_dict, "zq_after_ready_key", marker) < 0)
        return NULL;
    Py_DECREF(marker);
    /* The classic idiom: class constants added through tp_dict. */
    PyObject *answer = PyLong_FromLong(42);
    if (PyDict_SetItemString(PointType.tp_dict, "ANSWER", answer) < 0)
        return NULL;
    Py_DECREF(answer);
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Point", (PyObject *)&PointType) < 0 ||
        PyModule_AddObjectRef(m, "Countdown", (PyObject *)&CountdownType) < 0 ||
        PyModule_AddObjectRef(m, "NoNew", (PyObject *)&NoNewType) < 0 ||
        PyModule_AddObjectRef(m, "PointChild", (PyObject *)&PointChildType) < 0 ||
        PyModule_AddObjectRef(m, "Preset", (PyObject *)&PresetType) < 0 ||
        PyModule_AddObjectRef(m, "Sound", (PyObject *)&SoundType) < 0 ||
        PyModule_AddObjectRef(m, "PlainBase", (PyObject *)&PlainBaseType) < 0 ||
        PyModule_AddObjectRef(m, "Fielded", (PyObject *)&FieldedType) < 0 ||
        PyModule_AddObjectRef(m, "Named", (PyObject *)&NamedType) < 0 ||
        PyModule_AddObjectRef(m, "NamedChild", (PyObject *)&NamedChildType) < 0 ||
        PyModule_AddObjectRef(m, "Late", (PyObject *)&LateType) < 0 ||
        PyModule_AddFunctions(m, late_module_methods) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
