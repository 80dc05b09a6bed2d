#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Helpers ---------------------------------------------------------------- */

static PyObject *
tuple2(PyObject *a, PyObject *b)   /* steals both; NULL-safe */
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

/* ("missing"|value, exception-type-or-None) and clears any error */
static PyObject *
lookup_result(PyObject *r)   /* r borrowed or NULL */
{
    PyObject *exc = PyErr_Occurred();
    PyObject *exc_ref = Py_NewRef(exc ? exc : Py_None);
    PyErr_Clear();
    PyObject *val = r ? Py_NewRef(r) : PyUnicode_FromString("<NULL>");
    return tuple2(val, exc_ref);
}

/* Functions ------------------------------------------------------------------ */

static PyObject *
new_dict(PyObject *self, PyObject *noargs)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    PyObject *v = PyLong_FromLong(1);
    if (v == NULL || PyDict_SetItemString(d, "one", v) < 0) {
        Py_XDECREF(v);
        Py_DECREF(d);
        return NULL;
    }
    Py_DECREF(v);
    PyObject *k = PyLong_FromLong(2), *v2 = PyUnicode_FromString("two");
    if (k == NULL || v2 == NULL || PyDict_SetItem(d, k, v2) < 0) {
        Py_XDECREF(k);
        Py_XDECREF(v2);
        Py_DECREF(d);
        return NULL;
    }
    Py_DECREF(k);
    Py_DECREF(v2);
    return d;
}

static PyObject *
new_empty(PyObject *self, PyObject *noargs)
{
    return PyDict_New();
}

