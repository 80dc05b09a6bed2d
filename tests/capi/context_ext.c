/* Context variables (PEP 567) through the C API. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
current_error(void)
{
    PyObject *e = PyErr_Occurred();
    PyObject *r = Py_NewRef(e ? e : Py_None);
    PyErr_Clear();
    return r;
}

static PyObject *
var_new(PyObject *module, PyObject *args)
{
    const char *name;
    PyObject *def = NULL;
    if (!PyArg_ParseTuple(args, "s|O", &name, &def))
        return NULL;
    return PyContextVar_New(name, def);
}

/* (status, value or "<NULL>", error type) */
static PyObject *
var_get(PyObject *module, PyObject *args)
{
    PyObject *var, *def = NULL, *value = (PyObject *)1;
    if (!PyArg_ParseTuple(args, "O|O", &var, &def))
        return NULL;
    int status = PyContextVar_Get(var, def, &value);
    PyObject *err = current_error();
    if (status < 0)
        return Py_BuildValue("(isN)", status, "<untouched>", err);
    if (value == NULL)
        return Py_BuildValue("(isN)", status, "<NULL>", err);
    return Py_BuildValue("(iNN)", status, value, err);
}

static PyObject *
var_set(PyObject *module, PyObject *args)
{
    PyObject *var, *value;
    if (!PyArg_ParseTuple(args, "OO", &var, &value))
        return NULL;
    return PyContextVar_Set(var, value);
}

static PyObject *
var_reset(PyObject *module, PyObject *args)
{
    PyObject *var, *token;
    if (!PyArg_ParseTuple(args, "OO", &var, &token))
        return NULL;
    if (PyContextVar_Reset(var, token) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
context_new(PyObject *module, PyObject *unused)
{
    return PyContext_New();
}

static PyObject *
context_copy(PyObject *module, PyObject *ctx)
{
    return PyContext_Copy(ctx);
}

static PyObject *
context_copy_current(PyObject *module, PyObject *unused)
{
    return PyContext_CopyCurrent();
}

/* Enters ctx, sets var to value inside, reads it back, exits. */
static PyObject *
run_in(PyObject *module, PyObject *args)
{
    PyObject *ctx, *var, *value;
    if (!PyArg_ParseTuple(args, "OOO", &ctx, &var, &value))
        return NULL;
    if (PyContext_Enter(ctx) < 0)
        return NULL;
    PyObject *token = PyContextVar_Set(var, value);
    PyObject *seen = NULL;
    int status = token ? PyContextVar_Get(var, NULL, &seen) : -1;
    Py_XDECREF(token);
    if (PyContext_Exit(ctx) < 0) {
        Py_XDECREF(seen);
        return NULL;
    }
    if (status < 0)
        return NULL;
    return seen ? seen : PyUnicode_FromString("<NULL>");
}

static PyObject *
enter(PyObject *module, PyObject *ctx)
{
    if (PyContext_Enter(ctx) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
exit_(PyObject *module, PyObject *ctx)
{
    if (PyContext_Exit(ctx) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
checks(PyObject *module, PyObject *o)
{
    return Py_BuildValue("(iii)", PyContext_CheckExact(o), PyContextVar_CheckExact(o), PyContextToken_CheckExact(o));
}

static PyObject *
refcounts(PyObject *module, PyObject *value)
{
    PyObject *var = PyContextVar_New("refcount_var", NULL);
    if (var == NULL)
        return NULL;
    PyObject *token = PyContextVar_Set(var, value);
    if (token == NULL) {
        Py_DECREF(var);
        return NULL;
    }
    PyObject *got = NULL;
    PyContextVar_Get(var, NULL, &got);
    int same = got == value;
    Py_XDECREF(got);
    PyContextVar_Reset(var, token);
    Py_DECREF(token);
    Py_DECREF(var);
    return PyBool_FromLong(same);
}

static PyObject *
refcnt(PyObject *module, PyObject *o)
{
    return PyLong_FromSsize_t(Py_REFCNT(o));
}

static PyMethodDef methods[] = {
    {"var_new", var_new, METH_VARARGS, NULL},
    {"var_get", var_get, METH_VARARGS, NULL},
    {"var_set", var_set, METH_VARARGS, NULL},
    {"var_reset", var_reset, METH_VARARGS, NULL},
    {"context_new", context_new, METH_NOARGS, NULL},
    {"context_copy", context_copy, METH_O, NULL},
    {"context_copy_current", context_copy_current, METH_NOARGS, NULL},
    {"run_in", run_in, METH_VARARGS, NULL},
    {"enter", enter, METH_O, NULL},
    {"exit", exit_, METH_O, NULL},
    {"checks", checks, METH_O, NULL},
    {"refcounts", refcounts, METH_O, NULL},
    {"refcnt", refcnt, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "context_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_context_ext(void)
{
    return PyModule_Create(&moduledef);
}
