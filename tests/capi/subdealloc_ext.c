/* A Python subclass of a static C type: CPython gives its type object
 * subtype_dealloc, not the C base's tp_dealloc. Extensions tell "an
 * instance of exactly my types" from "an instance of a Python subclass"
 * by comparing Py_TYPE(o)->tp_dealloc with their own function (PyGLM's
 * PyGLM_GET_TYPE), then read their own fields of the (static) type object. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct { PyObject_HEAD double x; } BaseObject;

static int dealloc_calls = 0;

static void
base_dealloc(PyObject *self)
{
    dealloc_calls++;
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject Base_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "subdealloc_ext.Base",
    .tp_basicsize = sizeof(BaseObject),
    .tp_dealloc = base_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
};

/* "is o an instance of exactly a type of mine?" the PyGLM way */
static PyObject *
has_base_dealloc(PyObject *self, PyObject *o)
{
    return PyBool_FromLong(Py_TYPE(o)->tp_dealloc == base_dealloc);
}

static PyObject *
deallocs(PyObject *self, PyObject *unused)
{
    return PyLong_FromLong(dealloc_calls);
}

/* the subclass's tp_dealloc is set and is not NULL */
static PyObject *
type_has_dealloc(PyObject *self, PyObject *t)
{
    return PyBool_FromLong(((PyTypeObject *)t)->tp_dealloc != NULL);
}

static PyMethodDef methods[] = {
    {"has_base_dealloc", has_base_dealloc, METH_O, NULL},
    {"deallocs", deallocs, METH_NOARGS, NULL},
    {"type_has_dealloc", type_has_dealloc, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "subdealloc_ext", NULL, -1, methods};

PyMODINIT_FUNC
PyInit_subdealloc_ext(void)
{
    if (PyType_Ready(&Base_Type) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&Base_Type);
    PyModule_AddObject(m, "Base", (PyObject *)&Base_Type);
    return m;
}
