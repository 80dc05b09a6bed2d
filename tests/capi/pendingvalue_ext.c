/* Ints, floats and ASCII strs C makes (PyLong_FromLong, PyFloat_FromDouble,
 * PyUnicode_FromStringAndSize) are pending proxies until they cross into
 * Python (proxy.rs, "Objects made in C"): C reads their fields at once, API
 * calls on them work, one object put in two places is one object in Python,
 * and a value C keeps a reference to stays the object Python got. Items of a
 * tuple C built and gave away are freed with it; a value C stored in a dict
 * and let go stays valid while the dict holds it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *kept;      /* an owned reference */
static PyObject *borrowed;  /* no reference: the dict holds it */

/* The digits C reads of a new int: Py_SIZE and ob_digit (Cython does). */
static PyObject *digits(PyObject *self, PyObject *arg) {
    long long v = PyLong_AsLongLong(arg);
    unsigned long long u = PyLong_AsUnsignedLongLongMask(arg);
    PyObject *made = v == -1 && PyErr_Occurred() ? (PyErr_Clear(), PyLong_FromUnsignedLongLong(u)) : PyLong_FromLongLong(v);
    if (made == NULL)
        return NULL;
    Py_ssize_t n = Py_SIZE(made);
    PyObject *out = PyList_New(0);
    PyObject *size = PyLong_FromSsize_t(n);
    PyList_Append(out, size);
    Py_DECREF(size);
    for (Py_ssize_t i = 0; i < (n < 0 ? -n : n); i++) {
        PyObject *d = PyLong_FromLong((long)((PyLongObject *)made)->ob_digit[i]);
        PyList_Append(out, d);
        Py_DECREF(d);
    }
    /* The value C reads back, then the object itself. */
    long long again = PyLong_AsLongLong(made);
    PyObject *back = again == -1 && PyErr_Occurred() ? (PyErr_Clear(), Py_NewRef(made)) : PyLong_FromLongLong(again);
    PyObject *res = Py_BuildValue("(NNN)", out, back, made);
    return res;
}

/* Fields and API calls on fresh values, before they cross. */
static PyObject *fields(PyObject *self, PyObject *unused) {
    PyObject *f = PyFloat_FromDouble(2.75);
    PyObject *s = PyUnicode_FromStringAndSize("hello world", 5);
    PyObject *i = PyLong_FromLong(123456789);
    PyObject *j = PyLong_FromLong(123456789);
    Py_hash_t hs = PyObject_Hash(s), hi = PyObject_Hash(i);
    PyObject *sum = PyNumber_Add(i, j);
    int eq = PyObject_RichCompareBool(i, j, Py_EQ);
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(s, &len);
    PyObject *res = Py_BuildValue("(d,n,i,i,s#,s,n,d,N,i,i,O,O,O)",
        PyFloat_AS_DOUBLE(f), PyUnicode_GET_LENGTH(s), PyUnicode_IS_ASCII(s),
        PyUnicode_KIND(s), (const char *)PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s),
        utf8, len, PyFloat_AsDouble(f), sum, eq, i == j,
        PyObject_Type(i) == (PyObject *)&PyLong_Type ? Py_True : Py_False,
        PyObject_Type(f) == (PyObject *)&PyFloat_Type ? Py_True : Py_False,
        PyObject_Type(s) == (PyObject *)&PyUnicode_Type ? Py_True : Py_False);
    Py_DECREF(PyObject_Type(i));
    Py_DECREF(PyObject_Type(f));
    Py_DECREF(PyObject_Type(s));
    Py_DECREF(PyObject_Type(i));
    Py_DECREF(PyObject_Type(f));
    Py_DECREF(PyObject_Type(s));
    Py_DECREF(f);
    Py_DECREF(s);
    Py_DECREF(i);
    Py_DECREF(j);
    if (res == NULL)
        return NULL;
    return Py_BuildValue("(NO)", res, (hs == -1 || hi == -1) ? Py_False : Py_True);
}

/* One fresh object in two places, and C keeps one reference to it. */
static PyObject *twice(PyObject *self, PyObject *kind) {
    long k = PyLong_AsLong(kind);
    PyObject *v = k == 0 ? PyLong_FromLong(10000001) : k == 1 ? PyFloat_FromDouble(0.125) : PyUnicode_FromStringAndSize("twice", 5);
    PyObject *t = PyTuple_New(2);
    PyObject *l = PyList_New(0);
    Py_INCREF(v);
    PyTuple_SET_ITEM(t, 0, v);
    Py_INCREF(v);
    PyTuple_SET_ITEM(t, 1, v);
    PyList_Append(l, v);
    Py_XSETREF(kept, v); /* C's own reference */
    return Py_BuildValue("(NN)", t, l);
}

