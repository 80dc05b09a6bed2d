/* zodbpickle's (CPython 3.3's) _pickle do_append: the items to append are
 * popped into a new list with PyList_New + PyList_SET_ITEM, then
 * PyList_SetSlice(list, len, len, slice). Unpickling a list that contains
 * itself appends the list to itself that way. */
#include <Python.h>
static PyObject *append_via_slice(PyObject *m, PyObject *args) {
    PyObject *list, *item;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &list, &item)) return NULL;
    PyObject *slice = PyList_New(1);
    if (!slice) return NULL;
    Py_INCREF(item);
    PyList_SET_ITEM(slice, 0, item);
    Py_ssize_t n = PyList_GET_SIZE(list);
    int r = PyList_SetSlice(list, n, n, slice);
    Py_DECREF(slice);
    if (r < 0) return NULL;
    return PyLong_FromSsize_t(PyList_GET_SIZE(list));
}
static PyObject *selfref(PyObject *m, PyObject *unused) {
    /* all in C: a new list, then itself appended through a slice */
    PyObject *list = PyList_New(0);
    PyObject *args = Py_BuildValue("(OO)", list, list);
    PyObject *r = append_via_slice(m, args);
    Py_DECREF(args);
    if (!r) { Py_DECREF(list); return NULL; }
    Py_DECREF(r);
    return list;
}
static int slice_append(PyObject *list, PyObject *item) {
    PyObject *slice = PyList_New(1);
    if (!slice) return -1;
    Py_INCREF(item);
    PyList_SET_ITEM(slice, 0, item);
    Py_ssize_t n = PyList_GET_SIZE(list);
    int r = PyList_SetSlice(list, n, n, slice);
    Py_DECREF(slice);
    return r;
}
static PyObject *variant(PyObject *m, PyObject *arg) {
    long v = PyLong_AsLong(arg);
    PyObject *list = PyList_New(0);
    if (v == 1) {            /* PyList_Append instead of a slice */
        if (PyList_Append(list, list) < 0) return NULL;
    } else if (v == 2) {     /* the list crosses into Python first */
        PyObject *r = PyObject_Repr(list); Py_XDECREF(r);
        if (slice_append(list, list) < 0) return NULL;
    } else if (v == 3) {     /* slice append, nothing else */
        if (slice_append(list, list) < 0) return NULL;
    } else if (v == 4) {     /* slice append of another new list */
        PyObject *other = PyList_New(0);
        if (slice_append(list, other) < 0) return NULL;
        Py_DECREF(other);
    }
    return list;
}
/* A list C fills with itself, directly or through another list it fills. */
static PyObject *selfset(PyObject *m, PyObject *unused) {
    PyObject *l = PyList_New(1);
    if (!l) return NULL;
    Py_INCREF(l);
    PyList_SET_ITEM(l, 0, l);
    return l;
}
static PyObject *pair(PyObject *m, PyObject *unused) {
    PyObject *a = PyList_New(1), *b = PyList_New(1);
    if (!a || !b) return NULL;
    Py_INCREF(b); PyList_SET_ITEM(a, 0, b);
    Py_INCREF(a); PyList_SET_ITEM(b, 0, a);
    Py_DECREF(b);
    return a;
}
/* A list C is filling, extended by a slice assignment from a tuple (any
 * sequence serves as the item list: Cython's __Pyx_PEP560_update_bases). */
static PyObject *tuple_slice(PyObject *m, PyObject *unused) {
    PyObject *list = PyList_New(0), *items = Py_BuildValue("(iii)", 1, 2, 3);
    if (!list || !items) return NULL;
    int r = PyList_SetSlice(list, 0, 0, items);
    Py_DECREF(items);
    if (r < 0) { Py_DECREF(list); return NULL; }
    return list;
}
static PyMethodDef methods[] = {
    {"tuple_slice", tuple_slice, METH_NOARGS, NULL},
    {"selfset", selfset, METH_NOARGS, NULL},
    {"pair", pair, METH_NOARGS, NULL},
    {"variant", variant, METH_O, NULL},
    {"append_via_slice", append_via_slice, METH_VARARGS, NULL},
    {"selfref", selfref, METH_NOARGS, NULL},
    {NULL}
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "selflist_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_selflist_ext(void) { return PyModule_Create(&moddef); }
