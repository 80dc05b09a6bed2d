/* memoryview: views of objects, of C memory (read-only and writable), of a
 * filled Py_buffer; PyMemoryView_GET_BUFFER/GET_BASE; GetContiguous. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static char readonly_memory[] = "hello";
static char writable_memory[] = "abcdef";
static int matrix[2][3] = {{1, 2, 3}, {4, 5, 6}};
static Py_ssize_t matrix_shape[2] = {2, 3};
static Py_ssize_t matrix_strides[2] = {3 * sizeof(int), sizeof(int)};
/* The transpose of matrix, described by strides alone. */
static Py_ssize_t transposed_shape[2] = {3, 2};
static Py_ssize_t transposed_strides[2] = {sizeof(int), 3 * sizeof(int)};

static PyObject *
ssize_tuple(const Py_ssize_t *values, int n)
{
    if (values == NULL)
        Py_RETURN_NONE;
    PyObject *t = PyTuple_New(n);
    for (int i = 0; t && i < n; i++)
        PyTuple_SET_ITEM(t, i, PyLong_FromSsize_t(values[i]));
    return t;
}

static PyObject *
from_object(PyObject *self, PyObject *o)
{
    return PyMemoryView_FromObject(o);
}

static PyObject *
from_memory(PyObject *self, PyObject *writable)
{
    if (PyObject_IsTrue(writable))
        return PyMemoryView_FromMemory(writable_memory, 6, PyBUF_WRITE);
    return PyMemoryView_FromMemory(readonly_memory, 5, PyBUF_READ);
}

static PyObject *
writable_contents(PyObject *self, PyObject *noargs)
{
    return PyBytes_FromStringAndSize(writable_memory, 6);
}

static PyObject *
from_buffer(PyObject *self, PyObject *which)
{
    Py_buffer info;
    memset(&info, 0, sizeof(info));
    long kind = PyLong_AsLong(which);
    info.buf = matrix;
    info.len = sizeof(matrix);
    info.itemsize = sizeof(int);
    info.readonly = 1;
    info.format = "i";
    info.ndim = 2;
    if (kind == 0) {
        info.shape = matrix_shape;
        info.strides = matrix_strides;
    }
    else if (kind == 1) {
        info.shape = transposed_shape;
        info.strides = transposed_strides;
    }
    else if (kind == 2) {
        info.shape = matrix_shape; /* no strides: C order */
    }
    else if (kind == 3) {
        info.ndim = 1; /* no shape: len / itemsize items */
        info.format = NULL;
        info.itemsize = 1;
        info.len = 4;
        info.buf = readonly_memory;
    }
    else {
        info.buf = NULL;
    }
    return PyMemoryView_FromBuffer(&info);
}

/* What PyMemoryView_GET_BUFFER shows, and whether GET_BASE is `base`. */
static PyObject *
get_buffer(PyObject *self, PyObject *args)
{
    PyObject *mv, *base;
    if (!PyArg_ParseTuple(args, "OO", &mv, &base))
        return NULL;
    if (!PyMemoryView_Check(mv)) {
        PyErr_SetString(PyExc_TypeError, "not a memoryview");
        return NULL;
    }
    Py_buffer *v = PyMemoryView_GET_BUFFER(mv);
    PyObject *data;
    if (PyBuffer_IsContiguous(v, 'C'))
        data = PyBytes_FromStringAndSize(v->buf, v->len);
    else
        data = PyUnicode_FromString("<not contiguous>");
    return Py_BuildValue("(NnniNsNNiii)", data, v->len, v->itemsize, v->readonly, PyLong_FromLong(v->ndim),
                         v->format ? v->format : "(null)", ssize_tuple(v->shape, v->ndim),
                         ssize_tuple(v->strides, v->ndim), PyMemoryView_GET_BASE(mv) == base,
                         PyMemoryView_GET_BUFFER(mv) == v, v->suboffsets != NULL);
}

/* GET_BUFFER's memory is the exporter's: a write through it is seen. */
static PyObject *
write_through_buffer(PyObject *self, PyObject *args)
{
    PyObject *mv;
    Py_ssize_t i;
    int value;
    if (!PyArg_ParseTuple(args, "Oni", &mv, &i, &value))
        return NULL;
    Py_buffer *v = PyMemoryView_GET_BUFFER(mv);
    if (v->readonly) {
        PyErr_SetString(PyExc_TypeError, "read-only");
        return NULL;
    }
    ((char *)v->buf)[i] = (char)value;
    Py_RETURN_NONE;
}

static PyObject *
get_contiguous(PyObject *self, PyObject *args)
{
    PyObject *o;
    int write;
    const char *order;
    if (!PyArg_ParseTuple(args, "Ops", &o, &write, &order))
        return NULL;
    return PyMemoryView_GetContiguous(o, write ? PyBUF_WRITE : PyBUF_READ, order[0]);
}

