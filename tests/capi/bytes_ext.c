/* bytes (PyBytes) conformance tests. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define ARG(i) PyTuple_GET_ITEM(args, (i))

/* ---- constructors ---- */

static PyObject *
b_literals(PyObject *self, PyObject *unused)
{
    PyObject *t = PyTuple_New(9);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBytes_FromString(""));
    PyTuple_SET_ITEM(t, 1, PyBytes_FromString("hello"));
    PyTuple_SET_ITEM(t, 2, PyBytes_FromString("\xff\xfe\x80"));
    PyTuple_SET_ITEM(t, 3, PyBytes_FromString("ab\0cd"));          /* stops at NUL */
    PyTuple_SET_ITEM(t, 4, PyBytes_FromStringAndSize("ab\0cd", 5));
    PyTuple_SET_ITEM(t, 5, PyBytes_FromStringAndSize("abcdef", 2));
    PyTuple_SET_ITEM(t, 6, PyBytes_FromStringAndSize("", 0));
    PyTuple_SET_ITEM(t, 7, PyBytes_FromStringAndSize("\0\0\0", 3));
    PyTuple_SET_ITEM(t, 8, PyBytes_FromString("x"));
    for (Py_ssize_t i = 0; i < 9; i++) {
        if (PyTuple_GET_ITEM(t, i) == NULL) {
            Py_DECREF(t);
            return NULL;
        }
    }
    return t;
}

/* PyBytes_FromString on the UTF-8 of a str (so the test can pass text). */
static PyObject *
b_from_string(PyObject *self, PyObject *s)
{
    const char *text = PyUnicode_AsUTF8(s);
    if (text == NULL) return NULL;
    return PyBytes_FromString(text);
}

/* PyBytes_FromStringAndSize(data of another bytes object, n). */
static PyObject *
b_from_string_and_size(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "from_string_and_size(b, n)");
        return NULL;
    }
    PyObject *src = ARG(0);
    if (!PyBytes_Check(src)) {
        PyErr_SetString(PyExc_TypeError, "source must be bytes (checked in C)");
        return NULL;
    }
    Py_ssize_t n = PyLong_AsSsize_t(ARG(1));
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (n > PyBytes_GET_SIZE(src)) {
        PyErr_SetString(PyExc_ValueError, "size larger than the source (checked in C)");
        return NULL;
    }
    return PyBytes_FromStringAndSize(PyBytes_AS_STRING(src), n);
}

/* The documented "allocate then fill" pattern: NULL data with a size, then
 * write through PyBytes_AS_STRING before anyone else sees the object. */
static PyObject *
b_filled(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PyLong_AsSsize_t(o);
    if (n == -1 && PyErr_Occurred()) return NULL;
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL) return NULL;
    char *buf = PyBytes_AS_STRING(b);
    for (Py_ssize_t i = 0; i < n; i++) {
        buf[i] = (char)(i & 0xff);
    }
    return b;
}

/* Like b_filled, but returns (bytes, terminated by NUL, GET_SIZE, Size). */
static PyObject *
b_filled_facts(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PyLong_AsSsize_t(o);
    if (n == -1 && PyErr_Occurred()) return NULL;
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL) return NULL;
    char *buf = PyBytes_AS_STRING(b);
    memset(buf, 'z', (size_t)n);
    int terminated = buf[n] == '\0';
    PyObject *t = PyTuple_New(4);
    if (t == NULL) {
        Py_DECREF(b);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(terminated));
    PyTuple_SET_ITEM(t, 2, PyLong_FromSsize_t(PyBytes_GET_SIZE(b)));
    PyTuple_SET_ITEM(t, 3, PyLong_FromSsize_t(PyBytes_Size(b)));
    PyTuple_SET_ITEM(t, 0, b);
    return t;
}

