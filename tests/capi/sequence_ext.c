/* The sequence and mapping protocols: concatenation, repetition, slices,
 * item assignment and deletion, searching, PySequence_Fast and its macros,
 * PyMapping_HasKey/SetItemString/DelItem; errors as CPython words them. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
concat(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    int inplace = 0;
    if (!PyArg_ParseTuple(args, "OO|p", &a, &b, &inplace))
        return NULL;
    return inplace ? PySequence_InPlaceConcat(a, b) : PySequence_Concat(a, b);
}

static PyObject *
repeat(PyObject *self, PyObject *args)
{
    PyObject *o;
    Py_ssize_t n;
    int inplace = 0;
    if (!PyArg_ParseTuple(args, "On|p", &o, &n, &inplace))
        return NULL;
    return inplace ? PySequence_InPlaceRepeat(o, n) : PySequence_Repeat(o, n);
}

static PyObject *
get_slice(PyObject *self, PyObject *args)
{
    PyObject *o;
    Py_ssize_t i, j;
    if (!PyArg_ParseTuple(args, "Onn", &o, &i, &j))
        return NULL;
    return PySequence_GetSlice(o, i, j);
}

static PyObject *
set_slice(PyObject *self, PyObject *args)
{
    PyObject *o, *v = NULL;
    Py_ssize_t i, j;
    if (!PyArg_ParseTuple(args, "Onn|O", &o, &i, &j, &v))
        return NULL;
    int r = v ? PySequence_SetSlice(o, i, j, v) : PySequence_DelSlice(o, i, j);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
set_item(PyObject *self, PyObject *args)
{
    PyObject *o, *v = NULL;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On|O", &o, &i, &v))
        return NULL;
    int r = v ? PySequence_SetItem(o, i, v) : PySequence_DelItem(o, i);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
get_item(PyObject *self, PyObject *args)
{
    PyObject *o;
    Py_ssize_t i;
    if (!PyArg_ParseTuple(args, "On", &o, &i))
        return NULL;
    return PySequence_ITEM(o, i);
}

static PyObject *
to_list(PyObject *self, PyObject *o)
{
    return PySequence_List(o);
}

static PyObject *
search(PyObject *self, PyObject *args)
{
    PyObject *o, *v;
    const char *what;
    if (!PyArg_ParseTuple(args, "OOs", &o, &v, &what))
        return NULL;
    Py_ssize_t r;
    if (strcmp(what, "count") == 0)
        r = PySequence_Count(o, v);
    else if (strcmp(what, "index") == 0)
        r = PySequence_Index(o, v);
    else if (strcmp(what, "contains") == 0)
        r = PySequence_Contains(o, v);
    else
        r = PySequence_In(o, v);
    if (r < 0)
        return NULL;
    return PyLong_FromSsize_t(r);
}

static PyObject *
length(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PySequence_Length(o);
    if (n < 0)
        return NULL;
    return PyLong_FromSsize_t(n);
}

/* (type of the fast sequence, size, items via GET_ITEM, items via ITEMS,
 * same object?) */
