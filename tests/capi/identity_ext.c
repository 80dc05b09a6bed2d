/* Object identity across the boundary, references kept by C, identity inside
 * containers, and borrowed references that must outlive a lot of churn. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
pack(Py_ssize_t n, PyObject **items)   /* steals items; NULL-safe */
{
    for (Py_ssize_t i = 0; i < n; i++) {
        if (items[i] == NULL) {
            for (Py_ssize_t j = 0; j < n; j++)
                Py_XDECREF(items[j]);
            return NULL;
        }
    }
    PyObject *t = PyTuple_New(n);
    if (t == NULL) {
        for (Py_ssize_t j = 0; j < n; j++)
            Py_DECREF(items[j]);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i, items[i]);
    return t;
}

/* Make and release many fresh objects, so that freed memory is reused. */
static int
churn(long n)
{
    for (long i = 0; i < n; i++) {
        PyObject *a = PyLong_FromLong(1000003L * i + 123456789L);
        PyObject *b = PyUnicode_FromString(i % 2 ? "churn-odd-string" : "churn-even-string");
        PyObject *c = PyFloat_FromDouble((double)i + 0.25);
        PyObject *t = PyTuple_New(2);
        PyObject *l = PyList_New(0);
        if (a == NULL || b == NULL || c == NULL || t == NULL || l == NULL) {
            Py_XDECREF(a);
            Py_XDECREF(b);
            Py_XDECREF(c);
            Py_XDECREF(t);
            Py_XDECREF(l);
            return -1;
        }
        PyTuple_SET_ITEM(t, 0, Py_NewRef(a));
        PyTuple_SET_ITEM(t, 1, Py_NewRef(b));
        Py_DECREF(a);
        Py_DECREF(b);
        Py_DECREF(c);
        Py_DECREF(t);
        Py_DECREF(l);
    }
    return 0;
}

static PyObject *
churn_py(PyObject *self, PyObject *arg)
{
    long n = PyLong_AsLong(arg);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    if (churn(n) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* --- plain identity ------------------------------------------------------- */

static PyObject *
identity(PyObject *self, PyObject *arg)
{
    return Py_NewRef(arg);
}

/* Put the argument in a tuple, drop the tuple, churn, return the argument. */
static PyObject *
roundtrip(PyObject *self, PyObject *arg)
{
    PyObject *t = PyTuple_Pack(2, arg, arg);
    if (t == NULL)
        return NULL;
    Py_DECREF(t);
    if (churn(1000) < 0)
        return NULL;
    return Py_NewRef(arg);
}

static PyObject *
same(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "same needs 2 arguments");
        return NULL;
    }
    return PyBool_FromLong(args[0] == args[1]);
}

static PyObject *
make_fresh(PyObject *self, PyObject *unused)
{
    PyObject *items[4] = {PyLong_FromLong(987654321L), PyUnicode_FromString("fresh string"),
                          PyList_New(0), PyDict_New()};
    return pack(4, items);
}

/* --- a strong reference kept in a static --------------------------------- */

static PyObject *stored = NULL;

static PyObject *
store(PyObject *self, PyObject *arg)
{
    Py_XSETREF(stored, Py_NewRef(arg));
    Py_RETURN_NONE;
}

static PyObject *
get(PyObject *self, PyObject *unused)
{
    if (stored == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(stored);
}

static PyObject *
clear(PyObject *self, PyObject *unused)
{
    Py_CLEAR(stored);
    Py_RETURN_NONE;
}

/* Store an object made in C, never seen by Python until get(). */
static PyObject *
store_fresh(PyObject *self, PyObject *unused)
{
    PyObject *inner = PyList_New(0);
    if (inner == NULL)
        return NULL;
    PyObject *s = PyUnicode_FromString("stored item");
    if (s == NULL || PyList_Append(inner, s) < 0) {
        Py_XDECREF(s);
        Py_DECREF(inner);
        return NULL;
    }
    Py_DECREF(s);
    PyObject *t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(inner);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, inner);
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(5));
    Py_XSETREF(stored, t);
    Py_RETURN_NONE;
}

/* --- identity inside containers ------------------------------------------ */

static PyObject *
triple_tuple(PyObject *self, PyObject *arg)
{
    return PyTuple_Pack(3, arg, arg, arg);
}

