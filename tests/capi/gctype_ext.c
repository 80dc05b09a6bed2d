/* A GC container type: cycles through it and Python objects are collected;
 * weak references to its instances work, with callbacks. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static long deallocs = 0;
static long clears = 0;

typedef struct {
    PyObject_HEAD
    PyObject *next;       /* any object: the edge that makes cycles */
    PyObject *weakreflist;
    long id;
} Node;

static int
Node_traverse(Node *self, visitproc visit, void *arg)
{
    Py_VISIT(self->next);
    return 0;
}

static int
Node_clear(Node *self)
{
    clears++;
    Py_CLEAR(self->next);
    return 0;
}

static void
Node_dealloc(Node *self)
{
    deallocs++;
    PyObject_GC_UnTrack(self);
    if (self->weakreflist != NULL)
        PyObject_ClearWeakRefs((PyObject *)self);
    Node_clear(self);
    clears--; /* not a collector clear */
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Node_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static long counter = 0;
    Node *self = PyObject_GC_New(Node, type);
    if (self == NULL)
        return NULL;
    self->next = NULL;
    self->weakreflist = NULL;
    self->id = ++counter;
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

static PyMemberDef Node_members[] = {
    {"next", T_OBJECT, offsetof(Node, next), 0, NULL},
    {"id", T_LONG, offsetof(Node, id), READONLY, NULL},
    {NULL},
};

static PyTypeObject NodeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gctype_ext.Node",
    .tp_basicsize = sizeof(Node),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_BASETYPE,
    .tp_new = Node_new,
    .tp_dealloc = (destructor)Node_dealloc,
    .tp_traverse = (traverseproc)Node_traverse,
    .tp_clear = (inquiry)Node_clear,
    .tp_free = PyObject_GC_Del,
    .tp_members = Node_members,
    .tp_weaklistoffset = offsetof(Node, weakreflist),
};

/* A variable-size GC container: a fixed field and its items. */
typedef struct {
    PyObject_VAR_HEAD
    long tag;
    PyObject *items[1];
} Bag;

static int
Bag_traverse(Bag *self, visitproc visit, void *arg)
{
    for (Py_ssize_t i = 0; i < Py_SIZE(self); i++)
        Py_VISIT(self->items[i]);
    return 0;
}

static int
Bag_clear(Bag *self)
{
    for (Py_ssize_t i = 0; i < Py_SIZE(self); i++)
        Py_CLEAR(self->items[i]);
    return 0;
}

static void
Bag_dealloc(Bag *self)
{
    PyObject_GC_UnTrack(self);
    Bag_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t
Bag_length(Bag *self)
{
    return Py_SIZE(self);
}

static PyObject *
Bag_item(Bag *self, Py_ssize_t i)
{
    if (i < 0 || i >= Py_SIZE(self)) {
        PyErr_SetString(PyExc_IndexError, "bag index out of range");
        return NULL;
    }
    return Py_NewRef(self->items[i] ? self->items[i] : Py_None);
}

static PySequenceMethods Bag_as_sequence = {
    .sq_length = (lenfunc)Bag_length,
    .sq_item = (ssizeargfunc)Bag_item,
};

static PyMemberDef Bag_members[] = {
    {"tag", T_LONG, offsetof(Bag, tag), READONLY, NULL},
    {NULL},
};

static PyTypeObject BagType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "gctype_ext.Bag",
    .tp_basicsize = offsetof(Bag, items),
    .tp_itemsize = sizeof(PyObject *),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)Bag_dealloc,
    .tp_traverse = (traverseproc)Bag_traverse,
    .tp_clear = (inquiry)Bag_clear,
    .tp_free = PyObject_GC_Del,
    .tp_as_sequence = &Bag_as_sequence,
    .tp_members = Bag_members,
};

/* bag(items, sizes...): a Bag of len(items) made with PyObject_GC_NewVar,
 * then resized to each size in turn (new slots NULL), then tracked. */
static PyObject *
bag(PyObject *self, PyObject *args)
{
    PyObject *items = PyTuple_GetItem(args, 0);
    if (items == NULL || !PyTuple_Check(items))
        return NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(items);
    Bag *b = PyObject_GC_NewVar(Bag, &BagType, n);
    if (b == NULL)
        return NULL;
    b->tag = 4242;
    for (Py_ssize_t i = 0; i < n; i++)
        b->items[i] = Py_NewRef(PyTuple_GET_ITEM(items, i));
    for (Py_ssize_t k = 1; k < PyTuple_GET_SIZE(args); k++) {
        Py_ssize_t size = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, k));
        Py_ssize_t old = Py_SIZE(b);
        for (Py_ssize_t i = size; i < old; i++)
            Py_CLEAR(b->items[i]); /* the items that will not fit */
        Bag *grown = PyObject_GC_Resize(Bag, b, size);
        if (grown == NULL) {
            Py_DECREF(b);
            return NULL;
        }
        b = grown;
        for (Py_ssize_t i = old; i < size; i++)
            b->items[i] = NULL;
    }
    PyObject_GC_Track(b);
    return (PyObject *)b;
}

/* An instance only a dict holds (C released its own reference), taken back
 * with a bare Py_INCREF into a PyList_New list; the dict goes first, then
 * the list (psycopg-c's loaders). Returns the deallocations after each
 * release; with keep=1 the instance is returned instead, still alive. */
static PyObject *
revived_through_list(PyObject *self, PyObject *args)
{
    int keep = 0;
    if (!PyArg_ParseTuple(args, "|i", &keep))
        return NULL;
    PyObject *node = PyObject_CallNoArgs((PyObject *)&NodeType);
    PyObject *dict = PyDict_New();
    if (node == NULL || dict == NULL || PyDict_SetItemString(dict, "k", node) < 0)
        return NULL;
    Py_DECREF(node); /* only the dict holds it now */
    PyObject *list = PyList_New(1);
    if (list == NULL)
        return NULL;
    Py_INCREF(node);
    PyList_SET_ITEM(list, 0, node);
    long before = deallocs;
    Py_DECREF(dict);
    long after_dict = deallocs - before;
    PyObject *kept = keep ? Py_NewRef(node) : NULL;
    Py_DECREF(list);
    long after_list = deallocs - before;
    if (keep)
        return Py_BuildValue("(llN)", after_dict, after_list, kept);
    return Py_BuildValue("(ll)", after_dict, after_list);
}

static PyObject *
counts(PyObject *self, PyObject *unused)
{
    return PyTuple_Pack(2, PyLong_FromLong(deallocs), PyLong_FromLong(clears));
}

static PyObject *
is_tracked(PyObject *self, PyObject *obj)
{
    return PyBool_FromLong(PyObject_GC_IsTracked(obj));
}

static PyMethodDef methods[] = {
    {"counts", counts, METH_NOARGS, NULL},
    {"is_tracked", is_tracked, METH_O, NULL},
    {"bag", bag, METH_VARARGS, NULL},
    {"revived_through_list", revived_through_list, METH_VARARGS, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "gctype_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_gctype_ext(void)
{
    if (PyType_Ready(&NodeType) < 0 || PyType_Ready(&BagType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m != NULL)
        PyModule_AddObjectRef(m, "Node", (PyObject *)&NodeType);
    return m;
}