static PyObject *
fast(PyObject *self, PyObject *o)
{
    PyObject *f = PySequence_Fast(o, "custom message: not iterable");
    if (f == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(f);
    PyObject *by_get = PyList_New(n);
    PyObject *by_items = PyList_New(n);
    PyObject **items = PySequence_Fast_ITEMS(f);
    for (Py_ssize_t i = 0; by_get && by_items && i < n; i++) {
        PyList_SetItem(by_get, i, Py_NewRef(PySequence_Fast_GET_ITEM(f, i)));
        PyList_SetItem(by_items, i, Py_NewRef(items[i]));
    }
    PyObject *r = NULL;
    if (by_get && by_items)
        r = Py_BuildValue("(nOOO)", n, by_get, by_items, f == o ? Py_True : Py_False);
    Py_XDECREF(by_get);
    Py_XDECREF(by_items);
    Py_DECREF(f);
    return r;
}

/* The Fast macros used on a list handed in directly. */
static PyObject *
fast_macros_on(PyObject *self, PyObject *seq)
{
    if (!PyList_Check(seq) && !PyTuple_Check(seq)) {
        PyErr_SetString(PyExc_TypeError, "list or tuple");
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    PyObject *out = PyTuple_New(n);
    for (Py_ssize_t i = 0; out && i < n; i++)
        PyTuple_SET_ITEM(out, i, Py_NewRef(items[i]));
    return out;
}

static PyObject *
fast_refcount(PyObject *self, PyObject *o)
{
    Py_ssize_t before = Py_REFCNT(o);
    PyObject *f = PySequence_Fast(o, "x");
    if (f == NULL)
        return NULL;
    Py_ssize_t during = Py_REFCNT(o);
    Py_DECREF(f);
    return Py_BuildValue("(nn)", during - before, Py_REFCNT(o) - before);
}

static PyObject *
mapping_ops(PyObject *self, PyObject *args)
{
    PyObject *m, *key;
    const char *skey;
    if (!PyArg_ParseTuple(args, "OOs", &m, &key, &skey))
        return NULL;
    int has = PyMapping_HasKey(m, key);
    int has_s = PyMapping_HasKeyString(m, skey);
    PyObject *err = PyErr_Occurred();
    return Py_BuildValue("(iiO)", has, has_s, err ? err : Py_None);
}

static PyObject *
mapping_set_string(PyObject *self, PyObject *args)
{
    PyObject *m, *v;
    const char *key;
    if (!PyArg_ParseTuple(args, "OsO", &m, &key, &v))
        return NULL;
    if (PyMapping_SetItemString(m, key, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
mapping_del(PyObject *self, PyObject *args)
{
    PyObject *m, *key;
    if (!PyArg_ParseTuple(args, "OO", &m, &key))
        return NULL;
    int r = PyUnicode_Check(key) ? PyMapping_DelItemString(m, PyUnicode_AsUTF8(key)) : PyMapping_DelItem(m, key);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
iter_search(PyObject *self, PyObject *args)
{
    PyObject *o, *v;
    int op;
    if (!PyArg_ParseTuple(args, "OOi", &o, &v, &op))
        return NULL;
    Py_ssize_t r = _PySequence_IterSearch(o, v, op);
    if (r < 0 && PyErr_Occurred())
        return NULL;
    return PyLong_FromSsize_t(r);
}

static PyObject *
constants(PyObject *self, PyObject *noargs)
{
    return Py_BuildValue("(iii)", PY_ITERSEARCH_COUNT, PY_ITERSEARCH_INDEX, PY_ITERSEARCH_CONTAINS);
}

/* The builtin types' own sq_repeat and sq_inplace_concat, called through
 * the type objects' tables (Cython calls list's this way). */
static PyObject *
type_repeat(PyObject *self, PyObject *args)
{
    PyObject *type, *seq;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "O!On", &PyType_Type, &type, &seq, &n))
        return NULL;
    PySequenceMethods *sq = ((PyTypeObject *)type)->tp_as_sequence;
    if (sq == NULL || sq->sq_repeat == NULL) {
        PyErr_SetString(PyExc_TypeError, "no sq_repeat");
        return NULL;
    }
    return sq->sq_repeat(seq, n);
}

static PyObject *
list_inplace_concat(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b))
        return NULL;
    return PyList_Type.tp_as_sequence->sq_inplace_concat(a, b);
}

static PyMethodDef methods[] = {
    {"type_repeat", type_repeat, METH_VARARGS, NULL},
    {"list_inplace_concat", list_inplace_concat, METH_VARARGS, NULL},
    {"concat", concat, METH_VARARGS, NULL},
    {"repeat", repeat, METH_VARARGS, NULL},
    {"get_slice", get_slice, METH_VARARGS, NULL},
    {"set_slice", set_slice, METH_VARARGS, NULL},
    {"set_item", set_item, METH_VARARGS, NULL},
    {"get_item", get_item, METH_VARARGS, NULL},
    {"to_list", to_list, METH_O, NULL},
    {"search", search, METH_VARARGS, NULL},
    {"length", length, METH_O, NULL},
    {"fast", fast, METH_O, NULL},
    {"fast_macros_on", fast_macros_on, METH_O, NULL},
    {"fast_refcount", fast_refcount, METH_O, NULL},
    {"mapping_ops", mapping_ops, METH_VARARGS, NULL},
    {"mapping_set_string", mapping_set_string, METH_VARARGS, NULL},
    {"mapping_del", mapping_del, METH_VARARGS, NULL},
    {"iter_search", iter_search, METH_VARARGS, NULL},
    {"constants", constants, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "sequence_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_sequence_ext(void)
{
    return PyModule_Create(&moduledef);
}
