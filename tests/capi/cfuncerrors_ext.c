/* METH_NOARGS / METH_O argument-count and keyword errors: the name in the message */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *noargs(PyObject *self, PyObject *unused) { Py_RETURN_NONE; }
static PyObject *one(PyObject *self, PyObject *arg) { Py_RETURN_NONE; }
static PyObject *varargs(PyObject *self, PyObject *args) { Py_RETURN_NONE; }
static PyObject *fast(PyObject *self, PyObject *const *args, Py_ssize_t n) { Py_RETURN_NONE; }

static PyMethodDef obj_methods[] = {
    {"noargs", noargs, METH_NOARGS, NULL},
    {"one", one, METH_O, NULL},
    {"cnoargs", noargs, METH_NOARGS | METH_CLASS, NULL},
    {"sone", one, METH_O | METH_STATIC, NULL},
    {"varargs", varargs, METH_VARARGS, NULL},
    {"fast", (PyCFunction)(void(*)(void))fast, METH_FASTCALL, NULL},
    {NULL}
};

static PyTypeObject Obj_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "cfuncerrors_ext.Obj",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = obj_methods,
    .tp_new = PyType_GenericNew,
};

static PyMethodDef mod_methods[] = {
    {"noargs", noargs, METH_NOARGS, NULL},
    {"one", one, METH_O, NULL},
    {"varargs", varargs, METH_VARARGS, NULL},
    {"fast", (PyCFunction)(void(*)(void))fast, METH_FASTCALL, NULL},
    {NULL}
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "cfuncerrors_ext", NULL, -1, mod_methods};

PyMODINIT_FUNC PyInit_cfuncerrors_ext(void) {
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL || PyType_Ready(&Obj_Type) < 0) return NULL;
    Py_INCREF(&Obj_Type);
    PyModule_AddObject(m, "Obj", (PyObject *)&Obj_Type);
    return m;
}