static PyObject *
get_item(PyObject *self, PyObject *args)
{
    PyObject *r = PyDict_GetItem(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
    return lookup_result(r);
}

static PyObject *
get_item_string(PyObject *self, PyObject *args)
{
    const char *key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (key == NULL)
        return NULL;
    PyObject *r = PyDict_GetItemString(PyTuple_GET_ITEM(args, 0), key);
    return lookup_result(r);
}

static PyObject *
get_item_with_error(PyObject *self, PyObject *args)
{
    PyObject *r = PyDict_GetItemWithError(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
    return lookup_result(r);
}

static PyObject *
get_item_with_error_raise(PyObject *self, PyObject *args)
{
    /* propagate the error (if any) to Python; return "<NULL>" when missing */
    PyObject *r = PyDict_GetItemWithError(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
    if (r == NULL) {
        if (PyErr_Occurred())
            return NULL;
        return PyUnicode_FromString("<NULL>");
    }
    return Py_NewRef(r);
}

static PyObject *
set_item(PyObject *self, PyObject *args)
{
    if (PyDict_SetItem(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1),
                       PyTuple_GET_ITEM(args, 2)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
set_item_string(PyObject *self, PyObject *args)
{
    const char *key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (key == NULL)
        return NULL;
    if (PyDict_SetItemString(PyTuple_GET_ITEM(args, 0), key, PyTuple_GET_ITEM(args, 2)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
del_item(PyObject *self, PyObject *args)
{
    if (PyDict_DelItem(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
del_item_string(PyObject *self, PyObject *args)
{
    const char *key = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    if (key == NULL)
        return NULL;
    if (PyDict_DelItemString(PyTuple_GET_ITEM(args, 0), key) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
contains(PyObject *self, PyObject *args)
{
    int r = PyDict_Contains(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
    if (r < 0) {
        /* return (-1, exception type) to show the -1 result too */
        PyObject *exc = Py_NewRef(PyErr_Occurred());
        PyErr_Clear();
        return tuple2(PyLong_FromLong(r), exc);
    }
    return tuple2(PyLong_FromLong(r), Py_NewRef(Py_None));
}

static PyObject *
contains_raise(PyObject *self, PyObject *args)
{
    int r = PyDict_Contains(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1));
    if (r < 0)
        return NULL;
    return PyBool_FromLong(r);
}

static PyObject *
size(PyObject *self, PyObject *arg)
{
    Py_ssize_t n = PyDict_Size(arg);
    if (n < 0)
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
keys(PyObject *self, PyObject *arg)
{
    return PyDict_Keys(arg);
}

static PyObject *
values(PyObject *self, PyObject *arg)
{
    return PyDict_Values(arg);
}

static PyObject *
items(PyObject *self, PyObject *arg)
{
    return PyDict_Items(arg);
}

static PyObject *
next_items(PyObject *self, PyObject *arg)
{
    /* PyDict_Next: collect [(key, value), ...] and the final position count */
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        PyObject *kv = tuple2(Py_NewRef(key), Py_NewRef(value));
        if (kv == NULL || PyList_Append(out, kv) < 0) {
            Py_XDECREF(kv);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(kv);
    }
    return out;
}

static PyObject *
next_nulls(PyObject *self, PyObject *arg)
{
    /* PyDict_Next with NULL key/value pointers counts entries */
    Py_ssize_t pos = 0, n = 0;
    PyObject *value;
    while (PyDict_Next(arg, &pos, NULL, NULL))
        n++;
    /* value only */
    Py_ssize_t m = 0;
    pos = 0;
    while (PyDict_Next(arg, &pos, NULL, &value))
        m++;
    return tuple2(PyLong_FromSsize_t(n), PyLong_FromSsize_t(m));
}

static PyObject *
next_on_non_dict(PyObject *self, PyObject *arg)
{
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    int r = PyDict_Next(arg, &pos, &k, &v);
    int occurred = PyErr_Occurred() != NULL;
    PyErr_Clear();
    return tuple2(PyLong_FromLong(r), PyBool_FromLong(occurred));
}

static PyObject *
sum_values_next(PyObject *self, PyObject *arg)
{
    /* modify values in place while iterating (allowed by the docs) */
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        long i = PyLong_AsLong(value);
        if (i == -1 && PyErr_Occurred())
            return NULL;
        PyObject *o = PyLong_FromLong(i + 1);
        if (o == NULL)
            return NULL;
        if (PyDict_SetItem(arg, key, o) < 0) {
            Py_DECREF(o);
            return NULL;
        }
        Py_DECREF(o);
    }
    Py_RETURN_NONE;
}

static PyObject *
copy(PyObject *self, PyObject *arg)
{
    return PyDict_Copy(arg);
}

static PyObject *
update(PyObject *self, PyObject *args)
{
    if (PyDict_Update(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
merge(PyObject *self, PyObject *args)
{
    int override = PyObject_IsTrue(PyTuple_GET_ITEM(args, 2));
    if (PyDict_Merge(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1), override) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
merge_from_seq2(PyObject *self, PyObject *args)
{
    int override = PyObject_IsTrue(PyTuple_GET_ITEM(args, 2));
    if (PyDict_MergeFromSeq2(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1), override) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
clear(PyObject *self, PyObject *arg)
{
    PyDict_Clear(arg);
    Py_RETURN_NONE;
}

static PyObject *
set_default(PyObject *self, PyObject *args)
{
    PyObject *r = PyDict_SetDefault(PyTuple_GET_ITEM(args, 0), PyTuple_GET_ITEM(args, 1),
                                    PyTuple_GET_ITEM(args, 2));
    if (r == NULL)
        return NULL;
    return Py_NewRef(r);   /* borrowed */
}

static PyObject *
checks(PyObject *self, PyObject *arg)
{
    return tuple2(PyBool_FromLong(PyDict_Check(arg)), PyBool_FromLong(PyDict_CheckExact(arg)));
}

static PyObject *
build_big(PyObject *self, PyObject *arg)
{
    /* {i: str(i)} for i in range(n) via SetItem; then delete the even keys */
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    for (long i = 0; i < n; i++) {
        PyObject *k = PyLong_FromLong(i);
        PyObject *v = k ? PyObject_Str(k) : NULL;
        if (v == NULL || PyDict_SetItem(d, k, v) < 0) {
            Py_XDECREF(k);
            Py_XDECREF(v);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(k);
        Py_DECREF(v);
    }
    for (long i = 0; i < n; i += 2) {
        PyObject *k = PyLong_FromLong(i);
        if (k == NULL || PyDict_DelItem(d, k) < 0) {
            Py_XDECREF(k);
            Py_DECREF(d);
            return NULL;
        }
        Py_DECREF(k);
    }
    return d;
}


/* Private dict API that Cython-generated code calls. */
static PyObject *
pop(PyObject *self, PyObject *args)
{
    PyObject *d, *key, *deflt = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &d, &key, &deflt))
        return NULL;
    return _PyDict_Pop(d, key, deflt);
}

static PyObject *
known_hash(PyObject *self, PyObject *args)
{
    PyObject *d, *key, *value = NULL;
    if (!PyArg_ParseTuple(args, "OO|O", &d, &key, &value))
        return NULL;
    Py_hash_t h = PyObject_Hash(key);
    if (h == -1)
        return NULL;
    if (value != NULL) {
        if (_PyDict_SetItem_KnownHash(d, key, value, h) < 0)
            return NULL;
    }
    PyObject *r = _PyDict_GetItem_KnownHash(d, key, h);
    if (r == NULL && PyErr_Occurred())
        return NULL;
    return Py_NewRef(r ? r : Py_Ellipsis);
}

static PyObject *
presized(PyObject *self, PyObject *n)
{
    PyObject *d = _PyDict_NewPresized(PyLong_AsSsize_t(n));
    if (d == NULL)
        return NULL;
    return Py_BuildValue("(Nn)", d, PyDict_GET_SIZE(d));
}

static PyObject *
get_size_macro(PyObject *self, PyObject *d)
{
    return PyLong_FromSsize_t(PyDict_GET_SIZE(d));
}


_Py_IDENTIFIER(ident_key);

/* The identifier, string and known-hash forms, and _PyDict_Next. */
static PyObject *
private_forms(PyObject *self, PyObject *d)
{
    PyObject *v = PyUnicode_FromString("by id");
    if (v == NULL || _PyDict_SetItemId(d, &PyId_ident_key, v) < 0) {
        Py_XDECREF(v);
        return NULL;
    }
    Py_DECREF(v);
    PyObject *got = _PyDict_GetItemIdWithError(d, &PyId_ident_key);
    PyObject *by_string = _PyDict_GetItemStringWithError(d, "ident_key");
    PyObject *missing = _PyDict_GetItemStringWithError(d, "absent");
    if (missing == NULL && PyErr_Occurred())
        return NULL;
    PyObject *k = PyUnicode_FromString("ident_key");
    PyObject *by_obj = _PyDict_GetItemWithError(d, k);
    int has = _PyDict_ContainsId(d, &PyId_ident_key);
    int has_hash = _PyDict_Contains_KnownHash(d, k, PyObject_Hash(k));
    int strings = _PyDict_HasOnlyStringKeys(d);
    PyObject *out = Py_BuildValue("(OOOiii)", got, by_string, by_obj, has, has_hash, strings);
    if (_PyDict_DelItemId(d, &PyId_ident_key) < 0) {
        Py_XDECREF(out);
        Py_DECREF(k);
        return NULL;
    }
    int deleted_again = _PyDict_DelItemId(d, &PyId_ident_key);
    PyObject *exc = PyErr_Occurred();
    PyObject *exc_name = exc ? PyUnicode_FromString(((PyTypeObject *)exc)->tp_name) : Py_NewRef(Py_None);
    PyErr_Clear();
    _PyDict_MaybeUntrack(d);
    Py_DECREF(k);
    return Py_BuildValue("(NiN)", out, deleted_again, exc_name);
}

/* [(key, value, hash == hash(key)), ...] through _PyDict_Next. */
static PyObject *
next_with_hash(PyObject *self, PyObject *d)
{
    PyObject *out = PyList_New(0);
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    Py_hash_t h;
    while (out && _PyDict_Next(d, &pos, &k, &v, &h)) {
        PyObject *item = Py_BuildValue("(OOi)", k, v, h == PyObject_Hash(k));
        if (item == NULL || PyList_Append(out, item) < 0)
            Py_CLEAR(out);
        Py_XDECREF(item);
    }
    return out;
}

static PyObject *
del_known_hash(PyObject *self, PyObject *args)
{
    PyObject *d, *k;
    if (!PyArg_ParseTuple(args, "OO", &d, &k))
        return NULL;
    if (_PyDict_DelItem_KnownHash(d, k, PyObject_Hash(k)) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* ma_used read straight from the struct (PyO3 and some C do), before and
 * after changes made through the API in the same call. */
static PyObject *
used_field(PyObject *self, PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "used_field needs a dict");
        return NULL;
    }
    Py_ssize_t before = ((PyDictObject *)d)->ma_used;
    PyObject *key = PyUnicode_FromString("added by C");
    if (key == NULL || PyDict_SetItem(d, key, Py_None) < 0) {
        Py_XDECREF(key);
        return NULL;
    }
    Py_ssize_t after_set = ((PyDictObject *)d)->ma_used;
    if (PyDict_DelItem(d, key) < 0) {
        Py_DECREF(key);
        return NULL;
    }
    Py_DECREF(key);
    Py_ssize_t after_del = ((PyDictObject *)d)->ma_used;
    PyDict_Clear(d);
    return Py_BuildValue("nnnn", before, after_set, after_del, ((PyDictObject *)d)->ma_used);
}

static PyObject *
used_now(PyObject *self, PyObject *d)
{
    return PyLong_FromSsize_t(((PyDictObject *)d)->ma_used);
}

/* A dict view allocated and filled by C, as mypyc's CPyDict_KeysView does:
 * which is "keys", "items" or "values"; drop=1 releases it in C at once
 * (returns None). */
static PyObject *
c_made_view(PyObject *self, PyObject *args)
{
    const char *which;
    PyObject *dict;
    int drop = 0;
    if (!PyArg_ParseTuple(args, "sO!|i", &which, &PyDict_Type, &dict, &drop))
        return NULL;
    PyTypeObject *type = strcmp(which, "keys") == 0    ? &PyDictKeys_Type
                         : strcmp(which, "items") == 0 ? &PyDictItems_Type
                                                       : &PyDictValues_Type;
    _PyDictViewObject *view = PyObject_GC_New(_PyDictViewObject, type);
    if (view == NULL)
        return NULL;
    Py_INCREF(dict);
    view->dv_dict = (PyDictObject *)dict;
    PyObject_GC_Track(view);
    if (drop) {
        Py_DECREF(view);
        Py_RETURN_NONE;
    }
    return (PyObject *)view;
}

/* dict_holding(value): a new dict C stores `value` in, under "value". */
static PyObject *
dict_holding(PyObject *self, PyObject *value)
{
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    if (PyDict_SetItemString(d, "value", value) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyMethodDef methods[] = {
    {"dict_holding", dict_holding, METH_O, NULL},
    {"c_made_view", c_made_view, METH_VARARGS, NULL},
    {"used_field", used_field, METH_O, NULL},
    {"used_now", used_now, METH_O, NULL},
    {"private_forms", private_forms, METH_O, NULL},
    {"next_with_hash", next_with_hash, METH_O, NULL},
    {"del_known_hash", del_known_hash, METH_VARARGS, NULL},
    {"pop", pop, METH_VARARGS, NULL},
    {"known_hash", known_hash, METH_VARARGS, NULL},
    {"presized", presized, METH_O, NULL},
    {"get_size_macro", get_size_macro, METH_O, NULL},
    {"new_dict", new_dict, METH_NOARGS, NULL},
    {"new_empty", new_empty, METH_NOARGS, NULL},
    {"get_item", get_item, METH_VARARGS, NULL},
    {"get_item_string", get_item_string, METH_VARARGS, NULL},
    {"get_item_with_error", get_item_with_error, METH_VARARGS, NULL},
    {"get_item_with_error_raise", get_item_with_error_raise, METH_VARARGS, NULL},
    {"set_item", set_item, METH_VARARGS, NULL},
    {"set_item_string", set_item_string, METH_VARARGS, NULL},
    {"del_item", del_item, METH_VARARGS, NULL},
    {"del_item_string", del_item_string, METH_VARARGS, NULL},
    {"contains", contains, METH_VARARGS, NULL},
    {"contains_raise", contains_raise, METH_VARARGS, NULL},
    {"size", size, METH_O, NULL},
    {"keys", keys, METH_O, NULL},
    {"values", values, METH_O, NULL},
    {"items", items, METH_O, NULL},
    {"next_items", next_items, METH_O, NULL},
    {"next_nulls", next_nulls, METH_O, NULL},
    {"next_on_non_dict", next_on_non_dict, METH_O, NULL},
    {"sum_values_next", sum_values_next, METH_O, NULL},
    {"copy", copy, METH_O, NULL},
    {"update", update, METH_VARARGS, NULL},
    {"merge", merge, METH_VARARGS, NULL},
    {"merge_from_seq2", merge_from_seq2, METH_VARARGS, NULL},
    {"clear", clear, METH_O, NULL},
    {"set_default", set_default, METH_VARARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {"build_big", build_big, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "dict_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_dict_ext(void)
{
    return PyModule_Create(&moduledef);
}
