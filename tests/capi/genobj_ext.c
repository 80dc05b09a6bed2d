/* Generator, coroutine and async generator checks, the StopIteration
 * helpers, and Py_GenericAlias. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <frameobject.h>

static PyObject *
checks(PyObject *module, PyObject *o)
{
    return Py_BuildValue("(iiiii)", PyGen_Check(o), PyGen_CheckExact(o), PyCoro_CheckExact(o),
                         PyAsyncGen_CheckExact(o), PyObject_TypeCheck(o, &PyAsyncGen_Type));
}

static PyObject *
set_stop_value(PyObject *module, PyObject *value)
{
    if (_PyGen_SetStopIterationValue(value) < 0)
        return NULL;
    return NULL; /* the StopIteration is the result */
}

/* (status, value) of _PyGen_FetchStopIterationValue after raising `exc`
 * (None: no error pending); the pending error afterwards is reported. */
static PyObject *
fetch_stop_value(PyObject *module, PyObject *exc)
{
    if (exc != Py_None) {
        if (PyExceptionInstance_Check(exc))
            PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        else
            PyErr_SetNone(exc);
    }
    PyObject *value = NULL;
    int status = _PyGen_FetchStopIterationValue(&value);
    PyObject *pending = PyErr_Occurred();
    PyObject *pending_ref = Py_NewRef(pending ? pending : Py_None);
    PyErr_Clear();
    return Py_BuildValue("(iNN)", status, value ? value : Py_NewRef(Py_None), pending_ref);
}

static PyObject *
generic_alias(PyObject *module, PyObject *args)
{
    PyObject *origin, *params;
    if (!PyArg_ParseTuple(args, "OO", &origin, &params))
        return NULL;
    return Py_GenericAlias(origin, params);
}

static PyObject *
alias_type_is(PyObject *module, PyObject *o)
{
    return PyBool_FromLong(Py_IS_TYPE(o, &Py_GenericAliasType));
}

/* Drives a generator from C: next values, then the StopIteration value. */
static PyObject *
drive(PyObject *module, PyObject *gen)
{
    PyObject *seen = PyList_New(0);
    if (seen == NULL)
        return NULL;
    PyObject *item;
    while ((item = PyIter_Next(gen)) != NULL) {
        PyList_Append(seen, item);
        Py_DECREF(item);
    }
    if (PyErr_Occurred()) {
        Py_DECREF(seen);
        return NULL;
    }
    return seen;
}

static PyObject *
send_value(PyObject *module, PyObject *args)
{
    PyObject *gen, *value;
    if (!PyArg_ParseTuple(args, "OO", &gen, &value))
        return NULL;
    PyObject *result = PyObject_CallMethod(gen, "send", "O", value);
    if (result != NULL)
        return Py_BuildValue("(sN)", "yielded", result);
    PyObject *returned = NULL;
    if (_PyGen_FetchStopIterationValue(&returned) < 0)
        return NULL;
    return Py_BuildValue("(sN)", "returned", returned);
}

/* gi_frame_state of a generator, coroutine or async generator, as
   profilers read it: the struct's field, not an attribute. */
static PyObject *
frame_state(PyObject *module, PyObject *gen)
{
    if (!PyGen_Check(gen) && !PyCoro_CheckExact(gen) && !PyAsyncGen_CheckExact(gen)) {
        PyErr_SetString(PyExc_TypeError, "not a generator");
        return NULL;
    }
    return PyLong_FromLong(((PyGenObject *)gen)->gi_frame_state);
}

/* A profile function that records, at each return event of a generator
   or coroutine frame, the code's name and whether the generator reads
   suspended (yappi's IS_SUSPENDED). */
static PyObject *yield_log;
static int
yield_prof(PyObject *obj, PyFrameObject *frame, int what, PyObject *arg)
{
    if (what != PyTrace_RETURN)
        return 0;
    PyObject *gen = PyFrame_GetGenerator(frame);
    if (gen == NULL)
        return 0;
    int suspended = ((PyGenObject *)gen)->gi_frame_state == -1;  /* FRAME_SUSPENDED */
    Py_DECREF(gen);
    PyCodeObject *code = PyFrame_GetCode(frame);
    PyObject *item = Py_BuildValue("(Oi)", code->co_name, suspended);
    Py_DECREF(code);
    if (item == NULL)
        return -1;
    int r = PyList_Append(yield_log, item);
    Py_DECREF(item);
    return r;
}
static PyObject *
profile_yields(PyObject *self, PyObject *arg)
{
    if (arg == Py_None) {
        PyEval_SetProfile(NULL, NULL);
        PyObject *log = yield_log;
        yield_log = NULL;
        return log;
    }
    yield_log = PyList_New(0);
    PyEval_SetProfile(yield_prof, NULL);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"profile_yields", profile_yields, METH_O, NULL},
    {"frame_state", frame_state, METH_O, NULL},
    {"checks", checks, METH_O, NULL},
    {"set_stop_value", set_stop_value, METH_O, NULL},
    {"fetch_stop_value", fetch_stop_value, METH_O, NULL},
    {"generic_alias", generic_alias, METH_VARARGS, NULL},
    {"alias_type_is", alias_type_is, METH_O, NULL},
    {"drive", drive, METH_O, NULL},
    {"send_value", send_value, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "genobj_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_genobj_ext(void)
{
    return PyModule_Create(&moduledef);
}
