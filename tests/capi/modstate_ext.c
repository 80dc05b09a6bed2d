/* PyState_AddModule / FindModule / RemoveModule on single-phase modules. */
#include <Python.h>

static struct PyModuleDef other_def = {PyModuleDef_HEAD_INIT, "modstate_other", NULL, -1, NULL};
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef slotted_def = {PyModuleDef_HEAD_INIT, "modstate_slotted", NULL, 0, NULL, slots};
static struct PyModuleDef module;

static PyObject *
found(struct PyModuleDef *def)
{
    PyObject *m = PyState_FindModule(def);
    if (m == NULL) {
        if (PyErr_Occurred())
            return NULL;
        return PyUnicode_FromString("<none>");
    }
    return PyObject_GetAttrString(m, "__name__");
}

static PyObject *
scenario(PyObject *self, PyObject *noargs)
{
    PyObject *log = PyList_New(0);
    PyObject *x = found(&module);
    PyList_Append(log, x);
    Py_DECREF(x);
    x = found(&other_def);
    PyList_Append(log, x);
    Py_DECREF(x);
    PyObject *other = PyModule_Create(&other_def);
    if (other == NULL)
        return NULL;
    x = PyLong_FromLong(PyState_AddModule(other, &other_def));
    PyList_Append(log, x);
    Py_DECREF(x);
    x = found(&other_def);
    PyList_Append(log, x);
    Py_DECREF(x);
    x = PyLong_FromLong(PyState_RemoveModule(&other_def));
    PyList_Append(log, x);
    Py_DECREF(x);
    x = found(&other_def);
    PyList_Append(log, x);
    Py_DECREF(x);
    Py_DECREF(other);
    return log;
}

static PyObject *
add_slotted(PyObject *self, PyObject *noargs)
{
    PyObject *m = PyModule_New("modstate_slotted");
    if (m == NULL)
        return NULL;
    int r = PyState_AddModule(m, &slotted_def);
    Py_DECREF(m);
    if (r < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
remove_slotted(PyObject *self, PyObject *noargs)
{
    if (PyState_RemoveModule(&slotted_def) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"scenario", scenario, METH_NOARGS, NULL},
    {"add_slotted", add_slotted, METH_NOARGS, NULL},
    {"remove_slotted", remove_slotted, METH_NOARGS, NULL},
    {NULL}
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "modstate_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_modstate_ext(void)
{
    return PyModule_Create(&module);
}
