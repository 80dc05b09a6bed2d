/* Case d: PyInit sets ValueError("boom") and returns NULL. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyMODINIT_FUNC
PyInit_bad_raise_init(void)
{
    PyErr_SetString(PyExc_ValueError, "boom");
    return NULL;
}