static PyObject *
triple_tuple_new(PyObject *self, PyObject *arg)
{
    PyObject *t = PyTuple_New(3);
    if (t == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < 3; i++)
        PyTuple_SET_ITEM(t, i, Py_NewRef(arg));
    return t;
}

static PyObject *
triple_list(PyObject *self, PyObject *arg)
{
    PyObject *l = PyList_New(3);
    if (l == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < 3; i++)
        PyList_SET_ITEM(l, i, Py_NewRef(arg));
    if (PyList_Append(l, arg) < 0) {
        Py_DECREF(l);
        return NULL;
    }
    return l;
}

static PyObject *
same_dict(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "same_dict needs (value, key)");
        return NULL;
    }
    PyObject *d = PyDict_New();
    if (d == NULL)
        return NULL;
    if (PyDict_SetItemString(d, "a", args[0]) < 0 || PyDict_SetItemString(d, "b", args[0]) < 0 ||
        PyDict_SetItem(d, args[1], args[0]) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

/* (t[2], t[0], t[1], t[0], t[0][0]) with PyTuple_GET_ITEM + Py_INCREF. */
static PyObject *
regroup(PyObject *self, PyObject *t)
{
    if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 3 || !PyTuple_Check(PyTuple_GET_ITEM(t, 0))) {
        PyErr_SetString(PyExc_TypeError, "regroup needs a 3-tuple whose first item is a tuple");
        return NULL;
    }
    PyObject *r = PyTuple_New(5);
    if (r == NULL)
        return NULL;
    PyObject *src[5] = {PyTuple_GET_ITEM(t, 2), PyTuple_GET_ITEM(t, 0), PyTuple_GET_ITEM(t, 1),
                        PyTuple_GET_ITEM(t, 0), PyTuple_GET_ITEM(PyTuple_GET_ITEM(t, 0), 0)};
    for (int i = 0; i < 5; i++) {
        Py_INCREF(src[i]);
        PyTuple_SET_ITEM(r, i, src[i]);
    }
    return r;
}

/* A tuple of tuples, all made in C, the inner one shared. */
static PyObject *
shared_inner(PyObject *self, PyObject *arg)
{
    PyObject *inner = PyTuple_Pack(1, arg);
    if (inner == NULL)
        return NULL;
    PyObject *outer = PyTuple_Pack(2, inner, inner);
    Py_DECREF(inner);
    return outer;
}

/* --- borrowed references ---------------------------------------------------- */

/* r1 = repr(borrowed); churn; r2 = repr(borrowed); also: a second lookup gives
 * the same pointer, and the borrowed object itself. */
static PyObject *
borrowed_report(PyObject *borrowed, PyObject *again)
{
    PyObject *r1 = PyObject_Repr(borrowed);
    if (r1 == NULL)
        return NULL;
    if (churn(10000) < 0) {
        Py_DECREF(r1);
        return NULL;
    }
    PyObject *items[4] = {r1, PyObject_Repr(borrowed), PyBool_FromLong(borrowed == again),
                          Py_NewRef(borrowed)};
    return pack(4, items);
}

static PyObject *
dict_borrow(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyDict_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "dict_borrow needs (dict, key)");
        return NULL;
    }
    PyObject *v = PyDict_GetItem(args[0], args[1]);
    if (v == NULL) {
        PyErr_SetString(PyExc_KeyError, "missing");
        return NULL;
    }
    PyObject *r1 = PyObject_Repr(v);
    if (r1 == NULL)
        return NULL;
    if (churn(10000) < 0) {
        Py_DECREF(r1);
        return NULL;
    }
    PyObject *again = PyDict_GetItem(args[0], args[1]);
    PyObject *items[4] = {r1, PyObject_Repr(v), PyBool_FromLong(v == again), Py_NewRef(v)};
    return pack(4, items);
}

static PyObject *
dict_borrow_string(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyDict_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "dict_borrow_string needs (dict, str)");
        return NULL;
    }
    const char *key = PyUnicode_AsUTF8(args[1]);
    if (key == NULL)
        return NULL;
    PyObject *v = PyDict_GetItemString(args[0], key);
    if (v == NULL) {
        PyErr_SetString(PyExc_KeyError, "missing");
        return NULL;
    }
    return borrowed_report(v, PyDict_GetItemString(args[0], key));
}

