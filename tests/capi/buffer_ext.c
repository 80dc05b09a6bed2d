/* The buffer protocol: PyObject_GetBuffer over the host's exporters with
 * every request flag, PyBuffer_FillInfo, PyBuffer_IsContiguous,
 * PyObject_CheckBuffer, release, and the tp_as_buffer slots. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

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

/* Everything a Py_buffer says, then released. */
static PyObject *
describe(Py_buffer *v, PyObject *arg)
{
    PyObject *data;
    if (v->buf == NULL)
        data = Py_NewRef(Py_None);
    else if (PyBuffer_IsContiguous(v, 'C'))
        data = PyBytes_FromStringAndSize(v->buf, v->len);
    else
        data = PyUnicode_FromString("<not contiguous>");
    PyObject *items[13] = {
        data,
        PyLong_FromSsize_t(v->len),
        PyLong_FromSsize_t(v->itemsize),
        PyBool_FromLong(v->readonly),
        PyLong_FromLong(v->ndim),
        v->format ? PyUnicode_FromString(v->format) : Py_NewRef(Py_None),
        ssize_tuple(v->shape, v->ndim),
        ssize_tuple(v->strides, v->ndim),
        PyBool_FromLong(v->suboffsets != NULL),
        PyBool_FromLong(v->obj == arg),
        PyBool_FromLong(PyBuffer_IsContiguous(v, 'C')),
        PyBool_FromLong(PyBuffer_IsContiguous(v, 'F')),
        PyBool_FromLong(PyBuffer_IsContiguous(v, 'A')),
    };
    PyBuffer_Release(v);
    PyObject *t = PyTuple_New(13);
    for (int i = 0; i < 13; i++) {
        if (items[i] == NULL || t == NULL) {
            for (int j = 0; j < 13; j++)
                Py_XDECREF(items[j]);
            Py_XDECREF(t);
            return NULL;
        }
    }
    for (int i = 0; i < 13; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
}

static PyObject *
get(PyObject *self, PyObject *args)
{
    PyObject *obj = PyTuple_GET_ITEM(args, 0);
    int flags = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, flags) < 0)
        return NULL;
    return describe(&view, obj);
}

static PyObject *
fill_info(PyObject *self, PyObject *args)
{
    /* fill_info(obj or None, readonly, flags) over a static block */
    static char block[] = "static block";
    PyObject *obj = PyTuple_GET_ITEM(args, 0);
    int readonly = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1));
    int flags = (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 2));
    Py_buffer view;
    if (PyBuffer_FillInfo(&view, obj == Py_None ? NULL : obj, block, 6, readonly, flags) < 0)
        return NULL;
    Py_ssize_t before = obj == Py_None ? 0 : Py_REFCNT(obj);
    PyObject *r = describe(&view, obj == Py_None ? NULL : obj);
    if (r == NULL)
        return NULL;
    /* Release dropped the reference FillInfo took. */
    Py_ssize_t after = obj == Py_None ? 0 : Py_REFCNT(obj);
    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, r);
    PyTuple_SET_ITEM(t, 1, PyLong_FromSsize_t(before - after));
    return t;
}

static PyObject *
fill_info_null_view(PyObject *self, PyObject *unused)
{
    static char block[] = "x";
    if (PyBuffer_FillInfo(NULL, NULL, block, 1, 1, 0) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
check(PyObject *self, PyObject *obj)
{
    return PyBool_FromLong(PyObject_CheckBuffer(obj));
}

static PyObject *
slots(PyObject *self, PyObject *obj)
{
    /* (has tp_as_buffer, has bf_getbuffer, has bf_releasebuffer) */
    PyBufferProcs *procs = Py_TYPE(obj)->tp_as_buffer;
    PyObject *t = PyTuple_New(3);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(procs != NULL));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(procs != NULL && procs->bf_getbuffer != NULL));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(procs != NULL && procs->bf_releasebuffer != NULL));
    return t;
}

