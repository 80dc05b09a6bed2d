#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>

/* A C type with a mapping __getitem__ only (mp_subscript; no sq_item, no
   tp_iter): CPython does not iterate it, so unpacking, iter(), list() and a
   for loop raise TypeError, as astropy's io.ascii tables rely on. */
typedef struct {
    PyObject_HEAD
    PyObject *dict;
} MapObject;

static PyObject *
map_subscript(PyObject *self, PyObject *key)
{
    if (PyLong_Check(key)) {
        PyErr_SetString(PyExc_KeyError, "int keys are not looked up");
        return NULL;
    }
    return Py_NewRef(key);
}

static Py_ssize_t
map_length(PyObject *self)
{
    return 2;
}

static PyMappingMethods map_as_mapping = {
    .mp_length = map_length,
    .mp_subscript = map_subscript,
};

static PyTypeObject Map_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "mapiter_ext.Map",
    .tp_basicsize = sizeof(MapObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_as_mapping = &map_as_mapping,
    .tp_dictoffset = offsetof(MapObject, dict),
};

static PyObject *
tp_name_of(PyObject *self, PyObject *arg)
{
    return PyUnicode_FromString(Py_TYPE(arg)->tp_name);
}

static PyObject *
sequence_check(PyObject *self, PyObject *arg)
{
    return PyBool_FromLong(PySequence_Check(arg));
}

static PyMethodDef methods[] = {
    {"tp_name_of", tp_name_of, METH_O, NULL},
    {"sequence_check", sequence_check, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {
    PyModuleDef_HEAD_INIT, "mapiter_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_mapiter_ext(void)
{
    PyObject *m = PyModule_Create(&moddef);
    if (m == NULL)
        return NULL;
    if (PyType_Ready(&Map_Type) < 0)
        return NULL;
    Py_INCREF(&Map_Type);
    PyModule_AddObject(m, "Map", (PyObject *)&Map_Type);
    return m;
}