static PyObject *
list_borrow(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "list_borrow needs (list, index)");
        return NULL;
    }
    Py_ssize_t i = PyLong_AsSsize_t(args[1]);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    PyObject *v = PyList_GetItem(args[0], i);
    if (v == NULL)
        return NULL;
    PyObject *r1 = PyObject_Repr(v);
    if (r1 == NULL)
        return NULL;
    if (churn(10000) < 0) {
        Py_DECREF(r1);
        return NULL;
    }
    PyObject *again = PyList_GET_ITEM(args[0], i);
    PyObject *items[4] = {r1, PyObject_Repr(v), PyBool_FromLong(v == again), Py_NewRef(v)};
    return pack(4, items);
}

static PyObject *
tuple_borrow(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "tuple_borrow needs (tuple, index)");
        return NULL;
    }
    Py_ssize_t i = PyLong_AsSsize_t(args[1]);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    PyObject *v = PyTuple_GetItem(args[0], i);
    if (v == NULL)
        return NULL;
    return borrowed_report(v, PyTuple_GET_ITEM(args[0], i));
}

#define MAX_ITEMS 64

/* Collect PyDict_Next's borrowed keys and values, churn, then use them. */
static PyObject *
dict_next_borrow(PyObject *self, PyObject *d)
{
    if (!PyDict_Check(d)) {
        PyErr_SetString(PyExc_TypeError, "dict_next_borrow needs a dict");
        return NULL;
    }
    PyObject *keys[MAX_ITEMS], *values[MAX_ITEMS];
    Py_ssize_t pos = 0, n = 0;
    PyObject *k, *v;
    while (n < MAX_ITEMS && PyDict_Next(d, &pos, &k, &v)) {
        keys[n] = k;
        values[n] = v;
        n++;
    }
    if (churn(10000) < 0)
        return NULL;
    PyObject *reprs = PyList_New(0);
    PyObject *objs = PyList_New(0);
    if (reprs == NULL || objs == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *kr = PyObject_Repr(keys[i]);
        PyObject *vr = kr ? PyObject_Repr(values[i]) : NULL;
        PyObject *pr = vr ? PyTuple_Pack(2, kr, vr) : NULL;
        PyObject *po = pr ? PyTuple_Pack(2, keys[i], values[i]) : NULL;
        int bad = po == NULL || PyList_Append(reprs, pr) < 0 || PyList_Append(objs, po) < 0;
        Py_XDECREF(kr);
        Py_XDECREF(vr);
        Py_XDECREF(pr);
        Py_XDECREF(po);
        if (bad)
            goto fail;
    }
    /* A second walk gives the same pointers. */
    pos = 0;
    Py_ssize_t i = 0;
    int same_ptrs = 1;
    while (i < n && PyDict_Next(d, &pos, &k, &v)) {
        same_ptrs &= (k == keys[i] && v == values[i]);
        i++;
    }
    PyObject *items[3] = {reprs, objs, PyBool_FromLong(same_ptrs && i == n)};
    return pack(3, items);
fail:
    Py_XDECREF(reprs);
    Py_XDECREF(objs);
    return NULL;
}

/* PyErr_Occurred's borrowed type: a class made here, referenced only by the
 * error indicator once C drops its own reference. */
static PyObject *
err_occurred_borrow(PyObject *self, PyObject *unused)
{
    PyObject *cls = PyErr_NewException("identity_ext.FreshError", NULL, NULL);
    if (cls == NULL)
        return NULL;
    PyObject *r1 = PyObject_Repr(cls);
    if (r1 == NULL) {
        Py_DECREF(cls);
        return NULL;
    }
    PyErr_SetString(cls, "fresh");
    Py_DECREF(cls);
    PyObject *t = PyErr_Occurred();      /* borrowed */
    int nonnull = t != NULL;
    int is_cls = t == cls;
    churn(10000);
    int same_again = t == PyErr_Occurred();
    int matches = PyErr_ExceptionMatches(t);
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    int fetched_same = type == t;
    PyObject *items[8] = {r1, PyObject_Repr(t), PyBool_FromLong(nonnull), PyBool_FromLong(is_cls),
                          PyBool_FromLong(same_again), PyBool_FromLong(matches),
                          PyBool_FromLong(fetched_same), type};
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return pack(8, items);
}

