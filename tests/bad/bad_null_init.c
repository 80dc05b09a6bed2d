/* Case c: PyInit returns NULL without setting an exception. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

PyMODINIT_FUNC
PyInit_bad_null_init(void)
{
    return NULL;
}
