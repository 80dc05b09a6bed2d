/* A builtin object that cannot be weakly referenced (an exception, an
   iterator, a mappingproxy), seen by C and dropped, must die when Python
   drops it, as in CPython: its proxy is not kept (parked) once C lets go. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* ident(o): a new reference to o (C handing back what it got) */
static PyObject *ident(PyObject *self, PyObject *o) { Py_INCREF(o); return o; }

/* raise_new(cls): the way Cython compiles `raise cls("boom")`: the instance
   is made, set as the error, released, and NULL is returned. */
static PyObject *raise_new(PyObject *self, PyObject *cls) {
    PyObject *inst = PyObject_CallFunction(cls, "s", "boom");
    if (!inst) return NULL;
    PyErr_SetObject((PyObject *)Py_TYPE(inst), inst);
    Py_DECREF(inst);
    return NULL;
}

static PyMethodDef methods[] = {
    {"ident", ident, METH_O, NULL},
    {"raise_new", raise_new, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "releasefree_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_releasefree_ext(void) { return PyModule_Create(&mod); }
