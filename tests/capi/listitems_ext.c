/* Direct access to PyListObject's fields (ob_item, ob_size), as Cython's
 * generated code and hand-written C do. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *kept = NULL;   /* a list C holds between calls */

/* PyList_New(n), then the array filled directly (Cython's
 * __Pyx_PyList_FromArray): a copy of the tuple's items. */
static PyObject *
from_array(PyObject *self, PyObject *tuple)
{
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    PyObject *l = PyList_New(n);
    if (l == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyTuple_GET_ITEM(tuple, i);
        Py_INCREF(item);
        ((PyListObject *)l)->ob_item[i] = item;
    }
    return l;
}

/* list[start:stop] read from ob_item (Cython's typed list slicing). */
static PyObject *
raw_slice(PyObject *self, PyObject *args)
{
    PyObject *src;
    Py_ssize_t start, stop;
    if (!PyArg_ParseTuple(args, "O!nn", &PyList_Type, &src, &start, &stop))
        return NULL;
    Py_ssize_t length = PyList_GET_SIZE(src);
    if (stop > length)
        stop = length;
    if (start >= stop)
        return PyList_New(0);
    PyObject **items = ((PyListObject *)src)->ob_item + start;
    PyObject *l = PyList_New(stop - start);
    if (l == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < stop - start; i++) {
        Py_INCREF(items[i]);
        ((PyListObject *)l)->ob_item[i] = items[i];
    }
    return l;
}

/* Py_SIZE and ob_item of a list argument, as a tuple of its items. */
static PyObject *
raw_items(PyObject *self, PyObject *list)
{
    if (!PyList_Check(list)) {
        PyErr_SetString(PyExc_TypeError, "a list is required");
        return NULL;
    }
    Py_ssize_t n = Py_SIZE(list);
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = ((PyListObject *)list)->ob_item[i];
        Py_INCREF(item);
        PyTuple_SET_ITEM(t, i, item);
    }
    return t;
}

/* Whether the last item of a list is the list itself, read from ob_item. */
static PyObject *
contains_itself(PyObject *self, PyObject *list)
{
    Py_ssize_t n = Py_SIZE(list);
    return PyBool_FromLong(n > 0 && ((PyListObject *)list)->ob_item[n - 1] == list);
}

/* The items of the list inside a list, through the macros and then ob_item. */
static PyObject *
inner_items(PyObject *self, PyObject *outer)
{
    PyObject *inner = PyList_GET_ITEM(outer, 0);
    if (!PyList_Check(inner)) {
        PyErr_SetString(PyExc_TypeError, "item 0 must be a list");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(inner);
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = ((PyListObject *)inner)->ob_item[i];
        Py_INCREF(item);
        PyTuple_SET_ITEM(t, i, item);
    }
    return t;
}

/* Appends, inserts, sorts and reverses through the API, reading Py_SIZE and
 * ob_item after each step. */
static PyObject *
mutate_and_read(PyObject *self, PyObject *list)
{
    PyObject *log = PyList_New(0);
    if (log == NULL)
        return NULL;
    PyObject *x = PyLong_FromLong(-7);
    int ok = x != NULL && PyList_Append(list, x) == 0;
    Py_XDECREF(x);
    if (ok) {
        PyObject *step = Py_BuildValue("(nO)", Py_SIZE(list), ((PyListObject *)list)->ob_item[Py_SIZE(list) - 1]);
        ok = step != NULL && PyList_Append(log, step) == 0;
        Py_XDECREF(step);
    }
    PyObject *y = ok ? PyUnicode_FromString("ins") : NULL;
    ok = ok && y != NULL && PyList_Insert(list, 0, y) == 0;
    Py_XDECREF(y);
    if (ok) {
        PyObject *step = Py_BuildValue("(nO)", Py_SIZE(list), ((PyListObject *)list)->ob_item[0]);
        ok = step != NULL && PyList_Append(log, step) == 0;
        Py_XDECREF(step);
    }
    ok = ok && PyList_Reverse(list) == 0;
    if (ok) {
        PyObject *step = Py_BuildValue("(nO)", Py_SIZE(list), ((PyListObject *)list)->ob_item[0]);
        ok = step != NULL && PyList_Append(log, step) == 0;
        Py_XDECREF(step);
    }
    ok = ok && PyList_SetSlice(list, 0, 1, NULL) == 0;
    if (ok) {
        PyObject *step = Py_BuildValue("(nO)", Py_SIZE(list), ((PyListObject *)list)->ob_item[0]);
        ok = step != NULL && PyList_Append(log, step) == 0;
        Py_XDECREF(step);
    }
    if (!ok) {
        Py_DECREF(log);
        return NULL;
    }
    return log;
}

/* PyList_SetItem and PyList_SET_ITEM on a list from Python, then ob_item. */
static PyObject *
set_and_read(PyObject *self, PyObject *list)
{
    if (PyList_GET_SIZE(list) < 2) {
        PyErr_SetString(PyExc_ValueError, "two items needed");
        return NULL;
    }
    if (PyList_SetItem(list, 0, PyUnicode_FromString("zero")) < 0)
        return NULL;
    PyObject *old = PyList_GET_ITEM(list, 1);
    PyList_SET_ITEM(list, 1, PyUnicode_FromString("one"));
    Py_DECREF(old);   /* the list's reference to the old item came back to us */
    PyObject **items = ((PyListObject *)list)->ob_item;
    return Py_BuildValue("(OO)", items[0], items[1]);
}

