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

/* ---- the digit representation (cpython/longintrepr.h) ---- */

/* (Py_SIZE, [digits]) read straight from the object. */
static PyObject *
n_digits(PyObject *self, PyObject *o)
{
    if (!PyLong_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "digits needs an int");
        return NULL;
    }
    Py_ssize_t size = Py_SIZE(o);
    Py_ssize_t n = size < 0 ? -size : size;
    PyObject *list = PyList_New(n);
    if (list == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        PyList_SET_ITEM(list, i, PyLong_FromUnsignedLong(((PyLongObject *)o)->ob_digit[i]));
    return Py_BuildValue("(nN)", size, list);
}

static PyObject *
n_repr_constants(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(iKKiiii)", PyLong_SHIFT, (unsigned long long)PyLong_BASE, (unsigned long long)PyLong_MASK,
                         (int)sizeof(digit), (int)sizeof(twodigits), (int)sizeof(sdigit), (int)sizeof(stwodigits));
}

/* The int computed from its digits in C, as Cython's fast path does. */
static PyObject *
n_value_from_digits(PyObject *self, PyObject *o)
{
    Py_ssize_t size = Py_SIZE(o);
    const digit *d = ((PyLongObject *)o)->ob_digit;
    long long v;
    switch (size) {
    case 0: v = 0; break;
    case 1: v = (long long)d[0]; break;
    case -1: v = -(long long)d[0]; break;
    case 2: v = (long long)(((twodigits)d[1] << PyLong_SHIFT) | d[0]); break;
    case -2: v = -(long long)(((twodigits)d[1] << PyLong_SHIFT) | d[0]); break;
    default: return PyUnicode_FromString("long path");
    }
    return PyLong_FromLongLong(v);
}

static PyObject *
n_void_ptr(PyObject *self, PyObject *o)
{
    void *p = PyLong_AsVoidPtr(o);
    if (p == NULL && PyErr_Occurred()) return NULL;
    return PyLong_FromVoidPtr(p);
}

static PyObject *
n_as_size_t(PyObject *self, PyObject *o)
{
    size_t v = PyLong_AsSize_t(o);
    if (v == (size_t)-1 && PyErr_Occurred()) return NULL;
    return PyLong_FromSize_t(v);
}

static PyObject *
n_get_info(PyObject *self, PyObject *unused)
{
    return PyLong_GetInfo();
}

static PyObject *
n_from_unicode(PyObject *self, PyObject *args)
{
    PyObject *u;
    int base;
    if (!PyArg_ParseTuple(args, "Ui", &u, &base)) return NULL;
    return PyLong_FromUnicodeObject(u, base);
}

/* (value, bytes consumed, ERANGE) for PyOS_strtol (signed) or PyOS_strtoul. */
static PyObject *
n_strtol(PyObject *self, PyObject *args)
{
    const char *s;
    int base, is_signed;
    if (!PyArg_ParseTuple(args, "yii", &s, &base, &is_signed)) return NULL;
    char *end = NULL;
    errno = 0;
    PyObject *value = is_signed ? PyLong_FromLong(PyOS_strtol(s, &end, base))
                                : PyLong_FromUnsignedLong(PyOS_strtoul(s, &end, base));
    int range = errno == ERANGE;
    return Py_BuildValue("(Nni)", value, (Py_ssize_t)(end - s), range);
}

/* Each unsigned O& converter on o: a tuple of results or exception names. */
static PyObject *
n_converters(PyObject *self, PyObject *o)
{
    unsigned short us; unsigned int ui; unsigned long ul; unsigned long long ull; size_t sz;
    PyObject *results = PyList_New(0);
    if (results == NULL) return NULL;
#define TRY_CONVERTER(fn, var, make) do { \
        PyObject *item; \
        if (fn(o, &var)) { \
            item = make; \
        } else { \
            PyObject *et, *ev, *tb; \
            PyErr_Fetch(&et, &ev, &tb); \
            PyErr_NormalizeException(&et, &ev, &tb); \
            item = PyUnicode_FromFormat("%s: %S", ((PyTypeObject *)et)->tp_name, ev); \
            Py_XDECREF(et); Py_XDECREF(ev); Py_XDECREF(tb); \
        } \
        if (item == NULL || PyList_Append(results, item) < 0) { Py_XDECREF(item); Py_DECREF(results); return NULL; } \
        Py_DECREF(item); \
    } while (0)
    TRY_CONVERTER(_PyLong_UnsignedShort_Converter, us, PyLong_FromUnsignedLong(us));
    TRY_CONVERTER(_PyLong_UnsignedInt_Converter, ui, PyLong_FromUnsignedLong(ui));
    TRY_CONVERTER(_PyLong_UnsignedLong_Converter, ul, PyLong_FromUnsignedLong(ul));
    TRY_CONVERTER(_PyLong_UnsignedLongLong_Converter, ull, PyLong_FromUnsignedLongLong(ull));
    TRY_CONVERTER(_PyLong_Size_t_Converter, sz, PyLong_FromSize_t(sz));
#undef TRY_CONVERTER
    return results;
}

static PyObject *
n_frexp(PyObject *self, PyObject *o)
{
    Py_ssize_t e = -7;
    double x = _PyLong_Frexp((PyLongObject *)o, &e);
    if (x == -1.0 && PyErr_Occurred()) return NULL;
    return Py_BuildValue("(dn)", x, e);
}

