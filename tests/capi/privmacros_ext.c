/* CPython 3.11's private macros that extensions still use: _PyGC_FINALIZED
 * in Cython 0.29's tp_dealloc, _PyObject_ASSERT, _PyObject_LookupSpecial,
 * _PyBaseExceptionGroup_Check, _PyDict_HasSplitTable. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD PyObject *log; } Res;

static void res_finalize(PyObject *o) {
    Res *r = (Res *)o;
    PyObject *t, *v, *tb;
    PyErr_Fetch(&t, &v, &tb);
    if (r->log) {
        PyObject *s = PyUnicode_FromString("finalized");
        if (s) { PyList_Append(r->log, s); Py_DECREF(s); }
    }
    PyErr_Restore(t, v, tb);
}

/* The dealloc Cython 0.29 writes for a cdef class with __del__. */
static void res_dealloc(PyObject *o) {
    Res *r = (Res *)o;
    if (Py_TYPE(o)->tp_finalize && !_PyGC_FINALIZED(o)) {
        if (PyObject_CallFinalizerFromDealloc(o)) return;
    }
    PyObject_GC_UnTrack(o);
    if (r->log) {
        PyObject *s = PyUnicode_FromString("dealloc");
        if (s) { PyList_Append(r->log, s); Py_DECREF(s); }
    }
    Py_CLEAR(r->log);
    Py_TYPE(o)->tp_free(o);
}
static int res_traverse(PyObject *o, visitproc visit, void *arg) { Py_VISIT(((Res *)o)->log); return 0; }
static int res_clear(PyObject *o) { Py_CLEAR(((Res *)o)->log); return 0; }
static PyObject *res_new(PyTypeObject *tp, PyObject *args, PyObject *kw) {
    PyObject *log;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &log)) return NULL;
    Res *r = (Res *)tp->tp_alloc(tp, 0);
    if (!r) return NULL;
    Py_INCREF(log);
    r->log = log;
    return (PyObject *)r;
}
static PyTypeObject ResType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "privmacros_ext.Res", .tp_basicsize = sizeof(Res),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = res_new, .tp_dealloc = res_dealloc, .tp_finalize = res_finalize,
    .tp_traverse = res_traverse, .tp_clear = res_clear,
};

static PyObject *is_finalized(PyObject *self, PyObject *o) { return PyBool_FromLong(_PyGC_FINALIZED(o)); }
static PyObject *is_group(PyObject *self, PyObject *o) { return PyBool_FromLong(_PyBaseExceptionGroup_Check(o)); }
static PyObject *split_table(PyObject *self, PyObject *d) {
    if (!PyDict_Check(d)) { PyErr_SetString(PyExc_TypeError, "dict expected"); return NULL; }
    return PyBool_FromLong(_PyDict_HasSplitTable((PyDictObject *)d));
}
static PyObject *special_enter(PyObject *self, PyObject *o) {
    _Py_IDENTIFIER(__enter__);
    PyObject *m = _PyObject_LookupSpecial(o, &PyId___enter__);
    if (m == NULL) {
        if (PyErr_Occurred()) return NULL;
        return PyUnicode_FromString("<none>");
    }
    PyObject *r = PyObject_CallNoArgs(m);
    Py_DECREF(m);
    return r;
}
static PyObject *checked(PyObject *self, PyObject *o) {
    _PyObject_ASSERT(o, Py_REFCNT(o) > 0);
    _PyObject_ASSERT_WITH_MSG(o, o != Py_None, "None is refused only by the message form");
    Py_INCREF(o);
    return o;
}
static PyObject *sanitizers(PyObject *self, PyObject *unused) {
    int asan = 0, msan = 0;
#ifdef _Py_ADDRESS_SANITIZER
    asan = 1;
#endif
#ifdef _Py_MEMORY_SANITIZER
    msan = 1;
#endif
    return Py_BuildValue("(ii)", asan, msan);
}

static PyMethodDef methods[] = {
    {"is_finalized", is_finalized, METH_O, NULL}, {"is_group", is_group, METH_O, NULL},
    {"split_table", split_table, METH_O, NULL}, {"special_enter", special_enter, METH_O, NULL},
    {"checked", checked, METH_O, NULL}, {"sanitizers", sanitizers, METH_NOARGS, NULL}, {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "privmacros_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_privmacros_ext(void) {
    if (PyType_Ready(&ResType) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL) return NULL;
    Py_INCREF(&ResType);
    if (PyModule_AddObject(m, "Res", (PyObject *)&ResType) < 0) return NULL;
    return m;
}
