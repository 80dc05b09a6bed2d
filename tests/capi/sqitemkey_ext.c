/* A type whose only item slots are sq_item / sq_ass_item (no mapping
 * table), as pdftotext.PDF has: o[key], o[key] = v and del o[key] convert
 * the key as CPython's PyObject_GetItem/SetItem/DelItem do: an index too
 * large for Py_ssize_t is an IndexError, a key without __index__ is
 * "sequence index must be integer, not 'T'". */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
} SqObject;

static Py_ssize_t sq_len(PyObject *s) { return 3; }

static PyObject *
sq_item(PyObject *s, Py_ssize_t i)
{
    if (i < 0 || i >= 3) {
        PyErr_SetString(PyExc_IndexError, "sq index out of range");
        return NULL;
    }
    return PyUnicode_FromFormat("item %zd", i);
}

static int
sq_ass_item(PyObject *s, Py_ssize_t i, PyObject *v)
{
    if (i < 0 || i >= 3) {
        PyErr_SetString(PyExc_IndexError, "sq assignment index out of range");
        return -1;
    }
    return 0;
}

static PySequenceMethods sq_as_sequence = {
    .sq_length = sq_len,
    .sq_item = sq_item,
    .sq_ass_item = sq_ass_item,
};

static PyTypeObject SqType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sqitemkey_ext.Sq",
    .tp_basicsize = sizeof(SqObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_as_sequence = &sq_as_sequence,
    .tp_new = PyType_GenericNew,
};

static PyObject *
c_getitem(PyObject *self, PyObject *args)
{
    PyObject *o, *key;
    if (!PyArg_ParseTuple(args, "OO", &o, &key))
        return NULL;
    return PyObject_GetItem(o, key);
}

static PyObject *
c_setitem(PyObject *self, PyObject *args)
{
    PyObject *o, *key, *v;
    if (!PyArg_ParseTuple(args, "OOO", &o, &key, &v))
        return NULL;
    if (PyObject_SetItem(o, key, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
c_checks(PyObject *self, PyObject *o)
{
    return Py_BuildValue("ii", PyMapping_Check(o), PySequence_Check(o));
}

static PyMethodDef methods[] = {
    {"c_checks", c_checks, METH_O, NULL},
    {"c_getitem", c_getitem, METH_VARARGS, NULL},
    {"c_setitem", c_setitem, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {
    PyModuleDef_HEAD_INIT, "sqitemkey_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_sqitemkey_ext(void)
{
    if (PyType_Ready(&SqType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&SqType);
    if (PyModule_AddObject(m, "Sq", (PyObject *)&SqType) < 0)
        return NULL;
    return m;
}
