/* str (PyUnicode) conformance tests. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define ARG(i) PyTuple_GET_ITEM(args, (i))

static int
need_args(PyObject *args, Py_ssize_t n)
{
    if (PyTuple_GET_SIZE(args) != n) {
        PyErr_SetString(PyExc_TypeError, "wrong number of arguments");
        return 0;
    }
    return 1;
}

/* ---- constructors ---- */

static PyObject *
u_literals(PyObject *self, PyObject *unused)
{
    PyObject *t = PyTuple_New(10);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyUnicode_FromString(""));
    PyTuple_SET_ITEM(t, 1, PyUnicode_FromString("hello"));
    PyTuple_SET_ITEM(t, 2, PyUnicode_FromString("h\xc3\xa9llo"));           /* héllo */
    PyTuple_SET_ITEM(t, 3, PyUnicode_FromString("\xe2\x82\xac"));           /* € */
    PyTuple_SET_ITEM(t, 4, PyUnicode_FromString("\xf0\x9f\x98\x80!"));      /* U+1F600 ! */
    PyTuple_SET_ITEM(t, 5, PyUnicode_FromString("a\0b"));                   /* stops at NUL */
    PyTuple_SET_ITEM(t, 6, PyUnicode_FromStringAndSize("a\0b", 3));
    PyTuple_SET_ITEM(t, 7, PyUnicode_FromStringAndSize("abcdef", 3));
    PyTuple_SET_ITEM(t, 8, PyUnicode_FromStringAndSize("", 0));
    PyTuple_SET_ITEM(t, 9, PyUnicode_FromStringAndSize("\xd0\x96\xd0\x96", 4)); /* ЖЖ */
    for (Py_ssize_t i = 0; i < 10; i++) {
        if (PyTuple_GET_ITEM(t, i) == NULL) {
            Py_DECREF(t);
            return NULL;
        }
    }
    return t;
}

/* PyUnicode_FromString on the bytes of a bytes object. */
static PyObject *
u_from_string(PyObject *self, PyObject *b)
{
    const char *s = PyBytes_AsString(b);
    if (s == NULL) return NULL;
    return PyUnicode_FromString(s);
}

/* PyUnicode_FromStringAndSize(data of bytes, n). */
static PyObject *
u_from_string_and_size(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    const char *s = PyBytes_AsString(ARG(0));
    if (s == NULL) return NULL;
    Py_ssize_t n = PyLong_AsSsize_t(ARG(1));
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (n > PyBytes_Size(ARG(0))) {
        PyErr_SetString(PyExc_ValueError, "size larger than the buffer (checked in C)");
        return NULL;
    }
    return PyUnicode_FromStringAndSize(s, n);
}

static PyObject *
u_from_string_and_size_null_zero(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromStringAndSize(NULL, 0);
}

static PyObject *
u_from_string_and_size_negative(PyObject *self, PyObject *unused)
{
    return PyUnicode_FromStringAndSize("abc", -1);
}

/* ---- UTF-8 access ---- */

/* AsUTF8 -> bytes up to the first NUL (what C's strlen sees). */
static PyObject *
u_as_utf8(PyObject *self, PyObject *o)
{
    const char *s = PyUnicode_AsUTF8(o);
    if (s == NULL) return NULL;
    return PyBytes_FromString(s);
}

/* AsUTF8AndSize -> (bytes of `size`, size, strlen, terminated by NUL). */
static PyObject *
u_as_utf8_and_size(PyObject *self, PyObject *o)
{
    Py_ssize_t size = -12345;
    const char *s = PyUnicode_AsUTF8AndSize(o, &size);
    if (s == NULL) return NULL;
    PyObject *t = PyTuple_New(4);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBytes_FromStringAndSize(s, size));
    PyTuple_SET_ITEM(t, 1, PyLong_FromSsize_t(size));
    PyTuple_SET_ITEM(t, 2, PyLong_FromSize_t(strlen(s)));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(s[size] == '\0'));
    return t;
}

static PyObject *
u_as_utf8_and_size_null(PyObject *self, PyObject *o)
{
    const char *s = PyUnicode_AsUTF8AndSize(o, NULL);
    if (s == NULL) return NULL;
    return PyBytes_FromString(s);
}

/* Repeated AsUTF8 calls on the same object give the same buffer, and it
 * agrees with AsUTF8AndSize. */