/* PySequence_Fast_ITEMS of a list. */
static PyObject *
fast_items(PyObject *self, PyObject *seq)
{
    PyObject *fast = PySequence_Fast(seq, "not a sequence");
    if (fast == NULL)
        return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        Py_DECREF(fast);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(items[i]);
        PyTuple_SET_ITEM(t, i, items[i]);
    }
    Py_DECREF(fast);
    return t;
}

static PyObject *
keep(PyObject *self, PyObject *list)
{
    Py_XSETREF(kept, Py_NewRef(list));
    Py_RETURN_NONE;
}

/* The kept list read through the item functions (which see changes Python
 * made since C last saw it). */
static PyObject *
kept_items(PyObject *self, PyObject *noargs)
{
    if (kept == NULL)
        Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(kept);
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(kept, i);
        Py_INCREF(item);
        PyTuple_SET_ITEM(t, i, item);
    }
    return t;
}

/* A list filled in C, given to Python code, then read again in C. */
static PyObject *
round_trip(PyObject *self, PyObject *callback)
{
    PyObject *l = PyList_New(2);
    if (l == NULL)
        return NULL;
    PyList_SET_ITEM(l, 0, PyLong_FromLong(1));
    PyList_SET_ITEM(l, 1, PyLong_FromLong(2));
    PyObject *r = PyObject_CallOneArg(callback, l);
    if (r == NULL) {
        Py_DECREF(l);
        return NULL;
    }
    Py_DECREF(r);
    Py_ssize_t n = PyList_GET_SIZE(l);
    PyObject *t = PyTuple_New(n + 1);
    if (t == NULL) {
        Py_DECREF(l);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, PyLong_FromSsize_t(n));
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i + 1, Py_NewRef(PyList_GET_ITEM(l, i)));
    Py_DECREF(l);
    return t;
}

/* Pops the last item by lowering ob_size (Cython's star-unpacking): the
 * list's reference to the item passes to C. */
static PyObject *
pop_by_size(PyObject *self, PyObject *list)
{
    Py_ssize_t n = PyList_GET_SIZE(list);
    if (n == 0) {
        PyErr_SetString(PyExc_IndexError, "empty");
        return NULL;
    }
    PyObject *last = PyList_GET_ITEM(list, n - 1);
    ((PyVarObject *)list)->ob_size--;
    PyObject *r = Py_BuildValue("(OO)", last, list);
    Py_DECREF(last);
    return r;
}

/* Appends the way Cython's fast path does: into a spare slot when there is
 * one, raising ob_size, else through PyList_Append. */
static PyObject *
append_fast(PyObject *self, PyObject *args)
{
    PyObject *list, *x;
    if (!PyArg_ParseTuple(args, "O!O", &PyList_Type, &list, &x))
        return NULL;
    PyListObject *L = (PyListObject *)list;
    Py_ssize_t len = Py_SIZE(list);
    if (L->allocated > len) {
        Py_INCREF(x);
        L->ob_item[len] = x;
        Py_SET_SIZE(list, len + 1);
    }
    else if (PyList_Append(list, x) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Lists stored in their container before their items are set, the items
   then written straight into ob_item (PyO3's PyList_SET_ITEM does so;
   orjson builds nested lists this way). */
static PyObject *
store_then_write(PyObject *self, PyObject *noargs)
{
    PyObject *outer = PyList_New(2);
    PyObject *holder = PyDict_New();
    if (outer == NULL || holder == NULL)
        return NULL;
    if (PyDict_SetItemString(holder, "outer", outer) < 0)
        return NULL;
    for (Py_ssize_t i = 0; i < 2; i++) {
        PyObject *inner = PyList_New(1);
        if (inner == NULL)
            return NULL;
        ((PyListObject *)outer)->ob_item[i] = inner;
        ((PyListObject *)inner)->ob_item[0] = i ? PyDict_New() : PyUnicode_FromString("x");
    }
    Py_DECREF(outer);
    return holder;
}

static PyMethodDef methods[] = {
    {"store_then_write", store_then_write, METH_NOARGS, NULL},
    {"pop_by_size", pop_by_size, METH_O, NULL},
    {"append_fast", append_fast, METH_VARARGS, NULL},
    {"from_array", from_array, METH_O, NULL},
    {"raw_slice", raw_slice, METH_VARARGS, NULL},
    {"raw_items", raw_items, METH_O, NULL},
    {"contains_itself", contains_itself, METH_O, NULL},
    {"inner_items", inner_items, METH_O, NULL},
    {"mutate_and_read", mutate_and_read, METH_O, NULL},
    {"set_and_read", set_and_read, METH_O, NULL},
    {"fast_items", fast_items, METH_O, NULL},
    {"keep", keep, METH_O, NULL},
    {"kept_items", kept_items, METH_NOARGS, NULL},
    {"round_trip", round_trip, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "listitems_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_listitems_ext(void)
{
    return PyModule_Create(&module);
}
