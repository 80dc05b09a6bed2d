#include <Python.h>
/* Chains of C objects, each holding the next: Guarded's tp_dealloc uses
 * the trashcan (Py_TRASHCAN_BEGIN), Plain's does not. Each dealloc logs
 * its id as it starts and ~id as it ends, after releasing the next. */
typedef struct { PyObject_HEAD PyObject *next; long id; } Node;
static long events[4096];
static Py_ssize_t n_events, n_freed;

static void note(long v) {
    if (n_events < 4096) events[n_events] = v;
    n_events++;
}
static void guarded_dealloc(PyObject *self);
static void plain_dealloc(PyObject *self) {
    Node *n = (Node *)self;
    PyObject_GC_UnTrack(self);
    note(n->id);
    Py_CLEAR(n->next);
    note(~n->id);
    n_freed++;
    Py_TYPE(self)->tp_free(self);
}
static void guarded_dealloc(PyObject *self) {
    Node *n = (Node *)self;
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, guarded_dealloc)
    note(n->id);
    Py_CLEAR(n->next);
    note(~n->id);
    n_freed++;
    Py_TYPE(self)->tp_free(self);
    Py_TRASHCAN_END
}
static int node_traverse(PyObject *self, visitproc visit, void *arg) {
    Py_VISIT(((Node *)self)->next);
    return 0;
}
static int node_init(PyObject *self, PyObject *args, PyObject *kw) {
    PyObject *next; long id;
    if (!PyArg_ParseTuple(args, "Ol", &next, &id)) return -1;
    Py_INCREF(next);
    Py_XSETREF(((Node *)self)->next, next);
    ((Node *)self)->id = id;
    return 0;
}
#define NODE_TYPE(NAME, DEALLOC) \
    static PyTypeObject NAME = { \
        PyVarObject_HEAD_INIT(NULL, 0) \
        .tp_name = "trashcan_ext." #NAME, .tp_basicsize = sizeof(Node), \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC, \
        .tp_dealloc = DEALLOC, .tp_traverse = node_traverse, \
        .tp_init = node_init, .tp_new = PyType_GenericNew, \
    };
NODE_TYPE(Guarded, guarded_dealloc)
NODE_TYPE(Plain, plain_dealloc)

/* The events logged since the last call (at most 4096 of them) and the
 * number of objects freed. */
static PyObject *take_log(PyObject *self, PyObject *unused) {
    PyObject *list = PyList_New(0);
    for (Py_ssize_t i = 0; i < n_events && i < 4096; i++) {
        PyObject *v = PyLong_FromLong(events[i]);
        PyList_Append(list, v);
        Py_DECREF(v);
    }
    PyObject *r = Py_BuildValue("(Nnn)", list, n_events, n_freed);
    n_events = n_freed = 0;
    return r;
}
static PyMethodDef methods[] = {{"take_log", take_log, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "trashcan_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_trashcan_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (!m || PyType_Ready(&Guarded) < 0 || PyType_Ready(&Plain) < 0) return NULL;
    Py_INCREF(&Guarded);
    PyModule_AddObject(m, "Guarded", (PyObject *)&Guarded);
    Py_INCREF(&Plain);
    PyModule_AddObject(m, "Plain", (PyObject *)&Plain);
    return m;
}
