/* tree: a GC container type. Tree nodes hold children and a parent link,
 * so every tree is full of reference cycles that the collector frees. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static long alive = 0;

typedef struct {
    PyObject_HEAD
    PyObject *value;
    PyObject *children; /* a list of Trees */
    PyObject *parent;   /* a Tree or NULL: the back link makes cycles */
} Tree;

static int
Tree_traverse(Tree *self, visitproc visit, void *arg)
{
    Py_VISIT(self->value);
    Py_VISIT(self->children);
    Py_VISIT(self->parent);
    return 0;
}

static int
Tree_clear(Tree *self)
{
    Py_CLEAR(self->value);
    Py_CLEAR(self->children);
    Py_CLEAR(self->parent);
    return 0;
}

static void
Tree_dealloc(Tree *self)
{
    alive--;
    PyObject_GC_UnTrack(self);
    Tree_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Tree_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Tree *self = PyObject_GC_New(Tree, type);
    if (self == NULL)
        return NULL;
    self->value = Py_NewRef(PyTuple_GET_SIZE(args) ? PyTuple_GET_ITEM(args, 0) : Py_None);
    self->children = PyList_New(0);
    self->parent = NULL;
    alive++;
    PyObject_GC_Track(self);
    return (PyObject *)self;
}

static PyObject *
Tree_add(Tree *self, PyObject *value)
{
    PyObject *args = PyTuple_Pack(1, value);
    Tree *child = (Tree *)Tree_new(Py_TYPE(self), args, NULL);
    Py_DECREF(args);
    if (child == NULL)
        return NULL;
    child->parent = Py_NewRef(self);
    if (PyList_Append(self->children, (PyObject *)child) < 0) {
        Py_DECREF(child);
        return NULL;
    }
    return (PyObject *)child;
}

static PyObject *
Tree_size(Tree *self, PyObject *unused)
{
    long n = 1;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(self->children); i++) {
        PyObject *r = Tree_size((Tree *)PyList_GET_ITEM(self->children, i), NULL);
        n += PyLong_AsLong(r);
        Py_DECREF(r);
    }
    return PyLong_FromLong(n);
}

static PyMethodDef Tree_methods[] = {
    {"add", (PyCFunction)Tree_add, METH_O, "add(value) -> the new child"},
    {"size", (PyCFunction)Tree_size, METH_NOARGS, "number of nodes"},
    {NULL},
};

static PyMemberDef Tree_members[] = {
    {"value", T_OBJECT, offsetof(Tree, value), 0, NULL},
    {"children", T_OBJECT, offsetof(Tree, children), READONLY, NULL},
    {"parent", T_OBJECT, offsetof(Tree, parent), READONLY, NULL},
    {NULL},
};

static PyTypeObject TreeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tree.Tree",
    .tp_basicsize = sizeof(Tree),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_new = Tree_new,
    .tp_dealloc = (destructor)Tree_dealloc,
    .tp_traverse = (traverseproc)Tree_traverse,
    .tp_clear = (inquiry)Tree_clear,
    .tp_free = PyObject_GC_Del,
    .tp_methods = Tree_methods,
    .tp_members = Tree_members,
};

static PyObject *
alive_count(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(alive);
}

static PyMethodDef tree_methods[] = {
    {"alive", alive_count, METH_NOARGS, "Tree nodes not yet freed"},
    {NULL},
};

static struct PyModuleDef tree_module = {PyModuleDef_HEAD_INIT, "tree", "A GC container type.", -1, tree_methods};

PyMODINIT_FUNC
PyInit_tree(void)
{
    if (PyType_Ready(&TreeType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&tree_module);
    if (m != NULL && PyModule_AddObjectRef(m, "Tree", (PyObject *)&TreeType) < 0)
        Py_CLEAR(m);
    return m;
}
