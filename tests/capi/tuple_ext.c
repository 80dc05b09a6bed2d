#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Tuples built in C, returned to Python. */
static PyObject *
make_tuple(PyObject *self, PyObject *noargs)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(42));
    PyTuple_SET_ITEM(t, 1, PyUnicode_FromString("spam"));
    PyTuple_SET_ITEM(t, 2, Py_NewRef(Py_None));
    PyTuple_SET_ITEM(t, 3, PyFloat_FromDouble(2.5));
    return t;
}

static PyObject *
make_with_setitem(PyObject *self, PyObject *noargs)
{
    /* PyTuple_SetItem (function form) on a freshly made tuple */
    PyObject *t = PyTuple_New(3);
    if (t == NULL)
        return NULL;
    if (PyTuple_SetItem(t, 0, PyLong_FromLong(-7)) < 0)
        goto fail;
    if (PyTuple_SetItem(t, 1, PyBytes_FromString("ab")) < 0)
        goto fail;
    if (PyTuple_SetItem(t, 2, Py_NewRef(Py_True)) < 0)
        goto fail;
    /* replace an item: SetItem drops the old one */
    if (PyTuple_SetItem(t, 0, PyLong_FromLong(8)) < 0)
        goto fail;
    return t;
fail:
    Py_DECREF(t);
    return NULL;
}

static PyObject *
make_nested(PyObject *self, PyObject *noargs)
{
    /* ((1, 2), (3, (4,)), ()) */
    PyObject *a = PyTuple_New(2), *b = PyTuple_New(2), *c = PyTuple_New(1);
    PyObject *e = PyTuple_New(0), *outer = PyTuple_New(3);
    if (!a || !b || !c || !e || !outer) {
        Py_XDECREF(a); Py_XDECREF(b); Py_XDECREF(c); Py_XDECREF(e); Py_XDECREF(outer);
        return NULL;
    }
    PyTuple_SET_ITEM(a, 0, PyLong_FromLong(1));
    PyTuple_SET_ITEM(a, 1, PyLong_FromLong(2));
    PyTuple_SET_ITEM(c, 0, PyLong_FromLong(4));
    PyTuple_SET_ITEM(b, 0, PyLong_FromLong(3));
    PyTuple_SET_ITEM(b, 1, c);
    PyTuple_SET_ITEM(outer, 0, a);
    PyTuple_SET_ITEM(outer, 1, b);
    PyTuple_SET_ITEM(outer, 2, e);
    return outer;
}

static PyObject *
new_sized(PyObject *self, PyObject *arg)
{
    /* PyTuple_New(n) then fill every slot with the index */
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    PyObject *t = PyTuple_New(n);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, PyLong_FromSsize_t(i));
    return t;
}

static PyObject *
wrap2(PyObject *self, PyObject *args)
{
    /* (a, b) -> (a, b) built in C with PyTuple_SET_ITEM + Py_INCREF */
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "wrap2 needs 2 args");
        return NULL;
    }
    PyObject *a = PyTuple_GET_ITEM(args, 0), *b = PyTuple_GET_ITEM(args, 1);
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    Py_INCREF(a);
    Py_INCREF(b);
    PyTuple_SET_ITEM(t, 0, a);
    PyTuple_SET_ITEM(t, 1, b);
    return t;
}

static PyObject *
args_tuple(PyObject *self, PyObject *args)
{
    return Py_NewRef(args);
}

static PyObject *
get_item(PyObject *self, PyObject *args)
{
    PyObject *t = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    if (i == -1 && PyErr_Occurred())
        return NULL;
    PyObject *r = PyTuple_GetItem(t, i);   /* borrowed */
    if (r == NULL)
        return NULL;
    Py_INCREF(r);
    return r;
}

static PyObject *
macro_get_item(PyObject *self, PyObject *args)
{
    PyObject *t = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    if (i == -1 && PyErr_Occurred())
        return NULL;
    return Py_NewRef(PyTuple_GET_ITEM(t, i));
}

static PyObject *
macro_size(PyObject *self, PyObject *arg)
{
    return PyLong_FromSsize_t(PyTuple_GET_SIZE(arg));
}

static PyObject *
size(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyTuple_Size(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
size_result_on_error(PyObject *self, PyObject *arg)
{
    /* returns (result, exception-was-set) and clears the error */
    Py_ssize_t n = PyTuple_Size(arg);
    int occurred = PyErr_Occurred() != NULL;
    PyErr_Clear();
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromSsize_t(n));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(occurred));
    return t;
}