/* Fill via PyBytes_AsString (the function form) instead of the macro. */
static PyObject *
b_filled_via_asstring(PyObject *self, PyObject *s)
{
    Py_ssize_t n;
    const char *text = PyUnicode_AsUTF8AndSize(s, &n);
    if (text == NULL) return NULL;
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b == NULL) return NULL;
    char *buf = PyBytes_AsString(b);
    if (buf == NULL) {
        Py_DECREF(b);
        return NULL;
    }
    /* reversed copy */
    for (Py_ssize_t i = 0; i < n; i++) {
        buf[i] = text[n - 1 - i];
    }
    return b;
}

static PyObject *
b_null_zero(PyObject *self, PyObject *unused)
{
    return PyBytes_FromStringAndSize(NULL, 0);
}

static PyObject *
b_negative_size(PyObject *self, PyObject *unused)
{
    return PyBytes_FromStringAndSize("abc", -1);
}

static PyObject *
b_negative_size_null(PyObject *self, PyObject *unused)
{
    return PyBytes_FromStringAndSize(NULL, -5);
}

/* ---- access ---- */

/* PyBytes_AsString -> (bytes up to first NUL, same pointer as AS_STRING) */
static PyObject *
b_as_string(PyObject *self, PyObject *o)
{
    char *s = PyBytes_AsString(o);
    if (s == NULL) return NULL;
    PyObject *t = PyTuple_New(2);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBytes_FromString(s));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(s == PyBytes_AS_STRING(o)));
    return t;
}

/* PyBytes_AsStringAndSize with a length pointer ->
 * (rc, bytes of len, len, buffer NUL-terminated, same pointer as AS_STRING) */
static PyObject *
b_as_string_and_size(PyObject *self, PyObject *o)
{
    char *buf = NULL;
    Py_ssize_t len = -12345;
    int rc = PyBytes_AsStringAndSize(o, &buf, &len);
    if (rc == -1) return NULL;
    if (PyErr_Occurred()) return NULL;
    PyObject *t = PyTuple_New(5);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(rc));
    PyTuple_SET_ITEM(t, 1, PyBytes_FromStringAndSize(buf, len));
    PyTuple_SET_ITEM(t, 2, PyLong_FromSsize_t(len));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(buf[len] == '\0'));
    PyTuple_SET_ITEM(t, 4, PyBool_FromLong(buf == PyBytes_AS_STRING(o)));
    return t;
}

/* PyBytes_AsStringAndSize with NULL length -> (rc, bytes up to NUL) */
static PyObject *
b_as_string_and_size_nolen(PyObject *self, PyObject *o)
{
    char *buf = NULL;
    int rc = PyBytes_AsStringAndSize(o, &buf, NULL);
    if (rc == -1) return NULL;
    if (PyErr_Occurred()) return NULL;
    PyObject *t = PyTuple_New(2);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(rc));
    PyTuple_SET_ITEM(t, 1, PyBytes_FromString(buf));
    return t;
}

/* The return code alone, for error paths: -1 plus the pending error. */
static PyObject *
b_as_string_and_size_rc(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "as_string_and_size_rc(o, use_len)");
        return NULL;
    }
    char *buf = NULL;
    Py_ssize_t len = 0;
    int use_len = PyObject_IsTrue(ARG(1));
    if (use_len < 0) return NULL;
    int rc = PyBytes_AsStringAndSize(ARG(0), &buf, use_len ? &len : NULL);
    if (rc != -1 && rc != 0) {
        PyErr_SetString(PyExc_ValueError, "rc neither 0 nor -1");
        return NULL;
    }
    if (rc == -1 && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "rc -1 without an exception");
        return NULL;
    }
    if (rc == -1) return NULL;
    return PyLong_FromLong(rc);
}

static PyObject *
b_size(PyObject *self, PyObject *o)
{
    Py_ssize_t n = PyBytes_Size(o);
    if (n == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(n);
}

/* Macros only on real bytes (checked first). -> (GET_SIZE, sum of bytes) */
static PyObject *
b_macros(PyObject *self, PyObject *o)
{
    if (!PyBytes_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "macros need bytes (checked in C)");
        return NULL;
    }
    Py_ssize_t n = PyBytes_GET_SIZE(o);
    const unsigned char *p = (const unsigned char *)PyBytes_AS_STRING(o);
    long sum = 0;
    for (Py_ssize_t i = 0; i < n; i++) sum += p[i];
    PyObject *t = PyTuple_New(3);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromSsize_t(n));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(sum));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(p[n] == '\0'));
    return t;
}

