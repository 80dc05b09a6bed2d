/* API the first real packages use: PEP 393 access, slices, sequences,
 * index conversion, byte arrays, module lookup. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* markupsafe-style: escape '<' and '>' by building a new str in place. */
static PyObject *
escape(PyObject *self, PyObject *s)
{
    if (!PyUnicode_Check(s) || PyUnicode_READY(s) < 0) {
        PyErr_SetString(PyExc_TypeError, "need a str");
        return NULL;
    }
    Py_ssize_t len = PyUnicode_GET_LENGTH(s), extra = 0;
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '<' || c == '>')
            extra += 3;
    }
    PyObject *out = PyUnicode_New(len + extra, PyUnicode_MAX_CHAR_VALUE(s));
    if (out == NULL)
        return NULL;
    int okind = PyUnicode_KIND(out);
    void *odata = PyUnicode_DATA(out);
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c == '<' || c == '>') {
            const char *rep = c == '<' ? "&lt;" : "&gt;";
            for (int k = 0; k < 4; k++)
                PyUnicode_WRITE(okind, odata, j++, rep[k]);
        } else {
            PyUnicode_WRITE(okind, odata, j++, c);
        }
    }
    return out;
}

static PyObject *
kind_info(PyObject *self, PyObject *s)
{
    return PyTuple_Pack(3, PyLong_FromLong(PyUnicode_KIND(s)), PyLong_FromLong(PyUnicode_MAX_CHAR_VALUE(s)),
                        PyBool_FromLong(PyUnicode_IS_ASCII(s)));
}

static PyObject *
from_kind(PyObject *self, PyObject *args)
{
    static const Py_UCS1 latin[] = {'c', 0xe9, 'f'};
    static const Py_UCS2 ucs2[] = {0x3b1, 0x3b2};
    static const Py_UCS4 ucs4[] = {0x1f600, 'x'};
    return PyTuple_Pack(3, PyUnicode_FromKindAndData(PyUnicode_1BYTE_KIND, latin, 3),
                        PyUnicode_FromKindAndData(PyUnicode_2BYTE_KIND, ucs2, 2),
                        PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, ucs4, 2));
}

static PyObject *
slice_info(PyObject *self, PyObject *args)
{
    Py_ssize_t start, stop, step, slicelen, length = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    if (PySlice_GetIndicesEx(PyTuple_GET_ITEM(args, 0), length, &start, &stop, &step, &slicelen) < 0)
        return NULL;
    return PyTuple_Pack(4, PyLong_FromSsize_t(start), PyLong_FromSsize_t(stop), PyLong_FromSsize_t(step),
                        PyLong_FromSsize_t(slicelen));
}

static PyObject *
make_slice(PyObject *self, PyObject *args)
{
    return PySlice_New(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1), PyTuple_GET_ITEM(args, 2));
}

static PyObject *
slice_index(PyObject *self, PyObject *v)
{
    Py_ssize_t i = -12345;
    if (!_PyEval_SliceIndex(v, &i))
        return NULL;
    return PyLong_FromSsize_t(i);
}

static PyObject *
seq_tuple(PyObject *self, PyObject *o)
{
    return PySequence_Tuple(o);
}

static PyObject *
index_info(PyObject *self, PyObject *o)
{
    int check = PyIndex_Check(o);
    if (!check)
        return PyTuple_Pack(1, Py_False);
    Py_ssize_t clamped = PyNumber_AsSsize_t(o, NULL);
    Py_ssize_t raised = PyNumber_AsSsize_t(o, PyExc_OverflowError);
    if (raised == -1 && PyErr_Occurred())
        return NULL;
    return PyTuple_Pack(3, Py_True, PyLong_FromSsize_t(clamped), PyLong_FromSsize_t(raised));
}

static PyObject *
to_base(PyObject *self, PyObject *args)
{
    return PyNumber_ToBase(PyTuple_GET_ITEM(args, 0), (int)PyLong_AsLong(PyTuple_GET_ITEM(args, 1)));
}

static PyObject *
from_bytes(PyObject *self, PyObject *args)
{
    char *data;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(PyTuple_GET_ITEM(args, 0), &data, &n) < 0)
        return NULL;
    return _PyLong_FromByteArray((unsigned char *)data, (size_t)n, PyObject_IsTrue(PyTuple_GET_ITEM(args, 1)),
                                 PyObject_IsTrue(PyTuple_GET_ITEM(args, 2)));
}

static PyObject *
extend(PyObject *self, PyObject *args)
{
    return _PyList_Extend(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
}

static struct PyModuleDef module;

static PyObject *
find_self(PyObject *self, PyObject *unused)
{
    return PyBool_FromLong(PyState_FindModule(&module) == self);
}

static PyMethodDef methods[] = {
    {"escape", escape, METH_O, NULL},
    {"kind_info", kind_info, METH_O, NULL},
    {"from_kind", from_kind, METH_NOARGS, NULL},
    {"slice_info", slice_info, METH_VARARGS, NULL},
    {"make_slice", make_slice, METH_VARARGS, NULL},
    {"slice_index", slice_index, METH_O, NULL},
    {"seq_tuple", seq_tuple, METH_O, NULL},
    {"index_info", index_info, METH_O, NULL},
    {"to_base", to_base, METH_VARARGS, NULL},
    {"from_bytes", from_bytes, METH_VARARGS, NULL},
    {"extend", extend, METH_VARARGS, NULL},
    {"find_self", find_self, METH_NOARGS, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "extras_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_extras_ext(void)
{
    return PyModule_Create(&module);
}
