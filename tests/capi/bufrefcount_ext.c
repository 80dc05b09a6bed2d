/* A Py_buffer view kept in C across calls: what sys.getrefcount says about its exporter */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static Py_buffer view;
static int held;

static PyObject *hold(PyObject *self, PyObject *arg) {
    if (PyObject_GetBuffer(arg, &view, PyBUF_SIMPLE) < 0) return NULL;
    held = 1;
    Py_RETURN_NONE;
}
static PyObject *release(PyObject *self, PyObject *unused) {
    if (held) { PyBuffer_Release(&view); held = 0; }
    Py_RETURN_NONE;
}
static PyObject *keep(PyObject *self, PyObject *arg) {   /* plain Py_INCREF, for comparison */
    Py_INCREF(arg);
    Py_RETURN_NONE;
}
static PyObject *refcnt(PyObject *self, PyObject *arg) { return PyLong_FromSsize_t(Py_REFCNT(arg)); }

static PyMethodDef methods[] = {
    {"hold", hold, METH_O, NULL}, {"release", release, METH_NOARGS, NULL},
    {"keep", keep, METH_O, NULL}, {"refcnt", refcnt, METH_O, NULL}, {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "bufrefcount_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_bufrefcount_ext(void) { return PyModule_Create(&mod); }
