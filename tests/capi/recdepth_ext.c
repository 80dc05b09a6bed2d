/* Py_EnterRecursiveCall against sys.setrecursionlimit, and whether an
 * exception C left pending survives API calls that succeed (pikepdf's
 * StackGuard ignores Py_EnterRecursiveCall's result and relies on the next
 * pybind11 call to report the RecursionError). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* How many nested Py_EnterRecursiveCall succeed before one fails. */
static PyObject *enter_until_fail(PyObject *self, PyObject *unused) {
    int n = 0;
    while (n < 100000 && Py_EnterRecursiveCall(" in enter_until_fail") == 0)
        n++;
    PyObject *exc = PyErr_Occurred();
    const char *name = exc ? ((PyTypeObject *)exc)->tp_name : "none";
    PyErr_Clear();
    for (int i = 0; i < n; i++)
        Py_LeaveRecursiveCall();
    return Py_BuildValue("is", n, name);
}

/* Nest `levels` Py_EnterRecursiveCall, ignoring failures (as pikepdf's
 * StackGuard does), and at each level call PyObject_CallNoArgs(f); report
 * the first level at which a call failed and the exception then set. */
static PyObject *nested_calls(PyObject *self, PyObject *args) {
    int levels; PyObject *f;
    if (!PyArg_ParseTuple(args, "iO", &levels, &f)) return NULL;
    int failed_at = -1, entered_ok = 0;
    for (int i = 0; i < levels; i++) {
        if (Py_EnterRecursiveCall(" in nested_calls") == 0) entered_ok++;
        if (failed_at < 0) {
            PyObject *r = PyObject_CallNoArgs(f);
            if (r == NULL) failed_at = i; else Py_DECREF(r);
        }
    }
    PyObject *exc = PyErr_Occurred();
    PyObject *res = Py_BuildValue("iis", failed_at, entered_ok,
                                  exc ? ((PyTypeObject *)exc)->tp_name : "none");
    PyErr_Clear();
    for (int i = 0; i < entered_ok; i++) Py_LeaveRecursiveCall();
    return res;
}

static PyMethodDef methods[] = {
    {"enter_until_fail", enter_until_fail, METH_NOARGS, NULL},
    {"nested_calls", nested_calls, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "recdepth_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_recdepth_ext(void) { return PyModule_Create(&def); }