/* PyErr_Occurred's type for a class Python passes in (and keeps). */
static PyObject *
err_occurred_given(PyObject *self, PyObject *cls)
{
    PyErr_SetString(cls, "given");
    PyObject *t = PyErr_Occurred();
    churn(10000);
    int same_again = t == PyErr_Occurred();
    int is_cls = t == cls;
    PyErr_Clear();
    PyObject *items[4] = {PyBool_FromLong(is_cls), PyBool_FromLong(same_again),
                          PyObject_Repr(t), Py_NewRef(t)};
    return pack(4, items);
}

/* --- a tuple made in C crosses into Python before it is returned -------- */

static PyObject *
tuple_via_callback(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "tuple_via_callback needs (callback, a, b)");
        return NULL;
    }
    PyObject *t = PyTuple_New(3);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, Py_NewRef(args[1]));
    PyTuple_SET_ITEM(t, 1, Py_NewRef(args[2]));
    PyTuple_SET_ITEM(t, 2, PyList_New(0));
    for (int i = 0; i < 2; i++) {
        PyObject *r = PyObject_CallOneArg(args[0], t);
        if (r == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        Py_DECREF(r);
    }
    return t;
}

/* A nested C-made tuple passed to the callback, then the inner one returned. */
static PyObject *
nested_via_callback(PyObject *self, PyObject *callback)
{
    PyObject *inner = PyTuple_New(1);
    if (inner == NULL)
        return NULL;
    PyTuple_SET_ITEM(inner, 0, PyUnicode_FromString("inner"));
    PyObject *outer = PyTuple_New(2);
    if (outer == NULL) {
        Py_DECREF(inner);
        return NULL;
    }
    PyTuple_SET_ITEM(outer, 0, Py_NewRef(inner));
    PyTuple_SET_ITEM(outer, 1, Py_NewRef(inner));
    PyObject *r = PyObject_CallOneArg(callback, outer);
    Py_DECREF(outer);
    if (r == NULL) {
        Py_DECREF(inner);
        return NULL;
    }
    Py_DECREF(r);
    return inner;
}

/* PyTuple_Pack result passed to the callback, returned with the callback's result. */
static PyObject *
pack_via_callback(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "pack_via_callback needs (callback, x)");
        return NULL;
    }
    PyObject *t = PyTuple_Pack(2, args[1], args[1]);
    if (t == NULL)
        return NULL;
    PyObject *r = PyObject_CallOneArg(args[0], t);
    if (r == NULL) {
        Py_DECREF(t);
        return NULL;
    }
    PyObject *items[2] = {t, r};
    return pack(2, items);
}

/* --- a list held in a static ----------------------------------------------- */

static PyObject *held = NULL;

static PyObject *
hold_list(PyObject *self, PyObject *arg)
{
    if (!PyList_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "hold_list needs a list");
        return NULL;
    }
    Py_XSETREF(held, Py_NewRef(arg));
    Py_RETURN_NONE;
}

static PyObject *
make_held_list(PyObject *self, PyObject *unused)
{
    PyObject *l = PyList_New(0);
    if (l == NULL)
        return NULL;
    Py_XSETREF(held, l);
    return Py_NewRef(l);
}

static PyObject *
get_held(PyObject *self, PyObject *unused)
{
    if (held == NULL)
        Py_RETURN_NONE;
    return Py_NewRef(held);
}

static PyObject *
held_append(PyObject *self, PyObject *arg)
{
    if (held == NULL || PyList_Append(held, arg) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_RuntimeError, "no list held");
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
held_set(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (held == NULL || nargs != 2) {
        PyErr_SetString(PyExc_RuntimeError, "held_set needs a held list and (index, value)");
        return NULL;
    }
    Py_ssize_t i = PyLong_AsSsize_t(args[0]);
    if (i == -1 && PyErr_Occurred())
        return NULL;
    if (PyList_SetItem(held, i, Py_NewRef(args[1])) < 0)
        return NULL;
    Py_RETURN_NONE;
}

/* (size, items...) read with PyList_GET_SIZE / PyList_GET_ITEM. */
static PyObject *
held_snapshot(PyObject *self, PyObject *unused)
{
    if (held == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "no list held");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(held);
    PyObject *t = PyTuple_New(n + 1);
    if (t == NULL)
        return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromSsize_t(n));
    for (Py_ssize_t i = 0; i < n; i++)
        PyTuple_SET_ITEM(t, i + 1, Py_NewRef(PyList_GET_ITEM(held, i)));
    return t;
}

