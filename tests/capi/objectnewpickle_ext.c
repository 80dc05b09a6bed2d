/* A static type that inherits object's tp_new. Readying one makes the layer
 * wrap `object.__new__` (so Python code can call it for subclasses of such
 * C types); the wrapped `object.__new__` must still pickle and compare as
 * CPython's, a builtin bound to `object`. */
#include <Python.h>

typedef struct {
    PyObject_HEAD
    int value;
} PlainObject;

static PyTypeObject PlainType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "objectnewpickle_ext.Plain",
    .tp_basicsize = sizeof(PlainObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "tp_new inherited from object",
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "objectnewpickle_ext", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_objectnewpickle_ext(void)
{
    if (PyType_Ready(&PlainType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL)
        return NULL;
    Py_INCREF(&PlainType);
    if (PyModule_AddObject(m, "Plain", (PyObject *)&PlainType) < 0) {
        Py_DECREF(&PlainType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
