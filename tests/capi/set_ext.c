/* set and frozenset: construction, add/discard/contains/pop/clear, sizes,
 * walking by position, the check macros, the frozenset-being-filled rule of
 * PySet_Add, errors, and reference-count neutrality. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
new_set(PyObject *self, PyObject *args)
{
    PyObject *iterable = NULL;
    if (!PyArg_ParseTuple(args, "|O", &iterable))
        return NULL;
    return PySet_New(iterable);
}

static PyObject *
new_frozenset(PyObject *self, PyObject *args)
{
    PyObject *iterable = NULL;
    if (!PyArg_ParseTuple(args, "|O", &iterable))
        return NULL;
    return PyFrozenSet_New(iterable);
}

static PyObject *
add(PyObject *self, PyObject *args)
{
    PyObject *set, *key;
    if (!PyArg_ParseTuple(args, "OO", &set, &key))
        return NULL;
    if (PySet_Add(set, key) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* A frozenset filled by C right after it is made (count 1: allowed). */
static PyObject *
fill_fresh_frozenset(PyObject *self, PyObject *n_obj)
{
    long n = PyLong_AsLong(n_obj);
    PyObject *fs = PyFrozenSet_New(NULL);
    if (fs == NULL)
        return NULL;
    for (long i = 0; i < n; i++) {
        PyObject *v = PyLong_FromLong(i * 10);
        if (v == NULL || PySet_Add(fs, v) < 0) {
            Py_XDECREF(v);
            Py_DECREF(fs);
            return NULL;
        }
        Py_DECREF(v);
    }
    return fs;
}