static PyObject *
via_slot(PyObject *self, PyObject *obj)
{
    /* get a buffer through the type's own bf_getbuffer, release it with
     * PyBuffer_Release as CPython code does */
    PyBufferProcs *procs = Py_TYPE(obj)->tp_as_buffer;
    if (procs == NULL || procs->bf_getbuffer == NULL) {
        PyErr_SetString(PyExc_TypeError, "no bf_getbuffer");
        return NULL;
    }
    Py_buffer view;
    if (procs->bf_getbuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    return describe(&view, obj);
}

static PyObject *
same_pointer(PyObject *self, PyObject *b)
{
    /* a buffer on bytes is the object's own storage */
    Py_buffer view;
    if (PyObject_GetBuffer(b, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    int same = view.buf == (void *)PyBytes_AS_STRING(b);
    PyBuffer_Release(&view);
    return PyBool_FromLong(same);
}

static PyObject *
release_twice(PyObject *self, PyObject *obj)
{
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyBuffer_Release(&view);
    int cleared = view.obj == NULL;
    PyBuffer_Release(&view);
    return PyBool_FromLong(cleared);
}

static PyObject *
write_at(PyObject *self, PyObject *args)
{
    /* write_at(obj, index, byte) through a writable buffer */
    PyObject *obj = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    long value = PyLong_AsLong(PyTuple_GET_ITEM(args, 2));
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_WRITABLE) < 0)
        return NULL;
    if (i < 0 || i >= view.len) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_IndexError, "write_at: out of range");
        return NULL;
    }
    ((unsigned char *)view.buf)[i] = (unsigned char)value;
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

static PyObject *
hold(PyObject *self, PyObject *args)
{
    /* hold(obj, callback): call back while a buffer is held */
    Py_buffer view;
    PyObject *obj = PyTuple_GET_ITEM(args, 0);
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    PyObject *r = PyObject_CallNoArgs(PyTuple_GET_ITEM(args, 1));
    PyBuffer_Release(&view);
    return r;
}

static PyObject *
refcount_delta(PyObject *self, PyObject *obj)
{
    /* the buffer holds one reference to its object until released */
    Py_ssize_t before = Py_REFCNT(obj);
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    Py_ssize_t during = Py_REFCNT(obj);
    PyBuffer_Release(&view);
    Py_ssize_t after = Py_REFCNT(obj);
    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, PyLong_FromSsize_t(during - before));
    PyTuple_SET_ITEM(t, 1, PyLong_FromSsize_t(after - before));
    return t;
}


/* The helpers of pybuffer.h ---------------------------------------------- */

/* Bytes of each item in index order through PyBuffer_GetPointer (C order
 * of indices), for a 1-D or 2-D buffer. */
static PyObject *
items_by_pointer(PyObject *self, PyObject *o)
{
    Py_buffer v;
    if (PyObject_GetBuffer(o, &v, PyBUF_FULL_RO) < 0)
        return NULL;
    PyObject *out = PyBytes_FromStringAndSize(NULL, v.len);
    char *dst = out ? PyBytes_AS_STRING(out) : NULL;
    Py_ssize_t idx[2] = {0, 0}, k = 0;
    Py_ssize_t rows = v.ndim == 2 ? v.shape[0] : 1;
    Py_ssize_t cols = v.ndim == 2 ? v.shape[1] : v.shape[0];
    for (idx[0] = 0; dst && idx[0] < (v.ndim == 2 ? rows : cols); idx[0]++) {
        Py_ssize_t inner = v.ndim == 2 ? cols : 1;
        for (idx[1] = 0; idx[1] < inner; idx[1]++) {
            char *p = PyBuffer_GetPointer(&v, idx);
            memcpy(dst + k, p, v.itemsize);
            k += v.itemsize;
        }
    }
    PyBuffer_Release(&v);
    return out;
}

