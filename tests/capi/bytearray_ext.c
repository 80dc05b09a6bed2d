/* bytearray: construction, concatenation, sizes, resizing, and the storage
 * pointer of PyByteArray_AS_STRING: writable, NUL-terminated, shared with
 * Python in both directions. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
from_string(PyObject *self, PyObject *args)
{
    const char *s;
    Py_ssize_t len, n;
    if (!PyArg_ParseTuple(args, "y#n", &s, &len, &n))
        return NULL;
    return PyByteArray_FromStringAndSize(s, n);
}

/* Made with a NULL buffer, then filled through the storage pointer. */
static PyObject *
filled_in_c(PyObject *self, PyObject *n_obj)
{
    Py_ssize_t n = PyLong_AsSsize_t(n_obj);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    PyObject *ba = PyByteArray_FromStringAndSize(NULL, n);
    if (ba == NULL)
        return NULL;
    char *p = PyByteArray_AS_STRING(ba);
    for (Py_ssize_t i = 0; i < n; i++)
        p[i] = (char)('a' + i % 26);
    return ba;
}

static PyObject *
from_object(PyObject *self, PyObject *o)
{
    return PyByteArray_FromObject(o);
}

static PyObject *
concat(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    return PyByteArray_Concat(a, b);
}

static PyObject *
sizes(PyObject *self, PyObject *ba)
{
    return Py_BuildValue("(nn)", PyByteArray_Size(ba), PyByteArray_GET_SIZE(ba));
}

/* (contents through both accessors, NUL after the end?) */
static PyObject *
contents(PyObject *self, PyObject *ba)
{
    char *p = PyByteArray_AsString(ba);
    char *q = PyByteArray_AS_STRING(ba);
    if (p == NULL)
        return NULL;
    Py_ssize_t n = PyByteArray_GET_SIZE(ba);
    return Py_BuildValue("(y#O)", q, n, p[n] == '\0' ? Py_True : Py_False);
}

/* Writes through the storage pointer: ba[i] = value. */
static PyObject *
poke(PyObject *self, PyObject *args)
{
    PyObject *ba;
    Py_ssize_t i;
    int value;
    if (!PyArg_ParseTuple(args, "Oni", &ba, &i, &value))
        return NULL;
    PyByteArray_AS_STRING(ba)[i] = (char)value;
    Py_RETURN_NONE;
}

static PyObject *
resize(PyObject *self, PyObject *args)
{
    PyObject *ba;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On", &ba, &n))
        return NULL;
    if (PyByteArray_Resize(ba, n) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* Resizing while a buffer is exported fails; resizing to the same size
 * does not. */
static PyObject *
resize_exported(PyObject *self, PyObject *args)
{
    PyObject *ba;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "On", &ba, &n))
        return NULL;
    Py_buffer view;
    if (PyObject_GetBuffer(ba, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    int r = PyByteArray_Resize(ba, n);
    PyBuffer_Release(&view);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* The buffer pointer and the storage pointer are the same memory. */
static PyObject *
same_memory(PyObject *self, PyObject *ba)
{
    Py_buffer view;
    if (PyObject_GetBuffer(ba, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    int same = view.buf == (void *)PyByteArray_AS_STRING(ba);
    PyBuffer_Release(&view);
    return PyBool_FromLong(same);
}

static PyObject *
checks(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(ii)", PyByteArray_Check(o), PyByteArray_CheckExact(o));
}

static PyObject *
refcount_neutral(PyObject *self, PyObject *ba)
{
    Py_ssize_t before = Py_REFCNT(ba);
    PyObject *copy = PyByteArray_FromObject(ba);
    PyObject *joined = copy ? PyByteArray_Concat(ba, copy) : NULL;
    (void)PyByteArray_AsString(ba);
    Py_XDECREF(copy);
    Py_XDECREF(joined);
    if (joined == NULL)
        return NULL;
    return PyLong_FromSsize_t(Py_REFCNT(ba) - before);
}

/* Py_SIZE of a bytearray and an append through Resize + AS_STRING, as
 * Cython's bytearray append does. */
static PyObject *
append_by_resize(PyObject *self, PyObject *args)
{
    PyObject *ba;
    int value;
    if (!PyArg_ParseTuple(args, "O!i", &PyByteArray_Type, &ba, &value))
        return NULL;
    Py_ssize_t n = Py_SIZE(ba);
    if (PyByteArray_Resize(ba, n + 1) < 0)
        return NULL;
    PyByteArray_AS_STRING(ba)[n] = (char)value;
    return Py_BuildValue("(nn)", n, Py_SIZE(ba));
}

/* Makes room, writes fewer bytes, and drops the rest by lowering ob_size
 * directly, as encoders that write into a caller's bytearray do. */
static PyObject *
write_and_trim(PyObject *self, PyObject *args)
{
    PyObject *ba;
    Py_ssize_t room;
    const char *text;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!ns#", &PyByteArray_Type, &ba, &room, &text, &n))
        return NULL;
    if (room < n) {
        PyErr_SetString(PyExc_ValueError, "room < len(text)");
        return NULL;
    }
    if (PyByteArray_Resize(ba, room) < 0)
        return NULL;
    memcpy(PyByteArray_AS_STRING(ba), text, n);
    Py_SET_SIZE(ba, n);
    PyByteArray_AS_STRING(ba)[n] = '\0';
    Py_RETURN_NONE;
}

/* Calls back into Python, which may grow the bytearray; C leaves its size
 * alone, so nothing may be cut. */
static PyObject *
call_with(PyObject *self, PyObject *args)
{
    PyObject *ba, *callback;
    if (!PyArg_ParseTuple(args, "O!O", &PyByteArray_Type, &ba, &callback))
        return NULL;
    Py_ssize_t before = PyByteArray_GET_SIZE(ba);
    PyObject *r = PyObject_CallOneArg(callback, ba);
    if (r == NULL)
        return NULL;
    Py_DECREF(r);
    return Py_BuildValue("nn", before, PyByteArray_GET_SIZE(ba));
}

static PyMethodDef methods[] = {
    {"write_and_trim", write_and_trim, METH_VARARGS, NULL},
    {"call_with", call_with, METH_VARARGS, NULL},
    {"append_by_resize", append_by_resize, METH_VARARGS, NULL},
    {"from_string", from_string, METH_VARARGS, NULL},
    {"filled_in_c", filled_in_c, METH_O, NULL},
    {"from_object", from_object, METH_O, NULL},
    {"concat", concat, METH_VARARGS, NULL},
    {"sizes", sizes, METH_O, NULL},
    {"contents", contents, METH_O, NULL},
    {"poke", poke, METH_VARARGS, NULL},
    {"resize", resize, METH_VARARGS, NULL},
    {"resize_exported", resize_exported, METH_VARARGS, NULL},
    {"same_memory", same_memory, METH_O, NULL},
    {"checks", checks, METH_O, NULL},
    {"refcount_neutral", refcount_neutral, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "bytearray_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_bytearray_ext(void)
{
    return PyModule_Create(&moduledef);
}
