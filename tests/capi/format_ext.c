/* PyUnicode_FromFormat, PyErr_Format, PyOS_snprintf and the warning
 * functions: literal calls, and a generic from_format(format, values) for
 * table-driven tests.
 *
 * The generic entry point relies on the x86-64 System V calling
 * convention: every argument a '%' conversion takes is an integer or a
 * pointer, each travels in an 8-byte slot, so one call with 24 slots serves
 * any format with at most 24 arguments (an int read with va_arg(int) may be
 * passed as a long). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if !defined(__x86_64__)
#error "format_ext.c's generic calls assume the x86-64 System V calling convention"
#endif

#define NSLOT 24

typedef struct {
    long slot[NSLOT];
    int n;
} Args;

static int
push(Args *a, long v)
{
    if (a->n >= NSLOT) {
        PyErr_SetString(PyExc_ValueError, "test: too many arguments");
        return -1;
    }
    a->slot[a->n++] = v;
    return 0;
}

static long
bits(PyObject *v)
{
    long r = PyLong_AsLong(v);
    if (r == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        r = (long)PyLong_AsUnsignedLongMask(v);
    }
    return r;
}

/* One value per argument-taking conversion: an int for c d i u x p, bytes
 * or None (NULL) for s, an object or Ellipsis (NULL) for U S R A, and
 * (object or Ellipsis, bytes or None) for V. */
static int
collect(const char *f, PyObject *values, Args *a)
{
    Py_ssize_t vi = 0, nv = PyTuple_GET_SIZE(values);
    a->n = 0;
    memset(a->slot, 0, sizeof(a->slot));
    while (*f) {
        if (*f++ != '%')
            continue;
        while (*f == '-' || *f == '0' || *f == '+' || *f == ' ' || *f == '#')
            f++;
        while (*f >= '0' && *f <= '9')
            f++;
        if (*f == '.') {
            f++;
            while (*f >= '0' && *f <= '9')
                f++;
        }
        while (*f == 'l' || *f == 'z' || *f == 'h' || *f == 't' || *f == 'j')
            f++;
        char c = *f;
        if (c == '\0')
            break;
        f++;
        if (strchr("cdiuxXopsUSRAV", c) == NULL)
            continue;
        if (vi >= nv) {
            PyErr_SetString(PyExc_ValueError, "test: not enough values");
            return -1;
        }
        PyObject *v = PyTuple_GET_ITEM(values, vi++);
        switch (c) {
        case 's':
            if (push(a, v == Py_None ? 0 : (long)PyBytes_AsString(v)) < 0) return -1;
            break;
        case 'U': case 'S': case 'R': case 'A':
            if (push(a, v == Py_Ellipsis ? 0 : (long)v) < 0) return -1;
            break;
        case 'V': {
            PyObject *o = PyTuple_GetItem(v, 0), *s = PyTuple_GetItem(v, 1);
            if (o == NULL || s == NULL) return -1;
            if (push(a, o == Py_Ellipsis ? 0 : (long)o) < 0) return -1;
            if (push(a, s == Py_None ? 0 : (long)PyBytes_AsString(s)) < 0) return -1;
            break;
        }
        default:
            if (push(a, bits(v)) < 0) return -1;
        }
        if (PyErr_Occurred())
            return -1;
    }
    if (vi != nv) {
        PyErr_SetString(PyExc_ValueError, "test: more values than the format uses");
        return -1;
    }
    return 0;
}

#define S(i) a.slot[i]
#define SLOTS S(0), S(1), S(2), S(3), S(4), S(5), S(6), S(7), S(8), S(9), S(10), S(11), \
    S(12), S(13), S(14), S(15), S(16), S(17), S(18), S(19), S(20), S(21), S(22), S(23)

static PyObject *
va_from_format(const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *r = PyUnicode_FromFormatV(format, va);
    va_end(va);
    return r;
}

static PyObject *
va_err_format(PyObject *exc, const char *format, ...)
{
    va_list va;
    va_start(va, format);
    PyObject *r = PyErr_FormatV(exc, format, va);
    va_end(va);
    return r;
}

/* from_format(mode, format, values): mode "plain" or "va" */
static PyObject *
from_format(PyObject *self, PyObject *args)
{
    static Args a;
    const char *mode = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 0));
    const char *format = PyBytes_AsString(PyTuple_GET_ITEM(args, 1));
    if (mode == NULL || format == NULL || collect(format, PyTuple_GET_ITEM(args, 2), &a) < 0)
        return NULL;
    if (strcmp(mode, "va") == 0)
        return va_from_format(format, SLOTS);
    return PyUnicode_FromFormat(format, SLOTS);
}

/* err_format(mode, exception, format, values): the exception PyErr_Format
 * sets, with a check that it returned NULL. */
