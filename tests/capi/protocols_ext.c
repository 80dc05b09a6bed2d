/* C types that implement the number, sequence and mapping protocols. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* --- Num: a number holding a long ---------------------------------------- */
typedef struct {
    PyObject_HEAD
    long v;
} Num;

static PyTypeObject NumType;

static PyObject *
num_make(long v)
{
    Num *n = PyObject_New(Num, &NumType);
    if (n != NULL)
        n->v = v;
    return (PyObject *)n;
}

/* The value of a Num or an int operand; -1 with *ok = 0 if neither. */
static long
operand(PyObject *o, int *ok)
{
    *ok = 1;
    if (PyObject_TypeCheck(o, &NumType))
        return ((Num *)o)->v;
    if (PyLong_Check(o))
        return PyLong_AsLong(o);
    *ok = 0;
    return -1;
}

#define BINARY(name, expr)                                              \
    static PyObject *name(PyObject *a, PyObject *b)                     \
    {                                                                   \
        int ok_a, ok_b;                                                 \
        long x = operand(a, &ok_a), y = operand(b, &ok_b);              \
        if (!ok_a || !ok_b)                                             \
            Py_RETURN_NOTIMPLEMENTED;                                   \
        return num_make(expr);                                          \
    }

BINARY(num_add, x + y)
BINARY(num_sub, x - y)
BINARY(num_mul, x * y)
BINARY(num_rem, y ? x % y : 0)
BINARY(num_lshift, x << y)
BINARY(num_rshift, x >> y)
BINARY(num_and, x & y)
BINARY(num_xor, x ^ y)
BINARY(num_or, x | y)
BINARY(num_floordiv, y ? x / y : 0)
BINARY(num_matmul, x * 1000 + y)

static PyObject *
num_truediv(PyObject *a, PyObject *b)
{
    int ok_a, ok_b;
    long x = operand(a, &ok_a), y = operand(b, &ok_b);
    if (!ok_a || !ok_b)
        Py_RETURN_NOTIMPLEMENTED;
    if (y == 0) {
        PyErr_SetString(PyExc_ZeroDivisionError, "Num division by zero");
        return NULL;
    }
    return PyFloat_FromDouble((double)x / (double)y);
}

static PyObject *
num_divmod(PyObject *a, PyObject *b)
{
    int ok_a, ok_b;
    long x = operand(a, &ok_a), y = operand(b, &ok_b);
    if (!ok_a || !ok_b || y == 0)
        Py_RETURN_NOTIMPLEMENTED;
    PyObject *q = num_make(x / y), *r = num_make(x % y);
    PyObject *t = PyTuple_Pack(2, q, r);
    Py_DECREF(q);
    Py_DECREF(r);
    return t;
}

static PyObject *
num_pow(PyObject *a, PyObject *b, PyObject *mod)
{
    int ok_a, ok_b, ok_m = 1;
    long x = operand(a, &ok_a), y = operand(b, &ok_b), m = 0;
    if (mod != Py_None)
        m = operand(mod, &ok_m);
    if (!ok_a || !ok_b || !ok_m)
        Py_RETURN_NOTIMPLEMENTED;
    long r = 1;
    for (long i = 0; i < y; i++)
        r *= x;
    return num_make(m ? r % m : r);
}

static PyObject *
num_iadd(PyObject *a, PyObject *b)
{
    int ok;
    long y = operand(b, &ok);
    if (!ok)
        Py_RETURN_NOTIMPLEMENTED;
    ((Num *)a)->v += y * 10; /* distinguishable from nb_add */
    return Py_NewRef(a);
}

static PyObject *num_neg(PyObject *a) { return num_make(-((Num *)a)->v); }
static PyObject *num_pos(PyObject *a) { return num_make(((Num *)a)->v + 1); }
static PyObject *num_abs(PyObject *a) { long v = ((Num *)a)->v; return num_make(v < 0 ? -v : v); }
static PyObject *num_invert(PyObject *a) { return num_make(~((Num *)a)->v); }
static int num_bool(PyObject *a) { return ((Num *)a)->v != 0; }
static PyObject *num_int(PyObject *a) { return PyLong_FromLong(((Num *)a)->v); }
static PyObject *num_float(PyObject *a) { return PyFloat_FromDouble(((Num *)a)->v + 0.5); }
static PyObject *num_index(PyObject *a) { return PyLong_FromLong(((Num *)a)->v); }

static PyObject *
num_repr(Num *self)
{
    PyObject *v = PyLong_FromLong(self->v);
    PyObject *s = PyObject_Repr(v);
    PyObject *prefix = PyUnicode_FromString("Num(");
    PyObject *close = PyUnicode_FromString(")");
    PyObject *a = PyUnicode_Concat(prefix, s);
    PyObject *r = PyUnicode_Concat(a, close);
    Py_DECREF(v); Py_DECREF(s); Py_DECREF(prefix); Py_DECREF(close); Py_DECREF(a);
    return r;
}

static PyObject *
num_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    long v = PyTuple_GET_SIZE(args) ? PyLong_AsLong(PyTuple_GET_ITEM(args, 0)) : 0;
    if (v == -1 && PyErr_Occurred())
        return NULL;
    Num *n = (Num *)type->tp_alloc(type, 0);
    if (n != NULL)
        n->v = v;
    return (PyObject *)n;
}