static PyObject *
drop_held(PyObject *self, PyObject *unused)
{
    Py_CLEAR(held);
    Py_RETURN_NONE;
}

/* --- reference counts, only as booleans ------------------------------------- */

static PyObject *
fresh_refcnt(PyObject *self, PyObject *unused)
{
    PyObject *o = PyList_New(0);
    if (o == NULL)
        return NULL;
    Py_ssize_t before = Py_REFCNT(o);
    Py_INCREF(o);
    int plus_one = Py_REFCNT(o) == before + 1;
    Py_DECREF(o);
    int back = Py_REFCNT(o) == before;
    PyObject *items[4] = {PyBool_FromLong(before >= 1), PyBool_FromLong(plus_one),
                          PyBool_FromLong(back), o};
    return pack(4, items);
}

static PyObject *
arg_refcnt(PyObject *self, PyObject *arg)
{
    Py_ssize_t before = Py_REFCNT(arg);
    Py_INCREF(arg);
    int plus_one = Py_REFCNT(arg) == before + 1;
    Py_DECREF(arg);
    int back = Py_REFCNT(arg) == before;
    PyObject *items[3] = {PyBool_FromLong(before >= 1), PyBool_FromLong(plus_one),
                          PyBool_FromLong(back)};
    return pack(3, items);
}

/* A stored reference counts: refcount while stored >= 2 (ours + the caller's arg). */
static PyObject *
stored_refcnt(PyObject *self, PyObject *arg)
{
    Py_ssize_t before = Py_REFCNT(arg);
    PyObject *keep = Py_NewRef(arg);
    int grew = Py_REFCNT(arg) > before;
    int at_least_two = Py_REFCNT(arg) >= 2;
    Py_DECREF(keep);
    PyObject *items[2] = {PyBool_FromLong(grew), PyBool_FromLong(at_least_two)};
    return pack(2, items);
}

/* Pointers kept without a reference to objects Python keeps alive: valid in
 * CPython while the object lives, and extensions rely on it (a function
 * from PyArg_ParseTuple kept in a static, a class kept after Py_DECREF). */
static PyObject *kept_without_ref = NULL;

static PyObject *
keep_function_borrowed(PyObject *self, PyObject *args)
{
    if (!PyArg_ParseTuple(args, "O!", &PyFunction_Type, &kept_without_ref))
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
keep_borrowed(PyObject *self, PyObject *arg)
{
    kept_without_ref = arg;
    Py_RETURN_NONE;
}

static PyObject *
keep_attr_after_decref(PyObject *self, PyObject *args)
{
    PyObject *owner;
    const char *name;
    if (!PyArg_ParseTuple(args, "Os", &owner, &name))
        return NULL;
    PyObject *value = PyObject_GetAttrString(owner, name);
    if (value == NULL)
        return NULL;
    Py_DECREF(value); /* `owner` keeps it alive */
    kept_without_ref = value;
    Py_RETURN_NONE;
}

static PyObject *
call_kept(PyObject *self, PyObject *unused)
{
    return PyObject_CallNoArgs(kept_without_ref);
}

static PyObject *
kept_is(PyObject *self, PyObject *arg)
{
    return PyBool_FromLong(kept_without_ref == arg);
}

static PyObject *
kept_type_name(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString(Py_TYPE(kept_without_ref)->tp_name);
}

/* Takes a reference again, as an extension does when it hands the object out. */
static PyObject *
kept_new_ref(PyObject *self, PyObject *unused)
{
    return Py_NewRef(kept_without_ref);
}

/* A value read from a dict (a borrowed reference), kept without one. */
static PyObject *
keep_dict_item(PyObject *self, PyObject *args)
{
    PyObject *dict, *key;
    if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &dict, &key))
        return NULL;
    kept_without_ref = PyDict_GetItemWithError(dict, key);
    if (kept_without_ref == NULL && !PyErr_Occurred())
        PyErr_SetObject(PyExc_KeyError, key);
    return kept_without_ref == NULL ? NULL : Py_NewRef(Py_None);
}

static PyObject *
kept_repr(PyObject *self, PyObject *unused)
{
    return PyObject_Repr(kept_without_ref);
}

/* The UTF-8 of a str, kept as a bare pointer: valid while the str lives. */
static const char *kept_text = NULL;

