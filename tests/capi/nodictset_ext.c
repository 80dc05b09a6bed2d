/* Setting an unknown attribute on an instance of a static C type that has
 * no instance dict and keeps object's tp_setattro (pdftotext.PDF): the
 * AttributeError names the type by tp_name, from Python and through
 * PyObject_GenericSetAttr / PyObject_SetAttrString alike. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

typedef struct {
    PyObject_HEAD
} NdObject;

static PyTypeObject NdType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "nodictset_ext.Nd",
    .tp_basicsize = sizeof(NdObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
};

static PyObject *
generic_set(PyObject *self, PyObject *args)
{
    PyObject *o, *name, *v = NULL;
    if (!PyArg_ParseTuple(args, "OU|O", &o, &name, &v))
        return NULL;
    if (PyObject_GenericSetAttr(o, name, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
set_string(PyObject *self, PyObject *args)
{
    PyObject *o, *v;
    const char *name;
    if (!PyArg_ParseTuple(args, "OsO", &o, &name, &v))
        return NULL;
    if (PyObject_SetAttrString(o, name, v) < 0)
        return NULL;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"generic_set", generic_set, METH_VARARGS, NULL},
    {"set_string", set_string, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moddef = {
    PyModuleDef_HEAD_INIT, "nodictset_ext", NULL, -1, methods,
};

PyMODINIT_FUNC
PyInit_nodictset_ext(void)
{
    if (PyType_Ready(&NdType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&moddef);
    if (m == NULL)
        return NULL;
    Py_INCREF(&NdType);
    if (PyModule_AddObject(m, "Nd", (PyObject *)&NdType) < 0)
        return NULL;
    return m;
}
