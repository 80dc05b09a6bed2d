#include <Python.h>
/* A C type filling number, sequence, rich-compare, call, init, repr and
 * async slots: Python must see each slot dunder as CPython's wrapper
 * descriptor (`<slot wrapper ...>`), bound to instances as method-wrappers. */
typedef struct { PyObject_HEAD long v; } Obj;
static PyTypeObject T;
static int obj_init(PyObject *self, PyObject *a, PyObject *k) {
    long v = 0;
    if (!PyArg_ParseTuple(a, "|l", &v)) return -1;
    ((Obj *)self)->v = v;
    return 0;
}
static PyObject *obj_repr(PyObject *self) { return PyUnicode_FromFormat("T(%ld)", ((Obj *)self)->v); }
static PyObject *obj_add(PyObject *a, PyObject *b) {
    if (!PyObject_TypeCheck(a, &T) || !PyLong_Check(b)) Py_RETURN_NOTIMPLEMENTED;
    return PyLong_FromLong(((Obj *)a)->v + PyLong_AsLong(b));
}
static Py_ssize_t obj_len(PyObject *self) { return ((Obj *)self)->v; }
static PyObject *obj_call(PyObject *self, PyObject *a, PyObject *k) { Py_INCREF(a); return a; }
static PyObject *obj_await(PyObject *self) { PyObject *e = PyTuple_New(0), *it = e ? PyObject_GetIter(e) : NULL; Py_XDECREF(e); return it; }
static PyObject *obj_richcompare(PyObject *a, PyObject *b, int op) {
    if (op != Py_EQ) Py_RETURN_NOTIMPLEMENTED;
    return PyBool_FromLong(PyLong_Check(b) && ((Obj *)a)->v == PyLong_AsLong(b));
}
static PyNumberMethods nb = {.nb_add = obj_add};
static PySequenceMethods sq = {.sq_length = obj_len};
static PyAsyncMethods am = {.am_await = obj_await};
static PyTypeObject T = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "slotwrapkind_ext.T", .tp_basicsize = sizeof(Obj),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_init = obj_init, .tp_new = PyType_GenericNew, .tp_repr = obj_repr,
    .tp_as_number = &nb, .tp_as_sequence = &sq, .tp_as_async = &am,
    .tp_call = obj_call, .tp_richcompare = obj_richcompare, .tp_hash = PyObject_HashNotImplemented,
};
/* What C sees: 1 if `w` is a PyWrapperDescrObject, with its d_base name. */
static PyObject *c_view(PyObject *self, PyObject *w) {
    if (!Py_IS_TYPE(w, &PyWrapperDescr_Type)) return Py_BuildValue("(is)", 0, Py_TYPE(w)->tp_name);
    return Py_BuildValue("(is)", 1, ((PyWrapperDescrObject *)w)->d_base->name);
}
/* Documents T.__add__ with a doctest, as Cython does for a special method
 * (python-flint's doctests live there): a copy of its wrapperbase. */
static struct wrapperbase add_base;
static int document_add(void) {
    PyObject *w = PyObject_GetAttrString((PyObject *)&T, "__add__");
    if (!w) return -1;
    if (Py_IS_TYPE(w, &PyWrapperDescr_Type)) {
        add_base = *((PyWrapperDescrObject *)w)->d_base;
        add_base.doc = "__add__($self, value, /)\n--\n\nAdd an int.\n\n>>> T(2) + 3\n5\n";
        ((PyWrapperDescrObject *)w)->d_base = &add_base;
    }
    Py_DECREF(w);
    return 0;
}
static PyMethodDef methods[] = {{"c_view", c_view, METH_O, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "slotwrapkind_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_slotwrapkind_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (!m || PyType_Ready(&T) < 0 || document_add() < 0) return NULL;
    Py_INCREF(&T);
    PyModule_AddObject(m, "T", (PyObject *)&T);
    return m;
}