/* Views made and released; the caller compares counts across calls. */
static PyObject *
exercise(PyObject *self, PyObject *o)
{
    PyObject *mv = PyMemoryView_FromObject(o);
    if (mv == NULL)
        return NULL;
    (void)PyMemoryView_GET_BUFFER(mv);
    PyObject *c = PyMemoryView_GetContiguous(mv, PyBUF_READ, 'C');
    Py_XDECREF(c);
    Py_DECREF(mv);
    if (c == NULL)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
refcnt(PyObject *self, PyObject *o)
{
    return PyLong_FromSsize_t(Py_REFCNT(o));
}

/* An exporter that describes its items from a dict it owns, as numpy's
   structured dtypes do: the format comes from borrowed references
   (PyDict_GetItemString, PyTuple_GetItem) taken while bf_getbuffer runs,
   also when Python code asks (memoryview(obj)). */
typedef struct {
    PyObject_HEAD
    PyObject *fields;
    int values[2];
    char format[16];
    Py_ssize_t shape[1];
} Fields;

static int
fields_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    Fields *f = (Fields *)self;
    PyObject *item = PyDict_GetItemString(f->fields, "item");
    if (item == NULL) {
        PyErr_SetString(PyExc_KeyError, "item");
        return -1;
    }
    PyObject *code = PyTuple_GetItem(item, 0);
    PyObject *count = PyTuple_GetItem(item, 1);
    if (code == NULL || count == NULL)
        return -1;
    snprintf(f->format, sizeof f->format, "%s", PyBytes_AsString(code));
    f->shape[0] = PyLong_AsSsize_t(count);
    view->obj = Py_NewRef(self);
    view->buf = f->values;
    view->len = sizeof f->values;
    view->readonly = 1;
    view->itemsize = sizeof(int);
    view->format = (flags & PyBUF_FORMAT) ? f->format : NULL;
    view->ndim = 1;
    view->shape = f->shape;
    view->strides = NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static PyBufferProcs fields_as_buffer = {fields_getbuffer, NULL};

static PyObject *
fields_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Fields *f = (Fields *)type->tp_alloc(type, 0);
    if (f == NULL)
        return NULL;
    f->fields = Py_BuildValue("{s:(yi)}", "item", "i", 2);
    f->values[0] = 7;
    f->values[1] = -8;
    return f->fields ? (PyObject *)f : NULL;
}

static void
fields_dealloc(PyObject *self)
{
    Py_XDECREF(((Fields *)self)->fields);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject FieldsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "memoryview_ext.Fields",
    .tp_basicsize = sizeof(Fields),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = fields_new,
    .tp_dealloc = fields_dealloc,
    .tp_as_buffer = &fields_as_buffer,
};

/* An exporter of complex doubles (format "Zd"), as numpy's complex arrays
   are: CPython makes a memoryview of any format and refuses only reading
   its items. */
typedef struct {
    PyObject_HEAD
    double values[4];
    Py_ssize_t shape[1];
} Complex;

static int
complex_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    Complex *c = (Complex *)self;
    c->shape[0] = 2;
    view->obj = Py_NewRef(self);
    view->buf = c->values;
    view->len = sizeof c->values;
    view->readonly = 1;
    view->itemsize = 2 * sizeof(double);
    view->format = (flags & PyBUF_FORMAT) ? "Zd" : NULL;
    view->ndim = 1;
    view->shape = c->shape;
    view->strides = NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static PyBufferProcs complex_as_buffer = {complex_getbuffer, NULL};

static PyObject *
complex_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Complex *c = (Complex *)type->tp_alloc(type, 0);
    if (c == NULL)
        return NULL;
    c->values[0] = 1.5;
    c->values[1] = -2.0;
    c->values[2] = 3.25;
    c->values[3] = 0.5;
    return (PyObject *)c;
}

static PyTypeObject ComplexType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "memoryview_ext.Complex",
    .tp_basicsize = sizeof(Complex),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = complex_new,
    .tp_as_buffer = &complex_as_buffer,
};

/* What C gets from PyObject_GetBuffer(o, PyBUF_FULL_RO): format, item size, dimensions. */
static PyObject *
buffer_format(PyObject *self, PyObject *o)
{
    Py_buffer v;
    if (PyObject_GetBuffer(o, &v, PyBUF_FULL_RO) < 0)
        return NULL;
    PyObject *r = Py_BuildValue("(snN)", v.format ? v.format : "(null)", v.itemsize, ssize_tuple(v.shape, v.ndim));
    PyBuffer_Release(&v);
    return r;
}

static PyMethodDef methods[] = {
    {"from_object", from_object, METH_O, NULL},
    {"from_memory", from_memory, METH_O, NULL},
    {"writable_contents", writable_contents, METH_NOARGS, NULL},
    {"from_buffer", from_buffer, METH_O, NULL},
    {"get_buffer", get_buffer, METH_VARARGS, NULL},
    {"write_through_buffer", write_through_buffer, METH_VARARGS, NULL},
    {"get_contiguous", get_contiguous, METH_VARARGS, NULL},
    {"exercise", exercise, METH_O, NULL},
    {"refcnt", refcnt, METH_O, NULL},
    {"buffer_format", buffer_format, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "memoryview_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_memoryview_ext(void)
{
    if (PyType_Ready(&FieldsType) < 0 || PyType_Ready(&ComplexType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m != NULL && (PyModule_AddObjectRef(m, "Fields", (PyObject *)&FieldsType) < 0 ||
                      PyModule_AddObjectRef(m, "Complex", (PyObject *)&ComplexType) < 0)) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
