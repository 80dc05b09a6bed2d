/* Py_BuildValue: literal calls as extensions write them, and a generic
 * build(format, values) that turns Python values into the C arguments a
 * format needs, for table-driven and fuzz tests (tests/fuzz/).
 *
 * build() relies on the x86-64 System V calling convention: integer and
 * pointer arguments travel in 8-byte slots (so an int argument read with
 * va_arg(int) may be passed as a long), and the first eight double
 * arguments travel in their own registers, apart from the others. One call
 * with 32 integer slots and then 8 doubles therefore serves any format
 * with at most 32 integer and 8 floating-point arguments, in any order. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <wchar.h>

#if !defined(__x86_64__)
#error "buildvalue_ext.c's generic build() assumes the x86-64 System V calling convention"
#endif

#define NG 32
#define ND 8

static PyObject *converter_log = NULL;

static PyObject *
conv_int(void *p)
{
    if (converter_log)
        PyList_Append(converter_log, PyLong_FromLong(*(long *)p));
    return PyLong_FromLong(*(long *)p * 10);
}

static PyObject *
conv_fail(void *p)
{
    if (converter_log)
        PyList_Append(converter_log, PyLong_FromLong(*(long *)p));
    PyErr_SetString(PyExc_ValueError, "converter failed");
    return NULL;
}

static PyObject *
conv_null(void *p)
{
    if (converter_log)
        PyList_Append(converter_log, PyLong_FromLong(*(long *)p));
    return NULL;   /* without an exception */
}

typedef PyObject *(*build_converter)(void *);

typedef struct {
    long g[NG];
    double d[ND];
    int ng, nd;
    Py_complex complexes[NG];
    long converter_args[NG];
    wchar_t wide[NG][64];
    PyObject *owned[NG];     /* references handed to N units */
    int nowned;
} Args;

static int
add_g(Args *a, long v)
{
    if (a->ng >= NG) {
        PyErr_SetString(PyExc_ValueError, "test: too many integer arguments");
        return -1;
    }
    a->g[a->ng++] = v;
    return 0;
}

static int
add_d(Args *a, double v)
{
    if (a->nd >= ND) {
        PyErr_SetString(PyExc_ValueError, "test: too many double arguments");
        return -1;
    }
    a->d[a->nd++] = v;
    return 0;
}

static PyObject *
next_value(PyObject *values, Py_ssize_t *vi)
{
    if (*vi >= PyTuple_GET_SIZE(values)) {
        PyErr_SetString(PyExc_ValueError, "test: not enough values for the format");
        return NULL;
    }
    return PyTuple_GET_ITEM(values, (*vi)++);
}

static long
as_long_bits(PyObject *v)
{
    /* an int of any sign as the 64 bits the C argument carries */
    if (PyLong_Check(v)) {
        long r = PyLong_AsLong(v);
        if (r == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return (long)PyLong_AsUnsignedLongMask(v);
        }
        return r;
    }
    PyErr_SetString(PyExc_TypeError, "test: int expected");
    return -1;
}

/* Builds the C arguments of `format` from `values` (one value per unit; a
 * unit with '#' takes (data, length); O&, S& and N& take (converter name,
 * int)). */