static PyObject *
size_from_format(PyObject *self, PyObject *fmt)
{
    const char *f = PyUnicode_AsUTF8(fmt);
    if (f == NULL)
        return NULL;
    Py_ssize_t n = PyBuffer_SizeFromFormat(f);
    if (n < 0)
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
contiguous_strides(PyObject *self, PyObject *args)
{
    PyObject *shape_t;
    int itemsize;
    const char *order;
    if (!PyArg_ParseTuple(args, "O!is", &PyTuple_Type, &shape_t, &itemsize, &order))
        return NULL;
    int nd = (int)PyTuple_GET_SIZE(shape_t);
    Py_ssize_t shape[8], strides[8];
    for (int i = 0; i < nd && i < 8; i++)
        shape[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(shape_t, i));
    PyBuffer_FillContiguousStrides(nd, shape, strides, itemsize, order[0]);
    return ssize_tuple(strides, nd);
}

/* PyBuffer_ToContiguous of o's buffer in `order`. */
static PyObject *
to_contiguous(PyObject *self, PyObject *args)
{
    PyObject *o;
    const char *order;
    Py_ssize_t delta = 0;
    if (!PyArg_ParseTuple(args, "Os|n", &o, &order, &delta))
        return NULL;
    Py_buffer v;
    if (PyObject_GetBuffer(o, &v, PyBUF_FULL_RO) < 0)
        return NULL;
    char *dst = PyMem_Malloc(v.len + 1);
    int r = PyBuffer_ToContiguous(dst, &v, v.len + delta, order[0]);
    PyObject *out = r < 0 ? NULL : PyBytes_FromStringAndSize(dst, v.len);
    PyMem_Free(dst);
    PyBuffer_Release(&v);
    return out;
}

/* PyBuffer_FromContiguous: writes `data` into o's buffer in `order`. */
static PyObject *
from_contiguous(PyObject *self, PyObject *args)
{
    PyObject *o;
    const char *data, *order;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "Oy#s", &o, &data, &len, &order))
        return NULL;
    Py_buffer v;
    if (PyObject_GetBuffer(o, &v, PyBUF_FULL) < 0)
        return NULL;
    int r = PyBuffer_FromContiguous(&v, data, len, order[0]);
    PyBuffer_Release(&v);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
copy_data(PyObject *self, PyObject *args)
{
    PyObject *dest, *src;
    if (!PyArg_ParseTuple(args, "OO", &dest, &src))
        return NULL;
    if (PyObject_CopyData(dest, src) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* PickleBuffer: (what GetBuffer shows, same pointer twice?) */
static PyObject *
picklebuffer_view(PyObject *self, PyObject *args)
{
    PyObject *pb, *base;
    if (!PyArg_ParseTuple(args, "OO", &pb, &base))
        return NULL;
    const Py_buffer *v = PyPickleBuffer_GetBuffer(pb);
    if (v == NULL)
        return NULL;
    const Py_buffer *again = PyPickleBuffer_GetBuffer(pb);
    return Py_BuildValue("(y#niiii)", (const char *)v->buf, v->len, v->itemsize, v->readonly, v->obj == base,
                         again == v, PyPickleBuffer_Check(pb));
}

static PyObject *
picklebuffer_new(PyObject *self, PyObject *o)
{
    return PyPickleBuffer_FromObject(o);
}

static PyObject *
picklebuffer_release(PyObject *self, PyObject *pb)
{
    if (PyPickleBuffer_Release(pb) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* Writes through the PickleBuffer's view. */
static PyObject *
picklebuffer_poke(PyObject *self, PyObject *args)
{
    PyObject *pb;
    Py_ssize_t i;
    int value;
    if (!PyArg_ParseTuple(args, "Oni", &pb, &i, &value))
        return NULL;
    const Py_buffer *v = PyPickleBuffer_GetBuffer(pb);
    if (v == NULL)
        return NULL;
    ((char *)v->buf)[i] = (char)value;
    Py_RETURN_NONE;
}


/* A C type that exports its own buffer, counting exports and releases. */
typedef struct {
    PyObject_HEAD
    char data[8];
    int exports;
    int releases;
} Exporter;

static int
exporter_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    Exporter *e = (Exporter *)self;
    if (PyBuffer_FillInfo(view, self, e->data, 8, 0, flags) < 0)
        return -1;
    e->exports++;
    return 0;
}

static void
exporter_releasebuffer(PyObject *self, Py_buffer *view)
{
    Exporter *e = (Exporter *)self;
    e->exports--;
    e->releases++;
}

static PyBufferProcs exporter_as_buffer = {exporter_getbuffer, exporter_releasebuffer};

static PyObject *
exporter_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    Exporter *e = (Exporter *)type->tp_alloc(type, 0);
    if (e != NULL)
        memcpy(e->data, "exporter", 8);
    return (PyObject *)e;
}

static PyTypeObject ExporterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "buffer_ext.Exporter",
    .tp_basicsize = sizeof(Exporter),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = exporter_new,
    .tp_as_buffer = &exporter_as_buffer,
};

/* Exports its text as a "scalar" (ndim 0) spanning all its bytes, as
 * lxml's XSLT result does; bytes() copies all of them. */
static int
scalar_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    static char text[] = "scalar text";
    view->obj = Py_NewRef(self);
    view->buf = text;
    view->len = (Py_ssize_t)(sizeof(text) - 1);
    view->readonly = 1;
    view->itemsize = 1;
    view->format = (flags & PyBUF_FORMAT) ? "B" : NULL;
    view->ndim = 0;
    view->shape = NULL;
    view->strides = NULL;
    view->suboffsets = NULL;
    view->internal = NULL;
    return 0;
}

