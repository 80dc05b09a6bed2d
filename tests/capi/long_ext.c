/* int (PyLong) conformance tests: constructors, every As* conversion with
 * its boundaries and error paths, PyLong_FromString and the type checks. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#define ARG(i) PyTuple_GET_ITEM(args, (i))

/* The raw C value the last As* call returned, kept so the script can check
 * the documented error sentinel (-1, (unsigned)-1, -1.0) after an error. */
enum { RAW_NONE, RAW_SIGNED, RAW_UNSIGNED, RAW_DOUBLE };
static int last_kind = RAW_NONE;
static long long last_signed;
static unsigned long long last_unsigned;
static double last_double;

static void set_signed(long long v) { last_kind = RAW_SIGNED; last_signed = v; }
static void set_unsigned(unsigned long long v) { last_kind = RAW_UNSIGNED; last_unsigned = v; }
static void set_double(double v) { last_kind = RAW_DOUBLE; last_double = v; }

static PyObject *
l_last_raw(PyObject *self, PyObject *unused)
{
    switch (last_kind) {
    case RAW_SIGNED: return PyLong_FromLongLong(last_signed);
    case RAW_UNSIGNED: return PyLong_FromUnsignedLongLong(last_unsigned);
    case RAW_DOUBLE: return PyFloat_FromDouble(last_double);
    default: Py_RETURN_NONE;
    }
}

/* ---- constructors from C constants ---- */

static PyObject *
l_limits(PyObject *self, PyObject *unused)
{
    PyObject *t = PyTuple_New(12);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(LONG_MAX));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(LONG_MIN));
    PyTuple_SET_ITEM(t, 2, PyLong_FromUnsignedLong(ULONG_MAX));
    PyTuple_SET_ITEM(t, 3, PyLong_FromLongLong(LLONG_MAX));
    PyTuple_SET_ITEM(t, 4, PyLong_FromLongLong(LLONG_MIN));
    PyTuple_SET_ITEM(t, 5, PyLong_FromUnsignedLongLong(ULLONG_MAX));
    PyTuple_SET_ITEM(t, 6, PyLong_FromSsize_t(PY_SSIZE_T_MAX));
    PyTuple_SET_ITEM(t, 7, PyLong_FromSsize_t(PY_SSIZE_T_MIN));
    PyTuple_SET_ITEM(t, 8, PyLong_FromSize_t(SIZE_MAX));
    PyTuple_SET_ITEM(t, 9, PyLong_FromLong(-1));
    PyTuple_SET_ITEM(t, 10, PyLong_FromUnsignedLong(0));
    PyTuple_SET_ITEM(t, 11, PyLong_FromSize_t(0));
    return t;
}

static PyObject *
l_small_values(PyObject *self, PyObject *unused)
{
    PyObject *t = PyTuple_New(10);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(0));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(1));
    PyTuple_SET_ITEM(t, 2, PyLong_FromLong(-5));
    PyTuple_SET_ITEM(t, 3, PyLong_FromLong(256));
    PyTuple_SET_ITEM(t, 4, PyLong_FromLong(257));
    PyTuple_SET_ITEM(t, 5, PyLong_FromLongLong(-1234567890123LL));
    PyTuple_SET_ITEM(t, 6, PyLong_FromUnsignedLong(4000000000UL));
    PyTuple_SET_ITEM(t, 7, PyLong_FromUnsignedLongLong(1ULL << 63));
    PyTuple_SET_ITEM(t, 8, PyLong_FromSsize_t(-42));
    PyTuple_SET_ITEM(t, 9, PyLong_FromSize_t((size_t)1 << 40));
    return t;
}

/* Round-trips through C: the argument is converted with the matching As*
 * first, then handed to the From* function. */
static PyObject *
l_from_long(PyObject *self, PyObject *o)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(v);
}

static PyObject *
l_from_unsigned_long(PyObject *self, PyObject *o)
{
    unsigned long v = PyLong_AsUnsignedLong(o);
    if (v == (unsigned long)-1 && PyErr_Occurred()) return NULL;
    return PyLong_FromUnsignedLong(v);
}

static PyObject *
l_from_double(PyObject *self, PyObject *o)
{
    double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) return NULL;
    return PyLong_FromDouble(d);
}

