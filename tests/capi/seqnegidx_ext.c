/* PySequence_GetItem/SetItem/DelItem add the length to a negative index once,
 * then call sq_item/sq_ass_item with the result, even when it is still
 * negative (numpy's array_assign_item relies on this to raise IndexError).
 * The slots here record the index they are handed. Also mp_ass_subscript
 * present beside sq_ass_item, as numpy's ndarray has. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD } NegObject;

static Py_ssize_t last = 12345;

static Py_ssize_t neg_len(PyObject *s) { return 10; }
static PyObject *neg_item(PyObject *s, Py_ssize_t i) {
    last = i;
    if (i < 0 || i >= 10) { PyErr_Format(PyExc_IndexError, "sq_item got %zd", i); return NULL; }
    return PyLong_FromSsize_t(i);
}
static int neg_ass_item(PyObject *s, Py_ssize_t i, PyObject *v) {
    last = i;
    if (i < 0 || i >= 10) { PyErr_Format(PyExc_IndexError, "sq_ass_item got %zd (%s)", i, v ? "set" : "del"); return -1; }
    return 0;
}
static PyObject *neg_subscript(PyObject *s, PyObject *key) {
    return PyUnicode_FromString("mp_subscript");
}
static int neg_ass_subscript(PyObject *s, PyObject *key, PyObject *v) {
    PyErr_SetString(PyExc_RuntimeError, "mp_ass_subscript called");
    return -1;
}

static PySequenceMethods neg_as_sequence = {
    .sq_length = neg_len,
    .sq_item = neg_item,
    .sq_ass_item = neg_ass_item,
};
static PyMappingMethods neg_as_mapping = {
    .mp_length = neg_len,
    .mp_subscript = neg_subscript,
    .mp_ass_subscript = neg_ass_subscript,
};

static PyTypeObject NegType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "seqnegidx_ext.Neg",
    .tp_basicsize = sizeof(NegObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_sequence = &neg_as_sequence,
    .tp_as_mapping = &neg_as_mapping,
    .tp_new = PyType_GenericNew,
};

/* op(mode, obj, i): 0 get, 1 set (value None), 2 del; returns (result or
 * "error: <exc>", index the slot saw) */
static PyObject *op(PyObject *self, PyObject *args) {
    int mode; PyObject *o; Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "iOn", &mode, &o, &i)) return NULL;
    last = 12345;
    PyObject *r = NULL;
    int st = 0;
    if (mode == 0) { r = PySequence_GetItem(o, i); st = r ? 0 : -1; }
    else if (mode == 1) { st = PySequence_SetItem(o, i, Py_None); }
    else { st = PySequence_DelItem(o, i); }
    if (st < 0) {
        PyObject *t, *v, *tb;
        PyErr_Fetch(&t, &v, &tb);
        PyErr_NormalizeException(&t, &v, &tb);
        r = PyUnicode_FromFormat("error %s: %S", ((PyTypeObject *)t)->tp_name, v);
        Py_XDECREF(t); Py_XDECREF(v); Py_XDECREF(tb);
    } else if (!r) {
        r = PyUnicode_FromString("ok");
    }
    return Py_BuildValue("(Nn)", r, last);
}

static PyMethodDef methods[] = {{"op", op, METH_VARARGS}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "seqnegidx_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_seqnegidx_ext(void) {
    if (PyType_Ready(&NegType) < 0) return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (!m) return NULL;
    Py_INCREF(&NegType);
    PyModule_AddObject(m, "Neg", (PyObject *)&NegType);
    return m;
}
