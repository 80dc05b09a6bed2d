/* What mypyc's output relies on: docstrings that are only a text signature
 * (None as __doc__), and C subclasses of dict with tp_finalize, with and
 * without a __del__ method. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *events;

static PyObject *nothing(PyObject *self, PyObject *unused) { Py_RETURN_NONE; }

static void record_finalize(PyObject *self) {
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    PyObject *s = PyUnicode_FromFormat("finalized %s", Py_TYPE(self)->tp_name);
    if (s) { PyList_Append(events, s); Py_DECREF(s); }
    PyErr_Restore(t, v, tb);
}
static PyObject *call_del(PyObject *self, PyObject *unused) { record_finalize(self); Py_RETURN_NONE; }
static PyMethodDef with_del_methods[] = {{"__del__", call_del, METH_NOARGS, NULL}, {NULL}};

static PyTypeObject PlainType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mypycbits_ext.FinalDict", .tp_basicsize = sizeof(PyDictObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_finalize = record_finalize,
};
static PyTypeObject WithDelType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mypycbits_ext.FinalDictWithDel", .tp_basicsize = sizeof(PyDictObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, .tp_finalize = record_finalize,
    .tp_methods = with_del_methods,
};

static PyMethodDef methods[] = {
    {"sig_only", nothing, METH_NOARGS, "sig_only()\n--\n\n"},
    {"empty", nothing, METH_NOARGS, ""},
    {"sig_doc", nothing, METH_NOARGS, "sig_doc()\n--\n\nreal doc"},
    {"nodoc", nothing, METH_NOARGS, NULL},
    {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "mypycbits_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_mypycbits_ext(void) {
    PlainType.tp_base = &PyDict_Type;
    WithDelType.tp_base = &PyDict_Type;
    if (PyType_Ready(&PlainType) < 0 || PyType_Ready(&WithDelType) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    events = PyList_New(0);
    if (!events || PyModule_AddObject(m, "events", events) < 0) return NULL;
    Py_INCREF(events);
    Py_INCREF(&PlainType);
    if (PyModule_AddObject(m, "FinalDict", (PyObject *)&PlainType) < 0) return NULL;
    Py_INCREF(&WithDelType);
    if (PyModule_AddObject(m, "FinalDictWithDel", (PyObject *)&WithDelType) < 0) return NULL;
    return m;
}
