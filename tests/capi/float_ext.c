/* float, bool, None and the other singletons (NotImplemented, Ellipsis). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>

#define ARG(i) PyTuple_GET_ITEM(args, (i))

static double last_raw;

static PyObject *
f_last_raw(PyObject *self, PyObject *unused)
{
    return PyFloat_FromDouble(last_raw);
}

/* ---- float ---- */

static PyObject *
f_constants(PyObject *self, PyObject *unused)
{
    double vals[] = {0.0, -0.0, 1.5, -2.25, 0.1, DBL_MAX, -DBL_MAX, DBL_MIN, 4.9406564584124654e-324,
                     DBL_EPSILON, 1e16, 123456789.125, -1.0};
    Py_ssize_t n = (Py_ssize_t)(sizeof(vals) / sizeof(vals[0]));
    PyObject *t = PyTuple_New(n);
    if (t == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *f = PyFloat_FromDouble(vals[i]);
        if (f == NULL) {
            Py_DECREF(t);
            return NULL;
        }
        PyTuple_SET_ITEM(t, i, f);
    }
    return t;
}

static PyObject *
f_specials(PyObject *self, PyObject *unused)
{
    volatile double big = DBL_MAX;
    PyObject *t = PyTuple_New(5);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyFloat_FromDouble(INFINITY));
    PyTuple_SET_ITEM(t, 1, PyFloat_FromDouble(-INFINITY));
    PyTuple_SET_ITEM(t, 2, PyFloat_FromDouble(NAN));
    PyTuple_SET_ITEM(t, 3, PyFloat_FromDouble(big * 10.0));
    PyTuple_SET_ITEM(t, 4, PyFloat_FromDouble(-NAN));
    return t;
}

static PyObject *
f_as_double(PyObject *self, PyObject *o)
{
    double d = PyFloat_AsDouble(o);
    last_raw = d;
    if (PyErr_Occurred()) return NULL;
    return PyFloat_FromDouble(d);
}

/* PyFloat_AS_DOUBLE only after PyFloat_Check. */
static PyObject *
f_as_double_macro(PyObject *self, PyObject *o)
{
    if (!PyFloat_Check(o)) {
        PyErr_SetString(PyExc_TypeError, "as_double_macro needs a float (checked in C)");
        return NULL;
    }
    return PyFloat_FromDouble(PyFloat_AS_DOUBLE(o));
}

/* Facts about a double computed in C: (isnan, isinf, signbit, == 0). */
static PyObject *
f_classify_double(PyObject *self, PyObject *o)
{
    double d = PyFloat_AsDouble(o);
    if (d == -1.0 && PyErr_Occurred()) return NULL;
    PyObject *t = PyTuple_New(4);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(isnan(d)));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(isinf(d)));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(signbit(d) != 0));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(d == 0.0));
    return t;
}

static PyObject *
f_add(PyObject *self, PyObject *args)
{
    if (PyTuple_GET_SIZE(args) != 2) {
        PyErr_SetString(PyExc_TypeError, "add(a, b)");
        return NULL;
    }
    double a = PyFloat_AsDouble(ARG(0));
    if (a == -1.0 && PyErr_Occurred()) return NULL;
    double b = PyFloat_AsDouble(ARG(1));
    if (b == -1.0 && PyErr_Occurred()) return NULL;
    return PyFloat_FromDouble(a + b);
}

static PyObject *
f_check(PyObject *self, PyObject *o)
{
    PyObject *t = PyTuple_New(3);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(PyFloat_Check(o)));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(PyFloat_CheckExact(o)));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(Py_TYPE(o) == &PyFloat_Type));
    return t;
}

static PyObject *
f_new_float_is_exact(PyObject *self, PyObject *unused)
{
    PyObject *f = PyFloat_FromDouble(2.5);
    if (f == NULL) return NULL;
    int ok = PyFloat_CheckExact(f) && Py_TYPE(f) == &PyFloat_Type && Py_REFCNT(f) >= 1;
    Py_DECREF(f);
    return PyBool_FromLong(ok);
}

/* ---- bool ---- */

static PyObject *
f_bool_from_long(PyObject *self, PyObject *o)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return NULL;
    return PyBool_FromLong(v);
}

static PyObject *
f_bool_from_long_constants(PyObject *self, PyObject *unused)
{
    PyObject *t = PyTuple_New(6);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(0));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(1));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(-1));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(2));
    PyTuple_SET_ITEM(t, 4, PyBool_FromLong(LONG_MIN));
    PyTuple_SET_ITEM(t, 5, PyBool_FromLong(LONG_MAX));
    return t;
}

static PyObject *
f_return_true(PyObject *self, PyObject *unused)
{
    Py_RETURN_TRUE;
}

static PyObject *
f_return_false(PyObject *self, PyObject *unused)
{
    Py_RETURN_FALSE;
}

static PyObject *
f_get_true(PyObject *self, PyObject *unused)
{
    Py_INCREF(Py_True);
    return Py_True;
}