static PyBufferProcs scalar_as_buffer = {scalar_getbuffer, NULL};

static PyTypeObject ScalarExporterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "buffer_ext.ScalarExporter",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_as_buffer = &scalar_as_buffer,
};

/* (bytes seen, exports while held, exports after, releases) */
static PyObject *
c_exporter_roundtrip(PyObject *self, PyObject *args)
{
    PyObject *o;
    int flags;
    if (!PyArg_ParseTuple(args, "Oi", &o, &flags))
        return NULL;
    Exporter *e = (Exporter *)o;
    Py_buffer v;
    if (PyObject_GetBuffer(o, &v, flags) < 0)
        return NULL;
    int during = e->exports;
    PyObject *data = PyBytes_FromStringAndSize(v.buf, v.len);
    int obj_ok = v.obj == o;
    PyBuffer_Release(&v);
    return Py_BuildValue("(Niiii)", data, during, e->exports, e->releases, obj_ok);
}

static PyObject *
c_exporter_state(PyObject *self, PyObject *o)
{
    Exporter *e = (Exporter *)o;
    return Py_BuildValue("(y#ii)", e->data, (Py_ssize_t)8, e->exports, e->releases);
}

static PyObject *
parse_buffer_arg(PyObject *self, PyObject *args)
{
    Py_buffer v;
    if (!PyArg_ParseTuple(args, "y*", &v))
        return NULL;
    PyObject *r = PyBytes_FromStringAndSize(v.buf, v.len);
    PyBuffer_Release(&v);
    return r;
}

/* A view with no exporter object: released without touching `internal`. */
static PyObject *
release_without_obj(PyObject *self, PyObject *noargs)
{
    static char data[] = "abc";
    Py_buffer v;
    if (PyBuffer_FillInfo(&v, NULL, data, 3, 1, PyBUF_SIMPLE) < 0)
        return NULL;
    v.internal = (void *)0x1234; /* an exporter's private value */
    PyBuffer_Release(&v);
    return PyBool_FromLong(v.internal == (void *)0x1234);
}


/* A memoryview of a C exporter, and what its GET_BUFFER says. */
static PyObject *
c_exporter_memoryview(PyObject *self, PyObject *o)
{
    PyObject *m = PyMemoryView_FromObject(o);
    if (m == NULL)
        return NULL;
    Py_buffer *v = PyMemoryView_GET_BUFFER(m);
    PyObject *r = Py_BuildValue("(Oii)", m, PyMemoryView_GET_BASE(m) == o, v->readonly);
    Py_DECREF(m);
    return r;
}

/* Gets a view, then releases a copy of it rebuilt from obj, buf and len
   alone, over stack garbage, as msgspec's Raw does: CPython releases by the
   exporter. Returns the bytes seen. */
static PyObject *
release_rebuilt_view(PyObject *self, PyObject *obj)
{
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_CONTIG_RO) < 0)
        return NULL;
    PyObject *seen = PyBytes_FromStringAndSize(view.buf, view.len);
    Py_buffer rebuilt;
    memset(&rebuilt, 0x5a, sizeof(rebuilt));
    rebuilt.obj = view.obj;
    rebuilt.buf = view.buf;
    rebuilt.len = view.len;
    PyBuffer_Release(&rebuilt);
    return seen;
}