static PyObject *
discard(PyObject *self, PyObject *args)
{
    PyObject *set, *key;
    if (!PyArg_ParseTuple(args, "OO", &set, &key))
        return NULL;
    int r = PySet_Discard(set, key);
    if (r < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
contains(PyObject *self, PyObject *args)
{
    PyObject *set, *key;
    if (!PyArg_ParseTuple(args, "OO", &set, &key))
        return NULL;
    int r = PySet_Contains(set, key);
    if (r < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
pop(PyObject *self, PyObject *set)
{
    return PySet_Pop(set);
}

static PyObject *
clear(PyObject *self, PyObject *set)
{
    if (PySet_Clear(set) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
size(PyObject *self, PyObject *set)
{
    Py_ssize_t n = PySet_Size(set);
    if (n < 0)
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
get_size_macro(PyObject *self, PyObject *set)
{
    return PyLong_FromSsize_t(PySet_GET_SIZE(set));
}

/* [(key, hash matches hash(key)), ...] through _PySet_NextEntry. */
static PyObject *
next_entries(PyObject *self, PyObject *set)
{
    PyObject *out = PyList_New(0);
    Py_ssize_t pos = 0;
    PyObject *key;
    Py_hash_t hash;
    while (out != NULL && _PySet_NextEntry(set, &pos, &key, &hash)) {
        Py_hash_t expected = PyObject_Hash(key);
        PyObject *item = Py_BuildValue("(OO)", key, expected == hash ? Py_True : Py_False);
        if (item == NULL || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            Py_CLEAR(out);
            break;
        }
        Py_DECREF(item);
    }
    return out;
}

static PyObject *
update(PyObject *self, PyObject *args)
{
    PyObject *set, *iterable;
    if (!PyArg_ParseTuple(args, "OO", &set, &iterable))
        return NULL;
    if (_PySet_Update(set, iterable) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
checks(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(iiiiiii)", PySet_Check(o), PySet_CheckExact(o), PyFrozenSet_Check(o),
                         PyFrozenSet_CheckExact(o), PyAnySet_Check(o), PyAnySet_CheckExact(o),
                         Py_IS_TYPE(o, &PySet_Type) || Py_IS_TYPE(o, &PyFrozenSet_Type));
}

/* The change in key's count across add + contains + discard (0 expected),
 * and across a set made from a list and released. */
static PyObject *
refcount_neutral(PyObject *self, PyObject *key)
{
    PyObject *set = PySet_New(NULL);
    if (set == NULL)
        return NULL;
    Py_ssize_t before = Py_REFCNT(key);
    if (PySet_Add(set, key) < 0 || PySet_Contains(set, key) < 0 || PySet_Discard(set, key) < 0) {
        Py_DECREF(set);
        return NULL;
    }
    Py_ssize_t after_ops = Py_REFCNT(key);
    Py_DECREF(set);
    PyObject *list = PyList_New(0);
    if (list == NULL || PyList_Append(list, key) < 0) {
        Py_XDECREF(list);
        return NULL;
    }
    Py_ssize_t with_list = Py_REFCNT(key);
    PyObject *copy = PySet_New(list);
    if (copy == NULL) {
        Py_DECREF(list);
        return NULL;
    }
    PyObject *popped = PySet_Pop(copy);
    Py_XDECREF(popped);
    Py_DECREF(copy);
    Py_ssize_t after_pop = Py_REFCNT(key);
    Py_DECREF(list);
    return Py_BuildValue("(nn)", after_ops - before, after_pop - with_list);
}

/* A set subclass instance is accepted by the set functions. */
static PyObject *
sub_ops(PyObject *self, PyObject *set)
{
    PyObject *k = PyUnicode_FromString("k");
    if (k == NULL)
        return NULL;
    int added = PySet_Add(set, k);
    int has = PySet_Contains(set, k);
    Py_ssize_t n = PySet_Size(set);
    int gone = PySet_Discard(set, k);
    Py_DECREF(k);
    if (added < 0 || has < 0 || n < 0 || gone < 0)
        return NULL;
    return Py_BuildValue("(iini)", added, has, n, gone);
}

/* used_field(s): the `used` field of PySetObject, read directly (the size
 * as PyO3's PySet_GET_SIZE and CPython's own macro read it). */
static PyObject *
used_field(PyObject *self, PyObject *o)
{
    if (!PyAnySet_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "a set or frozenset");
        return NULL;
    }
    return PyLong_FromSsize_t(((PySetObject *)o)->used);
}

/* used_while_building(frozen): `used` of a set C makes, after it adds 0, 1, 2
 * and (for a set) discards 0, then pops and clears; with PySet_Size. */
static PyObject *
used_while_building(PyObject *self, PyObject *args)
{
    int frozen;
    if (!PyArg_ParseTuple(args, "p", &frozen))
        return NULL;
    PyObject *s = frozen ? PyFrozenSet_New(NULL) : PySet_New(NULL);
    if (s == NULL)
        return NULL;
    Py_ssize_t seen[5] = {((PySetObject *)s)->used, -1, -1, -1, -1};
    for (long i = 0; i < 3; i++) {
        PyObject *k = PyLong_FromLong(i);
        if (k == NULL || PySet_Add(s, k) < 0) {
            Py_XDECREF(k);
            Py_DECREF(s);
            return NULL;
        }
        Py_DECREF(k);
    }
    seen[1] = ((PySetObject *)s)->used;
    if (!frozen) {
        PyObject *k = PyLong_FromLong(0);
        if (k == NULL || PySet_Discard(s, k) < 0) {
            Py_XDECREF(k);
            Py_DECREF(s);
            return NULL;
        }
        Py_DECREF(k);
        seen[2] = ((PySetObject *)s)->used;
        PyObject *popped = PySet_Pop(s);
        if (popped == NULL) {
            Py_DECREF(s);
            return NULL;
        }
        Py_DECREF(popped);
        seen[3] = ((PySetObject *)s)->used;
        if (PySet_Clear(s) < 0) {
            Py_DECREF(s);
            return NULL;
        }
        seen[4] = ((PySetObject *)s)->used;
    }
    PyObject *r = Py_BuildValue("(nnnnnn)", seen[0], seen[1], seen[2], seen[3], seen[4], PySet_Size(s));
    Py_DECREF(s);
    return r;
}

static PyMethodDef methods[] = {
    {"used_field", used_field, METH_O, NULL},
    {"used_while_building", used_while_building, METH_VARARGS, NULL},
    {"new_set", new_set, METH_VARARGS, NULL},
    {"new_frozenset", new_frozenset, METH_VARARGS, NULL},
    {"add", add, METH_VARARGS, NULL},
    {"fill_fresh_frozenset", fill_fresh_frozenset, METH_O, NULL},
    {"discard", discard, METH_VARARGS, NULL},
    {"contains", contains, METH_VARARGS, NULL},
    {"pop", pop, METH_O, NULL},
    {"clear", clear, METH_O, NULL},
    {"size", size, METH_O, NULL},
    {"get_size_macro", get_size_macro, METH_O, NULL},
    {"next_entries", next_entries, METH_O, NULL},
    {"update", update, METH_VARARGS, NULL},
    {"checks", checks, METH_O, NULL},
    {"refcount_neutral", refcount_neutral, METH_O, NULL},
    {"sub_ops", sub_ops, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "set_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_set_ext(void)
{
    return PyModule_Create(&moduledef);
}
