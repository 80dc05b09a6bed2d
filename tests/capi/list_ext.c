#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *stored = NULL;   /* a list kept by C between calls */

static int
get_index(PyObject *args, Py_ssize_t pos, Py_ssize_t *out)
{
    *out = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, pos));
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

static PyObject *
pair(PyObject *a, PyObject *b)   /* steals both; NULL-safe */
{
    if (a == NULL || b == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        return NULL;
    }
    PyObject *t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(a);
        Py_DECREF(b);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, a);
    PyTuple_SET_ITEM(t, 1, b);
    return t;
}

static PyObject *
new_filled(PyObject *self, PyObject *arg)
{
    /* PyList_New(n) + PyList_SET_ITEM: [0, 10, 20, ...] */
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    PyObject *l = PyList_New(n);
    if (l == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyList_SET_ITEM(l, i, PyLong_FromSsize_t(i * 10));
    return l;
}

static PyObject *
new_with_setitem(PyObject *self, PyObject *noargs)
{
    /* PyList_New(3) + PyList_SetItem (function form), then replace one item */
    PyObject *l = PyList_New(3);
    if (l == NULL)
        return NULL;
    if (PyList_SetItem(l, 0, PyUnicode_FromString("a")) < 0 ||
        PyList_SetItem(l, 1, PyUnicode_FromString("b")) < 0 ||
        PyList_SetItem(l, 2, PyUnicode_FromString("c")) < 0 ||
        PyList_SetItem(l, 1, PyLong_FromLong(99)) < 0) {
        Py_DECREF(l);
        return NULL;
    }
    return l;
}

static PyObject *
new_empty_then_append(PyObject *self, PyObject *noargs)
{
    PyObject *l = PyList_New(0);
    if (l == NULL)
        return NULL;
    for (int i = 0; i < 5; i++) {
        PyObject *v = PyLong_FromLong(i * i);
        if (v == NULL || PyList_Append(l, v) < 0) {   /* Append does not steal */
            Py_XDECREF(v);
            Py_DECREF(l);
            return NULL;
        }
        Py_DECREF(v);
    }
    return l;
}

static PyObject *
new_negative(PyObject *self, PyObject *noargs)
{
    return PyList_New(-1);
}

static PyObject *
append(PyObject *self, PyObject *args)
{
    if (PyList_Append(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
append_null(PyObject *self, PyObject *arg)
{
    if (PyList_Append(arg, NULL) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
insert(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    if (get_index(args, 1, &i) < 0)
        return NULL;
    if (PyList_Insert(PyTuple_GET_ITEM(args, 0), i, PyTuple_GET_ITEM(args, 2)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
get_item(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    if (get_index(args, 1, &i) < 0)
        return NULL;
    PyObject *r = PyList_GetItem(PyTuple_GET_ITEM(args, 0), i);   /* borrowed */
    if (r == NULL)
        return NULL;
    return Py_NewRef(r);
}

static PyObject *
set_item(PyObject *self, PyObject *args)
{
    Py_ssize_t i;
    if (get_index(args, 1, &i) < 0)
        return NULL;
    PyObject *v = PyTuple_GET_ITEM(args, 2);
    Py_INCREF(v);   /* stolen, even on failure */
    if (PyList_SetItem(PyTuple_GET_ITEM(args, 0), i, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
macro_ops(PyObject *self, PyObject *args)
{
    /* (list, i, v): returns (GET_SIZE, old GET_ITEM(i)); then SET_ITEM(i, v) */
    PyObject *l = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t i;
    if (get_index(args, 1, &i) < 0)
        return NULL;
    PyObject *v = PyTuple_GET_ITEM(args, 2);
    PyObject *old = PyList_GET_ITEM(l, i);
    PyObject *r = pair(PyLong_FromSsize_t(PyList_GET_SIZE(l)), Py_NewRef(old));
    if (r == NULL)
        return NULL;
    Py_INCREF(v);
    PyList_SET_ITEM(l, i, v);
    Py_DECREF(old);   /* SET_ITEM does not release the old item */
    return r;
}

/* mypyc's `xs[i] = v` on a list: release the old item as read through
 * PyList_GET_ITEM, then PyList_SET_ITEM. Here on a stack of tuples made in
 * C that only the list holds (each released item dies at once), read back
 * and replaced at the top, as a parser's stack is. Returns the stack. */
static PyObject *
replace_top(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n < 0 && PyErr_Occurred())
        return NULL;
    PyObject *stack = PyList_New(0);
    if (stack == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *t = Py_BuildValue("(nis)", k, 0, "pushed");
        if (t == NULL || PyList_Append(stack, t) < 0) {
            Py_XDECREF(t);
            Py_DECREF(stack);
            return NULL;
        }
        Py_DECREF(t);
        for (int step = 1; step <= 3; step++) {
            Py_ssize_t top = PyList_GET_SIZE(stack) - 1;
            PyObject *old = PyList_GET_ITEM(stack, top);
            Py_INCREF(old);
            long seen = PyLong_AsLong(PyTuple_GET_ITEM(old, 1));
            Py_DECREF(old);
            if (seen != step - 1) {
                Py_DECREF(stack);
                return PyErr_Format(PyExc_AssertionError, "slot %zd holds step %ld, not %d", top, seen, step - 1);
            }
            PyObject *next = Py_BuildValue("(nis)", k, step, "replaced");
            if (next == NULL) {
                Py_DECREF(stack);
                return NULL;
            }
            Py_DECREF(PyList_GET_ITEM(stack, top));
            PyList_SET_ITEM(stack, top, next);
        }
    }
    return stack;
}

static PyObject *
size(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyList_Size(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
get_slice(PyObject *self, PyObject *args)
{
    Py_ssize_t lo, hi;
    if (get_index(args, 1, &lo) < 0 || get_index(args, 2, &hi) < 0)
        return NULL;
    return PyList_GetSlice(PyTuple_GET_ITEM(args, 0), lo, hi);
}

static PyObject *
set_slice(PyObject *self, PyObject *args)
{
    Py_ssize_t lo, hi;
    if (get_index(args, 1, &lo) < 0 || get_index(args, 2, &hi) < 0)
        return NULL;
    PyObject *v = PyTuple_GET_ITEM(args, 3);
    if (PyList_SetSlice(PyTuple_GET_ITEM(args, 0), lo, hi, v == Py_None ? NULL : v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
as_tuple(PyObject *self, PyObject *arg)
{
    return PyList_AsTuple(arg);
}

static PyObject *
sort(PyObject *self, PyObject *arg)
{
    if (PyList_Sort(arg) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
reverse(PyObject *self, PyObject *arg)
{
    if (PyList_Reverse(arg) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
checks(PyObject *self, PyObject *arg)
{
    return pair(PyBool_FromLong(PyList_Check(arg)), PyBool_FromLong(PyList_CheckExact(arg)));
}

static PyObject *
store(PyObject *self, PyObject *arg)
{
    Py_INCREF(arg);
    Py_XSETREF(stored, arg);
    Py_RETURN_NONE;
}

static PyObject *
read_stored(PyObject *self, PyObject *noargs)
{
    /* (size seen by C, tuple of items seen by C via GET_ITEM) */
    if (stored == NULL)
        Py_RETURN_NONE;
    Py_ssize_t n = PyList_GET_SIZE(stored);
    PyObject *items = PyTuple_New(n);
    if (items == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(items, i, Py_NewRef(PyList_GET_ITEM(stored, i)));
    return pair(PyLong_FromSsize_t(n), items);
}

static PyObject *
get_stored(PyObject *self, PyObject *noargs)
{
    if (stored == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(stored);
}

static PyObject *
mutate_stored(PyObject *self, PyObject *arg)
{
    /* C appends arg to the stored list and sets item 0 to the string "c0" */
    if (stored == NULL)
        Py_RETURN_NONE;
    if (PyList_Append(stored, arg) < 0)
        return NULL;
    if (PyList_Size(stored) > 0 &&
        PyList_SetItem(stored, 0, PyUnicode_FromString("c0")) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
clear_stored(PyObject *self, PyObject *noargs)
{
    Py_CLEAR(stored);
    Py_RETURN_NONE;
}

static PyObject *
steal_test(PyObject *self, PyObject *cls)
{
    /* obj = cls(); PyList_SetItem steals it; dropping the list frees it */
    PyObject *obj = PyObject_CallNoArgs(cls);
    if (obj == NULL)
        return NULL;
    PyObject *wr = PyWeakref_NewRef(obj, NULL);
    PyObject *l = PyList_New(1);
    if (wr == NULL || l == NULL) {
        Py_DECREF(obj);
        Py_XDECREF(wr);
        Py_XDECREF(l);
        return NULL;
    }
    PyList_SetItem(l, 0, obj);
    Py_DECREF(l);
    return wr;
}

static PyObject *
append_keeps_ref(PyObject *self, PyObject *cls)
{
    /* obj = cls(); Append (no steal); drop our ref: the list keeps obj alive */
    PyObject *obj = PyObject_CallNoArgs(cls);
    if (obj == NULL)
        return NULL;
    PyObject *wr = PyWeakref_NewRef(obj, NULL);
    PyObject *l = PyList_New(0);
    if (wr == NULL || l == NULL || PyList_Append(l, obj) < 0) {
        Py_DECREF(obj);
        Py_XDECREF(wr);
        Py_XDECREF(l);
        return NULL;
    }
    Py_DECREF(obj);
    return pair(l, wr);
}

/* Builds a list in place, as fast decoders do: room for n items, size 0,
   then set the next slot and grow the size while `allocated` allows; the
   last item goes through PyList_Append once the room is used up. If
   `cross` is true, the list crosses to Python half-way. */
static PyObject *
build_in_place(PyObject *self, PyObject *args)
{
    Py_ssize_t n;
    int cross;
    PyObject *seen = NULL;
    if (!PyArg_ParseTuple(args, "np", &n, &cross))
        return NULL;
    PyObject *list = PyList_New(n);
    if (list == NULL)
        return NULL;
    Py_SET_SIZE(list, 0);
    for (Py_ssize_t i = 0; i <= n; i++) {
        if (cross && i == n / 2) {
            seen = PySequence_List(list);
            if (seen == NULL)
                goto error;
        }
        PyObject *item = PyLong_FromSsize_t(i * 10);
        if (item == NULL)
            goto error;
        if (((PyListObject *)list)->allocated > Py_SIZE(list)) {
            PyList_SET_ITEM(list, Py_SIZE(list), item);
            Py_SET_SIZE(list, Py_SIZE(list) + 1);
        }
        else {
            int status = PyList_Append(list, item);
            Py_DECREF(item);
            if (status < 0)
                goto error;
        }
    }
    if (seen == NULL)
        return list;
    PyObject *result = Py_BuildValue("(NN)", list, seen);
    return result;
error:
    Py_XDECREF(seen);
    Py_DECREF(list);
    return NULL;
}

/* A list made with room for `n` items, the first `filled` set, then the
   slice [low:high] replaced by `items` (NULL: cut), before it reaches
   Python; cffi cuts the tail it did not fill this way. */
static PyObject *
slice_while_filling(PyObject *self, PyObject *args)
{
    Py_ssize_t n, filled, low, high;
    PyObject *items;
    if (!PyArg_ParseTuple(args, "nnnnO", &n, &filled, &low, &high, &items))
        return NULL;
    PyObject *lst = PyList_New(n);
    if (lst == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < filled; i++)
        PyList_SET_ITEM(lst, i, PyLong_FromSsize_t(i * 10));
    PyObject *replacement = items == Py_None ? NULL : (items == Py_Ellipsis ? lst : items);
    if (PyList_SetSlice(lst, low, high, replacement) < 0) {
        Py_DECREF(lst);
        return NULL;
    }
    return lst;
}

/* A reply builder's order (hiredis): a list of n unset items is stored in
 * its parent first (a dict, or the tail of another list through
 * PyList_SetSlice), C drops its own reference, then fills the items. */
static PyObject *
store_then_fill(PyObject *self, PyObject *args)
{
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "n", &n))
        return NULL;
    PyObject *parent = PyDict_New();
    PyObject *tail = PyList_New(0);
    PyObject *child = PyList_New(n);
    PyObject *holes = PyList_New(n);
    if (parent == NULL || tail == NULL || child == NULL || holes == NULL)
        goto fail;
    if (PyDict_SetItemString(parent, "child", child) < 0)
        goto fail;
    Py_DECREF(child); /* the dict's reference keeps it */
    if (PyList_SetSlice(tail, PY_SSIZE_T_MAX, PY_SSIZE_T_MAX, holes) < 0)
        goto fail;
    Py_CLEAR(holes);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyList_SET_ITEM(child, i, PyLong_FromSsize_t(i * 10));
        PyList_SET_ITEM(tail, i, PyUnicode_FromFormat("t%zd", i));
    }
    if (PyDict_SetItemString(parent, "tail", tail) < 0)
        goto fail;
    Py_DECREF(tail);
    return parent;
fail:
    Py_XDECREF(parent);
    Py_XDECREF(tail);
    Py_XDECREF(holes);
    return NULL;
}

/* Holds on to an object between calls, as extensions keep caches. */
static PyObject *kept = NULL;

static PyObject *
keep(PyObject *self, PyObject *obj)
{
    Py_XSETREF(kept, Py_NewRef(obj));
    Py_RETURN_NONE;
}

static PyObject *
kept_size(PyObject *self, PyObject *unused)
{
    if (kept == NULL || !PyList_Check(kept))
        Py_RETURN_NONE;
    return PyLong_FromSsize_t(PyList_GET_SIZE(kept));
}

/* mirror_after(what, list[, arg]): a list changed through a generic call,
 * then its ob_size and ob_item read directly (as mypyc's len() and for
 * loops read them), beside PyList_GET_SIZE. */
static PyObject *
mirror_after(PyObject *self, PyObject *args)
{
    const char *what;
    PyObject *list, *arg = NULL;
    if (!PyArg_ParseTuple(args, "sO!|O", &what, &PyList_Type, &list, &arg))
        return NULL;
    int rc = 0;
    if (strcmp(what, "PyObject_DelItem") == 0)
        rc = PyObject_DelItem(list, arg);
    else if (strcmp(what, "PyObject_SetItem slice") == 0) {
        PyObject *all = PySlice_New(NULL, NULL, NULL);
        if (all == NULL)
            return NULL;
        rc = PyObject_SetItem(list, all, arg);
        Py_DECREF(all);
    }
    else if (strcmp(what, "PySequence_DelItem") == 0)
        rc = PySequence_DelItem(list, 0);
    else if (strcmp(what, "PySequence_SetSlice") == 0)
        rc = PySequence_SetSlice(list, 0, 1, arg);
    else if (strcmp(what, "PySequence_DelSlice") == 0)
        rc = PySequence_DelSlice(list, 0, 1);
    else if (strcmp(what, "method pop") == 0) {
        PyObject *r = PyObject_CallMethod(list, "pop", NULL);
        if (r == NULL)
            return NULL;
        Py_DECREF(r);
    }
    else if (strcmp(what, "bound append") == 0) {
        PyObject *append = PyObject_GetAttrString(list, "append");
        if (append == NULL)
            return NULL;
        PyObject *r = PyObject_CallOneArg(append, arg);
        Py_DECREF(append);
        if (r == NULL)
            return NULL;
        Py_DECREF(r);
    }
    else if (strcmp(what, "function") == 0) {
        PyObject *r = PyObject_CallOneArg(arg, list);
        if (r == NULL)
            return NULL;
        Py_DECREF(r);
    }
    else {
        PyErr_SetString(PyExc_ValueError, what);
        return NULL;
    }
    if (rc < 0)
        return NULL;
    Py_ssize_t direct = ((PyVarObject *)list)->ob_size;
    PyObject *items = PyList_New(0);
    if (items == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < direct; i++) {
        PyObject *item = ((PyListObject *)list)->ob_item[i];
        if (PyList_Append(items, item != NULL ? item : Py_None) < 0) {
            Py_DECREF(items);
            return NULL;
        }
    }
    return Py_BuildValue("(nnN)", direct, PyList_GET_SIZE(list), items);
}

static PyMethodDef methods[] = {
    {"mirror_after", mirror_after, METH_VARARGS, NULL},
    {"keep", keep, METH_O, NULL},
    {"kept_size", kept_size, METH_NOARGS, NULL},
    {"store_then_fill", store_then_fill, METH_VARARGS, NULL},
    {"slice_while_filling", slice_while_filling, METH_VARARGS, NULL},
    {"build_in_place", build_in_place, METH_VARARGS, NULL},
    {"new_filled", new_filled, METH_O, NULL},
    {"new_with_setitem", new_with_setitem, METH_NOARGS, NULL},
    {"new_empty_then_append", new_empty_then_append, METH_NOARGS, NULL},
    {"new_negative", new_negative, METH_NOARGS, NULL},
    {"append", append, METH_VARARGS, NULL},
    {"append_null", append_null, METH_O, NULL},
    {"insert", insert, METH_VARARGS, NULL},
    {"get_item", get_item, METH_VARARGS, NULL},
    {"set_item", set_item, METH_VARARGS, NULL},
    {"macro_ops", macro_ops, METH_VARARGS, NULL},
    {"replace_top", replace_top, METH_O, NULL},
    {"size", size, METH_O, NULL},
    {"get_slice", get_slice, METH_VARARGS, NULL},
    {"set_slice", set_slice, METH_VARARGS, NULL},
    {"as_tuple", as_tuple, METH_O, NULL},
    {"sort", sort, METH_O, NULL},
    {"reverse", reverse, METH_O, NULL},
    {"checks", checks, METH_O, NULL},
    {"store", store, METH_O, NULL},
    {"read_stored", read_stored, METH_NOARGS, NULL},
    {"get_stored", get_stored, METH_NOARGS, NULL},
    {"mutate_stored", mutate_stored, METH_O, NULL},
    {"clear_stored", clear_stored, METH_NOARGS, NULL},
    {"steal_test", steal_test, METH_O, NULL},
    {"append_keeps_ref", append_keeps_ref, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "list_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_list_ext(void)
{
    return PyModule_Create(&moduledef);
}
