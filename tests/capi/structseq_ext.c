/* structseq.h: struct sequence types made with NewType and InitType2. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyStructSequence_Field point_fields[] = {
    {"x", "the x coordinate"},
    {"y", "the y coordinate"},
    {"label", "a hidden label"},
    {"weight", "a hidden weight"},
    {NULL, NULL},
};
static PyStructSequence_Desc point_desc = {"structseq_ext.Point", "A point with hidden extras.", point_fields, 2};

static PyStructSequence_Field mixed_fields[] = {
    {"first", NULL},
    {NULL, NULL}, /* replaced by PyStructSequence_UnnamedField at init */
    {"third", NULL},
    {NULL, NULL},
};
static PyStructSequence_Desc mixed_desc = {"structseq_ext.Mixed", NULL, mixed_fields, 3};

static PyStructSequence_Field plain_fields[] = {
    {"a", NULL},
    {"b", NULL},
    {NULL, NULL},
};
static PyStructSequence_Desc plain_desc = {"plainseq", NULL, plain_fields, 2};

static PyStructSequence_Field pair_fields[] = {
    {"left", NULL},
    {"right", NULL},
    {NULL, NULL},
};
static PyStructSequence_Desc pair_desc = {"structseq_ext.Pair", "Made by InitType.", pair_fields, 2};

static PyTypeObject PointType; /* static, filled by InitType2 */
static PyTypeObject PairType;  /* static, filled by InitType */
static PyTypeObject *MixedType;
static PyTypeObject *PlainType;

/* Point(x, y) made in C, hidden fields set with the macro and the function. */
static PyObject *
s_make_point(PyObject *self, PyObject *args)
{
    PyObject *x, *y, *label;
    double weight;
    if (!PyArg_ParseTuple(args, "OOOd", &x, &y, &label, &weight)) return NULL;
    PyObject *p = PyStructSequence_New(&PointType);
    if (p == NULL) return NULL;
    PyStructSequence_SET_ITEM(p, 0, Py_NewRef(x));
    PyStructSequence_SetItem(p, 1, Py_NewRef(y));
    PyStructSequence_SET_ITEM(p, 2, Py_NewRef(label));
    PyStructSequence_SetItem(p, 3, PyFloat_FromDouble(weight));
    return p;
}

static PyObject *
s_make_mixed(PyObject *self, PyObject *args)
{
    PyObject *a, *b, *c;
    if (!PyArg_ParseTuple(args, "OOO", &a, &b, &c)) return NULL;
    PyObject *m = PyStructSequence_New(MixedType);
    if (m == NULL) return NULL;
    PyStructSequence_SET_ITEM(m, 0, Py_NewRef(a));
    PyStructSequence_SET_ITEM(m, 1, Py_NewRef(b));
    PyStructSequence_SET_ITEM(m, 2, Py_NewRef(c));
    return m;
}

/* Reads every field of a fresh Point back in C: (GET_ITEM 0..3, GetItem 0..3). */
static PyObject *
s_read_back(PyObject *self, PyObject *unused)
{
    PyObject *p = PyStructSequence_New(&PointType);
    if (p == NULL) return NULL;
    for (Py_ssize_t i = 0; i < 4; i++)
        PyStructSequence_SET_ITEM(p, i, PyLong_FromSsize_t(i * 10));
    PyObject *r = Py_BuildValue("(OOOOOOOO)", PyStructSequence_GET_ITEM(p, 0), PyStructSequence_GET_ITEM(p, 1),
                                PyStructSequence_GET_ITEM(p, 2), PyStructSequence_GET_ITEM(p, 3),
                                PyStructSequence_GetItem(p, 0), PyStructSequence_GetItem(p, 1),
                                PyStructSequence_GetItem(p, 2), PyStructSequence_GetItem(p, 3));
    Py_DECREF(p);
    return r;
}

/* C's view of a struct sequence made anywhere: (PyTuple_Check, type is Point, item 0 via GetItem). */
static PyObject *
s_inspect(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(iiO)", PyTuple_Check(o), Py_TYPE(o) == &PointType, PyStructSequence_GetItem(o, 0));
}

static PyObject *
s_unnamed_name(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString(PyStructSequence_UnnamedField);
}

static PyObject *
s_type_facts(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(sisi)", PointType.tp_name, (PointType.tp_flags & Py_TPFLAGS_HEAPTYPE) != 0,
                         PlainType->tp_name, PyType_HasFeature(PlainType, Py_TPFLAGS_TUPLE_SUBCLASS));
}

static PyMethodDef methods[] = {
    {"make_point", s_make_point, METH_VARARGS, NULL},
    {"make_mixed", s_make_mixed, METH_VARARGS, NULL},
    {"read_back", s_read_back, METH_NOARGS, NULL},
    {"inspect", s_inspect, METH_O, NULL},
    {"unnamed_name", s_unnamed_name, METH_NOARGS, NULL},
    {"type_facts", s_type_facts, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "structseq_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_structseq_ext(void)
{
    mixed_fields[1].name = PyStructSequence_UnnamedField;
    if (PyStructSequence_InitType2(&PointType, &point_desc) < 0) return NULL;
    PyStructSequence_InitType(&PairType, &pair_desc);
    if (PyErr_Occurred()) return NULL;
    MixedType = PyStructSequence_NewType(&mixed_desc);
    if (MixedType == NULL) return NULL;
    PlainType = PyStructSequence_NewType(&plain_desc);
    if (PlainType == NULL) return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL) return NULL;
    Py_INCREF(&PointType);
    if (PyModule_AddObject(m, "Point", (PyObject *)&PointType) < 0) return NULL;
    if (PyModule_AddObject(m, "Mixed", (PyObject *)MixedType) < 0) return NULL;
    Py_INCREF(&PairType);
    if (PyModule_AddObject(m, "Pair", (PyObject *)&PairType) < 0) return NULL;
    if (PyModule_AddObject(m, "Plain", (PyObject *)PlainType) < 0) return NULL;
    return m;
}