static PyObject *kept_value(PyObject *self, PyObject *unused) {
    return Py_NewRef(kept);
}

/* A fresh value stored in a dict and let go: C keeps the bare pointer,
 * valid in CPython while the dict holds the object. */
static PyObject *store(PyObject *self, PyObject *d) {
    PyObject *v = PyLong_FromLongLong(77777777777LL);
    if (PyDict_SetItemString(d, "v", v) < 0)
        return NULL;
    Py_DECREF(v);
    borrowed = v;
    Py_RETURN_NONE;
}

static PyObject *read_borrowed(PyObject *self, PyObject *d) {
    return Py_BuildValue("(LO)", PyLong_AsLongLong(borrowed), PyDict_GetItemString(d, "v") == borrowed ? Py_True : Py_False);
}

/* A row as a driver builds it, n times: each crosses and is dropped. */
static PyObject *rows(PyObject *self, PyObject *arg) {
    long n = PyLong_AsLong(arg);
    PyObject *out = PyList_New(0);
    for (long r = 0; r < n; r++) {
        PyObject *t = PyTuple_New(4);
        char buf[32];
        int len = snprintf(buf, sizeof buf, "row %ld", r);
        PyTuple_SET_ITEM(t, 0, PyLong_FromLong(1000 + r));
        PyTuple_SET_ITEM(t, 1, PyFloat_FromDouble(r * 0.5));
        PyTuple_SET_ITEM(t, 2, PyUnicode_FromStringAndSize(buf, len));
        PyTuple_SET_ITEM(t, 3, PyLong_FromLong(-(1L << 40) - r));
        if (PyList_Append(out, t) < 0)
            return NULL;
        Py_DECREF(t);
    }
    return out;
}

/* A tuple of fresh values C drops before it ever crosses. */
static PyObject *dropped(PyObject *self, PyObject *unused) {
    PyObject *t = PyTuple_New(3);
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(5000000));
    PyTuple_SET_ITEM(t, 1, PyFloat_FromDouble(1.5));
    PyTuple_SET_ITEM(t, 2, PyUnicode_FromStringAndSize("gone", 4));
    long v = PyLong_AsLong(PyTuple_GET_ITEM(t, 0));
    Py_DECREF(t);
    return PyLong_FromLong(v);
}

/* A fresh value returned with its only reference, alone or in a tuple
 * with an argument, a nested tuple and a value C keeps. */
static PyObject *ret(PyObject *self, PyObject *arg) {
    long k = PyLong_AsLong(arg);
    if (k == 0)
        return PyLong_FromLongLong(-123456789012LL);
    if (k == 1)
        return PyFloat_FromDouble(-0.0);
    if (k == 2)
        return PyUnicode_FromStringAndSize("returned", 8);
    PyObject *inner = PyTuple_New(2);
    PyTuple_SET_ITEM(inner, 0, PyLong_FromLong(4242));
    PyTuple_SET_ITEM(inner, 1, PyUnicode_FromStringAndSize("in", 2));
    PyObject *t = PyTuple_New(5);
    PyTuple_SET_ITEM(t, 0, PyFloat_FromDouble(1e300));
    PyTuple_SET_ITEM(t, 1, Py_NewRef(arg));
    PyTuple_SET_ITEM(t, 2, inner);
    PyObject *v = PyLong_FromLong(31337);
    Py_XSETREF(kept, Py_NewRef(v));
    PyTuple_SET_ITEM(t, 3, v);
    PyTuple_SET_ITEM(t, 4, PyUnicode_FromString("caf\xc3\xa9"));
    return t;
}

static PyMethodDef methods[] = {
    {"ret", ret, METH_O, NULL},
    {"digits", digits, METH_O, NULL},
    {"fields", fields, METH_NOARGS, NULL},
    {"twice", twice, METH_O, NULL},
    {"kept_value", kept_value, METH_NOARGS, NULL},
    {"store", store, METH_O, NULL},
    {"read_borrowed", read_borrowed, METH_O, NULL},
    {"rows", rows, METH_O, NULL},
    {"dropped", dropped, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "pendingvalue_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_pendingvalue_ext(void) { return PyModule_Create(&def); }