static PyObject *
u_utf8_stable(PyObject *self, PyObject *o)
{
    const char *a = PyUnicode_AsUTF8(o);
    if (a == NULL) return NULL;
    const char *b = PyUnicode_AsUTF8(o);
    if (b == NULL) return NULL;
    Py_ssize_t n;
    const char *c = PyUnicode_AsUTF8AndSize(o, &n);
    if (c == NULL) return NULL;
    PyObject *t = PyTuple_New(2);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(a == b));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(a == c));
    return t;
}

/* Round trip through C: AsUTF8AndSize then FromStringAndSize; equal? */
static PyObject *
u_roundtrip(PyObject *self, PyObject *o)
{
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s == NULL) return NULL;
    return PyUnicode_FromStringAndSize(s, n);
}

/* Count bytes >= 0x80 seen through AsUTF8AndSize. */
static PyObject *
u_count_high_bytes(PyObject *self, PyObject *o)
{
    Py_ssize_t n;
    const char *s = PyUnicode_AsUTF8AndSize(o, &n);
    if (s == NULL) return NULL;
    long count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80) count++;
    }
    return PyLong_FromLong(count);
}

/* ---- length / concat / compare ---- */

static PyObject *
u_get_length(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PyUnicode_GetLength(o);
    if (n == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *
u_concat(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    return PyUnicode_Concat(ARG(0), ARG(1));
}

static PyObject *
u_compare(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    int r = PyUnicode_Compare(ARG(0), ARG(1));
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromLong(r);
}

/* CompareWithASCIIString(str, bytes-as-C-string); the first argument is
 * checked to be a str in C (the C-API requires it). */
static PyObject *
u_compare_ascii(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    if (!PyUnicode_Check(ARG(0))) {
        PyErr_SetString(PyExc_TypeError, "compare_ascii needs a str (checked in C)");
        return NULL;
    }
    const char *s = PyBytes_AsString(ARG(1));
    if (s == NULL) return NULL;
    int r = PyUnicode_CompareWithASCIIString(ARG(0), s);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromLong(r);
}

/* ---- interning ---- */

static PyObject *
u_intern(PyObject *self, PyObject *b)
{
    const char *s = PyBytes_AsString(b);
    if (s == NULL) return NULL;
    return PyUnicode_InternFromString(s);
}

/* Intern the same C string twice: same object? */
static PyObject *
u_intern_twice_same(PyObject *self, PyObject *unused)
{
    PyObject *a = PyUnicode_InternFromString("cpyext_interned_name");
    if (a == NULL) return NULL;
    PyObject *b = PyUnicode_InternFromString("cpyext_interned_name");
    if (b == NULL) {
        Py_DECREF(a);
        return NULL;
    }
    int same = (a == b);
    int exact = PyUnicode_CheckExact(a);
    Py_DECREF(a);
    Py_DECREF(b);
    PyObject *t = PyTuple_New(2);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(same));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(exact));
    return t;
}

/* ---- checks ---- */

static PyObject *
u_check(PyObject *self, PyObject *o)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(PyUnicode_Check(o)));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(PyUnicode_CheckExact(o)));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(Py_TYPE(o) == &PyUnicode_Type));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(Py_REFCNT(o) >= 1));
    return t;
}

/* Build "key=value" from two str objects entirely with C-API calls. */
static PyObject *
u_join_kv(PyObject *self, PyObject *args)
{
    if (!need_args(args, 2)) return NULL;
    PyObject *eq = PyUnicode_FromString("=");
    if (eq == NULL) return NULL;
    PyObject *left = PyUnicode_Concat(ARG(0), eq);
    Py_DECREF(eq);
    if (left == NULL) return NULL;
    PyObject *r = PyUnicode_Concat(left, ARG(1));
    Py_DECREF(left);
    return r;
}

static PyObject *
u_read_char(PyObject *self, PyObject *args)
{
    PyObject *s = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t i = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    Py_UCS4 c = PyUnicode_ReadChar(s, i);
    if (c == (Py_UCS4)-1 && PyErr_Occurred())
        return NULL;
    return PyLong_FromUnsignedLong(c);
}

static PyObject *
u_as_encoded_string(PyObject *self, PyObject *args)
{
    /* (str, encoding or None, errors or None) */
    PyObject *s = PyTuple_GET_ITEM(args, 0), *enc = PyTuple_GET_ITEM(args, 1);
    PyObject *err = PyTuple_GET_ITEM(args, 2);
    const char *encoding = enc == Py_None ? NULL : PyUnicode_AsUTF8(enc);
    const char *errors = err == Py_None ? NULL : PyUnicode_AsUTF8(err);
    return PyUnicode_AsEncodedString(s, encoding, errors);
}