static PyObject *
n_from_bytes(PyObject *self, PyObject *args)
{
    const char *s;
    Py_ssize_t n;
    int base;
    if (!PyArg_ParseTuple(args, "y#i", &s, &n, &base)) return NULL;
    return _PyLong_FromBytes(s, n, base);
}

static PyObject *
n_sign_bits(PyObject *self, PyObject *o)
{
    return Py_BuildValue("(in)", _PyLong_Sign(o), (Py_ssize_t)_PyLong_NumBits(o));
}

static PyObject *
n_divmod_near(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) return NULL;
    return _PyLong_DivmodNear(a, b);
}

static PyObject *
n_as_byte_array(PyObject *self, PyObject *args)
{
    PyObject *v;
    Py_ssize_t n;
    int little, is_signed;
    if (!PyArg_ParseTuple(args, "Onii", &v, &n, &little, &is_signed)) return NULL;
    unsigned char buffer[64];
    memset(buffer, 0xAA, sizeof(buffer));
    if (_PyLong_AsByteArray((PyLongObject *)v, buffer, (size_t)n, little, is_signed) < 0) return NULL;
    return PyBytes_FromStringAndSize((char *)buffer, n);
}

static PyObject *
n_format(PyObject *self, PyObject *args)
{
    PyObject *v;
    int base;
    if (!PyArg_ParseTuple(args, "Oi", &v, &base)) return NULL;
    return _PyLong_Format(v, base);
}

static PyObject *
n_gcd(PyObject *self, PyObject *args)
{
    PyObject *a, *b;
    if (!PyArg_ParseTuple(args, "OO", &a, &b)) return NULL;
    return _PyLong_GCD(a, b);
}

static PyObject *
n_shift(PyObject *self, PyObject *args)
{
    PyObject *a;
    Py_ssize_t by;
    int left;
    if (!PyArg_ParseTuple(args, "Oni", &a, &by, &left)) return NULL;
    return left ? _PyLong_Lshift(a, (size_t)by) : _PyLong_Rshift(a, (size_t)by);
}

static PyObject *
n_copy(PyObject *self, PyObject *o)
{
    return _PyLong_Copy((PyLongObject *)o);
}

static PyObject *
n_pid(PyObject *self, PyObject *o)
{
    pid_t pid = PyLong_AsPid(o);
    if (pid == -1 && PyErr_Occurred()) return NULL;
    return Py_BuildValue("(Ns)", PyLong_FromPid(pid), _Py_PARSE_PID);
}

/* _PyLong_New(len(digits)), filled in C, with Py_SIZE negated when negative;
 * with peek, PyLong_AsLongLong is called on it before it is returned. */
static PyObject *
n_new(PyObject *self, PyObject *args)
{
    PyObject *digits;
    int negative, peek;
    if (!PyArg_ParseTuple(args, "O!ii", &PyList_Type, &digits, &negative, &peek)) return NULL;
    Py_ssize_t n = PyList_GET_SIZE(digits);
    PyLongObject *v = _PyLong_New(n);
    if (v == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long d = PyLong_AsUnsignedLong(PyList_GET_ITEM(digits, i));
        if (d == (unsigned long)-1 && PyErr_Occurred()) { Py_DECREF(v); return NULL; }
        v->ob_digit[i] = (digit)d;
    }
    if (negative) Py_SET_SIZE(v, -n);
    if (peek) {
        long long seen = PyLong_AsLongLong((PyObject *)v);
        if (seen == -1 && PyErr_Occurred()) { Py_DECREF(v); return NULL; }
        return Py_BuildValue("(NL)", (PyObject *)v, seen);
    }
    return (PyObject *)v;
}

static PyObject *
n_new_too_big(PyObject *self, PyObject *unused)
{
    return (PyObject *)_PyLong_New(PY_SSIZE_T_MAX);
}

static PyMethodDef methods[] = {
    {"new", n_new, METH_VARARGS, NULL},
    {"new_too_big", n_new_too_big, METH_NOARGS, NULL},
    {"digits", n_digits, METH_O, NULL},
    {"repr_constants", n_repr_constants, METH_NOARGS, NULL},
    {"value_from_digits", n_value_from_digits, METH_O, NULL},
    {"void_ptr", n_void_ptr, METH_O, NULL},
    {"as_size_t", n_as_size_t, METH_O, NULL},
    {"get_info", n_get_info, METH_NOARGS, NULL},
    {"from_unicode", n_from_unicode, METH_VARARGS, NULL},
    {"strtol", n_strtol, METH_VARARGS, NULL},
    {"converters", n_converters, METH_O, NULL},
    {"frexp", n_frexp, METH_O, NULL},
    {"from_bytes", n_from_bytes, METH_VARARGS, NULL},
    {"sign_bits", n_sign_bits, METH_O, NULL},
    {"divmod_near", n_divmod_near, METH_VARARGS, NULL},
    {"as_byte_array", n_as_byte_array, METH_VARARGS, NULL},
    {"format", n_format, METH_VARARGS, NULL},
    {"gcd", n_gcd, METH_VARARGS, NULL},
    {"shift", n_shift, METH_VARARGS, NULL},
    {"copy", n_copy, METH_O, NULL},
    {"pid", n_pid, METH_O, NULL},
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