static int
collect(const char *f, PyObject *values, Args *a)
{
    Py_ssize_t vi = 0;
    a->ng = a->nd = a->nowned = 0;
    memset(a->g, 0, sizeof(a->g));
    memset(a->d, 0, sizeof(a->d));
    int nc = 0, nw = 0;
    for (; *f; f++) {
        char c = *f;
        PyObject *v;
        switch (c) {
        case 'b': case 'B': case 'h': case 'H': case 'i': case 'I': case 'c': case 'C':
        case 'l': case 'k': case 'L': case 'K': case 'n':
            if ((v = next_value(values, &vi)) == NULL) return -1;
            long bits = as_long_bits(v);
            if (bits == -1 && PyErr_Occurred()) return -1;
            if (add_g(a, bits) < 0) return -1;
            break;
        case 'f': case 'd':
            if ((v = next_value(values, &vi)) == NULL) return -1;
            double dv = PyFloat_AsDouble(v);
            if (dv == -1.0 && PyErr_Occurred()) return -1;
            if (add_d(a, dv) < 0) return -1;
            break;
        case 'D':
            if ((v = next_value(values, &vi)) == NULL) return -1;
            a->complexes[nc].real = PyFloat_AsDouble(PyTuple_GetItem(v, 0));
            a->complexes[nc].imag = PyFloat_AsDouble(PyTuple_GetItem(v, 1));
            if (PyErr_Occurred()) return -1;
            if (add_g(a, (long)&a->complexes[nc++]) < 0) return -1;
            break;
        case 's': case 'z': case 'y': case 'U': case 'u': {
            if ((v = next_value(values, &vi)) == NULL) return -1;
            PyObject *data = v, *len = NULL;
            if (f[1] == '#') {
                if (!PyTuple_Check(v) || PyTuple_GET_SIZE(v) != 2) {
                    PyErr_SetString(PyExc_ValueError, "test: '#' units take (data, length)");
                    return -1;
                }
                data = PyTuple_GET_ITEM(v, 0);
                len = PyTuple_GET_ITEM(v, 1);
            }
            long ptr = 0;
            if (data != Py_None) {
                if (c == 'u') {
                    if (nw >= NG) return -1;
                    Py_ssize_t n = PyUnicode_GetLength(data);
                    if (n < 0) return -1;
                    if (n > 63) n = 63;
                    for (Py_ssize_t k = 0; k < n; k++)
                        a->wide[nw][k] = (wchar_t)PyUnicode_ReadChar(data, k);
                    a->wide[nw][n] = 0;
                    ptr = (long)a->wide[nw++];
                }
                else {
                    if (!PyBytes_Check(data)) {
                        PyErr_SetString(PyExc_TypeError, "test: text units take bytes or None");
                        return -1;
                    }
                    ptr = (long)PyBytes_AS_STRING(data);
                }
            }
            if (add_g(a, ptr) < 0) return -1;
            if (len != NULL) {
                long n = as_long_bits(len);
                if (n == -1 && PyErr_Occurred()) return -1;
                if (add_g(a, n) < 0) return -1;
            }
            break;
        }
        case 'N': case 'S': case 'O':
            if ((v = next_value(values, &vi)) == NULL) return -1;
            if (f[1] == '&') {
                const char *name = PyUnicode_AsUTF8(PyTuple_GetItem(v, 0));
                if (name == NULL) return -1;
                build_converter conv = strcmp(name, "int") == 0 ? conv_int
                                       : strcmp(name, "fail") == 0 ? conv_fail : conv_null;
                a->converter_args[nc] = PyLong_AsLong(PyTuple_GetItem(v, 1));
                if (add_g(a, (long)conv) < 0 || add_g(a, (long)&a->converter_args[nc++]) < 0)
                    return -1;
                break;
            }
            if (v == Py_Ellipsis) {
                if (add_g(a, 0) < 0) return -1;   /* Ellipsis stands for NULL */
                break;
            }
            if (c == 'N') {
                a->owned[a->nowned++] = Py_NewRef(v);
            }
            if (add_g(a, (long)v) < 0) return -1;
            break;
        default:
            break;
        }
    }
    if (vi != PyTuple_GET_SIZE(values)) {
        PyErr_SetString(PyExc_ValueError, "test: more values than the format uses");
        return -1;
    }
    return 0;
}

#define G(i) a.g[i]
#define GS G(0), G(1), G(2), G(3), G(4), G(5), G(6), G(7), G(8), G(9), G(10), G(11), G(12), \
    G(13), G(14), G(15), G(16), G(17), G(18), G(19), G(20), G(21), G(22), G(23), G(24), G(25), \
    G(26), G(27), G(28), G(29), G(30), G(31)
#define DS a.d[0], a.d[1], a.d[2], a.d[3], a.d[4], a.d[5], a.d[6], a.d[7]

static PyObject *
va_build(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *r = Py_VaBuildValue(format, va);
    va_end(va);
    return r;
}

static PyObject *compat_build(const char *mode, const char *format, Args *a);

/* build(mode, format, values): mode "plain", "va", or "compat" (the
 * functions without PY_SSIZE_T_CLEAN). */
static PyObject *
build(PyObject *self, PyObject *args)
{
    static Args a;
    const char *mode = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 0));
    const char *format = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 1));
    PyObject *values = PyTuple_GET_ITEM(args, 2);
    if (mode == NULL || format == NULL)
        return NULL;
    if (collect(format, values, &a) < 0) {
        for (int i = 0; i < a.nowned; i++)
            Py_DECREF(a.owned[i]);
        return NULL;
    }
    if (strcmp(mode, "plain") == 0)
        return Py_BuildValue(format, GS, DS);
    if (strcmp(mode, "va") == 0)
        return va_build(format, GS, DS);
    return compat_build(mode, format, &a);
}

static PyObject *
get_converter_log(PyObject *self, PyObject *unused)
{
    PyObject *old = converter_log;
    converter_log = PyList_New(0);
    return old;
}

/* --- literal calls ------------------------------------------------------------- */