static PyObject *
get_slice(PyObject *self, PyObject *args)
{
    PyObject *t = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t lo = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    Py_ssize_t hi = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 2));
    if (PyErr_Occurred())
        return NULL;
    return PyTuple_GetSlice(t, lo, hi);
}

static PyObject *
setitem_on(PyObject *self, PyObject *args)
{
    /* PyTuple_SetItem(obj, i, value) on an object from Python (error paths) */
    PyObject *obj = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    PyObject *v = PyTuple_GET_ITEM(args, 2);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    Py_INCREF(v);   /* SetItem steals, even on failure */
    if (PyTuple_SetItem(obj, i, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
setitem_fresh_index(PyObject *self, PyObject *arg)
{
    /* PyTuple_SetItem on a new 2-tuple with index from Python */
    Py_ssize_t i = PyLong_AsSsize_t(arg);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(0));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(1));
    if (PyTuple_SetItem(t, i, PyUnicode_FromString("new")) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    return t;
}

static PyObject *
steal_test(PyObject *self, PyObject *args)
{
    /* obj = cls(); wr = weakref(obj); t = (obj,) via SetItem (steals); drop t.
       Return wr: the object must be gone once the tuple is gone. */
    PyObject *cls = PyTuple_GET_ITEM(args, 0);
    int use_macro = PyObject_IsTrue(PyTuple_GET_ITEM(args, 1));
    PyObject *obj = PyObject_CallNoArgs(cls);
    if (obj == NULL)
        return NULL;
    PyObject *wr = PyWeakref_NewRef(obj, NULL);
    if (wr == NULL) {
        Py_DECREF(obj);
        return NULL;
    }
    PyObject *t = PyTuple_New(1);
    if (t == NULL) {
        Py_DECREF(obj);
        Py_DECREF(wr);
        return NULL;
    }
    if (use_macro)
        PyTuple_SET_ITEM(t, 0, obj);
    else
        PyTuple_SetItem(t, 0, obj);
    /* the tuple now owns obj; check it is reachable through the tuple */
    int alive = PyWeakref_GetObject(wr) == PyTuple_GET_ITEM(t, 0);
    Py_DECREF(t);
    PyObject *r = PyTuple_New(2);
    if (r == NULL) {
        Py_DECREF(wr);
        return NULL;
    }
    PyTuple_SET_ITEM(r, 0, PyBool_FromLong(alive));
    PyTuple_SET_ITEM(r, 1, wr);
    return r;
}

static PyObject *
checks(PyObject *self, PyObject *arg)
{
    PyObject *t = PyTuple_New(2);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(PyTuple_Check(arg)));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(PyTuple_CheckExact(arg)));
    return t;
}

static PyObject *
new_negative(PyObject *self, PyObject *noargs)
{
    return PyTuple_New(-1);
}

static PyObject *
sum_items(PyObject *self, PyObject *arg)
{
    /* iterate a tuple (or subclass) with GET_SIZE/GET_ITEM, summing ints */
    if (!PyTuple_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "sum_items expects a tuple");
        return NULL;
    }
    long total = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(arg); i++) {
        long v = PyLong_AsLong(PyTuple_GET_ITEM(arg, i));
        if (v == -1 && PyErr_Occurred())
            return NULL;
        total += v;
    }
    return PyLong_FromLong(total);
}


/* _PyTuple_Resize on a tuple being filled: grow, shrink, and misuse. */
static PyObject *
resize_fresh(PyObject *self, PyObject *args)
{
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "nn", &start, &end))
        return NULL;
    PyObject *t = PyTuple_New(start);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < start; i++)
        PyTuple_SET_ITEM(t, i, PyLong_FromSsize_t(i));
    if (_PyTuple_Resize(&t, end) < 0)
        return NULL;
    for (Py_ssize_t i = start; i < end; i++)
        PyTuple_SET_ITEM(t, i, PyUnicode_FromString("new"));
    return t;
}

/* The empty tuple is shared: PyTuple_New(0), an empty slice and the
   arguments of a METH_VARARGS call with none are one object. */
static PyObject *
empty_is_shared(PyObject *self, PyObject *args)
{
    PyObject *a = PyTuple_New(0), *b = PyTuple_New(0);
    PyObject *pair = Py_BuildValue("(ii)", 1, 2);
    PyObject *slice = PyTuple_GetSlice(pair, 1, 1);
    PyObject *r = Py_BuildValue("(OOO)", a == b ? Py_True : Py_False, a == args ? Py_True : Py_False,
                                slice == a ? Py_True : Py_False);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(pair);
    Py_DECREF(slice);
    return r;
}

/* Returns its borrowed arguments without a new reference: wrong, but
   harmless in CPython when there are none (pymongo's bson does it). */