static PyObject *
keep_utf8(PyObject *self, PyObject *arg)
{
    kept_text = PyUnicode_AsUTF8(arg);
    return kept_text == NULL ? NULL : Py_NewRef(Py_None);
}

static PyObject *
kept_utf8(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromString(kept_text);
}

static PyObject *
forget_kept(PyObject *self, PyObject *unused)
{
    kept_without_ref = NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"churn", churn_py, METH_O, NULL},
    {"identity", identity, METH_O, NULL},
    {"roundtrip", roundtrip, METH_O, NULL},
    {"same", (PyCFunction)(void (*)(void))same, METH_FASTCALL, NULL},
    {"make_fresh", make_fresh, METH_NOARGS, NULL},
    {"store", store, METH_O, NULL},
    {"get", get, METH_NOARGS, NULL},
    {"clear", clear, METH_NOARGS, NULL},
    {"store_fresh", store_fresh, METH_NOARGS, NULL},
    {"triple_tuple", triple_tuple, METH_O, NULL},
    {"triple_tuple_new", triple_tuple_new, METH_O, NULL},
    {"triple_list", triple_list, METH_O, NULL},
    {"same_dict", (PyCFunction)(void (*)(void))same_dict, METH_FASTCALL, NULL},
    {"regroup", regroup, METH_O, NULL},
    {"shared_inner", shared_inner, METH_O, NULL},
    {"dict_borrow", (PyCFunction)(void (*)(void))dict_borrow, METH_FASTCALL, NULL},
    {"dict_borrow_string", (PyCFunction)(void (*)(void))dict_borrow_string, METH_FASTCALL, NULL},
    {"list_borrow", (PyCFunction)(void (*)(void))list_borrow, METH_FASTCALL, NULL},
    {"tuple_borrow", (PyCFunction)(void (*)(void))tuple_borrow, METH_FASTCALL, NULL},
    {"dict_next_borrow", dict_next_borrow, METH_O, NULL},
    {"err_occurred_borrow", err_occurred_borrow, METH_NOARGS, NULL},
    {"err_occurred_given", err_occurred_given, METH_O, NULL},
    {"tuple_via_callback", (PyCFunction)(void (*)(void))tuple_via_callback, METH_FASTCALL, NULL},
    {"nested_via_callback", nested_via_callback, METH_O, NULL},
    {"pack_via_callback", (PyCFunction)(void (*)(void))pack_via_callback, METH_FASTCALL, NULL},
    {"hold_list", hold_list, METH_O, NULL},
    {"make_held_list", make_held_list, METH_NOARGS, NULL},
    {"get_held", get_held, METH_NOARGS, NULL},
    {"held_append", held_append, METH_O, NULL},
    {"held_set", (PyCFunction)(void (*)(void))held_set, METH_FASTCALL, NULL},
    {"held_snapshot", held_snapshot, METH_NOARGS, NULL},
    {"drop_held", drop_held, METH_NOARGS, NULL},
    {"fresh_refcnt", fresh_refcnt, METH_NOARGS, NULL},
    {"arg_refcnt", arg_refcnt, METH_O, NULL},
    {"stored_refcnt", stored_refcnt, METH_O, NULL},
    {"keep_function_borrowed", keep_function_borrowed, METH_VARARGS, NULL},
    {"keep_borrowed", keep_borrowed, METH_O, NULL},
    {"keep_attr_after_decref", keep_attr_after_decref, METH_VARARGS, NULL},
    {"call_kept", call_kept, METH_NOARGS, NULL},
    {"kept_is", kept_is, METH_O, NULL},
    {"kept_type_name", kept_type_name, METH_NOARGS, NULL},
    {"kept_new_ref", kept_new_ref, METH_NOARGS, NULL},
    {"keep_dict_item", keep_dict_item, METH_VARARGS, NULL},
    {"kept_repr", kept_repr, METH_NOARGS, NULL},
    {"keep_utf8", keep_utf8, METH_O, NULL},
    {"kept_utf8", kept_utf8, METH_NOARGS, NULL},
    {"forget_kept", forget_kept, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "identity_ext", "Identity and borrowed reference tests.", -1, methods,
};

PyMODINIT_FUNC
PyInit_identity_ext(void)
{
    return PyModule_Create(&moduledef);
}
