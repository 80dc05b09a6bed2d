/* Py_AtExit functions run after the interpreter is finalized: CPython 3.11
 * clears runtime->initialized (and sets finalizing) before call_ll_exitfuncs,
 * so Py_IsInitialized() is 0 there.  Extensions (mpi4py) test it before
 * taking the GIL in callbacks that a C library fires from their exit function. */
#include <Python.h>
#include <stdio.h>

static void at_exit(void)
{
    int init = Py_IsInitialized();
    printf("Py_AtExit function: Py_IsInitialized() = %d, _Py_IsFinalizing() = %d\n", init, _Py_IsFinalizing());
    fflush(stdout);
    if (init) {   /* what mpi4py's commlock_free_cb does when it believes Python runs */
        PyGILState_STATE s = PyGILState_Ensure();
        PyGILState_Release(s);
        printf("took the GIL at exit\n");
        fflush(stdout);
    }
}

static PyObject *reg(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(Py_AtExit(at_exit));
}

static PyObject *initialized(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(Py_IsInitialized());
}

static PyMethodDef methods[] = {
    {"register", reg, METH_NOARGS, NULL},
    {"initialized", initialized, METH_NOARGS, NULL},
    {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "atexit_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_atexit_ext(void) { return PyModule_Create(&mod); }
