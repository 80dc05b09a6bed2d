/* Does C's tp_clear, run by a collection the host starts by itself, run
 * while another thread is inside C holding the GIL? `spin()` holds the GIL
 * in a C loop watching a global that tp_clear changes; under a GIL it can
 * never see the change. */
#include <Python.h>
static volatile int inside_clear = 0;
static long clears = 0, overlaps = 0;
typedef struct { PyObject_HEAD PyObject *ref; } NodeObject;
static int node_traverse(NodeObject *self, visitproc visit, void *arg) { Py_VISIT(self->ref); return 0; }
static int node_clear(NodeObject *self) {
    inside_clear = 1;
    for (volatile int i = 0; i < 20000; i++) ;   /* take a little time */
    inside_clear = 0;
    clears++;
    Py_CLEAR(self->ref);
    return 0;
}
static void node_dealloc(NodeObject *self) { PyObject_GC_UnTrack(self); Py_CLEAR(self->ref); Py_TYPE(self)->tp_free(self); }
static PyObject *node_set(NodeObject *self, PyObject *o) { Py_INCREF(o); Py_XSETREF(self->ref, o); Py_RETURN_NONE; }
static PyMethodDef node_methods[] = {{"set", (PyCFunction)node_set, METH_O, NULL}, {NULL}};
static PyTypeObject Node_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "clearrace_ext.Node", .tp_basicsize = sizeof(NodeObject),
    .tp_dealloc = (destructor)node_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)node_traverse, .tp_clear = (inquiry)node_clear,
    .tp_methods = node_methods, .tp_new = PyType_GenericNew,
};
static PyObject *spin(PyObject *m, PyObject *arg) {
    long n = PyLong_AsLong(arg);
    for (long i = 0; i < n; i++)
        if (inside_clear) overlaps++;
    Py_RETURN_NONE;
}
static PyObject *stats(PyObject *m, PyObject *unused) { return Py_BuildValue("(ll)", clears, overlaps); }
static PyMethodDef methods[] = {{"spin", spin, METH_O, NULL}, {"stats", stats, METH_NOARGS, NULL}, {NULL}};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "clearrace_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_clearrace_ext(void) {
    if (PyType_Ready(&Node_Type) < 0) return NULL;
    PyObject *m = PyModule_Create(&moddef);
    Py_INCREF(&Node_Type); PyModule_AddObject(m, "Node", (PyObject *)&Node_Type);
    return m;
}