static PyObject *
l_from_double_type_is_int(PyObject *self, PyObject *o)
{
    double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) return NULL;
    PyObject *r = PyLong_FromDouble(d);
    if (r == NULL) return NULL;
    int exact = PyLong_CheckExact(r) && Py_TYPE(r) == &PyLong_Type;
    Py_DECREF(r);
    return PyBool_FromLong(exact);
}

/* ---- As* conversions ---- */

static PyObject *
l_as_long(PyObject *self, PyObject *o)
{
    long v = PyLong_AsLong(o);
    set_signed(v);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromLong(v);
}

static PyObject *
l_as_long_long(PyObject *self, PyObject *o)
{
    long long v = PyLong_AsLongLong(o);
    set_signed(v);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromLongLong(v);
}

static PyObject *
l_as_ssize_t(PyObject *self, PyObject *o)
{
    Py_ssize_t v = PyLong_AsSsize_t(o);
    set_signed(v);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromSsize_t(v);
}

static PyObject *
l_as_unsigned_long(PyObject *self, PyObject *o)
{
    unsigned long v = PyLong_AsUnsignedLong(o);
    set_unsigned(v);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromUnsignedLong(v);
}

static PyObject *
l_as_unsigned_long_mask(PyObject *self, PyObject *o)
{
    unsigned long v = PyLong_AsUnsignedLongMask(o);
    set_unsigned(v);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromUnsignedLong(v);
}

static PyObject *
l_as_unsigned_long_long_mask(PyObject *self, PyObject *o)
{
    unsigned long long v = PyLong_AsUnsignedLongLongMask(o);
    set_unsigned(v);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromUnsignedLongLong(v);
}

static PyObject *
l_as_unsigned_long_long(PyObject *self, PyObject *o)
{
    unsigned long long v = PyLong_AsUnsignedLongLong(o);
    set_unsigned(v);
    if (PyErr_Occurred()) return NULL;
    return PyLong_FromUnsignedLongLong(v);
}

static PyObject *
l_as_double(PyObject *self, PyObject *o)
{
    double v = PyLong_AsDouble(o);
    set_double(v);
    if (PyErr_Occurred()) return NULL;
    return PyFloat_FromDouble(v);
}

/* Returns (value, overflow). */
static PyObject *
l_as_long_and_overflow(PyObject *self, PyObject *o)
{
    int overflow = 12345;  /* must be overwritten */
    long v = PyLong_AsLongAndOverflow(o, &overflow);
    set_signed(v);
    if (PyErr_Occurred()) {
        set_signed(overflow);  /* on error report what overflow was set to */
        return NULL;
    }
    PyObject *t = PyTuple_New(2);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyLong_FromLong(v));
    PyTuple_SET_ITEM(t, 1, PyLong_FromLong(overflow));
    return t;
}

/* ---- PyLong_FromString ---- */

static char last_end[512];
static int last_end_set;

/* from_string(s, base): s is a str (its UTF-8 is parsed) or bytes (parsed
 * as-is). The remaining text after *end is stored for last_end(). */
static PyObject *
l_from_string(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "from_string(s, base)");
        return NULL;
    }
    PyObject *s = ARG(0);
    const char *text;
    if (PyBytes_Check(s)) {
        text = PyBytes_AsString(s);
    } else {
        text = PyUnicode_AsUTF8(s);
    }
    if (text == NULL) return NULL;
    long base = PyLong_AsLong(ARG(1));
    if (base == -1 && PyErr_Occurred()) return NULL;
    char *end = NULL;
    PyObject *r = PyLong_FromString(text, &end, (int)base);
    last_end_set = (end != NULL);
    last_end[0] = '\0';
    if (end != NULL) {
        if (end < text || end > text + strlen(text)) {
            strcpy(last_end, "<end out of range>");
        } else {
            strncpy(last_end, end, sizeof(last_end) - 1);
            last_end[sizeof(last_end) - 1] = '\0';
        }
    }
    return r;
}

static PyObject *
l_from_string_no_end(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "from_string_no_end(s, base)");
        return NULL;
    }
    const char *text = PyUnicode_AsUTF8(ARG(0));
    if (text == NULL) return NULL;
    long base = PyLong_AsLong(ARG(1));
    if (base == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromString(text, NULL, (int)base);
}

