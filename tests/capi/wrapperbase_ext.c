#include <Python.h>
/* A C type whose slot dunders C documents as Cython does for the special
 * methods of a cdef class: it looks each up on the type, and if it is a
 * slot wrapper (PyWrapperDescr_Type), points its d_base at a copy of the
 * wrapperbase with another doc. */
typedef struct { PyObject_HEAD } Obj;
static int obj_init(PyObject *self, PyObject *a, PyObject *k) { return 0; }
static PyObject *obj_repr(PyObject *self) { return PyUnicode_FromString("<T>"); }
static PyObject *obj_call(PyObject *self, PyObject *a, PyObject *k) { Py_INCREF(a); return a; }
static Py_ssize_t obj_len(PyObject *self) { return 3; }
static PySequenceMethods sq = {.sq_length = obj_len};
static PyTypeObject T = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "wrapperbase_ext.T", .tp_basicsize = sizeof(Obj),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_init = obj_init, .tp_new = PyType_GenericNew, .tp_repr = obj_repr,
    .tp_call = obj_call, .tp_as_sequence = &sq,
};
static struct wrapperbase init_base, call_base, len_base;

/* Gives T's slot wrapper `name` the doc `doc`; 1 if it is a slot wrapper. */
static int redocument(const char *name, struct wrapperbase *copy, const char *doc) {
    PyObject *w = PyObject_GetAttrString((PyObject *)&T, name);
    if (!w) return -1;
    int is_wrapper = Py_IS_TYPE(w, &PyWrapperDescr_Type);
    if (is_wrapper) {
        *copy = *((PyWrapperDescrObject *)w)->d_base;
        copy->doc = doc;
        ((PyWrapperDescrObject *)w)->d_base = copy;
    }
    Py_DECREF(w);
    return is_wrapper;
}

/* What C sees of a slot wrapper: its type, its d_base's name and doc, and
 * the name and owner in its descriptor head. */
static PyObject *inspect(PyObject *self, PyObject *w) {
    if (!Py_IS_TYPE(w, &PyWrapperDescr_Type))
        return Py_BuildValue("(sO)", "not a wrapper", (PyObject *)Py_TYPE(w));
    struct wrapperbase *b = ((PyWrapperDescrObject *)w)->d_base;
    PyDescrObject *d = (PyDescrObject *)w;
    return Py_BuildValue("(szzOs)", "wrapper", b->name, b->doc, d->d_name, d->d_type->tp_name);
}

static PyMethodDef methods[] = {{"inspect", inspect, METH_O, NULL}, {NULL}};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "wrapperbase_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_wrapperbase_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (!m || PyType_Ready(&T) < 0) return NULL;
    int a = redocument("__init__", &init_base, "T.__init__ docstring");
    int b = redocument("__call__", &call_base, "__call__($self, a, b=1.0, *args)\n--\n\ncall docstring");
    int c = redocument("__len__", &len_base, "T.__len__ docstring");
    if (a < 0 || b < 0 || c < 0) return NULL;
    Py_INCREF(&T);
    PyModule_AddObject(m, "T", (PyObject *)&T);
    PyModule_AddObject(m, "redocumented", Py_BuildValue("(iii)", a, b, c));
    return m;
}
