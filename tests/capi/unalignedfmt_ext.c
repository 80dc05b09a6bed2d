/* A C type exporting one record with the PEP 3118 format pybind11 gives a
 * POD struct (PYBIND11_NUMPY_DTYPE): "^T{d:value:d:variance:}" ('^' is
 * native byte order, no alignment). CPython's memoryview takes any format;
 * numpy.asarray reads it as a structured scalar. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef struct { PyObject_HEAD double v[2]; const char *fmt; } Rec;

static int rec_getbuffer(PyObject *self, Py_buffer *view, int flags) {
    Rec *r = (Rec *)self;
    view->obj = Py_NewRef(self);
    view->buf = r->v;
    view->len = sizeof(r->v);
    view->itemsize = sizeof(r->v);
    view->readonly = 1;
    view->ndim = 0;
    view->format = (flags & PyBUF_FORMAT) ? (char *)r->fmt : NULL;
    view->shape = NULL;
    view->strides = NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static PyBufferProcs rec_as_buffer = {rec_getbuffer, NULL};

static PyObject *rec_new(PyTypeObject *t, PyObject *args, PyObject *kw) {
    double a, b; const char *fmt = "^T{d:value:d:variance:}";
    if (!PyArg_ParseTuple(args, "dd|s", &a, &b, &fmt)) return NULL;
    Rec *r = (Rec *)t->tp_alloc(t, 0);
    if (r) { r->v[0] = a; r->v[1] = b; r->fmt = strdup(fmt); }
    return (PyObject *)r;
}

static PyTypeObject RecType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "unalignedfmt_ext.Rec", .tp_basicsize = sizeof(Rec),
    .tp_flags = Py_TPFLAGS_DEFAULT, .tp_new = rec_new, .tp_as_buffer = &rec_as_buffer,
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "unalignedfmt_ext", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_unalignedfmt_ext(void) {
    if (PyType_Ready(&RecType) < 0) return NULL;
    PyObject *m = PyModule_Create(&def);
    if (m) PyModule_AddObject(m, "Rec", Py_NewRef((PyObject *)&RecType));
    return m;
}