static PyObject *
documented(PyObject *self, PyObject *unused)
{
    /* The examples of the documentation, in order. */
    PyObject *r = PyList_New(0);
    PyObject *items[] = {
        Py_BuildValue(""),
        Py_BuildValue("i", 123),
        Py_BuildValue("iii", 123, 456, 789),
        Py_BuildValue("s", "hello"),
        Py_BuildValue("y", "hello"),
        Py_BuildValue("ss", "hello", "world"),
        Py_BuildValue("s#", "hello", (Py_ssize_t)4),
        Py_BuildValue("y#", "hello", (Py_ssize_t)4),
        Py_BuildValue("()"),
        Py_BuildValue("(i)", 123),
        Py_BuildValue("(ii)", 123, 456),
        Py_BuildValue("(i,i)", 123, 456),
        Py_BuildValue("[i,i]", 123, 456),
        Py_BuildValue("{s:i,s:i}", "abc", 123, "def", 456),
        Py_BuildValue("((ii)(ii)) (ii)", 1, 2, 3, 4, 5, 6),
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        if (items[i] == NULL) {
            Py_DECREF(r);
            return NULL;
        }
        PyList_Append(r, items[i]);
        Py_DECREF(items[i]);
    }
    return r;
}

static PyObject *
typed(PyObject *self, PyObject *unused)
{
    /* every unit with values of its own C type */
    Py_complex z = {1.5, -2.0};
    wchar_t wide[] = L"w\u00e9de";
    return Py_BuildValue("(bBhHiIlkLKn)(cC)(fdD)(sz#yU)(u#u)(zy#)",
                         (char)-1, (unsigned char)255, (short)-32768, (unsigned short)65535,
                         INT_MIN, UINT_MAX, LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX,
                         PY_SSIZE_T_MAX, 'x', 0x1F600, 0.1f, 2.5, &z, "h\xc3\xa9", "abc",
                         (Py_ssize_t)2, "b\0y", "u", wide, (Py_ssize_t)3, wide, NULL, NULL,
                         (Py_ssize_t)0);
}

static PyObject *
steal(PyObject *self, PyObject *obj)
{
    /* N steals the reference, O takes a new one: the count goes up by one */
    Py_ssize_t before = Py_REFCNT(obj);
    PyObject *r = Py_BuildValue("(NO)", Py_NewRef(obj), obj);
    if (r == NULL)
        return NULL;
    Py_ssize_t during = Py_REFCNT(obj);
    Py_DECREF(r);
    Py_ssize_t after = Py_REFCNT(obj);
    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, PyLong_FromSsize_t(during - before));
    PyTuple_SET_ITEM(t, 1, PyLong_FromSsize_t(after - before));
    return t;
}

static PyObject *
steal_on_failure(PyObject *self, PyObject *obj)
{
    /* a failing unit before an N unit: N's reference is still released */
    Py_ssize_t before = Py_REFCNT(obj);
    PyObject *r = Py_BuildValue("(iON)", 1, (PyObject *)NULL, Py_NewRef(obj));
    if (r != NULL || !PyErr_Occurred()) {
        Py_XDECREF(r);
        PyErr_SetString(PyExc_AssertionError, "expected a failure");
        return NULL;
    }
    PyObject *type, *value, *tb;
    PyErr_Fetch(&type, &value, &tb);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    return PyLong_FromSsize_t(Py_REFCNT(obj) - before);
}

static PyObject *
null_with_error(PyObject *self, PyObject *unused)
{
    /* O given NULL while an exception is set: that exception propagates */
    PyErr_SetString(PyExc_KeyError, "from before");
    return Py_BuildValue("(iO)", 1, (PyObject *)NULL);
}

static PyMethodDef methods[] = {
    {"build", build, METH_VARARGS, NULL},
    {"converter_log", get_converter_log, METH_NOARGS, NULL},
    {"documented", documented, METH_NOARGS, NULL},
    {"typed", typed, METH_NOARGS, NULL},
    {"steal", steal, METH_O, NULL},
    {"steal_on_failure", steal_on_failure, METH_O, NULL},
    {"null_with_error", null_with_error, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "buildvalue_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_buildvalue_ext(void)
{
    converter_log = PyList_New(0);
    if (converter_log == NULL)
        return NULL;
    return PyModule_Create(&moduledef);
}

/* Without PY_SSIZE_T_CLEAN: the plain symbols. */
#undef Py_BuildValue
#undef Py_VaBuildValue
PyAPI_FUNC(PyObject *) Py_BuildValue(const char *, ...);

static PyObject *
compat_build(const char *mode, const char *format, Args *ap)
{
    Args a = *ap;
    if (strcmp(mode, "compat") == 0)
        return Py_BuildValue(format, GS, DS);
    PyErr_SetString(PyExc_ValueError, "test: unknown mode");
    return NULL;
}