static PyObject *
err_format(PyObject *self, PyObject *args)
{
    static Args a;
    const char *mode = PyUnicode_AsUTF8(PyTuple_GET_ITEM(args, 0));
    PyObject *exc = PyTuple_GET_ITEM(args, 1);
    const char *format = PyBytes_AsString(PyTuple_GET_ITEM(args, 2));
    if (mode == NULL || format == NULL || collect(format, PyTuple_GET_ITEM(args, 3), &a) < 0)
        return NULL;
    PyObject *r = strcmp(mode, "va") == 0 ? va_err_format(exc, format, SLOTS)
                                          : PyErr_Format(exc, format, SLOTS);
    if (r != NULL) {
        Py_DECREF(r);
        PyErr_SetString(PyExc_AssertionError, "PyErr_Format returned non-NULL");
        return NULL;
    }
    if (!PyErr_Occurred())
        PyErr_SetString(PyExc_AssertionError, "PyErr_Format set nothing");
    return NULL;
}

/* snprintf(size, format, values): (return value, buffer contents) */
static PyObject *
os_snprintf(PyObject *self, PyObject *args)
{
    static Args a;
    char buffer[64];
    Py_ssize_t size = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 0));
    const char *format = PyBytes_AsString(PyTuple_GET_ITEM(args, 1));
    if (format == NULL || size < 1 || size > 64 || collect(format, PyTuple_GET_ITEM(args, 2), &a) < 0) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError, "test: bad snprintf arguments");
        return NULL;
    }
    memset(buffer, '#', sizeof(buffer));
    int r = PyOS_snprintf(buffer, (size_t)size, format, SLOTS);
    PyObject *t = PyTuple_New(3);
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(r));
    PyTuple_SET_ITEM(t, 1, PyBytes_FromString(buffer));
    /* what lies beyond `size` is untouched */
    PyTuple_SET_ITEM(t, 2, PyBytes_FromStringAndSize(buffer + size, size < 64 ? 1 : 0));
    return t;
}

/* warn_format(category or None, stack_level, format, values) -> status */
static PyObject *
warn_format(PyObject *self, PyObject *args)
{
    static Args a;
    PyObject *category = PyTuple_GET_ITEM(args, 0);
    Py_ssize_t level = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 1));
    const char *format = PyBytes_AsString(PyTuple_GET_ITEM(args, 2));
    if (format == NULL || collect(format, PyTuple_GET_ITEM(args, 3), &a) < 0)
        return NULL;
    int r = PyErr_WarnFormat(category == Py_None ? NULL : category, level, format, SLOTS);
    if (r < 0)
        return NULL;
    return PyLong_FromLong(r);
}

/* warn_explicit(category or None, message, filename, lineno, module or None,
 * registry or None) -> status */
static PyObject *
warn_explicit(PyObject *self, PyObject *args)
{
    PyObject *category, *registry, *module;
    const char *message, *filename;
    int lineno;
    if (!PyArg_ParseTuple(args, "OyyiOO", &category, &message, &filename, &lineno, &module, &registry))
        return NULL;
    const char *module_name = module == Py_None ? NULL : PyBytes_AsString(module);
    int r = PyErr_WarnExplicit(category == Py_None ? NULL : category, message, filename, lineno,
                               module_name, registry == Py_None ? NULL : registry);
    if (r < 0)
        return NULL;
    return PyLong_FromLong(r);
}

static PyObject *
literal(PyObject *self, PyObject *obj)
{
    /* the calls extensions write, with C types of every width */
    return PyUnicode_FromFormat(
        "%d|%i|%u|%ld|%li|%lu|%lld|%lli|%llu|%zd|%zi|%zu|%x|%c|%s|%U|%S|%R|%A|%V|%V|%%|%5d|%-5d|%05d|%.3s|%10.2U|%.1R",
        -1, 2, 3U, -4L, 5L, 6UL, -7LL, 8LL, 9ULL, (Py_ssize_t)-10, (Py_ssize_t)11, (size_t)12, 255,
        0xE9, "s\xc3\xa9", obj, obj, obj, obj, obj, "unused", (PyObject *)NULL, "fallback", 42, 42, 42,
        "truncate", obj, obj);
}

static PyObject *
literal_error(PyObject *self, PyObject *obj)
{
    return PyErr_Format(PyExc_TypeError, "expected %s, got %.50s (%R)", "int", Py_TYPE(obj)->tp_name, obj);
}

static PyObject *
literal_snprintf(PyObject *self, PyObject *unused)
{
    char buffer[16];
    int r = PyOS_snprintf(buffer, sizeof(buffer), "%s=%d/%.2f", "value", 12345, 2.5);
    PyObject *t = PyTuple_New(2);
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(r));
    PyTuple_SET_ITEM(t, 1, PyBytes_FromString(buffer));
    return t;
}

static PyMethodDef methods[] = {
    {"from_format", from_format, METH_VARARGS, NULL},
    {"err_format", err_format, METH_VARARGS, NULL},
    {"snprintf", os_snprintf, METH_VARARGS, NULL},
    {"warn_format", warn_format, METH_VARARGS, NULL},
    {"warn_explicit", warn_explicit, METH_VARARGS, NULL},
    {"literal", literal, METH_O, NULL},
    {"literal_error", literal_error, METH_O, NULL},
    {"literal_snprintf", literal_snprintf, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "format_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_format_ext(void)
{
    return PyModule_Create(&moduledef);
}
