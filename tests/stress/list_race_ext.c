/* Walks a list with the size and item macros, as encoders do, while the
 * script's Python threads grow and shrink it. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* The sum of the list's int items; every item must be a live int. */
static PyObject *
walk(PyObject *self, PyObject *list)
{
    long total = 0;
    Py_ssize_t n = PyList_GET_SIZE(list);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(list, i);
        if (!PyLong_CheckExact(item)) {
            PyErr_Format(PyExc_AssertionError, "item %zd is a %s", i, Py_TYPE(item)->tp_name);
            return NULL;
        }
        total += PyLong_AsLong(item);
    }
    return PyLong_FromLong(total);
}

static PyMethodDef methods[] = {
    {"walk", walk, METH_O},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "list_race_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_list_race_ext(void)
{
    return PyModule_Create(&module);
}