static PyNumberMethods num_as_number = {
    .nb_add = num_add,
    .nb_subtract = num_sub,
    .nb_multiply = num_mul,
    .nb_remainder = num_rem,
    .nb_divmod = num_divmod,
    .nb_power = num_pow,
    .nb_negative = num_neg,
    .nb_positive = num_pos,
    .nb_absolute = num_abs,
    .nb_bool = num_bool,
    .nb_invert = num_invert,
    .nb_lshift = num_lshift,
    .nb_rshift = num_rshift,
    .nb_and = num_and,
    .nb_xor = num_xor,
    .nb_or = num_or,
    .nb_int = num_int,
    .nb_float = num_float,
    .nb_inplace_add = num_iadd,
    .nb_floor_divide = num_floordiv,
    .nb_true_divide = num_truediv,
    .nb_index = num_index,
    .nb_matrix_multiply = num_matmul,
};

static PyTypeObject NumType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "protocols_ext.Num",
    .tp_basicsize = sizeof(Num),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = num_new,
    .tp_repr = (reprfunc)num_repr,
    .tp_as_number = &num_as_number,
};

/* --- Seq: a fixed sequence of 5 longs -------------------------------------- */
typedef struct {
    PyObject_HEAD
    long items[5];
    Py_ssize_t n;
} Seq;

static PyTypeObject SeqType;

static PyObject *
seq_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Seq *s = (Seq *)type->tp_alloc(type, 0);
    if (s == NULL)
        return NULL;
    s->n = PyTuple_GET_SIZE(args) < 5 ? PyTuple_GET_SIZE(args) : 5;
    for (Py_ssize_t i = 0; i < s->n; i++)
        s->items[i] = PyLong_AsLong(PyTuple_GET_ITEM(args, i));
    return (PyObject *)s;
}

static Py_ssize_t seq_len(Seq *s) { return s->n; }

static PyObject *
seq_item(Seq *s, Py_ssize_t i)
{
    if (i < 0 || i >= s->n) {
        PyErr_SetString(PyExc_IndexError, "Seq index out of range");
        return NULL;
    }
    return PyLong_FromLong(s->items[i]);
}

static int
seq_ass_item(Seq *s, Py_ssize_t i, PyObject *v)
{
    if (i < 0 || i >= s->n) {
        PyErr_SetString(PyExc_IndexError, "Seq assignment index out of range");
        return -1;
    }
    if (v == NULL) {
        s->items[i] = 0;
        return 0;
    }
    long x = PyLong_AsLong(v);
    if (x == -1 && PyErr_Occurred())
        return -1;
    s->items[i] = x;
    return 0;
}

static int
seq_contains(Seq *s, PyObject *v)
{
    long x = PyLong_AsLong(v);
    if (x == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    for (Py_ssize_t i = 0; i < s->n; i++)
        if (s->items[i] == x)
            return 1;
    return 0;
}

static PyObject *
seq_concat(Seq *s, PyObject *other)
{
    return PyUnicode_FromString("concatenated");
}

static PyObject *
seq_repeat(Seq *s, Py_ssize_t n)
{
    return PyLong_FromSsize_t(s->n * n);
}

static PySequenceMethods seq_as_sequence = {
    .sq_length = (lenfunc)seq_len,
    .sq_concat = (binaryfunc)seq_concat,
    .sq_repeat = (ssizeargfunc)seq_repeat,
    .sq_item = (ssizeargfunc)seq_item,
    .sq_ass_item = (ssizeobjargproc)seq_ass_item,
    .sq_contains = (objobjproc)seq_contains,
};

static PyTypeObject SeqType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "protocols_ext.Seq",
    .tp_basicsize = sizeof(Seq),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = seq_new,
    .tp_as_sequence = &seq_as_sequence,
};

/* --- Map: a mapping over a private dict, keys upper-cased ------------------ */
typedef struct {
    PyObject_HEAD
    PyObject *dict;
} Map;

static PyObject *
map_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Map *m = (Map *)type->tp_alloc(type, 0);
    if (m == NULL)
        return NULL;
    m->dict = PyDict_New();
    return (PyObject *)m;
}

static void
map_dealloc(Map *m)
{
    Py_XDECREF(m->dict);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

static PyObject *
upper(PyObject *key)
{
    PyObject *f = PyObject_GetAttrString(key, "upper");
    if (f == NULL)
        return NULL;
    PyObject *r = PyObject_CallNoArgs(f);
    Py_DECREF(f);
    return r;
}

static Py_ssize_t map_len(Map *m) { return PyDict_Size(m->dict); }

static PyObject *
map_subscript(Map *m, PyObject *key)
{
    PyObject *k = upper(key);
    if (k == NULL)
        return NULL;
    PyObject *v = PyDict_GetItemWithError(m->dict, k);
    if (v == NULL && !PyErr_Occurred())
        PyErr_SetObject(PyExc_KeyError, k);
    Py_DECREF(k);
    return Py_XNewRef(v);
}

static int
map_ass_subscript(Map *m, PyObject *key, PyObject *v)
{
    PyObject *k = upper(key);
    if (k == NULL)
        return -1;
    int r = v ? PyDict_SetItem(m->dict, k, v) : PyDict_DelItem(m->dict, k);
    Py_DECREF(k);
    return r;
}

static PyMappingMethods map_as_mapping = {
    .mp_length = (lenfunc)map_len,
    .mp_subscript = (binaryfunc)map_subscript,
    .mp_ass_subscript = (objobjargproc)map_ass_subscript,
};

static PyTypeObject MapType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "protocols_ext.Map",
    .tp_basicsize = sizeof(Map),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = map_new,
    .tp_dealloc = (destructor)map_dealloc,
    .tp_as_mapping = &map_as_mapping,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "protocols_ext", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_protocols_ext(void)
{
    if (PyType_Ready(&NumType) < 0 || PyType_Ready(&SeqType) < 0 || PyType_Ready(&MapType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    PyModule_AddObjectRef(m, "Num", (PyObject *)&NumType);
    PyModule_AddObjectRef(m, "Seq", (PyObject *)&SeqType);
    PyModule_AddObjectRef(m, "Map", (PyObject *)&MapType);
    return m;
}
