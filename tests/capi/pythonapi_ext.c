/* ctypes.pythonapi and PyDLL: plain C functions of an extension, called from
   Python through ctypes rather than through a method table. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Two objects in, a new tuple out. */
PyObject *
pythonapi_ext_pair(PyObject *a, PyObject *b)
{
    return PyTuple_Pack(2, a, b);
}

/* NULL with an exception set. */
PyObject *
pythonapi_ext_fail(const char *message)
{
    PyErr_SetString(PyExc_LookupError, message);
    return NULL;
}

/* NULL with no exception set. */
PyObject *
pythonapi_ext_null(void)
{
    return NULL;
}

/* An int result, and the GIL as C sees it. */
int
pythonapi_ext_gil_held(void)
{
    return PyGILState_Check();
}

/* The reference count C sees on an object passed as py_object. */
Py_ssize_t
pythonapi_ext_refcnt(PyObject *o)
{
    return Py_REFCNT(o);
}

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "pythonapi_ext", NULL, -1, NULL,
};

PyMODINIT_FUNC
PyInit_pythonapi_ext(void)
{
    return PyModule_Create(&module);
}
