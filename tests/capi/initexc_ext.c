/* A tp_init that returns 0 with an exception still set (as Cython code
   with an `except +` helper that swallowed a Python error does).
   CPython's type call checks the result and raises SystemError. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static int
bad_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyErr_SetString(PyExc_TypeError, "inner error");
    return 0;
}

static PyTypeObject Bad_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "initexc_ext.Bad",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_init = bad_init,
};

static PyObject *
newbad_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *o = type->tp_alloc(type, 0);
    PyErr_SetString(PyExc_ValueError, "inner new error");
    return o;
}

static PyTypeObject NewBad_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "initexc_ext.NewBad",
    .tp_basicsize = sizeof(PyObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = newbad_new,
};

static struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "initexc_ext", NULL, -1, NULL};

PyMODINIT_FUNC
PyInit_initexc_ext(void)
{
    if (PyType_Ready(&Bad_Type) < 0 || PyType_Ready(&NewBad_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&mod);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Bad_Type);
    PyModule_AddObject(m, "Bad", (PyObject *)&Bad_Type);
    Py_INCREF(&NewBad_Type);
    PyModule_AddObject(m, "NewBad", (PyObject *)&NewBad_Type);
    return m;
}
