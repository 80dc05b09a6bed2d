/* A static type that is never passed to PyType_Ready (BTrees' BTreeItemsType,
 * BTreeIter_Type): C sets ob_type, stores the type in the module dict, and
 * makes instances of it with PyObject_New. CPython accepts all of that and
 * readies the type lazily on first attribute lookup. */
#include <Python.h>

typedef struct { PyObject_HEAD long i, n; } ItObject;

static PyObject *it_next(ItObject *self) {
    if (self->i >= self->n) return NULL;
    return PyLong_FromLong(self->i++);
}
static void it_dealloc(ItObject *self) { PyObject_Free(self); }

static PyTypeObject It_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "unready_ext.It",
    .tp_basicsize = sizeof(ItObject),
    .tp_dealloc = (destructor)it_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)it_next,
};

static PyObject *make_it(PyObject *m, PyObject *arg) {
    ItObject *it = PyObject_New(ItObject, &It_Type);
    if (!it) return NULL;
    it->i = 0; it->n = PyLong_AsLong(arg);
    return (PyObject *)it;
}

static PyMethodDef methods[] = {
    {"make_it", make_it, METH_O, NULL},
    {NULL}
};
static struct PyModuleDef moddef = {PyModuleDef_HEAD_INIT, "unready_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_unready_ext(void) {
    ((PyObject *)&It_Type)->ob_type = &PyType_Type;   /* as BTrees' _SET_TYPE */
    It_Type.tp_getattro = PyObject_GenericGetAttr;
    PyObject *m = PyModule_Create(&moddef);
    if (!m) return NULL;
    if (PyDict_SetItemString(PyModule_GetDict(m), "It", (PyObject *)&It_Type) < 0)
        return NULL;
    return m;
}