/* ---- checks ---- */

static PyObject *
b_check(PyObject *self, PyObject *o)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(PyBytes_Check(o)));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(PyBytes_CheckExact(o)));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(Py_TYPE(o) == &PyBytes_Type));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(Py_REFCNT(o) >= 1));
    return t;
}

/* Reverse a bytes object into a fresh one (NULL+fill pattern, reading the
 * source through PyBytes_AsStringAndSize). */
static PyObject *
b_reverse(PyObject *self, PyObject *o)
{
    char *src;
    Py_ssize_t n;
    if (PyBytes_AsStringAndSize(o, &src, &n) < 0) return NULL;
    PyObject *r = PyBytes_FromStringAndSize(NULL, n);
    if (r == NULL) return NULL;
    char *dst = PyBytes_AS_STRING(r);
    for (Py_ssize_t i = 0; i < n; i++) dst[i] = src[n - 1 - i];
    return r;
}

/* ---- the rest of bytesobject.h ---- */

static PyObject *
n_from_object(PyObject *self, PyObject *o)
{
    return PyBytes_FromObject(o);
}

/* PyBytes_Concat on a fresh copy of a (or NULL when a is None); w None means NULL. */
static PyObject *
n_concat(PyObject *self, PyObject *args)
{
    PyObject *a, *w;
    int and_del;
    if (!PyArg_ParseTuple(args, "OOi", &a, &w, &and_del)) return NULL;
    PyObject *v = a == Py_None ? NULL : PyBytes_FromStringAndSize(PyBytes_AsString(a), PyBytes_Size(a));
    if (a != Py_None && v == NULL) return NULL;
    PyObject *right = w == Py_None ? NULL : w;
    if (and_del) {
        Py_XINCREF(right);
        PyBytes_ConcatAndDel(&v, right);
    } else {
        PyBytes_Concat(&v, right);
    }
    if (v == NULL) {
        if (PyErr_Occurred()) return NULL;
        Py_RETURN_NONE;
    }
    return v;
}

static PyObject *
n_repr(PyObject *self, PyObject *args)
{
    PyObject *o;
    int smart;
    if (!PyArg_ParseTuple(args, "Oi", &o, &smart)) return NULL;
    return PyBytes_Repr(o, smart);
}

static PyObject *
n_decode_escape(PyObject *self, PyObject *args)
{
    const char *s, *errors = NULL;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y#|z", &s, &n, &errors)) return NULL;
    return PyBytes_DecodeEscape(s, n, errors, 0, NULL);
}

static PyObject *
n_decode_escape_private(PyObject *self, PyObject *args)
{
    const char *s, *errors = NULL;
    Py_ssize_t n;
    if (!PyArg_ParseTuple(args, "y#|z", &s, &n, &errors)) return NULL;
    const char *first = (const char *)1;
    PyObject *r = _PyBytes_DecodeEscape(s, n, errors, &first);
    if (r == NULL) return NULL;
    return Py_BuildValue("(Nn)", r, first == NULL ? (Py_ssize_t)-1 : (Py_ssize_t)(first - s));
}

static PyObject *
n_join(PyObject *self, PyObject *args)
{
    PyObject *sep, *x;
    if (!PyArg_ParseTuple(args, "OO", &sep, &x)) return NULL;
    return _PyBytes_Join(sep, x);
}

static PyObject *
n_from_hex(PyObject *self, PyObject *args)
{
    PyObject *s;
    int use_bytearray;
    if (!PyArg_ParseTuple(args, "Oi", &s, &use_bytearray)) return NULL;
    return _PyBytes_FromHex(s, use_bytearray);
}

static PyObject *
n_format_ex(PyObject *self, PyObject *args)
{
    const char *f;
    Py_ssize_t n;
    PyObject *values;
    int use_bytearray;
    if (!PyArg_ParseTuple(args, "y#Oi", &f, &n, &values, &use_bytearray)) return NULL;
    return _PyBytes_FormatEx(f, n, values, use_bytearray);
}