static PyObject *
l_last_end(PyObject *self, PyObject *unused)
{
    if (!last_end_set) Py_RETURN_NONE;
    /* bytes: the rest may not be valid UTF-8 */
    return PyBytes_FromString(last_end);
}

/* Parse a number embedded in a longer C buffer: "0x1F rest". Returns
 * (value, offset of end from start). */
static PyObject *
l_from_string_offset(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "from_string_offset(s, base)");
        return NULL;
    }
    const char *text = PyUnicode_AsUTF8(ARG(0));
    if (text == NULL) return NULL;
    long base = PyLong_AsLong(ARG(1));
    if (base == -1 && PyErr_Occurred()) return NULL;
    char *end = NULL;
    PyObject *r = PyLong_FromString(text, &end, (int)base);
    if (r == NULL) return NULL;
    PyObject *t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(r);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, r);
    PyTuple_SET_ITEM(t, 1, PyLong_FromSsize_t(end == NULL ? -1 : (Py_ssize_t)(end - text)));
    return t;
}

/* ---- checks ---- */

static PyObject *
l_check(PyObject *self, PyObject *o)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(PyLong_Check(o)));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(PyLong_CheckExact(o)));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(Py_TYPE(o) == &PyLong_Type));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(Py_TYPE(o) == &PyBool_Type));
    return t;
}

static PyObject *
l_refcnt_positive(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(Py_REFCNT(o) >= 1);
}

/* Arithmetic done in C on converted values: (a*b) computed as long long,
 * to check values survive round trips. */
static PyObject *
l_mul_ll(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "mul_ll(a, b)");
        return NULL;
    }
    long long a = PyLong_AsLongLong(ARG(0));
    if (a == -1 && PyErr_Occurred()) return NULL;
    long long b = PyLong_AsLongLong(ARG(1));
    if (b == -1 && PyErr_Occurred()) return NULL;
    long long r;
    if (__builtin_mul_overflow(a, b, &r)) {
        PyErr_SetString(PyExc_OverflowError, "product overflows long long (from C)");
        return NULL;
    }
    return PyLong_FromLongLong(r);
}

static PyMethodDef methods[] = {
    {"last_raw", l_last_raw, METH_NOARGS, NULL},
    {"limits", l_limits, METH_NOARGS, NULL},
    {"small_values", l_small_values, METH_NOARGS, NULL},
    {"from_long", l_from_long, METH_O, NULL},
    {"from_unsigned_long", l_from_unsigned_long, METH_O, NULL},
    {"from_double", l_from_double, METH_O, NULL},
    {"from_double_type_is_int", l_from_double_type_is_int, METH_O, NULL},
    {"as_long", l_as_long, METH_O, NULL},
    {"as_long_long", l_as_long_long, METH_O, NULL},
    {"as_ssize_t", l_as_ssize_t, METH_O, NULL},
    {"as_unsigned_long", l_as_unsigned_long, METH_O, NULL},
    {"as_unsigned_long_mask", l_as_unsigned_long_mask, METH_O, NULL},
    {"as_unsigned_long_long", l_as_unsigned_long_long, METH_O, NULL},
    {"as_unsigned_long_long_mask", l_as_unsigned_long_long_mask, METH_O, NULL},
    {"as_double", l_as_double, METH_O, NULL},
    {"as_long_and_overflow", l_as_long_and_overflow, METH_O, NULL},
    {"from_string", l_from_string, METH_VARARGS, NULL},
    {"from_string_no_end", l_from_string_no_end, METH_VARARGS, NULL},
    {"from_string_offset", l_from_string_offset, METH_VARARGS, NULL},
    {"last_end", l_last_end, METH_NOARGS, NULL},
    {"check", l_check, METH_O, NULL},
    {"refcnt_positive", l_refcnt_positive, METH_O, NULL},
    {"mul_ll", l_mul_ll, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "long_ext",
    "PyLong conformance tests",
    -1,
    methods
};

PyMODINIT_FUNC
PyInit_long_ext(void)
{
    return PyModule_Create(&moduledef);
}
