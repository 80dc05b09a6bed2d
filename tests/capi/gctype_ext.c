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
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "gctype_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_gctype_ext(void)
{
    if (PyType_Ready(&NodeType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m != NULL)
        PyModule_AddObjectRef(m, "Node", (PyObject *)&NodeType);
    return m;
}
