/* The argument checks that Argument Clinic's generated code calls. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
check_positional(PyObject *self, PyObject *args)
{
    const char *name;
    Py_ssize_t nargs, min, max;
    if (!PyArg_ParseTuple(args, "znnn", &name, &nargs, &min, &max))
        return NULL;
    if (max < 0)
        max = PY_SSIZE_T_MAX;
    if (!_PyArg_CheckPositional(name, nargs, min, max))
        return NULL;
    Py_RETURN_TRUE;
}

/* Called with the real arguments, as clinic's generated wrappers are. */
static PyObject *
no_keywords(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (!_PyArg_NoKeywords("no_keywords", kwargs))
        return NULL;
    if (!_PyArg_NoPositional("no_keywords", args))
        return NULL;
    Py_RETURN_TRUE;
}

static PyObject *
no_kwnames(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    if (!_PyArg_NoKwnames("no_kwnames", kwnames))
        return NULL;
    return PyLong_FromSsize_t(nargs);
}

static PyObject *
bad_argument(PyObject *self, PyObject *args)
{
    const char *fname, *display, *expected;
    PyObject *arg;
    if (!PyArg_ParseTuple(args, "zssO", &fname, &display, &expected, &arg))
        return NULL;
    _PyArg_BadArgument(fname, display, expected, arg);
    return NULL;
}

static PyMethodDef methods[] = {
    {"check_positional", check_positional, METH_VARARGS},
    {"no_keywords", (PyCFunction)(void (*)(void))no_keywords, METH_VARARGS | METH_KEYWORDS},
    {"no_kwnames", (PyCFunction)(void (*)(void))no_kwnames, METH_FASTCALL | METH_KEYWORDS},
    {"bad_argument", bad_argument, METH_VARARGS},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "clinic_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_clinic_ext(void)
{
    return PyModule_Create(&module);
}
