/* A Python subclass of a C type whose first base is a plain Python mixin
   (PyTables' `class IndexesTableG(NotLoggedMixin, Group)`, Group a Python
   subclass of a C type): its type object must be as large as its C-based
   parent's, whichever class C happens to see first, or C's writes to the
   instance's fields land past the block. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD PyObject *name; long id; } Node;

static PyObject *node_new(PyTypeObject *t, PyObject *args, PyObject *kw) {
    Node *o = (Node *) t->tp_alloc(t, 0);
    if (o) {
        Py_INCREF(Py_None);
        o->name = Py_None;
    }
    return (PyObject *) o;
}

static void node_dealloc(PyObject *self) {
    Py_XDECREF(((Node *) self)->name);
    Py_TYPE(self)->tp_free(self);
}

/* Replaces the name field as Cython's __Pyx_DECREF_SET does. */
static PyObject *set_name(PyObject *self, PyObject *name) {
    PyObject *old = ((Node *) self)->name;
    Py_INCREF(name);
    ((Node *) self)->name = name;
    Py_XDECREF(old);
    ((Node *) self)->id += 1;
    Py_RETURN_NONE;
}

static PyObject *get_name(PyObject *self, void *closure) {
    return Py_BuildValue("(Ol)", ((Node *) self)->name, ((Node *) self)->id);
}

static PyGetSetDef node_getset[] = {{"cname", get_name, NULL, NULL, NULL}, {NULL}};
static PyMethodDef node_methods[] = {{"set_name", set_name, METH_O, NULL}, {NULL}};

static PyTypeObject NodeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mixinsub_ext.Node",
    .tp_basicsize = sizeof(Node),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_dealloc = node_dealloc,
    .tp_getset = node_getset,
    .tp_methods = node_methods,
    .tp_new = node_new,
};

/* The type object's tp_basicsize, as C reads it. */
static PyObject *basicsize(PyObject *mod, PyObject *cls) {
    if (!PyType_Check(cls)) {
        PyErr_SetString(PyExc_TypeError, "a type is required");
        return NULL;
    }
    return PyLong_FromSsize_t(((PyTypeObject *) cls)->tp_basicsize);
}

static PyMethodDef methods[] = {{"basicsize", basicsize, METH_O, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "mixinsub_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_mixinsub_ext(void) {
    if (PyType_Ready(&NodeType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m)
        return NULL;
    Py_INCREF(&NodeType);
    if (PyModule_AddObject(m, "Node", (PyObject *) &NodeType) < 0) {
        Py_DECREF(&NodeType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