static PyObject *
u_from_ordinal(PyObject *self, PyObject *arg)
{
    long v = PyLong_AsLong(arg);
    if (v == -1 && PyErr_Occurred())
        return NULL;
    return PyUnicode_FromOrdinal((int)v);
}

static PyObject *
u_from_wide_char(PyObject *self, PyObject *args)
{
    /* (list of code units or None, size) */
    PyObject *units = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t size = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    wchar_t buffer[32];
    if (units == Py_None)
        return PyUnicode_FromWideChar(NULL, size);
    Py_ssize_t n = PyList_Size(units);
    if (n < 0 || n > 31)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        buffer[i] = (wchar_t)PyLong_AsLong(PyList_GetItem(units, i));
    buffer[n] = 0;
    return PyUnicode_FromWideChar(buffer, size);
}

static PyObject *
u_substring(PyObject *self, PyObject *args)
{
    return PyUnicode_Substring(PyTuple_GET_ITEM(args, 0), PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1)),
                               PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 2)));
}

static PyObject *
u_substring_same(PyObject *self, PyObject *s)
{
    /* the whole of an exact str is the str itself */
    PyObject *r = PyUnicode_Substring(s, 0, PY_SSIZE_T_MAX);
    if (r == NULL)
        return NULL;
    int same = r == s;
    Py_DECREF(r);
    return PyBool_FromLong(same);
}

static PyObject *
u_join(PyObject *self, PyObject *args)
{
    PyObject *sep = PyTuple_GET_ITEM(args, 0);
    return PyUnicode_Join(sep == Py_Ellipsis ? NULL : sep, PyTuple_GET_ITEM(args, 1));
}

static PyObject *
u_decode_utf8(PyObject *self, PyObject *args)
{
    /* (bytes, size, errors or None) */
    PyObject *b = PyTuple_GET_ITEM(args, 0), *err = PyTuple_GET_ITEM(args, 2);
    Py_ssize_t size = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    return PyUnicode_DecodeUTF8(PyBytes_AsString(b), size, err == Py_None ? NULL : PyUnicode_AsUTF8(err));
}

static PyMethodDef methods[] = {
    {"substring", u_substring, METH_VARARGS, NULL},
    {"substring_same", u_substring_same, METH_O, NULL},
    {"join", u_join, METH_VARARGS, NULL},
    {"decode_utf8", u_decode_utf8, METH_VARARGS, NULL},
    {"from_ordinal", u_from_ordinal, METH_O, NULL},
    {"from_wide_char", u_from_wide_char, METH_VARARGS, NULL},
    {"read_char", u_read_char, METH_VARARGS, NULL},
    {"as_encoded_string", u_as_encoded_string, METH_VARARGS, NULL},
    {"literals", u_literals, METH_NOARGS, NULL},
    {"from_string", u_from_string, METH_O, NULL},
    {"from_string_and_size", u_from_string_and_size, METH_VARARGS, NULL},
    {"from_string_and_size_null_zero", u_from_string_and_size_null_zero, METH_NOARGS, NULL},
    {"from_string_and_size_negative", u_from_string_and_size_negative, METH_NOARGS, NULL},
    {"as_utf8", u_as_utf8, METH_O, NULL},
    {"as_utf8_and_size", u_as_utf8_and_size, METH_O, NULL},
    {"as_utf8_and_size_null", u_as_utf8_and_size_null, METH_O, NULL},
    {"utf8_stable", u_utf8_stable, METH_O, NULL},
    {"roundtrip", u_roundtrip, METH_O, NULL},
    {"count_high_bytes", u_count_high_bytes, METH_O, NULL},
    {"get_length", u_get_length, METH_O, NULL},
    {"concat", u_concat, METH_VARARGS, NULL},
    {"compare", u_compare, METH_VARARGS, NULL},
    {"compare_ascii", u_compare_ascii, METH_VARARGS, NULL},
    {"intern", u_intern, METH_O, NULL},
    {"intern_twice_same", u_intern_twice_same, METH_NOARGS, NULL},
    {"check", u_check, METH_O, NULL},
    {"join_kv", u_join_kv, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "unicode_ext",
    "PyUnicode conformance tests",
    -1,
    methods
};

PyMODINIT_FUNC
PyInit_unicode_ext(void)
{
    return PyModule_Create(&moduledef);
}