/* The first byte at an empty buffer's address: CPython's empty objects
   have readable memory there (c-blosc reads a header before the length). */
static PyObject *
first_byte_of_empty(PyObject *self, PyObject *o)
{
    Py_buffer v;
    if (PyObject_GetBuffer(o, &v, PyBUF_SIMPLE) < 0)
        return NULL;
    volatile unsigned char first = *(unsigned char *)v.buf;
    (void)first;
    Py_ssize_t len = v.len;
    PyBuffer_Release(&v);
    PyObject *mv = PyMemoryView_FromObject(o);
    if (mv == NULL)
        return NULL;
    first = *(unsigned char *)PyMemoryView_GET_BUFFER(mv)->buf;
    Py_DECREF(mv);
    return PyLong_FromSsize_t(len);
}

static PyMethodDef methods[] = {
    {"first_byte_of_empty", first_byte_of_empty, METH_O, NULL},
    {"release_rebuilt_view", release_rebuilt_view, METH_O, NULL},
    {"c_exporter_memoryview", c_exporter_memoryview, METH_O, NULL},
    {"c_exporter_roundtrip", c_exporter_roundtrip, METH_VARARGS, NULL},
    {"c_exporter_state", c_exporter_state, METH_O, NULL},
    {"parse_buffer_arg", parse_buffer_arg, METH_VARARGS, NULL},
    {"release_without_obj", release_without_obj, METH_NOARGS, NULL},
    {"items_by_pointer", items_by_pointer, METH_O, NULL},
    {"size_from_format", size_from_format, METH_O, NULL},
    {"contiguous_strides", contiguous_strides, METH_VARARGS, NULL},
    {"to_contiguous", to_contiguous, METH_VARARGS, NULL},
    {"from_contiguous", from_contiguous, METH_VARARGS, NULL},
    {"copy_data", copy_data, METH_VARARGS, NULL},
    {"picklebuffer_view", picklebuffer_view, METH_VARARGS, NULL},
    {"picklebuffer_new", picklebuffer_new, METH_O, NULL},
    {"picklebuffer_release", picklebuffer_release, METH_O, NULL},
    {"picklebuffer_poke", picklebuffer_poke, METH_VARARGS, NULL},
    {"get", get, METH_VARARGS, NULL},
    {"fill_info", fill_info, METH_VARARGS, NULL},
    {"fill_info_null_view", fill_info_null_view, METH_NOARGS, NULL},
    {"check", check, METH_O, NULL},
    {"slots", slots, METH_O, NULL},
    {"via_slot", via_slot, METH_O, NULL},
    {"same_pointer", same_pointer, METH_O, NULL},
    {"release_twice", release_twice, METH_O, NULL},
    {"write_at", write_at, METH_VARARGS, NULL},
    {"hold", hold, METH_VARARGS, NULL},
    {"refcount_delta", refcount_delta, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "buffer_ext", NULL, -1, methods,
};

/* A fieldless base whose buffer function refuses, mixed into a builtin by
 * Python (`class S(str, Refusing)`, numpy's `class MyStr(str, np.generic)`):
 * S's buffer is Refusing's, reached through the MRO. */
static int
refusing_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    PyErr_SetString(PyExc_BufferError, "refused by C");
    return -1;
}

static PyBufferProcs refusing_as_buffer = {refusing_getbuffer, NULL};

static PyTypeObject RefusingType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "buffer_ext.Refusing",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_as_buffer = &refusing_as_buffer,
};

PyMODINIT_FUNC
PyInit_buffer_ext(void)
{
    if (PyType_Ready(&ExporterType) < 0 || PyType_Ready(&ScalarExporterType) < 0 || PyType_Ready(&RefusingType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moduledef);
    if (m == NULL)
        return NULL;
    if (PyModule_AddType(m, &ScalarExporterType) < 0 || PyModule_AddType(m, &RefusingType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(&ExporterType);
    if (PyModule_AddObject(m, "Exporter", (PyObject *)&ExporterType) < 0) {
        Py_DECREF(&ExporterType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
