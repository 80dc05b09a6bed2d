/* counter: a multi-phase (PEP 489) module whose state lives in the module:
 * each import of it has its own count. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    long count;
    PyObject *history; /* list of the values returned by increment() */
} counter_state;

static counter_state *
get_state(PyObject *module)
{
    return (counter_state *)PyModule_GetState(module);
}

static int
counter_exec(PyObject *module)
{
    counter_state *state = get_state(module);
    state->count = 0;
    state->history = PyList_New(0);
    if (state->history == NULL)
        return -1;
    return PyModule_AddIntConstant(module, "START", 0);
}

static PyObject *
counter_increment(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    long step = 1;
    if (nargs > 1) {
        PyErr_SetString(PyExc_TypeError, "increment() takes at most one argument");
        return NULL;
    }
    if (nargs == 1) {
        step = PyLong_AsLong(args[0]);
        if (step == -1 && PyErr_Occurred())
            return NULL;
    }
    counter_state *state = get_state(module);
    state->count += step;
    PyObject *value = PyLong_FromLong(state->count);
    if (value == NULL || PyList_Append(state->history, value) < 0) {
        Py_XDECREF(value);
        return NULL;
    }
    return value;
}

static PyObject *
counter_value(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyLong_FromLong(get_state(module)->count);
}

static PyObject *
counter_history(PyObject *module, PyObject *Py_UNUSED(ignored))
{
    return PyList_AsTuple(get_state(module)->history);
}

static PyMethodDef counter_methods[] = {
    {"increment", (PyCFunction)(void (*)(void))counter_increment, METH_FASTCALL, "increment(step=1) -> new value"},
    {"value", counter_value, METH_NOARGS, "value() -> current count"},
    {"history", counter_history, METH_NOARGS, "history() -> tuple of past values"},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot counter_slots[] = {
    {Py_mod_exec, counter_exec},
    {0, NULL},
};

static struct PyModuleDef counter_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "counter",
    .m_doc = "A counter kept in module state.",
    .m_size = sizeof(counter_state),
    .m_methods = counter_methods,
    .m_slots = counter_slots,
};

PyMODINIT_FUNC
PyInit_counter(void)
{
    return PyModuleDef_Init(&counter_module);
}