static PyObject *
f_get_false(PyObject *self, PyObject *unused)
{
    Py_INCREF(Py_False);
    return Py_False;
}

static PyObject *
f_bool_check(PyObject *self, PyObject *o)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(PyBool_Check(o)));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(Py_TYPE(o) == &PyBool_Type));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(PyLong_Check(o)));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(PyLong_CheckExact(o)));
    return t;
}

/* The value C sees when it reads a bool as an int. */
static PyObject *
f_bool_as_long(PyObject *self, PyObject *o)
{
    long v = PyLong_AsLong(o);
    if (v == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(v);
}

/* ---- None and the other singletons ---- */

static PyObject *
f_return_none(PyObject *self, PyObject *unused)
{
    Py_RETURN_NONE;
}

static PyObject *
f_get_none(PyObject *self, PyObject *unused)
{
    Py_INCREF(Py_None);
    return Py_None;
}

static PyObject *
f_get_notimplemented(PyObject *self, PyObject *unused)
{
    Py_INCREF(Py_NotImplemented);
    return Py_NotImplemented;
}

static PyObject *
f_get_ellipsis(PyObject *self, PyObject *unused)
{
    Py_INCREF(Py_Ellipsis);
    return Py_Ellipsis;
}

/* Which singleton is this, by C pointer identity? */
static PyObject *
f_which(PyObject *self, PyObject *o)
{
    const char *name = "other";
    if (o == Py_None) name = "Py_None";
    else if (o == Py_True) name = "Py_True";
    else if (o == Py_False) name = "Py_False";
    else if (o == Py_NotImplemented) name = "Py_NotImplemented";
    else if (o == Py_Ellipsis) name = "Py_Ellipsis";
    return PyUnicode_FromString(name);
}

/* Many INCREF/DECREF cycles on the singletons must leave them alive. */
static PyObject *
f_hammer_singletons(PyObject *self, PyObject *unused)
{
    PyObject *objs[] = {Py_None, Py_True, Py_False, Py_NotImplemented, Py_Ellipsis};
    for (int k = 0; k < 5; k++) {
        for (int i = 0; i < 10000; i++) Py_INCREF(objs[k]);
        for (int i = 0; i < 10000; i++) Py_DECREF(objs[k]);
    }
    for (int i = 0; i < 10000; i++) {
        PyObject *b = PyBool_FromLong(i & 1);
        Py_DECREF(b);
    }
    int ok = 1;
    for (int k = 0; k < 5; k++) ok = ok && Py_REFCNT(objs[k]) >= 1;
    return PyBool_FromLong(ok);
}

static PyObject *
f_singleton_types(PyObject *self, PyObject *unused)
{
    PyObject *t = PyTuple_New(4);
    if (t == NULL) return NULL;
    PyTuple_SET_ITEM(t, 0, PyBool_FromLong(Py_TYPE(Py_True) == &PyBool_Type));
    PyTuple_SET_ITEM(t, 1, PyBool_FromLong(Py_TYPE(Py_False) == &PyBool_Type));
    PyTuple_SET_ITEM(t, 2, PyBool_FromLong(Py_TYPE(Py_None) != &PyBool_Type));
    PyTuple_SET_ITEM(t, 3, PyBool_FromLong(Py_IsNone(Py_None) && Py_IsTrue(Py_True) && Py_IsFalse(Py_False)));
    return t;
}

/* A comparison-like function that returns NotImplemented for non-floats. */
static PyObject *
f_float_or_notimplemented(PyObject *self, PyObject *o)
{
    if (!PyFloat_Check(o)) {
        Py_INCREF(Py_NotImplemented);
        return Py_NotImplemented;
    }
    return PyBool_FromLong(PyFloat_AS_DOUBLE(o) > 0.0);
}

/* pymath.h: the constants ujson's decoder returns for NaN and Infinity. */
static PyObject *
f_math_constants(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ddd)", Py_NAN, Py_HUGE_VAL, -Py_HUGE_VAL);
}

static PyObject *
f_classify(PyObject *self, PyObject *arg)
{
    double v = PyFloat_AsDouble(arg);
    if (v == -1.0 && PyErr_Occurred())
        return NULL;
    return Py_BuildValue("(iii)", Py_IS_NAN(v) ? 1 : 0, Py_IS_INFINITY(v) ? 1 : 0, Py_IS_FINITE(v) ? 1 : 0);
}

/* ---- packing, limits, parsing ---- */

/* PyFloat_PackN of x in both byte orders: (little, big) or the exception. */
static PyObject *
n_pack(PyObject *self, PyObject *args)
{
    double x;
    int size;
    if (!PyArg_ParseTuple(args, "di", &x, &size)) return NULL;
    char little[8], big[8];
    int r1, r2;
    switch (size) {
    case 2: r1 = PyFloat_Pack2(x, little, 1); r2 = r1 < 0 ? -1 : PyFloat_Pack2(x, big, 0); break;
    case 4: r1 = PyFloat_Pack4(x, little, 1); r2 = r1 < 0 ? -1 : PyFloat_Pack4(x, big, 0); break;
    case 8: r1 = PyFloat_Pack8(x, little, 1); r2 = r1 < 0 ? -1 : PyFloat_Pack8(x, big, 0); break;
    default: PyErr_SetString(PyExc_ValueError, "size"); return NULL;
    }
    if (r1 < 0 || r2 < 0) return NULL;
    return Py_BuildValue("(y#y#)", little, (Py_ssize_t)size, big, (Py_ssize_t)size);
}