static PyObject *
n_from_format(PyObject *self, PyObject *arg)
{
    long which = PyLong_AsLong(arg);
    switch (which) {
    case 0: return PyBytes_FromFormat("plain text");
    case 1: return PyBytes_FromFormat("%d|%i|%u|%x|%ld|%lu|%zd|%zu", -42, 7, 4000000000u, 255, -9000000000L,
                                      18000000000UL, (Py_ssize_t)-5, (size_t)5);
    case 2: return PyBytes_FromFormat("[%s][%.3s][%.10s][%5s]", "str", "truncated", "short", "w");
    case 3: return PyBytes_FromFormat("%c%c%c", 'a', 0, 255);
    case 4: return PyBytes_FromFormat("100%% and %%d");
    case 5: return PyBytes_FromFormat("%c", 256);
    case 6: return PyBytes_FromFormat("%c", -1);
    case 7: return PyBytes_FromFormat("before %q after %d", 5);
    case 8: return PyBytes_FromFormat("ends with %");
    case 9: return PyBytes_FromFormat("%lld", 5LL);
    case 10: {
        PyObject *p = PyBytes_FromFormat("%p", (void *)0x1234);
        return p;
    }
    case 11: return PyBytes_FromFormat("%s", "\xff\xfe high bytes");
    case 12: return PyBytes_FromFormat("%05d|%-3d|%+d", 42, 7, 3);
    default: Py_RETURN_NONE;
    }
}

/* _PyBytesWriter: "head" + n copies of "0123456789", then "tail". */
static PyObject *
n_writer(PyObject *self, PyObject *args)
{
    Py_ssize_t n;
    int use_bytearray, overallocate, abandon;
    if (!PyArg_ParseTuple(args, "niii", &n, &use_bytearray, &overallocate, &abandon)) return NULL;
    _PyBytesWriter writer;
    _PyBytesWriter_Init(&writer);
    writer.use_bytearray = use_bytearray;
    writer.overallocate = overallocate;
    char *p = _PyBytesWriter_Alloc(&writer, 4);
    if (p == NULL) return NULL;
    memcpy(p, "head", 4);
    p += 4;
    for (Py_ssize_t i = 0; i < n; i++) {
        p = _PyBytesWriter_WriteBytes(&writer, p, "0123456789", 10);
        if (p == NULL) return NULL;
    }
    p = _PyBytesWriter_Prepare(&writer, p, 4);
    if (p == NULL) return NULL;
    memcpy(p, "tail", 4);
    p += 4;
    if (abandon) {
        _PyBytesWriter_Dealloc(&writer);
        Py_RETURN_NONE;
    }
    return _PyBytesWriter_Finish(&writer, p);
}

static PyObject *
n_writer_empty(PyObject *self, PyObject *arg)
{
    _PyBytesWriter writer;
    _PyBytesWriter_Init(&writer);
    writer.use_bytearray = PyObject_IsTrue(arg);
    char *p = _PyBytesWriter_Alloc(&writer, 0);
    if (p == NULL) return NULL;
    return _PyBytesWriter_Finish(&writer, p);
}

/* The bytes iterator type C sees. */
static PyObject *
n_iter_type(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(Py_IS_TYPE(o, &PyBytesIter_Type));
}

/* Bytes filled after C put them in a list or dict: in CPython the container
 * holds the object C goes on writing. */
static PyObject *
n_fill_after_store(PyObject *self, PyObject *args)
{
    PyObject *list = PyList_New(0), *dict = PyDict_New();
    PyObject *a = PyBytes_FromStringAndSize(NULL, 6), *b = PyBytes_FromStringAndSize(NULL, 3);
    if (list == NULL || dict == NULL || a == NULL || b == NULL)
        return NULL;
    memset(PyBytes_AS_STRING(a), '-', 6);
    if (PyList_Append(list, a) < 0 || PyDict_SetItemString(dict, "b", b) < 0)
        return NULL;
    Py_DECREF(b);
    memcpy(PyBytes_AS_STRING(a), "filled", 6);
    memcpy(PyBytes_AS_STRING(PyDict_GetItemString(dict, "b")), "abc", 3);
    Py_DECREF(a);
    return Py_BuildValue("(NN)", list, dict);
}