static PyObject *
return_borrowed_args(PyObject *self, PyObject *args)
{
    return args;
}

/* How deep a tuple of one-item tuples goes, walked through ob_item. */
static PyObject *
nesting_depth(PyObject *self, PyObject *t)
{
    long depth = 0;
    while (PyTuple_Check(t) && PyTuple_GET_SIZE(t) == 1) {
        t = PyTuple_GET_ITEM(t, 0);
        depth++;
    }
    return PyLong_FromLong(depth);
}

/* A tuple Python has hashed (so it has seen it) is resized while C holds
   the only reference. */
static PyObject *
resize_seen(PyObject *self, PyObject *arg)
{
    PyObject *t = Py_BuildValue("(isi)", 1, "two", 3);
    if (t == NULL || PyObject_Hash(t) == -1)
        return NULL;
    if (_PyTuple_Resize(&t, PyLong_AsSsize_t(arg)) < 0)
        return NULL;
    for (Py_ssize_t i = 3; i < PyTuple_GET_SIZE(t); i++)
        PyTuple_SET_ITEM(t, i, PyLong_FromSsize_t(i * 10));
    return t;
}

/* A tuple someone else also holds cannot be resized; *p becomes NULL. */
static PyObject *
resize_shared(PyObject *self, PyObject *t)
{
    PyObject *mine = Py_NewRef(t);
    int r = _PyTuple_Resize(&mine, 5);
    if (r < 0) {
        if (mine != NULL)
            return PyUnicode_FromString("pointer not cleared");
        return NULL;
    }
    return mine;
}

/* A pair reused in place whenever the caller dropped the last one, as dict
   and multidict items iterators do: Py_REFCNT 1 means only we hold it. */
static PyObject *reused_pair = NULL;
static long pair_reuses = 0;

static PyObject *
pairs_reused(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(pair_reuses);
}

static PyObject *
next_pair(PyObject *self, PyObject *n)
{
    if (reused_pair != NULL && Py_REFCNT(reused_pair) == 1) {
        PyObject *old0 = PyTuple_GET_ITEM(reused_pair, 0);
        PyObject *old1 = PyTuple_GET_ITEM(reused_pair, 1);
        Py_INCREF(n);
        PyTuple_SET_ITEM(reused_pair, 0, n);
        PyTuple_SET_ITEM(reused_pair, 1, PyLong_FromLong(PyLong_AsLong(n) * 10));
        Py_DECREF(old0);
        Py_DECREF(old1);
        pair_reuses++;
        return Py_NewRef(reused_pair);
    }
    Py_XDECREF(reused_pair);
    reused_pair = Py_BuildValue("(Ol)", n, PyLong_AsLong(n) * 10);
    return Py_XNewRef(reused_pair);
}

static PyMethodDef methods[] = {
    {"empty_is_shared", empty_is_shared, METH_VARARGS, NULL},
    {"return_borrowed_args", return_borrowed_args, METH_VARARGS, NULL},
    {"next_pair", next_pair, METH_O, NULL},
    {"pairs_reused", pairs_reused, METH_NOARGS, NULL},
    {"resize_fresh", resize_fresh, METH_VARARGS, NULL},
    {"resize_seen", resize_seen, METH_O, NULL},
    {"nesting_depth", nesting_depth, METH_O, NULL},
    {"resize_shared", resize_shared, METH_O, NULL},
    {"make_tuple", make_tuple, METH_NOARGS, NULL},
    {"make_with_setitem", make_with_setitem, METH_NOARGS, NULL},
    {"make_nested", make_nested, METH_NOARGS, NULL},
    {"new_sized", new_sized, METH_O, NULL},
    {"wrap2", wrap2, METH_VARARGS, NULL},
    {"args_tuple", args_tuple, METH_VARARGS, NULL},
    {"get_item", get_item, METH_VARARGS, NULL},
    {"macro_get_item", macro_get_item, METH_VARARGS, NULL},
    {"macro_size", macro_size, METH_O, NULL},
    {"size", size, METH_O, NULL},
    {"size_result_on_error", size_result_on_error, METH_O, NULL},
    {"get_slice", get_slice, METH_VARARGS, NULL},
    {"setitem_on", setitem_on, METH_VARARGS, NULL},
    {"setitem_fresh_index", setitem_fresh_index, METH_O, NULL},
    {"steal_test", steal_test, METH_VARARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {"new_negative", new_negative, METH_NOARGS, NULL},
    {"sum_items", sum_items, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "tuple_ext", "tuple C-API tests", -1, methods,
};

PyMODINIT_FUNC
PyInit_tuple_ext(void)
{
    return PyModule_Create(&moduledef);
}
