/* Sizes C asks for that cannot be had: CPython answers each with a
 * MemoryError (or an OverflowError), never by stopping the process.
 * bsdiff4 makes a bytes object of the length a corrupt patch states. */
#include <Python.h>
#include <stddef.h>

/* Far beyond any machine's memory, yet below PY_SSIZE_T_MAX. */
#define HUGE_COUNT ((Py_ssize_t)1 << 50)

/* Returns the exception the call raised as (type name, message), or
 * "no error" if it succeeded. */
static PyObject *
outcome(PyObject *result)
{
    if (result != NULL) {
        Py_DECREF(result);
        return PyUnicode_FromString("no error");
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PyObject *r = Py_BuildValue("(sO)", ((PyTypeObject *)type)->tp_name, value);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return r;
}

static PyObject *
bytes_huge(PyObject *self, PyObject *unused)
{
    return outcome(PyBytes_FromStringAndSize(NULL, HUGE_COUNT));
}

static PyObject *
bytes_max(PyObject *self, PyObject *unused)
{
    return outcome(PyBytes_FromStringAndSize(NULL, PY_SSIZE_T_MAX));
}

static PyObject *
bytes_resize_huge(PyObject *self, PyObject *unused)
{
    PyObject *b = PyBytes_FromStringAndSize(NULL, 4);
    if (b == NULL)
        return NULL;
    memcpy(PyBytes_AS_STRING(b), "abcd", 4);
    if (_PyBytes_Resize(&b, HUGE_COUNT) < 0)
        return outcome(NULL);
    return outcome(b);
}

static PyObject *
tuple_huge(PyObject *self, PyObject *unused)
{
    return outcome(PyTuple_New(HUGE_COUNT));
}

static PyObject *
list_huge(PyObject *self, PyObject *unused)
{
    return outcome(PyList_New(HUGE_COUNT));
}

static PyObject *
str_huge(PyObject *self, PyObject *unused)
{
    return outcome(PyUnicode_New(HUGE_COUNT, 127));
}

static PyObject *
bytearray_huge(PyObject *self, PyObject *unused)
{
    return outcome(PyByteArray_FromStringAndSize(NULL, HUGE_COUNT));
}

static PyObject *
bytearray_resize_huge(PyObject *self, PyObject *unused)
{
    PyObject *ba = PyByteArray_FromStringAndSize("xyz", 3);
    if (ba == NULL)
        return NULL;
    if (PyByteArray_Resize(ba, HUGE_COUNT) < 0) {
        PyObject *r = outcome(NULL);
        /* The bytearray is unchanged. */
        PyObject *pair = Py_BuildValue("(NO)", r, ba);
        Py_DECREF(ba);
        return pair;
    }
    return outcome(ba);
}

/* A variable-size C type allocated with an absurd item count. */
typedef struct {
    PyObject_VAR_HEAD
    double items[1];
} VarObject;

static PyTypeObject Var_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hugealloc_ext.Var",
    .tp_basicsize = offsetof(VarObject, items),
    .tp_itemsize = sizeof(double),
    .tp_flags = Py_TPFLAGS_DEFAULT,
};

static PyObject *
generic_alloc_huge(PyObject *self, PyObject *unused)
{
    return outcome(PyType_GenericAlloc(&Var_Type, HUGE_COUNT));
}

static PyObject *
generic_alloc_small(PyObject *self, PyObject *unused)
{
    PyObject *o = PyType_GenericAlloc(&Var_Type, 3);
    if (o == NULL)
        return NULL;
    ((VarObject *)o)->items[2] = 2.5;
    PyObject *r = Py_BuildValue("(nd)", Py_SIZE(o), ((VarObject *)o)->items[2]);
    Py_DECREF(o);
    return r;
}

static PyMethodDef methods[] = {
    {"bytes_huge", bytes_huge, METH_NOARGS, NULL},
    {"bytes_max", bytes_max, METH_NOARGS, NULL},
    {"bytes_resize_huge", bytes_resize_huge, METH_NOARGS, NULL},
    {"tuple_huge", tuple_huge, METH_NOARGS, NULL},
    {"list_huge", list_huge, METH_NOARGS, NULL},
    {"str_huge", str_huge, METH_NOARGS, NULL},
    {"bytearray_huge", bytearray_huge, METH_NOARGS, NULL},
    {"bytearray_resize_huge", bytearray_resize_huge, METH_NOARGS, NULL},
    {"generic_alloc_huge", generic_alloc_huge, METH_NOARGS, NULL},
    {"generic_alloc_small", generic_alloc_small, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "hugealloc_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_hugealloc_ext(void)
{
    if (PyType_Ready(&Var_Type) < 0)
        return NULL;
    return PyModule_Create(&moduledef);
}
