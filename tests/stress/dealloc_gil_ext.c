/* A type whose deallocator lets the GIL go for a moment, as deallocators that
 * close a file or a connection do, and a function that runs a Python callable
 * with the GIL held. */
#include <Python.h>
#include <unistd.h>

typedef struct {
    PyObject_HEAD
} ClosingObject;

static void
closing_dealloc(PyObject *self)
{
    Py_BEGIN_ALLOW_THREADS
    usleep(50);
    Py_END_ALLOW_THREADS
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject ClosingType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dealloc_gil_ext.Closing",
    .tp_basicsize = sizeof(ClosingObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = closing_dealloc,
};

static PyObject *
call_holding_gil(PyObject *module, PyObject *callable)
{
    return PyObject_CallNoArgs(callable);
}

static PyMethodDef methods[] = {
    {"call_holding_gil", call_holding_gil, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {PyModuleDef_HEAD_INIT, "dealloc_gil_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_dealloc_gil_ext(void)
{
    if (PyType_Ready(&ClosingType) < 0)
        return NULL;
    PyObject *module = PyModule_Create(&module_def);
    if (module == NULL)
        return NULL;
    Py_INCREF(&ClosingType);
    if (PyModule_AddObject(module, "Closing", (PyObject *)&ClosingType) < 0) {
        Py_DECREF(&ClosingType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