static PyObject *
n_unpack(PyObject *self, PyObject *args)
{
    const char *data;
    Py_ssize_t n;
    int le;
    if (!PyArg_ParseTuple(args, "y#i", &data, &n, &le)) return NULL;
    double d;
    switch (n) {
    case 2: d = PyFloat_Unpack2(data, le); break;
    case 4: d = PyFloat_Unpack4(data, le); break;
    case 8: d = PyFloat_Unpack8(data, le); break;
    default: PyErr_SetString(PyExc_ValueError, "size"); return NULL;
    }
    if (d == -1.0 && PyErr_Occurred()) return NULL;
    return PyFloat_FromDouble(d);
}

static PyObject *
n_limits(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(ddN)", PyFloat_GetMax(), PyFloat_GetMin(), PyFloat_GetInfo());
}

static PyObject *
n_from_string(PyObject *self, PyObject *o)
{
    return PyFloat_FromString(o);
}

static PyObject *
n_math(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(dddddiiiii)", Py_MATH_PI, Py_MATH_E, (double)Py_MATH_TAU, (double)Py_MATH_PIl,
                         (double)Py_MATH_El, Py_IS_NAN(Py_NAN), Py_IS_INFINITY(Py_HUGE_VAL), Py_IS_FINITE(1.0),
                         Py_IS_FINITE(Py_HUGE_VAL), Py_IS_INFINITY(-Py_HUGE_VAL));
}

static PyObject *
n_return_nan(PyObject *self, PyObject *unused)
{
    Py_RETURN_NAN;
}

static PyObject *
n_return_inf(PyObject *self, PyObject *arg)
{
    double sign = PyFloat_AsDouble(arg);
    if (sign == -1.0 && PyErr_Occurred()) return NULL;
    double v = sign;
    PyFPE_START_PROTECT("n_return_inf", return NULL)
    v = v * 2.0;
    PyFPE_END_PROTECT(v)
    Py_RETURN_INF(v);
}

static PyMethodDef methods[] = {
    {"n_pack", n_pack, METH_VARARGS, NULL},
    {"n_unpack", n_unpack, METH_VARARGS, NULL},
    {"n_limits", n_limits, METH_NOARGS, NULL},
    {"n_from_string", n_from_string, METH_O, NULL},
    {"n_math", n_math, METH_NOARGS, NULL},
    {"n_return_nan", n_return_nan, METH_NOARGS, NULL},
    {"n_return_inf", n_return_inf, METH_O, NULL},
    {"last_raw", f_last_raw, METH_NOARGS, NULL},
    {"constants", f_constants, METH_NOARGS, NULL},
    {"specials", f_specials, METH_NOARGS, NULL},
    {"as_double", f_as_double, METH_O, NULL},
    {"as_double_macro", f_as_double_macro, METH_O, NULL},
    {"classify_double", f_classify_double, METH_O, NULL},
    {"add", f_add, METH_VARARGS, NULL},
    {"check", f_check, METH_O, NULL},
    {"new_float_is_exact", f_new_float_is_exact, METH_NOARGS, NULL},
    {"bool_from_long", f_bool_from_long, METH_O, NULL},
    {"bool_from_long_constants", f_bool_from_long_constants, METH_NOARGS, NULL},
    {"return_true", f_return_true, METH_NOARGS, NULL},
    {"return_false", f_return_false, METH_NOARGS, NULL},
    {"get_true", f_get_true, METH_NOARGS, NULL},
    {"get_false", f_get_false, METH_NOARGS, NULL},
    {"bool_check", f_bool_check, METH_O, NULL},
    {"bool_as_long", f_bool_as_long, METH_O, NULL},
    {"return_none", f_return_none, METH_NOARGS, NULL},
    {"get_none", f_get_none, METH_NOARGS, NULL},
    {"get_notimplemented", f_get_notimplemented, METH_NOARGS, NULL},
    {"get_ellipsis", f_get_ellipsis, METH_NOARGS, NULL},
    {"which", f_which, METH_O, NULL},
    {"hammer_singletons", f_hammer_singletons, METH_NOARGS, NULL},
    {"singleton_types", f_singleton_types, METH_NOARGS, NULL},
    {"float_or_notimplemented", f_float_or_notimplemented, METH_O, NULL},
    {"math_constants", f_math_constants, METH_NOARGS, NULL},
    {"classify", f_classify, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT,
    "float_ext",
    "float / bool / None / singleton conformance tests",
    -1,
    methods
};

PyMODINIT_FUNC
PyInit_float_ext(void)
{
    return PyModule_Create(&moduledef);
}
