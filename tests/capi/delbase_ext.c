/* A C type whose bases are a C type and a Python class with `__del__`
 * (as Cython makes `cdef class C(CBase, PyClass)`): the type has no
 * tp_finalize of its own, so no `__del__` in its dict; the Python base's
 * `__del__` runs when an instance dies. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyTypeObject BaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "delbase_ext.Base",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

static PyTypeObject SubType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "delbase_ext.Sub",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
};

/* make(pyclass): the static type Sub readied with bases (Base, pyclass),
 * tp_bases set before PyType_Ready, and the heap-type flag set for the
 * call only (CPython refuses a static type with a heap base), as Cython
 * does. */
static PyObject *
make(PyObject *module, PyObject *pyclass)
{
    if (SubType.tp_bases == NULL) {
        SubType.tp_base = &BaseType;
        SubType.tp_bases = PyTuple_Pack(2, (PyObject *)&BaseType, pyclass);
        if (SubType.tp_bases == NULL)
            return NULL;
        SubType.tp_flags |= Py_TPFLAGS_HEAPTYPE;
        int r = PyType_Ready(&SubType);
        SubType.tp_flags &= ~Py_TPFLAGS_HEAPTYPE;
        if (r < 0)
            return NULL;
    }
    return Py_NewRef((PyObject *)&SubType);
}

/* Whether the type's tp_finalize is set (inherited from the Python base). */
static PyObject *
has_finalize(PyObject *module, PyObject *type)
{
    if (!PyType_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "a type");
        return NULL;
    }
    return PyBool_FromLong(((PyTypeObject *)type)->tp_finalize != NULL);
}

static PyMethodDef methods[] = {
    {"make", make, METH_O, NULL},
    {"has_finalize", has_finalize, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "delbase_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_delbase_ext(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyType_Ready(&BaseType) < 0 || PyModule_AddObjectRef(m, "Base", (PyObject *)&BaseType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