/* Bytes made empty in C, then written through the buffer of a memoryview
   of them (numcodecs' decoders: Cython's `memoryview(dest)`), through
   PyObject_GetBuffer, or through PyBytes_AS_STRING after a memoryview was
   made. */
static PyObject *
n_fill_through_view(PyObject *self, PyObject *arg)
{
    long how = PyLong_AsLong(arg);
    PyObject *b = PyBytes_FromStringAndSize(NULL, 4);
    if (b == NULL)
        return NULL;
    PyObject *mv = NULL;
    Py_buffer view;
    int have_view = 0;
    char *p;
    if (how == 0 || how == 2) {
        mv = PyMemoryView_FromObject(b);
        if (mv == NULL) {
            Py_DECREF(b);
            return NULL;
        }
        p = how == 0 ? (char *)PyMemoryView_GET_BUFFER(mv)->buf : PyBytes_AS_STRING(b);
    } else {
        if (PyObject_GetBuffer(b, &view, PyBUF_SIMPLE) < 0) {
            Py_DECREF(b);
            return NULL;
        }
        have_view = 1;
        p = view.buf;
    }
    memcpy(p, "wxyz", 4);
    if (have_view)
        PyBuffer_Release(&view);
    Py_XDECREF(mv);
    return b;
}

static PyMethodDef methods[] = {
    {"n_fill_through_view", n_fill_through_view, METH_O, NULL},
    {"n_fill_after_store", n_fill_after_store, METH_NOARGS, NULL},
    {"n_writer", n_writer, METH_VARARGS, NULL},
    {"n_writer_empty", n_writer_empty, METH_O, NULL},
    {"n_iter_type", n_iter_type, METH_O, NULL},
    {"n_from_object", n_from_object, METH_O, NULL},
    {"n_concat", n_concat, METH_VARARGS, NULL},
    {"n_repr", n_repr, METH_VARARGS, NULL},
    {"n_decode_escape", n_decode_escape, METH_VARARGS, NULL},
    {"n_decode_escape_private", n_decode_escape_private, METH_VARARGS, NULL},
    {"n_join", n_join, METH_VARARGS, NULL},
    {"n_from_hex", n_from_hex, METH_VARARGS, NULL},
    {"n_format_ex", n_format_ex, METH_VARARGS, NULL},
    {"n_from_format", n_from_format, METH_O, NULL},
    {"literals", b_literals, METH_NOARGS, NULL},
    {"from_string", b_from_string, METH_O, NULL},
    {"from_string_and_size", b_from_string_and_size, METH_VARARGS, NULL},
    {"filled", b_filled, METH_O, NULL},
    {"filled_facts", b_filled_facts, METH_O, NULL},
    {"filled_via_asstring", b_filled_via_asstring, METH_O, NULL},
    {"null_zero", b_null_zero, METH_NOARGS, NULL},
    {"negative_size", b_negative_size, METH_NOARGS, NULL},
    {"negative_size_null", b_negative_size_null, METH_NOARGS, NULL},
    {"as_string", b_as_string, METH_O, NULL},
    {"as_string_and_size", b_as_string_and_size, METH_O, NULL},
    {"as_string_and_size_nolen", b_as_string_and_size_nolen, METH_O, NULL},
    {"as_string_and_size_rc", b_as_string_and_size_rc, METH_VARARGS, NULL},
    {"size", b_size, METH_O, NULL},
    {"macros", b_macros, METH_O, NULL},
    {"check", b_check, METH_O, NULL},
    {"reverse", b_reverse, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "bytes_ext",
    "PyBytes conformance tests",
    -1,
    methods
};

PyMODINIT_FUNC
PyInit_bytes_ext(void)
{
    return PyModule_Create(&moduledef);
}
