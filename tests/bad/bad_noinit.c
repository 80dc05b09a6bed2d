/* Case b: an extension module file without PyInit_bad_noinit.  It exports an
 * init function under another (wrong) name, as a typo would. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "bad_noinit", NULL, -1, NULL, NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit_bad_no_init(void)
{
    return PyModule_Create(&module);
}
