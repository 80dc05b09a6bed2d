/* Built for cpyext (our Python.h defines CPYEXT_ABI_TAG), this module needs a
 * C-API function that no interpreter has, so the runner must list it as
 * missing and the import must fail; built for CPython it is harmless. */
#include <Python.h>

#ifdef CPYEXT_ABI_TAG
extern PyObject *PyCompatSample_Unobtainium(void);
#define ANSWER() PyCompatSample_Unobtainium()
#else
#define ANSWER() PyLong_FromLong(42)
#endif

static PyObject *
answer(PyObject *self, PyObject *unused)
{
    return ANSWER();
}

static PyMethodDef methods[] = {
    {"answer", answer, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "sample._needs_more", NULL, -1, methods};

PyMODINIT_FUNC
PyInit__needs_more(void)
{
    return PyModule_Create(&def);
}
