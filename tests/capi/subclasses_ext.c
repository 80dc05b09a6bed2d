/* tp_subclasses of a type that has subclasses: NULL means "no subclass"
   to C code that walks the hierarchy (nanobind's trampoline cache
   invalidation skips __subclasses__() when the field is NULL). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *has_subclasses(PyObject *self, PyObject *tp) {
    if (!PyType_Check(tp)) { PyErr_SetString(PyExc_TypeError, "a type"); return NULL; }
    return PyBool_FromLong(((PyTypeObject *) tp)->tp_subclasses != NULL);
}

/* The subclasses as C finds them in the dict: id(subclass) -> weakref. */
static PyObject *walk_subclasses(PyObject *self, PyObject *tp) {
    PyObject *dict = ((PyTypeObject *) tp)->tp_subclasses, *key, *ref, *out;
    Py_ssize_t pos = 0;
    if (dict == NULL) Py_RETURN_NONE;
    if (!PyDict_Check(dict)) { PyErr_SetString(PyExc_TypeError, "tp_subclasses is no dict"); return NULL; }
    out = PyList_New(0);
    if (!out) return NULL;
    while (PyDict_Next(dict, &pos, &key, &ref)) {
        PyObject *sub = PyWeakref_GetObject(ref), *pair;
        if (sub == NULL) { Py_DECREF(out); return NULL; }
        if (PyLong_AsVoidPtr(key) != (void *) sub) {
            Py_DECREF(out);
            PyErr_SetString(PyExc_AssertionError, "key is not the address of the subclass");
            return NULL;
        }
        pair = PyUnicode_FromString(((PyTypeObject *) sub)->tp_name);
        if (!pair || PyList_Append(out, pair) < 0) { Py_XDECREF(pair); Py_DECREF(out); return NULL; }
        Py_DECREF(pair);
    }
    if (PyList_Sort(out) < 0) { Py_DECREF(out); return NULL; }
    return out;
}

static PyObject *make_type(PyObject *self, PyObject *unused) {
    PyType_Slot slots[] = {{0, NULL}};
    PyType_Spec spec = {"subclasses_ext.Base", sizeof(PyObject), 0, Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots};
    return PyType_FromSpec(&spec);
}

static PyMethodDef methods[] = {
    {"has_subclasses", has_subclasses, METH_O, NULL},
    {"make_type", make_type, METH_NOARGS, NULL},
    {"walk_subclasses", walk_subclasses, METH_O, NULL},
    {NULL}
};
static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "subclasses_ext", NULL, -1, methods};
PyMODINIT_FUNC PyInit_subclasses_ext(void) { return PyModule_Create(&mod); }
