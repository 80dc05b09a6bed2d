/* pystrtod.h: PyOS_string_to_double, PyOS_double_to_string and helpers. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* (value, bytes consumed) with an end pointer, or the value alone without. */
static PyObject *
t_to_double(PyObject *self, PyObject *args)
{
    const char *s;
    Py_ssize_t n;
    int use_end;
    PyObject *overflow;
    if (!PyArg_ParseTuple(args, "y#iO", &s, &n, &use_end, &overflow))
        return NULL;
    PyObject *exc = overflow == Py_None ? NULL : overflow;
    char *end = (char *)"unset";
    double d = PyOS_string_to_double(s, use_end ? &end : NULL, exc);
    if (d == -1.0 && PyErr_Occurred())
        return NULL;
    if (use_end)
        return Py_BuildValue("(dn)", d, (Py_ssize_t)(end - s));
    return PyFloat_FromDouble(d);
}

/* The end pointer after a failure: bytes consumed (0 expected). */
static PyObject *
t_failed_end(PyObject *self, PyObject *arg)
{
    const char *s = PyBytes_AsString(arg);
    if (s == NULL) return NULL;
    char *end = NULL;
    double d = PyOS_string_to_double(s, &end, NULL);
    PyObject *err = PyErr_Occurred() ? Py_NewRef(PyErr_Occurred()) : Py_NewRef(Py_None);
    PyErr_Clear();
    PyObject *r = Py_BuildValue("(dnO)", d, end == NULL ? (Py_ssize_t)-1 : (Py_ssize_t)(end - s), err);
    Py_DECREF(err);
    return r;
}

static PyObject *
t_to_string(PyObject *self, PyObject *args)
{
    double v;
    int code, precision, flags;
    if (!PyArg_ParseTuple(args, "dCii", &v, &code, &precision, &flags))
        return NULL;
    int type = -1;
    char *s = PyOS_double_to_string(v, (char)code, precision, flags, &type);
    if (s == NULL) return NULL;
    PyObject *r = Py_BuildValue("(si)", s, type);
    PyMem_Free(s);
    return r;
}

static PyObject *
t_to_string_no_type(PyObject *self, PyObject *arg)
{
    double v = PyFloat_AsDouble(arg);
    if (v == -1.0 && PyErr_Occurred()) return NULL;
    char *s = PyOS_double_to_string(v, 'r', 0, Py_DTSF_ADD_DOT_0, NULL);
    if (s == NULL) return NULL;
    PyObject *r = PyUnicode_FromString(s);
    PyMem_Free(s);
    return r;
}

static PyObject *
t_inf_or_nan(PyObject *self, PyObject *arg)
{
    const char *s = PyBytes_AsString(arg);
    if (s == NULL) return NULL;
    char *end = NULL;
    double d = _Py_parse_inf_or_nan(s, &end);
    return Py_BuildValue("(dn)", d, (Py_ssize_t)(end - s));
}

static PyObject *
echo_inner(const char *s, Py_ssize_t len, void *arg)
{
    return Py_BuildValue("(s#O)", s, len, (PyObject *)arg);
}

static PyObject *
t_underscores(PyObject *self, PyObject *args)
{
    PyObject *obj;
    const char *what;
    if (!PyArg_ParseTuple(args, "Os", &obj, &what))
        return NULL;
    Py_ssize_t len;
    const char *s = PyUnicode_AsUTF8AndSize(obj, &len);
    if (s == NULL) return NULL;
    return _Py_string_to_number_with_underscores(s, len, what, obj, Py_None, echo_inner);
}

static PyObject *
t_constants(PyObject *self, PyObject *unused)
{
    return Py_BuildValue("(iiiiiii)", Py_DTSF_SIGN, Py_DTSF_ADD_DOT_0, Py_DTSF_ALT, Py_DTSF_NO_NEG_0,
                         Py_DTST_FINITE, Py_DTST_INFINITE, Py_DTST_NAN);
}

static PyMethodDef methods[] = {
    {"to_double", t_to_double, METH_VARARGS, NULL},
    {"failed_end", t_failed_end, METH_O, NULL},
    {"to_string", t_to_string, METH_VARARGS, NULL},
    {"to_string_no_type", t_to_string_no_type, METH_O, NULL},
    {"inf_or_nan", t_inf_or_nan, METH_O, NULL},
    {"underscores", t_underscores, METH_VARARGS, NULL},
    {"constants", t_constants, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "pystrtod_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_pystrtod_ext(void)
{
    return PyModule_Create(&moduledef);
}
